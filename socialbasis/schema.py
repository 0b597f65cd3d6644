"""The canonical schema of initiatives and venues, defined once.

Modelled on Open Referral HSDS (organization, service, location, schedule), flattened to one
row per activity so that a sociale kaart export or a spreadsheet maps onto it directly.
Validation reports every problem of every row, with the field and a Dutch explanation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from socialbasis.errors import Problem
from socialbasis.geo import NL_LAT, NL_LON, RD, points_rd
from socialbasis.i18n import N_, _
from socialbasis.schedule import ScheduleError, format_schedule, parse_schedule
from socialbasis.vocab import (
    EXAMPLE_SOURCE,
    Cost,
    Discipline,
    IndividualCollective,
    Layer,
    SupportActivation,
    TargetGroup,
    Wheelchair,
    codes,
)

_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
# Control characters (NUL and the like) cannot be stored or shown; tab and line ends can.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT_CHARS = 10_000


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> Any:
    """Blank cells become empty text; numbers read from spreadsheets become text. Literal
    text such as "None" or "nan" stays text. Control characters are refused."""
    if _is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = value if isinstance(value, str) else str(value)
    found = _CONTROL.search(text)
    if found:
        raise PydanticCustomError(
            "sb_control",
            _("bevat een onzichtbaar stuurteken ({code}) dat niet bewaard kan worden"),
            {"code": f"U+{ord(found.group()):04X}"},
        )
    if len(text) > MAX_TEXT_CHARS:
        raise PydanticCustomError(
            "sb_too_long",
            _("tekst is {length} tekens; hoogstens {limit}"),
            {"length": len(text), "limit": MAX_TEXT_CHARS},
        )
    return text


def _lower_code(value: Any) -> Any:
    if _is_blank(value):
        return None
    return value.strip().lower() if isinstance(value, str) else value


def _number(value: Any) -> Any:
    """Accept Dutch decimal commas ("52,43"); blank is missing."""
    if _is_blank(value):
        return None
    if isinstance(value, str):
        return value.strip().replace(",", ".")
    return value


def _optional_date(value: Any) -> Any:
    """A date from a date cell, ``2024-05-31`` or ``31-05-2024``. A number is refused: ``0``
    or ``1700000000`` are not dates a person wrote."""
    if _is_blank(value):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        dutch, iso = _DUTCH_DATE.match(text), _ISO_DATE.match(text)
        if dutch or iso:
            day, month, year = (
                (int(g) for g in dutch.groups())
                if dutch
                else reversed([int(g) for g in iso.groups()])  # type: ignore[union-attr]
            )
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise PydanticCustomError(
                    "sb_date", _("'{value}' is geen bestaande datum"), {"value": value}
                ) from exc
    raise PydanticCustomError(
        "sb_date",
        _("verwacht een datum als 2024-05-31 of 31-05-2024, kreeg '{value}'"),
        {"value": str(value)[:40]},
    )


def _code_list(value: Any) -> Any:
    if _is_blank(value):
        return []
    if isinstance(value, str):
        return [part.strip().lower() for part in re.split(r"[;,|]", value) if part.strip()]
    return list(value)


def _schedule(value: Any) -> str:
    text = _text(value)
    try:
        return format_schedule(parse_schedule(text))
    except ScheduleError as exc:
        raise PydanticCustomError("sb_schedule", str(exc)) from exc


def _flag(value: Any) -> Any:
    """Yes/no in Dutch or English; blank is no."""
    if _is_blank(value):
        return False
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"ja", "j", "yes", "y", "true", "waar", "1"}:
            return True
        if lowered in {"nee", "n", "no", "false", "onwaar", "0"}:
            return False
        raise PydanticCustomError("sb_flag", _("verwacht ja of nee"))
    return value


_WEBSITE = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Digits and the usual marks; quotes too (the HSDS 3 example writes a number in quotes).
_PHONE = re.compile(r"[0-9+()\-. /\"']{6,40}")


def _website(value: Any) -> Any:
    text = _text(value)
    if text and not _WEBSITE.fullmatch(text.strip()):
        raise PydanticCustomError(
            "sb_website", _("verwacht een webadres dat begint met https:// of http://")
        )
    return text


def _email(value: Any) -> Any:
    text = _text(value)
    if text and not _EMAIL.fullmatch(text.strip()):
        raise PydanticCustomError("sb_email", _("verwacht een e-mailadres zoals info@voorbeeld.nl"))
    return text


def _phone(value: Any) -> Any:
    text = _text(value)
    if text and not _PHONE.fullmatch(text.strip()):
        raise PydanticCustomError(
            "sb_phone", _("verwacht een telefoonnummer: cijfers, spaties, +, -, haakjes")
        )
    return text


Text = Annotated[str, BeforeValidator(_text)]
Website = Annotated[str, BeforeValidator(_website)]
Email = Annotated[str, BeforeValidator(_email)]
Phone = Annotated[str, BeforeValidator(_phone)]
RequiredText = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
OptionalDate = Annotated[date | None, BeforeValidator(_optional_date)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Latitude = Annotated[float, BeforeValidator(_number), Field(ge=NL_LAT[0], le=NL_LAT[1])]
Longitude = Annotated[float, BeforeValidator(_number), Field(ge=NL_LON[0], le=NL_LON[1])]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)


class Initiative(_Record):
    """One activity or service of the sociale basis at one place."""

    id: RequiredText
    name: RequiredText
    organisation: Text = ""
    description: Text = ""
    layer: Annotated[Layer, BeforeValidator(_lower_code)]
    # The classification below is often missing in a sociale kaart; unknown stays empty
    # rather than being guessed, and a filter on it then leaves the record out.
    support_activation: Annotated[SupportActivation | None, BeforeValidator(_lower_code)] = None
    individual_collective: Annotated[IndividualCollective | None, BeforeValidator(_lower_code)] = (
        None
    )
    discipline: Annotated[Discipline | None, BeforeValidator(_lower_code)] = None
    target_groups: Annotated[list[TargetGroup], BeforeValidator(_code_list)] = []
    cost: Annotated[Cost | None, BeforeValidator(_lower_code)] = None
    wheelchair: Annotated[Wheelchair, BeforeValidator(_lower_code)] = Wheelchair.ONBEKEND
    schedule: Annotated[str, BeforeValidator(_schedule)] = ""
    start_date: OptionalDate = None
    end_date: OptionalDate = None
    address: Text = ""
    lat: Latitude
    lon: Longitude
    source: RequiredText
    last_verified: OptionalDate = None
    layer_suggested: Flag = False
    geocoded: Flag = False
    # How to reach the organisation; the contact person is personal data (AVG), shown only to
    # signed-in people and left out of exports unless asked for.
    website: Website = ""
    email: Email = ""
    phone: Phone = ""
    contact_person: Text = ""

    @field_validator("wheelchair", mode="before")
    @classmethod
    def _blank_wheelchair_is_unknown(cls, value: Any) -> Any:
        return Wheelchair.ONBEKEND if value is None else value

    @field_validator("end_date")
    @classmethod
    def _end_not_before_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if start and end and end < start:
            raise PydanticCustomError(
                "sb_dates",
                _("einddatum ligt voor begindatum {start}"),
                {"start": start.isoformat()},
            )
        return end


class Venue(_Record):
    """A place that hosts or could host activities: buurthuis, bieb, theater, ..."""

    id: RequiredText
    name: RequiredText
    kind: RequiredText
    layer: Annotated[Layer, BeforeValidator(_lower_code)]
    address: Text = ""
    lat: Latitude
    lon: Longitude
    capacity: Annotated[int | None, BeforeValidator(_number), Field(ge=0)] = None
    source: RequiredText
    layer_suggested: Flag = False
    geocoded: Flag = False
    website: Website = ""
    email: Email = ""
    phone: Phone = ""
    contact_person: Text = ""


INITIATIVE_COLUMNS: tuple[str, ...] = tuple(Initiative.model_fields)
VENUE_COLUMNS: tuple[str, ...] = tuple(Venue.model_fields)
REQUIRED_INITIATIVE_COLUMNS: tuple[str, ...] = tuple(
    name for name, info in Initiative.model_fields.items() if info.is_required()
)
REQUIRED_VENUE_COLUMNS: tuple[str, ...] = tuple(
    name for name, info in Venue.model_fields.items() if info.is_required()
)

# Columns added by validation for fast analysis; not part of files.
DERIVED_COLUMNS: tuple[str, ...] = ("schedule_mask", "target_mask", "is_example")
TARGET_BITS: dict[str, int] = {code: 1 << i for i, code in enumerate(codes(TargetGroup))}


def target_mask(groups: Iterable[str]) -> int:
    """Bit mask of target-group codes; ``iedereen`` matches every group."""
    mask = 0
    for group in groups:
        if group:
            mask |= TARGET_BITS[group]
    return mask


_MESSAGES = {
    "missing": N_("verplicht veld ontbreekt"),
    "string_too_short": N_("mag niet leeg zijn"),
    "float_parsing": N_("verwacht een getal (decimaal met komma of punt)"),
    "float_type": N_("verwacht een getal"),
    "int_parsing": N_("verwacht een heel getal"),
    "int_from_float": N_("verwacht een heel getal"),
    "date_from_datetime_parsing": N_("verwacht een datum als 2024-05-31 of 31-05-2024"),
    "date_parsing": N_("verwacht een datum als 2024-05-31 of 31-05-2024"),
    "date_from_datetime_inexact": N_("verwacht een datum zonder tijd"),
    "date_type": N_("verwacht een datum als 2024-05-31 of 31-05-2024"),
    "too_short": N_("minstens één waarde nodig"),
    "extra_forbidden": N_("onbekend veld"),
}


def _message(model: type[_Record], error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "enum":
        allowed = _("verwacht een van: ") + ", ".join(_allowed_codes(model, str(error["loc"][0])))
        if len(error["loc"]) > 1:  # one item of a list, e.g. a target group
            return _("'{input}' is onbekend; {allowed}").format(
                input=error["input"], allowed=allowed
            )
        return allowed
    if kind in ("greater_than_equal", "less_than_equal"):
        loc = str(error["loc"][0]) if error["loc"] else ""
        if loc in ("lat", "lon"):
            return _("ligt niet in Nederland (breedte 50,7-53,7; lengte 3,2-7,3)")
        return _("waarde buiten het toegestane bereik")
    return _(_MESSAGES[kind]) if kind in _MESSAGES else str(error["msg"])


def _allowed_codes(model: type[_Record], field_name: str) -> list[str]:
    pending = [model.model_fields[field_name].annotation]
    while pending:
        candidate = pending.pop()
        if isinstance(candidate, type) and issubclass(candidate, StrEnum):
            return codes(candidate)
        pending.extend(getattr(candidate, "__args__", ()))
    return []


@dataclass
class ValidationResult:
    """Valid records as a frame, and every problem found (rows with errors are left out)."""

    frame: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    rejected_rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "fout" for p in self.problems)


def _validate(
    model: type[_Record],
    rows: pd.DataFrame,
    source: str,
    row_numbers: Sequence[int] | None,
) -> tuple[list[dict[str, Any]], list[int], list[Problem], list[int]]:
    numbers = list(row_numbers) if row_numbers is not None else [i + 2 for i in range(len(rows))]
    known = set(model.model_fields)
    records = rows[[c for c in rows.columns if c in known]].to_dict("records")
    good: list[dict[str, Any]] = []
    good_numbers: list[int] = []
    problems: list[Problem] = []
    rejected: list[int] = []
    for number, raw_record in zip(numbers, records, strict=True):
        # Blank cells count as absent, so a missing required value reads "ontbreekt".
        record = {k: v for k, v in raw_record.items() if not _is_blank(v)}
        try:
            good.append(model.model_validate(record).model_dump())
            good_numbers.append(number)
        except ValidationError as exc:
            rejected.append(number)
            for error in exc.errors(include_url=False):
                loc = error["loc"]
                field_name = str(loc[0]) if loc else None
                raw = record.get(field_name, "") if field_name else ""
                value = "" if _is_blank(raw) else str(raw)
                problems.append(Problem(source, number, field_name, value, _message(model, error)))
    return good, good_numbers, problems, rejected


def _unknown_columns(rows: pd.DataFrame, model: type[_Record], source: str) -> list[Problem]:
    extra = [c for c in rows.columns if c not in model.model_fields and not str(c).startswith("_")]
    return [
        Problem(
            source,
            None,
            str(c),
            "",
            _("kolom hoort niet bij het schema en wordt niet gebruikt"),
            severity="waarschuwing",
        )
        for c in extra
    ]


DATE_COLUMNS: tuple[str, ...] = ("start_date", "end_date", "last_verified")


def date_values(column: pd.Series) -> np.ndarray:
    """A date column as ``datetime64[D]`` (NaT where blank), whatever the column's dtype: all
    empty, all dates, pandas timestamps or ISO text. Comparisons with NaT are False."""
    return pd.to_datetime(pd.Series(column, dtype=object), errors="coerce").to_numpy(
        "datetime64[D]"
    )


def _to_frame(records: list[dict[str, Any]], columns: Sequence[str]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    for column in DATE_COLUMNS:
        if column in frame:
            # Always datetime.date or None in an object column, also when every cell is empty.
            frame[column] = pd.Series(
                [None if _is_blank(v) else v for v in frame[column]],
                index=frame.index,
                dtype=object,
            )
    geometry = points_rd(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float))
    return gpd.GeoDataFrame(frame, geometry=geometry.values, crs=RD)


def validate_initiatives(
    rows: pd.DataFrame, source: str, row_numbers: Sequence[int] | None = None
) -> ValidationResult:
    """Validate rows with canonical column names; keep the valid ones, report every problem."""
    good, numbers, problems, rejected = _validate(Initiative, rows, source, row_numbers)
    frame = _to_frame(good, INITIATIVE_COLUMNS)
    frame["target_groups"] = [";".join(groups) for groups in frame["target_groups"]]
    frame["schedule_mask"] = np.array(
        [parse_schedule(text) for text in frame["schedule"]], dtype=np.int64
    )
    frame["target_mask"] = np.array(
        [target_mask(text.split(";")) for text in frame["target_groups"]], dtype=np.int64
    )
    frame["is_example"] = frame["source"].str.lower() == EXAMPLE_SOURCE
    frame["source_row"] = numbers
    problems = _unknown_columns(rows, Initiative, source) + problems
    frame, doubled = _drop_duplicate_ids(frame, source)
    return ValidationResult(frame, problems + doubled, rejected + [p.row for p in doubled])


def validate_venues(
    rows: pd.DataFrame, source: str, row_numbers: Sequence[int] | None = None
) -> ValidationResult:
    """Validate venue rows; keep the valid ones, report every problem."""
    good, numbers, problems, rejected = _validate(Venue, rows, source, row_numbers)
    frame = _to_frame(good, VENUE_COLUMNS)
    frame["capacity"] = frame["capacity"].astype("Int64")
    frame["is_example"] = frame["source"].str.lower() == EXAMPLE_SOURCE
    frame["source_row"] = numbers
    problems = _unknown_columns(rows, Venue, source) + problems
    frame, doubled = _drop_duplicate_ids(frame, source)
    return ValidationResult(frame, problems + doubled, rejected + [p.row for p in doubled])


def records_with_rd(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Validated records as plain rows for storing, with their RD coordinates (``x_rd``,
    ``y_rd``) taken from the points."""
    records = frame.drop(columns="geometry").to_dict("records")
    for record, point in zip(records, frame.geometry, strict=True):
        record["x_rd"], record["y_rd"] = point.x, point.y
    return records


def stored_frame(table: pd.DataFrame, kind: str) -> gpd.GeoDataFrame:
    """Rows read back from the database (checked by its constraints on the way in) as the
    frame validation gives: the same columns and derived columns, points from the stored RD
    coordinates, plus each row's ``version``. No record is validated again; each distinct
    schedule and target-group text is parsed once."""
    frame = table.copy()
    if kind == "initiatieven":
        for column, parse in (
            ("schedule_mask", parse_schedule),
            ("target_mask", lambda text: target_mask(text.split(";"))),
        ):
            source = "schedule" if column == "schedule_mask" else "target_groups"
            distinct = {text: parse(text) for text in set(frame[source])}
            frame[column] = np.array([distinct[t] for t in frame[source]], dtype=np.int64)
    frame["is_example"] = frame["source"].str.lower() == EXAMPLE_SOURCE
    frame["source_row"] = np.arange(1, len(frame) + 1)
    points = gpd.points_from_xy(
        frame.pop("x_rd").to_numpy(float), frame.pop("y_rd").to_numpy(float)
    )
    return gpd.GeoDataFrame(frame, geometry=points, crs=RD)


def _drop_duplicate_ids(
    frame: gpd.GeoDataFrame, source: str
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Keep the first record of an id; a later one is refused (it would overwrite the first,
    and two rows with one id cannot be stored)."""
    problems = duplicate_id_problems(frame, source)
    return frame[~frame["id"].duplicated(keep="first").to_numpy()], problems


def duplicate_id_problems(frame: pd.DataFrame, source: str) -> list[Problem]:
    """An id must be unique: a second record with the same id would overwrite the first."""
    duplicated = frame[frame["id"].duplicated(keep="first")]
    return [
        Problem(
            source,
            int(row.source_row),
            "id",
            row.id,
            _("deze id komt eerder in het bestand voor; ids moeten uniek zijn"),
        )
        for row in duplicated.itertuples()
    ]

"""Open Referral HSDS to listing rows: 3.x JSON (services with nested locations) and the
tabular form of 2.x and 3.x (a folder with services.csv, organizations.csv, locations.csv and
service(s)_at_location.csv). HSDS has no events: a recurring activity is a service with a
schedule, and its weekday and opening hours become weekday x dagdeel slots.

Records exported by this project carry their classification as attributes of the taxonomy
``sociale-basis-kaart``; other taxonomy terms become the category a layer is suggested from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from loaders.listings.table import RawTable
from socialbasis.errors import DataFileError, Problem
from socialbasis.export import HSDS_METADATA_FIELDS as METADATA_FIELDS
from socialbasis.export import HSDS_TAXONOMY as TAXONOMY
from socialbasis.i18n import _
from socialbasis.schedule import DAGDELEN, WEEKDAYS

BYDAY = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
# Dagdelen as hours of the day: [start, end).
DAGDEEL_HOURS = {"ochtend": (6, 12), "middag": (12, 18), "avond": (18, 24)}
# Age bands of the target groups, inclusive, for HSDS minimum_age / maximum_age.
AGE_GROUPS = (
    ("kinderen", 0, 11),
    ("jongeren", 12, 23),
    ("volwassenen", 24, 64),
    ("ouderen", 65, 200),
)


def _hour(text: Any) -> float | None:
    try:
        hours, minutes, *_ = str(text).split(":")
        return int(hours) + int(minutes) / 60
    except (ValueError, AttributeError):
        return None


def slots_from_schedule(byday: str, opens_at: Any, closes_at: Any) -> list[str]:
    """``"TH,FR", "10:00", "18:00"`` -> ``["do-ochtend", "do-middag", "vr-..."]``."""
    opens, closes = _hour(opens_at), _hour(closes_at)
    days = [
        BYDAY[d.strip()[-2:].upper()]
        for d in str(byday or "").split(",")
        if d.strip()[-2:].upper() in BYDAY
    ]
    if not days or opens is None or closes is None:
        return []
    parts = [p for p in DAGDELEN if opens < DAGDEEL_HOURS[p][1] and closes > DAGDEEL_HOURS[p][0]]
    return [f"{WEEKDAYS[d]}-{p}" for d in sorted(set(days)) for p in parts]


def schedule_text(schedules: list[dict[str, Any]]) -> tuple[str, bool]:
    """Slots of all weekly schedules; the flag says whether some schedule could not be read."""
    slots: list[str] = []
    unreadable = False
    for schedule in schedules or []:
        found = slots_from_schedule(
            schedule.get("byday", ""), schedule.get("opens_at"), schedule.get("closes_at")
        )
        if schedule.get("freq", "WEEKLY").upper() != "WEEKLY" or not found:
            unreadable = True
        slots += found
    return ";".join(dict.fromkeys(slots)), unreadable


def _age(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    return float(str(value).strip())


def target_groups_from_ages(minimum: Any, maximum: Any) -> tuple[str, str]:
    """HSDS ``minimum_age`` / ``maximum_age`` -> target groups whose age band overlaps,
    ``"iedereen"`` when all do; and a note for the report (empty when there are no ages).

    ``12, 100`` -> ``("jongeren;volwassenen;ouderen", "...")``.
    """
    try:
        low, high = _age(minimum), _age(maximum)
    except ValueError:
        return "", _("leeftijd niet te lezen ({minimum}–{maximum}); doelgroep leeg gelaten").format(
            minimum=minimum, maximum=maximum
        )
    if low is None and high is None:
        return "", ""
    low = 0.0 if low is None else low
    high = 200.0 if high is None else high
    if low < 0 or high < low:
        return "", _("leeftijd {low:g}–{high:g} klopt niet; doelgroep leeg gelaten").format(
            low=low, high=high
        )
    groups = [name for name, first, last in AGE_GROUPS if low <= last and high >= first]
    chosen = "iedereen" if len(groups) == len(AGE_GROUPS) else ";".join(groups)
    shown = f"{low:g}+" if high >= 200 else f"{low:g}–{high:g}"
    return chosen, _("doelgroep afgeleid uit de leeftijd {shown} jaar: {replace}").format(
        shown=shown, replace=chosen.replace(";", ", ")
    )


def cost_text(cost_options: list[dict[str, Any]], fees: Any = "") -> str:
    amounts = [o.get("amount") for o in cost_options or [] if o.get("amount") is not None]
    words = " ".join(str(o.get("option", "")) for o in cost_options or []) + f" {fees or ''}"
    if any(float(a) > 0 for a in amounts) or any(w in words.lower() for w in ("betaald", "paid")):
        return "betaald"
    if amounts or any(w in words.lower() for w in ("free", "gratis", "kosteloos")):
        return "gratis"
    return ""


def _address(addresses: list[dict[str, Any]]) -> str:
    physical = [a for a in addresses or [] if a.get("address_type", "physical") != "postal"]
    chosen = (physical or addresses or [{}])[0]
    street = chosen.get("address_1", "")
    place = " ".join(p for p in (chosen.get("postal_code"), chosen.get("city")) if p)
    return ", ".join(p for p in (street, place) if p)


def _attributes(attributes: list[dict[str, Any]]) -> tuple[dict[str, str], list[str]]:
    """Our own classification, and the names of other taxonomy terms (for a category)."""
    ours: dict[str, list[str]] = {}
    terms: list[str] = []
    for attribute in attributes or []:
        term = attribute.get("taxonomy_term") or {}
        if term.get("taxonomy") == TAXONOMY and ":" in str(term.get("code", "")):
            field, value = str(term["code"]).split(":", 1)
            ours.setdefault(field, []).append(value)
        elif term.get("name"):
            terms.append(str(term["name"]))
    return {k: ";".join(v) for k, v in ours.items()}, terms


def _metadata(entries: list[dict[str, Any]]) -> dict[str, str]:
    """Fields this project exported as metadata (source, dates, wheelchair, marks)."""
    return {
        str(entry["field_name"]): str(entry.get("replacement_value") or "")
        for entry in entries or []
        if entry.get("updated_by") == TAXONOMY and entry.get("field_name") in METADATA_FIELDS
    }


def service_rows(service: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per service at location (or one without a place) of an HSDS 3 service."""
    organisation = (service.get("organization") or {}).get("name", "")
    ours, terms = _attributes(service.get("attributes", []))
    links = service.get("service_at_locations") or [{}]
    rows = []
    for link in links:
        location = link.get("location") or {}
        schedule, unreadable = schedule_text(link.get("schedules") or service.get("schedules"))
        accessible = " ".join(
            str(a.get("description", "")) for a in location.get("accessibility") or []
        ).lower()
        row = {
            "id": service.get("id", "")
            if len(links) == 1
            else f"{service.get('id', '')}@{location.get('id', '')}",
            "name": service.get("name", ""),
            "organisation": organisation,
            "description": service.get("description", ""),
            "address": _address(location.get("addresses")),
            "lat": location.get("latitude"),
            "lon": location.get("longitude"),
            "schedule": schedule,
            "cost": cost_text(service.get("cost_options"), service.get("fees")),
            "wheelchair": "ja" if ("wheelchair" in accessible or "rolstoel" in accessible) else "",
            "last_verified": str(service.get("last_modified") or "")[:10],
            "website": service.get("url") or "",
            "email": service.get("email") or "",
            "phone": next(
                (str(p.get("number", "")) for p in service.get("phones") or [] if p.get("number")),
                "",
            ),
            "contact_person": next(
                (str(c.get("name", "")) for c in service.get("contacts") or [] if c.get("name")),
                "",
            ),
            "end_date": "",
            "category": "; ".join(terms),
            **ours,
            **_metadata(service.get("metadata", [])),
        }
        if unreadable:
            row["_schedule_note"] = _("niet elk rooster is om te zetten naar dagdelen")
        _add_age_groups(row, service)
        rows.append(row)
    return rows


def _add_age_groups(row: dict[str, Any], service: dict[str, Any]) -> None:
    """Target groups from the service's ages, unless the record carries its own."""
    if row.get("target_groups"):
        return
    groups, note = target_groups_from_ages(service.get("minimum_age"), service.get("maximum_age"))
    if groups:
        row["target_groups"] = groups
    if note:
        row["_age_note"] = note


def read_json(body: Any, source: str) -> RawTable:
    """HSDS 3 JSON: one service object, a list of them, or a page with ``contents``."""
    if isinstance(body, dict) and isinstance(body.get("contents"), list):
        body = body["contents"]
    services = body if isinstance(body, list) else [body]
    if not services or not all(isinstance(s, dict) and "name" in s for s in services):
        raise DataFileError(
            source, _("verwacht HSDS 3 JSON: een service (met 'name') of een lijst daarvan")
        )
    records, numbers, problems = [], [], []
    for number, service in enumerate(services, start=1):
        try:
            rows = service_rows(service)
        except (AttributeError, TypeError, ValueError, KeyError) as exc:
            problems.append(
                Problem(
                    source,
                    number,
                    None,
                    str(service.get("id", ""))[:80],
                    _(
                        "service niet te lezen: een onderdeel heeft een ander type dan HSDS 3 "
                        "voorschrijft ({name}: {value}); niet gelezen"
                    ).format(name=type(exc).__name__, value=str(exc)[:80]),
                )
            )
            continue
        for row in rows:
            records.append(row)
            numbers.append(number)
    return _with_notes(
        RawTable(
            pd.DataFrame.from_records(records),
            numbers,
            source,
            "Open Referral HSDS 3 (JSON)",
            problems,
        )
    )


def _csv(folder: Path, problems: list[Problem], *names: str) -> pd.DataFrame | None:
    """A table of the folder, read like any CSV (ragged rows are reported, not guessed)."""
    from loaders.listings.read import read_csv_bytes  # read imports this module

    for name in names:
        path = folder / name
        if path.is_file():
            table = read_csv_bytes(path.read_bytes(), f"{folder.name}/{name}")
            problems.extend(table.problems)
            frame = table.rows.fillna("")
            frame.attrs["row_numbers"] = table.row_numbers
            return frame
    return None


def _require(frame: pd.DataFrame, columns: tuple[str, ...], source: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFileError(
            source,
            _(
                "kolom(men) {items} ontbreken; HSDS-tabellen hebben een id per rij "
                "(gevonden: {value})"
            ).format(items=", ".join(missing), value=", ".join(map(str, frame.columns)) or "geen"),
        )


def read_tables(folder: Path) -> RawTable:
    """The tabular form of HSDS 2.x and 3.x: one row per service at a location.

    Links to an organisation, service or location that is not in its table are reported."""
    problems: list[Problem] = []
    services = _csv(folder, problems, "services.csv")
    if services is None:
        raise DataFileError(
            str(folder),
            _("geen services.csv in deze map; verwacht de tabellen van Open Referral HSDS"),
        )
    source = f"{folder.name}/services.csv"
    _require(services, ("id", "name"), source)
    organisations = _csv(folder, problems, "organizations.csv")
    organisations = organisations if organisations is not None else pd.DataFrame(columns=["id"])
    locations = _csv(folder, problems, "locations.csv")
    locations = locations if locations is not None else pd.DataFrame(columns=["id"])
    links = _csv(folder, problems, "service_at_location.csv", "services_at_location.csv")
    links = links if links is not None else pd.DataFrame(columns=["service_id", "location_id"])
    addresses = _csv(folder, problems, "addresses.csv", "physical_addresses.csv")
    addresses = addresses if addresses is not None else pd.DataFrame(columns=["location_id"])
    _require(organisations, ("id",), f"{folder.name}/organizations.csv")
    _require(locations, ("id",), f"{folder.name}/locations.csv")
    _require(links, ("service_id", "location_id"), f"{folder.name}/service_at_location.csv")
    _require(addresses, ("location_id",), f"{folder.name}/addresses.csv")
    org_names = dict(zip(organisations["id"], organisations.get("name", ""), strict=True))
    location_by_id = {row["id"]: row for row in locations.to_dict("records")}
    service_ids = set(services["id"])
    for number, link in zip(
        links.attrs.get("row_numbers", []), links.to_dict("records"), strict=False
    ):
        for key, known, what in (
            ("service_id", service_ids, "service"),
            ("location_id", set(location_by_id), "locatie"),
        ):
            if link[key] and link[key] not in known:
                problems.append(
                    Problem(
                        f"{folder.name}/service_at_location.csv",
                        number,
                        key,
                        link[key],
                        _(
                            "verwijst naar een {what} die niet in de tabellen staat; genegeerd"
                        ).format(what=what),
                        severity="waarschuwing",
                    )
                )
    records, numbers = [], []
    for number, service in zip(
        services.attrs["row_numbers"], services.to_dict("records"), strict=True
    ):
        organisation_id = service.get("organization_id", "")
        if organisation_id and organisation_id not in org_names:
            problems.append(
                Problem(
                    source,
                    number,
                    "organization_id",
                    organisation_id,
                    _("organisatie staat niet in organizations.csv; organisatie leeg gelaten"),
                    severity="waarschuwing",
                )
            )
        location_ids = [
            i
            for i in links.loc[links["service_id"] == service["id"], "location_id"]
            if i in location_by_id
        ]
        for location_id in location_ids or [""]:
            location = location_by_id.get(location_id, {})
            location_addresses = addresses[addresses["location_id"] == location_id]
            row = {
                "id": service["id"] if len(location_ids) <= 1 else f"{service['id']}@{location_id}",
                "name": service.get("name", ""),
                "organisation": org_names.get(organisation_id, ""),
                "description": service.get("description", ""),
                "address": _address(location_addresses.to_dict("records")),
                "lat": location.get("latitude", ""),
                "lon": location.get("longitude", ""),
                "cost": cost_text([], service.get("fees", "")),
                "category": "",
            }
            _add_age_groups(row, service)
            records.append(row)
            numbers.append(number)
    return _with_notes(
        RawTable(
            pd.DataFrame.from_records(records),
            numbers,
            source,
            "Open Referral HSDS (tabellen)",
            problems,
        )
    )


def _with_notes(table: RawTable) -> RawTable:
    """Turn per-row notes (schedules, ages) into warnings on their field."""
    for column, field in (("_schedule_note", "schedule"), ("_age_note", "target_groups")):
        if column not in table.rows:
            continue
        for number, note in zip(table.row_numbers, table.rows[column], strict=True):
            if isinstance(note, str) and note:
                table.problems.append(
                    Problem(table.source, number, field, "", note, severity="waarschuwing")
                )
        table.rows = table.rows.drop(columns=column)
    return table

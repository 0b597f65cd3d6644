"""The project's own error types.

The interface catches only these and shows their message; anything else is a bug and is
allowed to surface. Every message says what was wrong and, where it helps, what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialbasis.i18n import _, number


class SocialBasisError(ValueError):
    """Base class of every error a user can act on."""


class SettingsError(SocialBasisError):
    """A setting (environment variable or option) has a value that cannot be used."""


@dataclass(frozen=True)
class Problem:
    """One problem in one record of an input file.

    ``row`` is the number a person sees: the spreadsheet row (header is row 1) for tables,
    the 1-based feature or record number for GeoJSON and JSON.
    """

    source: str
    row: int | None
    field: str | None
    value: str
    message: str
    severity: str = "fout"  # "fout" blocks the record, "waarschuwing" does not

    def describe(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(_("rij {row}").format(row=self.row))
        if self.field:
            where.append(_("veld '{field}'").format(field=self.field))
        value = _(" (waarde: {value})").format(value=repr(self.value)) if self.value != "" else ""
        return f"{', '.join(where)}: {self.message}{value}"


class DataFileError(SocialBasisError):
    """A file cannot be read at all, or one of its records is wrong."""

    def __init__(
        self,
        source: str,
        message: str,
        row: int | None = None,
        field: str | None = None,
        value: str = "",
    ) -> None:
        self.problem = Problem(source, row, field, value, message)
        super().__init__(self.problem.describe())


class ValidationFailed(SocialBasisError):
    """Records did not pass validation; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "fout"]
        head = "\n".join(p.describe() for p in errors[:20])
        more = (
            "\n" + _("... en nog {count} problemen").format(count=number(len(errors) - 20))
            if len(errors) > 20
            else ""
        )
        found = _("{count} problemen gevonden:").format(count=number(len(errors)))
        super().__init__(f"{found}\n{head}{more}")


class ServiceError(SocialBasisError):
    """An online service did not give a usable answer."""

    def __init__(self, service: str, url: str, message: str, advice: str = "") -> None:
        self.service = service
        self.url = url
        text = f"{service}: {message} ({url})"
        if advice:
            text += f". {advice}"
        super().__init__(text)

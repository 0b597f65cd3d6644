"""Reading text tables the way Dutch offices write them, within bounds.

Excel writes "CSV (gescheiden door lijstscheidingsteken)" in Windows-1252, "CSV UTF-8" with a
byte-order mark, and "Unicode-tekst" as UTF-16 with tabs. Some tools put a UTF-8 BOM in front
of Windows-1252 bytes. Every one of these is read as the text it is, or refused with a
message that names the file and the line.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from socialbasis.errors import DataFileError
from socialbasis.i18n import _

# Bounds on what one file may hold: enough for any real sociale kaart, small enough that a
# hostile or broken file cannot exhaust memory or time.
MAX_FILE_BYTES = 50_000_000
MAX_COLUMNS = 500
MAX_ROWS = 100_000
MAX_CELL_CHARS = 100_000
MAX_JSON_DEPTH = 64

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

csv.field_size_limit(MAX_CELL_CHARS)


def check_size(raw: bytes, source: str, limit: int | None = None) -> None:
    limit = MAX_FILE_BYTES if limit is None else limit
    if len(raw) > limit:
        raise DataFileError(
            source,
            _(
                "het bestand is {value:.0f} MB; meer dan {value2} MB wordt niet gelezen "
                "(splits het bestand)"
            ).format(value=len(raw) / 1_000_000, value2=limit // 1_000_000),
        )


def _undecodable(raw: bytes, exc: UnicodeDecodeError, source: str, encoding: str) -> DataFileError:
    line = raw[: exc.start].count(b"\n") + 1
    return DataFileError(
        source,
        _(
            "tekst niet te lezen als {encoding}: byte 0x{value:02x}; sla het bestand op "
            "als CSV UTF-8"
        ).format(encoding=encoding, value=raw[exc.start]),
        row=line,
    )


def decode_text(raw: bytes, source: str) -> tuple[str, str]:
    """Decode bytes by their byte-order mark (UTF-8, UTF-16, UTF-32), else as UTF-8, else as
    Windows-1252; return the text and the encoding found."""
    check_size(raw, source)
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                if encoding != "utf-8-sig":
                    raise _undecodable(raw, exc, source, encoding) from exc
                # A UTF-8 BOM in front of Windows-1252 bytes: the BOM is not part of the text.
                rest = raw[len(bom) :]
                try:
                    return rest.decode("cp1252"), _("cp1252 (met UTF-8-kenmerk)")
                except UnicodeDecodeError as inner:
                    raise _undecodable(rest, inner, source, "cp1252") from inner
    if raw[:2000].count(b"\x00") > len(raw[:2000]) // 4:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
        encoding = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc, source, encoding) from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252", errors="strict"), "cp1252"
    except UnicodeDecodeError as exc:
        raise _undecodable(raw, exc, source, _("UTF-8 of Windows-1252")) from exc


def _width(line: str, separator: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=separator), []))
    except csv.Error:  # a "cell" over the size limit: this is not the separator
        return 0


def sniff_separator(text: str) -> str:
    """The column separator of a CSV text: ``;`` (Dutch Excel), ``,``, tab or ``|``.

    Decided on the header line only: the data below may hold any of these characters
    inside quoted values, which misleads a sniffer that looks at the whole sample.
    """
    header = text.splitlines()[0] if text else ""
    widths = {sep: _width(header, sep) for sep in ";,\t|"}
    best = max(widths, key=widths.__getitem__)  # on a tie the first: ';' before ','
    return best if widths[best] > 1 else ","


@dataclass
class CsvRows:
    """The rows of a CSV text as read: the header, the rows whose width matches it with their
    line numbers, and the (line, width) of each row that does not."""

    header: list[str]
    separator: str
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    ragged: list[tuple[int, int]] = field(default_factory=list)


def read_csv_rows(text: str, source: str) -> CsvRows:
    r"""Read a CSV text within bounds: blank rows are skipped, a row of another width than the
    header is set apart (never padded or cut), and a broken quote or a cell over the size
    bound is an error naming the line.

    >>> rows = read_csv_rows("a;b\r1;2\r\r3\r", "x.csv")
    >>> rows.header, rows.rows, rows.lines, rows.ragged
    (['a', 'b'], [['1', '2']], [2], [(4, 1)])
    """
    separator = sniff_separator(text)
    # newline="": the csv module then reads \r\n, \n and a bare \r as line ends, and keeps
    # a line break inside a quoted value as part of the value.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        out = CsvRows(next(reader, []), separator)
        start = reader.line_num + 1
        for values in reader:
            if len(out.rows) >= MAX_ROWS:
                raise DataFileError(
                    source,
                    _("meer dan {max_rows} rijen; splits het bestand").format(max_rows=MAX_ROWS),
                )
            if any(v.strip() for v in values):
                if len(values) == len(out.header):
                    out.rows.append(values)
                    out.lines.append(start)
                else:
                    out.ragged.append((start, len(values)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataFileError(
            source,
            _(
                "niet te lezen als CSV: {exc} (een cel mag hoogstens {max_cell_chars} tekens "
                "hebben; staat er een aanhalingsteken dat niet gesloten wordt?)"
            ).format(exc=exc, max_cell_chars=MAX_CELL_CHARS),
            row=reader.line_num,
        ) from exc
    return out

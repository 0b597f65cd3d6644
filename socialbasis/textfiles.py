"""Reading text tables the way Dutch offices write them."""

from __future__ import annotations

import csv

from socialbasis.errors import DataFileError


def decode_text(raw: bytes, source: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), else Windows-1252; return text and encoding.

    Excel on Dutch Windows writes "CSV (gescheiden door lijstscheidingsteken)" in cp1252;
    newer versions write UTF-8 with a BOM. cp1252 decodes almost any byte string, so UTF-8 is
    tried first.
    """
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252", errors="strict"), "cp1252"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(
            source,
            f"tekst niet te lezen: byte 0x{raw[exc.start]:02x} is geen UTF-8 en geen "
            "Windows-1252; sla het bestand op als CSV UTF-8",
            row=line,
        ) from exc


def sniff_separator(text: str) -> str:
    """The column separator of a CSV text: ``;`` (Dutch Excel), ``,``, tab or ``|``.

    Decided on the header line only: the data below may hold any of these characters
    inside quoted values, which misleads a sniffer that looks at the whole sample.
    """
    header = text.splitlines()[0] if text else ""
    widths = {sep: len(next(csv.reader([header], delimiter=sep), [])) for sep in ";,\t|"}
    best = max(widths, key=widths.__getitem__)  # on a tie the first: ';' before ','
    return best if widths[best] > 1 else ","

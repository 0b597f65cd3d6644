"""Reading text tables the way Dutch offices write them."""

from __future__ import annotations

import csv


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), else Windows-1252; return text and encoding.

    Excel on Dutch Windows writes "CSV (gescheiden door lijstscheidingsteken)" in cp1252;
    newer versions write UTF-8 with a BOM. cp1252 decodes almost any byte string, so UTF-8 is
    tried first.
    """
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict"), "cp1252"


def sniff_separator(text: str) -> str:
    """The column separator of a CSV text: ``;`` (Dutch Excel), ``,``, tab or ``|``."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        return max(";,\t|", key=header.count) if header else ","

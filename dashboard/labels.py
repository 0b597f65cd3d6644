"""Labels for codes, for widgets and tables, and text made safe for markdown."""

from __future__ import annotations

import pandas as pd

from socialbasis.i18n import _
from socialbasis.vocab import label

__all__ = ["contact_text", "label", "md"]


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def md(value: object) -> str:
    """Text from data made safe for ``st.markdown``: every markdown character is escaped,
    so a name can never become a link, an image, a heading or a formula."""
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in str(value))


def contact_text(frame: pd.DataFrame, personal: bool = False) -> list[str]:
    """Website, e-mail and phone of each listing in one cell; with ``personal`` also the
    contact person (a person's name is personal data: for someone signed in, or published)."""

    def given(row: pd.Series, field: str) -> str:
        value = row.get(field)
        return value.strip() if isinstance(value, str) else ""

    cells = []
    for _index, row in frame.iterrows():
        parts = [given(row, f) for f in ("website", "email", "phone")]
        if personal and given(row, "contact_person"):
            parts.append(_("contactpersoon {name}").format(name=given(row, "contact_person")))
        cells.append(" · ".join(p for p in parts if p))
    return cells

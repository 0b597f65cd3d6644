"""Labels for codes, for widgets and tables, and text made safe for markdown."""

from __future__ import annotations

from socialbasis.vocab import label

__all__ = ["label", "md"]


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def md(value: object) -> str:
    """Text from data made safe for ``st.markdown``: every markdown character is escaped,
    so a name can never become a link, an image, a heading or a formula."""
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in str(value))

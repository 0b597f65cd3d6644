"""Dutch labels for codes, for widgets and tables."""

from __future__ import annotations

from socialbasis.vocab import (
    COST_LABELS,
    DISCIPLINE_LABELS,
    INDIVIDUAL_COLLECTIVE_LABELS,
    LAYER_LABELS,
    SUPPORT_ACTIVATION_LABELS,
    TARGET_GROUP_LABELS,
    Cost,
    Discipline,
    IndividualCollective,
    Layer,
    SupportActivation,
    TargetGroup,
)

LABELS: dict[str, str] = {
    **{k.value: v for k, v in LAYER_LABELS.items()},
    **{k.value: v for k, v in SUPPORT_ACTIVATION_LABELS.items()},
    **{k.value: v for k, v in INDIVIDUAL_COLLECTIVE_LABELS.items()},
    **{k.value: v for k, v in DISCIPLINE_LABELS.items()},
    **{k.value: v for k, v in TARGET_GROUP_LABELS.items()},
    **{k.value: v for k, v in COST_LABELS.items()},
}

ENUMS = (Layer, SupportActivation, IndividualCollective, Discipline, TargetGroup, Cost)


def label(code: str) -> str:
    """The Dutch label of a vocabulary code (the code itself if it has none)."""
    return LABELS.get(code, code)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def md(value: object) -> str:
    """Text from data made safe for ``st.markdown``: every markdown character is escaped,
    so a name can never become a link, an image, a heading or a formula."""
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in str(value))

"""Selecting initiatives and venues by the dashboard's and CLI's filters."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np
import pandas as pd

from socialbasis.schema import TARGET_BITS, date_values, target_mask
from socialbasis.vocab import TargetGroup


@dataclass(frozen=True)
class Filters:
    """What to show. An empty tuple means "no restriction" for that field."""

    layers: tuple[str, ...] = ()
    support_activation: tuple[str, ...] = ()
    individual_collective: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    werkgebieden: tuple[str, ...] = ()
    costs: tuple[str, ...] = ()
    active_on: date | None = None
    # Only what someone checked on or after this day (stale supply then no longer hides a
    # gap); None: every listing.
    checked_since: date | None = None

    def without(self, *names: str) -> Filters:
        """The same filters with some fields unrestricted."""
        return Filters(
            **{
                f.name: (None if f.name in ("active_on", "checked_since") else ())
                if f.name in names
                else getattr(self, f.name)
                for f in fields(self)
            }
        )

    def for_supply(self) -> Filters:
        """What counts as supply for coverage: every layer, and initiatives in any werkgebied,
        since residents walk across werkgebied borders."""
        return self.without("layers", "werkgebieden")


def _isin(values: pd.Series, allowed: tuple[str, ...]) -> np.ndarray:
    return values.isin(allowed).to_numpy() if allowed else np.ones(len(values), bool)


def active_mask(frame: pd.DataFrame, on: date | None) -> np.ndarray:
    """Records running on ``on``: started (or no start date) and not ended (or no end date)."""
    if on is None:
        return np.ones(len(frame), bool)
    day = np.datetime64(on, "D")
    start, end = date_values(frame["start_date"]), date_values(frame["end_date"])
    started = np.isnat(start) | (start <= day)
    not_ended = np.isnat(end) | (end >= day)
    return started & not_ended


def checked_mask(frame: pd.DataFrame, since: date | None) -> np.ndarray:
    """Records checked on or after ``since`` (a record never checked is not)."""
    if since is None:
        return np.ones(len(frame), bool)
    checked = date_values(frame["last_verified"])
    return ~np.isnat(checked) & (checked >= np.datetime64(since, "D"))


def target_group_mask(frame: pd.DataFrame, groups: tuple[str, ...]) -> np.ndarray:
    """Records for any of ``groups``; a record for ``iedereen`` is for every group."""
    if not groups:
        return np.ones(len(frame), bool)
    wanted = target_mask(groups) | TARGET_BITS[TargetGroup.IEDEREEN.value]
    return (frame["target_mask"].to_numpy() & wanted) != 0


def werkgebied_mask(
    frame: pd.DataFrame, buurten: pd.DataFrame, werkgebieden: tuple[str, ...]
) -> np.ndarray:
    """Records lying in a buurt of one of the werkgebieden."""
    if not werkgebieden:
        return np.ones(len(frame), bool)
    codes = buurten.loc[buurten["werkgebied"].isin(werkgebieden), "buurtcode"]
    return frame["buurtcode"].isin(set(codes)).to_numpy()


def select_initiatives(
    initiatives: pd.DataFrame, buurten: pd.DataFrame, filters: Filters
) -> np.ndarray:
    """Boolean mask of the initiatives that pass every filter."""
    return (
        _isin(initiatives["layer"], filters.layers)
        & _isin(initiatives["support_activation"], filters.support_activation)
        & _isin(initiatives["individual_collective"], filters.individual_collective)
        & _isin(initiatives["discipline"], filters.disciplines)
        & _isin(initiatives["cost"], filters.costs)
        & target_group_mask(initiatives, filters.target_groups)
        & active_mask(initiatives, filters.active_on)
        & checked_mask(initiatives, filters.checked_since)
        & werkgebied_mask(initiatives, buurten, filters.werkgebieden)
    )


def select_venues(venues: pd.DataFrame, buurten: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Venues by werkgebied only: the other filters describe activities, and a venue of any
    layer is a place where an activity of the chosen layer could start."""
    return werkgebied_mask(venues, buurten, filters.werkgebieden)

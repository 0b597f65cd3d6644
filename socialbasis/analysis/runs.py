"""Runs of consecutive positions in an array, as index arrays (no Python loop)."""

from __future__ import annotations

import numpy as np


def run_offsets(counts: np.ndarray) -> np.ndarray:
    """For runs of the given lengths laid end to end, each element's place within its run.

    >>> run_offsets(np.array([2, 0, 3])).tolist()
    [0, 1, 0, 1, 2]
    """
    counts = np.asarray(counts, dtype=np.int64)
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def expand_runs(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions ``starts[i] .. starts[i] + counts[i] - 1`` of every run, run after run.

    >>> expand_runs(np.array([5, 0]), np.array([2, 3])).tolist()
    [5, 6, 0, 1, 2]
    """
    return np.repeat(np.asarray(starts, dtype=np.int64), counts) + run_offsets(counts)

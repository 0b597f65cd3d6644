"""Walking distance and time.

Distances are straight-line ("hemelsbreed") in RD metres; real walking routes are usually
20-40 % longer. Times use a walking speed: 4.8 km/h for a typical adult, about 3 km/h with a
rollator, so that 5 / 10 / 15 minutes become 400 / 800 / 1200 m or 250 / 500 / 750 m.
"""

from __future__ import annotations

import numpy as np

DEFAULT_SPEED_KMH = 4.8
ROLLATOR_SPEED_KMH = 3.0
# The walking speeds a user can choose, by the name the CLI and the URL use.
WALKING_SPEEDS: dict[str, float] = {"normaal": DEFAULT_SPEED_KMH, "rollator": ROLLATOR_SPEED_KMH}
MINUTE_BANDS: tuple[int, ...] = (5, 10, 15)


def metres_for_minutes(minutes: float, speed_kmh: float = DEFAULT_SPEED_KMH) -> float:
    """How far one walks in ``minutes``: 10 minutes at 4.8 km/h is 800 m.

    >>> metres_for_minutes(10)
    800.0
    """
    return round(minutes * speed_kmh * 1000 / 60, 6)


def minutes_for_metres(
    metres: np.ndarray | float, speed_kmh: float = DEFAULT_SPEED_KMH
) -> np.ndarray | float:
    """Walking minutes for a distance in metres.

    >>> minutes_for_metres(400.0)
    5.0
    """
    result = np.asarray(metres, dtype=float) * 60 / (speed_kmh * 1000)
    return float(result) if result.ndim == 0 else result

"""Benchmark of planning on the embedded Zaanstad data (2020, with CBS residents):

    python -m benchmarks.planning [--rounds 3]

- placing one planned activity and recomputing the kansenlijst before and after;
- suggesting 3 places among all venues, and among every 100 m cell (exact MCLP, HiGHS;
  the line says whether the solver proved the answer optimal within its time bound);
- the meeting pack (PDF) of one buurt.

Figures are wall-clock seconds (median over rounds) on this machine; the machine reference
is printed first, as shared machines vary from hour to hour.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.dashboard_speed import machine_reference
from benchmarks.timing import timed

LAYER = "gemeenschappelijk"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    from socialbasis.analysis.filters import Filters
    from socialbasis.analysis.planning import PlannedActivity
    from socialbasis.app import SocialBasis
    from socialbasis.settings import load_settings

    print(f"machine reference (a fixed Python loop): {machine_reference():.2f} s")
    core = SocialBasis(load_settings({}, data_dir=Path(tempfile.mkdtemp())))
    params = core.gap_params()
    dataset = core.dataset()
    print(
        f"Zaanstad: {len(dataset.buurten)} buurten, {len(dataset.initiatives)} activities, "
        f"{len(dataset.venues)} venues"
    )
    planned = [PlannedActivity("Benchmark", 52.44, 4.82, LAYER)]
    seconds, _effect = timed(
        lambda: core.plan_effect(LAYER, planned, Filters(), params), arguments.rounds
    )
    print(f"place one activity, kansenlijst before and after: {seconds:.3f} s")
    for among in ("locaties", "cellen"):
        seconds, report = timed(
            lambda among=among: core.suggest(LAYER, Filters(), params, 3, among),
            1 if among == "cellen" else arguments.rounds,
        )
        state = "optimal" if report.optimal else "time bound reached, best found"
        print(
            f"suggest 3 places among {among}: {seconds:.2f} s ({state}; reaches "
            f"{report.reached:,.0f} residents; greedy reaches "
            f"{report.greedy_weighted / max(report.weighted, 1e-9):.1%} of its weighted value)"
        )
    _pack(core, params)


def _pack(core, params) -> None:
    """The meeting pack of one buurt: gathering, the PDF (map included), and both."""
    from socialbasis.analysis.filters import Filters
    from socialbasis.report import meeting_pack_pdf

    buurt = "BU04792220"  # Spoorbuurt
    first, _pdf = timed(
        lambda: meeting_pack_pdf(core.meeting_pack(LAYER, Filters(), params, buurtcode=buurt))
    )
    gather, content = timed(lambda: core.meeting_pack(LAYER, Filters(), params, buurtcode=buurt), 3)
    layout, pdf = timed(lambda: meeting_pack_pdf(content), 3)
    print(
        f"meeting pack of one buurt: {gather + layout:.2f} s (gathering {gather:.2f} s, PDF with "
        f"its map {layout:.2f} s; the first in a process {first:.2f} s; {len(pdf) // 1024} KiB)"
    )


if __name__ == "__main__":
    main()

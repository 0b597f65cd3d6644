"""Benchmark of the coverage and gap computation, at Zaanstad and at national scale.

    python -m benchmarks.gaps_benchmark                  # Zaanstad + national, ours, in a
                                                         # straight line and over streets
    python -m benchmarks.gaps_benchmark --network-only   # only over streets
    python -m benchmarks.gaps_benchmark --straightforward   # also the straightforward way
                                                         # (national takes about half an hour)

Every scenario runs in its own process, so that its peak memory (max RSS) is its own.
Prints one line per scenario; figures are wall-clock seconds on this machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.timing import timed
from socialbasis.analysis.grid import BOUNDARY_SHARE
from socialbasis.vocab import Layer, codes

LAYERS = tuple(codes(Layer))


def _zaanstad():
    from socialbasis.dataset import load_dataset
    from socialbasis.settings import load_settings

    dataset = load_dataset(load_settings({}, data_dir=Path(tempfile.mkdtemp())))
    return dataset.buurten, dataset.initiatives, dataset.venues


def _national():
    from benchmarks import synthetic

    buurten = synthetic.buurten()
    return buurten, synthetic.initiatives(buurten), synthetic.venues(buurten)


def run_ours(scale: str) -> dict[str, object]:
    from benchmarks import synthetic
    from socialbasis.analysis.coverage import buurt_centres
    from socialbasis.analysis.filters import Filters
    from socialbasis.analysis.gaps import GapParams, kansenlijst, kansenlijsten
    from socialbasis.analysis.grid import build_grid, weight_by_population

    buurten, initiatives, venues = _zaanstad() if scale == "zaanstad" else _national()
    repeat = 15 if scale == "zaanstad" else 1
    start = time.perf_counter()
    grid = build_grid(buurten).prepare()
    centres = buurt_centres(buurten)
    grid_s = time.perf_counter() - start
    figures: dict[str, object] = {
        "buurten": len(buurten),
        "initiatives": len(initiatives),
        "cells": len(grid.x),
        "grid_s": grid_s,
    }
    figures["all_layers_s"], _ = timed(
        lambda: kansenlijsten(buurten, grid, initiatives, venues, LAYERS, centres=centres), repeat
    )
    figures["all_layers_no_slots_s"], _ = timed(
        lambda: kansenlijsten(
            buurten,
            grid,
            initiatives,
            venues,
            LAYERS,
            centres=centres,
            params=GapParams(with_time_slots=False),
        ),
        repeat,
    )
    filtered = Filters(target_groups=("ouderen",), costs=("gratis",))
    figures["one_layer_after_filter_change_s"], _ = timed(
        lambda: kansenlijst(
            buurten, grid, initiatives, venues, "gemeenschappelijk", filtered, centres=centres
        ),
        repeat,
    )
    figures["total_first_run_s"] = grid_s + float(figures["all_layers_s"])
    # Weighting by residents is done once per geography, like the grid itself.
    # An urban gemeente is mostly inhabited; the country as a whole about one square in eight.
    inhabited = 0.5 if scale == "zaanstad" else 0.12
    squares = synthetic.population_squares(
        grid.parents[0][:, 0], grid.parents[0][:, 1], share=inhabited
    )
    figures["population_squares"] = len(squares)
    figures["population_weighting_s"], weighted = timed(
        lambda: weight_by_population(grid, squares).prepare(), 1
    )
    figures["all_layers_by_residents_s"], _ = timed(
        lambda: kansenlijsten(buurten, weighted, initiatives, venues, LAYERS, centres=centres),
        repeat,
    )
    return figures


# Nodes of the synthetic street networks: about Zaanstad's walkable network, and a national one.
NETWORK_NODES = {"zaanstad": 25_000, "national": 4_000_000}


def run_network(scale: str) -> dict[str, object]:
    """The same computation walking over a synthetic street network. Nationally on plain
    100 m cells (4 million), as a national network is meant to be used with a national grid."""
    from benchmarks import synthetic
    from socialbasis.analysis.coverage import WalkParams, buurt_centres
    from socialbasis.analysis.distances import OverStreet
    from socialbasis.analysis.filters import Filters
    from socialbasis.analysis.gaps import GapParams, kansenlijst, kansenlijsten
    from socialbasis.analysis.grid import build_grid

    buurten, initiatives, venues = _zaanstad() if scale == "zaanstad" else _national()
    repeat = 5 if scale == "zaanstad" else 1
    area = buurten.union_all() if scale == "zaanstad" else synthetic.region()
    start = time.perf_counter()
    network = synthetic.street_network(area, NETWORK_NODES[scale])
    figures: dict[str, object] = {
        "nodes": network.node_count,
        "edges": network.edge_count,
        "network_s": time.perf_counter() - start,
    }
    start = time.perf_counter()
    grid = build_grid(buurten, boundary_share=np.inf if scale == "national" else BOUNDARY_SHARE)
    grid = grid.prepare()
    centres = buurt_centres(buurten)
    # Done once per network and grid, like the grid itself: the graph, and snapping every
    # sample, centre and venue to its nearest walkable edge.
    walking = OverStreet(network)
    for places in (grid.xy, centres):
        walking.reached(places)
    network.graph(False)
    figures["cells"] = len(grid.x)
    figures["setup_s"] = time.perf_counter() - start
    params = GapParams(walk=WalkParams(network=network))
    figures["all_layers_s"], _ = timed(
        lambda: kansenlijsten(
            buurten, grid, initiatives, venues, LAYERS, params=params, centres=centres
        ),
        repeat,
    )
    filtered = Filters(target_groups=("ouderen",), costs=("gratis",))
    figures["one_layer_after_filter_change_s"], _ = timed(
        lambda: kansenlijst(
            buurten,
            grid,
            initiatives,
            venues,
            "gemeenschappelijk",
            filtered,
            params=params,
            centres=centres,
        ),
        repeat,
    )
    return figures


def run_straightforward(scale: str) -> dict[str, object]:
    from benchmarks.straightforward import gaps_straightforward

    buurten, initiatives, _ = _zaanstad() if scale == "zaanstad" else _national()
    seconds, _ = timed(
        lambda: [gaps_straightforward(buurten, initiatives, layer) for layer in LAYERS]
    )
    return {
        "buurten": len(buurten),
        "initiatives": len(initiatives),
        "all_layers_no_slots_s": seconds,
    }


def run_scenario(name: str) -> None:
    method, scale = name.split(":")
    runs = {"ours": run_ours, "network": run_network, "straightforward": run_straightforward}
    figures = runs[method](scale)
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"scenario": name, **figures}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["zaanstad", "national", "all"], default="all")
    parser.add_argument(
        "--straightforward", action="store_true", help="also time the straightforward way"
    )
    parser.add_argument(
        "--network-only", action="store_true", help="only the walking-network scenarios"
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_scenario(args.run)
        return
    scales = ["zaanstad", "national"] if args.scale == "all" else [args.scale]
    methods = ["ours", "network"] + (["straightforward"] if args.straightforward else [])
    if args.network_only:
        methods = ["network"]
    for scale in scales:
        for method in methods:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.gaps_benchmark", "--run", f"{method}:{scale}"],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            shown = ", ".join(
                f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                for k, v in figures.items()
                if k != "scenario"
            )
            print(f"{figures['scenario']:<26} {shown}", flush=True)


if __name__ == "__main__":
    main()

"""Shortest walks against networkx, on a random street network with steps."""

import numpy as np
import pytest
from scipy.spatial import Delaunay

from socialbasis.analysis.network import STEPS, WalkNetwork
from tests.socialbasis.network_reference import reference_nearest, reference_pairs


@pytest.fixture(scope="module")
def network() -> WalkNetwork:
    """400 crossings joined like a town's streets (a Delaunay triangulation with 40% of the
    links missing), streets 0-30% longer than straight, one in ten a flight of steps."""
    rng = np.random.default_rng(1)
    nodes = rng.uniform(0, 3000, (400, 2))
    links = set()
    for triangle in Delaunay(nodes).simplices:
        for a, b in ((0, 1), (1, 2), (0, 2)):
            links.add(tuple(sorted((int(triangle[a]), int(triangle[b])))))
    edges = np.array(sorted(links))
    edges = edges[rng.random(len(edges)) < 0.6]
    length = np.hypot(*(nodes[edges[:, 0]] - nodes[edges[:, 1]]).T) * rng.uniform(
        1, 1.3, len(edges)
    )
    kind = np.where(rng.random(len(edges)) < 0.1, STEPS, 0).astype(np.int8)
    return WalkNetwork(nodes[:, 0], nodes[:, 1], edges[:, 0], edges[:, 1], length, kind)


@pytest.mark.parametrize("avoid_steps", [False, True])
def test_nearest_and_pairs_are_networkx_shortest_paths(network, avoid_steps):
    rng = np.random.default_rng(2)
    origins_xy = rng.uniform(0, 3000, (500, 2))
    points_xy = rng.uniform(0, 3000, (30, 2))
    origins = network.snap(origins_xy, avoid_steps)
    points = network.snap(points_xy, avoid_steps)
    assert origins.reached.all()
    distance, which = network.nearest(origins, points, avoid_steps=avoid_steps)
    expected = reference_nearest(network, origins, points, avoid_steps)
    assert np.isfinite(expected).sum() > 400
    assert np.allclose(distance, expected, equal_nan=False)
    # The nearest point named is one at that distance.
    for i in np.flatnonzero(np.isfinite(expected))[:50]:
        one = points.subset(np.array([which[i]]))
        alone = network.nearest(origins.subset(np.array([i])), one, avoid_steps=avoid_steps)[0]
        assert alone[0] == pytest.approx(distance[i])
    limited, _ = network.nearest(origins, points, limit=500, avoid_steps=avoid_steps)
    assert np.array_equal(np.isfinite(limited), expected <= 500)

    o, p, d = network.pairs_within(origins_xy, origins, points_xy, points, 600, avoid_steps)
    ours = {(int(a), int(b)): float(c) for a, b, c in zip(o, p, d, strict=True)}
    reference = reference_pairs(network, origins, points, 600, avoid_steps)
    assert len(ours) == len(o) and set(ours) == set(reference) and len(reference) > 200
    assert max(abs(ours[k] - reference[k]) for k in reference) < 1e-6


def test_steps_make_walks_longer_for_a_rollator(network):
    rng = np.random.default_rng(3)
    steps = np.flatnonzero(network.kind == STEPS)
    origins_xy, points_xy = rng.uniform(0, 3000, (300, 2)), rng.uniform(0, 3000, (20, 2))
    # Activities beside a street, not beside steps (those join another street with a rollator).
    points_xy = points_xy[~np.isin(network.snap(points_xy).edge, steps)][:10]
    origins, points = network.snap(origins_xy), network.snap(points_xy)
    normal, _ = network.nearest(origins, points)
    careful, _ = network.nearest(
        network.snap(origins_xy, True), network.snap(points_xy, True), avoid_steps=True
    )
    assert (careful > normal + 1).any()
    # With the same places on the same edges, leaving out steps never shortens a walk
    # (a place beside steps joins another street with a rollator, which may be shorter).
    same = ~np.isin(origins.edge, steps)
    assert same.sum() > 250
    assert (careful[same] >= normal[same] - 1e-9).all()

"""A reference for walking distances: networkx on the network with every place inserted
into its edge, independent of the scipy search and its shortcuts."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np

from socialbasis.analysis.network import Snap, WalkNetwork


def reference_graph(
    network: WalkNetwork, places: dict[str, Snap], avoid_steps: bool = False
) -> nx.Graph:
    """The network as a networkx graph with a node (kind, i) per snapped place, joined to a
    point on its edge; the edge is split at every such point."""
    graph = nx.Graph()
    use = network.usable(avoid_steps)
    on_edge: dict[int, list[tuple[float, tuple]]] = {}
    for kind, snap in places.items():
        for i in np.flatnonzero(snap.reached):
            attach = (kind, "on", int(i))
            graph.add_edge((kind, int(i)), attach, weight=float(snap.offset[i]))
            on_edge.setdefault(int(snap.edge[i]), []).append((float(snap.along[i]), attach))
    for e in range(network.edge_count):
        if not use[e]:
            continue
        stops = sorted(on_edge.get(e, []), key=lambda item: item[0])
        chain = [(0.0, int(network.u[e])), *stops, (float(network.length[e]), int(network.v[e]))]
        for (a, first), (b, second) in itertools.pairwise(chain):
            weight = max(b - a, 0.0)
            if graph.has_edge(first, second):
                weight = min(weight, graph[first][second]["weight"])
            graph.add_edge(first, second, weight=weight)
    return graph


def reference_nearest(
    network: WalkNetwork, origins: Snap, points: Snap, avoid_steps: bool = False
) -> np.ndarray:
    graph = reference_graph(network, {"o": origins, "p": points}, avoid_steps)
    sources = [("p", int(i)) for i in np.flatnonzero(points.reached)]
    lengths = nx.multi_source_dijkstra_path_length(graph, sources) if sources else {}
    return np.array([lengths.get(("o", i), np.inf) for i in range(len(origins.edge))])


def reference_pairs(
    network: WalkNetwork, origins: Snap, points: Snap, radius: float, avoid_steps: bool = False
) -> dict[tuple[int, int], float]:
    graph = reference_graph(network, {"o": origins, "p": points}, avoid_steps)
    out = {}
    for j in np.flatnonzero(points.reached):
        lengths = nx.single_source_dijkstra_path_length(graph, ("p", int(j)), cutoff=radius)
        for node, d in lengths.items():
            if isinstance(node, tuple) and node[0] == "o" and len(node) == 2:
                out[(node[1], int(j))] = d
    return out

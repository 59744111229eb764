"""Steering the clustering to a number of services (`--services N`): the Louvain resolution that
comes closest, then clusters merged down or split up to exactly N, never into fragments.

Fragments (clusters or connected components too small to be a service, `fragment_size`) are merged
into their strongest neighbour, or set aside as islands, before clusters are counted.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from functools import partial

import networkx as nx

from strangler.boundaries.clustering import (
    Partition,
    canonical,
    induced,
    louvain,
    merge_fragments,
    modularity,
    ordered,
)

#: Resolution search bounds and steps when a service count is asked for.
RESOLUTION_LOW, RESOLUTION_HIGH, RESOLUTION_STEPS = 0.02, 50.0, 18
#: When steering to N services, a cluster smaller than this share of the mean service size
#: (N / modules) is a fragment: merged into its strongest neighbour before clusters are counted,
#: so that a two-module island does not take the place of a real service.
FRAGMENT_SHARE = 0.25


def _merge_gain(graph: nx.Graph, parts: Partition) -> tuple[int, int] | None:
    """The pair of clusters whose merge raises modularity most (or lowers it least)."""
    m = graph.size(weight="weight")
    if m == 0 or len(parts) < 2:
        return None
    label = {n: i for i, p in enumerate(parts) for n in p}
    volume = [sum(graph.degree(n, weight="weight") for n in p) for p in parts]
    between: dict[tuple[int, int], float] = defaultdict(float)
    for u, v, data in graph.edges(data=True):
        a, b = label[u], label[v]
        if a != b:
            between[(min(a, b), max(a, b))] += data["weight"]
    candidates = between or {(0, 1): 0.0}
    return max(candidates, key=partial(_merge_score, candidates, volume, m))


def _merge_score(
    between: Mapping[tuple[int, int], float], volume: list[float], m: float, pair: tuple[int, int]
) -> tuple[float, int, int]:
    """The modularity change of merging `pair`; of equal ones, the lowest indices."""
    a, b = pair
    return between[pair] / m - volume[a] * volume[b] / (2 * m * m), -a, -b


def merge_down(graph: nx.Graph, parts: Partition, count: int) -> Partition:
    current = list(parts)
    while len(current) > count:
        pair = _merge_gain(graph, current)
        if pair is None:
            break
        a, b = pair
        merged = current[a] | current[b]
        current = [p for i, p in enumerate(current) if i not in (a, b)] + [merged]
        current = ordered(current, graph)
    return current


def split_up(graph: nx.Graph, parts: Partition, count: int, seed: int, smallest: int = 1) -> Partition:
    """Split the largest clusters in two (Louvain inside them at rising resolution) up to `count`;
    never into a piece of fewer than `smallest` modules (a fragment: the code supports no more
    services, and `propose` says so rather than returning one-module services)."""
    current = list(parts)
    stuck: set[frozenset[str]] = set()
    while len(current) < count:
        candidates = [p for p in current if len(p) > 1 and p not in stuck]
        if not candidates:
            break
        biggest = max(candidates, key=partial(_split_order, graph))
        sub = canonical(induced(graph, biggest))
        pieces: Partition = []
        for resolution in (1.0, 2.0, 4.0, 8.0, 16.0):
            pieces = merge_down(sub, louvain(sub, resolution, seed), 2)
            if len(pieces) == 2:
                break
        if len(pieces) < 2 or min(len(p) for p in pieces) < smallest:
            stuck.add(biggest)
            continue
        current = ordered([p for p in current if p != biggest] + pieces, graph)
    return current


def _split_order(graph: nx.Graph, part: frozenset[str]) -> tuple[int, int]:
    """The largest part first; of equal ones, the one whose smallest module is smallest."""
    return len(part), -min(graph.nodes[n].get("loc", 0) for n in part)


def fragment_size(nodes: int, count: int | None) -> int:
    """The size below which a cluster is a fragment when steering `nodes` modules to `count`."""
    if count is None:
        return 2
    return max(2, round(FRAGMENT_SHARE * nodes / max(1, count)))


def islands(graph: nx.Graph, count: int | None) -> set[str]:
    """Modules of connected components too small to be a service (see `fragment_size`), once the
    kernel is out: nothing links them to the rest, so they would only take a service's place."""
    smallest = fragment_size(graph.number_of_nodes(), count)
    found: set[str] = set()
    for component in nx.connected_components(graph):
        if len(component) < smallest:
            found |= component
    return found


def steer(graph: nx.Graph, count: int, seed: int) -> tuple[Partition, float]:
    """A partition with `count` clusters: the resolution whose Louvain result comes closest (from
    above, then merged down), else split up. Returns it with the resolution used."""
    best: tuple[int, float, float, Partition] | None = None
    low, high = math.log(RESOLUTION_LOW), math.log(RESOLUTION_HIGH)
    smallest = fragment_size(graph.number_of_nodes(), count)
    for _ in range(RESOLUTION_STEPS):
        middle = (low + high) / 2
        resolution = math.exp(middle)
        parts = merge_fragments(graph, louvain(graph, resolution, seed), smallest)
        found = len(parts)
        # prefer exact, then the smallest overshoot, then undershoot
        distance = 0 if found == count else (found - count if found > count else 1000 + count - found)
        score = modularity(graph, parts)
        if best is None or (distance, -score) < (best[0], -best[1]):
            best = (distance, score, resolution, parts)
        if found == count:
            break
        if found < count:
            low = middle
        else:
            high = middle
    assert best is not None
    return fit(graph, best[3], count, seed, smallest), best[2]


def steer_at(graph: nx.Graph, count: int, seed: int, resolution: float) -> Partition:
    """As `steer`, at a resolution already found by it (the other seeds of one proposal)."""
    smallest = fragment_size(graph.number_of_nodes(), count)
    parts = merge_fragments(graph, louvain(graph, resolution, seed), smallest)
    return fit(graph, parts, count, seed, smallest)


def fit(graph: nx.Graph, parts: Partition, count: int, seed: int, smallest: int = 1) -> Partition:
    """`parts` merged down or split up to exactly `count` clusters, as far as the graph allows
    without pieces smaller than `smallest` modules."""
    if len(parts) > count:
        parts = merge_down(graph, parts, count)
    elif len(parts) < count:
        parts = split_up(graph, parts, count, seed, smallest)
    return parts

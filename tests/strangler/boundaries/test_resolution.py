"""The free clustering's resolution grows with the graph (`clustering.scaled_resolution`).

Plain modularity has a resolution limit: on a ring of cliques, each clique tied to the next by one
edge, it merges neighbouring cliques once there are more of them than about the square root of the
graph's edges (Fortunato and Barthelemy, 2007). Services keep their size as a codebase grows, so a
large monolith cut at resolution 1 comes out in too few, too large services.
"""

from __future__ import annotations

import networkx as nx
import pytest

from analyzers.model import Codebase
from strangler.boundaries import clustering, propose
from strangler.boundaries.settings import BoundaryOptions, parse_signals
from tests.builders import codebase

CLIQUE = 5


def _ring_of_cliques(count: int) -> nx.Graph:
    graph = nx.Graph()
    for c in range(count):
        members = [f"c{c:03d}m{i}" for i in range(CLIQUE)]
        graph.add_nodes_from(members, loc=10)
        graph.add_weighted_edges_from((a, b, 1.0) for i, a in enumerate(members) for b in members[i + 1 :])
        graph.add_edge(members[0], f"c{(c + 1) % count:03d}m1", weight=1.0)
    return graph


def _cliques_found(parts: clustering.Partition, count: int) -> int:
    """How many cliques came out as a cluster of their own, whole."""
    wanted = {frozenset(f"c{c:03d}m{i}" for i in range(CLIQUE)) for c in range(count)}
    return len(wanted & set(parts))


def test_the_resolution_is_the_potts_density_threshold_at_the_graphs_size() -> None:
    graph = _ring_of_cliques(40)
    n, m = graph.number_of_nodes(), graph.size(weight="weight")
    assert clustering.scaled_resolution(graph, density=0.01, lowest=0.0) == pytest.approx(
        0.01 * n * n / (2 * m)
    )
    # doubling the graph doubles the resolution (a constant threshold per pair, not per graph)
    bigger = _ring_of_cliques(80)
    assert clustering.scaled_resolution(bigger, density=0.01, lowest=0.0) == pytest.approx(
        2 * clustering.scaled_resolution(graph, density=0.01, lowest=0.0), rel=1e-6
    )
    # never below the floor: a small graph is cut as plain modularity cuts it
    assert clustering.scaled_resolution(_ring_of_cliques(3), density=0.01, lowest=1.0) == 1.0
    assert clustering.scaled_resolution(nx.empty_graph(4)) == 1.0


#: A density at which two cliques of the ring tied by one edge stay apart (merging them costs
#: DENSITY * 5 * 5 in units of the mean degree, more than their one tie).
RING_DENSITY = 0.1


@pytest.mark.parametrize("count", [40, 160])
def test_a_ring_of_cliques_is_cut_into_its_cliques_at_any_size(count: int) -> None:
    graph = clustering.canonical(_ring_of_cliques(count))
    scaled = clustering.louvain(graph, clustering.scaled_resolution(graph, RING_DENSITY, 0.0), seed=0)
    assert _cliques_found(scaled, count) == count


def test_plain_modularity_merges_the_cliques_of_a_large_ring() -> None:
    """Control: the limit the scaled resolution removes is there at resolution 1."""
    count = 160
    plain = clustering.louvain(clustering.canonical(_ring_of_cliques(count)), 1.0, seed=0)
    assert _cliques_found(plain, count) < count / 2


def _ring_codebase(count: int) -> Codebase:
    """The ring of cliques as code: each clique a capability with a route and a table."""
    graph = _ring_of_cliques(count)
    routes = [(f"/c{c:03d}/", f"c{c:03d}m0") for c in range(count)]
    tables = [(f"t{c:03d}", f"c{c:03d}m0") for c in range(count)]
    return codebase(sorted(graph.nodes), imports=sorted(graph.edges), routes=routes, tables=tables)


def test_a_free_proposal_uses_the_scaled_resolution_unless_one_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count = 160
    monkeypatch.setattr(clustering, "DENSITY", RING_DENSITY)
    cb = _ring_codebase(count)
    blind = tuple(sorted(parse_signals("imports").items()))
    free = propose(cb, options=BoundaryOptions(weights=blind))
    fixed = propose(cb, options=BoundaryOptions(weights=blind, resolution=1.0))
    assert len(free.services) >= 0.9 * count
    assert len(fixed.services) < 0.6 * count

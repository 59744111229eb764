"""Community detection on the undirected coupling graph: Louvain, refined, and blind to names
(steered to a number of services by `steering`).

Louvain in networkx visits nodes in the graph's insertion order (shuffled by the seed), so the same
graph with other module names would cluster differently. `canonical()` therefore rebuilds the graph
in an order computed from structure alone (lines of code, weighted degree, and a few rounds of
Weisfeiler-Lehman refinement over neighbours' labels); names only break ties between nodes that are
structurally identical.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import partial

import networkx as nx

Partition = list[frozenset[str]]

#: Refinement passes of single-module moves.
REFINE_PASSES = 10
#: Exponent of the degree correction of edge weights before clustering (see `normalised`);
#: measured: 0.5 beats 0.25, 0.35 and 0.75 on all three benchmark corpora (docs/boundaries.md).
DEGREE_CORRECTION = 0.5
#: Density threshold of the free clustering (see `scaled_resolution`), and the lowest resolution it
#: gives (a small tree is not cut coarser than plain modularity would cut it below this).
DENSITY, LOWEST_RESOLUTION = 0.0025, 1.0


def normalised(graph: nx.Graph, alpha: float = DEGREE_CORRECTION) -> nx.Graph:
    """Degree-corrected weights w_ij / (s_i s_j) ** alpha, s the weighted degree (alpha 0.5: a
    cosine-style weight). A hub tied to many capabilities no longer welds them together: its
    edges weigh little against the ties of two modules that mostly talk to each other."""
    if alpha <= 0.0:
        return graph
    strength = {n: graph.degree(n, weight="weight") for n in graph.nodes}
    result = nx.Graph()
    result.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        scale = (strength[u] * strength[v]) ** alpha
        result.add_edge(u, v, weight=data["weight"] / scale if scale else 0.0)
    return result


def scaled_resolution(graph: nx.Graph, density: float | None = None, lowest: float | None = None) -> float:
    """The modularity resolution at which Louvain on `graph` behaves as the constant Potts model
    with threshold `density`: gamma = density * n^2 / 2m, so that merging two modules of mean degree
    costs `density` whatever the size of the graph. Plain modularity (gamma 1) has a resolution
    limit: its clusters grow with the square root of the graph, while services keep their size
    as a codebase grows (ground truth of the development set: one service per 9-33 modules)."""
    density = DENSITY if density is None else density
    lowest = LOWEST_RESOLUTION if lowest is None else lowest
    n, m = int(graph.number_of_nodes()), float(graph.size(weight="weight"))
    if n == 0 or m <= 0.0:
        return 1.0
    return max(lowest, density * n * n / (2.0 * m))


def induced(graph: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """The subgraph on `nodes` as a plain graph (node attributes and `weight` only): cheaper to
    build than to read through a networkx subgraph view, which filters every access."""
    keep = set(nodes)
    result = nx.Graph()
    result.add_nodes_from((n, graph.nodes[n]) for n in graph if n in keep)
    result.add_weighted_edges_from(
        (u, v, data["weight"])
        for u, around in graph.adj.items()
        if u in keep
        for v, data in around.items()
        if v in keep and u < v
    )
    return result


def canonical(graph: nx.Graph) -> nx.Graph:
    """The same graph, nodes and adjacency inserted in a structure-only order."""
    adjacency = _adjacency(graph)
    rank = structural_rank(graph, adjacency=adjacency)
    key = {n: (rank[n], n) for n in adjacency}
    ordered_nodes = sorted(adjacency, key=key.__getitem__)
    result = nx.Graph()
    result.add_nodes_from((n, graph.nodes[n]) for n in ordered_nodes)
    edges = [
        (u, v) if key[u] < key[v] else (v, u) for u, around in adjacency.items() for v in around if u < v
    ]
    edges.sort(key=partial(_pair_key, key))
    result.add_weighted_edges_from((u, v, adjacency[u][v]) for u, v in edges)
    return result


def _adjacency(graph: nx.Graph) -> dict[str, dict[str, float]]:
    """Plain dicts of the weights (reading a networkx subgraph view edge by edge is slow)."""
    return {n: {v: float(d["weight"]) for v, d in around.items()} for n, around in graph.adjacency()}


def structural_rank(
    graph: nx.Graph, rounds: int = 3, *, adjacency: Mapping[str, Mapping[str, float]] | None = None
) -> dict[str, int]:
    """A rank per node from its size, weighted degree and (iteratively) its neighbours' ranks."""
    adjacency = adjacency if adjacency is not None else _adjacency(graph)
    labels: dict[str, tuple[float, ...]] = {
        n: (
            float(graph.nodes[n].get("loc", 0)),
            round(sum(around.values()) + around.get(n, 0.0), 4),
            float(len(around) + (1 if n in around else 0)),
        )
        for n, around in adjacency.items()
    }
    rank = _compress(labels)
    rounded = {n: [(v, round(w, 4)) for v, w in around.items()] for n, around in adjacency.items()}
    for _ in range(rounds):
        signatures: dict[str, tuple[float, ...]] = {}
        for node, around_weights in rounded.items():
            around = sorted((rank[v], w) for v, w in around_weights)
            signatures[node] = (float(rank[node]), *(x for pair in around for x in pair))
        new_rank = _compress(signatures)
        if len(set(new_rank.values())) == len(set(rank.values())):
            rank = new_rank
            break
        rank = new_rank
    return rank


def _compress(labels: Mapping[str, tuple[float, ...]]) -> dict[str, int]:
    distinct = {label: i for i, label in enumerate(sorted(set(labels.values())))}
    return {node: distinct[label] for node, label in labels.items()}


def _pair_key(
    key: Mapping[str, tuple[int, str]], edge: tuple[str, str]
) -> tuple[tuple[int, str], tuple[int, str]]:
    return key[edge[0]], key[edge[1]]


def _first_position(position: Mapping[str, int], part: frozenset[str]) -> int:
    return min(position[n] for n in part)


def _most_then_lowest(weights: Mapping[int, float], index: int) -> tuple[float, int]:
    """The heaviest cluster; of equal ones, the lowest index."""
    return weights[index], -index


def ordered(parts: Iterable[Iterable[str]], graph: nx.Graph) -> Partition:
    """Parts as frozensets in canonical order (by the first node of each in the graph's order)."""
    position = {n: i for i, n in enumerate(graph.nodes)}
    frozen = [frozenset(p) for p in parts if p]
    return sorted(frozen, key=partial(_first_position, position))


def louvain(graph: nx.Graph, resolution: float, seed: int) -> Partition:
    if graph.number_of_edges() == 0:
        return ordered(([n] for n in graph.nodes), graph)
    parts = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    return ordered(parts, graph)


def modularity(graph: nx.Graph, parts: Partition, resolution: float = 1.0) -> float:
    """Newman's weighted modularity (as networkx computes it, without its per-call overhead)."""
    label = {n: i for i, p in enumerate(parts) for n in p}
    inside = [0.0] * len(parts)
    volume = [0.0] * len(parts)
    total = 0.0
    for u, v, weight in graph.edges(data="weight", default=1.0):
        a = label[u]
        volume[a] += weight
        volume[label[v]] += weight
        total += weight
        if a == label[v]:
            inside[a] += weight
    if total == 0.0:
        return 0.0
    return sum(inside[i] / total - resolution * (volume[i] / (2 * total)) ** 2 for i in range(len(parts)))


def merge_fragments(graph: nx.Graph, parts: Partition, min_size: int = 2) -> Partition:
    """Clusters smaller than `min_size` joined to the neighbouring cluster they are tied to most."""
    current = [set(p) for p in parts]
    while True:
        label = {n: i for i, p in enumerate(current) for n in p}
        small = [i for i, p in enumerate(current) if len(p) < min_size]
        moved = False
        for index in small:
            ties: dict[int, float] = defaultdict(float)
            for node in current[index]:
                for other, data in graph[node].items():
                    if label[other] != index:
                        ties[label[other]] += data["weight"]
            if ties:
                target = max(ties, key=partial(_most_then_lowest, ties))
                current[target] |= current[index]
                current[index] = set()
                moved = True
                break
        current = [p for p in current if p]
        if not moved:
            return ordered(current, graph)


def refine(graph: nx.Graph, parts: Partition, resolution: float = 1.0) -> Partition:
    """Move single modules to the neighbouring cluster where modularity rises; never empty one."""
    m = graph.size(weight="weight")
    if m == 0:
        return parts
    label = {n: i for i, p in enumerate(parts) for n in p}
    sizes = [len(p) for p in parts]
    volume = [sum(graph.degree(n, weight="weight") for n in p) for p in parts]
    for _ in range(REFINE_PASSES):
        moved = 0
        for node in graph.nodes:
            home = label[node]
            if sizes[home] <= 1:
                continue
            degree = graph.degree(node, weight="weight")
            ties: dict[int, float] = defaultdict(float)
            for other, data in graph[node].items():
                if other != node:
                    ties[label[other]] += data["weight"]
            stay = ties.get(home, 0.0) / m - resolution * degree * (volume[home] - degree) / (2 * m * m)
            best, best_gain = home, 0.0
            for target, weight in ties.items():
                if target == home:
                    continue
                join = weight / m - resolution * degree * volume[target] / (2 * m * m)
                gain = join - stay
                if gain > best_gain + 1e-12:
                    best, best_gain = target, gain
            if best != home:
                label[node] = best
                sizes[home] -= 1
                sizes[best] += 1
                volume[home] -= degree
                volume[best] += degree
                moved += 1
        if not moved:
            break
    grouped: dict[int, set[str]] = defaultdict(set)
    for node, index in label.items():
        grouped[index].add(node)
    return ordered(grouped.values(), graph)


def align(primary: Partition, other: Partition) -> dict[str, bool]:
    """For each node of `primary`: whether `other` agrees, once each of its clusters is mapped to
    the primary cluster it overlaps most."""
    home = {n: i for i, p in enumerate(primary) for n in p}
    agree: dict[str, bool] = {n: False for n in home}
    for part in other:
        overlap: dict[int, int] = defaultdict(int)
        for node in part:
            if node in home:
                overlap[home[node]] += 1
        if not overlap:
            continue
        target = max(overlap, key=partial(_most_then_lowest, overlap))
        for node in part:
            if node in home and home[node] == target:
                agree[node] = True
    return agree

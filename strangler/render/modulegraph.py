"""The module-level view: modules grouped by service, bounded in size before Graphviz sees it.

Graphviz's `dot` is super-linear in nodes and edges; pydeps and friends hand it whole codebases
and wait minutes. Here the view is bounded first: while there are more nodes than `max_nodes`,
modules are folded into their package (deepest packages first, and among those the ones that
save the most nodes first), separately per service, so a package split across two services
stays split. `focus` keeps one service and only the modules of other services it touches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.render.servicegraph import service_graph

DEFAULT_MAX_NODES = 150
DEFAULT_MAX_EDGES = 300
#: Over the edge budget, each box keeps at most this many of its strongest outgoing edges inside
#: its own service, and this many into the shared kernel, before the global cut by importance.
INTRA_PER_NODE = 2
KERNEL_PER_NODE = 1


@dataclass(frozen=True, slots=True, order=True)
class ModuleNode:
    """A module, or a package folded from several modules of one service."""

    key: str  # unique node id: the module name, or "<package>.* [<service>]" when folded
    name: str  # module name or package prefix
    service: str
    members: int  # modules folded into this node
    loc: int
    folded: bool = False


@dataclass(frozen=True, slots=True, order=True)
class ModuleEdge:
    source: str  # node key
    target: str  # node key
    weight: int  # import statements and references between the modules, distinct by line
    cross: bool  # source and target belong to different services
    in_cycle: bool = False  # in an import/reference cycle between boxes
    # Crosses a service dependency to invert: one of the service view's feedback edges (the
    # fewest whose removal breaks every cycle between services).
    feedback: bool = False


@dataclass(frozen=True, slots=True)
class ModuleView:
    nodes: tuple[ModuleNode, ...]  # sorted by service, then key
    edges: tuple[ModuleEdge, ...]  # sorted
    services: tuple[str, ...]  # services with at least one node, sorted
    focus: str | None = None
    modules: int = 0  # modules shown (before folding)
    folded: int = 0  # modules hidden inside folded package nodes
    hidden_edges: int = 0  # edges between boxes left out to stay within `max_edges`
    hidden_cross: int = 0  # of those, edges between two services other than the kernel


def module_edges(codebase: Codebase) -> dict[tuple[str, str], int]:
    """Weight per (source, target) module pair: distinct lines that import or reference."""
    sites: dict[tuple[str, str], set[int]] = defaultdict(set)
    for imp in codebase.imports:
        if imp.source != imp.target:
            sites[(imp.source, imp.target)].add(imp.line)
    for ref in codebase.references:
        if ref.source != ref.target:
            sites[(ref.source, ref.target)].add(ref.line)
    return {pair: len(lines) for pair, lines in sites.items()}


def _parent(prefix: str) -> str:
    return prefix.rpartition(".")[0]


def _depth(prefix: str) -> int:
    return prefix.count(".") + 1


Group = tuple[str, str]  # (module name or package prefix, service)


def fold(groups: dict[Group, frozenset[str]], max_nodes: int) -> dict[Group, frozenset[str]]:
    """Fold groups into their packages, deepest first, until at most `max_nodes` remain.

    Stops early at top-level packages: a view cannot fold further without losing the services.
    """
    groups = dict(groups)
    while len(groups) > max_nodes:
        depth = max(_depth(prefix) for prefix, _ in groups)
        if depth <= 1:
            break
        merges: dict[Group, list[Group]] = defaultdict(list)
        for group in groups:
            if _depth(group[0]) == depth:
                merges[(_parent(group[0]), group[1])].append(group)
        # Folding k groups into a parent that already exists saves k nodes, otherwise k - 1.
        ranked = sorted(merges.items(), key=partial(_most_saved, groups))
        for parent, children in ranked:
            members = set(groups.get(parent, frozenset()))
            for child in children:
                members |= groups.pop(child)
            groups[parent] = frozenset(members)
            if len(groups) <= max_nodes:
                break
    return groups


def module_view(
    codebase: Codebase,
    decomposition: Decomposition,
    *,
    focus: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_edges: int = DEFAULT_MAX_EDGES,
) -> ModuleView:
    """The module view of `decomposition`; `focus` must name a service (KeyError otherwise)."""
    owner = decomposition.service_of()
    weights = {pair: w for pair, w in module_edges(codebase).items() if pair[0] in owner and pair[1] in owner}
    shown = set(owner)
    if focus is not None:
        weights, shown = _focused(owner, weights, focus)
    groups = fold({(m, owner[m]): frozenset({m}) for m in shown}, max(1, max_nodes))
    nodes, key_of = _boxes(codebase, groups)
    service_of_key = {n.key: n.service for n in nodes}
    every = _box_edges(codebase, decomposition, _summed(weights, key_of), service_of_key)
    kept = bound_edges(every, service_of_key, max(0, max_edges))
    hidden = [e for e in every if e not in kept]
    return ModuleView(
        nodes=tuple(sorted(nodes, key=_by_service)),
        edges=tuple(sorted(kept)),
        services=tuple(sorted({n.service for n in nodes})),
        focus=focus,
        modules=len(shown),
        folded=sum(n.members for n in nodes if n.folded),
        hidden_edges=len(hidden),
        hidden_cross=sum(
            1
            for e in hidden
            if e.cross and SHARED_KERNEL not in (service_of_key[e.source], service_of_key[e.target])
        ),
    )


def _by_service(node: ModuleNode) -> tuple[str, str]:
    return node.service, node.key


#: (source module, target module) → weight.
_Weights = dict[tuple[str, str], int]


def _focused(owner: Mapping[str, str], weights: _Weights, focus: str) -> tuple[_Weights, set[str]]:
    """The edges touching the service `focus`, and the modules they join (its own included)."""
    if focus not in set(owner.values()):
        raise KeyError(focus)
    inside = {m for m, s in owner.items() if s == focus}
    weights = {p: w for p, w in weights.items() if p[0] in inside or p[1] in inside}
    return weights, inside | {m for pair in weights for m in pair}


def _boxes(
    codebase: Codebase, groups: Mapping[tuple[str, str], frozenset[str]]
) -> tuple[list[ModuleNode], dict[str, str]]:
    """One box per (prefix, service) group, and module → the key of its box."""
    loc = {m.name: m.loc for m in codebase.modules}
    key_of: dict[str, str] = {}
    nodes = []
    for (prefix, service), members in groups.items():
        folded = members != {prefix}
        key = f"{prefix}.* [{service}]" if folded else prefix
        key_of.update((m, key) for m in members)
        nodes.append(
            ModuleNode(key, prefix, service, len(members), sum(loc.get(m, 0) for m in members), folded)
        )
    return nodes, key_of


def _summed(weights: _Weights, key_of: Mapping[str, str]) -> _Weights:
    """The module edges summed per pair of boxes (edges inside a box dropped)."""
    summed: dict[tuple[str, str], int] = defaultdict(int)
    for (a, b), weight in weights.items():
        ka, kb = key_of[a], key_of[b]
        if ka != kb:
            summed[(ka, kb)] += weight
    return summed


def _box_edges(
    codebase: Codebase, decomposition: Decomposition, summed: _Weights, service_of_key: Mapping[str, str]
) -> list[ModuleEdge]:
    digraph: nx.DiGraph = nx.DiGraph()
    digraph.add_edges_from(sorted(summed))
    component = {
        key: i for i, c in enumerate(nx.strongly_connected_components(digraph)) if len(c) > 1 for key in c
    }
    # the same dependencies to invert as the service view marks (wiring closes no cycle there)
    invert = {(e.source, e.target) for e in service_graph(codebase, decomposition).edges if e.feedback}
    return [
        ModuleEdge(
            a,
            b,
            w,
            service_of_key[a] != service_of_key[b],
            a in component and component.get(a) == component.get(b),
            (service_of_key[a], service_of_key[b]) in invert,
        )
        for (a, b), w in summed.items()
    ]


def _importance(edge: ModuleEdge, service_of: dict[str, str]) -> int:
    """1 for cross-service edges, 2 intra-service, 3 into the kernel (which every service uses)."""
    if edge.cross and service_of[edge.target] == SHARED_KERNEL:
        return 3
    return 1 if edge.cross else 2


def bound_edges(edges: list[ModuleEdge], service_of: dict[str, str], max_edges: int) -> set[ModuleEdge]:
    """At most `max_edges` edges, the most telling ones, when there are more.

    Cross-service edges are what the view is for, so they go first, heaviest first; inside a
    service only the `INTRA_PER_NODE` strongest edges of each box stay, so the
    clusters keep their shape; into the kernel (which every service uses) only the
    `KERNEL_PER_NODE` strongest per box. Then the budget is filled by importance and weight.
    """
    if len(edges) <= max_edges:
        return set(edges)
    per_node: dict[tuple[str, int], list[ModuleEdge]] = defaultdict(list)
    for edge in edges:
        per_node[(edge.source, _importance(edge, service_of))].append(edge)
    limit = {2: INTRA_PER_NODE, 3: KERNEL_PER_NODE}
    candidates = []
    for (_, rank), group in per_node.items():
        group.sort(key=_heaviest_first)
        candidates += group[: limit.get(rank, len(group))]
    candidates.sort(key=partial(_budget_order, service_of))
    return set(candidates[:max_edges])


def _heaviest_first(edge: ModuleEdge) -> tuple[int, str]:
    return -edge.weight, edge.target


def _budget_order(service_of: dict[str, str], edge: ModuleEdge) -> tuple[int, int, str, str]:
    """By importance (`_importance`), then heaviest first, then by name."""
    return _importance(edge, service_of), -edge.weight, edge.source, edge.target


def _most_saved(groups: Mapping[Group, frozenset[str]], fold: tuple[Group, list[Group]]) -> tuple[int, Group]:
    """The fold saving most boxes first: k groups into a parent that exists save k, else k - 1."""
    parent, children = fold
    return -(len(children) - (parent not in groups)), parent

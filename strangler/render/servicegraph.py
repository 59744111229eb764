"""The service-level view: who depends on whom, through which call sites and which tables.

Computed from the facts (`Codebase.references`, `imports`, `accesses`) and a `Decomposition`,
never from a coupling graph, so an edited `--boundaries` file is drawn exactly as written.
A code edge `a -> b` means modules of service `a` use modules of service `b`: that is the API
service `b` will have to offer once cut. A data edge joins services that touch the same table.
Dependency cycles are the strongly connected components of the code edges: a cycle between
services means neither can be extracted without an interface both ways.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.render.wiring import wiring_pairs

#: The element id of the shared kernel's box.
KERNEL_ID = "svc-kernel"


@dataclass(frozen=True, slots=True, order=True)
class ServiceNode:
    """One box of the service view (a service or the shared kernel)."""

    name: str
    node_id: str  # the SVG element id, stable and safe in HTML (matches the report's data)
    modules: int
    loc: int
    routes: int
    tables: int  # owned tables
    shared_tables: int = 0
    kernel: bool = False
    in_cycle: bool = False


@dataclass(frozen=True, slots=True, order=True)
class ServiceEdge:
    """Modules of `source` use modules of `target`."""

    source: str
    target: str
    call_sites: int  # distinct (module, line) references across the cut
    imports: int  # distinct (module, line) import statements across the cut
    in_cycle: bool = False  # both ends in the same dependency cycle
    # One of the fewest (by weight) dependencies whose removal breaks every cycle: these point
    # against the flow, and are the ones to invert (events, callbacks) before a cut.
    feedback: bool = False
    shared_tables: tuple[str, ...] = ()  # tables both ends use (on one direction of a pair only)
    # Every module pair across this edge only registers/holds the other (blueprints, routers,
    # subscriber modules: see `wiring`); such edges are drawn dashed and close no cycle.
    wires: bool = False

    @property
    def weight(self) -> int:
        """Call sites when the analysis found any, else imports: the size of the future API."""
        return self.call_sites or self.imports


@dataclass(frozen=True, slots=True, order=True)
class DataEdge:
    """Services `a` < `b` both read or write `tables`."""

    a: str
    b: str
    tables: tuple[str, ...]
    drawn: bool = True  # False when a code edge between a and b already carries the tables


@dataclass(frozen=True, slots=True)
class ServiceGraph:
    """Everything the service view draws, sorted."""

    nodes: tuple[ServiceNode, ...]
    edges: tuple[ServiceEdge, ...]
    data_edges: tuple[DataEdge, ...]
    cycles: tuple[tuple[str, ...], ...]  # each a sorted group of services depending on each other

    def node(self, name: str) -> ServiceNode:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)


def node_ids(decomposition: Decomposition) -> dict[str, str]:
    """SVG/HTML element id per service name: `svc-<n>-<slug>`, unique even for odd names."""
    ids = {SHARED_KERNEL: KERNEL_ID}
    for index, service in enumerate(sorted(s.name for s in decomposition.services), start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", service.lower()).strip("-")
        ids[service] = f"svc-{index}-{slug}" if slug else f"svc-{index}"
    return ids


def _distinct_sites(
    pairs: list[tuple[str, str, str, int]],
) -> dict[tuple[str, str], int]:
    """Count distinct (module, line) sites per (source service, target service)."""
    sites: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
    for src_service, dst_service, module, line in pairs:
        sites[(src_service, dst_service)].add((module, line))
    return {key: len(value) for key, value in sites.items()}


def feedback_edges(weights: dict[tuple[str, str], int], members: frozenset[str]) -> set[tuple[str, str]]:
    """Edges inside `members` that point backwards in a greedy order (Eades, Lin & Smyth 1993).

    Nodes are placed one at a time, the one with the most outgoing minus incoming weight (among
    those left) first, so heavy dependencies point forwards; the edges left pointing backwards
    form a small feedback arc set. Ties break by name, so the result is deterministic.
    """
    remaining = set(members)
    position: dict[str, int] = {}
    inner = {pair: w for pair, w in weights.items() if pair[0] in members and pair[1] in members}
    while remaining:
        chosen = min((-_balance(inner, n, remaining), n) for n in remaining)[1]
        position[chosen] = len(position)
        remaining.remove(chosen)
    return {(a, b) for (a, b) in inner if position[a] > position[b]}


def _balance(inner: dict[tuple[str, str], int], node: str, remaining: set[str]) -> int:
    """Outgoing minus incoming weight of `node` among the nodes not placed yet."""
    out = sum(w for (a, b), w in inner.items() if a == node and b in remaining)
    into = sum(w for (a, b), w in inner.items() if b == node and a in remaining)
    return out - into


#: (source service, target service, module, line): one use or import across the cut.
_Site = tuple[str, str, str, int]


@dataclass(frozen=True, slots=True)
class _Crossings:
    """The uses and imports across the cut, by (source service, target service)."""

    calls: dict[tuple[str, str], int]  # distinct (module, line) references
    imports: dict[tuple[str, str], int]  # distinct (module, line) import statements
    plain: frozenset[tuple[str, str]]  # pairs with at least one module pair that is not wiring
    pairs: frozenset[tuple[str, str]]  # pairs with a use or an import


@dataclass(frozen=True, slots=True)
class _Cycles:
    """The dependency cycles between services (wiring left out), and where to break them."""

    groups: tuple[tuple[str, ...], ...]
    cyclic: dict[str, int]  # service → its group
    feedback: frozenset[tuple[str, str]]

    def joins(self, a: str, b: str) -> bool:
        """Whether `a` and `b` are in the same cycle."""
        return a in self.cyclic and self.cyclic.get(a) == self.cyclic.get(b)


@dataclass(frozen=True, slots=True)
class _Tables:
    """Who touches which table: service sets per table, and shared tables per pair a < b."""

    touching: dict[str, set[str]]
    shared: dict[tuple[str, str], set[str]]

    def on(self, a: str, b: str, pairs: frozenset[tuple[str, str]]) -> tuple[str, ...]:
        """Shared tables of a pair ride on a -> b, or on b -> a when only that direction exists."""
        key = (min(a, b), max(a, b))
        if key not in self.shared or ((a, b) != key and key in pairs):
            return ()
        return tuple(sorted(self.shared[key]))

    def count(self, name: str) -> int:
        """Tables `name` touches with some other service."""
        return sum(1 for services in self.touching.values() if name in services and len(services) > 1)


def service_graph(codebase: Codebase, decomposition: Decomposition) -> ServiceGraph:
    """The service view of `decomposition` over the facts of `codebase`."""
    owner = decomposition.service_of()
    crossings = _crossings(codebase, owner)
    cycles = _cycles(owner, decomposition, crossings)
    tables = _tables(codebase, owner)
    pairs = crossings.pairs
    edges = tuple(sorted(_edge(crossings, cycles, tables, pair) for pair in pairs))
    data_edges = tuple(
        DataEdge(a, b, tuple(sorted(t)), drawn=(a, b) not in pairs and (b, a) not in pairs)
        for (a, b), t in sorted(tables.shared.items())
    )
    nodes = _nodes(codebase, decomposition, cycles, tables)
    return ServiceGraph(tuple(sorted(nodes)), edges, data_edges, cycles.groups)


def _crossing(owner: Mapping[str, str], source: str, target: str) -> tuple[str, str] | None:
    """The (source, target) services of a module pair, when it crosses the cut."""
    a, b = owner.get(source), owner.get(target)
    if a is None or b is None or a == b:
        return None
    return a, b


def _crossings(codebase: Codebase, owner: Mapping[str, str]) -> _Crossings:
    refs: list[_Site] = []
    for ref in codebase.references:
        pair = _crossing(owner, ref.source, ref.target)
        if pair:
            refs.append((*pair, ref.source, ref.line))
    imps: list[_Site] = []
    for imp in codebase.imports:
        pair = _crossing(owner, imp.source, imp.target)
        if pair:
            imps.append((*pair, imp.source, imp.line))
    wiring = wiring_pairs(codebase)
    plain: set[tuple[str, str]] = set()
    module_pairs = [(r.source, r.target) for r in codebase.references]
    module_pairs += [(i.source, i.target) for i in codebase.imports]
    for source, target in module_pairs:
        pair = _crossing(owner, source, target)
        if pair and (source, target) not in wiring:
            plain.add(pair)
    calls, imports = _distinct_sites(refs), _distinct_sites(imps)
    return _Crossings(calls, imports, frozenset(plain), frozenset({*calls, *imports}))


def _cycles(owner: Mapping[str, str], decomposition: Decomposition, crossings: _Crossings) -> _Cycles:
    digraph: nx.DiGraph = nx.DiGraph()
    digraph.add_nodes_from(sorted({*owner.values(), *(s.name for s in decomposition.services)}))
    digraph.add_edges_from(sorted(crossings.plain))  # wiring alone closes no cycle
    groups = tuple(sorted(tuple(sorted(c)) for c in nx.strongly_connected_components(digraph) if len(c) > 1))
    calls, imports = crossings.calls, crossings.imports
    weight = {pair: calls.get(pair, 0) or imports.get(pair, 0) for pair in crossings.plain}
    feedback: set[tuple[str, str]] = set()
    for group in groups:
        feedback |= feedback_edges(weight, frozenset(group))
    cyclic = {name: i for i, group in enumerate(groups) for name in group}
    return _Cycles(groups, cyclic, frozenset(feedback))


def _tables(codebase: Codebase, owner: Mapping[str, str]) -> _Tables:
    touching: dict[str, set[str]] = defaultdict(set)
    for access in codebase.accesses:
        service = owner.get(access.module)
        if service is not None:
            touching[access.table].add(service)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for table, services in touching.items():
        ordered = sorted(services)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                shared[(a, b)].add(table)
    return _Tables(touching, shared)


def _edge(crossings: _Crossings, cycles: _Cycles, tables: _Tables, pair: tuple[str, str]) -> ServiceEdge:
    a, b = pair
    plain = pair in crossings.plain
    return ServiceEdge(
        a,
        b,
        crossings.calls.get(pair, 0),
        crossings.imports.get(pair, 0),
        plain and cycles.joins(a, b),
        pair in cycles.feedback,
        tables.on(a, b, crossings.pairs),
        not plain,
    )


def _nodes(
    codebase: Codebase, decomposition: Decomposition, cycles: _Cycles, tables: _Tables
) -> list[ServiceNode]:
    ids = node_ids(decomposition)
    loc = {m.name: m.loc for m in codebase.modules}
    nodes = [
        ServiceNode(
            name=s.name,
            node_id=ids[s.name],
            modules=len(s.modules),
            loc=s.loc or sum(loc.get(m, 0) for m in s.modules),
            routes=len(s.routes),
            tables=len(s.tables),
            shared_tables=max(len(s.shared_tables), tables.count(s.name)),
            in_cycle=s.name in cycles.cyclic,
        )
        for s in decomposition.services
    ]
    if decomposition.shared_kernel:
        nodes.append(_kernel_node(codebase, decomposition, cycles, tables))
    return nodes


def _kernel_node(
    codebase: Codebase, decomposition: Decomposition, cycles: _Cycles, tables: _Tables
) -> ServiceNode:
    owner = decomposition.service_of()
    loc = {m.name: m.loc for m in codebase.modules}
    kernel_tables = {t.name for t in codebase.tables if owner.get(t.module) == SHARED_KERNEL}
    return ServiceNode(
        name=SHARED_KERNEL,
        node_id=KERNEL_ID,
        modules=len(decomposition.shared_kernel),
        loc=sum(loc.get(m, 0) for m in decomposition.shared_kernel),
        routes=sum(1 for r in codebase.routes if owner.get(r.module) == SHARED_KERNEL),
        tables=len(kernel_tables),
        shared_tables=tables.count(SHARED_KERNEL),
        kernel=True,
        in_cycle=SHARED_KERNEL in cycles.cyclic,
    )

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
from dataclasses import dataclass

import networkx as nx

from analyzers.model import Codebase
from strangler.decomposition import SHARED_KERNEL, Decomposition
from strangler.render.wiring import wiring_pairs


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
    ids = {SHARED_KERNEL: "svc-kernel"}
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

        def balance(node: str) -> int:
            out = sum(w for (a, b), w in inner.items() if a == node and b in remaining)
            into = sum(w for (a, b), w in inner.items() if b == node and a in remaining)
            return out - into

        chosen = min(remaining, key=lambda n: (-balance(n), n))
        position[chosen] = len(position)
        remaining.remove(chosen)
    return {(a, b) for (a, b) in inner if position[a] > position[b]}


def service_graph(codebase: Codebase, decomposition: Decomposition) -> ServiceGraph:
    """The service view of `decomposition` over the facts of `codebase`."""
    owner = decomposition.service_of()
    ids = node_ids(decomposition)

    def crossing(source: str, target: str) -> tuple[str, str] | None:
        a, b = owner.get(source), owner.get(target)
        if a is None or b is None or a == b:
            return None
        return a, b

    refs: list[tuple[str, str, str, int]] = []
    for ref in codebase.references:
        pair = crossing(ref.source, ref.target)
        if pair:
            refs.append((*pair, ref.source, ref.line))
    imps: list[tuple[str, str, str, int]] = []
    for imp in codebase.imports:
        pair = crossing(imp.source, imp.target)
        if pair:
            imps.append((*pair, imp.source, imp.line))
    calls, imports = _distinct_sites(refs), _distinct_sites(imps)
    wiring = wiring_pairs(codebase)
    plain: set[tuple[str, str]] = set()  # service pairs with at least one non-wiring module pair
    module_pairs = [(r.source, r.target) for r in codebase.references]
    module_pairs += [(i.source, i.target) for i in codebase.imports]
    for source, target in module_pairs:
        pair = crossing(source, target)
        if pair and (source, target) not in wiring:
            plain.add(pair)

    digraph: nx.DiGraph = nx.DiGraph()
    digraph.add_nodes_from(sorted({*owner.values(), *(s.name for s in decomposition.services)}))
    digraph.add_edges_from(sorted(plain))  # wiring alone closes no cycle
    cycles = tuple(sorted(tuple(sorted(c)) for c in nx.strongly_connected_components(digraph) if len(c) > 1))
    cyclic = {name: i for i, group in enumerate(cycles) for name in group}

    def in_cycle(a: str, b: str) -> bool:
        return a in cyclic and cyclic.get(a) == cyclic.get(b)

    pairs = {*calls, *imports}
    weight = {pair: calls.get(pair, 0) or imports.get(pair, 0) for pair in plain}
    feedback: set[tuple[str, str]] = set()
    for group in cycles:
        feedback |= feedback_edges(weight, frozenset(group))

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

    def tables_on(a: str, b: str) -> tuple[str, ...]:
        """Shared tables of a pair ride on a -> b, or on b -> a when only that direction exists."""
        key = (min(a, b), max(a, b))
        if key not in shared or ((a, b) != key and key in pairs):
            return ()
        return tuple(sorted(shared[key]))

    edges = tuple(
        sorted(
            ServiceEdge(
                a,
                b,
                calls.get((a, b), 0),
                imports.get((a, b), 0),
                (a, b) in plain and in_cycle(a, b),
                (a, b) in feedback,
                tables_on(a, b),
                (a, b) not in plain,
            )
            for a, b in pairs
        )
    )
    data_edges = tuple(
        DataEdge(a, b, tuple(sorted(t)), drawn=(a, b) not in pairs and (b, a) not in pairs)
        for (a, b), t in sorted(shared.items())
    )
    shared_count = {
        name: sum(1 for services in touching.values() if name in services and len(services) > 1)
        for name in ids
    }

    loc = {m.name: m.loc for m in codebase.modules}
    nodes = [
        ServiceNode(
            name=s.name,
            node_id=ids[s.name],
            modules=len(s.modules),
            loc=s.loc or sum(loc.get(m, 0) for m in s.modules),
            routes=len(s.routes),
            tables=len(s.tables),
            shared_tables=max(len(s.shared_tables), shared_count.get(s.name, 0)),
            in_cycle=s.name in cyclic,
        )
        for s in decomposition.services
    ]
    if decomposition.shared_kernel:
        kernel_tables = {t.name for t in codebase.tables if owner.get(t.module) == SHARED_KERNEL}
        nodes.append(
            ServiceNode(
                name=SHARED_KERNEL,
                node_id=ids[SHARED_KERNEL],
                modules=len(decomposition.shared_kernel),
                loc=sum(loc.get(m, 0) for m in decomposition.shared_kernel),
                routes=sum(1 for r in codebase.routes if owner.get(r.module) == SHARED_KERNEL),
                tables=len(kernel_tables),
                shared_tables=shared_count.get(SHARED_KERNEL, 0),
                kernel=True,
                in_cycle=SHARED_KERNEL in cyclic,
            )
        )
    return ServiceGraph(tuple(sorted(nodes)), edges, data_edges, cycles)

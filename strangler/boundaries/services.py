"""Service fields for any assignment: routes, owned and shared tables, interface, cohesion, coupling,
and whether it is a library (no route, no table, no job: strangler.boundaries.jobs).

Works for a proposal and for an edited boundaries file alike. Edges to the shared kernel count
neither as cohesion nor as coupling: every service uses the kernel, so they would only blur both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL, Operation, Service, SharedTable
from strangler.boundaries.jobs import business_modules, job_modules


def route_text(methods: tuple[str, ...], path: str) -> str:
    return f"{','.join(methods) if methods else 'ANY'} {path}"


@dataclass(frozen=True, slots=True)
class _Tables:
    """Tables by service: those it owns (it alone writes them, or alone touches them) and those it
    shares with other services."""

    owned: Mapping[str, set[str]]
    shared: Mapping[str, list[SharedTable]]


@dataclass(frozen=True, slots=True)
class _Edges:
    """Edge weight by service: inside it, and across its boundary (the kernel left out)."""

    internal: Mapping[str, float]
    boundary: Mapping[str, float]

    def cohesion(self, name: str) -> float:
        total = self.internal[name] + self.boundary[name]
        return round(self.internal[name] / total, 4) if total else 0.0

    def coupling(self, name: str) -> float:
        total = self.internal[name] + self.boundary[name]
        return round(self.boundary[name] / total, 4) if total else 0.0


def build_services(codebase: Codebase, graph: nx.Graph, assignment: Mapping[str, str]) -> tuple[Service, ...]:
    """One Service per non-kernel service name in `assignment` (graph: undirected, weighted)."""
    members: dict[str, list[str]] = defaultdict(list)
    for module, name in assignment.items():
        if name != SHARED_KERNEL:
            members[name].append(module)
    loc = {m.name: m.loc for m in codebase.modules}
    routes = _routes(codebase, assignment)
    tables = _tables(codebase, assignment)
    interface = _interfaces(codebase, assignment)
    edges = _edges(graph, assignment)
    business = business_modules(codebase, job_modules(codebase))
    return tuple(
        Service(
            name=name,
            modules=tuple(sorted(members[name])),
            loc=sum(loc.get(m, 0) for m in members[name]),
            routes=tuple(sorted(routes[name])),
            tables=tuple(sorted(tables.owned[name])),
            shared_tables=tuple(tables.shared[name]),
            interface=tuple(interface[name]),
            cohesion=edges.cohesion(name),
            coupling=edges.coupling(name),
            library=not any(m in business for m in members[name]),
        )
        for name in sorted(members)
    )


def _service(assignment: Mapping[str, str], module: str) -> str | None:
    """The service of `module`; None for the kernel or a module the assignment does not name."""
    holder = assignment.get(module)
    return holder if holder and holder != SHARED_KERNEL else None


def _routes(codebase: Codebase, assignment: Mapping[str, str]) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = defaultdict(set)
    for route in codebase.routes:
        holder = _service(assignment, route.module)
        if holder:
            routes[holder].add(route_text(route.methods, route.path))
    return routes


def _tables(codebase: Codebase, assignment: Mapping[str, str]) -> _Tables:
    touchers: dict[str, set[str]] = defaultdict(set)
    writers: dict[str, set[str]] = defaultdict(set)
    for declared in codebase.tables:
        holder = _service(assignment, declared.module)
        if holder:
            touchers[declared.name].add(holder)
    for access in codebase.accesses:
        holder = _service(assignment, access.module)
        if holder:
            touchers[access.table].add(holder)
            if access.mode == "write":
                writers[access.table].add(holder)
    owned: dict[str, set[str]] = defaultdict(set)
    shared: dict[str, list[SharedTable]] = defaultdict(list)
    for table in sorted(touchers):
        who = touchers[table]
        owner = writers[table] if writers[table] else who
        if len(owner) == 1:
            owned[next(iter(owner))].add(table)
        if len(who) > 1:
            for service in sorted(who):
                shared[service].append(
                    SharedTable(
                        table=table,
                        services=tuple(sorted(who - {service})),
                        writers=tuple(sorted(writers[table])),
                    )
                )
    return _Tables(owned, shared)


def _interfaces(codebase: Codebase, assignment: Mapping[str, str]) -> dict[str, list[Operation]]:
    """The symbols each service's modules offer to other services, with their call sites."""
    sites: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
    callers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ref in codebase.references:
        target_service = _service(assignment, ref.target)
        source_service = assignment.get(ref.source)
        if not target_service or not source_service or source_service == target_service:
            continue
        symbol = f"{ref.target}.{ref.symbol}" if ref.symbol else ref.target
        sites[(target_service, symbol)].add((ref.source, ref.line))
        callers[(target_service, symbol)].add(source_service)
    interface: dict[str, list[Operation]] = defaultdict(list)
    for (service, symbol), where in sorted(sites.items()):
        interface[service].append(
            Operation(symbol=symbol, call_sites=len(where), callers=tuple(sorted(callers[(service, symbol)])))
        )
    return interface


def _edges(graph: nx.Graph, assignment: Mapping[str, str]) -> _Edges:
    internal: dict[str, float] = defaultdict(float)
    boundary: dict[str, float] = defaultdict(float)
    for u, v, data in graph.edges(data=True):
        a, b = assignment.get(u), assignment.get(v)
        if a is None or b is None or SHARED_KERNEL in (a, b):
            continue
        weight = float(data.get("weight", 0.0))
        if a == b:
            internal[a] += weight
        else:
            boundary[a] += weight
            boundary[b] += weight
    return _Edges(internal, boundary)

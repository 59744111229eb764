"""Service fields for any assignment: routes, owned and shared tables, interface, cohesion, coupling,
and whether it is a library (no route, no table, no job: strangler.boundaries.jobs).

Works for a proposal and for an edited boundaries file alike. Edges to the shared kernel count
neither as cohesion nor as coupling: every service uses the kernel, so they would only blur both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.jobs import business_modules, job_modules
from strangler.decomposition import SHARED_KERNEL, Operation, Service, SharedTable


def route_text(methods: tuple[str, ...], path: str) -> str:
    return f"{','.join(methods) if methods else 'ANY'} {path}"


def build_services(codebase: Codebase, graph: nx.Graph, assignment: Mapping[str, str]) -> tuple[Service, ...]:
    """One Service per non-kernel service name in `assignment` (graph: undirected, weighted)."""
    members: dict[str, list[str]] = defaultdict(list)
    for module, name in assignment.items():
        if name != SHARED_KERNEL:
            members[name].append(module)
    loc = {m.name: m.loc for m in codebase.modules}

    routes: dict[str, set[str]] = defaultdict(set)
    for route in codebase.routes:
        holder = assignment.get(route.module)
        if holder and holder != SHARED_KERNEL:
            routes[holder].add(route_text(route.methods, route.path))

    touchers: dict[str, set[str]] = defaultdict(set)
    writers: dict[str, set[str]] = defaultdict(set)
    for declared in codebase.tables:
        holder = assignment.get(declared.module)
        if holder and holder != SHARED_KERNEL:
            touchers[declared.name].add(holder)
    for access in codebase.accesses:
        holder = assignment.get(access.module)
        if holder and holder != SHARED_KERNEL:
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

    sites: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
    callers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ref in codebase.references:
        target_service = assignment.get(ref.target)
        source_service = assignment.get(ref.source)
        if not target_service or target_service == SHARED_KERNEL or not source_service:
            continue
        if source_service == target_service:
            continue
        symbol = f"{ref.target}.{ref.symbol}" if ref.symbol else ref.target
        sites[(target_service, symbol)].add((ref.source, ref.line))
        callers[(target_service, symbol)].add(source_service)
    interface: dict[str, list[Operation]] = defaultdict(list)
    for (service, symbol), where in sorted(sites.items()):
        interface[service].append(
            Operation(symbol=symbol, call_sites=len(where), callers=tuple(sorted(callers[(service, symbol)])))
        )

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

    business = business_modules(codebase, job_modules(codebase))
    result = []
    for name in sorted(members):
        total = internal[name] + boundary[name]
        result.append(
            Service(
                name=name,
                modules=tuple(sorted(members[name])),
                loc=sum(loc.get(m, 0) for m in members[name]),
                routes=tuple(sorted(routes[name])),
                tables=tuple(sorted(owned[name])),
                shared_tables=tuple(shared[name]),
                interface=tuple(interface[name]),
                cohesion=round(internal[name] / total, 4) if total else 0.0,
                coupling=round(boundary[name] / total, 4) if total else 0.0,
                library=not any(m in business for m in members[name]),
            )
        )
    return tuple(result)

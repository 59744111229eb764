"""How good a cut is on its own terms: modularity, ICP, SM, IFN, NED, call sites, shared tables.

All of them read one decomposition (`assignment`: module -> service) beside the coupling graph and the
facts. Their common scope (see docs/metrics.md) is the *scored modules*: modules of the graph
assigned to a real service. Shared-kernel modules, modules assigned "" and modules the assignment or
the graph lacks are left out of every number, so the proposal and today's package layout (which also
names tests and migrations the graph leaves out) are measured on the same modules.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL

__all__ = ["NED_BOUNDS", "ServiceCoupling", "service_coupling", "structure_metrics"]

#: Service sizes (modules) NED counts as non-extreme: Jin et al.'s 5..20 classes, inclusive.
NED_BOUNDS: tuple[int, int] = (5, 20)


def _scope(graph: nx.DiGraph, assignment: Mapping[str, str]) -> dict[str, str]:
    """Scored modules to their service: in the graph, assigned to neither the kernel nor ""."""
    return {m: s for m, s in sorted(assignment.items()) if s not in (SHARED_KERNEL, "") and graph.has_node(m)}


def _weight(data: Mapping[str, Any]) -> float:
    return float(data.get("weight", 1.0))


def _members(scope: Mapping[str, str]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for module, service in sorted(scope.items()):
        members[service].append(module)
    return dict(sorted(members.items()))


def _modularity(graph: nx.DiGraph, scope: Mapping[str, str]) -> float:
    """Newman modularity of the services on the undirected graph over the scored modules.

    a->b and b->a are summed into one undirected edge; edges of non-positive weight are dropped
    (modularity is undefined with negative weights). No edge at all gives 0.0.
    """
    undirected: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, data in graph.edges(data=True):
        w = _weight(data)
        if u in scope and v in scope and w > 0:
            undirected[(u, v) if u <= v else (v, u)] += w
    if not undirected:
        return 0.0
    simple = nx.Graph()
    simple.add_nodes_from(sorted(scope))
    for (u, v), w in sorted(undirected.items()):
        simple.add_edge(u, v, weight=w)
    communities = [set(modules) for modules in _members(scope).values()]
    return float(nx.community.modularity(simple, communities, weight="weight"))


def _structural_modularity(graph: nx.DiGraph, scope: Mapping[str, str]) -> float:
    """SM = mean_i(mu_i / N_i^2) - sum_{i<j}(sigma_ij / (2 N_i N_j)) / (K(K-1)/2).

    mu_i: directed edges inside service i; sigma_ij: directed edges between i and j either way;
    N_i: scored modules of i; K: services. Edges count once whatever their weight (positive weight
    only), self-loops not at all. With one service the coupling term is 0.
    """
    members = _members(scope)
    k = len(members)
    if k == 0:
        return 0.0
    inside: Counter[str] = Counter()
    between: Counter[tuple[str, str]] = Counter()
    for u, v, data in graph.edges(data=True):
        if u == v or u not in scope or v not in scope or _weight(data) <= 0:
            continue
        su, sv = scope[u], scope[v]
        if su == sv:
            inside[su] += 1
        else:
            between[(su, sv) if su < sv else (sv, su)] += 1
    size = {service: len(modules) for service, modules in members.items()}
    cohesion = sum(inside[s] / size[s] ** 2 for s in members) / k
    if k == 1:
        return cohesion
    coupling = sum(count / (2 * size[i] * size[j]) for (i, j), count in between.items())
    return cohesion - coupling / (k * (k - 1) / 2)


def _call_sites(codebase: Codebase, scope: Mapping[str, str]) -> set[tuple[str, int, str, str]]:
    """Distinct (source, line, target, symbol) uses between two different scored modules."""
    return {
        (r.source, r.line, r.target, r.symbol)
        for r in codebase.references
        if r.source != r.target and r.source in scope and r.target in scope
    }


def _ned(sizes: list[int], low: float, high: float) -> float:
    total = sum(sizes)
    if total == 0:
        return 0.0
    return sum(s for s in sizes if low <= s <= high) / total


def structure_metrics(
    graph: nx.DiGraph,
    assignment: Mapping[str, str],
    codebase: Codebase,
    *,
    ned_bounds: tuple[int, int] = NED_BOUNDS,
) -> dict[str, float]:
    """The quality numbers of one decomposition; conventions in docs/metrics.md.

    Keys: `modularity`, `icp`, `sm`, `ifn`, `ned`, `ned_relative`, `cross_service_call_sites`,
    `shared_tables`, `services`, `modules`. Counts are floats so the result is one flat mapping.
    """
    scope = _scope(graph, assignment)
    members = _members(scope)
    services = len(members)

    sites = _call_sites(codebase, scope)
    cross = sorted(site for site in sites if scope[site[0]] != scope[site[2]])
    interface: dict[str, set[tuple[str, str]]] = {service: set() for service in members}
    for _source, _line, target, symbol in cross:
        interface[scope[target]].add((target, symbol))

    touched: dict[str, set[str]] = defaultdict(set)
    for access in codebase.accesses:
        if access.module in scope:
            touched[access.table].add(scope[access.module])

    sizes = [len(modules) for modules in members.values()]
    mean_size = len(scope) / services if services else 0.0
    return {
        "modularity": _modularity(graph, scope),
        "icp": len(cross) / len(sites) if sites else 0.0,
        "sm": _structural_modularity(graph, scope),
        "ifn": sum(len(ops) for ops in interface.values()) / services if services else 0.0,
        "ned": _ned(sizes, ned_bounds[0], ned_bounds[1]),
        "ned_relative": _ned(sizes, mean_size / 2, mean_size * 2),
        "cross_service_call_sites": float(len(cross)),
        "shared_tables": float(sum(1 for users in touched.values() if len(users) > 1)),
        "services": float(services),
        "modules": float(len(scope)),
    }


@dataclass(frozen=True, slots=True, order=True)
class ServiceCoupling:
    """Edge weight around one service, and the two ratios `Service.cohesion`/`coupling` hold."""

    service: str
    internal: float  # weight of edges with both ends in the service
    boundary: float  # weight of edges between the service and another service, either way
    kernel: float  # weight of edges between the service and the shared kernel, either way
    cohesion: float  # internal / (internal + boundary); 0.0 with neither
    coupling: float  # boundary / (internal + boundary + kernel); 0.0 with none


def service_coupling(graph: nx.DiGraph, assignment: Mapping[str, str]) -> dict[str, ServiceCoupling]:
    """Per service (not the kernel): weights inside, across to other services, and to the kernel.

    Kernel edges do not lower cohesion (every service may lean on the kernel) but do dilute
    coupling, which is measured against all the weight the service's modules carry.
    """
    internal: defaultdict[str, float] = defaultdict(float)
    boundary: defaultdict[str, float] = defaultdict(float)
    kernel: defaultdict[str, float] = defaultdict(float)
    services = sorted({s for s in assignment.values() if s not in (SHARED_KERNEL, "")})
    for u, v, data in graph.edges(data=True):
        su, sv = assignment.get(u, ""), assignment.get(v, "")
        w = _weight(data)
        if su == sv:
            if su not in (SHARED_KERNEL, ""):
                internal[su] += w
            continue
        for mine, other in ((su, sv), (sv, su)):
            if mine in (SHARED_KERNEL, ""):
                continue
            if other == SHARED_KERNEL:
                kernel[mine] += w
            elif other != "":
                boundary[mine] += w
    result: dict[str, ServiceCoupling] = {}
    for s in services:
        near = internal[s] + boundary[s]
        total = near + kernel[s]
        result[s] = ServiceCoupling(
            service=s,
            internal=internal[s],
            boundary=boundary[s],
            kernel=kernel[s],
            cohesion=internal[s] / near if near else 0.0,
            coupling=boundary[s] / total if total else 0.0,
        )
    return result

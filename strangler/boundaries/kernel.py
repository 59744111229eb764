"""The shared kernel: modules most of the code leans on that own no business capability.

They are found before clustering and kept out of it: otherwise a `db`, `money` or `helpers` module
pulls every capability into one giant cluster. A module qualifies when it is used by many modules
spread over several preliminary clusters and owns nothing a service would (no routes, no table it
alone writes). Modules used only by the kernel follow it, and composition roots (an app factory
importing every capability, imported by nobody) join it too. `shared`/`not_shared` globs override.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import Enum

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.settings import BoundaryOptions, matches

#: Share of all modules that must use a module for it to be a kernel candidate.
KERNEL_FAN_IN = 0.05
#: Share of preliminary clusters its users must come from (and at least KERNEL_MIN_SPREAD).
KERNEL_SPREAD = 0.3
KERNEL_MIN_SPREAD = 3
#: A module whose ties to one preliminary cluster reach this share belongs to that cluster.
KERNEL_MAX_SHARE = 0.5
KERNEL_ROUNDS = 3
#: Judge a candidate's spread by its users' ties outside the candidates (see `homes`).
KERNEL_HOMES = True
#: A composition root reaches at least this share of the preliminary clusters.
ROOT_SPREAD = 0.5

_DEPENDENCY = ("imports", "references", "inheritance")


def dependents(graph: nx.DiGraph, module: str) -> set[str]:
    """Modules that import or use `module`."""
    return {
        source
        for source, _, data in graph.in_edges(module, data=True)
        if any(data.get(s, 0.0) > 0.0 for s in _DEPENDENCY)
    }


def dependencies(graph: nx.DiGraph, module: str) -> set[str]:
    return {
        target
        for _, target, data in graph.out_edges(module, data=True)
        if any(data.get(s, 0.0) > 0.0 for s in _DEPENDENCY)
    }


class Holding(Enum):
    """A kind of thing a module owns that makes it business code."""

    ROUTE = "route"
    TABLE_DECLARED = "table declared"
    TABLE_USED = "table used"
    TABLE_WRITTEN_ALONE = "table written alone"
    RE_EXPORT = "re-export"


@dataclass(frozen=True, slots=True)
class Capability:
    """One thing a module owns: its kind, and what it is in words (`serves /orders`)."""

    kind: Holding
    text: str


def capabilities(codebase: Codebase) -> dict[str, list[Capability]]:
    """What makes a module business code: routes it serves, tables it declares (an ORM models
    module owns that data), tables it reads or writes (business data: the kernel is what every
    service could carry a copy of, and no capability's data is), and tables it alone writes."""
    owned: dict[str, list[Capability]] = defaultdict(list)
    for route in codebase.routes:
        owned[route.module].append(Capability(Holding.ROUTE, f"serves {route.path}"))
    for declared in codebase.tables:
        if declared.module:
            owned[declared.module].append(
                Capability(Holding.TABLE_DECLARED, f"declares table {declared.name}")
            )
    for access in sorted(codebase.accesses):
        owned[access.module].append(Capability(Holding.TABLE_USED, f"{access.mode}s table {access.table}"))
    writers: dict[str, set[str]] = defaultdict(set)
    for access in codebase.accesses:
        if access.mode == "write":
            writers[access.table].add(access.module)
    for table, modules in sorted(writers.items()):
        if len(modules) == 1:
            owned[next(iter(modules))].append(
                Capability(Holding.TABLE_WRITTEN_ALONE, f"alone writes table {table}")
            )
    # A package `__init__` passing on its submodules' names (`from .devices import *`) is the door
    # to what they own: every app imports `dcim.models`, which is no kernel for that (netbox).
    packages = {m.name for m in codebase.modules if m.is_package}
    for edge in codebase.imports:
        inside = edge.source in packages and edge.target.startswith(edge.source + ".")
        if inside and any(item.kind is not Holding.RE_EXPORT for item in owned.get(edge.target, ())):
            text = f"re-exports {edge.target}, which owns data or routes"
            owned[edge.source].append(Capability(Holding.RE_EXPORT, text))
    return owned


@dataclass(frozen=True, slots=True)
class _Search:
    """What every round of the kernel search reads."""

    graph: nx.DiGraph
    flat: nx.Graph
    cluster: Callable[[frozenset[str]], Mapping[str, int]]
    owned: Mapping[str, list[Capability]]  # module → what it owns (`capabilities`)
    options: BoundaryOptions
    nodes: list[str]  # sorted
    users_of: Mapping[str, set[str]]
    threshold: int  # users a candidate needs


def find_kernel(
    graph: nx.DiGraph,
    flat: nx.Graph,
    cluster: Callable[[frozenset[str]], Mapping[str, int]],
    codebase: Codebase,
    options: BoundaryOptions,
) -> dict[str, str]:
    """Kernel module → the reason it is in the kernel.

    Rounds: cluster the graph without the kernel found so far (`cluster(excluded)` gives module →
    preliminary cluster), then add the modules whose users are many, come from several clusters,
    and whose ties are not concentrated in one cluster (a capability's models module is used from
    many places but tied mostly to its own service). Stops when a round adds nothing.
    """
    nodes = sorted(graph.nodes)
    if not nodes:
        return {}
    search = _Search(
        graph=graph,
        flat=flat,
        cluster=cluster,
        owned=capabilities(codebase),
        options=options,
        nodes=nodes,
        users_of={m: dependents(graph, m) for m in nodes},
        threshold=max(3, math.ceil(KERNEL_FAN_IN * len(nodes))),
    )
    kernel = {
        m: "configured as shared ([tool.strangler] shared)"
        for m in nodes
        if matches(m, options.shared) and not matches(m, options.not_shared)
    }
    for _ in range(KERNEL_ROUNDS):
        if not _kernel_round(search, kernel):
            break
    _add_roots(search, kernel)
    _follow_kernel(graph, kernel, search.owned, options, search.users_of)
    return kernel


def _kernel_round(search: _Search, kernel: dict[str, str]) -> bool:
    """Add the candidates used from enough clusters with no cluster holding most of their ties;
    whether any was added."""
    cluster_of = search.cluster(frozenset(kernel))
    spread_needed = max(KERNEL_MIN_SPREAD, math.ceil(KERNEL_SPREAD * _real_clusters(cluster_of)))
    candidates = _candidates(search, kernel)
    home = homes(search.flat, cluster_of, candidates | kernel.keys()) if KERNEL_HOMES else cluster_of
    added = False
    for module in sorted(candidates):
        users = search.users_of[module]
        spread = {home[u] for u in users if u in home}
        if len(spread) >= spread_needed and _largest_share(search.flat, module, home) < KERNEL_MAX_SHARE:
            kernel[module] = (
                f"used by {len(users)} modules across {len(spread)} clusters, none holding "
                f"most of its ties; serves no route and touches no table"
            )
            added = True
    return added


def _candidates(search: _Search, kernel: Mapping[str, str]) -> set[str]:
    """Modules outside the kernel with many users, owning nothing, not configured as not shared."""
    return {
        m
        for m in search.nodes
        if m not in kernel
        and len(search.users_of[m]) >= search.threshold
        and not search.owned.get(m)
        and not matches(m, search.options.not_shared)
    }


def _largest_share(flat: nx.Graph, module: str, home: Mapping[str, int]) -> float:
    """The share of `module`'s ties that go to its most tied cluster (0.0 with no ties)."""
    ties: dict[int, float] = defaultdict(float)
    for other, data in flat[module].items():
        if other in home:
            ties[home[other]] += float(data.get("weight", 0.0))
    total = sum(ties.values())
    return max(ties.values()) / total if total else 0.0


def _add_roots(search: _Search, kernel: dict[str, str]) -> None:
    """Add the composition roots: used only by entry modules, reaching many clusters, owning no
    table alone."""
    cluster_of = search.cluster(frozenset(kernel))
    needed = max(KERNEL_MIN_SPREAD, math.ceil(ROOT_SPREAD * _real_clusters(cluster_of)))
    entry = {m for m in search.nodes if not search.users_of[m]}
    for module in search.nodes:
        if module in kernel or _writes_alone(search.owned.get(module, [])):
            continue
        if matches(module, search.options.not_shared) or not search.users_of[module] <= entry:
            continue
        reach = {cluster_of[t] for t in dependencies(search.graph, module) if t in cluster_of}
        reach.discard(cluster_of.get(module, -1))
        if len(reach) >= needed:
            kernel[module] = (
                f"composition root: imports from {len(reach)} clusters, used by no other "
                "capability, owns none"
            )


def homes(flat: nx.Graph, cluster_of: Mapping[str, int], candidates: Collection[str]) -> dict[str, int]:
    """Each module's preliminary cluster as it would be without the kernel candidates: the cluster
    of its strongest tie that is not a candidate (its own cluster when it has none).

    A kernel candidate pulls its users together (every AppConfig subclassing one base class lands
    in one preliminary cluster), so judging its spread by the clusters it shaped would keep it out
    of the kernel; an edge into a shared module must not make its users look alike."""
    result: dict[str, int] = {}
    for module, index in cluster_of.items():
        best: tuple[float, int] | None = None
        for other, data in flat[module].items():
            if other in candidates or other not in cluster_of:
                continue
            weight = float(data.get("weight", 0.0))
            if best is None or (weight, -cluster_of[other]) > (best[0], -best[1]):
                best = (weight, cluster_of[other])
        result[module] = index if best is None else best[1]
    return result


def _real_clusters(cluster_of: Mapping[str, int]) -> int:
    """Preliminary clusters of two modules or more: a module linked to nothing is its own Louvain
    community, and counting those would raise the spread a kernel module needs with every
    isolated module of the codebase."""
    sizes: dict[int, int] = defaultdict(int)
    for index in cluster_of.values():
        sizes[index] += 1
    return max(1, sum(1 for size in sizes.values() if size > 1))


def _writes_alone(owned: list[Capability]) -> bool:
    return any(item.kind is Holding.TABLE_WRITTEN_ALONE for item in owned)


def _follow_kernel(
    graph: nx.DiGraph,
    kernel: dict[str, str],
    owned: Mapping[str, list[Capability]],
    options: BoundaryOptions,
    users_of: Mapping[str, set[str]],
) -> None:
    """Add modules owning nothing whose every link (users and dependencies) is a kernel module,
    until nothing changes: helpers of the kernel, entry scripts that only start the app."""
    links_of = {m: users_of[m] | dependencies(graph, m) for m in graph.nodes}
    changed = True
    while changed:
        changed = False
        for module in sorted(graph.nodes):
            if module in kernel or owned.get(module) or matches(module, options.not_shared):
                continue
            links = links_of[module]
            if links and links <= kernel.keys():
                by = ", ".join(sorted(links)[:3])
                kernel[module] = f"linked only to the shared kernel ({by})"
                changed = True

"""Jobs and libraries: what makes a cluster a service, and where background work goes.

A *job* is a Django management command (`<app>.management.commands.<name>`, with the `management`
and `commands` package modules above it) or a module defining a background task (`@shared_task`,
`@app.task`, dramatiq's `@actor`: strangler.graph.coupling.defines_tasks). A job is work of the capability
whose models it uses, never a service of its own: when jobs make most of a cluster (commands
sharing a base class and a vocabulary find each other before their capabilities), they are taken
out and placed with the service whose tables, else whose code, they use most (`place_jobs`).

A cluster serving no route, touching no table and running no job owns no capability: it is a
*library*. Proposed, one under LIBRARY_MAX_LOC lines is merged into its strongest neighbour (the
service it is tied to most, the shared kernel when it is tied to none); a larger one stays,
flagged `library`, to be shared by the services that use it and never extracted as a wave
(`merge_libraries`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import partial

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.graph.coupling import defines_tasks

#: A cluster owning no capability and smaller than this (lines of code) is merged, not proposed.
LIBRARY_MAX_LOC = 1000


def is_command(module: str) -> bool:
    """A Django management command: a module below a `management.commands` package."""
    parts = module.split(".")
    return any(parts[i : i + 2] == ["management", "commands"] for i in range(len(parts) - 2))


def job_modules(codebase: Codebase) -> frozenset[str]:
    """Management commands, the `management` and `management.commands` packages above them, and
    modules defining background tasks."""
    names = {m.name for m in codebase.modules}
    commands = {n for n in names if is_command(n)}
    above = {c.rpartition(".management.commands.")[0] + ".management" for c in commands}
    above |= {f"{a}.commands" for a in above}
    tasks = {m.name for m in codebase.modules if defines_tasks(m)}
    return frozenset(commands | (above & names) | tasks)


def business_modules(codebase: Codebase, jobs: Collection[str]) -> frozenset[str]:
    """Modules that make a cluster a service: they serve a route, declare, read or write a table,
    or are jobs."""
    found = {r.module for r in codebase.routes}
    found |= {t.module for t in codebase.tables if t.module}
    found |= {a.module for a in codebase.accesses}
    return frozenset(found | set(jobs))


@dataclass(frozen=True, slots=True)
class Merged:
    """A library cluster merged away: its modules, and the service (or kernel) that took them."""

    name: str
    modules: tuple[str, ...]
    loc: int
    into: str


def _ties(
    flat: nx.Graph, modules: Collection[str], assignment: Mapping[str, str], own: str
) -> dict[str, float]:
    """Service (or SHARED_KERNEL) -> total edge weight from `modules` to it, `own` left out."""
    ties: dict[str, float] = defaultdict(float)
    for module in modules:
        if module not in flat:
            continue
        for other, data in flat[module].items():
            service = assignment.get(other)
            if service is not None and service != own:
                ties[service] += float(data.get("weight", 0.0))
    return ties


def _libraries(
    assignment: Mapping[str, str], business: Collection[str], loc: Mapping[str, int], keep: Collection[str]
) -> list[tuple[int, str, list[str]]]:
    """(lines, name, modules) of every cluster owning no capability and under LIBRARY_MAX_LOC lines
    (but the services named in `keep`)."""
    members: dict[str, list[str]] = defaultdict(list)
    for module, service in assignment.items():
        if service != SHARED_KERNEL and service not in keep:
            members[service].append(module)
    found = []
    for name, modules in members.items():
        size = sum(loc.get(m, 0) for m in modules)
        if size < LIBRARY_MAX_LOC and not any(m in business for m in modules):
            found.append((size, name, sorted(modules)))
    return sorted(found)


def merge_libraries(
    assignment: dict[str, str],
    flat: nx.Graph,
    business: Collection[str],
    loc: Mapping[str, int],
    keep: Collection[str] = (),
) -> list[Merged]:
    """Merge, smallest first, every cluster owning no capability and under LIBRARY_MAX_LOC lines
    into the service it is tied to most (the kernel when it is tied to no service); `assignment`
    is changed in place. A merge can make a larger library: it is looked at again. (Measured on
    the development set against moving each module to its own strongest tie: the same macro
    average, so the cluster stays whole, as a library is one piece of code.)"""
    merged: list[Merged] = []
    while True:
        found = _libraries(assignment, business, loc, keep)
        if not found:
            return merged
        size, name, modules = found[0]
        into = _strongest(_ties(flat, modules, assignment, name))
        for module in modules:
            assignment[module] = into
        merged.append(Merged(name, tuple(modules), size, into))


def _strongest(ties: Mapping[str, float]) -> str:
    """The service tied most; the shared kernel only when no service is tied at all (every
    service uses the kernel, so a tie to it says little about where code belongs)."""
    services = {s: w for s, w in ties.items() if s != SHARED_KERNEL}
    return max(services, key=partial(_weight_then_name, services)) if services else SHARED_KERNEL


def _data_homes(codebase: Codebase, assignment: Mapping[str, str]) -> dict[str, dict[str, int]]:
    """Module -> {service: tables of that service it reads or writes}; a table belongs to the
    service of the module declaring it (the kernel's tables count for no service)."""
    owner = {}
    for table in codebase.tables:
        service = assignment.get(table.module)
        if service is not None and service != SHARED_KERNEL:
            owner[table.name] = service
    homes: dict[str, dict[str, int]] = defaultdict(_counts)
    for access in sorted({(a.module, a.table) for a in codebase.accesses}):
        if access[1] in owner:
            homes[access[0]][owner[access[1]]] += 1
    return homes


def _job_home(job: str, data: Mapping[str, int], ties: Mapping[str, float]) -> tuple[str, str]:
    """Where a job goes, and why: the service whose tables it uses most (its strongest tie breaking
    a draw), else the service it is tied to most, else the kernel (every service uses the kernel:
    a tie to it says nothing of whose work the job does)."""
    if data:
        into = max(data, key=partial(_data_then_ties, data, ties))
        return into, f"a job (command or background task) using the tables of {into}: goes with it"
    services = {s: w for s, w in ties.items() if s != SHARED_KERNEL}
    if services:
        into = max(services, key=partial(_weight_then_name, services))
        return into, f"a job (command or background task) tied most to {into}: goes with it"
    return SHARED_KERNEL, "a job (command or background task) tied only to the shared kernel"


def place_jobs(
    jobs: Collection[str], assignment: dict[str, str], flat: nx.Graph, codebase: Codebase
) -> dict[str, str]:
    """Place each job with the capability whose data or code it uses (`_job_home`); a job tied
    only to other jobs follows them once they are placed. `assignment` is changed in place; jobs
    tied to nothing stay out of it (the caller places them as modules with no edge). Returns
    job -> reason."""
    reasons: dict[str, str] = {}
    homes = _data_homes(codebase, assignment)
    pending = sorted(jobs)
    while pending:
        placed = []
        for job in pending:
            ties = _ties(flat, [job], assignment, "")
            if ties or homes.get(job):
                assignment[job], reasons[job] = _job_home(job, homes.get(job, {}), ties)
                placed.append(job)
        if not placed:
            return reasons
        pending = [j for j in pending if j not in placed]
    return reasons


def _weight_then_name(weights: Mapping[str, float], name: str) -> tuple[float, str]:
    return weights[name], name


def _data_then_ties(data: Mapping[str, int], ties: Mapping[str, float], name: str) -> tuple[int, float, str]:
    """Most tables used; of equal ones, the strongest tie, then the name."""
    return data[name], ties.get(name, 0.0), name


def _counts() -> defaultdict[str, int]:
    return defaultdict(int)

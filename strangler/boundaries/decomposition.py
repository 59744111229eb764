"""A proposed cut of the codebase into services: the value `boundaries` produces and `graph`/`plan` read.

A `Decomposition` is what the user edits and feeds back with `--boundaries FILE`, so it holds names
and numbers only (no graph objects), and round-trips through the `strangler.decomposition/1` JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The service name under which shared-kernel modules are assigned.
SHARED_KERNEL = "shared-kernel"


@dataclass(frozen=True, slots=True, order=True)
class Operation:
    """One symbol of a service used from outside it: a future API operation of the cut."""

    symbol: str  # fully qualified, e.g. "shop.inventory.service.reserve_stock"
    call_sites: int  # number of distinct (file, line) uses from other services
    callers: tuple[str, ...]  # calling services, sorted


@dataclass(frozen=True, slots=True, order=True)
class SharedTable:
    """A table touched by this service and by others."""

    table: str
    services: tuple[str, ...]  # the other services that touch it, sorted
    writers: tuple[str, ...]  # every service that writes it (this one included), sorted


@dataclass(frozen=True, slots=True, order=True)
class Service:
    """One proposed service."""

    name: str
    modules: tuple[str, ...]  # sorted
    loc: int = 0
    routes: tuple[str, ...] = ()  # "METHODS path", e.g. "GET,POST /orders/", sorted
    tables: tuple[str, ...] = ()  # tables it owns: written only by it (or only read by it), sorted
    shared_tables: tuple[SharedTable, ...] = ()
    interface: tuple[Operation, ...] = ()  # sorted by symbol
    cohesion: float = 0.0  # internal weight / (internal + boundary weight)
    coupling: float = 0.0  # boundary weight / total weight of the service's edges
    # A library, not a service: it serves no route, touches no table and runs no background job
    # or command; shared by the services that use it, never extracted as a wave of its own.
    library: bool = False


@dataclass(frozen=True, slots=True, order=True)
class Assignment:
    """Why a module sits where it does."""

    module: str
    service: str  # a service name, or SHARED_KERNEL
    reason: str  # one line, e.g. "17 references to orders.models, writes table orders, serves /orders/*"
    confidence: float = 1.0  # share of seeds that agree with this assignment; 1.0 for pinned modules
    pinned: bool = False  # placed by configuration or by the user's edit, not by clustering


@dataclass(frozen=True, slots=True, order=True)
class Departure:
    """A module the proposal moved away from the capability package it sits in, and the ties that
    pulled it (strangler.boundaries.structure): what a person most needs to review."""

    module: str
    package: str  # the capability package it sits in
    service: str  # the service it went to
    pulls: tuple[tuple[str, int], ...]  # modules of that service that pulled it, with imports/uses
    tables: tuple[str, ...]  # tables it shares with them
    home_uses: int  # imports/uses with the modules of its own package
    reason: str  # one line saying all of the above


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the coupling shows a capability structure to cut along (`clear`), and why."""

    clear: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Decomposition:
    """Services, the shared kernel, a reason per module, and metrics to judge the cut."""

    services: tuple[Service, ...]  # sorted by name
    shared_kernel: tuple[str, ...]  # modules, sorted
    assignments: tuple[Assignment, ...]  # one per module in the graph, sorted by module
    metrics: tuple[tuple[str, float], ...] = ()  # sorted by name: modularity, icp, sm, ifn, ned, ...
    signals: tuple[tuple[str, float], ...] = ()  # signal weights used, sorted by name
    seed: int = 0
    # What the user should know about how this decomposition was made: modules of an edited
    # boundaries file that no longer exist, new modules placed by rule, unmet constraints.
    notes: tuple[str, ...] = ()
    # The packages found to hold the capabilities (empty: none qualified, clustering alone), the
    # modules moved away from them, and whether the cut can be trusted; None for an edited file.
    capability_packages: tuple[str, ...] = ()
    departures: tuple[Departure, ...] = ()
    verdict: Verdict | None = None

    def service_of(self) -> dict[str, str]:
        """Module name to service name (SHARED_KERNEL for the kernel)."""
        return {a.module: a.service for a in self.assignments}

    def service(self, name: str) -> Service:
        for s in self.services:
            if s.name == name:
                return s
        raise KeyError(name)

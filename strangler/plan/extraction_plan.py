"""The extraction plan: frozen values saying in which order services leave, and what each cut needs.

`make_plan` builds an `ExtractionPlan` from the facts (`Codebase`) and a cut (`Decomposition`);
`plan.md`, `plan.json` and the proxy configurations are all renderings of this one value, so they
can never disagree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analyzers.model import Route

#: The name the plan uses for whatever has not been extracted yet.
MONOLITH = "monolith"

StepKind = Literal[
    "break-cycle",
    "single-writer",
    "invert-kernel-dependency",
    "build-interface",
    "data",
    "move-code",
    "route-traffic",
    "retire",
]
HazardKind = Literal[
    "orm-instance",
    "callable",
    "generator",
    "open-file",
    "mutable-state",
    "transaction",
    "signal",
    "template",
]
Recommendation = Literal["owned", "owner-api", "read-model", "shared-database"]


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """How waves are scored. The weights are printed with every rationale, so the order is explainable."""

    weight_call_site: float = 1.0  # per inbound call site from the rest of the code
    weight_shared_table: float = 5.0  # per table shared with another part of the code
    weight_cycle: float = 10.0  # per other service the service is in a dependency cycle with
    weight_kloc: float = 1.0  # per 1000 lines of code that move
    read_model_threshold: int = 3  # foreign read sites above which a read model beats an API call
    max_cycles: int = 50  # simple cycles enumerated per service-level component (bounded work)


@dataclass(frozen=True, slots=True, order=True)
class CallSite:
    """One use of a symbol across the cut: where it is (path:line), who calls, what is called."""

    path: str
    line: int
    caller: str  # dotted, "module.function" or "module.<module>"
    callee: str  # dotted, "module.symbol" (or the module itself)
    kind: str  # the Reference kind: call, attribute, base, decorator, annotation, name
    caller_service: str
    callee_service: str


@dataclass(frozen=True, slots=True, order=True)
class InterfaceOperation:
    """A symbol used across the cut: an operation the callee side must offer over the network."""

    symbol: str  # dotted callee
    service: str  # the side that serves it
    signature: str  # "(params) -> returns" when the callee is a function, "" otherwise
    symbol_kind: str  # function, class, constant, variable, module, or "" when unknown
    call_sites: tuple[CallSite, ...]  # sorted
    callers: tuple[str, ...]  # calling services, sorted


@dataclass(frozen=True, slots=True, order=True)
class TableUse:
    """A table a service touches, who else does, and what to do with it."""

    table: str
    readers: tuple[str, ...]  # services (or "shared-kernel") that read it, sorted
    writers: tuple[str, ...]  # services that write it, sorted
    owner: str  # the service that should own it after the split ("" if undecided)
    recommendation: Recommendation
    reason: str
    read_sites: int = 0  # read sites outside the owner
    write_sites: int = 0  # write sites outside the owner


@dataclass(frozen=True, slots=True, order=True)
class Hazard:
    """Something that works in-process and breaks, or changes meaning, across a network boundary."""

    kind: HazardKind
    symbol: str
    path: str
    line: int
    detail: str
    advice: str


@dataclass(frozen=True, slots=True, order=True)
class CycleCut:
    """A service-level dependency cycle, and the edge with the fewest call sites that breaks it."""

    cycle: tuple[str, ...]  # services in order; the last calls the first
    cut_source: str
    cut_target: str
    call_sites: int  # on the cut edge
    examples: tuple[CallSite, ...]  # up to a few call sites on the cut edge


@dataclass(frozen=True, slots=True, order=True)
class Step:
    """One thing to do for a wave; prerequisites come first and block the cut."""

    order: int
    kind: StepKind
    title: str
    detail: str
    prerequisite: bool = False


@dataclass(frozen=True, slots=True)
class Entanglement:
    """The numbers a wave is ordered by."""

    inbound_call_sites: int  # uses of this service's symbols from the rest of the code
    outbound_call_sites: int  # uses of the rest of the code from this service (kernel excluded)
    shared_tables: int  # tables it touches that someone else touches too
    cycle_partners: int  # other services in a dependency cycle with it
    loc: int
    score: float


@dataclass(frozen=True, slots=True)
class Wave:
    """One service leaving the monolith, with everything the cut needs."""

    order: int  # 1-based
    service: str
    modules: tuple[str, ...]
    paths: tuple[str, ...]  # source files that move
    routes: tuple[Route, ...]
    entanglement: Entanglement
    rationale: str
    steps: tuple[Step, ...]
    interface: tuple[InterfaceOperation, ...]  # operations the new service must offer
    callbacks: tuple[InterfaceOperation, ...]  # calls it will make back into the rest
    tables: tuple[TableUse, ...]
    hazards: tuple[Hazard, ...]
    cycles: tuple[CycleCut, ...] = ()


@dataclass(frozen=True, slots=True)
class ExtractionPlan:
    """Waves in extraction order, the shared kernel, and the routes that stay in the monolith."""

    root: str
    waves: tuple[Wave, ...]
    shared_kernel: tuple[str, ...]
    kernel_note: str
    monolith_routes: tuple[Route, ...]  # routes not served by any wave's service
    weights: tuple[tuple[str, float], ...]  # the ordering weights used, sorted by name
    notes: tuple[str, ...] = ()  # plan-wide findings: kernel depending on services, path conflicts

    def wave(self, service: str) -> Wave:
        for w in self.waves:
            if w.service == service:
                return w
        raise KeyError(service)

    def route_owner(self) -> dict[Route, str]:
        """Every route to the service that will serve it (MONOLITH for those that stay)."""
        owners = {r: MONOLITH for r in self.monolith_routes}
        for w in self.waves:
            owners.update((r, w.service) for r in w.routes)
        return owners

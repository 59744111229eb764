"""`make_plan`: from facts and a cut to waves with steps, interfaces, data ownership and hazards.

The planner first surveys the whole cut once (`_Survey`: owners, call sites across the cut, table
uses, kernel hooks), scores and orders the services, then builds one `Wave` per service in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from analyzers.model import Codebase, Route
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.plan import hazards, interface
from strangler.plan import ownership as data
from strangler.plan import sequencing as ordering
from strangler.plan.cross_templates import TEMPLATE_HAZARD, template_hazards, template_sites
from strangler.plan.extraction_plan import (
    MONOLITH,
    CallSite,
    CycleCut,
    Entanglement,
    ExtractionPlan,
    Hazard,
    InterfaceOperation,
    PlanOptions,
    TableUse,
    Wave,
)
from strangler.plan.wave_steps import NAMED_OPERATIONS, WaveWork, wave_steps

__all__ = ["NAMED_OPERATIONS", "TEMPLATE_HAZARD", "make_plan", "template_hazards", "template_sites"]


@dataclass(frozen=True, slots=True)
class _Survey:
    """What the planner works out once for the whole cut, before any wave."""

    codebase: Codebase
    options: PlanOptions
    owner: Mapping[str, str]  # module → service (or SHARED_KERNEL, or MONOLITH)
    sites: tuple[CallSite, ...]  # uses across the cut
    pages: tuple[CallSite, ...]  # template uses across the cut: no API call, yet a page needs them
    operations: tuple[InterfaceOperation, ...]
    graph: nx.DiGraph  # service-level call graph
    uses: Mapping[str, TableUse]
    kernel_uses: tuple[CallSite, ...]  # kernel code calling into a service
    models: frozenset[str]
    modules_of: Mapping[str, tuple[str, ...]]  # service (no library) → its modules, sorted
    loc: Mapping[str, int]
    paths: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _Slot:
    """A service's place in the extraction order, and the cycles it is the first to break."""

    position: int  # 1-based
    total: int
    service: str
    cuts: tuple[CycleCut, ...]


def make_plan(
    codebase: Codebase, decomposition: Decomposition, options: PlanOptions | None = None
) -> ExtractionPlan:
    """Order the services of `decomposition` into waves and work out what each cut needs."""
    survey = _survey(codebase, decomposition, options or PlanOptions())
    scores = {name: _score(survey, name) for name in survey.modules_of}
    routes_of = _routes_of(codebase, survey.owner, tuple(survey.modules_of))
    kernel = tuple(sorted(m for m, o in survey.owner.items() if o == SHARED_KERNEL))
    return ExtractionPlan(
        root=codebase.root,
        waves=_waves(survey, scores, routes_of),
        shared_kernel=kernel,
        kernel_note=_kernel_note(kernel, survey.loc),
        monolith_routes=tuple(routes_of[MONOLITH]),
        weights=_weights(survey.options),
        notes=tuple(
            f"{s.path}:{s.line}: shared-kernel {s.caller} uses {s.callee} of {s.callee_service}"
            for s in survey.kernel_uses
        ),
    )


def _survey(codebase: Codebase, decomposition: Decomposition, options: PlanOptions) -> _Survey:
    owner = interface.owners(codebase, decomposition)
    sites = interface.cross_call_sites(codebase, owner)
    names = tuple(s.name for s in decomposition.services if not s.library)  # a library is no wave
    return _Survey(
        codebase=codebase,
        options=options,
        owner=owner,
        sites=sites,
        pages=template_sites(codebase, owner),
        operations=interface.operations(codebase, sites),
        graph=ordering.service_graph(sites),
        uses=data.table_uses(codebase, owner, options),
        kernel_uses=interface.kernel_violations(codebase, owner),
        models=hazards.model_classes(codebase),
        modules_of={n: tuple(sorted(m for m, o in owner.items() if o == n)) for n in names},
        loc={m.name: m.loc for m in codebase.modules},
        paths={m.name: m.path for m in codebase.modules},
    )


def _score(survey: _Survey, name: str) -> Entanglement:
    crossing = (*survey.sites, *survey.pages)
    tables = data.tables_of(name, survey.uses)
    return ordering.entanglement(
        inbound=sum(1 for s in crossing if s.callee_service == name),
        outbound=sum(1 for s in crossing if s.caller_service == name),
        shared_tables=sum(1 for t in tables if data.shared(name, t)),
        partners=len(ordering.cycle_partners(survey.graph, name)),
        loc=sum(survey.loc.get(m, 0) for m in survey.modules_of[name]),
        options=survey.options,
    )


def _routes_of(
    codebase: Codebase, owner: Mapping[str, str], names: tuple[str, ...]
) -> dict[str, list[Route]]:
    """Each wave's routes, in order; routes of the kernel or of no service stay with MONOLITH."""
    routes_of: dict[str, list[Route]] = {n: [] for n in (*names, MONOLITH)}
    for route in sorted(codebase.routes):
        side = owner.get(route.module, MONOLITH)
        routes_of[side if side in routes_of else MONOLITH].append(route)
    return routes_of


def _waves(
    survey: _Survey, scores: Mapping[str, Entanglement], routes_of: Mapping[str, list[Route]]
) -> tuple[Wave, ...]:
    """One wave per service, least entangled first; a cycle is broken by the first wave on it."""
    order = ordering.order_services(scores)
    waves = []
    broken: set[frozenset[str]] = set()
    for position, name in enumerate(order, start=1):
        cuts = tuple(
            c
            for c in ordering.cycles_through(survey.graph, name, survey.sites, survey.options.max_cycles)
            if frozenset(c.cycle) not in broken
        )
        broken.update(frozenset(c.cycle) for c in cuts)
        slot = _Slot(position, len(order), name, cuts)
        waves.append(_wave(survey, slot, scores[name], tuple(routes_of[name])))
    return tuple(waves)


def _wave(survey: _Survey, slot: _Slot, ent: Entanglement, routes: tuple[Route, ...]) -> Wave:
    name = slot.service
    iface = tuple(op for op in survey.operations if op.service == name)
    callbacks = _callbacks(survey.operations, name)
    tables = data.tables_of(name, survey.uses)
    modules = survey.modules_of[name]
    work = WaveWork(
        service=name,
        order=slot.position,
        cuts=slot.cuts,
        tables=tables,
        kernel_uses=tuple(s for s in survey.kernel_uses if s.callee_service == name),
        interface=iface,
        callbacks=callbacks,
        modules=modules,
        loc=ent.loc,
        routes=len(routes),
    )
    return Wave(
        order=slot.position,
        service=name,
        modules=modules,
        paths=tuple(survey.paths[m] for m in modules),  # paths[i] is the file of modules[i]
        routes=routes,
        entanglement=ent,
        rationale=ordering.rationale(name, slot.position, slot.total, ent, survey.options),
        steps=wave_steps(work),
        interface=iface,
        callbacks=callbacks,
        tables=tables,
        hazards=_hazards(survey, name, (*iface, *callbacks)),
        cycles=slot.cuts,
    )


def _callbacks(operations: tuple[InterfaceOperation, ...], name: str) -> tuple[InterfaceOperation, ...]:
    """The operations `name` calls on the rest, each narrowed to the call sites in `name`."""
    return tuple(
        InterfaceOperation(
            symbol=op.symbol,
            service=op.service,
            signature=op.signature,
            symbol_kind=op.symbol_kind,
            call_sites=tuple(s for s in op.call_sites if s.caller_service == name),
            callers=(name,),
        )
        for op in operations
        if any(s.caller_service == name for s in op.call_sites)
    )


def _hazards(survey: _Survey, name: str, operations: tuple[InterfaceOperation, ...]) -> tuple[Hazard, ...]:
    codebase = survey.codebase
    found: list[Hazard] = []
    found += hazards.operation_hazards(codebase, operations, survey.models)
    found += hazards.shared_write_hazards(codebase, survey.owner, operations)
    found += hazards.signal_hazards(codebase, survey.owner, name)
    found += template_hazards(survey.pages, name)
    return tuple(sorted(set(found)))


def _kernel_note(kernel: tuple[str, ...], loc: Mapping[str, int]) -> str:
    if not kernel:
        return "There is no shared kernel: every module belongs to a service or stays in the monolith."
    kernel_loc = sum(loc.get(m, 0) for m in kernel)
    return (
        f"The shared kernel ({len(kernel)} module(s), {kernel_loc} lines) is not a wave: it stays in the "
        "monolith and is packaged as a library that every new service depends on. Keep it free of "
        "business rules; anything that grows a capability there belongs in a service."
    )


def _weights(options: PlanOptions) -> tuple[tuple[str, float], ...]:
    weights = (
        ("cycle", options.weight_cycle),
        ("call_site", options.weight_call_site),
        ("kloc", options.weight_kloc),
        ("shared_table", options.weight_shared_table),
    )
    return tuple(sorted(weights))

"""`make_plan`: from facts and a cut to waves with steps, interfaces, data ownership and hazards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analyzers.model import Codebase, Route
from strangler.decomposition import SHARED_KERNEL, Decomposition
from strangler.plan import data, hazards, interface, ordering
from strangler.plan.model import (
    MONOLITH,
    CallSite,
    CycleCut,
    ExtractionPlan,
    Hazard,
    HazardKind,
    InterfaceOperation,
    PlanOptions,
    Step,
    TableUse,
    Wave,
)
from strangler.signals import TEMPLATE_MARKER

#: Operations named in a step's detail before "and N more".
NAMED_OPERATIONS = 5
#: The hazard of a template use across the cut (not yet one of the kinds model.HazardKind lists).
TEMPLATE_HAZARD: HazardKind = "template"


def template_sites(codebase: Codebase, owner: Mapping[str, str]) -> tuple[CallSite, ...]:
    """Template uses (analyzers.templates) whose two ends go to different services, the kernel on
    neither end, code only: a page of one side that cannot render without the other's tag library
    or template. `path` and `line` are the template's; the caller is the app owning it."""
    roles = {m.name: m.role for m in codebase.modules}
    found = set()
    for edge in codebase.imports:
        if TEMPLATE_MARKER not in edge.markers or roles.get(edge.source) != "code":
            continue
        caller, callee = owner.get(edge.source, MONOLITH), owner.get(edge.target, MONOLITH)
        if caller == callee or SHARED_KERNEL in (caller, callee) or roles.get(edge.target) != "code":
            continue
        path = edge.names[0] if edge.names else ""
        found.add(CallSite(path, edge.line, edge.source, edge.target, "template", caller, callee))
    return tuple(sorted(found))


def template_hazards(sites: Iterable[CallSite], service: str) -> list[Hazard]:
    """One hazard per template use across the boundary of `service`, either way."""
    return [_template_hazard(s) for s in sites if service in (s.caller_service, s.callee_service)]


def _template_hazard(site: CallSite) -> Hazard:
    user = site.caller_service
    owner = "the monolith" if site.callee_service == MONOLITH else site.callee_service
    if ".templatetags." in site.callee:
        used = f"tag library {site.callee}"
        advice = f"move the tags into a UI package both sides install, or have {owner} render the fragment"
    else:
        used = f"a template of {site.callee}"
        advice = f"give {user} its own copy of the template, or have {owner} serve the fragment"
    detail = f"a template of {user} uses {used}, which goes to {owner}"
    return Hazard(TEMPLATE_HAZARD, site.callee, site.path, site.line, detail, advice)


def _ops_text(ops: tuple[InterfaceOperation, ...]) -> str:
    names = [f"{op.symbol} ({len(op.call_sites)})" for op in ops[:NAMED_OPERATIONS]]
    more = len(ops) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _steps(
    service: str,
    order: int,
    cuts: tuple[CycleCut, ...],
    tables: tuple[TableUse, ...],
    kernel_uses: tuple[CallSite, ...],
    iface: tuple[InterfaceOperation, ...],
    callbacks: tuple[InterfaceOperation, ...],
    modules: tuple[str, ...],
    loc: int,
    routes: int,
) -> tuple[Step, ...]:
    steps: list[tuple[str, str, str, bool]] = []
    by_edge: dict[tuple[str, str], list[CycleCut]] = {}
    for cut in cuts:
        by_edge.setdefault((cut.cut_source, cut.cut_target), []).append(cut)
    for (source, target), group in sorted(by_edge.items()):
        rings = "; ".join(" → ".join((*c.cycle, c.cycle[0])) for c in group)
        example = "; ".join(f"{s.path}:{s.line} {s.caller} → {s.callee}" for s in group[0].examples)
        steps.append(
            (
                "break-cycle",
                f"Cut the dependency {source} → {target} ({group[0].call_sites} call site(s))",
                f"It is the cheapest edge of {len(group)} cycle(s): {rings}. Invert it with an event "
                f"or a callback, or move the called code. E.g. {example}.",
                True,
            )
        )
    for use in tables:
        if use.recommendation == "shared-database" and service in use.writers and use.owner != service:
            steps.append(
                (
                    "single-writer",
                    f"Make {use.owner} the only writer of table {use.table}",
                    f"{service} writes {use.table} too ({', '.join(use.writers)} write it): route "
                    f"{service}'s writes through an operation of {use.owner}, or share the database "
                    "for one phase and plan the change of owner.",
                    True,
                )
            )
    if kernel_uses:
        sites = "; ".join(f"{s.path}:{s.line} {s.caller} → {s.callee}" for s in kernel_uses[:3])
        steps.append(
            (
                "invert-kernel-dependency",
                f"Unhook {service} from the shared kernel ({len(kernel_uses)} use(s))",
                f"The kernel becomes a library every service imports, so it cannot import {service}: "
                "wiring (blueprint registration, signal hookup) moves to the service's own app, "
                "anything else moves out of the kernel. "
                f"E.g. {sites}.",
                True,
            )
        )
    if iface:
        count = sum(len(op.call_sites) for op in iface)
        steps.append(
            (
                "build-interface",
                f"Offer {len(iface)} operation(s) as the API of {service}",
                f"{count} call site(s) in the rest of the code call them: {_ops_text(iface)}. "
                "Replace each call site with a client call (see Interface).",
                False,
            )
        )
    if callbacks:
        count = sum(len(op.call_sites) for op in callbacks)
        targets = sorted({op.service for op in callbacks})
        steps.append(
            (
                "build-interface",
                f"Give {service} a client for {len(callbacks)} operation(s) it calls back",
                f"{count} call site(s) in {service} call {', '.join(targets)}: {_ops_text(callbacks)}.",
                False,
            )
        )
    for use in tables:
        if use.recommendation == "owned":
            text = f"Move table {use.table} into {service}'s database"
        elif use.owner == service:
            text = f"Own table {use.table}; others: {use.recommendation}"
        else:
            text = f"Stop touching table {use.table} directly ({use.owner or 'no single owner'} owns it)"
        steps.append(("data", text, use.reason + ".", False))
    steps.append(
        (
            "move-code",
            f"Move {len(modules)} module(s), {loc} lines, into services/{service}",
            "Moved: " + ", ".join(modules) + ". Imports of the shared kernel become a library dependency.",
            False,
        )
    )
    if routes:
        steps.append(
            (
                "route-traffic",
                f"Send {routes} route(s) to {service} through the proxy",
                f"Deploy proxy phase {order} as canaries (proxy/nginx/phase-{order}.canary-*.conf), "
                f"then phase-{order}.conf; roll back by reloading phase-{order - 1}.conf.",
                False,
            )
        )
    steps.append(
        (
            "retire",
            f"Delete the moved code of {service} from the monolith",
            "Once the phase has served all traffic without errors and no call site uses the old modules.",
            False,
        )
    )
    ordered = sorted(steps, key=lambda s: not s[3])
    return tuple(
        Step(order=i, kind=kind, title=title, detail=detail, prerequisite=pre)  # type: ignore[arg-type]
        for i, (kind, title, detail, pre) in enumerate(ordered, start=1)
    )


def make_plan(
    codebase: Codebase, decomposition: Decomposition, options: PlanOptions | None = None
) -> ExtractionPlan:
    """Order the services of `decomposition` into waves and work out what each cut needs."""
    options = options or PlanOptions()
    owner = interface.owners(codebase, decomposition)
    sites = interface.cross_call_sites(codebase, owner)
    pages = template_sites(codebase, owner)  # uses too, though no API call: a page needs them in-process
    all_ops = interface.operations(codebase, sites)
    graph = ordering.service_graph(sites)
    uses = data.table_uses(codebase, owner, options)
    kernel_uses = interface.kernel_violations(codebase, owner)
    models = hazards.model_classes(codebase)
    names = tuple(s.name for s in decomposition.services if not s.library)  # a library is no wave
    modules_of = {n: tuple(sorted(m for m, o in owner.items() if o == n)) for n in names}
    loc = {m.name: m.loc for m in codebase.modules}

    scores = {}
    for name in names:
        tables = data.tables_of(name, uses)
        scores[name] = ordering.entanglement(
            inbound=sum(1 for s in (*sites, *pages) if s.callee_service == name),
            outbound=sum(1 for s in (*sites, *pages) if s.caller_service == name),
            shared_tables=sum(1 for t in tables if data.shared(name, t)),
            partners=len(ordering.cycle_partners(graph, name)),
            loc=sum(loc.get(m, 0) for m in modules_of[name]),
            options=options,
        )
    order = ordering.order_services(scores)
    routes_of: dict[str, list[Route]] = {n: [] for n in (*names, MONOLITH)}
    for route in sorted(codebase.routes):
        side = owner.get(route.module, MONOLITH)
        routes_of[side if side in routes_of else MONOLITH].append(route)

    waves = []
    broken: set[frozenset[str]] = set()
    paths = {m.name: m.path for m in codebase.modules}
    for position, name in enumerate(order, start=1):
        cuts = tuple(
            c
            for c in ordering.cycles_through(graph, name, sites, options.max_cycles)
            if frozenset(c.cycle) not in broken
        )
        broken.update(frozenset(c.cycle) for c in cuts)
        iface = tuple(op for op in all_ops if op.service == name)
        callbacks = tuple(
            InterfaceOperation(
                symbol=op.symbol,
                service=op.service,
                signature=op.signature,
                symbol_kind=op.symbol_kind,
                call_sites=tuple(s for s in op.call_sites if s.caller_service == name),
                callers=(name,),
            )
            for op in all_ops
            if any(s.caller_service == name for s in op.call_sites)
        )
        tables = data.tables_of(name, uses)
        found: list[Hazard] = []
        found += hazards.operation_hazards(codebase, (*iface, *callbacks), models)
        found += hazards.shared_write_hazards(codebase, owner, (*iface, *callbacks))
        found += hazards.signal_hazards(codebase, owner, name)
        found += template_hazards(pages, name)
        ent = scores[name]
        mine = tuple(s for s in kernel_uses if s.callee_service == name)
        waves.append(
            Wave(
                order=position,
                service=name,
                modules=modules_of[name],
                paths=tuple(paths[m] for m in modules_of[name]),  # paths[i] is the file of modules[i]
                routes=tuple(routes_of[name]),
                entanglement=ent,
                rationale=ordering.rationale(name, position, len(order), ent, options),
                steps=_steps(
                    name,
                    position,
                    cuts,
                    tables,
                    mine,
                    iface,
                    callbacks,
                    modules_of[name],
                    ent.loc,
                    len(routes_of[name]),
                ),
                interface=iface,
                callbacks=callbacks,
                tables=tables,
                hazards=tuple(sorted(set(found))),
                cycles=cuts,
            )
        )
    kernel = tuple(sorted(m for m, o in owner.items() if o == SHARED_KERNEL))
    kernel_loc = sum(loc.get(m, 0) for m in kernel)
    kernel_note = (
        f"The shared kernel ({len(kernel)} module(s), {kernel_loc} lines) is not a wave: it stays in the "
        "monolith and is packaged as a library that every new service depends on. Keep it free of "
        "business rules; anything that grows a capability there belongs in a service."
        if kernel
        else "There is no shared kernel: every module belongs to a service or stays in the monolith."
    )
    notes = tuple(
        f"{s.path}:{s.line}: shared-kernel {s.caller} uses {s.callee} of {s.callee_service}"
        for s in kernel_uses
    )
    weights = (
        ("cycle", options.weight_cycle),
        ("call_site", options.weight_call_site),
        ("kloc", options.weight_kloc),
        ("shared_table", options.weight_shared_table),
    )
    return ExtractionPlan(
        root=codebase.root,
        waves=tuple(waves),
        shared_kernel=kernel,
        kernel_note=kernel_note,
        monolith_routes=tuple(routes_of[MONOLITH]),
        weights=tuple(sorted(weights)),
        notes=notes,
    )

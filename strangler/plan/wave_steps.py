"""The numbered steps of one wave: prerequisites (cycles, writers, kernel hooks) first, then the work.

`wave_steps` reads a `WaveWork`, the parameter object holding what the planner found for the wave,
and returns its `Step`s in order; each kind of step has its own small function.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from strangler.plan.extraction_plan import (
    CallSite,
    CycleCut,
    InterfaceOperation,
    Step,
    StepKind,
    TableUse,
)

#: Operations named in a step's detail before "and N more".
NAMED_OPERATIONS = 5
#: Kernel call sites quoted as examples in the unhook step.
KERNEL_EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class WaveWork:
    """What the planner found for one wave: the input of its steps."""

    service: str
    order: int  # the wave's position, 1-based; also its proxy phase
    cuts: tuple[CycleCut, ...]
    tables: tuple[TableUse, ...]
    kernel_uses: tuple[CallSite, ...]  # kernel code calling into this service
    interface: tuple[InterfaceOperation, ...]
    callbacks: tuple[InterfaceOperation, ...]
    modules: tuple[str, ...]
    loc: int
    routes: int


@dataclass(frozen=True, slots=True)
class _Draft:
    """A step before it is numbered."""

    kind: StepKind
    title: str
    detail: str
    prerequisite: bool = False


def wave_steps(work: WaveWork) -> tuple[Step, ...]:
    """The steps of one wave, prerequisites first (otherwise in the order they are drafted)."""
    drafts = [*_prerequisites(work), *_work(work)]
    ordered = sorted(drafts, key=_comes_later)
    return tuple(
        Step(order=i, kind=d.kind, title=d.title, detail=d.detail, prerequisite=d.prerequisite)
        for i, d in enumerate(ordered, start=1)
    )


def _comes_later(draft: _Draft) -> bool:
    return not draft.prerequisite


def _prerequisites(work: WaveWork) -> Iterator[_Draft]:
    yield from _cycle_steps(work.cuts)
    yield from _single_writer_steps(work)
    if work.kernel_uses:
        yield _kernel_step(work)


def _work(work: WaveWork) -> Iterator[_Draft]:
    if work.interface:
        yield _interface_step(work)
    if work.callbacks:
        yield _callbacks_step(work)
    yield from _data_steps(work)
    yield _move_step(work)
    if work.routes:
        yield _route_step(work)
    yield _Draft(
        "retire",
        f"Delete the moved code of {work.service} from the monolith",
        "Once the phase has served all traffic without errors and no call site uses the old modules.",
    )


def _site_text(site: CallSite) -> str:
    return f"{site.path}:{site.line} {site.caller} → {site.callee}"


def _ops_text(ops: tuple[InterfaceOperation, ...]) -> str:
    names = [f"{op.symbol} ({len(op.call_sites)})" for op in ops[:NAMED_OPERATIONS]]
    more = len(ops) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _cycle_steps(cuts: tuple[CycleCut, ...]) -> Iterator[_Draft]:
    by_edge: dict[tuple[str, str], list[CycleCut]] = {}
    for cut in cuts:
        by_edge.setdefault((cut.cut_source, cut.cut_target), []).append(cut)
    for (source, target), group in sorted(by_edge.items()):
        rings = "; ".join(" → ".join((*c.cycle, c.cycle[0])) for c in group)
        example = "; ".join(_site_text(s) for s in group[0].examples)
        yield _Draft(
            "break-cycle",
            f"Cut the dependency {source} → {target} ({group[0].call_sites} call site(s))",
            f"It is the cheapest edge of {len(group)} cycle(s): {rings}. Invert it with an event "
            f"or a callback, or move the called code. E.g. {example}.",
            True,
        )


def _single_writer_steps(work: WaveWork) -> Iterator[_Draft]:
    service = work.service
    for use in work.tables:
        if use.recommendation == "shared-database" and service in use.writers and use.owner != service:
            yield _Draft(
                "single-writer",
                f"Make {use.owner} the only writer of table {use.table}",
                f"{service} writes {use.table} too ({', '.join(use.writers)} write it): route "
                f"{service}'s writes through an operation of {use.owner}, or share the database "
                "for one phase and plan the change of owner.",
                True,
            )


def _kernel_step(work: WaveWork) -> _Draft:
    sites = "; ".join(_site_text(s) for s in work.kernel_uses[:KERNEL_EXAMPLES])
    return _Draft(
        "invert-kernel-dependency",
        f"Unhook {work.service} from the shared kernel ({len(work.kernel_uses)} use(s))",
        f"The kernel becomes a library every service imports, so it cannot import {work.service}: "
        "wiring (blueprint registration, signal hookup) moves to the service's own app, "
        "anything else moves out of the kernel. "
        f"E.g. {sites}.",
        True,
    )


def _interface_step(work: WaveWork) -> _Draft:
    count = sum(len(op.call_sites) for op in work.interface)
    return _Draft(
        "build-interface",
        f"Offer {len(work.interface)} operation(s) as the API of {work.service}",
        f"{count} call site(s) in the rest of the code call them: {_ops_text(work.interface)}. "
        "Replace each call site with a client call (see Interface).",
    )


def _callbacks_step(work: WaveWork) -> _Draft:
    count = sum(len(op.call_sites) for op in work.callbacks)
    targets = sorted({op.service for op in work.callbacks})
    return _Draft(
        "build-interface",
        f"Give {work.service} a client for {len(work.callbacks)} operation(s) it calls back",
        f"{count} call site(s) in {work.service} call {', '.join(targets)}: {_ops_text(work.callbacks)}.",
    )


def _data_steps(work: WaveWork) -> Iterator[_Draft]:
    for use in work.tables:
        if use.recommendation == "owned":
            text = f"Move table {use.table} into {work.service}'s database"
        elif use.owner == work.service:
            text = f"Own table {use.table}; others: {use.recommendation}"
        else:
            text = f"Stop touching table {use.table} directly ({use.owner or 'no single owner'} owns it)"
        yield _Draft("data", text, use.reason + ".")


def _move_step(work: WaveWork) -> _Draft:
    return _Draft(
        "move-code",
        f"Move {len(work.modules)} module(s), {work.loc} lines, into services/{work.service}",
        "Moved: " + ", ".join(work.modules) + ". Imports of the shared kernel become a library dependency.",
    )


def _route_step(work: WaveWork) -> _Draft:
    order = work.order
    return _Draft(
        "route-traffic",
        f"Send {work.routes} route(s) to {work.service} through the proxy",
        f"Deploy proxy phase {order} as canaries (proxy/nginx/phase-{order}.canary-*.conf), "
        f"then phase-{order}.conf; roll back by reloading phase-{order - 1}.conf.",
    )

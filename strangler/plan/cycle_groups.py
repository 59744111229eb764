"""Dependency cycles between services, named, and how much of each is left when a wave leaves.

`Entanglement.cycle_partners` counts the other members of a service's strongly connected component
of the service call graph: in one big component every member gets the same number, so it does not
tell the waves apart. Here each component of two or more services gets a label (A, B, …, in the
order of its first wave), and each wave the partners still in the monolith when it leaves: those
extracted by earlier waves no longer tangle it (the monolith remainder, when it is in the cycle,
never leaves).

The graph is rebuilt from the plan's own call sites (every site across the cut is in the interface
of its callee's wave or in the callbacks of its caller's wave), so this works on any plan value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from strangler.plan.extraction_plan import MONOLITH, CallSite, ExtractionPlan
from strangler.plan.sequencing import cycle_partners, service_graph

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, slots=True)
class CycleGroup:
    """Services that call each other in a loop (a strongly connected component of two or more)."""

    label: str  # "A", "B", …, "Z", "AA", …: in the order of the group's first wave
    services: tuple[str, ...]  # its waves' services, in extraction order
    monolith: bool  # the monolith remainder is in the loop too (it never leaves)

    def describe(self) -> str:
        """'cycle A (8 services)', with '+ the monolith' when the remainder is in it."""
        count = len(self.services)
        services = f"{count} service" if count == 1 else f"{count} services"
        return f"cycle {self.label} ({services}{' + the monolith' if self.monolith else ''})"


@dataclass(frozen=True, slots=True)
class WaveCycle:
    """A wave's place in its cycle: all its partners, and those still in the monolith when it leaves."""

    group: CycleGroup
    partners: tuple[str, ...]  # the other members (MONOLITH included when in the loop), sorted
    remaining: tuple[str, ...]  # partners not extracted by an earlier wave, sorted


def label(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (bijective base 26, like spreadsheet columns)."""
    text = ""
    number = index + 1
    while number:
        number, digit = divmod(number - 1, 26)
        text = _LETTERS[digit] + text
    return text


def _sites(plan: ExtractionPlan) -> Iterator[CallSite]:
    for wave in plan.waves:
        for op in (*wave.interface, *wave.callbacks):
            yield from op.call_sites


def wave_cycles(plan: ExtractionPlan) -> dict[str, WaveCycle]:
    """Service → its cycle, for every wave in a cycle (a wave in none is absent)."""
    graph = service_graph(_sites(plan))
    order = {w.service: w.order for w in plan.waves}
    groups: dict[frozenset[str], CycleGroup] = {}
    found: dict[str, WaveCycle] = {}
    for wave in plan.waves:
        partners = cycle_partners(graph, wave.service)
        if not partners:
            continue
        members = frozenset((wave.service, *partners))
        if members not in groups:
            services = tuple(sorted((m for m in members if m in order), key=order.__getitem__))
            groups[members] = CycleGroup(label(len(groups)), services, MONOLITH in members)
        remaining = tuple(p for p in partners if order.get(p, len(order) + 1) > wave.order)
        found[wave.service] = WaveCycle(groups[members], partners, remaining)
    return found


def partners_left(plan: ExtractionPlan) -> dict[str, int]:
    """Service → its cycle partners still in the monolith when its wave leaves (0 when in no cycle)."""
    cycles = wave_cycles(plan)
    return {w.service: len(cycles[w.service].remaining) if w.service in cycles else 0 for w in plan.waves}

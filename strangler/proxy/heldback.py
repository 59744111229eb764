"""The routes the proxy leaves with the monolith against the plan, for plan.md and plan.json.

Every phase's route table says which routes it holds back and why (`RouteTable.held`); here they
are gathered over the phases (canary variants share their phase's table) into the `routing`
section of plan.json and a section of plan.md. Both appear only when some route is held back, so
a plan without any reads as before.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from strangler.plan.extraction_plan import ExtractionPlan
from strangler.proxy.matches import Held
from strangler.proxy.phases import ProxyOptions, internal_prefix, phases, reserved_prefixes


@dataclass(frozen=True, slots=True, order=True)
class HeldRoute:
    """Routes held back with the monolith, why, and in which phases."""

    routes: tuple[str, ...]
    owners: tuple[str, ...]
    reason: str
    phases: tuple[int, ...]


def held_routes(plan: ExtractionPlan, options: ProxyOptions) -> tuple[HeldRoute, ...]:
    """Every distinct held-back entry of the plan's phases, with the phase numbers it appears in."""
    found: dict[Held, set[int]] = defaultdict(set)
    for phase in phases(plan, options):
        for held in phase.table.held:
            found[held].add(phase.number)
    return tuple(sorted(HeldRoute(h.routes, h.owners, h.reason, tuple(sorted(n))) for h, n in found.items()))


def routing_section(plan: ExtractionPlan, options: ProxyOptions) -> dict[str, Any] | None:
    """plan.json's `routing`: the held-back routes and the prefixes never routed to a service."""
    held = held_routes(plan, options)
    if not held:
        return None
    return {
        "held_back": [
            {
                "routes": list(h.routes),
                "services": list(h.owners),
                "reason": h.reason,
                "phases": list(h.phases),
            }
            for h in held
        ],
        "internal_prefix": internal_prefix(options),
        "reserved_prefixes": list(reserved_prefixes(options)),
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ")


def routing_markdown(plan: ExtractionPlan, options: ProxyOptions) -> str:
    """plan.md's section on the held-back routes ("" when there is none)."""
    held = held_routes(plan, options)
    if not held:
        return ""
    lines = [
        f"## Routes the proxy keeps on the monolith ({len(held)})",
        "",
        "The plan moves these routes, but the proxy cannot send them to their service safely: they "
        f"stay with the monolith in every phase listed (reserved prefixes: "
        f"{', '.join(f'`{p}`' for p in reserved_prefixes(options))}; internal API: "
        f"`{internal_prefix(options)}`). Each line says why and how to route it by hand.",
        "",
    ]
    for h in held:
        routes = ", ".join(f"`{_cell(r)}`" for r in h.routes)
        phase_list = ", ".join(str(n) for n in h.phases)
        lines.append(f"- {routes} ({_cell(', '.join(h.owners))}; phases {phase_list}): {_cell(h.reason)}")
    return "\n".join(lines) + "\n"

"""The most severe hazards of a plan: which boundary problems to look at first.

Severity is by kind, silent failures first: a split transaction leaves data half-written, a signal
or event whose receivers end up in another process is silently not delivered, module-level state
silently diverges between processes; the rest fail loudly once the call crosses the network (an
ORM instance, a callable, a lazy iterator or an open file cannot be serialized; a page misses a
template of another service). Ties go to the earlier wave, then the location, so the list is stable.
"""

from __future__ import annotations

from dataclasses import dataclass

from strangler.plan.extraction_plan import ExtractionPlan, Hazard, HazardKind

#: Hazard kinds, most severe first.
SEVERITY: tuple[HazardKind, ...] = (
    "transaction",
    "signal",
    "mutable-state",
    "orm-instance",
    "callable",
    "generator",
    "open-file",
    "template",
)


@dataclass(frozen=True, slots=True)
class RankedHazard:
    """A hazard with the first wave it is found in (the same one can sit on several boundaries)."""

    wave: int
    service: str
    hazard: Hazard

    def key(self) -> tuple[int, int, str, int, str, str]:
        h = self.hazard
        return SEVERITY.index(h.kind), self.wave, h.path, h.line, h.symbol, h.detail


def _identity(hazard: Hazard) -> tuple[str, str, str, int]:
    return hazard.kind, hazard.symbol, hazard.path, hazard.line


def ranked_hazards(plan: ExtractionPlan) -> tuple[RankedHazard, ...]:
    """Every distinct hazard of the plan (kind, symbol, location), at its first wave, most severe first."""
    first: dict[tuple[str, str, str, int], RankedHazard] = {}
    for wave in plan.waves:
        for hazard in wave.hazards:
            first.setdefault(_identity(hazard), RankedHazard(wave.order, wave.service, hazard))
    return tuple(sorted(first.values(), key=RankedHazard.key))

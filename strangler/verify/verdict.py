"""The verifier's findings per phase, and their text: counts per phase, then a table of mismatches."""

from __future__ import annotations

from dataclasses import dataclass

from strangler.exceptions import StranglerError
from strangler.proxy.phases import comment


class MismatchError(StranglerError):
    """Some request of some phase reached another upstream than the plan says (exit 1)."""

    exit_code = 1


@dataclass(frozen=True, slots=True, order=True)
class Mismatch:
    """A request that reached another upstream than the plan says."""

    phase: str
    request: str
    kind: str  # route, query, neighbour, negative, internal
    route: str  # the route it stands for or is next to ("" for the fixed probes)
    expected: tuple[str, ...]
    got: str


@dataclass(frozen=True, slots=True)
class PhaseResult:
    """One phase (or canary variant) run live."""

    phase: str
    routes: int  # routes of the plan whose request reached an expected upstream
    probes: int  # requests sent (routes, neighbours, negatives)
    mismatches: tuple[Mismatch, ...]
    unverified: tuple[str, ...]  # routes no request path could be made for (labels)
    held: int  # routes the phase leaves with the monolith against the plan (see plan.md)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    phases: tuple[PhaseResult, ...]

    @property
    def ok(self) -> bool:
        return not any(p.mismatches for p in self.phases)

    def mismatches(self) -> tuple[Mismatch, ...]:
        return tuple(m for p in self.phases for m in p.mismatches)

    def unverified(self) -> tuple[str, ...]:
        return tuple(sorted({label for p in self.phases for label in p.unverified}))


def _cell(text: str) -> str:
    return comment(text).replace("|", "\\|")


def _phase_line(result: PhaseResult, width: int) -> str:
    return (
        f"  {result.phase:<{width}}  routes verified {result.routes:>4}  probes {result.probes:>5}  "
        f"mismatches {len(result.mismatches):>3}  unverified {len(result.unverified):>3}  "
        f"held back {result.held:>3}"
    )


def _table(mismatches: tuple[Mismatch, ...]) -> list[str]:
    lines = ["", "| phase | request | kind | expected | got | route |", "|---|---|---|---|---|---|"]
    lines += [
        f"| {m.phase} | `{_cell(m.request)}` | {m.kind} | {_cell(' or '.join(m.expected))} | "
        f"{_cell(m.got)} | {_cell(m.route)} |"
        for m in mismatches
    ]
    return lines


def render_text(report: VerifyReport) -> str:
    """Counts per phase; the mismatches as a table; the routes left unverified; a verdict."""
    width = max((len(p.phase) for p in report.phases), default=5)
    lines = [f"verify: {len(report.phases)} phases run in nginx on 127.0.0.1 with stub upstreams"]
    lines += [_phase_line(p, width) for p in report.phases]
    mismatches, unverified = report.mismatches(), report.unverified()
    if mismatches:
        lines += _table(mismatches)
    if unverified:
        lines += ["", "unverified (no request path could be made for them):"]
        lines += [f"  {_cell(label)}" for label in unverified]
    routes = sum(p.routes for p in report.phases)
    probes = sum(p.probes for p in report.phases)
    verdict = "OK" if report.ok else f"FAILED: {len(mismatches)} mismatch(es)"
    counts = f"{routes} route checks passed, {probes} requests, {len(unverified)} unverified"
    lines += ["", f"verify: {verdict} ({counts})"]
    return "\n".join(lines) + "\n"

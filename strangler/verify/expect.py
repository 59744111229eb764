"""What every request of a phase must reach, worked out from the plan alone (never from the
route table the configs were made from), so that a wrong table shows as a mismatch.

- The internal API (`/_strangler/`, its bare name) is refused: DENIED (nginx answers 404 itself).
- A path under a reserved prefix (static, media, admin), or the bare prefix, is the monolith's, and
  so are the other negative probes: the root and a path no route names.
- A path some route of the plan matches goes to the owner of the most specific such route (a
  literal before any pattern, then the lowest `Pattern.rank`; owners tied there are all accepted);
  the owner is the route's service when the phase has moved it, else the monolith. A route the
  phase's table says it holds back (`RouteTable.held`) is the monolith's: the table is trusted only
  in that, the safe direction.
- A path no route matches is the monolith's, or a service's when it lies under a prefix of one of
  that service's routes which no route of another owner could extend (the service then owns the
  whole prefix), or is the bare form of one of its `/slashed/` literal routes (frameworks redirect
  it to the slashed path).
- In a canary phase, whatever the canary service would get may also go to the monolith.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from strangler.plan.extraction_plan import MONOLITH, ExtractionPlan
from strangler.proxy import patterns, regexscan, safety
from strangler.proxy.matches import route_label
from strangler.proxy.patterns import Pattern, parse
from strangler.proxy.phases import Phase

#: The expected answer for the internal API: nginx itself answers 404, no upstream is asked.
DENIED = "(404)"


@dataclass(frozen=True, slots=True)
class Entry:
    """A pattern of the plan, who serves it in the phase, and whether it may stay home."""

    pattern: Pattern
    owners: frozenset[str]
    held: bool


@dataclass(frozen=True, slots=True)
class Oracle:
    """The facts of one phase the expectations are computed from."""

    entries: tuple[Entry, ...]
    namespaces: tuple[tuple[str, str], ...]  # (prefix, service): the service owns all of it
    bare: tuple[tuple[str, str], ...]  # (path, service): the bare form of a slashed literal route
    canary: str
    internal: str
    reserved: tuple[str, ...]


def _owner(owner: str, phase: Phase) -> str:
    """Who serves a route of `owner` in the phase: the service once moved, else the monolith."""
    return owner if owner in phase.moved and owner != MONOLITH else MONOLITH


def _entries(plan: ExtractionPlan, phase: Phase) -> tuple[Entry, ...]:
    held = phase.table.held_labels()
    owners: dict[Pattern, set[str]] = defaultdict(set)
    stays: dict[Pattern, bool] = defaultdict(bool)
    for route, owner in plan.route_owner().items():
        pattern = parse(route)
        owners[pattern].add(_owner(owner, phase))
        stays[pattern] |= route_label(route) in held
    return tuple(
        Entry(p, frozenset(o), stays[p] or len(o) > 1) for p, o in sorted(owners.items(), key=lambda i: i[0])
    )


def _service(entry: Entry) -> str:
    """The one service that serves the entry in this phase ("" for the monolith's, held, shared)."""
    if entry.held or len(entry.owners) != 1:
        return ""
    (owner,) = entry.owners
    return "" if owner == MONOLITH else owner


def _candidates(pattern: Pattern) -> list[str]:
    static = pattern.static_prefix
    return [static[: i + 1] for i, c in enumerate(static) if c == "/" and i > 0]


def _closed(
    prefix: str, service: str, entries: tuple[Entry, ...], internal: str, reserved: tuple[str, ...]
) -> bool:
    """Whether every route that could lie under `prefix` is `service`'s (and the prefix is no
    reserved or internal one)."""
    if safety.internal_path(prefix, internal) or _reserved(prefix, reserved):
        return False
    return not any(_service(e) != service and patterns.could_extend(e.pattern, prefix) for e in entries)


def _namespaces(
    entries: tuple[Entry, ...], internal: str, reserved: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    found: set[tuple[str, str]] = set()
    for entry in entries:
        service = _service(entry)
        if service:
            found.update(
                (prefix, service)
                for prefix in _candidates(entry.pattern)
                if _closed(prefix, service, entries, internal, reserved)
            )
    return tuple(sorted(found))


def _bare(entries: tuple[Entry, ...]) -> tuple[tuple[str, str], ...]:
    found = []
    for entry in entries:
        literal, service = entry.pattern.literal, _service(entry)
        if service and literal and len(literal) > 1 and literal.endswith("/"):
            found.append((literal[:-1], service))
    return tuple(sorted(found))


def oracle(plan: ExtractionPlan, phase: Phase, internal: str, reserved: tuple[str, ...]) -> Oracle:
    entries = _entries(plan, phase)
    return Oracle(
        entries, _namespaces(entries, internal, reserved), _bare(entries), phase.canary, internal, reserved
    )


def _reserved(path: str, reserved: tuple[str, ...]) -> bool:
    return any(path == p.rstrip("/") or path.startswith(p) for p in reserved)


def _most_specific(matching: list[Entry], path: str) -> list[Entry]:
    literal = [e for e in matching if e.pattern.literal == path]
    if literal:
        return literal
    best = min(e.pattern.rank() for e in matching)
    return [e for e in matching if e.pattern.rank() == best]


def _by_routes(matching: list[Entry], path: str) -> set[str]:
    """The owners of the most specific routes matching `path`; a held-back route's is the monolith."""
    chosen = _most_specific(matching, path)
    return {o for e in chosen for o in (e.owners if not e.held else {MONOLITH})}


def _unrouted(facts: Oracle, path: str) -> set[str]:
    allowed = {MONOLITH}
    allowed.update(s for prefix, s in facts.namespaces if path.startswith(prefix))
    allowed.update(s for bare, s in facts.bare if bare == path)
    return allowed


@functools.lru_cache(maxsize=1 << 14)
def _matching(pool: tuple[Pattern, ...], path: str) -> tuple[int, ...]:
    """The positions of the patterns that match `path` (or may: a bounded answer that cannot tell
    counts as a match). The same in every phase of a plan: worked out once."""
    return tuple(i for i, p in enumerate(pool) if regexscan.fullmatch(p.regex(), path) is not False)


def expected(facts: Oracle, path: str, negative: bool = False) -> frozenset[str]:
    """The answers acceptable for a request of `path` (no query string): owners, or DENIED. A
    `negative` probe (the root, a path no route names, a reserved prefix) is the monolith's alone."""
    if safety.internal_path(path, facts.internal):
        return frozenset({DENIED})
    if negative or _reserved(path, facts.reserved):
        return frozenset({MONOLITH})
    found = _matching(tuple(e.pattern for e in facts.entries), path)
    matching = [facts.entries[i] for i in found]
    allowed = _by_routes(matching, path) if matching else _unrouted(facts, path)
    if facts.canary in allowed:
        allowed.add(MONOLITH)
    return frozenset(allowed)

"""From routes and their owners to the smallest set of unambiguous proxy matches.

For each service that owns routes in a phase: a prefix where every route that could fall under it
belongs to the service (fewest matches); otherwise an exact match for a literal path, a regex for a
path with parameters. Routes of the monolith get a match of their own only where a service's regex
would otherwise take them (a "guard"); everything else falls through to the monolith's catch-all.
The result is proxy-neutral (`Match` values); nginx, Gateway API and Envoy render it.

The tree is untrusted: a route `safety` refuses (it could reach the internal API, its regex could
backtrack catastrophically, its text is no path) stays with the monolith and gets no match at all,
not even a guard; a service route whose regex overlaps such a monolith route stays with the
monolith too (the guard it would need cannot be written). `RouteTable.refused` says why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from analyzers.model import Route
from strangler.plan.model import MONOLITH
from strangler.proxy import patterns, safety
from strangler.proxy.patterns import Pattern

MatchKind = Literal["exact", "prefix", "regex"]


@dataclass(frozen=True, slots=True, order=True)
class Match:
    """One proxy match: `value` is a path (exact, prefix) or an anchored regex in the safe alphabet."""

    kind: MatchKind
    value: str
    owner: str
    routes: tuple[str, ...]  # "METHODS path" of the routes it serves (for comments; escape before use)
    rank: tuple[int, ...] = ()  # regexes: specificity, lower first


@dataclass(frozen=True, slots=True)
class RouteTable:
    """The matches of one phase, in the order a first-match proxy must evaluate them."""

    exact: tuple[Match, ...]
    prefix: tuple[Match, ...]  # longest first
    regex: tuple[Match, ...]  # most specific first
    conflicts: tuple[str, ...] = ()  # paths served by several owners: left with the monolith
    refused: tuple[str, ...] = ()  # routes held back with the monolith, and why (see `safety`)

    def all(self) -> tuple[Match, ...]:
        return (*self.exact, *self.prefix, *self.regex)

    def owners(self) -> tuple[str, ...]:
        return tuple(sorted({m.owner for m in self.all()} - {MONOLITH}))


def route_label(route: Route) -> str:
    return f"{','.join(route.methods) or 'ANY'} {route.path}"


def _candidates(pattern: Pattern) -> list[str]:
    """Prefixes ending in "/" of the pattern's literal prefix, shortest first, "/" excluded."""
    static = pattern.static_prefix
    found = []
    for i, char in enumerate(static):
        if char == "/" and i > 0:
            found.append(static[: i + 1])
    return found


def _bare(path: str) -> str | None:
    """ "/orders" for "/orders/": frameworks redirect the bare path to the slashed one."""
    return path[:-1] if len(path) > 1 and path.endswith("/") else None


def route_table(owned: Mapping[Route, str], internal: str = safety.INTERNAL_PREFIX) -> RouteTable:
    """Matches that send each route to its owner and nothing else (owners other than MONOLITH).

    `internal` is the internal API prefix: no match is ever made for a path under it."""
    by_pattern, labels, blocked = _read(owned, internal)
    conflicts = sorted(
        f"{' / '.join(sorted(set(labels[p])))} (owners: {', '.join(sorted(o))})"
        for p, o in by_pattern.items()
        if len(o) > 1
    )
    owner_of = {p: (next(iter(o)) if len(o) == 1 else MONOLITH) for p, o in by_pattern.items()}
    refused = _hold_back(owner_of, blocked, labels)
    everything = sorted(owner_of)
    matches: list[Match] = []
    for service in sorted(set(owner_of.values()) - {MONOLITH}):
        mine = [p for p in everything if owner_of[p] == service]
        others = [p for p in everything if owner_of[p] != service]
        matches.extend(_service_matches(service, mine, others, labels))
    matches.extend(_guards(matches, {p: o for p, o in owner_of.items() if p not in blocked}, labels))
    matches = [m for m in _dedupe(matches) if not _internal(m, internal)]
    exact = sorted((m for m in matches if m.kind == "exact"), key=lambda m: m.value)
    prefix = sorted((m for m in matches if m.kind == "prefix"), key=lambda m: (-len(m.value), m.value))
    regex = sorted((m for m in matches if m.kind == "regex"), key=lambda m: (m.rank, m.value))
    return RouteTable(tuple(exact), tuple(prefix), tuple(regex), tuple(conflicts), tuple(sorted(refused)))


def _read(
    owned: Mapping[Route, str], internal: str
) -> tuple[dict[Pattern, set[str]], dict[Pattern, list[str]], dict[Pattern, str]]:
    """Per pattern: its owners, its route labels, and (for the refused ones) why it is refused."""
    by_pattern: dict[Pattern, set[str]] = defaultdict(set)
    labels: dict[Pattern, list[str]] = defaultdict(list)
    blocked: dict[Pattern, str] = {}
    for route, owner in owned.items():
        pattern = patterns.parse(route)
        by_pattern[pattern].add(owner)
        labels[pattern].append(route_label(route))
        reason = safety.refusal(route, pattern, internal)
        if reason:
            blocked.setdefault(pattern, reason)
    return by_pattern, labels, blocked


def _internal(match: Match, internal: str) -> bool:
    """An exact or prefix match under the internal prefix (never made; dropped should one be)."""
    return match.kind != "regex" and safety.internal_path(match.value, internal)


def _hold_back(
    owner_of: dict[Pattern, str], blocked: Mapping[Pattern, str], labels: Mapping[Pattern, list[str]]
) -> list[str]:
    """Give the monolith every refused pattern, and every service pattern matched by a regex that
    overlaps a refused monolith pattern (it would need a guard, and a refused one gets none).
    Changes `owner_of`; returns one diagnostic per pattern held back."""
    notes = []
    for pattern, owner in sorted(owner_of.items()):
        if owner != MONOLITH and pattern in blocked:
            owner_of[pattern] = MONOLITH
            notes.append(f"{_said(pattern, labels)} ({owner}): {blocked[pattern]}")
    for pattern, owner in sorted(owner_of.items()):
        if owner == MONOLITH or not _needs_regex(pattern):
            continue
        rival = next((b for b in sorted(blocked) if _needs_guard(pattern, b)), None)
        if rival is not None:
            owner_of[pattern] = MONOLITH
            notes.append(
                f"{_said(pattern, labels)} ({owner}): overlaps {_said(rival, labels)}, which stays with "
                f"the monolith unrouted ({blocked[rival]})"
            )
    return notes


def _said(pattern: Pattern, labels: Mapping[Pattern, list[str]]) -> str:
    return " / ".join(sorted(set(labels[pattern])))


def _needs_guard(pattern: Pattern, rival: Pattern) -> bool:
    """Whether the regex of a service's `pattern` would take paths of the monolith's `rival`, so
    that `rival` would need a guard (the same tests as `_guards`)."""
    literal = rival.literal
    if literal is not None:
        return patterns.could_match(pattern.regex(), literal)
    return patterns.overlaps(rival, pattern) and rival.rank() < pattern.rank()


def _needs_regex(pattern: Pattern) -> bool:
    literal = pattern.literal
    return literal is None or not patterns.safe_literal(literal)


def _clean(prefix: str, others: Iterable[Pattern]) -> bool:
    return patterns.safe_literal(prefix) and not any(patterns.could_extend(o, prefix) for o in others)


def _service_matches(
    service: str, mine: list[Pattern], others: list[Pattern], labels: Mapping[Pattern, list[str]]
) -> list[Match]:
    chosen: dict[str, list[Pattern]] = {}
    for pattern in mine:
        for candidate in _candidates(pattern):
            if _clean(candidate, others):
                chosen.setdefault(candidate, [])
                break
    covered: dict[str, list[Pattern]] = defaultdict(list)
    for pattern in mine:
        for prefix in sorted(chosen, key=len):
            if pattern.static_prefix.startswith(prefix):
                covered[prefix].append(pattern)
                break
    result: list[Match] = []
    handled: set[Pattern] = set()
    for prefix, group in sorted(covered.items()):
        single_literal = len(group) == 1 and group[0].literal is not None
        if single_literal:
            continue  # an exact match is as small and more precise
        handled.update(group)
        result.append(Match("prefix", prefix, service, _labels(group, labels)))
        bare = _bare(prefix)
        slashed_route = any(p.literal == prefix for p in group)
        if (
            bare
            and slashed_route
            and not any(_matches(o, bare) for o in others)
            and not any(p.literal == bare for p in mine)
        ):
            result.append(Match("exact", bare, service, _labels(group, labels)))
    for pattern in mine:
        if pattern in handled:
            continue
        literal = pattern.literal
        if literal is not None and patterns.safe_literal(literal):
            result.append(Match("exact", literal, service, tuple(labels[pattern])))
            bare = _bare(literal)
            if (
                bare
                and patterns.safe_literal(bare)
                and not any(_matches(o, bare) for o in others)
                and not any(p.literal == bare for p in mine)
            ):
                result.append(Match("exact", bare, service, tuple(labels[pattern])))
        else:
            result.append(Match("regex", pattern.regex(), service, tuple(labels[pattern]), pattern.rank()))
    return result


def _dedupe(matches: list[Match]) -> list[Match]:
    merged: dict[tuple[str, str], Match] = {}
    for match in matches:
        key = (match.kind, match.value)
        if key in merged:
            old = merged[key]
            merged[key] = Match(
                old.kind, old.value, old.owner, tuple(sorted({*old.routes, *match.routes})), old.rank
            )
        else:
            merged[key] = match
    return list(merged.values())


def _matches(pattern: Pattern, path: str) -> bool:
    return patterns.could_match(pattern.regex(), path)


def _labels(group: Iterable[Pattern], labels: Mapping[Pattern, list[str]]) -> tuple[str, ...]:
    return tuple(sorted(label for p in group for label in labels[p]))


def _guards(
    matches: list[Match], owner_of: Mapping[Pattern, str], labels: Mapping[Pattern, list[str]]
) -> list[Match]:
    """Matches for routes another owner's regex would take: exact for literals, regex otherwise."""
    regexes = [m for m in matches if m.kind == "regex"]
    exact_taken = {m.value for m in matches if m.kind == "exact"}
    # (owner, regex) -> the first pattern giving it: what a rival regex match stands for
    behind: dict[tuple[str, str], Pattern] = {}
    for other, other_owner in owner_of.items():
        behind.setdefault((other_owner, other.regex()), other)
    guards: list[Match] = []
    for pattern, owner in sorted(owner_of.items()):
        rivals = [m for m in regexes if m.owner != owner]
        if not rivals:
            continue
        literal = pattern.literal
        if literal is not None:
            if literal in exact_taken:
                continue
            if any(patterns.could_match(m.value, literal) for m in rivals):
                if patterns.safe_literal(literal):
                    guards.append(Match("exact", literal, owner, tuple(labels[pattern])))
                else:
                    guards.append(Match("regex", pattern.regex(), owner, tuple(labels[pattern]), (-1,)))
            continue
        if owner == MONOLITH and any(_rival_overlaps(pattern, m, behind) for m in rivals):
            guards.append(Match("regex", pattern.regex(), owner, tuple(labels[pattern]), pattern.rank()))
    return guards


def _rival_overlaps(pattern: Pattern, match: Match, behind: Mapping[tuple[str, str], Pattern]) -> bool:
    other = behind.get((match.owner, match.value))
    return other is not None and patterns.overlaps(pattern, other) and pattern.rank() < other.rank()


def owners_for_phase(
    routes_by_service: Mapping[str, tuple[Route, ...]], moved: Iterable[str], others: Iterable[Route]
) -> dict[Route, str]:
    """Route → owner in a phase: the services in `moved` own their routes, the monolith the rest."""
    moved_set = set(moved)
    result = {r: MONOLITH for r in others}
    for service, routes in routes_by_service.items():
        for route in routes:
            result[route] = service if service in moved_set else MONOLITH
    return result

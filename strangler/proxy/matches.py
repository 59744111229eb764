"""From routes and their owners to the smallest set of unambiguous proxy matches.

For each service that owns routes in a phase: a prefix where every route that could fall under it
belongs to the service (fewest matches); otherwise an exact match for a literal path, a regex for a
path with parameters. Routes of the monolith get a match of their own only where a service's regex
would otherwise take them (a "guard"); everything else falls through to the monolith's catch-all.
The result is proxy-neutral (`Match` values); nginx, Gateway API and Envoy render it.

The tree is untrusted: a route `safety` refuses (it could reach the internal API, its regex could
backtrack catastrophically, its text is no path) stays with the monolith and gets no match at all,
not even a guard; a service route whose regex overlaps such a monolith route stays with the
monolith too (the guard it would need cannot be written). A service route whose full path is not
known, a catch-all, and one that can match a reserved prefix (static, media, admin) stay with the
monolith as well (`safety.stay_reason`), keeping their guards. `RouteTable.held` says which and why
(`refused`: the same as lines).
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from analyzers.model import Route
from strangler.plan.extraction_plan import MONOLITH
from strangler.proxy import patterns, regexscan, safety
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


@dataclass(frozen=True, slots=True, order=True)
class Held:
    """Routes (labels, see `route_label`) a phase leaves with the monolith against the plan, and why."""

    routes: tuple[str, ...]
    owners: tuple[str, ...]  # the service(s) the plan gives them to
    reason: str
    conflict: bool = False  # several owners serve the same path

    def line(self) -> str:
        return f"{' / '.join(self.routes)} ({', '.join(self.owners)}): {self.reason}"


@dataclass(frozen=True, slots=True)
class RouteTable:
    """The matches of one phase, in the order a first-match proxy must evaluate them."""

    exact: tuple[Match, ...]
    prefix: tuple[Match, ...]  # longest first
    regex: tuple[Match, ...]  # most specific first
    conflicts: tuple[str, ...] = ()  # paths served by several owners: left with the monolith
    refused: tuple[str, ...] = ()  # routes held back with the monolith, and why (see `safety`)
    held: tuple[Held, ...] = ()  # the conflicts and refusals as values

    def all(self) -> tuple[Match, ...]:
        return (*self.exact, *self.prefix, *self.regex)

    def owners(self) -> tuple[str, ...]:
        return tuple(sorted({m.owner for m in self.all()} - {MONOLITH}))

    def held_labels(self) -> frozenset[str]:
        """The labels of every route this table leaves with the monolith against the plan."""
        return frozenset(label for h in self.held for label in h.routes)

    def owner_of(self, path: str) -> str:
        """The owner a proxy following this table picks for `path` (no query string): an exact
        match, else the longest prefix (every prefix is `^~`), else the first regex that matches,
        else the monolith (also when a regex cannot tell). (The internal prefix is refused before
        any of them; see `safety.internal_path`.)"""
        for match in self.exact:
            if match.value == path:
                return match.owner
        prefixes = [m for m in self.prefix if path.startswith(m.value)]
        if prefixes:
            return max(prefixes, key=lambda m: len(m.value)).owner
        regex = next((m for m in self.regex if regexscan.fullmatch(m.value, path)), None)
        return MONOLITH if regex is None else regex.owner


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


def route_table(
    owned: Mapping[Route, str],
    internal: str = safety.INTERNAL_PREFIX,
    reserved: tuple[str, ...] = safety.RESERVED_PREFIXES,
) -> RouteTable:
    """Matches that send each route to its owner and nothing else (owners other than MONOLITH).

    `internal` is the internal API prefix: no match is ever made for a path under it. No service
    gets a match that can take a path under a `reserved` prefix, a catch-all, or a route whose
    path the analysis could not read whole (they stay with the monolith, see `safety.stay_reason`)."""
    read = _read(owned, internal)
    by_pattern, labels, blocked = read.owners, read.labels, read.blocked
    conflicts = sorted(
        f"{' / '.join(sorted(set(labels[p])))} (owners: {', '.join(sorted(o))})"
        for p, o in by_pattern.items()
        if len(o) > 1
    )
    owner_of = {p: (next(iter(o)) if len(o) == 1 else MONOLITH) for p, o in by_pattern.items()}
    held = [_conflict(p, o, labels) for p, o in sorted(by_pattern.items()) if len(o) > 1]
    held += _hold_back(owner_of, read, reserved)
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
    refused = sorted(h.line() for h in held if not h.conflict)
    table = RouteTable(
        tuple(exact), tuple(prefix), tuple(regex), tuple(conflicts), tuple(refused), tuple(sorted(held))
    )
    return _with_bare_paths(table)


def _with_bare_paths(table: RouteTable) -> RouteTable:
    """An exact match for the bare path (`/reviews`) of every exact or prefix match of a slashed
    path (`/reviews/`) that has none.

    nginx answers a request for the bare path of such a location that proxies with a 301 to the
    slashed path (before any regex is tried), so the monolith's `/reviews` would end up at the
    service; Gateway API's PathPrefix `/reviews` takes the bare path itself. The exact match sends it
    where the table sends it without the slashed match: a prefix's or regex's owner, else the monolith."""
    taken = {m.value for m in table.exact}
    slashed = (m.value for m in (*table.exact, *table.prefix) if len(m.value) > 1 and m.value.endswith("/"))
    bare = {v[:-1] for v in slashed} - taken
    added = [Match("exact", b, table.owner_of(b), (f"(bare path of {b}/)",)) for b in sorted(bare)]
    if not added:
        return table
    exact = tuple(sorted((*table.exact, *added), key=lambda m: m.value))
    return dataclasses.replace(table, exact=exact)


@dataclass(frozen=True, slots=True)
class _Read:
    """Per pattern: its owners, its route labels, why it is refused (the refused ones), and what
    the analysis says is computed in its path (the routes it knows so)."""

    owners: dict[Pattern, set[str]]
    labels: dict[Pattern, list[str]]
    blocked: dict[Pattern, str]
    unknown: dict[Pattern, str]


def _read(owned: Mapping[Route, str], internal: str) -> _Read:
    read = _Read(defaultdict(set), defaultdict(list), {}, {})
    for route, owner in owned.items():
        pattern, label, reason, unknown = _route_facts(route, internal)
        read.owners[pattern].add(owner)
        read.labels[pattern].append(label)
        if reason:
            read.blocked.setdefault(pattern, reason)
        if unknown:
            read.unknown.setdefault(pattern, unknown)
    return read


@functools.lru_cache(maxsize=1 << 16)
def _route_facts(route: Route, internal: str) -> tuple[Pattern, str, str, str]:
    """A route's pattern, label, refusal and unknown part: the same in every phase's table, so
    read once per run (a plan of many waves builds a table per phase)."""
    pattern = patterns.parse(route)
    return pattern, route_label(route), safety.refusal(route, pattern, internal), safety.unknown_part(route)


@functools.lru_cache(maxsize=1 << 16)
def _first_rival(pattern: Pattern, blocked: tuple[Pattern, ...]) -> Pattern | None:
    """The first refused pattern `pattern`'s regex would need a guard for (once per run: the
    refused patterns are the same in every phase)."""
    return next((b for b in blocked if _needs_guard(pattern, b)), None)


@functools.lru_cache(maxsize=1 << 16)
def _stay_reason(pattern: Pattern, reserved: tuple[str, ...]) -> str:
    """`safety.stay_reason`, once per pattern and run (see `_route_facts`)."""
    return safety.stay_reason(pattern, reserved)


def _conflict(pattern: Pattern, owners: set[str], labels: Mapping[Pattern, list[str]]) -> Held:
    routes = tuple(sorted(set(labels[pattern])))
    return Held(routes, tuple(sorted(owners)), "served by several owners", conflict=True)


def _internal(match: Match, internal: str) -> bool:
    """An exact or prefix match under the internal prefix (never made; dropped should one be)."""
    return match.kind != "regex" and safety.internal_path(match.value, internal)


def _hold_back(owner_of: dict[Pattern, str], read: _Read, reserved: tuple[str, ...]) -> list[Held]:
    """Give the monolith every refused pattern, every service pattern `safety.stay_reason` keeps
    home, and every service pattern matched by a regex that overlaps a refused monolith pattern (it
    would need a guard, and a refused one gets none). Changes `owner_of`; one Held per pattern."""
    held = []
    blocked = tuple(sorted(read.blocked))
    for pattern, owner in sorted(owner_of.items()):
        if owner == MONOLITH:
            continue
        reason = _stay_home(pattern, read, reserved)
        if reason:
            owner_of[pattern] = MONOLITH
            held.append(Held(_routes(pattern, read.labels), (owner,), reason))
    for pattern, owner in sorted(owner_of.items()):
        if owner == MONOLITH or not _needs_regex(pattern):
            continue
        rival = _first_rival(pattern, blocked)
        if rival is not None:
            owner_of[pattern] = MONOLITH
            reason = (
                f"overlaps {_said(rival, read.labels)}, which stays with the monolith unrouted "
                f"({read.blocked[rival]})"
            )
            held.append(Held(_routes(pattern, read.labels), (owner,), reason))
    return held


def _stay_home(pattern: Pattern, read: _Read, reserved: tuple[str, ...]) -> str:
    """Why a service's pattern stays with the monolith ("" when it may move): every reason that
    applies, and how to route it by hand when its path is unknown, a catch-all or reserved."""
    unknown = safety.unknown_reason(read.unknown.get(pattern, ""))
    home = _stay_reason(pattern, reserved)
    reasons = [r for r in (read.blocked.get(pattern, ""), unknown, home) if r]
    if unknown or home:
        reasons.append(safety.PIN_HINT)
    return "; ".join(reasons)


def _routes(pattern: Pattern, labels: Mapping[Pattern, list[str]]) -> tuple[str, ...]:
    return tuple(sorted(set(labels[pattern])))


def _said(pattern: Pattern, labels: Mapping[Pattern, list[str]]) -> str:
    return " / ".join(sorted(set(labels[pattern])))


@functools.lru_cache(maxsize=1 << 18)  # (every phase's table asks it again)
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
    """The matches of a service's patterns `mine`, clear of every other pattern; worked out once per
    run for the same arguments (a service's are the same in every phase it is extracted in)."""
    mine_labels = tuple(tuple(labels[p]) for p in mine)
    return list(_service_matches_of(service, tuple(mine), tuple(others), mine_labels))


@functools.lru_cache(maxsize=1 << 12)
def _service_matches_of(
    service: str,
    mine: tuple[Pattern, ...],
    others: tuple[Pattern, ...],
    mine_labels: tuple[tuple[str, ...], ...],
) -> tuple[Match, ...]:
    labels = dict(zip(mine, map(list, mine_labels)))
    return tuple(_matches_of(service, list(mine), list(others), labels))


def _matches_of(
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
    rivals_of = {owner: [m for m in regexes if m.owner != owner] for owner in set(owner_of.values())}
    behind_of = {owner: _rivals_behind(rivals, behind) for owner, rivals in rivals_of.items()}
    values_of = {owner: _values_by_owner(rivals) for owner, rivals in rivals_of.items()}
    for pattern, owner in sorted(owner_of.items()):
        rivals = rivals_of[owner]
        if not rivals:
            continue
        literal = pattern.literal
        if literal is not None:
            if literal in exact_taken:
                continue
            if any(_any_takes(values, literal) for values in values_of[owner]):
                if patterns.safe_literal(literal):
                    guards.append(Match("exact", literal, owner, tuple(labels[pattern])))
                else:
                    guards.append(Match("regex", pattern.regex(), owner, tuple(labels[pattern]), (-1,)))
            continue
        if owner == MONOLITH and _rival_overlaps(pattern, behind_of[owner]):
            guards.append(Match("regex", pattern.regex(), owner, tuple(labels[pattern]), pattern.rank()))
    return guards


def _values_by_owner(rivals: Sequence[Match]) -> tuple[tuple[str, ...], ...]:
    """The regexes of `rivals`, by their owner (an owner's are the same in every phase)."""
    groups: dict[str, list[str]] = {}
    for match in rivals:
        groups.setdefault(match.owner, []).append(match.value)
    return tuple(tuple(group) for _, group in sorted(groups.items()))


@functools.lru_cache(maxsize=1 << 18)
def _any_takes(regexes: tuple[str, ...], literal: str) -> bool:
    """Whether one of `regexes` could match the path `literal`."""
    return any(patterns.could_match(regex, literal) for regex in regexes)


#: (rank, pattern) of what each rival regex match of one owner stands for
_Rivals = tuple[tuple[tuple[int, ...], Pattern], ...]


def _rivals_behind(rivals: Sequence[Match], behind: Mapping[tuple[str, str], Pattern]) -> tuple[_Rivals, ...]:
    """(rank, pattern) of what each rival regex match stands for (the ones known), by the rival's
    owner: an owner's are the same in every phase it is extracted in (see `_overlaps_any`)."""
    groups: dict[str, list[tuple[tuple[int, ...], Pattern]]] = {}
    for match in rivals:
        other = behind.get((match.owner, match.value))
        if other is not None:
            groups.setdefault(match.owner, []).append((other.rank(), other))
    return tuple(tuple(group) for _, group in sorted(groups.items()))


def _rival_overlaps(pattern: Pattern, groups: Sequence[_Rivals]) -> bool:
    """Whether a rival regex stands for a pattern ranked after `pattern` that overlaps it."""
    return any(_overlaps_any(pattern, group) for group in groups)


@functools.lru_cache(maxsize=1 << 18)
def _overlaps_any(pattern: Pattern, others: _Rivals) -> bool:
    rank = pattern.rank()
    return any(rank < other_rank and patterns.overlaps(pattern, other) for other_rank, other in others)


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

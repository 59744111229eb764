"""Route regexes read, never run blindly: backtracking hazards, a bounded matcher, and intersection.

Route regexes come from the analyzed tree. A backtracking engine (Python's `re`, PCRE in nginx)
takes exponential time on some of them: `(a|aa)+$` against 42 characters ran for 99 s in the
planner's overlap check. So, with Python's own regex parser (the regex is parsed, never compiled
for a search that could blow up):

- `hazard(regex)` says why a regex could backtrack catastrophically: nested quantifiers, a
  quantified alternation, adjacent quantifiers over overlapping characters, a backreference, or a
  regex Python cannot read. Such a regex is never written into a proxy config.
- `fullmatch(regex, text)` answers whether the regex matches all of `text` in bounded work: with
  `re` when an upper bound of its backtracking (paths through the variable quantifiers) fits the
  step budget, otherwise by simulating the regex's automaton (linear in the text) under the same
  budget; None when it cannot tell (budget spent, unsupported syntax).
- `intersects(a, b)` answers whether some text matches both regexes (a product of the automata,
  explored under the budget); None when it cannot tell.
- `sample(regex)` makes a short text the regex matches (what `strangler plan --verify` requests).

Both answers over-approximate where exactness would cost: lookarounds and word boundaries count
as always satisfied, so "matches" and "intersects" err towards True — callers treat True (and
None) as the conservative answer.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# Python's regex parser (`re._parser` since 3.11, `sre_parse` before): the one `re` itself uses.
_parser: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")

#: Work allowed for one question (steps of backtracking or automaton states visited).
STEP_BUDGET = 200_000
#: Largest automaton built for one regex (counted repeats such as `{5000}` expand).
MAX_STATES = 4_000
_INFINITE = 1 << 62

_IGNORECASE = int(re.IGNORECASE)
_DOTALL = int(re.DOTALL)
_MULTILINE = int(re.MULTILINE)
_CHAR_OPS = frozenset({"LITERAL", "NOT_LITERAL", "ANY", "IN"})
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
_CATEGORIES = {
    "CATEGORY_DIGIT": re.compile(r"\d"),
    "CATEGORY_NOT_DIGIT": re.compile(r"\D"),
    "CATEGORY_SPACE": re.compile(r"\s"),
    "CATEGORY_NOT_SPACE": re.compile(r"\S"),
    "CATEGORY_WORD": re.compile(r"\w"),
    "CATEGORY_NOT_WORD": re.compile(r"\W"),
}
#: Characters tried when asking whether two character sets share one: ASCII, then a few others
#: (a non-ASCII digit, letter, space and a far code point), then every range's ends and neighbours.
_PROBES = (*(chr(c) for c in range(128)), "\u0660", "\u00e9", "\u2003", "\uffff", "\U0001f600")


class _Unsupported(Exception):
    """A construct the automaton does not model (a backreference), or too many states."""


@dataclass(frozen=True, slots=True)
class CharSet:
    """What one character position accepts: ranges and categories, possibly negated."""

    ranges: tuple[tuple[int, int], ...] = ()
    categories: tuple[str, ...] = ()
    negate: bool = False
    ignorecase: bool = False

    def accepts(self, char: str) -> bool:
        variants = (char, char.lower(), char.upper()) if self.ignorecase else (char,)
        return any(self._has(v) for v in variants) != self.negate

    def _has(self, char: str) -> bool:
        code = ord(char)
        if any(lo <= code <= hi for lo, hi in self.ranges):
            return True
        return any(_CATEGORIES[c].fullmatch(char) for c in self.categories if c in _CATEGORIES)

    def probes(self) -> tuple[str, ...]:
        """Characters beyond ASCII worth trying: each range's ends and their neighbours."""
        codes = {c for lo, hi in self.ranges for c in (lo - 1, lo, hi, hi + 1) if 0 <= c <= sys.maxunicode}
        return tuple(chr(c) for c in sorted(codes) if c >= 128)


@dataclass(frozen=True, slots=True)
class Automaton:
    """A Thompson automaton: state 0 accepts; a state reads a character (`sets`), checks an
    assertion (`checks`), or only branches; `edges` are the successors."""

    sets: tuple[CharSet | None, ...]
    checks: tuple[str, ...]
    edges: tuple[tuple[int, ...], ...]
    start: int


class _Builder:
    """Collects states while a parse tree is turned into an automaton (built back to front)."""

    __slots__ = ("checks", "edges", "sets")

    def __init__(self) -> None:
        self.sets: list[CharSet | None] = [None]
        self.checks: list[str] = [""]
        self.edges: list[tuple[int, ...]] = [()]

    def add(self, charset: CharSet | None, edges: tuple[int, ...], check: str = "") -> int:
        if len(self.sets) >= MAX_STATES:
            raise _Unsupported("too many states")
        self.sets.append(charset)
        self.checks.append(check)
        self.edges.append(edges)
        return len(self.sets) - 1

    def freeze(self, start: int) -> Automaton:
        return Automaton(tuple(self.sets), tuple(self.checks), tuple(self.edges), start)


def _name(constant: Any) -> str:
    """The name of one of the parser's opcode constants (`LITERAL`, `MAX_REPEAT`, `AT_END`...)."""
    return str(getattr(constant, "name", constant))


def _op(node: Any) -> str:
    return _name(node[0])


def _parse(regex: str) -> Any | None:
    """Python's parse tree of `regex`, or None when Python cannot read it."""
    try:
        return _parser.parse(regex, 0)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return None


# -- the automaton -------------------------------------------------------------------------------


def _charset(op: str, av: Any, flags: int) -> CharSet:
    ignorecase = bool(flags & _IGNORECASE)
    if op == "LITERAL":
        return CharSet(((av, av),), ignorecase=ignorecase)
    if op == "NOT_LITERAL":
        return CharSet(((av, av),), negate=True, ignorecase=ignorecase)
    if op == "ANY":
        return CharSet((), negate=True) if flags & _DOTALL else CharSet(((10, 10),), negate=True)
    ranges: list[tuple[int, int]] = []
    categories: list[str] = []
    negate = False
    for item_op, item in ((_name(o), a) for o, a in av):
        if item_op == "NEGATE":
            negate = True
        elif item_op == "LITERAL":
            ranges.append((item, item))
        elif item_op == "RANGE":
            ranges.append((item[0], item[1]))
        else:
            categories.append(_name(item))
    return CharSet(tuple(ranges), tuple(categories), negate, ignorecase)


def _sequence(builder: _Builder, items: Iterable[Any], out: int, flags: int) -> int:
    for node in reversed(list(items)):
        out = _node(builder, _op(node), node[1], out, flags)
    return out


def _node(builder: _Builder, op: str, av: Any, out: int, flags: int) -> int:
    if op in _CHAR_OPS:
        return builder.add(_charset(op, av, flags), (out,))
    if op == "AT":
        return builder.add(None, (out,), _anchor(_name(av), flags))
    if op == "BRANCH":
        return builder.add(None, tuple(_sequence(builder, alt, out, flags) for alt in av[1]))
    if op == "SUBPATTERN":
        return _sequence(builder, av[3], out, (flags | av[1]) & ~av[2])
    if op == "ATOMIC_GROUP":
        return _sequence(builder, av, out, flags)  # (atomic only removes matches: over-approximated)
    if op in _REPEATS:
        return _repeat(builder, av, out, flags)
    if op in ("ASSERT", "ASSERT_NOT"):
        return out  # a lookaround counts as satisfied: more texts match, never fewer
    if op == "GROUPREF_EXISTS":
        no = _sequence(builder, av[2], out, flags) if av[2] is not None else out
        return builder.add(None, (_sequence(builder, av[1], out, flags), no))
    raise _Unsupported(op)


def _anchor(name: str, flags: int) -> str:
    if flags & _MULTILINE:
        return {"AT_BEGINNING": "AT_BEGINNING_LINE", "AT_END": "AT_END_LINE"}.get(name, name)
    return name


def _repeat(builder: _Builder, av: Any, out: int, flags: int) -> int:
    low, high, body = av
    if high == _parser.MAXREPEAT:
        loop = builder.add(None, ())
        builder.edges[loop] = (_sequence(builder, body, loop, flags), out)
        tail = loop
    else:
        tail = out
        for _ in range(high - low):
            tail = builder.add(None, (_sequence(builder, body, tail, flags), out))
    for _ in range(low):
        tail = _sequence(builder, body, tail, flags)
    return tail


@functools.lru_cache(maxsize=1 << 12)
def automaton(regex: str) -> Automaton | None:
    """The automaton of `regex`, or None when Python cannot read it or it is not modelled."""
    tree = _parse(regex)
    if tree is None:
        return None
    builder = _Builder()
    try:
        start = _sequence(builder, tree, 0, int(tree.state.flags))
    except (_Unsupported, RecursionError):
        return None
    return builder.freeze(start)


def _holds(check: str, text: str, pos: int) -> bool:
    """Whether an assertion holds at `pos` (word boundaries and unknown ones count as holding)."""
    at_end = pos == len(text)
    if check in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
        return pos == 0
    if check == "AT_BEGINNING_LINE":
        return pos == 0 or text[pos - 1] == "\n"
    if check == "AT_END":
        return at_end or (pos == len(text) - 1 and text[pos] == "\n")
    if check == "AT_END_LINE":
        return at_end or text[pos] == "\n"
    if check == "AT_END_STRING":
        return at_end
    return True


def _closure(nfa: Automaton, states: Iterable[int], text: str | None, pos: int) -> set[int]:
    """States reachable without reading; assertions checked against `text` (all hold when None)."""
    stack = list(states)
    seen: set[int] = set()
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        if nfa.sets[state] is None and (text is None or _holds(nfa.checks[state], text, pos)):
            stack.extend(nfa.edges[state])
    return seen


def _reads(charset: CharSet | None, char: str) -> bool:
    return charset is not None and charset.accepts(char)


def _simulate(nfa: Automaton, text: str, budget: int) -> bool | None:
    current = _closure(nfa, (nfa.start,), text, 0)
    steps = len(current)
    for pos, char in enumerate(text):
        moved = [e for s in current if _reads(nfa.sets[s], char) for e in nfa.edges[s]]
        current = _closure(nfa, moved, text, pos + 1)
        steps += len(current) + 1
        if steps > budget:
            return None
        if not current:
            return False
    return 0 in current


# -- bounded matching ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Shape:
    """An upper bound of a regex's backtracking: `branches` x (n + 1) ** `degree` paths for a text
    of n characters; degree _INFINITE when nested quantifiers make it exponential."""

    branches: int
    degree: int


def _shape_of(items: Iterable[Any]) -> _Shape:
    branches, degree = 1, 0
    for node in items:
        part = _node_shape(_op(node), node[1])
        branches = min(branches * part.branches, _INFINITE)
        degree = min(degree + part.degree, _INFINITE)
    return _Shape(branches, degree)


def _node_shape(op: str, av: Any) -> _Shape:
    if op in _CHAR_OPS or op == "AT":
        return _Shape(1, 0)
    if op == "BRANCH":
        parts = [_shape_of(alt) for alt in av[1]]
        return _Shape(min(sum(p.branches for p in parts), _INFINITE), max(p.degree for p in parts))
    if op in ("SUBPATTERN", "ASSERT", "ASSERT_NOT"):
        return _shape_of(av[-1])
    if op == "ATOMIC_GROUP":
        return _shape_of(av)
    if op in _REPEATS:
        return _repeat_shape(av)
    return _Shape(_INFINITE, _INFINITE)  # backreferences, conditionals: no bound claimed


def _repeat_shape(av: Any) -> _Shape:
    low, high, body = av
    inner = _shape_of(body)
    if low == high:  # a fixed count: the body's bound, `low` times over
        if inner.degree == 0 and inner.branches == 1:
            return inner
        return _Shape(min(inner.branches ** min(low, 64), _INFINITE), min(inner.degree * low, _INFINITE))
    single = len(body) == 1 and _op(body[0]) in _CHAR_OPS
    return _Shape(1, 1) if single else _Shape(_INFINITE, _INFINITE)


@functools.lru_cache(maxsize=1 << 14)
def _shape(regex: str) -> _Shape | None:
    tree = _parse(regex)
    return None if tree is None else _shape_of(tree)


def _within_budget(shape: _Shape, length: int) -> bool:
    if shape.degree >= _INFINITE or shape.branches >= _INFINITE:
        return False
    if shape.degree * (length + 1).bit_length() > 64:
        return False
    paths: int = shape.branches * (length + 1) ** shape.degree
    return paths * (length + 1) <= STEP_BUDGET


@functools.lru_cache(maxsize=1 << 14)
def _compiled(regex: str) -> re.Pattern[str] | None:
    try:
        return re.compile(regex)
    except (re.error, RecursionError, OverflowError):
        return None


def fullmatch(regex: str, text: str) -> bool | None:
    """Whether `regex` matches all of `text`, in bounded work; None when that cannot be told."""
    compiled, shape = _compiled(regex), _shape(regex)
    if compiled is None or shape is None:
        return None
    if _within_budget(shape, len(text)):
        return compiled.fullmatch(text) is not None
    nfa = automaton(regex)
    if nfa is None or (not text.isascii() and any(s is not None and s.ignorecase for s in nfa.sets)):
        return None  # (case folding beyond ASCII is not modelled)
    return _simulate(nfa, text, STEP_BUDGET)


# -- intersection --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 14)
def _share(a: CharSet, b: CharSet) -> bool:
    """Whether some character is in both sets (tried on ASCII, samples and the ranges' ends)."""
    return any(a.accepts(c) and b.accepts(c) for c in (*_PROBES, *a.probes(), *b.probes()))


def _stable(
    nfa: Automaton, states: tuple[int, ...], cache: dict[tuple[int, ...], frozenset[int]]
) -> frozenset[int]:
    """Reading states and the accepting one, reachable without reading (assertions hold)."""
    found = cache.get(states)
    if found is None:
        found = frozenset(s for s in _closure(nfa, states, None, 0) if s == 0 or nfa.sets[s] is not None)
        cache[states] = found
    return found


@dataclass(frozen=True, slots=True)
class _Product:
    """Two automata read together, with the closures already worked out."""

    a: Automaton
    b: Automaton
    cache_a: dict[tuple[int, ...], frozenset[int]]
    cache_b: dict[tuple[int, ...], frozenset[int]]

    def starts(self) -> list[tuple[int, int]]:
        return self._cross((self.a.start,), (self.b.start,))

    def after(self, sa: int, sb: int) -> list[tuple[int, int]]:
        """The state pairs reached when both read one common character from (sa, sb)."""
        set_a, set_b = self.a.sets[sa], self.b.sets[sb]
        if set_a is None or set_b is None or not _share(set_a, set_b):
            return []
        return self._cross(self.a.edges[sa], self.b.edges[sb])

    def _cross(self, edges_a: tuple[int, ...], edges_b: tuple[int, ...]) -> list[tuple[int, int]]:
        xs, ys = _stable(self.a, edges_a, self.cache_a), _stable(self.b, edges_b, self.cache_b)
        return [(x, y) for x in xs for y in ys]


def _explore(product: _Product, budget: int) -> bool | None:
    todo = product.starts()
    seen: set[tuple[int, int]] = set()
    while todo:
        pair = todo.pop()
        if pair in seen:
            continue
        if pair == (0, 0):
            return True
        seen.add(pair)
        if len(seen) > budget:
            return None
        todo.extend(product.after(*pair))
    return False


@functools.lru_cache(maxsize=1 << 12)
def intersects(a: str, b: str) -> bool | None:
    """Whether some text matches both regexes (whole); None when that cannot be told."""
    nfa_a, nfa_b = automaton(a), automaton(b)
    if nfa_a is None or nfa_b is None:
        return None
    return _explore(_Product(nfa_a, nfa_b, {}, {}), STEP_BUDGET // 20)


# -- samples -------------------------------------------------------------------------------------

#: Characters a sample prefers, in order: unreserved URL path characters first, `/` and the
#: sub-delimiters last; `?`, `#`, `%` and white space never (a request path cannot carry them as is).
_SAMPLE_CHARS = (
    "x1a-_.~"
    + "".join(chr(c) for c in range(ord("a"), ord("z") + 1))
    + "".join(chr(c) for c in range(ord("A"), ord("Z") + 1))
    + "0123456789/!$&'()*+,;=:@"
)


def _pick(charset: CharSet | None) -> str | None:
    if charset is None:
        return None
    return next((c for c in _SAMPLE_CHARS if charset.accepts(c)), None)


def _shortest(nfa: Automaton) -> str | None:
    """A shortest text the automaton accepts, assertions assumed to hold (breadth first, each
    reading state visited once, one preferred character per state)."""
    first = _closure(nfa, (nfa.start,), None, 0)
    if 0 in first:
        return ""
    queue = deque((s, "") for s in sorted(first) if nfa.sets[s] is not None)
    seen = {state for state, _ in queue}
    while queue:
        state, text = queue.popleft()
        char = _pick(nfa.sets[state])
        if char is None:
            continue
        reached = _closure(nfa, nfa.edges[state], None, 0)
        if 0 in reached:
            return text + char
        for nxt in sorted(reached - seen):
            if nfa.sets[nxt] is not None:
                seen.add(nxt)
                queue.append((nxt, text + char))
    return None


@functools.lru_cache(maxsize=1 << 12)
def sample(regex: str) -> str | None:
    """A short text `regex` matches all of, in URL path characters; None when none is found.

    The shortest path through the regex's automaton (bounded by its states); lookarounds and
    word boundaries are assumed to hold on the way, so the text is checked with `fullmatch`."""
    nfa = automaton(regex)
    text = None if nfa is None else _shortest(nfa)
    return text if text is not None and fullmatch(regex, text) else None


# -- the static hazard check ---------------------------------------------------------------------


def _variable(node: Any) -> bool:
    """A quantifier whose count is not fixed (`+`, `*`, `?`, `{1,3}`)."""
    return _op(node) in _REPEATS and node[1][0] != node[1][1]


def _single_set(node: Any) -> CharSet | None:
    """The character set a variable quantifier repeats, when its body is one character."""
    body = node[1][2]
    if len(body) != 1 or _op(body[0]) not in _CHAR_OPS:
        return None
    return _charset(_op(body[0]), body[0][1], 0)


def _contains(items: Iterable[Any], wanted: frozenset[str] | None) -> bool:
    """Whether a variable quantifier (wanted None) or a node of kind `wanted` is inside `items`."""
    for node in items:
        op, av = _op(node), node[1]
        if (_variable(node) if wanted is None else op in wanted) or any(
            _contains(child, wanted) for child in _children(op, av)
        ):
            return True
    return False


def _children(op: str, av: Any) -> list[Sequence[Any]]:
    if op == "BRANCH":
        return list(av[1])
    if op in ("SUBPATTERN", "ASSERT", "ASSERT_NOT"):
        return [av[-1]]
    if op == "ATOMIC_GROUP":
        return [av]
    if op in _REPEATS:
        return [av[2]]
    if op == "GROUPREF_EXISTS":
        return [x for x in av[1:] if x is not None]
    return []


_BRANCHING = frozenset({"BRANCH", "GROUPREF_EXISTS"})


def _repeat_hazard(node: Any) -> str:
    high, body = node[1][1], node[1][2]
    if high <= 1:
        return ""
    if _contains(body, None):
        return "nested quantifiers"
    if _contains(body, _BRANCHING):
        return "a quantified alternation"
    return ""


def _adjacent_hazard(first: Any, second: Any) -> str:
    """Two unbounded quantifiers in a row over characters both accept (`\\d+\\d+`, `.*.*`)."""
    if not (_variable(first) and _variable(second)) or min(first[1][1], second[1][1]) <= 1:
        return ""
    a, b = _single_set(first), _single_set(second)
    if a is not None and b is not None and _share(a, b):
        return "adjacent quantifiers over overlapping characters"
    return ""


def _sequence_hazard(items: Sequence[Any]) -> str:
    for index, node in enumerate(items):
        op = _op(node)
        if op in ("GROUPREF", "GROUPREF_EXISTS"):
            return "a backreference"
        reason = _repeat_hazard(node) if op in _REPEATS else ""
        if not reason and index:
            reason = _adjacent_hazard(items[index - 1], node)
        for child in _children(op, node[1]):
            reason = reason or _sequence_hazard(list(child))
        if reason:
            return reason
    return ""


@functools.lru_cache(maxsize=1 << 14)
def hazard(regex: str) -> str:
    """Why `regex` could backtrack catastrophically (or cannot be checked); "" when it cannot."""
    tree = _parse(regex)
    if tree is None:
        return "a regular expression Python cannot read (so it cannot be checked)"
    try:
        return _sequence_hazard(list(tree))
    except RecursionError:
        return "a regular expression nested too deeply to check"

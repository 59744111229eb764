"""Framework path patterns (Flask, FastAPI, Django) as segments a proxy can match.

Every route becomes a `Pattern`: literal text and typed parameters. From it we derive the exact
path (when there is no parameter), the literal prefix before the first parameter, an anchored
regular expression, and whether the pattern could match some path under a given prefix — which is
what decides if a prefix location is safe. Regular expressions are emitted in a restricted
alphabet (every character that is special to nginx, YAML or a shell is a `\\xHH` escape), so route
text can never end a quoted string or inject configuration.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from analyzers.model import Route
from analyzers.web.regex_text import top_level_alternatives
from strangler.proxy import regexscan

#: Parameter kinds, most constrained first; the order is also the specificity rank (werkzeug-like).
SEGMENT_CLASSES = {
    "int": "[0-9]+",
    "float": "[0-9]+\\.[0-9]+",
    "uuid": "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "slug": "[-a-zA-Z0-9_]+",
    "str": "[^/]+",
    "path": ".+",
}
_RANK = {"int": 1, "float": 1, "uuid": 1, "slug": 2, "str": 2, "any": 1, "regex": 3, "path": 4}
_END = 5  # closes a rank tuple: longer patterns first among those sharing a start
_CONVERTER_ALIASES = {"string": "str", "default": "str", "": "str", "integer": "int"}

#: Characters allowed verbatim in an exact or prefix location (quoted); anything else forces a regex.
_SAFE_LITERAL = re.compile(r"^[A-Za-z0-9\-._~/!*+,:@=&()]*$")
#: Literal characters copied into a regex verbatim; everything else becomes \xHH.
_SAFE_REGEX_CHAR = re.compile(r"[A-Za-z0-9/_\-]")
# `(?P<name>` with a name PCRE2 refuses (over 32 code units): Mayan's workflow_template_state_action_id
_LONG_GROUP_NAME = re.compile(r"\(\?P<[A-Za-z_]\w{32,}>")
_FLASK_PARAM = re.compile(
    r"<(?:(?P<conv>[A-Za-z_][A-Za-z0-9_]*)(?:\((?P<args>[^)]*)\))?:)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)>"
)
_FASTAPI_PARAM = re.compile(r"\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<conv>[A-Za-z_]+))?\}")


@dataclass(frozen=True, slots=True, order=True)
class Param:
    """A path parameter: `kind` is a converter (int, str, path, ...), `regex` its character class."""

    kind: str
    regex: str


@dataclass(frozen=True, slots=True, order=True)
class Pattern:
    """A route path as literal text and parameters, in order; `raw` set for a framework regex."""

    parts: tuple[str | Param, ...]
    raw: str = ""  # a Django re_path regex (already anchored at "/"): matched conservatively
    # (the hash of (parts, raw), worked out once: patterns key the caches below, millions of times)
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.parts, self.raw)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def literal(self) -> str | None:
        """The one path this pattern matches, or None when it has parameters."""
        return _literal_of(self)

    @property
    def static_prefix(self) -> str:
        """Literal text before the first parameter."""
        if self.raw:
            return _regex_literal_prefix(self.raw)
        out = []
        for part in self.parts:
            if isinstance(part, Param):
                break
            out.append(part)
        return "".join(out)

    def regex(self) -> str:
        """Anchored regular expression, in the restricted alphabet (see module docstring)."""
        return _regex_of(self)

    def rank(self) -> tuple[int, ...]:
        """Specificity per path segment, lower sorts first (werkzeug-like).

        A segment ranks 0 when literal, else by its least constrained parameter (1 int/uuid/any,
        2 str/slug, 3 regex, 4 path); a framework regex ranks its literal segments 0 and the rest 3.
        The tuple ends with 5, so a pattern with more segments sorts before one it extends
        (`/files/<path:p>/edit/` before `/files/<path:p>`).
        """
        return _rank_of(self)


# Route tables compare every pattern with every other, phase after phase: each pattern's regex
# and segments are worked out once (indico's 898 routes: 239 s of proxy rendering without).
@functools.lru_cache(maxsize=1 << 16)
def _literal_of(pattern: Pattern) -> str | None:
    if pattern.raw or any(isinstance(p, Param) for p in pattern.parts):
        return None
    return "".join(p for p in pattern.parts if isinstance(p, str))


@functools.lru_cache(maxsize=1 << 16)
def _rank_of(pattern: Pattern) -> tuple[int, ...]:
    if pattern.raw:
        scoped = _SCOPED_GROUP.fullmatch(pattern.raw)  # "(?i:/blog/)": rank by the inner text
        static = _regex_literal_prefix(scoped.group(1)) if scoped else pattern.static_prefix
        return (*(0 for _ in static.split("/")[:-1]), 3, _END)
    ranks = [
        max((_RANK.get(p.kind, 3) for p in segment if isinstance(p, Param)), default=0)
        for segment in _split_segments(pattern.parts)
    ]
    return (*ranks, _END)


@functools.lru_cache(maxsize=1 << 16)
def _regex_of(pattern: Pattern) -> str:
    if pattern.raw:
        return "^(?:" + sanitize_regex(pattern.raw) + ")$"
    body = "".join(p.regex if isinstance(p, Param) else escape_literal(p) for p in pattern.parts)
    return "^" + body + "$"


@functools.lru_cache(maxsize=1 << 18)  # (every phase's table asks the same questions)
def could_match(regex: str, text: str) -> bool:
    """Whether `regex` matches all of `text`; True when that cannot be told (conservative).

    Route regexes are written for the framework's engine and rewritten for PCRE (nginx); where
    Python's engine rejects one, the answer must err on the side that keeps routing correct. The
    work is bounded (see `regexscan.fullmatch`): a regex that would backtrack for minutes on the
    text, `(a|aa)+$`, is answered by its automaton, or "may match" once the step budget is spent.
    """
    answer = regexscan.fullmatch(regex, text)
    return True if answer is None else answer


def escape_literal(text: str) -> str:
    """Literal text as a regex: safe characters verbatim, every other byte as \\xHH."""
    out = []
    for char in text:
        if _SAFE_REGEX_CHAR.fullmatch(char):
            out.append(char)
        else:
            out.extend(f"\\x{b:02x}" for b in char.encode("utf-8"))
    return "".join(out)


def sanitize_regex(regex: str) -> str:
    """A framework regex rewritten so nginx's quoted-string rules cannot change or end it.

    Escaped punctuation becomes \\xHH (same meaning), quotes, `#`, control and non-ASCII characters
    become \\xHH; escape letters (\\d, \\w, \\b) and regex syntax are kept. A group name longer
    than PCRE allows (32) is dropped, the group kept: the proxy matches, it reads no group.
    """
    regex = _LONG_GROUP_NAME.sub("(", regex)
    out = []
    i = 0
    while i < len(regex):
        char = regex[i]
        if char == "\\" and i + 1 < len(regex):
            nxt = regex[i + 1]
            if nxt.isascii() and nxt.isalnum():
                out.append(char + nxt)
            elif nxt in "/_":
                out.append(nxt)  # (no meaning to escape)
            else:  # `\-` stays a literal hyphen inside a class: `[\w\-\.]` is `[\w\x2d\x2e]`
                out.append("".join(f"\\x{b:02x}" for b in nxt.encode("utf-8")))
            i += 2
            continue
        if char == "\\":  # a trailing lone backslash: make it a literal backslash
            out.append("\\x5c")
        elif char in "\"'#`" or not char.isascii() or not char.isprintable() or char == " ":
            out.append(escape_literal(char))
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _regex_literal_prefix(regex: str) -> str:
    if len(top_level_alternatives(regex)) > 1:
        return "/"
    out = []
    for char in regex:
        if char in "\\.^$*+?{}[]|()":
            break
        out.append(char)
    prefix = "".join(out)
    # a quantifier applies to the last literal character: it is not certain
    rest = regex[len(prefix) : len(prefix) + 1]
    return prefix[:-1] if rest and rest in "*?{" else prefix


def _leading_slash(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def _param(conv: str, args: str = "") -> Param:
    kind = _CONVERTER_ALIASES.get(conv, conv)
    if kind == "any" and args:
        choices = [c.strip().strip("'\"") for c in args.split(",") if c.strip()]
        return Param("any", "(?:" + "|".join(escape_literal(c) for c in sorted(choices)) + ")")
    if kind == "regex" and args:
        return Param("regex", "(?:" + sanitize_regex(args.strip().strip("'\"")) + ")")
    if kind in SEGMENT_CLASSES:
        return Param(kind, SEGMENT_CLASSES[kind])
    return Param("str", SEGMENT_CLASSES["str"])  # custom converters: assume one path segment


def _split(path: str, param: re.Pattern[str]) -> tuple[str | Param, ...]:
    parts: list[str | Param] = []
    pos = 0
    for match in param.finditer(path):
        if match.start() > pos:
            parts.append(path[pos : match.start()])
        groups = match.groupdict()
        parts.append(_param(groups.get("conv") or "", groups.get("args") or ""))
        pos = match.end()
    if pos < len(path):
        parts.append(path[pos:])
    return tuple(parts)


#: A global inline flag group, "(?i)"; Python wants them at the very start, include() can repeat them.
_GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
_SCOPED_GROUP = re.compile(r"\(\?[imsx]+:(.*)\)", re.DOTALL)
#: The flags PCRE (nginx) and Python both accept in a scoped group "(?i:...)".
_SCOPED_FLAGS = "imsx"


def _django_regex(regex: str) -> str:
    """A (possibly include()-concatenated) Django regex without its anchors, rooted at "/".

    Django matches with `re.search` from the start of the path: a pattern (or top-level alternative)
    without a final `$` (or `\\Z`) matches every path that starts with it, so it gets a trailing
    `.*`. Anchors repeated by include() concatenation are dropped; `^` and `$` inside a character
    class are literal and kept. Top-level alternatives are grouped after one leading "/"
    (`^a/$|^b/$` → `/(?:a/|b/)`). Global inline flags ("(?i)") are gathered into one scoped group
    around the whole pattern, where both Python and PCRE accept them.
    """
    flags = "".join(sorted({f for group in _GLOBAL_FLAGS.findall(regex) for f in group} & set(_SCOPED_FLAGS)))
    alternatives = [_unanchored(alt) for alt in top_level_alternatives(_GLOBAL_FLAGS.sub("", regex))]
    bodies = [body.removeprefix("/") + ("" if terminated else ".*") for body, terminated in alternatives]
    text = "/" + bodies[0] if len(bodies) == 1 else "/(?:" + "|".join(bodies) + ")"
    return f"(?{flags}:{text})" if flags else text


def _unanchored(regex: str) -> tuple[str, bool]:
    """The regex without `^`/`$`/`\\Z` anchors outside classes, and whether it ended in one."""
    body: list[str] = []
    in_class = False
    terminated = False
    i = 0
    while i < len(regex):
        char = regex[i]
        if char == "\\" and i + 1 < len(regex):
            pair = regex[i : i + 2]
            if pair == "\\Z" and not in_class:
                terminated = i + 2 == len(regex)
            else:
                body.append(pair)
            i += 2
            continue
        if in_class:
            in_class = not (char == "]" and body[-1] != "[" and body[-2:] != ["[", "^"])
        elif char == "[":
            in_class = True
        elif char in "^$":
            terminated = char == "$" and i + 1 == len(regex)
            i += 1
            continue  # an anchor (include() concatenation repeats them)
        body.append(char)
        i += 1
    return "".join(body), terminated


def parse(route: Route) -> Pattern:
    """The route's path as a Pattern, by its framework's rules; a query string in a path route is
    dropped (a proxy matches the path alone: `/set-password?uid=<u>` is `/set-password`)."""
    if route.is_regex:
        return Pattern(parts=(), raw=_django_regex(route.path))
    path = _leading_slash(route.path)
    param = _FASTAPI_PARAM if route.framework == "fastapi" else _FLASK_PARAM  # django path() too
    return Pattern(parts=_path_only(_split(path, param)))


def _path_only(parts: tuple[str | Param, ...]) -> tuple[str | Param, ...]:
    """The parts before the first `?` of literal text (the query string is no part of the path)."""
    for index, part in enumerate(parts):
        if isinstance(part, str) and "?" in part:
            cut = part.index("?")
            return (*parts[:index], part[:cut]) if cut else parts[:index]
    return parts


def safe_literal(text: str) -> bool:
    """Whether `text` may be written verbatim (quoted) as an exact or prefix location."""
    return bool(_SAFE_LITERAL.match(text)) and "//" not in text and "/./" not in text and "/../" not in text


@functools.lru_cache(maxsize=1 << 18)
def could_extend(pattern: Pattern, prefix: str) -> bool:
    """Whether some path the pattern matches starts with `prefix` (conservative: True when unsure)."""
    if pattern.raw:
        static = pattern.static_prefix
        return static.startswith(prefix) or prefix.startswith(static)
    return _could_extend(pattern.parts, prefix)


def _could_extend(parts: tuple[str | Param, ...], rest: str) -> bool:
    if not rest:
        return True
    if not parts:
        return False
    head, tail = parts[0], parts[1:]
    if isinstance(head, str):
        if rest.startswith(head):
            return _could_extend(tail, rest[len(head) :])
        return head.startswith(rest)
    if head.kind in ("path", "regex"):
        return True
    for size in range(1, len(rest) + 1):
        chunk = rest[:size]
        if "/" in chunk:
            break
        if size == len(rest) or could_match(head.regex, chunk):
            if size == len(rest) and re.fullmatch(r"[^/]+", chunk):
                return True
            if _could_extend(tail, rest[size:]):
                return True
    return False


@functools.lru_cache(maxsize=1 << 18)
def overlaps(a: Pattern, b: Pattern) -> bool:
    """Whether two patterns could match the same path (conservative for framework regexes)."""
    if a.raw or b.raw:
        pa, pb = a.static_prefix, b.static_prefix
        return pa.startswith(pb) or pb.startswith(pa)
    literal_a, literal_b = a.literal, b.literal
    if literal_a is not None:
        return could_match(b.regex(), literal_a)
    if literal_b is not None:
        return could_match(a.regex(), literal_b)
    seg_a, seg_b = _segments(a), _segments(b)
    if seg_a is None or seg_b is None:  # a path parameter: compare what is certain
        pa, pb = a.static_prefix, b.static_prefix
        return pa.startswith(pb) or pb.startswith(pa)
    if len(seg_a) != len(seg_b):
        return False
    return all(_segment_overlap(x, y) for x, y in zip(seg_a, seg_b))


@functools.lru_cache(maxsize=1 << 16)
def _segments(pattern: Pattern) -> tuple[Segment, ...] | None:
    """Per path segment: its literal text, or a regex when it holds a parameter; None for `path`."""
    if any(isinstance(p, Param) and p.kind in ("path", "regex") for p in pattern.parts):
        return None
    out = []
    for segment in _split_segments(pattern.parts):
        if any(isinstance(p, Param) for p in segment):
            regex = "".join(p.regex if isinstance(p, Param) else escape_literal(p) for p in segment)
            out.append(Segment(regex, True))
        else:
            out.append(Segment("".join(p for p in segment if isinstance(p, str)), False))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Segment:
    """One path segment of a pattern: literal text, or (`is_regex`) a regex of its parameters."""

    text: str
    is_regex: bool


def _split_segments(parts: tuple[str | Param, ...]) -> list[list[str | Param]]:
    """The parts grouped by path segment (literal text split at "/"; a parameter stays whole).

    Structural, never through marker characters: route text may hold any character, NUL included."""
    segments: list[list[str | Param]] = [[]]
    for part in parts:
        if isinstance(part, Param):
            segments[-1].append(part)
            continue
        first, *rest = part.split("/")
        segments[-1].append(first)
        segments.extend([piece] for piece in rest)
    return segments


def _segment_overlap(x: Segment, y: Segment) -> bool:
    if not x.is_regex and not y.is_regex:
        return x.text == y.text
    if not x.is_regex:
        return could_match(y.text, x.text)
    if not y.is_regex:
        return could_match(x.text, y.text)
    return True  # two parameters: assume they can meet

"""Which routes of the (untrusted) analyzed tree may be written into a proxy config at all.

A route is held back (it stays with the monolith, and the configs say why in a comment) when:
- it could reach the internal API: its path, as nginx normalises it (percent-decoding, merged
  slashes, dot segments) and ignoring case, is the internal prefix or lies under it, or its regex
  can match such a path, written with any of those variants (`//_strangler/`, `/%5Fstrangler/`,
  `/./_STRANGLER/`). The proxies refuse the prefix themselves too, but a Gateway API `Exact` match
  or an nginx `location =` would win over that refusal, so nothing under it is ever written;
- its regex could backtrack catastrophically (`regexscan.hazard`), or
- its text holds what no request path can hold as written, or what a proxy reads differently:
  control characters, white space, non-ASCII, `%`, or (outside parameters) anything beyond the
  RFC 3986 path alphabet. (`$`, `;`, `'` are path characters: they are written as `\\xHH` escapes.)
"""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import unquote

from analyzers.model import Route
from strangler.proxy import regexscan
from strangler.proxy.patterns import Pattern

#: URL prefix of the internal API between the monolith and the extracted services.
INTERNAL_PREFIX = "/_strangler/"
#: Literal path text a route may carry (RFC 3986 `pchar` and `/`, without `%`).
_PATH_TEXT = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/]*")
_NOT_IN_REGEX = frozenset('"`%#')


def internal_name(prefix: str) -> str:
    """`/_strangler/` → `/_strangler`: the bare path, refused as well as everything under it."""
    return prefix.rstrip("/") or "/"


def normalised(path: str) -> str:
    """`path` as nginx matches it (percent-decoded, slashes merged, dot segments resolved), lower case."""
    text = re.sub(r"/+", "/", unquote(path, errors="replace"))
    resolved = posixpath.normpath(text) if text.startswith("/") else text
    if text.endswith(("/", "/.", "/..")) and not resolved.endswith("/"):
        resolved += "/"
    return resolved.lower()


def internal_path(path: str, prefix: str = INTERNAL_PREFIX) -> bool:
    """Whether nginx (or a backend that ignores case) would take `path` for the internal API."""
    text, name = normalised(path), internal_name(prefix).lower()
    return text == name or text.startswith(name + "/")


@functools.lru_cache(maxsize=4)
def internal_probe(prefix: str) -> str:
    """A regex of the paths that are, or normalise to, the internal prefix or a path under it.

    Leading slashes and `.`/`..` segments may repeat, every character may be percent-encoded, any
    letter may be upper case; what follows the prefix is anything.
    """
    slash = "(?:/|%2f)"
    dots = "(?:\\.|%2e){1,2}"
    body = "".join(f"(?:{re.escape(c)}|%{ord(c):02x})" for c in internal_name(prefix).strip("/"))
    return f"(?is)^(?:{slash}|{slash}{dots}(?={slash}))*{slash}{body}(?:{slash}.*)?$"


def reaches_internal(pattern: Pattern, prefix: str = INTERNAL_PREFIX) -> bool:
    """Whether some path the pattern matches is (or normalises to) one of the internal API."""
    literal = pattern.literal
    if literal is not None and internal_path(literal, prefix):
        return True
    if internal_path(pattern.static_prefix, prefix) and pattern.static_prefix.endswith("/"):
        return True
    return regexscan.intersects(pattern.regex(), internal_probe(prefix)) is not False


def text_problem(route: Route, pattern: Pattern) -> str:
    """What in the route's text no proxy config may carry as a route ("" when nothing)."""
    if any(not c.isascii() or not c.isprintable() or c.isspace() for c in route.path):
        return "its path holds a control character, white space or non-ASCII text"
    if route.is_regex:
        if _NOT_IN_REGEX & set(route.path):
            return "its regex holds a quote, `%` or `#`, which no proxy reads as the framework does"
        return ""
    if not all(_PATH_TEXT.fullmatch(part) for part in pattern.parts if isinstance(part, str)):
        return "its path holds a character outside the URL path alphabet"
    return ""


def refusal(route: Route, pattern: Pattern, prefix: str = INTERNAL_PREFIX) -> str:
    """Why the route must stay with the monolith and never appear in a config ("" when it may move)."""
    problem = text_problem(route, pattern)
    if problem:
        return problem
    if reaches_internal(pattern, prefix):
        return f"it can match a path of the internal API ({prefix})"
    if pattern.literal is None:
        hazard = regexscan.hazard(pattern.regex())
        if hazard:
            return f"its regex could backtrack catastrophically ({hazard})"
    return ""

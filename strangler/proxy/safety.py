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

A service's route stays with the monolith (`stay_reason`; it keeps its guards, so no other service
takes it either) when the proxy cannot tell which requests are the service's:
- its path is not known: part of it is computed at run time (the analysis marks such routes);
- it is a catch-all: it matches the site root `/` or a first path segment no route names (`/.*`,
  `/<path:x>`, `/<name>`, a Django SPA pattern `re_path(r".*", ...)` under a computed prefix);
- it can match a reserved prefix: static files, media, the admin (`RESERVED_PREFIXES`).
Each reason says how to route such a path by hand once its real path is known.
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
#: Prefixes that never move by accident (Django's STATIC_URL and MEDIA_URL defaults, and its admin).
RESERVED_PREFIXES = ("/admin/", "/media/", "/static/")
#: A first path segment no route names: a pattern that matches a path starting with it takes
#: requests nobody planned for it (a catch-all).
UNNAMED_SEGMENT = "zqxstrangler"
CATCH_ALL_PROBES = (
    "/",
    f"/{UNNAMED_SEGMENT}",
    f"/{UNNAMED_SEGMENT}/",
    f"/{UNNAMED_SEGMENT}/{UNNAMED_SEGMENT}",
    f"/{UNNAMED_SEGMENT}/{UNNAMED_SEGMENT}/",
)
#: How to route by hand what the generator leaves with the monolith.
PIN_HINT = (
    'to route it anyway, add a location for its real path by hand (nginx `location = "/real/path"` '
    'or `location ^~ "/real/prefix/"` proxying to the service\'s upstream, before `location /`)'
)
#: Longest source text quoted in a diagnostic (an expression from the tree; longer is cut).
_MAX_WRITTEN = 80
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


def reserved_probe(prefix: str) -> str:
    """A regex of the reserved `prefix` (`/static/`), its bare name (`/static`) and every path under it."""
    return "(?s)^" + re.escape(internal_name(prefix)) + "(?:/.*)?$"


def reserved_hit(pattern: Pattern, prefixes: tuple[str, ...] = RESERVED_PREFIXES) -> str:
    """The first reserved prefix some path of the pattern lies under ("" when none; a prefix when
    that cannot be told)."""
    regex = pattern.regex()
    return next((p for p in prefixes if regexscan.intersects(regex, reserved_probe(p)) is not False), "")


def catch_all(pattern: Pattern) -> bool:
    """Whether the pattern matches the site root or a path whose first segment no route names."""
    regex = pattern.regex()
    return any(regexscan.fullmatch(regex, probe) is not False for probe in CATCH_ALL_PROBES)


def unknown_reason(unknown: str) -> str:
    """Why a route whose prefix the analysis could not read (`unknown`, as the source writes it)
    stays with the monolith ("" when its path is known). (Add PIN_HINT where it is shown.)"""
    if not unknown:
        return ""
    written = unknown if len(unknown) <= _MAX_WRITTEN else unknown[: _MAX_WRITTEN - 3] + "..."
    return f"its prefix is computed at run time ({written}), so its real path is not known"


def stay_reason(pattern: Pattern, prefixes: tuple[str, ...] = RESERVED_PREFIXES) -> str:
    """Why a service's route must stay with the monolith although its path is known ("" when it
    may move): it is a catch-all, or it can match a reserved prefix. (Add PIN_HINT where shown.)"""
    if catch_all(pattern):
        return (
            "it is a catch-all (it matches / or a first path segment no route names), "
            "which never moves by itself"
        )
    hit = reserved_hit(pattern, prefixes)
    if hit:
        return f"it can match {hit}, which stays with the monolith (static files, media, admin)"
    return ""


def unknown_part(route: Route) -> str:
    """Where the route's prefix comes from when the analysis could not read it ("" when it could)."""
    return route.unknown_prefix

"""The requests `strangler plan --verify` sends: one per route of the plan, and negative probes.

A route's request path instantiates its parameters (`<int:x>` → 1, `<str:x>` and `[^/]+` → x,
`<uuid:x>` → a uuid, `<path:x>` → a/b, `<any(a,b):x>` → a) and samples a regex (a framework
regex, a `regex()` converter) with `regexscan.sample`; a route without a sample, or whose sample
nginx would read as another path (dot segments, `//`, characters a request path cannot carry as
is), is unverified, never passed. Negative probes: `/`, the reserved prefixes (admin, static,
media), a path no route names, the internal API, and each route's neighbours (one segment more,
the parent path, the path with a query string).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from analyzers.model import Route
from strangler.proxy import regexscan, safety
from strangler.proxy.matches import route_label
from strangler.proxy.patterns import Param, Pattern, parse

ProbeKind = Literal["route", "query", "neighbour", "negative", "internal"]

#: Values of the typed parameters (the rest are sampled from their regex).
PARAM_SAMPLES = {
    "int": "1",
    "float": "1.5",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "slug": "x",
    "str": "x",
    "path": "a/b",
}
#: What a request path may carry as written (RFC 3986 pchar and `/`, without `%`).
_REQUEST_PATH = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*")
QUERY = "?strangler-verify=1"
#: A path no route names (its first segment is `safety.UNNAMED_SEGMENT`).
UNKNOWN_PATH = f"/{safety.UNNAMED_SEGMENT}/unknown"


@dataclass(frozen=True, slots=True, order=True)
class Probe:
    """One request: `target` is the raw request target (path and maybe a query string)."""

    target: str
    kind: ProbeKind
    route: str = ""  # the label of the route it stands for or is next to

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass(frozen=True, slots=True)
class RouteSample:
    """A route of the plan and the request path that stands for it ("" when none could be made)."""

    route: Route
    path: str


def _param_sample(param: Param) -> str | None:
    fixed = PARAM_SAMPLES.get(param.kind)
    return fixed if fixed is not None else regexscan.sample(f"^{param.regex}$")


def _instantiate(pattern: Pattern) -> str | None:
    out = []
    for part in pattern.parts:
        text = _param_sample(part) if isinstance(part, Param) else part
        if text is None:
            return None
        out.append(text)
    return "".join(out)


def _requestable(path: str) -> bool:
    """Whether nginx matches `path` as written: path characters only, nothing it normalises."""
    return bool(_REQUEST_PATH.fullmatch(path)) and safety.normalised(path) == path.lower()


def sample_path(pattern: Pattern) -> str | None:
    """A request path the pattern matches, as nginx reads it; None when none can be made."""
    literal = pattern.literal
    if literal is not None:
        text: str | None = literal
    elif pattern.raw:
        text = regexscan.sample(pattern.regex())
    else:
        text = _instantiate(pattern)
    if text is None or not _requestable(text):
        return None
    return text if regexscan.fullmatch(pattern.regex(), text) else None


def route_samples(routes: Iterable[Route]) -> tuple[RouteSample, ...]:
    """Every route with its request path, in route order: "" when none could be made, or when the
    analysis could not read the route's prefix (the path it serves is not known)."""
    return tuple(
        RouteSample(r, "" if safety.unknown_part(r) else sample_path(parse(r)) or "") for r in sorted(routes)
    )


def neighbours(path: str) -> tuple[str, ...]:
    """One segment more, and the parent path with and without its trailing slash."""
    stem = path.rstrip("/")
    deeper = f"{stem}/x/" if path.endswith("/") else f"{stem}/x"
    parent = stem[: stem.rfind("/") + 1] if stem else "/"
    found = [deeper, parent]
    if len(parent) > 1:
        found.append(parent.rstrip("/"))
    return tuple(found)


def negatives(internal: str, reserved: tuple[str, ...]) -> tuple[Probe, ...]:
    """The fixed probes: the root, the reserved prefixes, an unknown path, the internal API."""
    found = [Probe("/", "negative"), Probe(UNKNOWN_PATH, "negative")]
    for prefix in reserved:
        found += [
            Probe(prefix, "negative"),
            Probe(prefix + "x.css", "negative"),
            Probe(prefix + "x.png", "negative"),
        ]
    found += [Probe(internal + "x", "internal"), Probe(safety.internal_name(internal), "internal")]
    return tuple(found)


def probes(samples: Iterable[RouteSample], internal: str, reserved: tuple[str, ...]) -> tuple[Probe, ...]:
    """Every request of a phase, each target once: routes first, then the fixed negatives (held to
    the stricter expectation when a route's neighbour is one too), then the neighbours."""
    chosen: dict[str, Probe] = {}
    listed = [s for s in samples if s.path]
    for s in listed:
        chosen.setdefault(s.path, Probe(s.path, "route", route_label(s.route)))
    for probe in negatives(internal, reserved):
        chosen.setdefault(probe.target, probe)
    for s in listed:
        label = route_label(s.route)
        chosen.setdefault(s.path + QUERY, Probe(s.path + QUERY, "query", label))
        for near in neighbours(s.path):
            chosen.setdefault(near, Probe(near, "neighbour", label))
    return tuple(chosen.values())

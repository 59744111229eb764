"""Service names: from the dominant package, else the URL prefix most of its routes share, else what
the modules are (template tags, management commands, an API layer), else a package holding a good
share of it, else another URL prefix, else the main table; unique.

Names are chosen after clustering and never feed back into it, so reading package names here does
not break the proposer's blindness to them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.graph.coupling import common_route_prefix, route_segment
from strangler.names import fit_service_name

#: Package segments that say nothing about a capability.
GENERIC = frozenset(
    {
        "apps",
        "app",
        "src",
        "lib",
        "api",
        "core",
        "common",
        "models",
        "views",
        "service",
        "services",
        "utils",
        "schemas",
        "forms",
        "admin",
        "urls",
        "tests",
        "migrations",
        "management",
        "commands",
        "templatetags",
        "serializers",
        "api_v1",
        "v1",
        "v2",
        "contrib",
        "base",
        "abstract_models",
        "signals",
        "receivers",
        "config",
        "handlers",
        "mixins",
        "__init__",
        "helpers",
    }
)


#: Generic segments that only say where code sits; the other generic ones say what it is
#: (`templatetags`, `management`) and name a cluster made mostly of such modules.
STRUCTURAL = frozenset(
    {
        "apps",
        "app",
        "src",
        "lib",
        "core",
        "common",
        "contrib",
        "base",
        "abstract_models",
        "__init__",
        "config",
        "models",
        "api_v1",
        "v1",
        "v2",
    }
)
#: A segment in at least this share of all the lines named is the project's own package.
ROOT_SHARE = 0.9
#: A package holding at least this share of a cluster's lines (and the largest lift) may name it.
LEADING_SHARE = 0.25
#: What-it-is segments name a cluster when they hold this share of it, this much more than of the
#: codebase as a whole.
KIND_SHARE = 0.5
KIND_LIFT = 0.5


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "service"


@dataclass(frozen=True, slots=True)
class _Corpus:
    """What every cluster's name is weighed against: the lines of all the modules being named, by
    segment, and the routes and writes of each module."""

    loc: Mapping[str, int]
    total: Counter[str]  # lines per capability segment
    kinds_total: Counter[str]  # lines per what-it-is segment
    all_loc: int
    roots: frozenset[str]  # the project's own package (`shop` in shop.orders, shop.cart...)
    segments_of: Mapping[str, list[str]]  # module → the URL segments of its routes
    written: Mapping[str, Counter[str]]  # module → table → write sites


@dataclass(frozen=True, slots=True)
class _Profile:
    """One cluster's lines by segment."""

    size: int
    local: Counter[str]  # lines per capability segment
    kinds: Counter[str]  # lines per what-it-is segment
    depth: Mapping[str, int]  # what-it-is segment → its shallowest position in a module name


def name_clusters(
    codebase: Codebase,
    clusters: Sequence[frozenset[str]],
    fixed: Mapping[int, str] | None = None,
) -> list[str]:
    """One unique name per cluster; `fixed` names (pins) win and are kept as given."""
    corpus = _corpus(codebase, clusters)
    proposals = [_proposals(corpus, cluster) for cluster in clusters]
    return _unique(proposals, dict(fixed or {}))


def _corpus(codebase: Codebase, clusters: Sequence[frozenset[str]]) -> _Corpus:
    loc = {m.name: max(1, m.loc) for m in codebase.modules}
    # Shares are taken over the modules being named (tests and migrations outside the graph would
    # make the project's own package look characteristic of every cluster).
    named = {m for cluster in clusters for m in cluster}
    total: Counter[str] = Counter()
    kinds_total: Counter[str] = Counter()
    for module in named:
        size = loc.get(module, 1)
        for segment in _segments(module):
            total[segment] += size
        for segment in _kinds(module):
            kinds_total[segment] += size
    all_loc = sum(loc.get(m, 1) for m in named) or 1
    return _Corpus(
        loc=loc,
        total=total,
        kinds_total=kinds_total,
        all_loc=all_loc,
        roots=frozenset(s for s, v in total.items() if v >= ROOT_SHARE * all_loc),
        segments_of=_route_segments(codebase),
        written=_writes(codebase),
    )


def _route_segments(codebase: Codebase) -> dict[str, list[str]]:
    common = common_route_prefix(r.path for r in codebase.routes)
    segments_of: dict[str, list[str]] = defaultdict(list)
    for route in codebase.routes:
        segment = route_segment(route.path, common)
        if segment:
            segments_of[route.module].append(segment)
    return segments_of


def _writes(codebase: Codebase) -> dict[str, Counter[str]]:
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for access in codebase.accesses:
        if access.mode == "write":
            written[access.module][access.table] += 1
    return written


def _profile(corpus: _Corpus, cluster: frozenset[str]) -> _Profile:
    loc = corpus.loc
    local: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    depth: dict[str, int] = {}  # (of ties, the outer package names: management before commands)
    for module in cluster:
        for segment in _segments(module):
            local[segment] += loc.get(module, 1)
        parts = module.split(".")
        for segment in _kinds(module):
            kinds[segment] += loc.get(module, 1)
            depth[segment] = min(depth.get(segment, len(parts)), parts.index(segment))
    size = sum(loc.get(m, 1) for m in cluster) or 1
    return _Profile(size, local, kinds, depth)


def _proposals(corpus: _Corpus, cluster: frozenset[str]) -> list[str]:
    """The names a cluster could take, best first (see the module docstring for the order)."""
    profile = _profile(corpus, cluster)
    local, size = profile.local, profile.size
    ranked = [s for *_, s in sorted(_lift(profile, corpus, s) for s in local)]
    telling = [s for s in ranked if s not in corpus.roots]
    candidates: list[str] = []
    if telling and local[telling[0]] * 2 >= size:
        candidates.append(telling[0])
    urls = Counter(s for m in cluster for s in corpus.segments_of.get(m, ()))
    by_count = [s for s, _ in sorted(urls.items(), key=_most_first)]
    # A URL segment most of the cluster's routes share names it; scattered ones (netbox's API
    # layer serves /api/circuits/, /api/dcim/, /api/ipam/...) come after what the modules are.
    dominant = [s for s in by_count if urls[s] * 2 >= sum(urls.values())]
    candidates += dominant
    candidates += _kind_names(profile, corpus)
    candidates += [s for s in telling if local[s] >= LEADING_SHARE * size]
    candidates += [s for s in by_count if s not in dominant]
    tables = Counter[str]()
    for module in cluster:
        tables.update(corpus.written.get(module, Counter()))
    candidates += [t for t, _ in sorted(tables.items(), key=_most_first)]
    candidates += ranked
    return [fit_service_name(slug(c)) for c in candidates if slug(c) != slug(SHARED_KERNEL)]


def _lift(profile: _Profile, corpus: _Corpus, segment: str) -> tuple[float, int, str]:
    """The sort key of a segment: most over-represented in the cluster first, then most lines."""
    local = profile.local[segment]
    return -(local / profile.size - corpus.total[segment] / corpus.all_loc), -local, segment


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _kind_names(profile: _Profile, corpus: _Corpus) -> list[str]:
    """What-it-is segments holding most of the cluster, well above their share of the codebase."""
    kinds, size = profile.kinds, profile.size
    telling = (
        (-kinds[k], profile.depth[k], k)
        for k in kinds
        if kinds[k] >= KIND_SHARE * size
        and kinds[k] / size - corpus.kinds_total[k] / corpus.all_loc >= KIND_LIFT
    )
    return [k for *_, k in sorted(telling)]


def _unique(proposals: list[list[str]], fixed: Mapping[int, str]) -> list[str]:
    """The first free proposal of each cluster (a fixed name wins), else a numbered first one."""
    used = {slug(n) for n in fixed.values()} | {SHARED_KERNEL}
    names: list[str] = []
    for index, candidates in enumerate(proposals):
        if index in fixed:
            names.append(fixed[index])
            continue
        choice = next((c for c in candidates if c not in used), None)
        if choice is None:
            choice = _numbered(candidates[0] if candidates else "service", used)
        used.add(choice)
        names.append(choice)
    return names


def _numbered(name: str, used: set[str]) -> str:
    base = fit_service_name(name, room=4)
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def _segments(module: str) -> set[str]:
    """The package segments of a module that can name a capability (each once)."""
    return {p for p in module.split(".") if p not in GENERIC and not p.startswith("_")}


def _kinds(module: str) -> set[str]:
    """The segments of a module that say what kind of code it is (`templatetags`, `management`)."""
    return {p for p in module.split(".") if p in GENERIC and p not in STRUCTURAL}

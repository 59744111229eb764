"""Service names: from the dominant package, else the URL prefix, else the main table; unique.

Names are chosen after clustering and never feed back into it, so reading package names here does
not break the proposer's blindness to them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from analyzers.model import Codebase
from strangler.decomposition import SHARED_KERNEL
from strangler.graph import common_route_prefix, route_segment

#: Package segments that say nothing about a capability.
GENERIC = frozenset(
    {"apps", "app", "src", "lib", "api", "core", "common", "models", "views", "service", "services",
     "utils", "schemas", "forms", "admin", "urls", "tests", "migrations", "management", "commands",
     "templatetags", "serializers", "api_v1", "v1", "v2", "contrib", "base", "abstract_models",
     "signals", "receivers", "config", "handlers", "mixins", "__init__", "helpers"}
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "service"


def name_clusters(
    codebase: Codebase,
    clusters: Sequence[frozenset[str]],
    fixed: Mapping[int, str] | None = None,
) -> list[str]:
    """One unique name per cluster; `fixed` names (pins) win and are kept as given."""
    fixed = dict(fixed or {})
    loc = {m.name: max(1, m.loc) for m in codebase.modules}
    total: Counter[str] = Counter()
    for module, size in loc.items():
        for segment in _segments(module):
            total[segment] += size
    all_loc = sum(loc.values()) or 1
    common = common_route_prefix(r.path for r in codebase.routes)
    segments_of: dict[str, list[str]] = defaultdict(list)
    for route in codebase.routes:
        segment = route_segment(route.path, common)
        if segment:
            segments_of[route.module].append(segment)
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for access in codebase.accesses:
        if access.mode == "write":
            written[access.module][access.table] += 1

    proposals: list[list[str]] = []
    for cluster in clusters:
        size = sum(loc.get(m, 1) for m in cluster) or 1
        local: Counter[str] = Counter()
        for module in cluster:
            for segment in _segments(module):
                local[segment] += loc.get(module, 1)
        ranked = sorted(
            local,
            key=lambda s: (-(local[s] / size - total[s] / all_loc), -local[s], s),
        )
        candidates: list[str] = []
        if ranked and local[ranked[0]] * 2 >= size:
            candidates.append(ranked[0])
        urls = Counter(s for m in cluster for s in segments_of.get(m, ()))
        candidates += [s for s, _ in sorted(urls.items(), key=lambda kv: (-kv[1], kv[0]))]
        tables = Counter[str]()
        for module in cluster:
            tables.update(written.get(module, Counter()))
        candidates += [t for t, _ in sorted(tables.items(), key=lambda kv: (-kv[1], kv[0]))]
        candidates += ranked
        proposals.append([slug(c) for c in candidates if slug(c) != slug(SHARED_KERNEL)])

    used = {slug(n) for n in fixed.values()} | {SHARED_KERNEL}
    names: list[str] = []
    for index, candidates in enumerate(proposals):
        if index in fixed:
            names.append(fixed[index])
            continue
        choice = next((c for c in candidates if c not in used), None)
        if choice is None:
            base = candidates[0] if candidates else "service"
            number = 2
            while f"{base}-{number}" in used:
                number += 1
            choice = f"{base}-{number}"
        used.add(choice)
        names.append(choice)
    return names


def _segments(module: str) -> list[str]:
    parts = module.split(".")
    return [p for p in parts if p not in GENERIC and not p.startswith("_")]

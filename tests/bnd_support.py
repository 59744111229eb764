"""Synthetic codebases for the boundaries tests: a shop-like app per capability, and renaming.

Both are made with `tests.builders.codebase`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from analyzers.model import CoChange, Codebase
from tests.builders import codebase


def capability_app(
    capabilities: Iterable[str] = ("orders", "billing", "catalog", "users"),
    *,
    kernel: str = "app.core",
    seed: int = 0,
) -> Codebase:
    """A shop-like codebase: per capability models/service/views (+ a route and a table), every
    module uses the kernel, and a few cross-capability calls from service to service."""
    rng = random.Random(seed)
    caps = list(capabilities)
    names: list[str] = [kernel, "app"]
    imports: list[tuple[str, str]] = []
    refs: list[tuple[str, str, str, str]] = []
    routes: list[tuple[str, str]] = []
    tables: list[tuple[str, str]] = []
    accesses: list[tuple[str, str, str]] = []
    terms: dict[str, dict[str, int]] = {kernel: {"utility": 3, "helper": 2}}
    for cap in caps:
        models, service, views = f"app.{cap}.models", f"app.{cap}.service", f"app.{cap}.views"
        names += [models, service, views]
        imports += [(service, models), (views, service), (views, models)]
        refs += [(service, models, "Record", "call")] * 3
        refs += [(views, service, "handle", "call")] * 2
        for mod in (models, service, views):
            imports.append((mod, kernel))
            refs.append((mod, kernel, "helper", "call"))
            terms[mod] = {cap: 4, f"{cap}x": 2, "common": 1}
        routes += [(f"/{cap}/", views), (f"/{cap}/<int:id>", views)]
        tables.append((cap, models))
        accesses += [(service, cap, "write"), (views, cap, "read")]
    for _ in range(len(caps)):
        a, b = rng.sample(caps, 2)
        imports.append((f"app.{a}.service", f"app.{b}.service"))
        refs.append((f"app.{a}.service", f"app.{b}.service", "handle", "call"))
    for cap in caps:
        imports.append(("app", f"app.{cap}.views"))
    return codebase(
        names,
        imports=imports,
        references=refs,
        routes=routes,
        tables=tables,
        accesses=accesses,
        terms=terms,
    )


@dataclass(frozen=True, slots=True)
class _Renaming:
    mapping: Mapping[str, str]

    def __call__(self, name: str) -> str:
        return self.mapping.get(name, name)


def rename(cb: Codebase, mapping: Mapping[str, str]) -> Codebase:
    """The same facts with every module name mapped (names absent from `mapping` stay)."""
    n = _Renaming(mapping)
    return replace(
        cb,
        modules=tuple(sorted(replace(m, name=n(m.name), path=n(m.name) + ".py") for m in cb.modules)),
        imports=tuple(sorted(replace(e, source=n(e.source), target=n(e.target)) for e in cb.imports)),
        references=tuple(sorted(replace(r, source=n(r.source), target=n(r.target)) for r in cb.references)),
        routes=tuple(sorted(replace(r, module=n(r.module), handler=n(r.module) + ".h") for r in cb.routes)),
        tables=tuple(sorted(replace(t, module=n(t.module)) for t in cb.tables)),
        accesses=tuple(sorted(replace(a, module=n(a.module)) for a in cb.accesses)),
        cochange=tuple(
            sorted(CoChange(min(n(c.a), n(c.b)), max(n(c.a), n(c.b)), c.count) for c in cb.cochange)
        ),
        _index={},
    )

"""A small builder of synthetic Codebase values for the boundaries tests.

Tests describe a codebase in a few lines (modules, imports, references, routes, tables) and get
the frozen facts the analyzers would produce, so the proposer is tested independently of parsing.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import replace

from analyzers.model import (
    CoChange,
    Codebase,
    ImportEdge,
    Module,
    Reference,
    Route,
    Table,
    TableAccess,
)


def codebase(
    modules: Mapping[str, int] | Iterable[str],
    *,
    imports: Iterable[tuple[str, str]] = (),
    references: Iterable[tuple[str, str, str, str]] = (),
    routes: Iterable[tuple[str, str]] = (),
    tables: Iterable[tuple[str, str]] = (),
    accesses: Iterable[tuple[str, str, str]] = (),
    cochange: Iterable[tuple[str, str, int]] = (),
    terms: Mapping[str, Mapping[str, int]] | None = None,
    roles: Mapping[str, str] | None = None,
    packages: Iterable[str] = (),
) -> Codebase:
    """Codebase from plain tuples: references are (source, target, symbol, kind), routes
    (path, module), tables (name, declaring module), accesses (module, table, mode)."""
    locs = dict(modules) if isinstance(modules, Mapping) else {m: 10 for m in modules}
    terms = terms or {}
    roles = roles or {}
    package_set = set(packages)
    mods = tuple(
        Module(
            name=name,
            path=name.replace(".", "/") + ("/__init__.py" if name in package_set else ".py"),
            loc=loc,
            is_package=name in package_set,
            role=roles.get(name, "code"),  # type: ignore[arg-type]
            terms=tuple(sorted(terms.get(name, {}).items())),
        )
        for name, loc in sorted(locs.items())
    )
    return Codebase(
        root="/synthetic",
        modules=mods,
        imports=tuple(sorted(ImportEdge(s, t, i + 1) for i, (s, t) in enumerate(imports))),
        references=tuple(
            sorted(
                Reference(source=s, line=i + 1, target=t, symbol=sym, kind=k, caller="f")  # type: ignore[arg-type]
                for i, (s, t, sym, k) in enumerate(references)
            )
        ),
        routes=tuple(
            sorted(
                Route(path=p, methods=("GET",), handler=f"{m}.view{i}", module=m, line=i + 1,
                      framework="flask")
                for i, (p, m) in enumerate(routes)
            )
        ),
        tables=tuple(sorted(Table(name=n, module=m, model=n.title()) for n, m in tables)),
        accesses=tuple(
            sorted(TableAccess(module=m, table=t, mode=mode, line=1, via="orm")  # type: ignore[arg-type]
                   for m, t, mode in accesses)
        ),
        cochange=tuple(sorted(CoChange(min(a, b), max(a, b), n) for a, b, n in cochange)),
    )


def capability_app(capabilities: Iterable[str] = ("orders", "billing", "catalog", "users"),
                   *, kernel: str = "app.core", seed: int = 0) -> Codebase:
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


def rename(cb: Codebase, mapping: Mapping[str, str]) -> Codebase:
    """The same facts with every module name mapped (names absent from `mapping` stay)."""

    def n(name: str) -> str:
        return mapping.get(name, name)

    return replace(
        cb,
        modules=tuple(sorted(replace(m, name=n(m.name), path=n(m.name) + ".py") for m in cb.modules)),
        imports=tuple(sorted(replace(e, source=n(e.source), target=n(e.target)) for e in cb.imports)),
        references=tuple(
            sorted(replace(r, source=n(r.source), target=n(r.target)) for r in cb.references)
        ),
        routes=tuple(
            sorted(replace(r, module=n(r.module), handler=n(r.module) + ".h") for r in cb.routes)
        ),
        tables=tuple(sorted(replace(t, module=n(t.module)) for t in cb.tables)),
        accesses=tuple(sorted(replace(a, module=n(a.module)) for a in cb.accesses)),
        cochange=tuple(
            sorted(CoChange(min(n(c.a), n(c.b)), max(n(c.a), n(c.b)), c.count) for c in cb.cochange)
        ),
        _index={},
    )

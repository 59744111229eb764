"""The result of `strangler analyze`: the `strangler.analysis/1` JSON document and the text report.

Both are pure functions of a `Codebase`. The JSON leaves out everything that changes between runs
of the same tree (timings, cache hits, the absolute root), so a cold and a warm run are byte-identical.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from analyzers.model import Codebase, Route, Table
from strangler.graph.edges import observed_edges
from strangler.graph.signals import TEMPLATE_MARKER
from strangler.graph.summary import (
    import_cycles,
    in_scope,
    most_depended_on,
    most_depending,
    package_coupling,
    skipped,
)

SCHEMA = "strangler.analysis/1"
#: Diagnostics listed one by one in the text report; the rest are only counted.
TEXT_DIAGNOSTICS = 20
#: Counters of Codebase.stats that are stable for a given tree (kept in JSON).
STABLE_STATS = ("files", "files_excluded", "files_skipped_dirs", "templates")
#: The diagnostic kinds naming a directory discovery skipped on purpose (listed under "Skipped",
#: not among the problems).
SKIPPED_KIND = "skipped-"


def analysis_document(codebase: Codebase, *, include_tests: bool = False) -> dict[str, Any]:
    """The `strangler.analysis/1` document (see docs/schemas/analysis.md)."""
    # Observed coupling only: the similarity signals (names, packages, routes) link most pairs of a
    # package and belong to `boundaries`.
    nodes = in_scope(codebase, include_tests)
    edges = observed_edges(codebase, nodes)
    tables = table_rows(codebase, nodes)
    stats = {k: int(v) for k, v in codebase.stats if k in STABLE_STATS}
    stats.update(
        modules=len(codebase.modules),
        modules_in_graph=len(nodes),
        lines=sum(m.loc for m in codebase.modules),
        import_edges=len(codebase.imports),
        references=len(codebase.references),
        edges=len(edges),
        externals=len({e.name for e in codebase.externals}),
        routes=len(codebase.routes),
        tables=len(tables),
        diagnostics=len(codebase.diagnostics),
    )
    return {
        "schema": SCHEMA,
        "include_tests": include_tests,
        "modules": [
            {"name": m.name, "path": m.path, "loc": m.loc, "role": m.role, "is_package": m.is_package}
            for m in sorted(codebase.modules)
        ],
        "edges": edges,
        "cycles": [
            {"modules": list(c.modules), "path": list(c.path)} for c in import_cycles(codebase, include_tests)
        ],
        "externals": _externals(codebase),
        "routes": [_route_document(r) for r in sorted(codebase.routes)],
        "tables": [
            {"name": t.name, "module": t.module, "model": t.model, "readers": list(r), "writers": list(w)}
            for t, r, w in tables
        ],
        "diagnostics": [
            {"path": d.path, "line": d.line, "kind": d.kind, "message": d.message}
            for d in sorted(codebase.diagnostics)
            if not d.kind.startswith("cache-")  # about this machine's cache, not the analyzed code
        ],
        "stats": stats,
    }


def render_text(codebase: Codebase, *, include_tests: bool = False, top: int = 10) -> str:
    """The human report: sizes, edges by kind, cycles, hubs, package coupling, routes, tables, problems."""
    out: list[str] = []
    roles = Counter(m.role for m in codebase.modules)
    lines = sum(m.loc for m in codebase.modules)
    stats = dict(codebase.stats)
    out.append(f"Analyzed {codebase.root}")
    ordered = [r for r, _ in sorted(roles.items(), key=lambda item: (-item[1], item[0]))]
    shown = ("code", "test", "migration", *(r for r in ordered if r not in ("code", "test", "migration")))
    left = ", ".join(f"{roles[r]} {r}" for r in ordered if r != "code")
    tail = f"; left out of the graph: {left} (--include-tests keeps them)" if left else ""
    counts = ", ".join(f"{roles[r]} {r}" for r in shown)
    out.append(
        f"  {len(codebase.modules)} modules ({counts}), {lines} lines of code{'' if include_tests else tail}"
    )
    if "seconds_total" in stats:
        out.append(
            f"  {int(stats.get('files_parsed', 0))} files parsed, "
            f"{int(stats.get('files_cached', 0))} from cache, {stats['seconds_total']:.2f} s"
        )
    out.append("")
    out.append("Edges by kind")
    imports = [e for e in codebase.imports if TEMPLATE_MARKER not in e.markers]
    markers = Counter(m for e in imports for m in (e.markers or {"module-level"}))
    out.append(f"  imports      {len(imports):6}  " + _counts(markers))
    uses = len(codebase.imports) - len(imports)
    templates = int(stats.get("templates", 0))
    read = f"{templates} templates read"
    out.append(f"  templates    {uses:6}  uses of tag libraries and other apps' templates, {read}")
    kinds = Counter(r.kind for r in codebase.references)
    out.append(f"  references   {len(codebase.references):6}  " + _counts(kinds))
    out.append(
        f"  table access {len(codebase.accesses):6}  " + _counts(Counter(a.mode for a in codebase.accesses))
    )
    out.append(f"  co-change    {len(codebase.cochange):6}")
    stdlib = sorted({e.name for e in codebase.externals if e.stdlib})
    third = sorted({e.name for e in codebase.externals if not e.stdlib})
    out.append(
        f"  external     {len(stdlib)} standard library, {len(third)} third party: {', '.join(third[:15])}"
        + (" …" if len(third) > 15 else "")
    )
    out.append("")

    cycles = import_cycles(codebase, include_tests)
    out.append(f"Import cycles: {len(cycles)}")
    for cycle in cycles:
        out.append(f"  {len(cycle.modules)} modules: " + " → ".join(cycle.path))
    out.append("")
    out.append("Most depended-on modules (imported by N modules)")
    out.extend(f"  {n:4}  {name}" for name, n in most_depended_on(codebase, include_tests, top))
    out.append("Most depending modules (importing N modules)")
    out.extend(f"  {n:4}  {name}" for name, n in most_depending(codebase, include_tests, top))
    out.append("")
    out.append("Package coupling (Ca afferent, Ce efferent, I = Ce/(Ca+Ce))")
    out.append(f"  {'package':40} {'modules':>7} {'Ca':>4} {'Ce':>4} {'I':>6}")
    for package in package_coupling(codebase, include_tests):
        out.append(
            f"  {package.package:40} {package.modules:7} {package.afferent:4} {package.efferent:4} "
            f"{package.instability:6.2f}"
        )
    out.append("")
    out.append(f"Routes: {len(codebase.routes)}")
    for route in sorted(codebase.routes, key=lambda r: (r.path, r.methods)):
        methods = ",".join(route.methods) or "ANY"
        out.append(f"  {methods:12} {route.path:40} {route.handler}")
    tables = table_rows(codebase, in_scope(codebase, include_tests))
    out.append(f"Tables: {len(tables)}")
    for table, readers, writers in tables:
        out.append(
            f"  {table.name:28} {table.module or '(raw SQL)':36} "
            f"readers {len(readers)}, writers {len(writers)}"
        )
    out.append("")
    out += _skipped_text(codebase, stats)
    problems = sorted(d for d in codebase.diagnostics if not d.kind.startswith(SKIPPED_KIND))
    out.append(f"Diagnostics: {len(problems)}  " + _counts(Counter(d.kind for d in problems)))
    for diagnostic in problems[:TEXT_DIAGNOSTICS]:
        where = f"{diagnostic.path}:{diagnostic.line}" if diagnostic.line else diagnostic.path
        out.append(f"  {where}: {diagnostic.kind}: {diagnostic.message}")
    if len(problems) > TEXT_DIAGNOSTICS:
        out.append(f"  … and {len(problems) - TEXT_DIAGNOSTICS} more (--format json lists all)")
    return "\n".join(out) + "\n"


def _skipped_text(codebase: Codebase, stats: Mapping[str, float]) -> list[str]:
    """What the analysis left out: directories by reason with their first names, excluded files."""
    reasons = skipped(codebase)
    directories = int(stats.get("files_skipped_dirs", sum(count for _, count, _ in reasons)))
    excluded = int(stats.get("files_excluded", 0))
    lines = [f"Skipped: {directories} directories, links or names; {excluded} files excluded"]
    for reason, count, names in reasons:
        more = " …" if count > len(names) else ""
        lines.append(f"  {reason:26} {count:5}  " + ", ".join(names) + more)
    return [*lines, ""]


def _counts(counter: Mapping[Any, int]) -> str:
    return ", ".join(
        f"{key} {value}" for key, value in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def table_rows(
    codebase: Codebase, nodes: frozenset[str]
) -> list[tuple[Table, tuple[str, ...], tuple[str, ...]]]:
    """(table, readers, writers) of the modules in `nodes` (the graph: tests and migrations out
    unless asked for), sorted. A table declared only outside them but used inside is listed
    undeclared (module ""); one only used outside them is left out."""
    readers: dict[str, set[str]] = defaultdict(set)
    writers: dict[str, set[str]] = defaultdict(set)
    for access in codebase.accesses:
        if access.module in nodes:
            (writers if access.mode == "write" else readers)[access.table].add(access.module)
    kept = {t for t in codebase.tables if not t.module or t.module in nodes}
    declared = {t.name for t in kept}
    kept |= {Table(name, "") for name in {*readers, *writers} - declared}
    return [(t, tuple(sorted(readers[t.name])), tuple(sorted(writers[t.name]))) for t in sorted(kept)]


def _externals(codebase: Codebase) -> list[dict[str, Any]]:
    users: dict[tuple[str, bool], set[str]] = defaultdict(set)
    for external in codebase.externals:
        users[(external.name, external.stdlib)].add(external.source)
    return [
        {"name": name, "stdlib": stdlib, "modules": len(sources)}
        for (name, stdlib), sources in sorted(users.items())
    ]


def _route_document(route: Route) -> dict[str, Any]:
    """One route; `unknown_prefix` (an extension of `strangler.analysis/1`) only when it has one."""
    document: dict[str, Any] = {
        "methods": list(route.methods),
        "path": route.path,
        "handler": route.handler,
        "module": route.module,
        "line": route.line,
        "framework": route.framework,
    }
    if route.unknown_prefix:
        document["unknown_prefix"] = route.unknown_prefix
    return document

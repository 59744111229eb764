"""Static analysis of a Python source tree: `analyze(path) -> Codebase`. Never imports the analyzed code.

Stages: discover files, read bytes, reuse cached facts or parse (process pool for large trees),
resolve imports and references, join framework facts, add git co-change. Only discovery, reading,
the cache and history touch the outside world; everything after reading is pure.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from analyzers.errors import SourcePathError
from analyzers.model import Codebase, Diagnostic, Module
from analyzers.options import AnalysisOptions

__all__ = ["AnalysisOptions", "Codebase", "analyze"]

Progress = Callable[[str, int, int], None]


def analyze(
    path: str | os.PathLike[str],
    options: AnalysisOptions | None = None,
    progress: Progress | None = None,
) -> Codebase:
    """All facts about the Python code under `path`.

    Raises SourcePathError when `path` is not a directory or holds no Python file; every problem
    with a single file is a Diagnostic in the result.
    """
    from analyzers import cache as facts_cache
    from analyzers.discovery import discover
    from analyzers.imports import ImportScope, ModuleInfo, resolve_imports
    from analyzers.parsing import FileFacts
    from analyzers.pool import parse_many, worker_count
    from analyzers.reading import read_source
    from analyzers.references import resolve_references

    options = options or AnalysisOptions()
    clock = time.perf_counter
    started = clock()
    root = Path(path).absolute()
    if not root.exists():
        raise SourcePathError("no such directory", path=str(path), hint="check the PATH argument")
    if not root.is_dir():
        raise SourcePathError("not a directory", path=str(path), hint="give the project's directory")
    root = root.resolve()

    found = discover(root, options)
    diagnostics: list[Diagnostic] = list(found.diagnostics)
    if not found.files:
        raise SourcePathError(
            "no Python files found",
            path=str(path),
            hint="point at the project directory or its package; check [tool.strangler] exclude",
        )
    discovered = clock()

    # Read every file; reuse cached facts for unchanged content.
    stamp = facts_cache.fingerprint() if options.cache else ""
    store = facts_cache.cache_file(facts_cache.cache_directory(options.cache_dir), root)
    cached: dict[str, facts_cache.Entry] = {}
    if options.cache:
        loaded = facts_cache.load(store, stamp)
        cached = dict(loaded.entries)
        if loaded.diagnostic is not None:
            diagnostics.append(loaded.diagnostic)
    facts: dict[str, FileFacts] = {}
    present: list[tuple[str, str, bool, str, bytes]] = []  # module, path, is_package, role, digest
    jobs: list[tuple[str, str, bytes]] = []
    digests: dict[str, bytes] = {}
    total = len(found.files)
    reused = 0
    for index, source in enumerate(found.files):
        read = read_source(str(root / source.path), source.path, options.max_file_bytes)
        if progress is not None and (index % 50 == 0 or index + 1 == total):
            progress("read", index + 1, total)
        if read.diagnostic is not None:
            diagnostics.append(read.diagnostic)
            if read.diagnostic.kind == "vanished":
                continue
        present.append((source.module, source.path, source.is_package, source.role, b""))
        if read.data is None:
            facts[source.module] = FileFacts(parsed=False)
            continue
        key = facts_cache.digest(read.data) if options.cache else b""
        digests[source.path] = key
        entry = cached.get(source.path)
        if entry is not None and entry[0] == key and entry[1] == source.module:
            facts[source.module] = entry[2]
            reused += 1
        else:
            jobs.append((source.module, source.path, read.data))
    read_done = clock()

    parsed = parse_many(jobs, worker_count(options.jobs, len(jobs)), progress)
    for (module, _, _), result in zip(jobs, parsed):
        facts[module] = result
    parse_done = clock()

    if options.cache and (jobs or set(cached) != set(digests)):
        fresh = {p: (digests[p], m, facts[m]) for m, p, _, _, _ in present if p in digests and m in facts}
        problem = facts_cache.save(store, stamp, fresh)
        if problem is not None:
            diagnostics.append(problem)

    modules: list[Module] = []
    infos: dict[str, ModuleInfo] = {}
    for module, relpath, is_package, role, _ in present:
        file_facts = facts[module]
        diagnostics.extend(file_facts.diagnostics)
        infos[module] = ModuleInfo(relpath, is_package)
        modules.append(
            Module(
                name=module,
                path=relpath,
                loc=file_facts.loc,
                is_package=is_package,
                role=role,  # type: ignore[arg-type]
                symbols=file_facts.symbols,
                docstring=file_facts.docstring,
                terms=file_facts.terms,
            )
        )
    scope = ImportScope(infos, facts)
    resolved = resolve_imports(scope)
    references = resolve_references(scope)
    diagnostics.extend(resolved.diagnostics)
    edges = set(resolved.edges)
    routes: tuple = ()  # type: ignore[type-arg]
    tables: tuple = ()  # type: ignore[type-arg]
    accesses: tuple = ()  # type: ignore[type-arg]
    framework_facts = {m: f.frameworks for m, f in facts.items() if f.frameworks is not None}
    if framework_facts:
        from analyzers import frameworks

        by_name = {m.name: m for m in modules}
        joined = frameworks.resolve(framework_facts, scope, by_name)
        routes, tables, accesses = joined.routes, joined.tables, joined.accesses
        edges.update(e for e in joined.imports if e.source != e.target)
        diagnostics.extend(joined.diagnostics)
    resolve_done = clock()

    cochange: tuple = ()  # type: ignore[type-arg]
    if options.history:
        from analyzers.history import cochange as read_cochange

        cochange, history_problems = read_cochange(root, {m.path: m.name for m in modules}, options)
        diagnostics.extend(history_problems)
    finished = clock()

    stats = {
        "files": float(total),
        "files_parsed": float(len(jobs)),
        "files_cached": float(reused),
        "files_skipped_dirs": float(found.skipped_dirs),
        "files_excluded": float(found.excluded),
        "workers": float(worker_count(options.jobs, len(jobs)) if jobs else 0),
        "seconds_discover": round(discovered - started, 4),
        "seconds_read": round(read_done - discovered, 4),
        "seconds_parse": round(parse_done - read_done, 4),
        "seconds_resolve": round(resolve_done - parse_done, 4),
        "seconds_history": round(finished - resolve_done, 4),
        "seconds_total": round(finished - started, 4),
    }
    return Codebase(
        root=str(root),
        modules=tuple(sorted(modules)),
        imports=tuple(sorted(edges)),
        externals=resolved.externals,
        references=references,
        routes=tuple(sorted(routes)),
        tables=tuple(sorted(tables)),
        accesses=tuple(sorted(accesses)),
        cochange=tuple(sorted(cochange)),
        diagnostics=tuple(sorted(set(diagnostics))),
        stats=tuple(sorted(stats.items())),
    )

"""The middle of a run without a usable snapshot: per-file facts (cached or parsed), then resolution.

`collect_facts` reads every file, reuses the per-file cache entry when the content digest matches,
and parses the rest (process pool for large trees); `resolve_codebase` resolves imports and
references and joins framework facts into a Codebase (no history, no stats).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzers.files.discovery import SourceFile
from analyzers.model import Codebase, Diagnostic, Module
from analyzers.options import AnalysisOptions
from analyzers.python.parsing import FileFacts

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class Collected:
    """Facts of every present file, in discovery order, with the run's counters."""

    present: list[SourceFile] = field(default_factory=list)
    facts: dict[str, FileFacts] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parsed: int = 0
    reused: int = 0
    workers: int = 0
    read_seconds: float = 0.0


def collect_facts(
    root: Path, files: tuple[SourceFile, ...], options: AnalysisOptions, progress: Progress | None
) -> Collected:
    """Read every file; reuse cached facts for unchanged content; parse the rest."""
    from analyzers.files.pool import Job, parse_many, worker_count

    started = time.perf_counter()
    out = Collected()
    cached: dict[str, facts_cache.Entry] = {}
    if options.cache:  # (a cold run without the cache never imports the cache modules)
        from analyzers.files import cache as facts_cache
        from analyzers.files import reading

        store = facts_cache.cache_file(facts_cache.cache_directory(options.cache_dir), root)
        stamp = facts_cache.fingerprint()
        loaded = facts_cache.load(store, stamp)
        cached = dict(loaded.entries)
        if loaded.diagnostic is not None:
            out.diagnostics.append(loaded.diagnostic)
    jobs: list[Job] = []
    sizes: list[int] = []
    digests: dict[str, bytes] = {}
    total = len(files)
    base = str(root)
    for index, source in enumerate(files):
        if not options.cache:
            # Nothing to look up: the process that parses the file reads it (pool.parse_many).
            jobs.append((source.module, source.path, None))
            sizes.append(_size(f"{base}/{source.path}"))
            continue
        read = reading.read_source(f"{base}/{source.path}", source.path, options.max_file_bytes)
        if progress is not None and (index % 50 == 0 or index + 1 == total):
            progress("read", index + 1, total)
        if not _present(out, source, read.diagnostic):
            continue
        if read.data is None:
            out.facts[source.module] = FileFacts(parsed=False)
            continue
        key = facts_cache.digest(read.data)
        digests[source.path] = key
        entry = cached.get(source.path)
        if entry is not None and entry[0] == key and entry[1] == source.module:
            out.facts[source.module] = entry[2]
            out.reused += 1
        else:
            jobs.append((source.module, source.path, read.data))
            sizes.append(len(read.data))
    out.read_seconds = time.perf_counter() - started

    out.workers = worker_count(options.jobs, sum(sizes)) if jobs else 0
    results = parse_many(
        jobs, out.workers, progress, root=base, max_bytes=options.max_file_bytes, sizes=sizes
    )
    by_module = {source.module: source for source in files}
    for (module, _, data), (facts, problem) in zip(jobs, results):
        if data is None and not _present(out, by_module[module], problem):
            continue  # (jobs without bytes come in discovery order: `present` keeps it)
        out.facts[module] = facts if facts is not None else FileFacts(parsed=False)
        out.parsed += data is not None or problem is None

    if options.cache and (jobs or set(cached) != set(digests)):
        fresh = {
            s.path: (digests[s.path], s.module, out.facts[s.module])
            for s in out.present
            if s.path in digests and s.module in out.facts
        }
        problem = facts_cache.save(store, stamp, fresh)
        if problem is not None:
            out.diagnostics.append(problem)
    return out


def is_migration(facts: FileFacts) -> bool:
    """A migration script wherever it lives, by what it defines: Django's `class Migration(
    migrations.Migration)` (DefectDojo keeps them in `dojo/db_migrations/`), or an Alembic revision
    (`revision`, `down_revision`, `upgrade()`)."""
    names = set()
    for symbol in facts.symbols:
        bases = symbol.bases if symbol.name == "Migration" and symbol.kind == "class" else ()
        if any(base.rpartition(".")[2] == "Migration" for base in bases):
            return True
        names.add(symbol.name)
    return {"revision", "down_revision", "upgrade"} <= names


def _present(out: Collected, source: SourceFile, problem: Diagnostic | None) -> bool:
    """Note a reading diagnostic; False when the file vanished (it is then no module at all)."""
    if problem is not None:
        out.diagnostics.append(problem)
        if problem.kind == "vanished":
            return False
    out.present.append(source)
    return True


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def resolve_codebase(root: Path, collected: Collected) -> Codebase:
    """Imports, references and framework facts resolved across files (no history, no stats)."""
    from analyzers.ordering import in_order
    from analyzers.python.imports import ImportScope, ModuleInfo, resolve_imports
    from analyzers.python.references import resolve_references

    facts = collected.facts
    diagnostics = list(collected.diagnostics)
    modules: list[Module] = []
    infos: dict[str, ModuleInfo] = {}
    for source in collected.present:
        file_facts = facts[source.module]
        diagnostics.extend(file_facts.diagnostics)
        infos[source.module] = ModuleInfo(source.path, source.is_package)
        modules.append(
            Module(
                name=source.module,
                path=source.path,
                loc=file_facts.loc,
                is_package=source.is_package,
                role="migration" if source.role == "code" and is_migration(file_facts) else source.role,
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
    routes: tuple[Any, ...] = ()
    tables: tuple[Any, ...] = ()
    accesses: tuple[Any, ...] = ()
    framework_facts = {m: f.frameworks for m, f in facts.items() if f.frameworks is not None}
    if framework_facts:
        from analyzers.frameworks import joining as frameworks

        by_name = {m.name: m for m in modules}
        joined = frameworks.resolve(framework_facts, scope, by_name)
        routes, tables, accesses = joined.routes, joined.tables, joined.accesses
        edges.update(e for e in joined.imports if e.source != e.target)
        diagnostics.extend(joined.diagnostics)
    return Codebase(
        root=str(root),
        modules=in_order(modules),
        imports=in_order(edges),
        externals=resolved.externals,
        references=references,
        routes=in_order(routes),
        tables=in_order(tables),
        accesses=in_order(accesses),
        diagnostics=in_order(set(diagnostics)),
    )

"""Static analysis of a Python source tree: `analyze(path) -> Codebase`. Never imports the analyzed code.

Stages: discover files, reuse the whole previous run when no file changed (analyzers.files.snapshot), else
read bytes, reuse cached facts per file or parse (process pool for large trees), resolve imports and
references, join framework facts; then add template uses (analyzers.web.templates) and git co-change.
Only discovery, reading (templates too), the caches and history touch the outside world; everything
after reading is pure.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from analyzers.errors import SourcePathError
from analyzers.model import CoChange, Codebase, Diagnostic, ImportEdge
from analyzers.options import AnalysisOptions

if TYPE_CHECKING:
    from analyzers.files.discovery import Discovery, SourceFile

__all__ = ["AnalysisOptions", "Codebase", "__version__", "analyze"]

#: The version of the strangler distribution (pyproject.toml reads this literal).
__version__ = "0.1.0"

Progress = Callable[[str, int, int], None]


def analyze(
    path: str | os.PathLike[str],
    options: AnalysisOptions | None = None,
    progress: Progress | None = None,
) -> Codebase:
    """All facts about the Python code under `path`.

    Raises SourcePathError when `path` is not a directory or holds no Python file; every problem
    with a single file is a Diagnostic in the result.

    The cyclic garbage collector is paused for the run (and restored after): the run builds
    hundreds of thousands of long-lived, acyclic objects (syntax trees, facts) that the collector
    would otherwise scan again and again, a quarter of the cost of a cold run. Worker processes
    inherit the paused state. (A short-lived caller such as the CLI may then `gc.freeze()` the
    result; a library call does not, since frozen cycles are never collected in a long-lived host.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyze(path, options or AnalysisOptions(), progress)
    finally:
        if enabled:
            gc.enable()


def _analyze(path: str | os.PathLike[str], options: AnalysisOptions, progress: Progress | None) -> Codebase:
    from analyzers.files.discovery import discover

    if options.cache:  # (a cold run without the cache never needs the snapshot module)
        from analyzers.files import snapshot

    clock = time.perf_counter
    started = clock()
    root = Path(path).absolute()
    if not root.exists():
        raise SourcePathError("no such directory", path=str(path), hint="check the PATH argument")
    if not root.is_dir():
        raise SourcePathError("not a directory", path=str(path), hint="give the project's directory")
    root = root.resolve()

    stamp: str | None = None
    whole: Path | None = None
    store: Path | None = None
    document: tuple[object, ...] | None = None
    found: Discovery | None = None
    if options.cache:
        from analyzers.files import cache as facts_cache

        stamp = facts_cache.fingerprint()
        directory = facts_cache.cache_directory(options.cache_dir)
        store = facts_cache.cache_file(directory, root)
        whole = snapshot.snapshot_file(directory, root)
        document = snapshot.read(whole, snapshot.run_key(stamp, root, options, store))
        if document is not None:
            found = snapshot.discovery(document)
    listed = found is not None
    if found is None:
        found = discover(root, options)
    if not found.files:
        raise SourcePathError(
            "no Python files found",
            path=str(path),
            hint="point at the project directory or its package; check [tool.strangler] exclude",
        )
    discovered = clock()
    timings = {"seconds_discover": round(discovered - started, 4)}
    counters = {
        "files": float(len(found.files)),
        "files_skipped_dirs": float(found.skipped_dirs),
        "files_excluded": float(found.excluded),
        "discovery_cached": float(listed),
    }

    core: Codebase | None = None
    stamps: tuple[snapshot.Stamp, ...] | None = None
    if options.cache:
        stamps = snapshot.stamps(root, [(f.path, f.module) for f in found.files])
        if stamps is not None and document is not None:
            core = snapshot.load(document, stamps)
    if core is not None:
        counters.update(files_parsed=0.0, files_cached=float(len(core.modules)), workers=0.0)
        timings["seconds_snapshot"] = round(clock() - discovered, 4)
    else:
        core = _analyze_files(root, found.files, options, progress, counters, timings)
        if whole is not None and store is not None and stamp is not None:
            saved = False
            if stamps is not None:
                kept = tuple(d for d in core.diagnostics if not d.kind.startswith("cache-"))
                light = _with(core, core.cochange, kept, ())
                key = snapshot.run_key(stamp, root, options, store)
                saved = snapshot.save(whole, key, found, stamps, light)
            if not saved:
                snapshot.discard(whole)
    from analyzers.ordering import in_order
    from analyzers.web.templates import template_uses

    # Templates are read on every run: the snapshot and the facts cache know only Python files.
    read_templates = clock()
    templates = template_uses(str(root), core.modules)
    counters["templates"] = float(templates.files)
    imports = in_order({*core.imports, *templates.edges}) if templates.edges else core.imports
    resolved = clock()
    timings["seconds_templates"] = round(resolved - read_templates, 4)

    diagnostics: list[Diagnostic] = [*found.diagnostics, *core.diagnostics, *templates.diagnostics]
    cochange: tuple[CoChange, ...] = ()
    if options.history:
        from analyzers.history import cochange as read_cochange

        cochange, history_problems = read_cochange(root, {m.path: m.name for m in core.modules}, options)
        diagnostics.extend(history_problems)
    finished = clock()
    timings["seconds_history"] = round(finished - resolved, 4)
    timings["seconds_total"] = round(finished - started, 4)
    return _with(
        core,
        in_order(cochange),
        in_order(set(diagnostics)),
        tuple(sorted({**counters, **timings}.items())),
        imports,
    )


def _with(
    codebase: Codebase,
    cochange: tuple[CoChange, ...],
    diagnostics: tuple[Diagnostic, ...],
    stats: tuple[tuple[str, float], ...],
    imports: tuple[ImportEdge, ...] | None = None,
) -> Codebase:
    """`codebase` with other co-change, diagnostics, stats and imports (a fresh module index)."""
    return Codebase(
        root=codebase.root,
        modules=codebase.modules,
        imports=codebase.imports if imports is None else imports,
        externals=codebase.externals,
        references=codebase.references,
        routes=codebase.routes,
        tables=codebase.tables,
        accesses=codebase.accesses,
        cochange=cochange,
        diagnostics=diagnostics,
        stats=stats,
    )


def _analyze_files(
    root: Path,
    files: tuple[SourceFile, ...],
    options: AnalysisOptions,
    progress: Progress | None,
    counters: dict[str, float],
    timings: dict[str, float],
) -> Codebase:
    """Read, parse (or reuse cached facts) and resolve: the Codebase without history and stats."""
    from analyzers.scan import collect_facts, resolve_codebase

    clock = time.perf_counter
    start = clock()
    collected = collect_facts(root, files, options, progress)
    parsed = clock()
    core = resolve_codebase(root, collected)
    counters.update(
        files_parsed=float(collected.parsed),
        files_cached=float(collected.reused),
        workers=float(collected.workers),
    )
    timings.update(
        seconds_read=round(collected.read_seconds, 4),
        seconds_parse=round(parsed - start - collected.read_seconds, 4),
        seconds_resolve=round(clock() - parsed, 4),
    )
    return core

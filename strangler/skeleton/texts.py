"""Read many modules into ModuleTexts: serially for small trees, else in forked worker processes.

Reading a module (`sources.read_module`: `ast.parse` and one walk) is most of a cold skeleton run on
a large tree, and every module reads alone: the work is split into chunks over worker processes
(as many as the analysis would use for the same amount of source, `analyzers.files.pool.worker_count`,
on a machine of MIN_CPUS or more), and the results come back in order. Without `os.fork`
(Windows), on fewer CPUs, or for little source, everything is read in this process. A module that
does not parse (the analysis reported it) reads as None.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from strangler.skeleton.sources import ModuleText, read_module

#: (module name, is a package, text)
Item = tuple[str, bool, str]
#: Modules a worker reads per task: few enough that the workers run out of work together.
CHUNK = 32


def read_one(item: Item, known: frozenset[str]) -> ModuleText | None:
    name, is_package, text = item
    try:
        return read_module(name, is_package, text, known)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # (a deeply nested expression is no reason to crash)


def _read_chunk(items: Sequence[Item], known: frozenset[str]) -> list[ModuleText | None]:
    return [read_one(item, known) for item in items]


#: CPUs below which the workers do not pay (one CPU: this process would only wait for them). On
#: two idle cores, Django's 885 modules: 1.46-1.55 s read here, 0.78-0.84 s with two workers
#: (an earlier measurement on two cores busy with other jobs had it the other way: 1.45 s, 1.16 s).
MIN_CPUS = 2


def workers_for(items: Sequence[Item]) -> int:
    """Processes worth starting for `items`: the analysis' rule for as much source, on a machine
    with MIN_CPUS or more."""
    from analyzers.files.pool import worker_count

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not hasattr(os, "fork") or cpus < MIN_CPUS:
        return 1
    return min(worker_count(None, sum(len(text) for _, _, text in items)), cpus)


def read_modules(
    items: Sequence[Item],
    known: frozenset[str],
    progress: Callable[[str, int, int], None] | None = None,
) -> list[ModuleText | None]:
    """The ModuleText of each item, in order."""
    workers = workers_for(items)
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    if workers <= 1 or len(chunks) < 2:
        results = [read_one(item, known) for item in items]
        if progress is not None:
            progress("reading", len(items), len(items))
        return results
    found: list[ModuleText | None] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
        for chunk in pool.map(_read_chunk, chunks, [known] * len(chunks)):
            found.extend(chunk)
            if progress is not None:
                progress("reading", len(found), len(items))
    return found

"""Parse many files: serially for small trees, else in the main process plus worker processes.

The main process is one of the parsers: it would otherwise sit idle waiting, and what it parses
needs no pickling back. Files are cut into chunks of about equal bytes, all queued for the workers;
the main process takes chunks from the far end of the queue (cancelling them there) until it meets
one a worker has started, then collects the workers' results. Order of results = order of jobs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from analyzers.parsing import FileFacts, parse_file

#: Below this many bytes to parse, starting a worker process costs more than it saves.
POOL_MIN_BYTES = 400_000
#: Chunks per parsing process: enough for the shares to even out, few enough to queue cheaply.
CHUNKS_PER_PROCESS = 8

# One job: (module, relative path, bytes)
Job = tuple[str, str, bytes]
Progress = Callable[[str, int, int], None]


def worker_count(jobs: int | None, size: int) -> int:
    """Parsing processes (the main one included) for `size` bytes of source; `jobs` forces it."""
    if jobs is not None:
        return max(1, jobs)
    if size < POOL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def parse_many(jobs: Sequence[Job], workers: int, progress: Progress | None = None) -> list[FileFacts]:
    """Facts for every job, in the order of `jobs`. Never raises for a bad file."""
    total = len(jobs)
    scan = _framework_scanner()  # imported before the workers fork, so they inherit it
    if workers <= 1 or total < 2:
        results = []
        for index, job in enumerate(jobs):
            results.append(_parse(job, scan))
            if progress is not None and (index % 25 == 0 or index + 1 == total):
                progress("parse", index + 1, total)
        return results
    chunks = _chunks(jobs, workers * CHUNKS_PER_PROCESS)
    facts: list[FileFacts | None] = [None] * total
    done = 0
    with ProcessPoolExecutor(max_workers=workers - 1) as executor:
        futures: list[Future[list[FileFacts]]] = [
            executor.submit(_parse_chunk, [jobs[i] for i in chunk]) for chunk in chunks
        ]
        mine = len(chunks)
        while mine > 0 and futures[mine - 1].cancel():
            mine -= 1
            for index in chunks[mine]:
                facts[index] = _parse(jobs[index], scan)
            done += len(chunks[mine])
            if progress is not None:
                progress("parse", done, total)
        for chunk, future in zip(chunks[:mine], futures[:mine]):
            for index, result in zip(chunk, future.result()):
                facts[index] = result
            done += len(chunk)
            if progress is not None:
                progress("parse", done, total)
    return [f if f is not None else FileFacts(parsed=False) for f in facts]


def _chunks(jobs: Sequence[Job], count: int) -> list[list[int]]:
    """Indices split into `count` chunks of about equal bytes (largest files first, greedy)."""
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][2]))
    bins: list[list[int]] = [[] for _ in range(min(count, len(jobs)))]
    sizes = [0] * len(bins)
    for index in order:
        smallest = sizes.index(min(sizes))
        bins[smallest].append(index)
        sizes[smallest] += len(jobs[index][2]) + 2000
    return [sorted(b) for b in bins if b]


def _parse_chunk(jobs: list[Job]) -> list[FileFacts]:
    scan = _framework_scanner()
    return [_parse(job, scan) for job in jobs]


def _parse(job: Job, scan: Any) -> FileFacts:
    module, path, data = job
    return parse_file(data, module, path, scan)


def _framework_scanner() -> Any:
    """analyzers.frameworks.scan_file, or None while that extractor is not installed."""
    try:
        from analyzers import frameworks
    except ImportError:
        return None
    return getattr(frameworks, "scan_file", None)

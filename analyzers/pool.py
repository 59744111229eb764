"""Parse many files: serially for small trees, in a process pool for large ones; order preserved."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from analyzers.parsing import FileFacts, parse_file

#: Below this many files to parse, starting worker processes costs more than it saves.
POOL_THRESHOLD = 150

# One job: (module, relative path, bytes)
Job = tuple[str, str, bytes]
Progress = Callable[[str, int, int], None]


def worker_count(jobs: int | None, files: int) -> int:
    if jobs is not None:
        return max(1, jobs)
    if files <= POOL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def parse_many(jobs: Sequence[Job], workers: int, progress: Progress | None = None) -> list[FileFacts]:
    """Facts for every job, in the order of `jobs`. Never raises for a bad file."""
    total = len(jobs)
    if workers <= 1 or total < 2:
        results = []
        for index, job in enumerate(jobs):
            results.append(_parse(job, _framework_scanner()))
            if progress is not None and (index % 25 == 0 or index + 1 == total):
                progress("parse", index + 1, total)
        return results
    chunks = _chunks(jobs, workers * 4)
    facts: list[FileFacts | None] = [None] * total
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as executor:
        futures = {executor.submit(_parse_chunk, [jobs[i] for i in chunk]): chunk for chunk in chunks}
        for future in as_completed(futures):
            chunk = futures[future]
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

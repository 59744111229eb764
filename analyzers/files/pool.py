"""Read and parse many files: serially for small trees, else in the main process plus forked workers.

The main process is one of the parsers: it would otherwise sit idle waiting, and what it parses
needs no pickling back. Every process pulls the next job from one shared queue, a pipe holding
4-byte job numbers (largest files first), so all of them run out of work together whatever each
file costs. A worker sends its results back in batches; the main process drains them between its
own files (a full pipe would stall the worker) and, once the queue is empty, parses again any job a
dead worker took but never answered. Order of results = order of jobs. Without `os.fork` (Windows)
every file is parsed in the main process.

A job without bytes is read in the process that parses it (a cold run without the facts cache
need not read in the main process); its result carries the reading diagnostic.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import threading
from collections.abc import Callable, Sequence
from typing import Any

from analyzers.model import Diagnostic
from analyzers.python.parsing import FileFacts, parse_file

#: Below this many bytes to parse, starting a worker process costs more than it saves.
POOL_MIN_BYTES = 400_000
#: Results a worker sends back per message: few enough that the main process drains them early.
BATCH = 24
#: Queue entries at most: the whole queue is written before the workers start, into a pipe's buffer.
MAX_TOKENS = 15_000
_INT = struct.Struct("=i")

# One job: (module, relative path, bytes, or None when the parsing process reads the file)
Job = tuple[str, str, bytes | None]
# One result: (facts, or None when the file vanished before it was read; the reading diagnostic)
Result = tuple[FileFacts | None, Diagnostic | None]
Progress = Callable[[str, int, int], None]


def worker_count(jobs: int | None, size: int) -> int:
    """Parsing processes (the main one included) for `size` bytes of source; `jobs` forces it.

    A process running other threads (a host application calling `analyze`) is not forked unless
    `jobs` asks for it: a thread holding a lock at the fork leaves the child deadlocked on it
    (Python 3.12 warns of it); the command line runs no thread.
    """
    if jobs is not None:
        return max(1, jobs)
    if size < POOL_MIN_BYTES or threading.active_count() > 1:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def parse_many(
    jobs: Sequence[Job],
    workers: int,
    progress: Progress | None = None,
    *,
    root: str = "",
    max_bytes: int = 0,
    sizes: Sequence[int] | None = None,
) -> list[Result]:
    """Results for every job, in the order of `jobs`. Never raises for a bad file.

    Jobs without bytes read `root/path` (at most `max_bytes`); `sizes` (bytes per job, when
    known) orders the queue largest first.
    """
    total = len(jobs)
    scan = _framework_scanner()  # imported before the workers fork, so they inherit it
    work = _Work(jobs, scan, root, max_bytes)
    if workers <= 1 or total < 2 or not hasattr(os, "fork"):
        results = []
        for index in range(total):
            results.append(work.run(index))
            if progress is not None and (index % 25 == 0 or index + 1 == total):
                progress("parse", index + 1, total)
        return results
    order = sorted(range(total), key=lambda i: -sizes[i]) if sizes is not None else list(range(total))
    step = -(-total // MAX_TOKENS)  # jobs per queue entry: 1 below 15,000 files
    work.groups = [order[start : start + step] for start in range(0, total, step)]
    queue_out, queue_in = os.pipe()
    children: dict[int, int] = {}  # result pipe -> pid
    try:
        # The whole queue fits the pipe's buffer (64 KiB) at once: nobody waits on it.
        _write_all(queue_in, b"".join(_INT.pack(i) for i in range(len(work.groups))))
        for _ in range(workers - 1):
            answers_out, answers_in = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child's coverage is not collected
                os.close(answers_out)
                os.close(queue_in)
                _child(work, queue_out, answers_in)
            os.close(answers_in)
            children[answers_out] = pid
    finally:
        os.close(queue_in)
    return _collect(work, queue_out, children, progress)


class _Work:
    """What every parsing process needs: the jobs, the framework scanner, where to read."""

    def __init__(self, jobs: Sequence[Job], scan: Any, root: str, max_bytes: int) -> None:
        self.jobs = jobs
        self.scan = scan
        self.root = root
        self.max_bytes = max_bytes
        self.groups: list[list[int]] = []  # the job numbers behind each queue entry

    def run(self, index: int) -> Result:
        module, path, data = self.jobs[index]
        problem: Diagnostic | None = None
        if data is None:
            from analyzers.files import reading  # looked up at call time: tests replace read_source

            read = reading.read_source(f"{self.root}/{path}", path, self.max_bytes)
            data, problem = read.data, read.diagnostic
            if data is None:
                vanished = problem is not None and problem.kind == "vanished"
                return (None if vanished else FileFacts(parsed=False)), problem
        return parse_file(data, module, path, self.scan), problem


def _child(work: _Work, queue: int, answers: int) -> None:  # pragma: no cover - runs in the child
    """A worker: parse jobs from the queue until it is empty, send results in batches, exit."""
    status = 1
    try:
        batch: list[tuple[int, Result]] = []
        while True:
            token = os.read(queue, 4)
            if len(token) < 4:
                break
            for index in work.groups[_INT.unpack(token)[0]]:
                batch.append((index, work.run(index)))
            if len(batch) >= BATCH:
                _send(answers, batch)
                batch = []
        if batch:
            _send(answers, batch)
        status = 0
    finally:
        os._exit(status)  # no atexit handlers, no second flush of the parent's buffers


def _send(answers: int, batch: list[tuple[int, Result]]) -> None:
    data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
    _write_all(answers, _INT.pack(len(data)) + data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _collect(work: _Work, queue: int, children: dict[int, int], progress: Progress | None) -> list[Result]:
    """The main process's share of the queue, the workers' answers, then whatever is missing."""
    total = len(work.jobs)
    results: list[Result | None] = [None] * total
    buffers = {fd: bytearray() for fd in children}
    open_pipes = set(children)
    done = 0

    def drain(timeout: float) -> None:
        nonlocal done
        if not open_pipes:
            return
        ready, _, _ = select.select(list(open_pipes), [], [], timeout)
        for fd in ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                open_pipes.discard(fd)
                continue
            buffer = buffers[fd]
            buffer += chunk
            while len(buffer) >= 4:
                size = _INT.unpack_from(buffer)[0]
                if len(buffer) < 4 + size:
                    break
                for index, result in pickle.loads(bytes(buffer[4 : 4 + size])):
                    results[index] = result
                    done += 1
                del buffer[: 4 + size]

    try:
        while True:
            token = os.read(queue, 4)
            if len(token) < 4:
                break
            for index in work.groups[_INT.unpack(token)[0]]:
                results[index] = work.run(index)
                done += 1
            drain(0)
            if progress is not None:
                progress("parse", done, total)
        while open_pipes:
            drain(1.0)
    finally:
        os.close(queue)
        for fd, pid in children.items():
            os.close(fd)
            os.waitpid(pid, 0)
    out: list[Result] = []
    for index, result in enumerate(results):
        out.append(result if result is not None else work.run(index))  # a worker died: parse here
    if progress is not None:
        progress("parse", total, total)
    return out


def _framework_scanner() -> Any:
    """analyzers.frameworks.scanning.scan_file (it rides parse_file's one walk of each file), or
    None while that extractor is not installed."""
    try:
        from analyzers.frameworks import scanning  # imported here so that forked workers inherit it
    except ImportError:
        return None
    return getattr(scanning, "scan_file", None)

"""The parsing pool: forked workers pull from one queue, read their own files, and lose nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import analyzers
from analyzers.files import pool
from analyzers.options import AnalysisOptions


def _tree(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_bytes(b"")
    for index in range(count):
        body = (
            f"from pkg import m{(index + 1) % count}\n\ndef f{index}():\n    return m{(index + 1) % count}\n"
        )
        (root / "pkg" / f"m{index}.py").write_text(body * (1 + index % 7))
    return root


def test_workers_read_and_parse_like_the_main_process(tmp_path: Path) -> None:
    root = _tree(tmp_path, 60)
    (root / "pkg" / "huge.py").write_bytes(b"x = 1\n" * 100)
    (root / "pkg" / "binary.py").write_bytes(b"x = 1\x00\n")
    options = {"history": False, "cache": False, "max_file_bytes": 300}
    serial = analyzers.analyze(root, AnalysisOptions(jobs=1, **options))  # type: ignore[arg-type]
    pooled = analyzers.analyze(root, AnalysisOptions(jobs=3, **options))  # type: ignore[arg-type]
    assert dict(pooled.stats)["workers"] == 3
    assert serial.modules == pooled.modules
    assert serial.imports == pooled.imports
    assert serial.references == pooled.references
    assert serial.diagnostics == pooled.diagnostics
    assert {d.kind for d in pooled.diagnostics} >= {"too-large", "binary"}


def test_a_dead_worker_loses_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, 40)
    jobs = [(f"pkg.m{i}", f"pkg/m{i}.py", None) for i in range(40)]
    main = os.getpid()
    real = pool._Work.run

    def dying(self: pool._Work, index: int) -> pool.Result:
        if os.getpid() != main:
            os._exit(3)  # the worker is killed on its first file
        return real(self, index)

    monkeypatch.setattr(pool._Work, "run", dying)
    results = pool.parse_many(jobs, 2, root=str(root), max_bytes=10_000)
    assert len(results) == 40
    assert all(facts is not None and facts.parsed for facts, _ in results)
    assert {i.module for i in results[3][0].imports} == {"pkg"}  # type: ignore[union-attr]


def test_a_process_running_other_threads_is_not_forked_unless_asked() -> None:
    import threading

    size = pool.POOL_MIN_BYTES * 4
    if threading.active_count() == 1:  # (grimp, loaded by an earlier test, keeps threads)
        assert pool.worker_count(None, size) == max(1, min(os.cpu_count() or 1, 8))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert pool.worker_count(None, size) == 1  # forking now could deadlock the child
        assert pool.worker_count(3, size) == 3  # asked for: the caller knows its threads
    finally:
        stop.set()
        thread.join()

"""The per-file facts cache: cold, warm, one file changed, --no-cache, damage."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import analyzers
from analyzers.cache import cache_directory, cache_file
from analyzers.model import Codebase
from analyzers.options import AnalysisOptions
from strangler.analysis_report import analysis_document

OPTIONS = AnalysisOptions(history=False)


def counts(codebase: Codebase) -> tuple[int, int]:
    stats = dict(codebase.stats)
    return int(stats["files_parsed"]), int(stats["files_cached"])


def copy_app(example_app: Path, tmp_path: Path) -> Path:
    root = tmp_path / "app"
    shutil.copytree(example_app, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_cold_warm_and_one_changed(example_app: Path, tmp_path: Path) -> None:
    root = copy_app(example_app, tmp_path)
    cold = analyzers.analyze(root, OPTIONS)
    files = len(cold.modules)
    assert counts(cold) == (files, 0)
    warm = analyzers.analyze(root, OPTIONS)
    assert counts(warm) == (0, files)
    assert analysis_document(warm) == analysis_document(cold)
    changed = root / "shop" / "helpers.py"
    changed.write_text(changed.read_text() + "\n\ndef added_later():\n    return 1\n")
    third = analyzers.analyze(root, OPTIONS)
    assert counts(third) == (1, files - 1)
    assert "added_later" in {s.name for s in third.module("shop.helpers").symbols}


def test_no_cache_neither_reads_nor_writes(example_app: Path, tmp_path: Path) -> None:
    root = copy_app(example_app, tmp_path)
    store = cache_file(cache_directory(None), root.resolve())
    analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    assert not store.exists()
    analyzers.analyze(root, OPTIONS)
    assert store.exists()
    again = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    assert counts(again)[1] == 0


def test_corrupt_cache_is_ignored_with_a_diagnostic(example_app: Path, tmp_path: Path) -> None:
    root = copy_app(example_app, tmp_path)
    first = analyzers.analyze(root, OPTIONS)
    store = cache_file(cache_directory(None), root.resolve())
    store.write_bytes(b"\x80\x05garbage that is not a pickle")
    damaged = analyzers.analyze(root, OPTIONS)
    assert "cache-corrupt" in {d.kind for d in damaged.diagnostics}
    assert counts(damaged) == (len(first.modules), 0)
    assert damaged.imports == first.imports
    healed = analyzers.analyze(root, OPTIONS)  # rewritten atomically by the damaged run
    assert counts(healed) == (0, len(first.modules))
    assert not [p for p in os.listdir(store.parent) if p.startswith(".facts-")]  # no temp files left


def test_cache_dir_follows_xdg(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_directory(None) == tmp_path / "xdg" / "strangler"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_directory(None) == Path(os.path.expanduser("~")) / ".cache" / "strangler"
    assert cache_directory(str(tmp_path / "own")) == tmp_path / "own"


def test_pool_and_serial_give_the_same_facts(example_app: Path) -> None:
    serial = analyzers.analyze(example_app, AnalysisOptions(history=False, cache=False, jobs=1))
    pooled = analyzers.analyze(example_app, AnalysisOptions(history=False, cache=False, jobs=2))
    assert dict(pooled.stats)["workers"] == 2
    assert serial.modules == pooled.modules
    assert serial.imports == pooled.imports
    assert serial.references == pooled.references
    assert serial.routes == pooled.routes

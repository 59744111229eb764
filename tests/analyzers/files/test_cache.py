"""The per-file facts cache: cold, warm, one file changed, --no-cache, damage."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

import analyzers
from analyzers.files.cache import cache_directory, cache_file
from analyzers.model import Codebase
from analyzers.options import AnalysisOptions
from strangler.graph.analysis_report import analysis_document

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


def test_fingerprint_covers_every_analyzer_source(tmp_path: Path) -> None:
    from analyzers.files import cache

    package = Path(analyzers.__file__).resolve().parent
    copy = tmp_path / "analyzers"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    sources = sorted(copy.rglob("*.py"))
    assert copy / "web" / "django_urls.py" in sources and copy / "python" / "walk.py" in sources
    before = cache.fingerprint(copy)
    assert cache.fingerprint(copy) == before
    for source in sources:
        info = source.stat()
        os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
        after = cache.fingerprint(copy)
        assert after != before, f"editing {source.relative_to(copy)} must invalidate cached facts"
        before = after


def test_fingerprint_names_the_python_that_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    # a file with Python 3.12 syntax fails to parse on 3.11: facts cached then must not be reused
    from analyzers.files import cache

    here = cache.fingerprint()
    assert f"python={sys.version_info.major}.{sys.version_info.minor}" in here
    monkeypatch.setattr(sys, "version_info", (3, 99, 0, "final", 0))
    assert cache.fingerprint() != here


def test_snapshot_skips_everything_and_notices_a_change(
    example_app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analyzers.files import snapshot

    root = copy_app(example_app, tmp_path)
    monkeypatch.setattr(snapshot, "RACY_NANOSECONDS", 0)  # the copy is brand new (ctime = now)
    cold = analyzers.analyze(root, OPTIONS)
    whole = snapshot.snapshot_file(cache_directory(None), root.resolve())
    assert whole.exists()
    warm = analyzers.analyze(root, OPTIONS)
    assert counts(warm) == (0, len(cold.modules))
    assert "seconds_snapshot" in dict(warm.stats)
    assert warm.modules == cold.modules and warm.references == cold.references
    assert warm.imports == cold.imports and warm.routes == cold.routes and warm.tables == cold.tables
    assert warm.diagnostics == cold.diagnostics
    assert analysis_document(warm) == analysis_document(cold)
    changed = root / "shop" / "helpers.py"
    changed.write_text(changed.read_text().replace("def ", "def renamed_", 1))
    third = analyzers.analyze(root, OPTIONS)
    assert counts(third) == (1, len(cold.modules) - 1)
    assert "seconds_snapshot" not in dict(third.stats)
    assert "renamed_" in str(third.module("shop.helpers").symbols)
    (root / "shop" / "added.py").write_text("from shop import helpers\n")
    fourth = analyzers.analyze(root, OPTIONS)
    assert counts(fourth) == (1, len(cold.modules))
    assert "shop.added" in fourth.module_names()


def test_a_racy_tree_writes_no_snapshot(example_app: Path, tmp_path: Path) -> None:
    from analyzers.files import snapshot

    root = copy_app(example_app, tmp_path)  # every file changed just now
    first = analyzers.analyze(root, OPTIONS)
    assert not snapshot.snapshot_file(cache_directory(None), root.resolve()).exists()
    assert counts(analyzers.analyze(root, OPTIONS)) == (0, len(first.modules))  # per-file cache


def test_snapshot_reuses_the_listing_until_a_directory_changes(
    example_app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analyzers.files import snapshot

    root = copy_app(example_app, tmp_path)
    monkeypatch.setattr(snapshot, "RACY_NANOSECONDS", 0)  # the copy is brand new (ctime = now)
    cold = analyzers.analyze(root, OPTIONS)
    assert dict(cold.stats)["discovery_cached"] == 0
    warm = analyzers.analyze(root, OPTIONS)
    assert dict(warm.stats)["discovery_cached"] == 1 and counts(warm) == (0, len(cold.modules))
    (root / "shop" / "notes.txt").write_text("not python\n")  # the listing changed, no module did
    listed = analyzers.analyze(root, OPTIONS)
    assert dict(listed.stats)["discovery_cached"] == 0 and counts(listed) == (0, len(cold.modules))
    assert analysis_document(listed) == analysis_document(cold)
    extra = root / "shop" / "extra"
    extra.mkdir()
    (extra / "__init__.py").write_text("")
    (extra / "deep.py").write_text("from shop import helpers\n")
    grown = analyzers.analyze(root, OPTIONS)
    assert {"shop.extra", "shop.extra.deep"} <= grown.module_names()
    assert analyzers.analyze(root, OPTIONS).module_names() == grown.module_names()
    (extra / "deep.py").unlink()
    shrunk = analyzers.analyze(root, OPTIONS)
    assert "shop.extra.deep" not in shrunk.module_names() and "shop.extra" in shrunk.module_names()


def test_snapshot_notices_an_edit_that_moves_a_source_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a root is can depend on a file's text (a package importing itself by its bare name,
    analyzers.files.discovery): the snapshot's listing is reused only while those files are unchanged."""
    from analyzers.files import snapshot

    monkeypatch.setattr(snapshot, "RACY_NANOSECONDS", 0)
    root = tmp_path / "repo"
    (root / "backend" / "app").mkdir(parents=True)
    (root / "backend" / "app" / "__init__.py").write_text("")
    (root / "backend" / "app" / "db.py").write_text("")
    api = root / "backend" / "app" / "api.py"
    api.write_text("import os\n")
    assert "backend.app.api" in analyzers.analyze(root, OPTIONS).module_names()
    warm = analyzers.analyze(root, OPTIONS)
    assert dict(warm.stats)["discovery_cached"] == 1
    api.write_text("from app.db import engine\n")  # no directory changed
    after = analyzers.analyze(root, OPTIONS)
    assert dict(after.stats)["discovery_cached"] == 0
    assert {"app", "app.api", "app.db"} <= after.module_names()

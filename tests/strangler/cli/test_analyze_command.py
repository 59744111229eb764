"""`strangler analyze` on the command line: text, JSON, determinism, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from strangler.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["analyze", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_report_shows_the_tangles(example_app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(example_app), "--no-history")
    assert code == 0
    assert "Import cycles:" in out
    assert "shop.orders.service → shop.payments.service → shop.orders.service" in out
    assert "Package coupling" in out and "shop.core" in out
    assert "Most depended-on modules" in out


def test_json_is_the_documented_schema_and_byte_identical(
    fixtures_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "src"
    shutil.copytree(fixtures_dir / "an_src", root)
    code, cold, _ = run(capsys, str(root), "--format", "json", "--no-history")
    code2, warm, _ = run(capsys, str(root), "--format", "json", "--no-history")
    code3, uncached, _ = run(capsys, str(root), "--format", "json", "--no-history", "--no-cache")
    assert code == code2 == code3 == 0
    assert cold == warm == uncached
    document = json.loads(cold)
    assert document["schema"] == "strangler.analysis/1"
    assert {"modules", "edges", "routes", "tables", "diagnostics", "stats"} <= set(document)
    names = [m["name"] for m in document["modules"]]
    assert names == sorted(names) and "tests.check_core" in names
    edge = next(
        e for e in document["edges"] if (e["source"], e["target"]) == ("srcpkg.sub.leaf", "srcpkg.core")
    )
    assert edge["imports"] == 1.0 and edge["references"] > 0 and edge["weight"] > 0
    assert not any(e["source"] == "tests.check_core" for e in document["edges"])  # tests left out
    _, with_tests, _ = run(capsys, str(root), "--format", "json", "--no-history", "--include-tests")
    assert any(e["source"] == "tests.check_core" for e in json.loads(with_tests)["edges"])


def test_nonexistent_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "missing"))
    assert code == 2
    assert "does not exist" in err


def test_path_without_python_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("nothing to see")
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2
    assert "no Python files" in err

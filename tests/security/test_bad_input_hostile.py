"""Item 7 and 8 of issue #12: bad files are diagnostics, counted; the run goes on and never crashes."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from tests.builders import write_tree
from tests.security.hostile import SHOP, run_cli


def hostile_files(root: Path) -> None:
    app = root / "shop"
    (app / "deep_unary.py").write_text("x = " + "-" * 100_000 + "1\n")
    (app / "deep_nested.py").write_text("x = " + "-" * 2_500 + "1\n")  # parses; too deep to rewrite
    (app / "long_sum.py").write_text("x = " + "+".join(["a"] * 30_000) + "\n")
    (app / "blob.py").write_bytes(b"\x00\x01\x02binary")
    (app / "wide.py").write_bytes("x = 'é'\n".encode("utf-16"))
    (app / os.fsdecode(b"bad\xff.py")).write_text("x = 1\n")
    (app / "x\nimport os.py").write_text("x = 1\n")
    (app / "huge.py").write_text("x = 1\n" * 500_000)  # 3 MB: over the default 2 MB limit


def test_analyze_reports_every_bad_file_by_kind_and_goes_on(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    hostile_files(root)
    completed = run_cli("analyze", str(root), "--no-history", "--format", "json")
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout, parse_constant=lambda name: 1 / 0)
    kinds = {(d["path"], d["kind"]) for d in document["diagnostics"]}
    assert ("shop/huge.py", "too-large") in kinds
    assert ("shop/blob.py", "binary") in kinds
    assert any(path == "shop/deep_unary.py" for path, _ in kinds)
    assert sum(1 for _, kind in kinds if kind == "unsafe-name") == 2
    assert {m["name"] for m in document["modules"]} >= {"shop.orders", "shop.stock", "shop.billing"}
    text = run_cli("analyze", str(root), "--no-history")
    assert "unsafe-name 2" in text.stdout and "too-large 1" in text.stdout


def test_plan_goes_on_past_bad_files_quickly(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    hostile_files(root)
    started = time.monotonic()
    completed = run_cli("plan", str(root), "-o", str(tmp_path / "out"), "--no-history")
    elapsed = time.monotonic() - started
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr
    assert elapsed < 60, "a large file must not make the plan take minutes"
    for path in (tmp_path / "out").rglob("*.py"):
        assert "x = 1\nx = 1\nx = 1\nx = 1\n" not in path.read_text(encoding="utf-8")


def test_a_utf16_or_deeply_nested_boundaries_file_is_a_clear_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    cases = {
        "utf16.json": '{"assignments": {}}'.encode("utf-16"),
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "nan.json": b'{"assignments": {"shop.orders": "orders"}, "x": NaN}',
        "bytes.json": b'{"assignments": {"\xff": "orders"}}',
    }
    for name, data in cases.items():
        boundaries = tmp_path / name
        boundaries.write_bytes(data)
        completed = run_cli("plan", str(root), "-o", str(tmp_path / "out"), "--boundaries", str(boundaries))
        assert completed.returncode == 2, (name, completed.stderr)
        assert "Traceback" not in completed.stderr and completed.stderr.startswith("error: "), (
            completed.stderr
        )
        assert not (tmp_path / "out").exists()


def test_json_output_is_strict_json_whatever_the_strings_hold(tmp_path: Path) -> None:
    """A lone surrogate in a route literal and a NaN are still valid, strictly parsed JSON."""
    from strangler.jsonio import dumps

    root = write_tree(tmp_path / "tree", dict(SHOP))
    (root / "shop" / "web.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\n\n"
        '@app.route("/x\\udcff/\\x00")\ndef view():\n    return ""\n'
    )
    completed = run_cli("analyze", str(root), "--no-history", "--format", "json")
    assert completed.returncode == 0, completed.stderr
    routes = json.loads(completed.stdout, parse_constant=lambda name: 1 / 0)["routes"]
    assert [r["path"] for r in routes] == ["/x\udcff/\x00"]
    assert json.loads(dumps({"a": float("nan"), "b": [float("inf")]}), parse_constant=lambda n: 1 / 0) == {
        "a": None,
        "b": [None],
    }

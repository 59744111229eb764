"""`strangler export --to import-linter|tach`: the real tools find the imports `check` finds."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analyzers.model import Codebase, Module
from strangler.check.export import ExportError, roots_by_service, to_importlinter
from strangler.check.findings import Policy
from strangler.cli import main
from tests.conftest import EXAMPLE_APP, FIXTURES, require_tool
from tests.e2e.test_check_example import NEW_CALL

LINT_LINE = re.compile(r"^-\s+(\S+) -> (\S+) \(l\.(\d+)\)$")
TACH_LINE = re.compile(r"^\[FAIL\] (\S+?):(\d+):")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = tmp_path / "shop_app"
    shutil.copytree(EXAMPLE_APP, root, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    shutil.copy(FIXTURES / "check_example" / "strangler-boundaries.json", root / "strangler-boundaries.json")
    with (root / "shop" / "reviews" / "service.py").open("a") as stream:
        stream.write(NEW_CALL)  # one import the decomposition does not allow, beside an allowed one
    return root


def check_imports(root: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["check", str(root), "--format", "json", "-q"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    return [f for f in findings if f["kind"] == "import"]


def run_tool(root: Path, *argv: str) -> str:
    result = subprocess.run(argv, cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_lint_imports_finds_the_imports_check_finds(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lint_imports = require_tool("lint-imports")
    assert main(["export", str(shop), "--to", "import-linter", str(shop / ".importlinter"), "-q"]) == 0
    output = run_tool(shop, lint_imports, "--config", ".importlinter", "--no-cache")
    found = {(m[1], m[2], int(m[3])) for m in map(LINT_LINE.match, output.splitlines()) if m}
    expected = {(f["source"], f["target"], f["line"]) for f in check_imports(shop, capsys)}
    assert ("shop.reviews.service", "shop.orders.states", 78) in expected
    assert ("shop.reviews.service", "shop.orders.service", 15) not in found  # allowed: exposes
    assert found == expected


def statement_line(root: Path, path: str, line: int) -> int:
    """The first line of the import statement holding `line` (tach reports each imported name's line)."""
    tree = ast.parse((root / path).read_text())
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno <= line <= (node.end_lineno or 0):
            return node.lineno
    return line


def test_tach_finds_the_imports_check_finds(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tach = require_tool("tach")
    assert main(["export", str(shop), "--to", "tach", str(shop / "tach.toml"), "-q"]) == 0
    output = run_tool(shop, tach, "check")
    matches = [m for m in map(TACH_LINE.match, output.splitlines()) if m]
    found = {(m[1], statement_line(shop, m[1], int(m[2]))) for m in matches}
    expected = {(str(f["path"]).split("shop_app/")[-1], f["line"]) for f in check_imports(shop, capsys)}
    assert ("shop/reviews/service.py", 78) in found
    assert found == expected


def test_export_prints_to_stdout_and_is_deterministic(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for _ in range(2):
        assert main(["export", str(shop), "--to", "tach", "-", "-q"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert '[[modules]]\npath = "shop.reviews"\ndepends_on = [' in outputs[0]


def test_roots_are_whole_packages_where_a_service_has_them() -> None:
    services = {"a": "one", "a.x": "one", "a.y": "two", "b": "two", "b.z": "two", "k": "shared-kernel"}
    assert roots_by_service(services, [*services, "a.tests"]) == {
        "one": ("a.x",),  # a holds a module of two and a test module: not a root
        "shared-kernel": ("k",),
        "two": ("a.y", "b"),
    }


def test_one_service_is_no_boundary() -> None:
    codebase = Codebase(root="/x", modules=(Module("a", "a.py", 1),))
    with pytest.raises(ExportError, match="fewer than two services"):
        to_importlinter(Policy(service_of=(("a", "one"),)), codebase)

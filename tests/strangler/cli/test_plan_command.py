"""`strangler plan`: writing, refusing and options (its documents: tests/strangler/plan/test_outputs.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strangler.cli import main
from strangler.writing import MARKER
from tests.conftest import EXAMPLE_APP


def _run(*args: str) -> int:
    return main(["plan", str(EXAMPLE_APP), "--no-history", "-q", *args])


def test_writes_and_refuses_foreign_directories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert _run("-o", str(out)) == 0
    summary = capsys.readouterr().out
    assert "waves (least entangled first)" in summary and "plan.md" in summary
    assert (out / "plan.md").is_file() and (out / MARKER).is_file()
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert _run("-o", str(out)) == 0  # its own directory: rewritten, byte-identical
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == first

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    assert _run("-o", str(foreign)) == 1
    assert "--force" in capsys.readouterr().err
    assert sorted(p.name for p in foreign.iterdir()) == ["keep.txt"]
    assert _run("-o", str(foreign), "--force") == 0
    assert (foreign / "keep.txt").read_text() == "mine" and (foreign / "plan.json").is_file()


def test_json_output_and_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(
        "-o",
        str(tmp_path / "o"),
        "--format",
        "json",
        "--listen",
        "9090",
        "--canary",
        "25,100",
        "--monolith-upstream",
        "10.0.0.1:80",
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "strangler.plan/1"
    first = doc["waves"][0]["service"]
    conf = (tmp_path / "o/proxy/nginx/phase-1.canary-25.conf").read_text()
    assert "listen 127.0.0.1:9090;" in conf and "server 10.0.0.1:80;" in conf and "25% strangler_" in conf
    assert not (tmp_path / "o/proxy/nginx/phase-1.canary-10.conf").exists()
    assert f"strangler_svc_{first.replace('-', '_')}" in conf


@pytest.mark.parametrize(
    "args",
    [
        ("--monolith-upstream", "evil;host:80"),
        ("--service-upstream", "nope"),
        ("--service-upstream", "no-such-service=127.0.0.1:1"),
        ("--canary", "0,200"),
    ],
)
def test_bad_proxy_options_are_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    assert _run("-o", str(tmp_path / "o"), *args) == 2


def test_plan_takes_the_proposal_options_of_boundaries(tmp_path: Path) -> None:
    """`boundaries --services 6 --seed 3` then `plan --services 6 --seed 3` plans that same cut."""
    from click.testing import CliRunner

    from strangler.cli.boundaries_command import command as boundaries

    asked = ["--services", "6", "--seed", "3", "--seeds", "1", "--no-history", "--no-cache", "-q"]
    result = CliRunner().invoke(boundaries, [str(EXAMPLE_APP), *asked, "--format", "json"])
    assert result.exit_code == 0, result.output
    cut = {s["name"]: sorted(s["modules"]) for s in json.loads(result.output)["services"]}
    assert len(cut) == 6
    assert main(["plan", str(EXAMPLE_APP), "-o", str(tmp_path / "out"), *asked, "--format", "json"]) == 0
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert sorted(w["service"] for w in plan["waves"]) == sorted(cut)
    default = tmp_path / "default"
    assert main(["plan", str(EXAMPLE_APP), "-o", str(default), "--no-history", "--no-cache", "-q"]) == 0
    assert len(json.loads((default / "plan.json").read_text())["waves"]) != 6

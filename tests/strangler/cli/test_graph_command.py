"""`strangler graph` end to end: options, formats by extension, usage errors, the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from strangler.boundaries.decomposition_codec import to_document
from strangler.cli import graph_command
from strangler.jsonio import dumps
from strangler.render import graph_output
from tests.conftest import EXAMPLE_APP, require_tool
from tests.view_support import shop


@pytest.fixture
def shop_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace analysis and boundaries with the hand-built shop, so only the command is tested."""
    cb, dec = shop()
    monkeypatch.setattr(graph_output, "load_codebase", lambda *a, **k: cb)
    monkeypatch.setattr(graph_output, "decomposition_of", lambda *a, **k: dec)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(graph_command.command, list(args))
    return result.exit_code, result.output


@pytest.mark.usefixtures("shop_inputs")
def test_dot_output_is_the_service_view_by_default(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "g.dot"
    code, output = _run(str(tmp_path), "-o", str(out))
    assert code == 0, output
    assert out.read_text().startswith('digraph "strangler-services"')
    assert "wrote" in output


@pytest.mark.usefixtures("shop_inputs")
def test_focus_implies_the_module_level(tmp_path: Path) -> None:
    out = tmp_path / "g.dot"
    assert _run(str(tmp_path), "-o", str(out), "--focus", "accounts")[0] == 0
    text = out.read_text()
    assert text.startswith('digraph "strangler-modules"') and "focus: accounts" in text
    assert "shop.inventory.models" not in text


@pytest.mark.usefixtures("shop_inputs")
@pytest.mark.parametrize(
    "args",
    [
        ["-o", "g.txt"],
        ["-o", "g.dot", "--focus", "payments"],
        ["-o", "g.dot", "--level", "service", "--focus", "orders"],
        ["-o", "g.dot", "--max-nodes", "0"],
        ["-o", "g.dot", "--level", "galaxy"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    args = [a if not a.startswith("g.") else str(tmp_path / a) for a in args]
    code, output = _run(str(tmp_path), *args)
    assert code == 2, output
    assert not (tmp_path / "g.txt").exists() and not (tmp_path / "g.dot").exists()


@pytest.mark.usefixtures("shop_inputs")
def test_quiet_prints_nothing(tmp_path: Path) -> None:
    assert _run(str(tmp_path), "-o", str(tmp_path / "g.dot"), "-q") == (0, "")


@pytest.mark.usefixtures("shop_inputs")
@pytest.mark.parametrize(
    "suffix, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("html", b"<!DOCTYPE"), ("mmd", b"%% ")]
)
def test_rendered_formats(tmp_path: Path, suffix: str, magic: bytes) -> None:
    require_tool("dot")
    out = tmp_path / f"g.{suffix}"
    level = "service" if suffix == "mmd" else "module"  # (Mermaid is service level only)
    code, output = _run(str(tmp_path), "-o", str(out), "--level", level)
    assert code == 0, output
    assert out.read_bytes().startswith(magic)


@pytest.mark.usefixtures("shop_inputs")
def test_without_dot_svg_fails_clearly_and_html_and_mermaid_still_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = CliRunner().invoke(graph_command.command, [str(tmp_path), "-o", str(tmp_path / "g.svg")])
    assert result.exit_code == 1 and "apt install graphviz" in str(result.exception)
    code, _ = _run(str(tmp_path), "-o", str(tmp_path / "g.html"))
    page = (tmp_path / "g.html").read_text()
    assert code == 0 and 'id="graph-library"' in page and 'id="graph"' in page  # the report needs no `dot`
    code, _ = _run(str(tmp_path), "-o", str(tmp_path / "g.mmd"))
    assert code == 0 and (tmp_path / "g.mmd").read_text().splitlines()[1] == "flowchart LR"


@pytest.mark.usefixtures("shop_inputs")
def test_mermaid_is_service_level_only(tmp_path: Path) -> None:
    code, output = _run(str(tmp_path), "-o", str(tmp_path / "g.mmd"), "--level", "module")
    assert code == 2 and "service-level only" in output and not (tmp_path / "g.mmd").exists()
    assert _run(str(tmp_path), "-o", str(tmp_path / "g.mermaid"))[0] == 0


@pytest.mark.usefixtures("shop_inputs")
def test_a_missing_graph_library_warns_and_lists_the_services(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strangler.render import visjs

    monkeypatch.setattr(visjs, "library_path", lambda: None)
    result = CliRunner().invoke(graph_command.command, [str(tmp_path), "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 0 and "pyvis" in result.output
    page = (tmp_path / "g.html").read_text()
    assert 'id="graph-library"' not in page and 'id="svc-3-orders"' in page


def test_real_pipeline_on_the_example_app(tmp_path: Path) -> None:
    out = tmp_path / "example.dot"
    code, output = _run(str(EXAMPLE_APP), "-o", str(out), "--no-history")
    assert code == 0, output
    text = out.read_text()
    assert text.count('id="svc-') >= 3 and "Services of monolith_app" in text
    again = tmp_path / "again.dot"
    assert _run(str(EXAMPLE_APP), "-o", str(again), "--no-history")[0] == 0
    assert again.read_bytes() == out.read_bytes()


def test_edited_boundaries_file_is_drawn_as_written(tmp_path: Path) -> None:
    import analyzers
    from strangler.boundaries.pipeline import decomposition_for

    codebase = analyzers.analyze(EXAMPLE_APP, analyzers.AnalysisOptions(history=False, cache=False))
    proposal = decomposition_for(codebase, None)
    edited = to_document(proposal)
    edited["assignments"] = {m: "everything" for m in edited["assignments"]}
    edited.pop("services", None)
    edited.pop("shared_kernel", None)
    boundaries = tmp_path / "edited.json"
    boundaries.write_text(dumps(edited))
    out = tmp_path / "edited.dot"
    code, output = _run(str(EXAMPLE_APP), "-o", str(out), "--no-history", "--boundaries", str(boundaries))
    assert code == 0, output
    assert '"everything" [id="svc-1-everything"' in out.read_text()


def test_the_decomposition_notes_go_to_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    cb, dec = shop()
    noted = dataclasses.replace(dec, notes=("first thing", "second thing"))
    monkeypatch.setattr(graph_output, "load_codebase", lambda *a, **k: cb)
    monkeypatch.setattr(graph_output, "decomposition_of", lambda *a, **k: noted)
    result = CliRunner().invoke(graph_command.command, [str(tmp_path), "-o", str(tmp_path / "g.dot")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["note: first thing", "note: second thing"]
    assert "note:" not in result.stdout and result.stdout.startswith("wrote ")
    assert _run(str(tmp_path), "-o", str(tmp_path / "g.dot"), "-q") == (0, "")


def test_an_edited_file_that_disagrees_with_itself_is_noted(tmp_path: Path) -> None:
    import analyzers
    from strangler.boundaries.pipeline import decomposition_for

    codebase = analyzers.analyze(EXAMPLE_APP, analyzers.AnalysisOptions(history=False, cache=False))
    edited = to_document(decomposition_for(codebase, None))
    first, second = edited["services"][0], edited["services"][1]
    moved = first["modules"].pop()
    second["modules"].append(moved)  # moved in `services` only; `assignments` still says `first`
    boundaries = tmp_path / "edited.json"
    boundaries.write_text(dumps(edited))
    args = [str(EXAMPLE_APP), "-o", str(tmp_path / "m.dot"), "--no-history", "--boundaries", str(boundaries)]
    result = CliRunner().invoke(graph_command.command, [*args, "--level", "module"])
    assert result.exit_code == 0, result.output
    expected = f"note: 1 module(s) differ under `assignments` (read-only) in {boundaries}; `services` decides"
    assert result.stderr.startswith(expected)
    assert f"{moved}: {first['name']!r} there, {second['name']!r} in `services`" in result.stderr
    assert f'tooltip="{moved} ({second["name"]},' in (tmp_path / "m.dot").read_text()

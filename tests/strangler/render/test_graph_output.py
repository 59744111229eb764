"""`strangler.render.graph_output`: the `graph` file of a request (format by extension, level,
focus), on the hand-built shop."""

from __future__ import annotations

from pathlib import Path

import pytest

from strangler.render import graph_output
from strangler.render.graph_output import (
    GraphFormat,
    GraphLevel,
    GraphOption,
    GraphOptionError,
    GraphRequest,
    GraphView,
    format_of,
    graph_file,
    render_graph,
    view_for,
)
from strangler.request import AnalysisRequest
from tests.view_support import shop


@pytest.fixture
def shop_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Analysis and boundaries replaced by the hand-built shop."""
    codebase, decomposition = shop()
    monkeypatch.setattr(graph_output, "load_codebase", lambda request: codebase)
    monkeypatch.setattr(graph_output, "decomposition_of", lambda *args: decomposition)


def request(output: str, *, level: GraphLevel | None = None, focus: str | None = None) -> GraphRequest:
    return GraphRequest(AnalysisRequest(Path("shop")), Path(output), level=level, focus=focus)


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("g.dot", GraphFormat.DOT),
        ("G.SVG", GraphFormat.SVG),
        ("g.htm", GraphFormat.HTML),
        ("g.mermaid", GraphFormat.MMD),
    ],
)
def test_the_extension_names_the_format(name: str, fmt: GraphFormat) -> None:
    assert format_of(Path(name)) is fmt


def test_an_unknown_extension_is_an_error_about_the_output() -> None:
    with pytest.raises(GraphOptionError) as caught:
        format_of(Path("g.txt"))
    assert caught.value.option is GraphOption.OUTPUT and caught.value.exit_code == 2
    assert (
        caught.value.message == "cannot tell the format from 'g.txt'; end it in .dot, .svg, .png, .html, .mmd"
    )


def test_focus_implies_the_module_level_and_excludes_the_service_level() -> None:
    assert view_for(request("g.dot", focus="orders")).level is GraphLevel.MODULE
    assert view_for(request("g.dot")).level is GraphLevel.SERVICE
    with pytest.raises(GraphOptionError) as caught:
        view_for(request("g.dot", focus="orders", level=GraphLevel.SERVICE))
    assert caught.value.option is GraphOption.FOCUS


def test_mermaid_is_service_level_only() -> None:
    with pytest.raises(GraphOptionError) as caught:
        view_for(request("g.mmd", level=GraphLevel.MODULE))
    assert caught.value.option is GraphOption.LEVEL


@pytest.mark.usefixtures("shop_inputs")
def test_graph_file_holds_the_view_and_says_what_it_shows() -> None:
    drawn = graph_file(request("g.dot"))
    assert drawn.data.startswith(b'digraph "strangler-services"') and drawn.warnings == ()
    assert drawn.summary == f"service-level graph, {len(shop()[1].services)} services"
    modules = graph_file(request("g.dot", focus="accounts"))
    assert modules.data.startswith(b'digraph "strangler-modules"')
    assert modules.summary.startswith("module-level graph")
    assert graph_file(request("g.mmd")).data.startswith(b"%% ")


def test_an_unknown_focus_names_the_services() -> None:
    codebase, decomposition = shop()
    view = GraphView(GraphFormat.DOT, GraphLevel.MODULE, focus="nowhere")
    with pytest.raises(GraphOptionError) as caught:
        render_graph(codebase, decomposition, view)
    assert caught.value.option is GraphOption.FOCUS
    assert caught.value.message.startswith("no service named 'nowhere'; services: ")


def test_the_report_warns_without_the_graph_library(monkeypatch: pytest.MonkeyPatch) -> None:
    from strangler.render import visjs

    monkeypatch.setattr(visjs, "library_path", lambda: None)
    codebase, decomposition = shop()
    page, warnings = render_graph(codebase, decomposition, GraphView(GraphFormat.HTML))
    assert page.startswith(b"<!DOCTYPE") and warnings == [f"warning: {visjs.MISSING_HINT}"]

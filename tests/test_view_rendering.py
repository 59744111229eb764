"""SVG/PNG through the real Graphviz `dot`, and the error when it is missing."""

from __future__ import annotations

import pytest

from strangler.errors import ToolMissingError
from strangler.render.dot import service_dot
from strangler.render.rendering import inline_svg, render
from strangler.render.servicegraph import service_graph
from tests.conftest import require_tool
from tests.view_support import shop


def test_svg_has_a_node_per_service_with_the_data_ids() -> None:
    require_tool("dot")
    graph = service_graph(*shop())
    svg = render(service_dot(graph), "svg").decode()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    for node in graph.nodes:
        assert f'id="{node.node_id.replace("-", "&#45;")}"' in svg


def test_png_is_a_png() -> None:
    require_tool("dot")
    assert render(service_dot(service_graph(*shop())), "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_is_byte_identical_across_runs() -> None:
    require_tool("dot")
    text = service_dot(service_graph(*shop()))
    assert render(text, "svg") == render(text, "svg")


def test_missing_dot_names_the_package_and_what_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ToolMissingError) as caught:
        render(service_dot(service_graph(*shop())), "svg")
    message = caught.value.render()
    assert "graphviz" in message and "apt install graphviz" in message
    assert "brew install graphviz" in message and ".dot" in message and ".html" in message


def test_inline_svg_drops_prolog_comments_and_fixed_size() -> None:
    raw = (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "y">\n<!-- Generated -->\n'
        b'<svg width="300pt" height="100pt" viewBox="0 0 300 100"><!-- a --><g id="n"/></svg>\n'
    )
    assert inline_svg(raw) == '<svg viewBox="0 0 300 100"><g id="n"/></svg>\n'

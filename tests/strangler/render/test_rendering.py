"""SVG/PNG through the real Graphviz `dot`, and the error when it is missing."""

from __future__ import annotations

import re
import struct

import pytest

from strangler.exceptions import ToolMissingError
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


def test_service_svg_and_png_are_drawn_at_a_readable_size() -> None:
    """At 100 % zoom every label is at least 11 pt (14.7 px): the SVG is not scaled down (its size
    in points is its viewBox) and the PNG is drawn at 96 dpi (1 pt = 4/3 px)."""
    require_tool("dot")
    text = service_dot(service_graph(*shop()))
    svg = render(text, "svg").decode()
    size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    box = re.search(r'viewBox="0\.00 0\.00 ([\d.]+) ([\d.]+)"', svg)
    assert size and box
    assert (
        abs(float(size.group(1)) - float(box.group(1))) < 1
        and abs(float(size.group(2)) - float(box.group(2))) < 1
    )
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes and min(sizes) >= 11
    png = render(text, "png")
    width, height = struct.unpack(">II", png[16:24])
    assert abs(width - float(size.group(1)) * 4 / 3) <= 2 and abs(height - float(size.group(2)) * 4 / 3) <= 2

"""A large module view is drawn as a grid the edges do not disturb: no cluster box overlaps another,
every box sits in its own service's cluster, every SVG id is unique (clusters used to inherit
the graph's id), and edges into the shared kernel are drawn one arrow per service (with the default
edge budget Django's view keeps none: cross-service edges come first). Real Graphviz on the real
Django package (a test dependency).
"""

from __future__ import annotations

import html
import importlib.util
import itertools
import re
from pathlib import Path

from analyzers import AnalysisOptions, analyze
from strangler.boundaries.pipeline import decomposition_for
from strangler.cli.graph_command import build_output
from strangler.render.moduledot import GRID_FROM, bundle_kernel_edges
from strangler.render.modulegraph import ModuleView, module_view
from tests.conftest import require_tool

Box = tuple[float, float, float, float]


def _django_view_svg() -> tuple[str, ModuleView]:
    spec = importlib.util.find_spec("django")
    assert spec is not None and spec.origin is not None
    codebase = analyze(Path(spec.origin).parent, AnalysisOptions(history=False, cache=False))
    decomposition = decomposition_for(codebase, None)
    svg, warnings = build_output(codebase, decomposition, "svg", level="module", focus=None, max_nodes=150)
    assert warnings == []
    view = module_view(codebase, decomposition, max_nodes=150)
    assert len(view.nodes) >= GRID_FROM  # the grid layout
    return svg.decode("utf-8"), view


def _node_centres(svg: str) -> dict[str, tuple[float, float]]:
    centres: dict[str, tuple[float, float]] = {}
    title = r'class="node">\s*<title>([^<]*)</title>\s*'
    link = r"(?:<g [^>]*><a [^>]*>\s*)?"  # (a node with a tooltip)
    for key, points in re.findall(title + link + r'<polygon[^>]* points="([^"]*)"', svg):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", points)]
        xs, ys = numbers[0::2], numbers[1::2]
        centres[html.unescape(key)] = (sum(xs) / len(xs), sum(ys) / len(ys))
    return centres


def _cluster_boxes(svg: str) -> dict[str, Box]:
    boxes: dict[str, Box] = {}
    cluster = r'<g id="[^"]*" class="cluster">\s*<title>([^<]*)</title>\s*'
    outline = r'<(?:path|polygon)[^>]* (?:d|points)="([^"]*)"'
    for title, shape in re.findall(cluster + outline, svg):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape)]
        xs, ys = numbers[0::2], numbers[1::2]
        boxes[title] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def test_django_module_view_has_no_overlapping_clusters() -> None:
    require_tool("dot")
    svg, view = _django_view_svg()
    boxes = _cluster_boxes(svg)
    assert len(boxes) == len(view.services) >= 10
    crossing = [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(sorted(boxes.items()), 2)
        if _overlap(box_a, box_b)
    ]
    assert crossing == []
    cluster_of = {service: f"cluster_{index}" for index, service in enumerate(view.services)}
    centres = _node_centres(svg)
    assert len(centres) == len(view.nodes)
    for node in view.nodes:
        x, y = centres[node.key]
        around = [t for t, (x0, y0, x1, y1) in boxes.items() if x0 <= x <= x1 and y0 <= y <= y1]
        assert around == [cluster_of[node.service]], node.key
    single, bundles = bundle_kernel_edges(view)
    assert len(single) + sum(len(b) for b in bundles.values()) == len(view.edges)
    # every drawn edge, no invisible one; edges into the kernel one bundle per service
    assert svg.count('class="edge"') == len(single) + len(bundles)
    ids = re.findall(r'<g id="([^"]*)"', svg)
    assert len(ids) == len(set(ids))

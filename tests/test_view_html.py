"""The self-contained HTML report (structure and data; the browser test drives it for real)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from strangler.decomposition import Assignment
from strangler.render.dot import service_dot
from strangler.render.html import embed_json, report_data, report_html
from strangler.render.rendering import inline_svg, render
from strangler.render.servicegraph import service_graph
from tests.conftest import require_tool
from tests.view_support import shop

DATA = re.compile(r'<script type="application/json" id="strangler-data">(.*?)</script>', re.DOTALL)


def _page(svg: bool = True) -> str:
    cb, dec = shop()
    graph = service_graph(cb, dec)
    picture = inline_svg(render(service_dot(graph), "svg")) if svg else None
    return report_html(cb, dec, graph, picture)


def test_embedded_json_round_trips_to_the_report_data() -> None:
    cb, dec = shop()
    page = report_html(cb, dec, service_graph(cb, dec), None)
    found = DATA.search(page)
    assert found
    document = json.loads(found.group(1))
    assert document == json.loads(json.dumps(report_data(cb, dec, service_graph(cb, dec))))
    assert document["schema"] == "strangler.graph-report/1"
    orders = next(s for s in document["services"] if s["name"] == "orders")
    assert [m["name"] for m in orders["modules"]] == [
        "shop.orders",
        "shop.orders.models",
        "shop.orders.service",
        "shop.orders.views",
    ]
    assert orders["routes"] == ["GET /orders/", "POST /orders/"]
    assert document["assignments"]["shop.orders.views"]["reason"].startswith("serves /orders/*")
    assert document["cycles"] == [["inventory", "orders"]]


def test_script_end_tags_in_data_cannot_close_the_script() -> None:
    cb, dec = shop()
    evil = "</script><script>alert(1)</script><!--"
    dec = replace(dec, assignments=tuple(replace(a, reason=evil) for a in dec.assignments))
    page = report_html(cb, dec, service_graph(cb, dec), None)
    assert "alert(1)</script>" not in page
    found = DATA.search(page)
    assert found and json.loads(found.group(1))["assignments"]["shop.core.db"]["reason"] == evil
    assert "</" not in embed_json({"a": "</b>"})


def test_page_is_self_contained() -> None:
    require_tool("dot")
    page = _page()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert page.count("<svg") == 1


def test_svg_node_ids_match_the_data() -> None:
    require_tool("dot")
    page = _page()
    document = json.loads(DATA.search(page).group(1))  # type: ignore[union-attr]
    for service in document["services"]:
        assert f'id="{service["node_id"].replace("-", "&#45;")}"' in page


def test_without_graphviz_the_services_are_listed_with_the_same_ids() -> None:
    page = _page(svg=False)
    assert "<svg" not in page and "Graphviz is not installed" in page
    for node in service_graph(*shop()).nodes:
        assert f'id="{node.node_id}"' in page


def test_metrics_and_services_tables() -> None:
    page = _page(svg=False)
    assert '<th scope="row">modularity</th><td class="num">0.410</td>' in page
    assert 'data-service="inventory"' in page and "Newman modularity" in page


def test_report_is_byte_identical_across_runs() -> None:
    assert _page(svg=False) == _page(svg=False)


def test_unassigned_reason_and_pinned_module_are_kept() -> None:
    cb, dec = shop()
    pinned = tuple(
        Assignment(a.module, a.service, "", 1.0, True) if a.module == "shop.core.db" else a
        for a in dec.assignments
    )
    data = report_data(cb, replace(dec, assignments=pinned), service_graph(cb, dec))
    kernel = next(s for s in data["services"] if s["kernel"])
    db = next(m for m in kernel["modules"] if m["name"] == "shop.core.db")
    assert db == {"name": "shop.core.db", "reason": "", "confidence": 1.0, "pinned": True, "loc": 30}

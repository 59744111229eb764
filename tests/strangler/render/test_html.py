"""The self-contained HTML report (structure and data; the browser tests drive it for real)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser

from strangler.boundaries.decomposition import Assignment
from strangler.plan import make_plan
from strangler.render import visjs
from strangler.render.html import METRIC_NOTES, embed_json, format_metric, report_data, report_html
from strangler.render.servicegraph import service_graph
from tests.conftest import REPO
from tests.view_support import shop

DATA = re.compile(r'<script type="application/json" id="strangler-data">(.*?)</script>', re.DOTALL)


def _page(library: bool = True) -> str:
    cb, dec = shop()
    graph = service_graph(cb, dec)
    script = visjs.library_script() if library else None
    return report_html(cb, dec, graph, make_plan(cb, dec), library=script)


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
    page = _page()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page and "<link" not in page
    assert "<script src" not in page
    assert page.count('id="graph"') == 1 and 'id="graph-canvas"' in page
    # the library is inlined from the installed package, its licence banner kept
    assert "@version 9.1.2" in page and "The MIT License" in page
    assert _script_ids(page) == ["strangler-data", "graph-library", "", ""]  # nothing inside ends one early


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.ids.append(dict(attrs).get("id") or "")


def _script_ids(page: str) -> list[str]:
    parser = _Scripts()
    parser.feed(page)
    return parser.ids


def test_the_graph_library_comes_from_the_installed_pyvis_package() -> None:
    path = visjs.library_path()
    assert path is not None and path.name == "vis-network.min.js" and "pyvis" in path.parts
    script = visjs.library_script()
    assert script is not None and "</script" not in script.lower()
    assert visjs.script_text('x = "</SCRIPT>"; /</.test(y)') == 'x = "<\\/SCRIPT>"; /</.test(y)'


def test_the_graph_data_places_every_service_and_module() -> None:
    cb, dec = shop()
    data = report_data(cb, dec, service_graph(cb, dec))
    graph = data["graph"]
    assert set(graph["services"]) == {s["name"] for s in data["services"]}
    names = [row[0] for row in graph["modules"]]
    assert names == sorted(data["assignments"])
    assert {row[1] for row in graph["modules"]} == set(graph["blocks"])
    row = dict(zip(graph["fields"]["modules"], graph["modules"][names.index("shop.orders.views")]))
    assert row["service"] == "orders" and row["path"] == "shop/orders/views.py" and row["loc"] == 120
    # every reference across two services is listed with its file and line
    sites = {(names[s], line, names[t], symbol) for s, line, t, symbol in graph["sites"]}
    assert ("shop.orders.service", 10, "shop.inventory.service", "reserve_stock") in sites
    assert ("shop.orders.views", 2, "shop.accounts.auth", "import") in sites
    assert all(data["assignments"][a]["service"] != data["assignments"][b]["service"] for a, _, b, _ in sites)


def test_without_the_graph_library_the_services_are_listed_with_the_same_ids() -> None:
    page = _page(library=False)
    assert "graph-library" not in page and "pyvis" in page
    for node in service_graph(*shop()).nodes:
        assert f'id="{node.node_id}"' in page


def test_metrics_and_services_tables() -> None:
    page = _page(library=False)
    assert '<th scope="row"><code>modularity</code></th><td class="num">0.41</td>' in page
    assert 'data-service="inventory"' in page and "Newman modularity" in page


def test_metric_numbers_read_as_numbers_and_every_metric_is_explained() -> None:
    assert format_metric("cross_service_call_sites", 102.0) == "102"
    assert format_metric("modules", 1234.0) == "1,234"
    assert format_metric("icp", 0.225199) == "0.23" and format_metric("ned", 1.0) == "1.00"
    assert format_metric("ifn", 25.294118) == "25.3"
    metrics = {
        "cross_service_call_sites": 102.0,
        "icp": 0.2252,
        "ifn": 25.29,
        "modularity": 0.66,
        "modules": 816.0,
        "ned": 0.0882,
        "ned_relative": 0.5637,
        "services": 17.0,
        "shared_tables": 3.0,
        "sm": 0.3415,
    }
    cb, dec = shop()
    dec = replace(dec, metrics=tuple(sorted(metrics.items())))
    page = report_html(cb, dec, service_graph(cb, dec))
    row = r'<tr><th scope="row"><code>(\w+)</code></th><td class="num">([^<]*)</td><td>(.*?)</td></tr>'
    rows = re.findall(row, page)
    assert [name for name, _, _ in rows] == sorted(metrics)
    counts = {"cross_service_call_sites", "modules", "services", "shared_tables"}
    for name, value, note in rows:
        assert "." not in value or name not in counts
        assert note.startswith(METRIC_NOTES[name][0])
        assert f'href="docs/metrics.md#{METRIC_NOTES[name][1]}"' in note
    assert ("cross_service_call_sites", "102") in {(n, v) for n, v, _ in rows}


def test_metric_links_point_at_sections_of_the_metrics_doc() -> None:
    doc = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    anchors = {_anchor(line.lstrip("#").strip()) for line in doc.splitlines() if line.startswith("#")}
    assert {anchor for _, anchor in METRIC_NOTES.values()} <= anchors


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def test_the_plan_is_in_the_page() -> None:
    page = _page()
    document = json.loads(DATA.search(page).group(1))  # type: ignore[union-attr]
    waves = document["waves"]
    assert [w["service"] for w in waves] == [w.service for w in make_plan(*shop()).waves]
    assert waves[-1]["extracted"] == [w["service"] for w in waves]
    assert waves[-1]["calls_into_monolith"] == waves[-1]["calls_from_monolith"] == 0
    assert '<select id="wave">' in page and 'data-wave="1"' in page


def test_report_is_byte_identical_across_runs() -> None:
    assert _page() == _page()


def test_unassigned_reason_and_pinned_module_are_kept() -> None:
    cb, dec = shop()
    pinned = tuple(
        Assignment(a.module, a.service, "", 1.0, True) if a.module == "shop.core.db" else a
        for a in dec.assignments
    )
    data = report_data(cb, replace(dec, assignments=pinned), service_graph(cb, dec))
    kernel = next(s for s in data["services"] if s["kernel"])
    db = next(m for m in kernel["modules"] if m["name"] == "shop.core.db")
    assert db == {
        "name": "shop.core.db",
        "reason": "",
        "confidence": 1.0,
        "pinned": True,
        "loc": 30,
        "path": "shop/core/db.py",
    }

"""The coupling graph: one attribute per signal, weights combined as documented."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import analyzers
from analyzers.model import Codebase, ImportEdge, Module
from analyzers.options import AnalysisOptions
from strangler.boundaries import propose
from strangler.boundaries.settings import BoundaryOptions
from strangler.graph.coupling import (
    DEFAULT_WEIGHTS,
    EMPTY_ROLE,
    SIGNALS,
    build_graph,
    common_route_prefix,
    left_out,
    route_segment,
    runtime_roles,
    undirected,
)
from tests.bnd_support import capability_app
from tests.builders import codebase, write_tree


def test_nodes_carry_attributes_and_tests_stay_out_by_default() -> None:
    cb = codebase(
        {"app.a": 12, "app.b": 5, "app.tests.test_a": 7, "app": 1},
        imports=[("app.tests.test_a", "app.a"), ("app.a", "app.b")],
        roles={"app.tests.test_a": "test"},
        packages=["app"],
    )
    graph = build_graph(cb)
    assert set(graph.nodes) == {"app", "app.a", "app.b"}
    assert graph.nodes["app.a"] == {"loc": 12, "role": "code", "package": "app", "path": "app/a.py"}
    assert graph.nodes["app"]["package"] == "app"
    with_tests = build_graph(cb, include_tests=True)
    assert with_tests.has_edge("app.tests.test_a", "app.a")


def test_every_edge_has_every_signal_and_a_weight() -> None:
    graph = build_graph(capability_app())
    assert graph.number_of_edges() > 0
    for _, _, attrs in graph.edges(data=True):
        assert set(SIGNALS) <= set(attrs)
        assert attrs["weight"] >= 0.0


def test_import_markers_weigh_less_than_plain_imports() -> None:
    cb = Codebase(
        root="/x",
        modules=(Module("a", "a.py", 1), Module("b", "b.py", 1), Module("c", "c.py", 1)),
        imports=(
            ImportEdge("a", "b", 1),
            ImportEdge("a", "c", 1, markers=frozenset({"type_checking"})),
        ),
    )
    graph = build_graph(cb)
    assert graph["a"]["b"]["imports"] == 1.0
    assert 0.0 < graph["a"]["c"]["imports"] < 1.0
    assert graph["a"]["c"]["weight"] < graph["a"]["b"]["weight"]
    assert not graph.has_edge("b", "a")


def test_references_weighted_by_kind_and_inheritance_counted() -> None:
    cb = codebase(
        ["a", "b", "c"],
        references=[("a", "b", "Base", "base"), ("c", "b", "Base", "annotation")],
    )
    graph = build_graph(cb)
    assert graph["a"]["b"]["references"] > graph["c"]["b"]["references"]
    assert graph["a"]["b"]["inheritance"] == 1.0
    assert graph["c"]["b"]["inheritance"] == 0.0


def test_symmetric_signals_on_both_directions() -> None:
    cb = codebase(
        ["x.models", "x.service", "y.views", "y.api"],
        tables=[("orders", "x.models")],
        accesses=[("x.service", "orders", "write"), ("y.views", "orders", "read")],
        routes=[("/orders/", "y.views"), ("/orders/<id>", "y.api")],
        cochange=[("x.service", "y.api", 4)],
    )
    graph = build_graph(cb)
    for a, b, signal in [
        ("x.models", "x.service", "data"),
        ("y.views", "y.api", "routes"),
        ("x.service", "y.api", "cochange"),
    ]:
        assert graph[a][b][signal] == graph[b][a][signal] > 0.0
    # writers weigh more than readers
    assert graph["x.models"]["x.service"]["data"] > graph["x.models"]["y.views"]["data"]


def test_undirected_counts_symmetric_signals_once() -> None:
    cb = codebase(["a", "b"], imports=[("a", "b"), ("b", "a")], cochange=[("a", "b", 3)])
    weights = {"imports": 1.0, "cochange": 1.0}
    graph = build_graph(cb, weights)
    pair = undirected(graph)["a"]["b"]
    assert pair["imports"] == 2.0
    assert pair["cochange"] == 3.0
    assert pair["weight"] == pytest.approx(math.log1p(2.0) + math.log1p(3.0), abs=1e-5)


def test_weights_select_signals() -> None:
    cb = capability_app()
    only_imports = build_graph(cb, {"imports": 1.0})
    assert dict(only_imports.graph["weights"])["data"] == 0.0
    for _, _, attrs in only_imports.edges(data=True):
        expected = round(math.log1p(attrs["imports"]), 6) if attrs["imports"] else 0.0
        assert attrs["weight"] == pytest.approx(expected, abs=1e-5)
    assert build_graph(cb).graph["weights"] == tuple(sorted(DEFAULT_WEIGHTS.items()))


def test_names_similarity_links_modules_with_shared_vocabulary() -> None:
    terms = {
        "m1": {"invoice": 5, "tax": 3, "ledger": 2},
        "m2": {"invoice": 4, "tax": 2, "ledger": 1},
        "m3": {"parcel": 5, "carrier": 3, "label": 2},
        "m4": {"parcel": 3, "carrier": 4, "label": 1},
        "m5": {"zebra": 1},
        "m6": {"giraffe": 1},
        "m7": {"zebra": 1},
    }
    graph = build_graph(codebase(list(terms), terms=terms), {"names": 1.0})
    assert graph["m1"]["m2"]["names"] > 0.5
    assert graph["m3"]["m4"]["names"] > 0.5
    assert not graph.has_edge("m1", "m3")
    # near-empty modules (fewer than NAMES_MIN_TERMS informative terms) are not compared
    assert not graph.has_edge("m5", "m7")


def test_route_prefix_common_to_most_routes_is_skipped() -> None:
    paths = ["/api/v1/orders/", "/api/v1/orders/<id>", "/api/v1/users/", "/health"]
    common = common_route_prefix(paths)
    assert common == ("api", "v1")
    assert route_segment("/api/v1/orders/<id>", common) == "orders"
    assert route_segment("/health", common) == "health"
    assert route_segment("/<int:x>/items", ()) == "items"


def test_graph_is_deterministic() -> None:
    cb = capability_app(seed=3)
    a, b = build_graph(cb), build_graph(cb)
    assert list(a.edges(data=True)) == list(b.edges(data=True))


#: Package markers with no code (empty, or comments only) beside package `__init__`s that are code:
#: one re-exporting its models (an import), one with a docstring only (a line of code: its words
#: are the names signal's evidence).
NO_CODE_TREE = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "# Orders.\n\n#   (nothing here)\n",
    "shop/orders/models.py": "class Order:\n    total = 0\n",
    "shop/orders/views.py": "from shop.orders.models import Order\n\ndef show():\n    return Order()\n",
    "shop/catalog/__init__.py": "from shop.catalog.models import Product\n",
    "shop/catalog/models.py": "class Product:\n    price = 0\n",
    "shop/cart/__init__.py": '"""Cart capability: one cart per user."""\n',
    "shop/cart/views.py": "from shop.catalog import Product\n\ndef add():\n    return Product()\n",
}


def test_a_module_with_no_code_is_left_out_of_the_graph_and_counted(tmp_path: Path) -> None:
    cb = analyzers.analyze(write_tree(tmp_path, NO_CODE_TREE), AnalysisOptions(history=False, cache=False))
    roles = runtime_roles(cb)
    assert {m for m, r in roles.items() if r == EMPTY_ROLE} == {"shop", "shop.orders"}
    assert roles["shop.catalog"] == "code"  # imports its models: real coupling
    assert roles["shop.cart"] == "code"  # a docstring is code
    graph = build_graph(cb)
    assert set(graph.nodes) == set(roles) - {"shop", "shop.orders"}
    assert left_out(cb) == {EMPTY_ROLE: 2}
    with_them = build_graph(cb, include_tests=True)
    assert set(with_them.nodes) == set(roles) and with_them.nodes["shop"]["role"] == EMPTY_ROLE
    assert left_out(cb, include_tests=True) == {}


def test_a_module_with_no_code_is_in_no_service_and_not_in_the_kernel(tmp_path: Path) -> None:
    cb = analyzers.analyze(write_tree(tmp_path, NO_CODE_TREE), AnalysisOptions(history=False, cache=False))
    decomposition = propose(cb, build_graph(cb), BoundaryOptions(seed=0))
    assert {"shop", "shop.orders"}.isdisjoint(decomposition.service_of())
    assert "shop.catalog" in decomposition.service_of()


def test_a_file_that_could_not_be_read_is_not_taken_for_an_empty_one(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"shop/__init__.py": "", "shop/orders.py": "X = 1\n"})
    (root / "shop" / "blob.py").write_bytes(b"\x00\x01binary")  # loc 0, but its content is unknown
    cb = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    assert [m.loc for m in cb.modules if m.name == "shop.blob"] == [0]
    assert runtime_roles(cb) == {"shop": EMPTY_ROLE, "shop.blob": "code", "shop.orders": "code"}

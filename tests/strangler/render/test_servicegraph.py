"""The service-level view computed from facts and a decomposition."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx

from analyzers.model import Codebase, Reference, Symbol
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.render.dot import service_dot
from strangler.render.servicegraph import feedback_edges, node_ids, service_graph
from strangler.render.wiring import wiring_pairs
from tests.builders import codebase, decomposition
from tests.view_support import shop


def test_edges_count_distinct_call_sites_and_imports_across_services() -> None:
    graph = service_graph(*shop())
    edges = {(e.source, e.target): (e.call_sites, e.imports) for e in graph.edges}
    assert edges == {
        ("orders", "inventory"): (3, 1),
        ("orders", "accounts"): (1, 1),
        ("inventory", "orders"): (1, 1),
        ("orders", SHARED_KERNEL): (1, 2),
        ("inventory", SHARED_KERNEL): (0, 1),
        ("accounts", SHARED_KERNEL): (0, 1),
    }


def test_mutual_dependency_is_a_cycle_and_one_way_is_not() -> None:
    graph = service_graph(*shop())
    assert graph.cycles == (("inventory", "orders"),)
    cyclic = {(e.source, e.target) for e in graph.edges if e.in_cycle}
    assert cyclic == {("orders", "inventory"), ("inventory", "orders")}
    assert graph.node("orders").in_cycle and not graph.node("accounts").in_cycle


def test_shared_tables_join_services_that_touch_the_same_table() -> None:
    graph = service_graph(*shop())
    assert [(d.a, d.b, d.tables) for d in graph.data_edges] == [("inventory", "orders", ("stock",))]
    assert graph.node("orders").shared_tables == 1
    assert graph.node("accounts").shared_tables == 0


def test_nodes_carry_size_facts_and_the_kernel() -> None:
    graph = service_graph(*shop())
    orders = graph.node("orders")
    assert (orders.modules, orders.loc, orders.routes, orders.tables) == (4, 505, 2, 1)
    kernel = graph.node(SHARED_KERNEL)
    assert kernel.kernel and kernel.modules == 2 and kernel.loc == 55
    assert [n.name for n in graph.nodes] == sorted(n.name for n in graph.nodes)


def test_no_kernel_node_without_kernel_modules() -> None:
    cb = codebase({"a.x": 1, "b.y": 2}, imports=[("a.x", "b.y", 1)])
    graph = service_graph(cb, decomposition({"a": ["a.x"], "b": ["b.y"]}))
    assert [n.name for n in graph.nodes] == ["a", "b"]
    assert graph.cycles == ()
    assert [(e.source, e.target, e.weight) for e in graph.edges] == [("a", "b", 1)]


def test_node_ids_are_unique_and_html_safe_for_odd_names() -> None:
    dec = decomposition({'a "b"': ["m1"], "a-b": ["m2"], "<&>": ["m3"]})
    ids = node_ids(dec)
    assert len(set(ids.values())) == len(ids) == 4
    for value in ids.values():
        assert all(c.isalnum() or c == "-" for c in value), value


def test_the_lighter_direction_of_a_cycle_is_the_one_to_invert() -> None:
    graph = service_graph(*shop())
    assert [(e.source, e.target) for e in graph.edges if e.feedback] == [("inventory", "orders")]


def test_feedback_edges_break_every_cycle_of_a_longer_loop() -> None:
    weights = {("a", "b"): 5, ("b", "c"): 5, ("c", "a"): 1, ("c", "b"): 1}
    removed = feedback_edges(weights, frozenset("abc"))
    assert removed == {("c", "a"), ("c", "b")}
    kept = nx.DiGraph([pair for pair in weights if pair not in removed])
    assert nx.is_directed_acyclic_graph(kept)


def test_shared_tables_ride_on_a_code_edge_when_there_is_one() -> None:
    graph = service_graph(*shop())
    carrying = [(e.source, e.target, e.shared_tables) for e in graph.edges if e.shared_tables]
    assert carrying == [("inventory", "orders", ("stock",))]
    assert [d.drawn for d in graph.data_edges] == [False]
    cb = codebase({"a.x": 1, "b.y": 1}, accesses=[("a.x", "t", "write"), ("b.y", "t", "read")])
    only_data = service_graph(cb, decomposition({"a": ["a.x"], "b": ["b.y"]}))
    assert only_data.edges == () and [d.drawn for d in only_data.data_edges] == [True]


def _wired_shop() -> tuple[Codebase, Decomposition]:
    """An app factory in the kernel registers each service's blueprint and imports a subscriber."""
    cb = codebase(
        {"app.factory": 20, "a.views": 10, "a.subscribers": 5, "b.views": 10, "core.db": 5},
        imports=[("app.factory", "a.views", 1), ("app.factory", "b.views", 2), ("a.views", "core.db", 1)],
        routes=[("/a", "a.views", "GET"), ("/b", "b.views", "GET")],
    )
    symbols = {"a.views": "bp", "b.views": "router"}  # the blueprint / router objects
    modules = tuple(
        replace(m, symbols=(Symbol(symbols[m.name], "variable", 1),)) if m.name in symbols else m
        for m in cb.modules
    )
    refs = (
        Reference("app.factory", 5, "a.views", "bp", "name"),
        Reference("app.factory", 6, "b.views", "router", "attribute"),
        Reference("app.factory", 7, "a.subscribers", "", "name"),
        Reference("a.views", 3, "core.db", "session", "attribute"),
    )
    cb = replace(cb, modules=modules, references=refs)
    dec = decomposition({"a": ["a.views", "a.subscribers"], "b": ["b.views"]}, ["app.factory", "core.db"])
    return cb, dec


def test_kernel_wiring_is_dashed_and_closes_no_cycle() -> None:
    cb, dec = _wired_shop()
    assert wiring_pairs(cb) == {
        ("app.factory", "a.views"),
        ("app.factory", "b.views"),
        ("app.factory", "a.subscribers"),
    }
    graph = service_graph(cb, dec)
    wires = {(e.source, e.target) for e in graph.edges if e.wires}
    assert wires == {(SHARED_KERNEL, "a"), (SHARED_KERNEL, "b")}
    assert graph.cycles == () and not any(e.in_cycle or e.feedback for e in graph.edges)
    text = service_dot(graph)
    assert 'style="dashed"' in text and "wires it in" in text


def test_a_call_into_a_route_module_is_not_wiring() -> None:
    cb, dec = _wired_shop()
    call = Reference("app.factory", 9, "a.views", "handler", "call")
    cb = replace(cb, references=(*cb.references, call))
    assert ("app.factory", "a.views") not in wiring_pairs(cb)
    graph = service_graph(cb, dec)
    assert {(e.source, e.target) for e in graph.edges if e.wires} == {(SHARED_KERNEL, "b")}
    assert graph.cycles == (("a", SHARED_KERNEL),)


def test_cycle_edges_that_stay_are_marked_not_coloured() -> None:
    text = service_dot(service_graph(*shop()))
    assert 'label="↻ 3 calls"' in text  # orders -> inventory: in the cycle, kept
    assert text.count(', color="#D55E00", ') == 1  # only the edge to invert is vermillion

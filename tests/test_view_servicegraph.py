"""The service-level view computed from facts and a decomposition."""

from __future__ import annotations

import networkx as nx

from strangler.decomposition import SHARED_KERNEL
from strangler.render.servicegraph import feedback_edges, node_ids, service_graph
from tests.view_support import codebase, decomposition, shop


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

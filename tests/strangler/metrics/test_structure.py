"""Structure metrics on a small hand-made graph and codebase, each value worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from analyzers.model import Codebase, Module, Reference, ReferenceKind, TableAccess
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.metrics import ServiceCoupling, service_coupling, structure_metrics

# Services A = {a1, a2}, B = {b1, b2}; k is shared kernel; x is unassigned; t is assigned to A but
# is not in the graph (a test module, say), so it is out of every number.
ASSIGNMENT = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "k": SHARED_KERNEL, "t": "A"}

EDGES = [
    ("a1", "a2", 2.0),
    ("a2", "a1", 1.0),  # with a1->a2: one undirected edge of weight 3
    ("b1", "b2", 2.0),
    ("a2", "b1", 1.0),
    ("b2", "a1", 0.0),  # zero weight: no edge for modularity or SM
    ("b1", "k", 5.0),  # to the kernel: out of scope
    ("x", "a1", 4.0),  # from an unassigned module: out of scope
]


def _graph(edges: list[tuple[str, str, float]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(["a1", "a2", "b1", "b2", "k", "x"])
    for u, v, w in edges:
        graph.add_edge(u, v, weight=w, references=1)
    return graph


def _ref(source: str, line: int, target: str, symbol: str, kind: ReferenceKind = "call") -> Reference:
    return Reference(source=source, line=line, target=target, symbol=symbol, kind=kind)


CODEBASE = Codebase(
    root="/hand-made",
    modules=tuple(Module(name=m, path=f"{m}.py", loc=10) for m in ["a1", "a2", "b1", "b2", "k", "t", "x"]),
    references=(
        _ref("a1", 10, "a2", "f"),  # inside A
        _ref("a2", 5, "b1", "g"),  # A -> B
        _ref("a2", 5, "b1", "g", "annotation"),  # same call site as the line above
        _ref("a2", 7, "b1", "g"),  # A -> B, second site of the same symbol
        _ref("a1", 3, "b2", "C", "base"),  # A -> B, symbol C
        _ref("b1", 4, "a1", "h"),  # B -> A
        _ref("b1", 9, "k", "u"),  # to the kernel: out
        _ref("x", 1, "a1", "h"),  # from unassigned: out
        _ref("t", 2, "b1", "g"),  # from a module outside the graph: out
        _ref("a1", 11, "a1", "z"),  # a module using itself: out
    ),
    accesses=(
        TableAccess("a1", "orders", "write", 1, "orm"),
        TableAccess("b1", "orders", "read", 1, "orm"),  # orders: A and B -> shared
        TableAccess("a1", "items", "write", 1, "orm"),
        TableAccess("a2", "items", "read", 1, "orm"),  # items: A only
        TableAccess("k", "users", "write", 1, "orm"),
        TableAccess("b2", "users", "read", 1, "orm"),  # users: B (kernel is no service)
        TableAccess("x", "payments", "read", 1, "sql"),
        TableAccess("a1", "payments", "read", 1, "sql"),  # payments: A (x is unassigned)
    ),
)


def test_structure_metrics_hand_worked() -> None:
    result = structure_metrics(_graph(EDGES), ASSIGNMENT, CODEBASE)
    # Modularity. Undirected scope graph: a1-a2 3, b1-b2 2, a2-b1 1; m = 6.
    # Degrees a1 3, a2 4, b1 3, b2 2. Q = sum_c L_c/m - (d_c/2m)^2
    #   = (3/6 - (7/12)^2) + (2/6 - (5/12)^2) = 120/144 - 74/144 = 23/72.
    assert result["modularity"] == pytest.approx(23 / 72, abs=1e-12)
    # Call sites among scored modules: (a1,10,a2,f), (a2,5,b1,g), (a2,7,b1,g), (a1,3,b2,C),
    # (b1,4,a1,h) = 5; all but the first cross services: ICP = 4/5.
    assert result["icp"] == pytest.approx(0.8)
    assert result["cross_service_call_sites"] == 4.0
    # SM. Directed edges of positive weight: mu_A = 2 (a1->a2, a2->a1), mu_B = 1, sigma_AB = 1.
    # scoh = (2/2^2 + 1/2^2)/2 = 0.375; scop = 1/(2*2*2) over 1 pair = 0.125; SM = 0.25.
    assert result["sm"] == pytest.approx(0.25)
    # IFN: B offers b1.g and b2.C, A offers a1.h: (2 + 1) / 2 services.
    assert result["ifn"] == pytest.approx(1.5)
    # NED: both services have 2 modules, outside [5, 20]; relative: within [1, 4] of the mean 2.
    assert result["ned"] == 0.0
    assert result["ned_relative"] == 1.0
    assert result["shared_tables"] == 1.0
    assert result["services"] == 2.0
    assert result["modules"] == 4.0


def test_modularity_agrees_with_networkx_on_the_summed_undirected_graph() -> None:
    result = structure_metrics(_graph(EDGES), ASSIGNMENT, CODEBASE)
    undirected = nx.Graph()
    undirected.add_weighted_edges_from([("a1", "a2", 3.0), ("b1", "b2", 2.0), ("a2", "b1", 1.0)])
    expected = nx.community.modularity(undirected, [{"a1", "a2"}, {"b1", "b2"}], weight="weight")
    assert result["modularity"] == pytest.approx(expected, abs=1e-12)


def test_results_do_not_depend_on_insertion_order() -> None:
    forward = structure_metrics(_graph(EDGES), ASSIGNMENT, CODEBASE)
    backward = structure_metrics(
        _graph(list(reversed(EDGES))), dict(reversed(list(ASSIGNMENT.items()))), CODEBASE
    )
    assert forward == backward


def test_one_service_has_no_coupling_term_and_zero_modularity() -> None:
    everyone = {m: "all" for m in ["a1", "a2", "b1", "b2"]}
    result = structure_metrics(_graph(EDGES), everyone, CODEBASE)
    # One community holding every edge: Q = 1 - 1^2 = 0.
    assert result["modularity"] == pytest.approx(0.0, abs=1e-12)
    # 4 directed edges of positive weight among 4 modules: 4/16, no pair of services.
    assert result["sm"] == pytest.approx(0.25)
    assert result["icp"] == 0.0
    assert result["ifn"] == 0.0
    assert result["shared_tables"] == 0.0
    assert result["services"] == 1.0


def test_no_edges_no_references_no_services() -> None:
    empty = Codebase(root="/empty", modules=())
    result = structure_metrics(nx.DiGraph(), {}, empty)
    assert result == {
        "modularity": 0.0,
        "icp": 0.0,
        "sm": 0.0,
        "ifn": 0.0,
        "ned": 0.0,
        "ned_relative": 0.0,
        "cross_service_call_sites": 0.0,
        "shared_tables": 0.0,
        "services": 0.0,
        "modules": 0.0,
    }


def test_ned_absolute_relative_and_custom_bounds() -> None:
    sizes = {"P": 5, "Q": 1, "R": 21, "S": 20}  # 47 modules
    assignment = {f"{s}{i}": s for s, n in sizes.items() for i in range(n)}
    graph = nx.DiGraph()
    graph.add_nodes_from(assignment)
    codebase = Codebase(root="/ned", modules=())
    result = structure_metrics(graph, assignment, codebase)
    # Within [5, 20]: P (5) and S (20), bounds inclusive: 25/47.
    assert result["ned"] == pytest.approx(25 / 47)
    # Mean size 47/4 = 11.75, relative bounds [5.875, 23.5]: R and S: 41/47.
    assert result["ned_relative"] == pytest.approx(41 / 47)
    # Custom bounds [1, 5]: P and Q: 6/47.
    narrow = structure_metrics(graph, assignment, codebase, ned_bounds=(1, 5))
    assert narrow["ned"] == pytest.approx(6 / 47)
    assert result["modularity"] == 0.0  # no edges at all


def test_sm_with_three_services_averages_coupling_over_pairs() -> None:
    # A = {a1, a2} with a1->a2; B = {b1}; C = {c1}. a1->b1, a2->b1, b1->c1.
    # scoh: A 1/4, B 0, C 0 -> mean 1/12. scop: AB 2/(2*2*1) = 1/2, BC 1/(2*1*1) = 1/2, AC 0;
    # averaged over 3 pairs: 1/3. SM = 1/12 - 1/3 = -1/4.
    graph = nx.DiGraph()
    graph.add_edges_from([("a1", "a2"), ("a1", "b1"), ("a2", "b1"), ("b1", "c1")])
    assignment = {"a1": "A", "a2": "A", "b1": "B", "c1": "C"}
    result = structure_metrics(graph, assignment, Codebase(root="/sm", modules=()))
    assert result["sm"] == pytest.approx(-0.25)


def test_service_coupling_hand_worked() -> None:
    coupling = service_coupling(_graph(EDGES), ASSIGNMENT)
    # A: inside 2 + 1 = 3; across a2->b1 1 (+ b2->a1 0); kernel 0.
    # B: inside 2; across 1; kernel b1->k 5. x->a1 is from an unassigned module: ignored.
    assert coupling == {
        "A": ServiceCoupling("A", internal=3.0, boundary=1.0, kernel=0.0, cohesion=0.75, coupling=0.25),
        "B": ServiceCoupling("B", internal=2.0, boundary=1.0, kernel=5.0, cohesion=2 / 3, coupling=1 / 8),
    }

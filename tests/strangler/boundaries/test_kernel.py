"""Kernel rules and the clustering helpers added for speed: data owners stay out of the kernel,
degree-corrected weights, and the fast modularity agrees with networkx."""

from __future__ import annotations

import networkx as nx
import pytest

from strangler.boundaries import clustering, propose
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.boundaries.kernel import Capability, Holding, capabilities
from strangler.boundaries.settings import BoundaryOptions, parse_signals
from tests.bnd_support import capability_app
from tests.builders import codebase


def _blind(**kw: object) -> BoundaryOptions:
    return BoundaryOptions(weights=tuple(sorted(parse_signals("-packages").items())), **kw)  # type: ignore[arg-type]


def test_declaring_or_touching_a_table_is_a_capability() -> None:
    cb = codebase(
        ["a.models", "a.auth", "b.service"],
        tables=[("users", "a.models")],
        accesses=[("a.auth", "users", "read")],
    )
    owned = capabilities(cb)
    assert owned["a.models"] == [Capability(Holding.TABLE_DECLARED, "declares table users")]
    assert owned["a.auth"] == [Capability(Holding.TABLE_USED, "reads table users")]
    assert "b.service" not in owned


def test_a_models_module_used_everywhere_is_not_kernel_but_its_capability() -> None:
    """`app.users.models` declares `users` and every capability reads it: it owns data, so it
    stays with the users capability instead of the shared kernel."""
    base = capability_app(("orders", "billing", "catalog", "users", "shipping"))
    extra_imports = [
        (m.name, "app.users.models")
        for m in base.modules
        if m.name.endswith((".service", ".views")) and ".users." not in m.name
    ]
    cb = codebase(
        {m.name: m.loc for m in base.modules},
        imports=[(e.source, e.target) for e in base.imports] + extra_imports,
        references=[(r.source, r.target, r.symbol, r.kind) for r in base.references],
        routes=[(r.path, r.module) for r in base.routes],
        tables=[(t.name, t.module) for t in base.tables],
        accesses=[(a.module, a.table, a.mode) for a in base.accesses],
        terms={m.name: dict(m.terms) for m in base.modules},
    )
    where = propose(cb, options=_blind()).service_of()
    assert where["app.users.models"] != SHARED_KERNEL
    assert where["app.users.models"] == where["app.users.service"]
    assert where["app.core"] == SHARED_KERNEL


def test_a_package_passing_on_its_models_is_a_door_to_data_not_kernel() -> None:
    """netbox: `dcim/models/__init__.py` star-imports `devices`, `sites`...; every app imports
    `dcim.models`. It owns what its submodules own, so it is no kernel candidate."""
    cb = codebase(
        ["dcim.models", "dcim.models.devices", "dcim.views", "utils.text", "utils"],
        imports=[
            ("dcim.models", "dcim.models.devices"),
            ("dcim.views", "dcim.models"),
            ("utils", "utils.text"),
        ],
        tables=[("dcim_device", "dcim.models.devices")],
        packages=["dcim.models", "utils"],
    )
    owned = capabilities(cb)
    text = "re-exports dcim.models.devices, which owns data or routes"
    assert owned["dcim.models"] == [Capability(Holding.RE_EXPORT, text)]
    assert "utils" not in owned  # passing on a helper owns nothing
    assert "dcim.views" not in owned  # importing the package is no re-export


def test_degree_correction_weighs_hub_edges_down() -> None:
    g = nx.Graph()
    g.add_edge("hub", "a", weight=1.0)
    g.add_edge("hub", "b", weight=1.0)
    g.add_edge("hub", "c", weight=1.0)
    g.add_edge("a", "b", weight=1.0)
    n = clustering.normalised(g, 0.5)
    assert n["a"]["b"]["weight"] > n["hub"]["a"]["weight"]
    assert n["hub"]["a"]["weight"] == pytest.approx(1.0 / (3 * 2) ** 0.5)
    assert clustering.normalised(g, 0.0) is g


@pytest.mark.parametrize("seed", [0, 3])
def test_fast_modularity_and_induced_subgraph_match_networkx(seed: int) -> None:
    g = nx.gnm_random_graph(40, 120, seed=seed)
    graph = nx.Graph()
    for u, v in g.edges:
        graph.add_edge(f"m{u}", f"m{v}", weight=1.0 + (u * v) % 5)
    parts = clustering.louvain(clustering.canonical(graph), 1.0, seed)
    for resolution in (0.5, 1.0, 2.0):
        expected = nx.community.modularity(graph, parts, weight="weight", resolution=resolution)
        assert clustering.modularity(graph, parts, resolution) == pytest.approx(expected)
    keep = sorted(graph.nodes)[::2]
    view, plain = graph.subgraph(keep), clustering.induced(graph, keep)
    assert set(plain.nodes) == set(view.nodes)
    assert {frozenset(e) for e in plain.edges} == {frozenset(e) for e in view.edges}
    assert all(plain[u][v]["weight"] == view[u][v]["weight"] for u, v in view.edges)

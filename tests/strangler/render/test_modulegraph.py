"""The module-level view: grouping, focus, folding under --max-nodes, cycles."""

from __future__ import annotations

import pytest

from analyzers.model import Codebase
from strangler.boundaries.decomposition import Decomposition
from strangler.render.moduledot import module_dot
from strangler.render.modulegraph import INTRA_PER_NODE, fold, module_view
from tests.builders import codebase, decomposition
from tests.view_support import shop


def test_all_modules_shown_with_cross_flags_when_under_the_bound() -> None:
    view = module_view(*shop())
    assert len(view.nodes) == 10 and view.folded == 0
    cross = {(e.source, e.target) for e in view.edges if e.cross}
    assert ("shop.orders.service", "shop.inventory.service") in cross
    assert ("shop.orders.views", "shop.orders.service") not in cross
    assert view.services == ("accounts", "inventory", "orders", "shared-kernel")


def test_module_cycle_is_marked() -> None:
    cb = codebase({"p.a": 1, "p.b": 1, "q.c": 1}, imports=[("p.a", "q.c", 1), ("q.c", "p.a", 2)])
    view = module_view(cb, decomposition({"p": ["p.a", "p.b"], "q": ["q.c"]}))
    assert {(e.source, e.target, e.in_cycle) for e in view.edges} == {
        ("p.a", "q.c", True),
        ("q.c", "p.a", True),
    }


def test_focus_keeps_the_service_and_the_modules_it_touches() -> None:
    view = module_view(*shop(), focus="accounts")
    keys = {n.key for n in view.nodes}
    assert keys == {
        "shop.accounts.auth",
        "shop.accounts.models",
        "shop.orders.views",  # calls accounts.auth
        "shop.core.db",  # used by accounts.models
    }
    assert all("shop.accounts" in e.source or "shop.accounts" in e.target for e in view.edges)


def test_unknown_focus_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        module_view(*shop(), focus="payments")


def test_folding_goes_deepest_first_and_stays_per_service() -> None:
    groups = {
        ("a.b.c.d", "s1"): frozenset({"a.b.c.d"}),
        ("a.b.c.e", "s1"): frozenset({"a.b.c.e"}),
        ("a.b.f", "s1"): frozenset({"a.b.f"}),
        ("a.b.g", "s2"): frozenset({"a.b.g"}),
    }
    folded = fold(groups, 3)
    assert folded == {
        ("a.b.c", "s1"): frozenset({"a.b.c.d", "a.b.c.e"}),
        ("a.b.f", "s1"): frozenset({"a.b.f"}),
        ("a.b.g", "s2"): frozenset({"a.b.g"}),
    }
    # folding stops as soon as the bound is met
    assert fold(groups, 2) == {
        ("a.b", "s1"): frozenset({"a.b.c.d", "a.b.c.e", "a.b.f"}),
        ("a.b.g", "s2"): frozenset({"a.b.g"}),
    }
    # down to the top package, it stays split by service instead of mixing s1 and s2
    assert fold(groups, 1) == {
        ("a", "s1"): frozenset({"a.b.c.d", "a.b.c.e", "a.b.f"}),
        ("a", "s2"): frozenset({"a.b.g"}),
    }


def test_max_nodes_bounds_the_view_and_edges_are_summed() -> None:
    view = module_view(*shop(), max_nodes=5)
    assert len(view.nodes) <= 5
    assert view.folded == sum(n.members for n in view.nodes if n.folded) > 0
    assert sum(n.members for n in view.nodes) == 10
    orders = next(n for n in view.nodes if n.service == "orders")
    assert orders.folded and orders.key == "shop.orders.* [orders]" and orders.loc == 505
    to_inventory = [e for e in view.edges if e.source == orders.key and "inventory" in e.target]
    assert len(to_inventory) == 1 and to_inventory[0].weight == 4  # 1 import + 3 reference lines


def test_folding_stops_at_top_level_packages() -> None:
    cb = codebase({"a": 1, "b": 1, "c": 1})
    view = module_view(cb, decomposition({"s": ["a", "b", "c"]}), max_nodes=1)
    assert len(view.nodes) == 3


def _wide(services: int, per_service: int) -> tuple[Codebase, Decomposition]:
    """`services` services of `per_service` modules, each module importing all of the next service."""
    names = {f"s{s}": [f"s{s}.m{m}" for m in range(per_service)] for s in range(services)}
    imports = []
    for s in range(services):
        for i, source in enumerate(names[f"s{s}"]):
            imports += [(source, t, 1) for t in names[f"s{(s + 1) % services}"]]
            imports += [(source, names[f"s{s}"][(i + 1) % per_service], 2)]
            imports += [(source, names[f"s{s}"][(i + 2) % per_service], 3)]
            imports += [(source, names[f"s{s}"][(i + 3) % per_service], 4)]
    cb = codebase({m: 10 for mods in names.values() for m in mods}, imports=imports)
    return cb, decomposition(names)


def test_max_edges_keeps_cross_service_edges_first_and_counts_the_rest() -> None:
    cb, dec = _wide(4, 6)
    full = module_view(cb, dec, max_edges=10_000)
    assert len(full.edges) == 4 * 6 * 6 + 4 * 6 * 3 and full.hidden_edges == 0
    bounded = module_view(cb, dec, max_edges=100)
    assert len(bounded.edges) == 100 and bounded.hidden_edges == len(full.edges) - 100
    assert all(e.cross for e in bounded.edges) and bounded.hidden_cross == 4 * 36 - 100
    roomy = module_view(cb, dec, max_edges=4 * 36 + 30)
    intra = [e for e in roomy.edges if not e.cross]
    assert len(intra) == 30 and roomy.hidden_cross == 0
    per_source: dict[str, int] = {}
    for edge in intra:
        per_source[edge.source] = per_source.get(edge.source, 0) + 1
    assert max(per_source.values()) <= INTRA_PER_NODE


def test_large_views_are_laid_out_as_a_grid_of_clusters() -> None:
    cb, dec = _wide(6, 10)
    text = module_dot(module_view(cb, dec, max_edges=100))
    assert 'rankdir="TB"' in text and "style=invis" in text
    real = [line for line in text.splitlines() if "tooltip=" in line and " -> " in line]
    assert len(real) == 100 and all('constraint="false"' in line for line in real)
    small = module_dot(module_view(*shop()))
    assert 'rankdir="LR"' in small and "style=invis" not in small

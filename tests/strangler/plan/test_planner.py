"""The planner on a hand-built monolith (tests/plan_support.py): order, cycles, data, hazards, steps."""

from __future__ import annotations

import pytest

from strangler.plan import PlanOptions, make_plan
from strangler.plan.extraction_plan import MONOLITH, ExtractionPlan
from tests import plan_support


@pytest.fixture(scope="module")
def plan() -> ExtractionPlan:
    return make_plan(plan_support.codebase(), plan_support.decomposition())


def test_waves_least_entangled_first_with_numbers(plan: ExtractionPlan) -> None:
    assert [w.service for w in plan.waves] == ["notifications", "catalog", "payments", "orders"]
    catalog = plan.wave("catalog")
    e = catalog.entanglement
    # orders calls get_product twice, shop.app (monolith) references show_product once
    assert (e.inbound_call_sites, e.shared_tables, e.cycle_partners, e.loc) == (3, 1, 0, 130)
    assert e.score == pytest.approx(3 + 5 + 0.13)
    assert "score 8.13 = 3 inbound call sites × 1 + 1 shared table × 5" in catalog.rationale
    scores = [w.entanglement.score for w in plan.waves]
    assert scores == sorted(scores)


def test_weights_change_the_order() -> None:
    heavy_size = make_plan(
        plan_support.codebase(), plan_support.decomposition(), PlanOptions(weight_kloc=1000.0)
    )
    assert heavy_size.waves[0].service == "notifications"  # 25 lines: still the smallest
    assert heavy_size.waves[-1].service == "orders"  # 215 lines


def test_cycle_is_a_prerequisite_with_the_cheapest_edge(plan: ExtractionPlan) -> None:
    payments = plan.wave("payments")
    assert len(payments.cycles) == 1
    cut = payments.cycles[0]
    assert set(cut.cycle) == {"orders", "payments"}
    # orders → payments has 3 call sites, payments → orders 2: cut the cheaper one
    assert (cut.cut_source, cut.cut_target, cut.call_sites) == ("payments", "orders", 2)
    first = payments.steps[0]
    assert first.prerequisite and first.kind == "break-cycle"
    assert "payments → orders (2 call site(s))" in first.title
    # the same cycle is not broken twice
    assert plan.wave("orders").cycles == ()


def test_table_two_services_write_blocks_the_minor_writer(plan: ExtractionPlan) -> None:
    payments = plan.wave("payments")
    orders_table = next(t for t in payments.tables if t.table == "orders")
    assert orders_table.owner == "orders" and orders_table.recommendation == "shared-database"
    assert orders_table.writers == ("orders", "payments")
    assert any(s.kind == "single-writer" and s.prerequisite for s in payments.steps)
    assert not any(s.kind == "single-writer" for s in plan.wave("orders").steps)


def test_data_recommendations(plan: ExtractionPlan) -> None:
    tables = {t.table: t for w in plan.waves for t in w.tables}
    assert tables["payments"].recommendation == "owned"
    assert tables["products"].recommendation == "owner-api"
    assert tables["products"].owner == "catalog" and tables["products"].readers == ("catalog", "orders")


def test_interface_lists_every_call_site_and_skips_kernel_and_tests(plan: ExtractionPlan) -> None:
    payments = plan.wave("payments")
    charge = next(op for op in payments.interface if op.symbol == "shop.payments.service.charge")
    assert [(s.path, s.line, s.caller) for s in charge.call_sites] == [
        ("shop/orders/service.py", 25, "shop.orders.service.place_order"),
        ("shop/orders/service.py", 26, "shop.orders.service.place_order"),
    ]  # the test module's call (tests/test_orders.py) is not an interface
    assert charge.signature == "(order: Order, session: Session) -> bool"
    back = {op.symbol for op in payments.callbacks}
    assert back == {"shop.orders.service.mark_paid", "shop.orders.service.PENDING"}
    every = {op.symbol for w in plan.waves for op in (*w.interface, *w.callbacks)}
    assert not any(s.startswith("shop.core.") for s in every)


def test_hazards(plan: ExtractionPlan) -> None:
    kinds = {(h.kind, h.symbol) for h in plan.wave("payments").hazards}
    assert ("orm-instance", "shop.payments.service.charge") in kinds
    assert ("transaction", "shop.payments.service.charge") in kinds  # takes session; both write orders
    assert ("callable", "shop.payments.service.refund") in kinds
    assert ("mutable-state", "shop.orders.service.PENDING") in kinds
    signals = {(h.kind, h.symbol) for h in plan.wave("notifications").hazards}
    assert ("signal", "shop.core.events.order_placed") in signals
    assert ("signal", "shop.notifications.handlers.on_order_placed") in signals
    assert not any(h.kind == "generator" for w in plan.waves for h in w.hazards)  # iter_products unused


def test_kernel_is_not_a_wave_and_routes_that_stay(plan: ExtractionPlan) -> None:
    assert plan.shared_kernel == ("shop.core.db", "shop.core.events")
    assert "not a wave" in plan.kernel_note and "library" in plan.kernel_note
    assert [r.path for r in plan.monolith_routes] == ["/health"]
    assert plan.route_owner()[plan.monolith_routes[0]] == MONOLITH
    assert [r.path for r in plan.wave("payments").routes] == ["/orders/<int:order_id>/pay"]


_CYCLES_SCRIPT = """
import itertools
from strangler.plan.extraction_plan import CallSite
from strangler.plan.sequencing import cycles_through, service_graph
names = ["svc%02d" % i for i in range(9)]
sites = [CallSite("p.py", 1, a + ".f", b + ".g", "call", a, b) for a, b in itertools.permutations(names, 2)]
cuts = cycles_through(service_graph(sites), "svc04", sites, 50)
print(len(cuts), [c.cycle for c in cuts])
"""


def test_cycles_under_the_limit_do_not_depend_on_the_hash_seed() -> None:
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _CYCLES_SCRIPT], capture_output=True, text=True, env=env, timeout=60
        )
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1
    count, _ = outputs.pop().split(" ", 1)
    assert count == "50"  # a complete graph of 9 has far more cycles: the limit applies


def test_cycle_search_finds_the_shortest_cycles_first() -> None:
    from strangler.plan.extraction_plan import CallSite
    from strangler.plan.sequencing import cycles_through, service_graph

    edges = [("a", "b"), ("b", "a"), ("b", "c"), ("c", "a"), ("a", "d"), ("d", "c")]
    sites = [CallSite("p.py", 1, f"{s}.f", f"{t}.g", "call", s, t) for s, t in edges]
    cuts = cycles_through(service_graph(sites), "a", sites, 10)
    assert [c.cycle for c in cuts] == [("a", "b"), ("a", "b", "c"), ("a", "d", "c")]

"""The steps of a wave: prerequisites first, numbered from 1, each kind when its facts call for it."""

from __future__ import annotations

from strangler.plan.extraction_plan import CallSite, TableUse
from strangler.plan.wave_steps import WaveWork, wave_steps


def _work(**changes: object) -> WaveWork:
    values: dict[str, object] = {
        "service": "orders",
        "order": 2,
        "cuts": (),
        "tables": (),
        "kernel_uses": (),
        "interface": (),
        "callbacks": (),
        "modules": ("shop.orders", "shop.orders.views"),
        "loc": 120,
        "routes": 0,
    }
    values.update(changes)
    return WaveWork(**values)  # type: ignore[arg-type]


def test_a_quiet_wave_moves_its_code_and_retires_it() -> None:
    steps = wave_steps(_work())
    assert [(s.order, s.kind) for s in steps] == [(1, "move-code"), (2, "retire")]
    assert steps[0].title == "Move 2 module(s), 120 lines, into services/orders"


def test_prerequisites_come_first_and_routes_get_a_proxy_phase() -> None:
    site = CallSite(
        "shop/core.py", 3, "shop.core.<module>", "shop.orders.hook", "call", "shared-kernel", "orders"
    )
    shared = TableUse(
        "order", ("billing", "orders"), ("billing", "orders"), "billing", "shared-database", "why"
    )
    steps = wave_steps(_work(kernel_uses=(site,), tables=(shared,), routes=4))
    kinds = [s.kind for s in steps]
    assert kinds == [
        "single-writer",
        "invert-kernel-dependency",
        "data",
        "move-code",
        "route-traffic",
        "retire",
    ]
    assert [s.prerequisite for s in steps] == [True, True, False, False, False, False]
    assert "phase-1.conf" in steps[4].detail

"""The proposer on synthetic codebases: capabilities recovered, kernel found, constraints kept."""

from __future__ import annotations

import io

import pytest

from strangler.boundaries import propose
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.boundaries.pipeline import decomposition_for
from strangler.boundaries.settings import BoundaryOptions, parse_signals
from strangler.exceptions import ConfigError
from strangler.metrics import compare
from strangler.progress import Progress
from tests.bnd_support import capability_app
from tests.builders import codebase

CAPS = ("orders", "billing", "catalog", "users", "shipping")


def _truth(modules: list[str]) -> dict[str, str]:
    return {m: (m.split(".")[1] if m.count(".") == 2 else "") for m in modules}


def _blind(**kw: object) -> BoundaryOptions:
    return BoundaryOptions(weights=tuple(sorted(parse_signals("-packages").items())), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [0, 7])
def test_capabilities_recovered_and_kernel_named(seed: int) -> None:
    cb = capability_app(CAPS, seed=seed)
    d = propose(cb, options=_blind(seed=seed))
    assignment = d.service_of()
    assert compare(assignment, _truth(list(assignment)))["ari"] == pytest.approx(1.0)
    assert "app.core" in d.shared_kernel
    reason = next(a.reason for a in d.assignments if a.module == "app.core")
    assert "used by" in reason
    assert {s.name for s in d.services} == set(CAPS)  # named after the dominant package


def test_service_fields() -> None:
    d = propose(capability_app(CAPS), options=_blind())
    orders = d.service("orders")
    assert orders.tables == ("orders",)
    assert "GET /orders/" in orders.routes
    assert orders.loc == sum(10 for _ in orders.modules)
    assert 0.0 < orders.cohesion <= 1.0
    assert orders.cohesion + orders.coupling == pytest.approx(1.0, abs=1e-3)
    called = [s for s in d.services if s.interface]
    assert called, "cross-capability calls become interface operations"
    op = called[0].interface[0]
    assert op.call_sites >= 1 and op.callers and called[0].name not in op.callers
    assert dict(d.metrics)["modularity"] > 0.3
    reasons = {a.module: a.reason for a in d.assignments}
    assert "writes table orders" in reasons["app.orders.service"]
    assert "serves /orders/*" in reasons["app.orders.views"]


def test_service_count_is_steered() -> None:
    cb = capability_app(CAPS)
    for count in (2, 3, 5):
        d = propose(cb, options=_blind(services=count))
        assert len(d.services) == count
    # Five three-module capabilities support no seven services: the proposal says so instead of
    # cutting one-module services.
    d = propose(cb, options=_blind(services=7))
    assert len(d.services) == 5
    assert any(note.startswith("asked for 7 services") for note in d.notes)


def test_deterministic_per_seed_and_confidence_in_range() -> None:
    cb = capability_app(CAPS, seed=4)
    a, b = propose(cb, options=_blind(seed=3)), propose(cb, options=_blind(seed=3))
    assert a == b
    assert all(0.0 <= x.confidence <= 1.0 for x in a.assignments)


def test_pins_together_apart_and_shared() -> None:
    cb = capability_app(CAPS)
    options = _blind(
        pins=(("money", ("app.billing.*",)),),
        together=(("app.users.views", "app.orders.views"),),
        apart=(("app.shipping.models", "app.shipping.service"),),
        shared=("app.catalog.models",),
        not_shared=("app.core",),
    )
    d = propose(cb, options=options)
    where = d.service_of()
    assert {where[f"app.billing.{m}"] for m in ("models", "service", "views")} == {"money"}
    assert all(a.pinned for a in d.assignments if a.module.startswith("app.billing."))
    assert where["app.users.views"] == where["app.orders.views"]
    assert where["app.shipping.models"] != where["app.shipping.service"]
    assert where["app.catalog.models"] == SHARED_KERNEL
    assert where["app.core"] != SHARED_KERNEL


def test_conflicting_pins_are_a_config_error() -> None:
    options = BoundaryOptions(pins=(("a", ("app.orders.*",)), ("b", ("app.orders.models",))))
    with pytest.raises(ConfigError):
        propose(capability_app(CAPS), options=options)


def test_isolated_modules_follow_rule() -> None:
    cb = codebase(["p.a", "p.b", "p.c", "q.lonely"], imports=[("p.a", "p.b"), ("p.b", "p.c")])
    d = propose(cb, options=_blind())
    reason = next(a.reason for a in d.assignments if a.module == "q.lonely")
    assert d.service_of()["q.lonely"] == SHARED_KERNEL
    assert "no coupling" in reason


class _Counts:
    """Every count a proposal reports."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, int]] = []

    def __call__(self, what: str, done: int, total: int) -> None:
        self.seen.append((what, done, total))


def test_each_clustering_run_is_counted() -> None:
    counts = _Counts()
    propose(capability_app(CAPS), options=_blind(seeds=3), progress=counts)
    assert counts.seen == [("seeds", done, 3) for done in range(4)]


def test_a_decomposition_is_made_in_the_stages_graph_and_proposal() -> None:
    progress = Progress(stream=io.StringIO())
    decomposition_for(capability_app(CAPS), None, _blind(seeds=2), progress)
    assert [t.name for t in progress.times] == ["graph", "proposal"]
    assert progress.times[1].count == (2, 2) and progress.times[1].unit == "seeds"

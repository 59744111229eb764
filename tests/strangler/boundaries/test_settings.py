"""[tool.strangler] boundaries keys and --signals parsing."""

from __future__ import annotations

import pytest

from strangler.boundaries.settings import boundary_options, matches, parse_signals
from strangler.exceptions import ConfigError
from strangler.graph.coupling import DEFAULT_WEIGHTS, SIGNALS


def test_parse_signals_forms() -> None:
    only = parse_signals("imports,names=0.5")
    assert only["imports"] == DEFAULT_WEIGHTS["imports"] and only["names"] == 0.5
    assert only["data"] == 0.0 and set(only) == set(SIGNALS)
    minus = parse_signals("-packages")
    assert minus["packages"] == 0.0 and minus["data"] == DEFAULT_WEIGHTS["data"]
    assert parse_signals("all") == dict(DEFAULT_WEIGHTS)
    with pytest.raises(ConfigError):
        parse_signals("imports,bogus")
    with pytest.raises(ConfigError):
        parse_signals("names=x")


def test_table_and_overrides() -> None:
    table = {
        "weights": {"names": 0.25},
        "services": {"orders": {"modules": ["shop.orders.*"]}},
        "service_count": 4,
        "shared": ["shop.core.*"],
        "not_shared": ["shop.helpers"],
        "together": [["a.*", "b"]],
        "apart": [["c", "d"]],
    }
    options = boundary_options(table)
    assert options.weight_map()["names"] == 0.25
    assert options.pins == (("orders", ("shop.orders.*",)),)
    assert options.services == 4
    assert options.together == (("a.*", "b"),) and options.apart == (("c", "d"),)
    overridden = boundary_options(table, services=7, signals="imports", seed=3, seeds=2)
    assert overridden.services == 7 and overridden.seed == 3 and overridden.seeds == 2
    assert overridden.weight_map()["names"] == 0.0
    assert boundary_options({"services": 6}).services == 6


@pytest.mark.parametrize(
    "table",
    [
        {"weights": {"bogus": 1}},
        {"weights": {"names": -1}},
        {"services": 0},
        {"services": {"x": ["a"]}},
        {"shared": "shop.core"},
        {"together": ["a", "b"]},
    ],
)
def test_bad_tables(table: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError):
        boundary_options(table)


def test_matches_package_glob() -> None:
    assert matches("shop.orders", ["shop.orders.*"])
    assert matches("shop.orders.views", ["shop.orders.*"])
    assert not matches("shop.ordersx", ["shop.orders.*"])

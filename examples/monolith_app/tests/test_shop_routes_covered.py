"""Every URL rule of the app is exercised by at least one scenario."""

from __future__ import annotations

import re
from typing import Any

import shop_scenarios
from werkzeug.exceptions import MethodNotAllowed, NotFound

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _all_routes(app: Any) -> set[tuple[str, str]]:
    routes: set[tuple[str, str]] = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in (rule.methods or set()) - IGNORED_METHODS:
            routes.add((method, rule.endpoint))
    return routes


def _covered_routes(app: Any) -> set[tuple[str, str]]:
    adapter = app.url_map.bind("localhost")
    covered: set[tuple[str, str]] = set()
    for method, template in shop_scenarios.ROUTES_COVERED:
        path = re.sub(r"\{[^}]+\}", "1", template)
        try:
            endpoint, _args = adapter.match(path, method=method)
        except (NotFound, MethodNotAllowed):
            continue  # deliberate 404/405 scenarios
        covered.add((method, endpoint))
    return covered


def test_every_route_is_covered(shop_app: Any) -> None:
    missing = _all_routes(shop_app) - _covered_routes(shop_app)
    assert not missing, f"routes without a scenario: {sorted(missing)}"


def test_app_has_the_expected_shape(shop_app: Any) -> None:
    routes = _all_routes(shop_app)
    blueprints = {endpoint.split(".")[0] for _, endpoint in routes if "." in endpoint}
    assert blueprints == {
        "accounts",
        "cart",
        "catalog",
        "inventory",
        "notifications",
        "orders",
        "payments",
        "reporting",
        "reviews",
        "shipping",
    }
    assert len(routes) >= 50

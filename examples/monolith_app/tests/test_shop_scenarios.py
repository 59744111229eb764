"""Replay the behaviour contract through Flask's test client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shop_scenarios


def _failures(results: list[shop_scenarios.ScenarioResult]) -> str:
    return "\n".join(
        f"{r.name}: {r.method} {r.path} -> {r.status}: {r.message}" for r in results if not r.passed
    )


def test_all_scenarios_pass(shop_transport: shop_scenarios.Transport) -> None:
    results = shop_scenarios.run_scenarios(shop_transport)
    assert len(results) == len(shop_scenarios.SCENARIOS)
    assert all(r.passed for r in results), _failures(results)


def test_scenario_names_are_unique() -> None:
    names = [s["name"] for s in shop_scenarios.SCENARIOS]
    assert len(names) == len(set(names))


def test_scenarios_cover_error_statuses() -> None:
    statuses = {s["expected_status"] for s in shop_scenarios.SCENARIOS}
    assert {200, 201, 400, 401, 402, 403, 404, 405, 409} <= statuses


def test_responses_are_byte_identical_across_fresh_databases(
    make_shop_app: Callable[..., Any],
) -> None:
    bodies: list[list[bytes]] = []
    for name in ("first", "second"):
        send = shop_scenarios.flask_client_transport(make_shop_app(name))
        recorded: list[bytes] = []

        def recording(
            method: str,
            path: str,
            headers: Any,
            body: bytes,
            send: shop_scenarios.Transport = send,
            recorded: list[bytes] = recorded,
        ) -> Any:
            status, response_headers, raw = send(method, path, headers, body)
            recorded.append(raw)
            return status, response_headers, raw

        results = shop_scenarios.run_scenarios(recording)
        assert all(r.passed for r in results), _failures(results)
        bodies.append(recorded)
    assert bodies[0] == bodies[1]


def test_checker_reports_mismatches() -> None:
    scenario = {"expected_status": 200, "expect": {"items.#": 2, "name": "x"}, "contains": ["zz"]}
    _, problems = shop_scenarios.check(scenario, 201, b'{"items": [1], "name": "x"}')
    assert len(problems) == 3

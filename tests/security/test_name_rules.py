"""The one rule for service names and upstreams (strangler.names), matched whole."""

from __future__ import annotations

from strangler.names import fit_service_name, service_name_problem, upstream_problem


def test_name_rules_match_whole_strings_only() -> None:
    assert service_name_problem("orders") is None
    assert service_name_problem("orders\n") is not None  # `$` would have accepted it
    assert service_name_problem("monolith") is not None
    assert upstream_problem("127.0.0.1:8000") is None
    assert upstream_problem("[::1]:8000") is None
    assert upstream_problem("db.internal:5432") is None
    assert upstream_problem("127.0.0.1:8000\n") is not None
    assert upstream_problem("127.0.0.1:0") is not None
    assert upstream_problem("a b:1") is not None


def test_proposed_names_are_never_reserved_or_too_long() -> None:
    assert fit_service_name("monolith") == "monolith-app"
    assert service_name_problem(fit_service_name("x" * 80)) is None
    assert len(fit_service_name("y" * 80, room=4)) <= 37

"""A route's path, prefix, methods and view read out of the expressions that give them."""

from __future__ import annotations

import ast

import pytest

from analyzers.web.app_facts import LITERAL, UNREAD, RuleSource
from analyzers.web.route_rules import ViewTarget, computed_prefix, declared_methods, rule_of, view_target


def expression(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


@pytest.mark.parametrize(
    ("written", "rule", "source"),
    [
        ('"/orders"', "/orders", LITERAL),
        ('org_scoped_rule("/x")', "/x", RuleSource("call", "org_scoped_rule")),
        ('make()("/x")', "/x", RuleSource("call", "a call")),
        ("settings.API_V1_STR", "", RuleSource("name", "settings.API_V1_STR")),
        ('PREFIX + "/x"', "/x", RuleSource("name", "PREFIX")),
        ('f"{self.base}/x"', "/x", RuleSource("name", "self.base")),
        ('f"{a}/{b}"', "", UNREAD),
        ('"/a" * 2', "", UNREAD),
    ],
)
def test_rule_of_says_where_the_path_comes_from(written: str, rule: str, source: RuleSource) -> None:
    assert rule_of(expression(written)) == (rule, source)


def test_a_computed_prefix_is_kept_as_written() -> None:
    assert computed_prefix(expression('"/api"')) == ""
    assert computed_prefix(None) == ""
    assert computed_prefix(expression('f"/{kind}"')) == "f'/{kind}'"


def test_methods_come_from_the_verb_or_the_methods_declared() -> None:
    call = expression('bp.route("/x", methods=["post", "get"])')
    assert isinstance(call, ast.Call)
    assert declared_methods(call, "route") == ("GET", "POST")
    assert declared_methods(call, "put") == ("PUT",)


def test_view_target_reads_through_wrappers_and_as_view() -> None:
    assert view_target(expression('login_required(Edit.as_view("edit"))')) == ViewTarget("Edit", "edit", True)
    assert view_target(expression('make_view("x")')) == ViewTarget("make_view")
    assert view_target(expression("views.index")) == ViewTarget("views.index")
    assert view_target(None) is None

"""Django URL prefixes joined as Django matches them, when regex and path() patterns mix."""

from __future__ import annotations

import re

import pytest

from analyzers.web.django_urls import concat, route_to_regex


def test_plain_paths_stay_readable() -> None:
    assert concat((("api/", False), ("items/<int:pk>/", False))) == ("/api/items/<int:pk>/", False)


def test_path_part_under_a_regex_prefix_becomes_the_regex_django_compiles() -> None:
    pattern, is_regex = concat((("^api/", True), ("items/<int:pk>/", False)))
    assert is_regex
    assert re.fullmatch(pattern.removeprefix("^"), "/api/items/42/")
    assert not re.fullmatch(pattern.removeprefix("^"), "/api/items/<int:pk>/")
    assert not re.fullmatch(pattern.removeprefix("^"), "/api/items/x/")


def test_alternation_in_an_included_regex_keeps_its_scope() -> None:
    pattern, _ = concat((("^api/", True), ("^a/$|^b/$", True)))
    compiled = re.compile(pattern)
    assert compiled.match("/api/a/") and compiled.match("/api/b/")
    assert not compiled.match("/b/")


def test_bars_inside_classes_and_groups_are_not_alternation() -> None:
    pattern, _ = concat((("^api/", True), ("^x[|](a|b)$", True)))
    assert pattern == "^/api/x[|](a|b)$"


@pytest.mark.parametrize(
    ("route", "matches", "rejects"),
    [
        ("<slug:s>/", "my-post_1/", "a b/"),
        ("<uuid:u>", "12345678-1234-1234-1234-123456789abc", "1234"),
        ("files/<path:p>", "files/a/b.txt", "files/"),
        ("<name>/x.json", "bob/x.json", "bob/xjson"),
        ("<custom:v>/", "abc/", "a/b/"),
    ],
)
def test_route_to_regex_converters(route: str, matches: str, rejects: str) -> None:
    regex = re.compile(route_to_regex(route))
    assert regex.fullmatch(matches)
    assert not regex.fullmatch(rejects)

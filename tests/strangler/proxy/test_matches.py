"""The smallest unambiguous set of matches: each route reaches its owner, and nothing else moves.

An emulation of nginx's location selection (exact, then longest prefix with ^~, then regexes in
order, then the longest plain prefix) checks every route of every phase against its owner.
"""

from __future__ import annotations

import re

from analyzers.model import Route
from strangler.plan import make_plan
from strangler.plan.extraction_plan import MONOLITH
from strangler.proxy.matches import RouteTable, route_table
from strangler.proxy.patterns import Param, parse
from strangler.proxy.phases import ProxyOptions, phases
from tests import plan_support

SAMPLES = {
    "int": "7",
    "float": "1.5",
    "str": "abc",
    "slug": "a-b",
    "path": "a/b",
    "uuid": "12345678-1234-1234-1234-123456789abc",
}


def nginx_owner(table: RouteTable, uri: str) -> str:
    """Which owner nginx would pick for `uri` (the catch-all `/` is the monolith)."""
    for m in table.exact:
        if m.value == uri:
            return m.owner
    prefixes = [m for m in table.prefix if uri.startswith(m.value)]
    if prefixes:
        return max(prefixes, key=lambda m: len(m.value)).owner  # all prefixes are ^~
    for m in table.regex:
        if re.search(m.value, uri):
            return m.owner
    return MONOLITH


def sample(route: Route) -> str:
    pattern = parse(route)
    if pattern.literal is not None:
        return pattern.literal
    return "".join(SAMPLES.get(p.kind, "x") if isinstance(p, Param) else p for p in pattern.parts)


def _r(path: str, module: str, framework: str = "flask") -> Route:
    return Route(path, ("GET",), module + ".h", module, 1, framework)  # type: ignore[arg-type]


def test_every_route_of_every_phase_reaches_its_owner() -> None:
    plan = make_plan(plan_support.codebase(), plan_support.decomposition())
    by_service = {w.service: w for w in plan.waves}
    for phase in phases(plan, ProxyOptions()):
        for route, owner in plan.route_owner().items():
            expected = owner if owner in phase.moved else MONOLITH
            assert nginx_owner(phase.table, sample(route)) == expected, (phase.name, route.path)
    assert by_service  # the fixture has waves


def test_prefix_when_the_service_owns_everything_under_it() -> None:
    table = route_table(
        {_r("/orders/", "o"): "orders", _r("/orders/<int:i>", "o"): "orders", _r("/x", "m"): MONOLITH}
    )
    assert [(m.kind, m.value) for m in table.all()] == [("exact", "/orders"), ("prefix", "/orders/")]


def test_exact_and_regex_when_the_prefix_is_shared() -> None:
    owned = {
        _r("/orders/", "o"): "orders",
        _r("/orders/<int:i>", "o"): "orders",
        _r("/orders/<int:i>/pay", "p"): "payments",
        _r("/orders/export", "m"): MONOLITH,
    }
    table = route_table(owned)
    kinds = sorted((m.kind, m.value, m.owner) for m in table.all())
    assert kinds == [
        ("exact", "/orders", "orders"),
        ("exact", "/orders/", "orders"),
        ("regex", "^/orders/[0-9]+$", "orders"),
        ("regex", "^/orders/[0-9]+/pay$", "payments"),
    ]
    for route, owner in owned.items():
        assert nginx_owner(table, sample(route)) == owner


def test_monolith_literal_taken_by_a_service_regex_gets_an_exact_guard() -> None:
    owned = {
        _r("/items/<name>", "s"): "svc",
        _r("/items/special", "m"): MONOLITH,
        _r("/items/", "m"): MONOLITH,
    }
    table = route_table(owned)
    assert ("exact", "/items/special", MONOLITH) in [(m.kind, m.value, m.owner) for m in table.exact]
    for route, owner in owned.items():
        assert nginx_owner(table, sample(route)) == owner


def test_monolith_parameter_route_more_specific_than_a_service_regex_goes_first() -> None:
    owned = {_r("/a/<name>", "s"): "svc", _r("/a/<int:i>", "m"): MONOLITH, _r("/b", "m"): MONOLITH}
    table = route_table(owned)
    assert [m.owner for m in table.regex] == [MONOLITH, "svc"]
    assert nginx_owner(table, "/a/7") == MONOLITH
    assert nginx_owner(table, "/a/abc") == "svc"


def test_a_parameter_in_the_first_segment_blocks_a_prefix() -> None:
    owned = {
        _r("/orders/a", "o"): "orders",
        _r("/orders/b", "o"): "orders",
        _r("/<name>/edit", "m"): MONOLITH,
    }
    table = route_table(owned)
    assert not table.prefix  # "/orders/edit" is the monolith's
    assert nginx_owner(table, "/orders/edit") == MONOLITH
    assert nginx_owner(table, "/orders/a") == "orders"


def test_same_path_with_two_owners_stays_with_the_monolith_and_is_reported() -> None:
    a = Route("/x", ("GET",), "a.h", "a", 1, "flask")
    b = Route("/x", ("POST",), "b.h", "b", 1, "flask")
    table = route_table({a: "alpha", b: "beta"})
    assert table.all() == ()
    assert table.conflicts and "alpha" in table.conflicts[0] and "beta" in table.conflicts[0]


def test_django_and_fastapi_routes_route_to_their_owner() -> None:
    owned = {
        _r("blog/<slug:slug>/", "b", "django"): "blog",
        _r("^archive/(?P<y>[0-9]{4})/$", "b", "django"): "blog",
        _r("/api/items/{item_id}", "i", "fastapi"): "items",
        _r("/api/items/{item_id}/reviews", "i", "fastapi"): "items",
        _r("/api/users/{u}", "m", "fastapi"): MONOLITH,
    }
    owned = {
        Route(r.path, r.methods, r.handler, r.module, r.line, r.framework, is_regex=r.path.startswith("^")): o
        for r, o in owned.items()
    }
    table = route_table(owned)
    assert nginx_owner(table, "/blog/my-post/") == "blog"
    assert nginx_owner(table, "/archive/2024/") == "blog"
    assert nginx_owner(table, "/api/items/3") == "items"
    assert nginx_owner(table, "/api/items/3/reviews") == "items"
    assert nginx_owner(table, "/api/users/3") == MONOLITH
    assert ("prefix", "/api/items/") in [(m.kind, m.value) for m in table.prefix]


DJANGO_EDGE_CASES = {
    "^/(?i)blog/$": "alpha",  # global flag: scoped, still case-insensitive
    "^/api/": "alpha",  # no final $: Django matches every path under /api/
    "^/a/$|^b/$": "alpha",  # top-level alternation, both alternatives rooted at /
    "^/cls/[$]/$": "alpha",  # $ inside a class is literal
    "/files/<path:p>/edit/": "alpha",  # more specific than beta's catch-all: listed first
    "^/articles/(?P<y>[0-9]{4})/$": "alpha",
    "^/verbs/(?P<verb>[\\w\\-\\.]+)/events/$": "alpha",  # escaped punctuation in a class (Mayan)
    "^/actions/(?P<workflow_template_state_action_id>\\d+)/$": "alpha",  # a name too long for PCRE2
    "/<path:rest>": "beta",
}


def test_django_regex_edge_cases_route_to_their_owner() -> None:
    owned = {
        Route(p, (), f"m{i}.h", f"m{i}", 1, "django", is_regex=p.startswith("^")): owner
        for i, (p, owner) in enumerate(DJANGO_EDGE_CASES.items())
    }
    table = route_table(owned)
    for uri in ("/blog/", "/BLOG/", "/api/", "/api/v2/x", "/a/", "/b/", "/cls/$/", "/files/x/y/edit/"):
        assert nginx_owner(table, uri) == "alpha", uri
    assert nginx_owner(table, "/articles/2024/") == "alpha"
    # beta's catch-all `/<path:rest>` could match the internal API (/_strangler/...): it is never
    # routed (issue #12), so what alpha does not take stays with the monolith
    assert any("/<path:rest> (beta)" in r for r in table.refused)
    for uri in ("/apis", "/c/", "/cls/x/", "/files/x/y", "/articles/24/"):
        assert nginx_owner(table, uri) == MONOLITH, uri

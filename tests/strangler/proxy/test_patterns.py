"""Framework path patterns → proxy regexes, prefixes and exact paths; and no route text can inject config."""

from __future__ import annotations

import re

import pytest

from analyzers.model import Route
from strangler.proxy import patterns
from tests.builders import route


def _route(path: str, framework: str = "flask", *, regex: bool = False) -> Route:
    return route(path, "m", handler="m.h", framework=framework, regex=regex)


CONVERSIONS = [
    # (framework, path, is_regex, regex, static prefix, matching, not matching)
    ("flask", "/orders/", False, "^/orders/$", "/orders/", ["/orders/"], ["/orders", "/orders/1"]),
    (
        "flask",
        "/orders/<int:order_id>",
        False,
        "^/orders/[0-9]+$",
        "/orders/",
        ["/orders/12"],
        ["/orders/x", "/orders/-1", "/orders/1/"],
    ),
    ("flask", "/files/<path:name>", False, "^/files/.+$", "/files/", ["/files/a/b.txt"], ["/files/"]),
    ("flask", "/u/<name>", False, "^/u/[^/]+$", "/u/", ["/u/bob"], ["/u/bob/x", "/u/"]),
    ("flask", "/u/<string:name>/x", False, "^/u/[^/]+/x$", "/u/", ["/u/bob/x"], ["/u//x"]),
    ("flask", "/p/<float:v>", False, "^/p/[0-9]+\\.[0-9]+$", "/p/", ["/p/1.5"], ["/p/15"]),
    ("flask", "/l/<any(en, fr):lang>", False, "^/l/(?:en|fr)$", "/l/", ["/l/en", "/l/fr"], ["/l/de"]),
    ("fastapi", "/items/{item_id}", False, "^/items/[^/]+$", "/items/", ["/items/7"], ["/items/7/x"]),
    ("fastapi", "/items/{item_id:int}", False, "^/items/[0-9]+$", "/items/", ["/items/7"], ["/items/a"]),
    ("fastapi", "/static/{rest:path}", False, "^/static/.+$", "/static/", ["/static/a/b"], ["/other"]),
    (
        "django",
        "articles/<int:year>/",
        False,
        "^/articles/[0-9]+/$",
        "/articles/",
        ["/articles/2024/"],
        ["/articles/2024"],
    ),
    (
        "django",
        "blog/<slug:slug>/",
        False,
        "^/blog/[-a-zA-Z0-9_]+/$",
        "/blog/",
        ["/blog/my-post_1/"],
        ["/blog/a.b/"],
    ),
    (
        "django",
        "^archive/(?P<year>[0-9]{4})/$",
        True,
        "^(?:/archive/(?P<year>[0-9]{4})/)$",
        "/archive/",
        ["/archive/2024/"],
        ["/archive/24/"],
    ),
    (
        "django",
        "^api/^v1/users/$",
        True,
        "^(?:/api/v1/users/)$",
        "/api/v1/users/",
        ["/api/v1/users/"],
        ["/api/users/"],
    ),
    ("django", "^a/$|^b/$", True, "^(?:/(?:a/|b/))$", "/", ["/a/", "/b/"], ["/c/", "/a/b/"]),
    # Django matches with re.search: without a final $ the pattern matches every longer path
    ("django", "^/api/", True, "^(?:/api/.*)$", "/api/", ["/api/", "/api/x/y"], ["/ap", "/x/api/"]),
    ("django", "^/media/(?P<p>.*)\\Z", True, "^(?:/media/(?P<p>.*))$", "/media/", ["/media/a/b"], ["/m"]),
    # $ and ^ inside a class are literal: kept, and the class stays closed
    ("django", "^/cls/[$^]/$", True, "^(?:/cls/[$^]/)$", "/cls/", ["/cls/$/", "/cls/^/"], ["/cls/x/"]),
    # a global flag would not be at the start any more: one scoped group instead
    ("django", "^/(?i)blog/$", True, "^(?:(?i:/blog/))$", "", ["/blog/", "/BLOG/"], ["/blogs/"]),
]


@pytest.mark.parametrize(("framework", "path", "is_regex", "regex", "prefix", "good", "bad"), CONVERSIONS)
def test_conversion_table(
    framework: str, path: str, is_regex: bool, regex: str, prefix: str, good: list[str], bad: list[str]
) -> None:
    pattern = patterns.parse(_route(path, framework, regex=is_regex))
    assert pattern.regex() == regex
    assert pattern.static_prefix == prefix
    for url in good:
        assert re.fullmatch(pattern.regex(), url), url
    for url in bad:
        assert not re.fullmatch(pattern.regex(), url), url


def test_could_match_is_conservative_for_regexes_python_rejects() -> None:
    assert patterns.could_match("^/a/[0-9]+$", "/a/1")
    assert not patterns.could_match("^/a/[0-9]+$", "/a/x")
    assert patterns.could_match("^/(?i)x$", "/y")  # re.error: treated as "could match"


def test_rank_puts_longer_and_more_literal_patterns_first() -> None:
    def rank(path: str, regex: bool = False) -> tuple[int, ...]:
        return patterns.parse(_route(path, "django", regex=regex)).rank()

    assert rank("/files/<path:p>/edit/") < rank("/files/<path:p>") < rank("/<path:rest>")
    assert rank("/custom/<str:x>/") < rank("/<slug:s>/")
    assert rank("^/articles/(?P<y>[0-9]{4})/$", True) < rank("/<path:rest>")
    assert rank("^/(?i)blog/$", True) < rank("/<path:rest>")


def test_literal_only_without_parameters() -> None:
    assert patterns.parse(_route("/health")).literal == "/health"
    assert patterns.parse(_route("/a/<int:x>")).literal is None
    assert patterns.parse(_route("^a/$", "django", regex=True)).literal is None


@pytest.mark.parametrize(
    ("path", "prefix", "expected"),
    [
        ("/orders/<int:id>", "/orders/", True),
        ("/orders/<int:id>", "/order/", False),
        ("/<name>/edit", "/orders/", True),  # a parameter segment can be "orders"
        ("/<int:id>/edit", "/orders/", False),  # ...but an int cannot
        ("/orders", "/orders/", False),
        ("/<path:p>", "/anything/", True),
        ("/x/<int:id>", "/x/12/", False),  # matches "/x/12" only
        ("/x/<int:id>/y", "/x/12/", True),
    ],
)
def test_could_extend(path: str, prefix: str, expected: bool) -> None:
    assert patterns.could_extend(patterns.parse(_route(path)), prefix) is expected


NASTY = [
    '/a";}\nserver { listen 1; }#',
    "/x'; return 200 pwned; #",
    "/$host/${uri}/{",
    '/back\\slash\\"/',
    "/ünïcode/\t/\r",
]


@pytest.mark.parametrize("path", NASTY)
def test_regex_of_any_route_text_is_in_the_safe_alphabet(path: str) -> None:
    for framework, param in (("flask", "<int:x>"), ("fastapi", "{x:int}")):
        if framework == "fastapi" and "{" in path:
            continue  # braces are FastAPI parameter syntax
        regex = patterns.parse(_route(path + param, framework)).regex()
        assert re.fullmatch(r"[A-Za-z0-9/_\-\\^$+\[\]().?:|{}<>*!=,]*", regex), regex
        assert not any(c in regex for c in "\"';#\n\r\t `")
        # nginx matches bytes: the regex matches the UTF-8 bytes of the path
        assert re.fullmatch(regex, (path + "7").encode().decode("latin-1"))


@pytest.mark.parametrize("path", NASTY)
def test_django_regex_route_text_is_sanitized(path: str) -> None:
    regex = patterns.parse(_route("^" + path + "$", "django", regex=True)).regex()
    assert not any(c in regex for c in "\"'#\n\r\t `")
    assert all(c.isascii() and c.isprintable() for c in regex)
    # quoted-string escapes nginx would rewrite (\" \' \\ \t \n \r) never appear
    assert not re.search(r"\\[\"'\\tnr]", regex)


def test_escaped_punctuation_keeps_its_meaning() -> None:
    # Mayan EDMS: `[\w\-\.]+` became `[\w-\x2e]+`, a range nginx's PCRE refuses
    regex = patterns.parse(_route(r"^/verbs/(?P<verb>[\w\-\.]+)/events/$", "django", regex=True)).regex()
    assert "[\\w\\x2d\\x2e]" in regex
    assert re.fullmatch(regex, "/verbs/a-b.c/events/")
    assert not re.fullmatch(regex, "/verbs/a,b/events/")  # (the range \w-. would have taken it)


def test_group_names_nginx_refuses_are_dropped() -> None:
    # Mayan EDMS: PCRE2 allows group names of 32 code units at most, Python any
    long = "workflow_template_state_action_id"  # 33
    regex = patterns.parse(_route(rf"^/actions/(?P<{long}>\d+)/(?P<pk>\d+)/$", "django", regex=True)).regex()
    assert long not in regex and "(?P<pk>" in regex
    assert re.fullmatch(regex, "/actions/12/3/")


def test_safe_literal() -> None:
    assert patterns.safe_literal("/orders/")
    for bad in ('/a"b', "/a;b", "/a{b", "/a$b", "/a b", "/a\nb", "/a//b", "/a/../b"):
        assert not patterns.safe_literal(bad)


def _parsed(path: str) -> patterns.Pattern:
    return patterns.parse(_route(path))


def test_overlaps() -> None:
    p = _parsed
    assert patterns.overlaps(p("/a/<int:x>"), p("/a/<name>"))
    assert not patterns.overlaps(p("/a/<int:x>"), p("/a/<int:x>/b"))
    assert patterns.overlaps(p("/a/special"), p("/a/<name>"))
    assert not patterns.overlaps(p("/a/special"), p("/a/<int:x>"))

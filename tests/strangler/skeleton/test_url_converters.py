"""A service's urls register the URL converters its urlconfs name that a urlconf staying behind
registers (healthchecks' `sha1`, registered by `hc.api.urls`, used by `hc.front.urls`): the class
is carried when self-contained, named in a comment otherwise; never registered twice."""

from __future__ import annotations

import subprocess
import sys

import pytest

from strangler.skeleton.url_converters import converter_lines

API_URLS = """\
from urllib.parse import quote, unquote

from django.urls import path, register_converter

from hc.api import views
from hc.lib.text import clean


class SHA1Converter:
    regex = "[A-z0-9]{40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class QuoteConverter:
    regex = r"[\\w%~_.-]+"

    def to_python(self, value):
        return unquote(value)

    def to_url(self, value):
        return quote(value, safe="")


class CleanConverter:
    regex = ".+"

    def to_python(self, value):
        return clean(value)  # the monolith's code: not carried

    def to_url(self, value):
        return value


register_converter(SHA1Converter, "sha1")
register_converter(QuoteConverter, "quoted")
register_converter(CleanConverter, "clean")
register_converter(views.Imported, "imported")
urlpatterns = [path("checks/<sha1:code>/", views.check)]
"""
FRONT_URLS = """\
from django.urls import path
from hc.front import views

urlpatterns = [
    path("cloaked/<sha1:key>/", views.uncloak),
    path("badge/<quoted:tag>/<int:n>/", views.badge),
    path("c/<clean:x>/<imported:y>/<missing:z>", views.other),
    path("<slug:s>/", views.slug),
]
"""
SOURCES = {"hc.api.urls": API_URLS, "hc.front.urls": FRONT_URLS, "hc.front.views": "def uncloak(): ...\n"}


def test_converters_registered_by_a_urlconf_that_stays_are_carried_or_named() -> None:
    text = "\n".join(
        converter_lines(SOURCES, {"hc.front.urls": "front.urls", "hc.front.views": "front.views"})
    )
    compile(text, "urls.py", "exec")
    assert "class SHA1Converter:" in text and "class QuoteConverter:" in text
    assert "from urllib.parse import quote" in text and "from urllib.parse import unquote" in text
    assert "register_converter(SHA1Converter, 'sha1')".replace("'", '"') in text
    assert "class CleanConverter" not in text and "hc.lib" not in text and "import views" not in text
    assert "URL converter clean (registered by hc.api.urls with CleanConverter) not carried" in text
    assert "URL converter imported (registered by hc.api.urls with views.Imported) not carried" in text
    assert "URL converter missing is registered nowhere in the monolith" in text
    assert '"int"' not in text and '"slug"' not in text  # Django's own


def test_a_converter_the_service_registers_itself_is_not_registered_again() -> None:
    local = {"hc.front.urls": "front.urls", "hc.api.urls": "front.vendored.hc.api.urls"}
    assert not any("register_converter(" in line for line in converter_lines(SOURCES, local))


def test_nothing_is_written_when_no_route_names_a_converter_of_the_monolith() -> None:
    assert converter_lines({"a.urls": 'P = "<int:pk>/"\n'}, {"a.urls": "a.urls"}) == []


def test_the_carried_converters_work_in_django() -> None:
    pytest.importorskip("django")
    lines = converter_lines(SOURCES, {"hc.front.urls": "front.urls"})
    check = (
        "\nfrom django.urls.converters import get_converters\n"
        "c = get_converters()\n"
        "assert c['quoted'].to_python('a%2Fb') == 'a/b' and c['sha1'].regex == '[A-z0-9]{40}'\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", "\n".join(lines) + check], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr

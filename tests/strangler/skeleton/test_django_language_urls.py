"""A root urlconf's `i18n_patterns(...)` (wger mounts every app under the language code): a
service's urls carry the patterns that reach its moved code under the same language prefix, and
Django serves them there; patterns of other services, and a call whose keywords cannot be read as
literals, are not carried."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from strangler.skeleton.django_project import find_settings, urls_text
from strangler.skeleton.sources import read_module

ROOT_URLS = """\
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wger.weight.views import overview

urlpatterns = i18n_patterns(
    path("gallery/", include(("wger.gallery.urls", "gallery"), namespace="gallery")),
    path("weight/", overview, name="weight"),
    {KEYWORDS}
)
urlpatterns += [
    path("api/gallery/", include("wger.gallery.urls")),
]
"""
MODULES = ("wger.urls", "wger.gallery.urls", "wger.weight.views")


def _urls(service: str, moved: set[str], keywords: str = "") -> str:
    sources = dict.fromkeys(MODULES, "")
    sources["wger.urls"] = ROOT_URLS.replace("{KEYWORDS}", keywords)
    sources["settings"] = 'INSTALLED_APPS = ["wger.gallery"]\nROOT_URLCONF = "wger.urls"\n'
    texts = {m: read_module(m, False, sources[m], frozenset(sources)) for m in sources}
    return urls_text(
        package=service,
        settings=find_settings(sources),
        texts=texts,
        sources=sources,
        local={m: m.replace("wger.", "", 1) for m in moved},
        moved=frozenset(moved),
        prefix="/_strangler/ops/",
    )


def test_the_language_prefixed_patterns_of_the_service_are_carried_under_the_same_prefix() -> None:
    text = _urls("gallery", {"wger.gallery.urls"})
    compile(text, "urls.py", "exec")
    assert "from django.conf.urls.i18n import i18n_patterns\n" in text
    assert (
        "urlpatterns += i18n_patterns(\n"
        '    path("gallery/", include(("gallery.urls", "gallery"), namespace="gallery")),\n'
        ")\n"
    ) in text
    assert 'path("api/gallery/", include("gallery.urls")),' in text  # the plain list as before
    assert "weight" not in text  # another service's pattern


def test_a_service_with_no_language_prefixed_pattern_imports_no_i18n_patterns() -> None:
    text = _urls("weight", {"wger.weight.views"})
    assert "from weight.views import overview as overview" in text
    assert 'urlpatterns += i18n_patterns(\n    path("weight/", overview, name="weight"),\n)' in text
    assert "gallery" not in text
    none = _urls("other", set())
    assert "i18n_patterns" not in none


def test_prefix_default_language_is_carried_only_as_a_literal() -> None:
    text = _urls("gallery", {"wger.gallery.urls"}, "prefix_default_language=False,")
    assert "    prefix_default_language=False,\n)" in text
    for keywords in ("prefix_default_language=PREFIX,", "prefix_default_language=0,", "**OPTIONS,"):
        text = _urls("gallery", {"wger.gallery.urls"}, keywords)
        assert "i18n_patterns" not in text, keywords  # served elsewhere than the monolith serves it
        assert 'path("api/gallery/", include("gallery.urls")),' in text


@pytest.mark.parametrize("prefixed", [True, False])
def test_django_serves_the_carried_patterns_under_the_language_code(tmp_path: Path, prefixed: bool) -> None:
    pytest.importorskip("django")
    keywords = "" if prefixed else "prefix_default_language=False,"
    (tmp_path / "gallery").mkdir()
    (tmp_path / "gallery" / "__init__.py").write_text("")
    (tmp_path / "gallery" / "internal_api.py").write_text("def operation_view(request, operation): ...\n")
    (tmp_path / "gallery" / "urls.py").write_text(
        "from django.http import HttpResponse\nfrom django.urls import path\n"
        "urlpatterns = [path('', lambda request: HttpResponse('ok'), name='index')]\n"
    )
    (tmp_path / "service_urls.py").write_text(_urls("gallery", {"wger.gallery.urls"}, keywords))
    code = (
        "import django\nfrom django.conf import settings\n"
        "settings.configure(ROOT_URLCONF='service_urls', USE_I18N=True, LANGUAGE_CODE='en',"
        " LANGUAGES=[('en', 'English'), ('de', 'German')], ALLOWED_HOSTS=['*'],"
        " MIDDLEWARE=['django.middleware.locale.LocaleMiddleware'])\n"
        "django.setup()\n"
        "from django.test import Client\nfrom django.urls import reverse\n"
        "from django.utils import translation\n"
        "client = Client()\n"
        "print(client.get('/de/gallery/').status_code, client.get('/api/gallery/').status_code)\n"
        "translation.activate('en')\nprint(reverse('gallery:index'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    answers, reversed_path = done.stdout.split("\n")[:2]
    assert answers == "200 200"
    assert reversed_path == ("/en/gallery/" if prefixed else "/gallery/")

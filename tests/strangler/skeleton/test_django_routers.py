"""A root urlconf's DRF router (wger, paperless-ngx, DefectDojo build one for every app): a
service rebuilds it with the registrations whose viewsets moved into it, and keeps the patterns
mounting it; the other registrations, and a router built with computed arguments, are not carried."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from strangler.skeleton.django_project import find_settings, urls_text
from strangler.skeleton.django_routers import root_routers
from strangler.skeleton.sources import read_module

ROOT_URLS = """\
from django.urls import include, path
from rest_framework import routers

from wger.gallery.api import views as gallery_api_views
from wger.weight.api.views import WeightEntryViewSet

router = routers.DefaultRouter(trailing_slash=False)
router.register(r"gallery", gallery_api_views.GalleryImageViewSet, basename="gallery")
router.register(
    r"weightentry",
    WeightEntryViewSet,
    basename="weightentry",
)
other = routers.SimpleRouter()
other.register(r"weight-again", WeightEntryViewSet)

urlpatterns = [
    path("api/v2/", include(router.urls)),
    path("api/other/", include(other.urls)),
    path("gallery/", include("wger.gallery.urls")),
]
"""


def _urls(service: str, moved: set[str]) -> str:
    modules = ("wger.urls", "wger.gallery.api.views", "wger.gallery.urls", "wger.weight.api.views")
    sources = dict.fromkeys(modules, "")
    sources["wger.urls"] = ROOT_URLS
    sources["settings"] = 'INSTALLED_APPS = ["wger.gallery"]\nROOT_URLCONF = "wger.urls"\n'
    texts = {m: read_module(m, False, sources[m], frozenset(sources)) for m in sources}
    local = {m: m.replace("wger.", "", 1) for m in moved}
    return urls_text(
        package=service,
        settings=find_settings(sources),
        texts=texts,
        sources=sources,
        local=local,
        moved=frozenset(moved),
        prefix="/_strangler/ops/",
    )


def test_a_service_rebuilds_the_root_router_with_its_own_viewsets() -> None:
    text = _urls("gallery", {"wger.gallery.api.views", "wger.gallery.urls"})
    compile(text, "urls.py", "exec")
    assert "from rest_framework.routers import DefaultRouter\n" in text
    assert "router = DefaultRouter(trailing_slash=False)\n" in text
    assert 'router.register(r"gallery", gallery_api_views.GalleryImageViewSet' in text
    assert "import gallery.api.views as gallery_api_views" in text
    assert "weightentry" not in text and "WeightEntryViewSet" not in text and "SimpleRouter" not in text
    assert "1 registration(s) of the monolith's router serve other services' viewsets" in text
    assert 'path("api/v2/", include(router.urls)),' in text and "api/other/" not in text
    assert text.index("router = DefaultRouter") < text.index("urlpatterns = [")


def test_a_multi_line_registration_is_kept_whole_and_each_router_of_the_service_is_built() -> None:
    text = _urls("weight", {"wger.weight.api.views"})
    compile(text, "urls.py", "exec")
    assert 'router.register(\n    r"weightentry",\n    WeightEntryViewSet,\n' in text
    assert "from weight.api.views import WeightEntryViewSet as WeightEntryViewSet" in text
    assert "from rest_framework.routers import DefaultRouter, SimpleRouter" in text
    assert "other = SimpleRouter()" in text and 'path("api/other/", include(other.urls)),' in text
    assert "gallery" not in text.replace("serve other services", "")


@pytest.mark.parametrize(
    "built",
    [
        "router = routers.DefaultRouter(trailing_slash=SLASH)",  # computed
        "router = routers.DefaultRouter(**OPTIONS)",
        "router = make_router()",
        "router = routers.DefaultRouter(True)",
    ],
)
def test_a_router_built_otherwise_is_not_carried(built: str) -> None:
    assert root_routers(ast.parse(f"{built}\nrouter.register('x', V)\n")) == {}


def test_the_rebuilt_router_serves_its_viewsets_with_drf() -> None:
    pytest.importorskip("rest_framework")
    text = _urls("gallery", {"wger.gallery.api.views"})
    start = text.index("from rest_framework.routers")
    block = text[start : text.index("urlpatterns = [")].replace(
        "gallery_api_views.GalleryImageViewSet", "viewsets.ViewSet"
    )
    code = (
        "import django\nfrom django.conf import settings\n"
        "settings.configure(INSTALLED_APPS=['rest_framework'], ROOT_URLCONF=__name__)\ndjango.setup()\n"
        "from rest_framework import viewsets\n"
        f"{block}\n"
        "print(sorted(str(p.pattern) for p in router.urls)[:1])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

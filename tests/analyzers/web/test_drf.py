"""DRF routers, generated URL lists as diagnostics, ManyToMany join tables, local imports."""

from __future__ import annotations

from pathlib import Path

import pytest

import analyzers
from analyzers.frameworks.joining import FrameworkResult
from analyzers.model import Table
from analyzers.options import AnalysisOptions
from tests.analyzers.python.test_scope import framework_result
from tests.builders import write_tree
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_drf_app"
LIST, DETAIL = ("GET", "POST"), ("DELETE", "GET", "PATCH", "PUT")


@pytest.fixture(scope="module")
def result() -> FrameworkResult:
    return framework_result(ROOT)[0]


def test_router_registrations_give_the_conventional_routes(result: FrameworkResult) -> None:
    routes = {(r.path, r.methods, r.handler, r.module, r.line, r.name, r.is_regex) for r in result.routes}
    assert routes == {
        ("/api/projects/", LIST, "api.views.ProjectViewSet", "api.views", 7, "project-list", False),
        ("/api/projects/<pk>/", DETAIL, "api.views.ProjectViewSet", "api.views", 7, "project-detail", False),
        ("/api/tags/", LIST, "api.views.TagViewSet", "api.views", 8, "", False),
        ("/api/tags/<pk>/", DETAIL, "api.views.TagViewSet", "api.views", 8, "", False),
        # `urlpatterns += legacy.urls`, SimpleRouter(trailing_slash=False), a regex prefix
        ("^/old/(?P<owner>\\w+)$", LIST, "api.views.TagViewSet", "api.views", 9, "", True),
        ("^/old/(?P<owner>\\w+)/(?P<pk>[^/.]+)$", DETAIL, "api.views.TagViewSet", "api.views", 9, "", True),
    }
    assert {r.framework for r in result.routes} == {"django"}


def test_generated_url_lists_that_cannot_be_read_are_diagnostics(result: FrameworkResult) -> None:
    found = {(d.path, d.line): d.message for d in result.diagnostics if d.kind == "dynamic-urls"}
    assert set(found) == {("proj/urls.py", 13), ("proj/urls.py", 15), ("proj/urls.py", 16)}
    assert "'admin.site.urls'" in found[("proj/urls.py", 13)]
    assert "'/admin/'" in found[("proj/urls.py", 13)]
    assert "not listed" in found[("proj/urls.py", 13)]
    assert "'plugins'" in found[("proj/urls.py", 15)]  # a variable that is no URL list
    assert "'make_urls()'" in found[("proj/urls.py", 16)]  # a call
    assert [d for d in result.diagnostics if d.kind != "dynamic-urls"] == []


def test_many_to_many_join_tables(result: FrameworkResult) -> None:
    assert set(result.tables) == {
        Table("api_tag", "api.models", "Tag", 11),
        Table("api_project", "api.models", "Project", 15),
        Table("api_membership", "api.models", "Membership", 20),
        Table("api_project_tags", "api.models", "", 5),  # field of the abstract parent
        Table("project_watchers", "api.models", "", 17),  # db_table= on the field
        # members has through="Membership": no join table of its own; abstract Tagged: none
    }


def test_function_local_imports_and_self_model(result: FrameworkResult) -> None:
    accesses = {(a.module, a.table, a.mode, a.line) for a in result.accesses}
    assert accesses == {
        ("api.views", "api_project", "read", 10),  # from api.models import Project (in the function)
        ("api.views", "api_project", "write", 15),  # from .models import Project as P
        ("api.views", "api_project_tags", "write", 15),  # a write of Project writes its join tables
        ("api.views", "project_watchers", "write", 15),
        ("api.views", "api_tag", "read", 22),  # self.model with `model = api_models.Tag`
        # line 26: Project is not imported in `elsewhere`, so nothing
    }


SUBCLASS_ROOT = FIXTURES / "fw_drf_subclass_app"


def test_a_router_class_of_the_codebase_deriving_from_drf_routes_its_registrations() -> None:
    result = framework_result(SUBCLASS_ROOT)[0]
    routes = {(r.path, r.methods, r.handler) for r in result.routes}
    assert routes == {
        ("/", (), "proj.views.home"),
        ("/api/projects/", LIST, "api.views.ProjectViewSet"),
        ("/api/projects/<pk>/", DETAIL, "api.views.ProjectViewSet"),
        # MessageRouter is no DRF router: its urls are generated, a diagnostic below
    }
    found = {(d.path, d.line, d.kind): d.message for d in result.diagnostics}
    assert set(found) == {
        ("other/urls.py", 7, "dynamic-urls"),
        ("proj/urls.py", 14, "computed-route"),
        ("proj/urls.py", 15, "computed-route"),
    }
    # a computed prefix: the routes under it are listed without it; a computed leaf is not listed
    assert "settings.BASE_PATH" in found[("proj/urls.py", 14, "computed-route")]
    assert "listed without it" in found[("proj/urls.py", 14, "computed-route")]
    assert "proj.views.status" not in {r.handler for r in result.routes}
    assert "not listed" in found[("proj/urls.py", 15, "computed-route")]


def test_url_lists_gathered_by_name_are_followed(tmp_path: Path) -> None:
    """DefectDojo: `ur = []`, `ur += finding_urls`..., then `re_path(r"^", include(ur))`, and
    `urlpatterns += api_v2_urls` (lists imported from the apps' urlconfs): 2 routes -> 358."""
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
        "proj/views.py": "def home(request):\n    pass\n\n\ndef api_root(request):\n    pass\n",
        "proj/urls.py": (
            "from django.urls import include, path, re_path\n"
            "from proj import views\n"
            "from proj.finding_urls import urlpatterns as finding_urls\n"
            "from proj.api_urls import urlpatterns as api_urls\n"
            "ur = []\n"
            "ur += finding_urls\n"
            "ur += [path('home/', views.home)]\n"
            "urlpatterns = [re_path(r'^', include(ur))]\n"
            "urlpatterns += api_urls\n"
        ),
        "proj/finding_urls.py": (
            "from django.urls import path\nfrom proj import views\n"
            "urlpatterns = [path('findings/', views.home)]\n"
        ),
        "proj/api_urls.py": (
            "from django.urls import path\nfrom proj import views\n"
            "urlpatterns = [path('api/', views.api_root)]\n"
        ),
    }
    codebase = analyzers.analyze(write_tree(tmp_path, files), AnalysisOptions(history=False, cache=False))
    assert {(r.path, r.handler) for r in codebase.routes} == {
        ("^/findings/", "proj.views.home"),
        ("^/home/", "proj.views.home"),
        ("/api/", "proj.views.api_root"),
    }
    assert not [d for d in codebase.diagnostics if d.kind == "dynamic-urls"]


def test_urlconfs_built_by_extend_and_attached_at_run_time(tmp_path: Path) -> None:
    """Mayan EDMS: every urlconf is `urlpatterns = []` then `.extend(...)`/`.append(...)`, and the
    apps' urlconfs are attached to the root at run time (AppConfig.ready): 0 routes -> 440."""
    files = {
        "site/__init__.py": "",
        "site/settings.py": 'ROOT_URLCONF = "site.urls"\n',
        "site/urls.py": (
            "from django.urls import path\nfrom site import views\n"
            "urlpatterns = []\nurlpatterns.append(path('', views.home))\n"
        ),
        "site/views.py": "def home(request):\n    pass\n",
        "docs/__init__.py": "",
        "docs/views.py": "def listing(request):\n    pass\n\n\ndef detail(request, pk):\n    pass\n",
        "docs/urls.py": (
            "from django.urls import re_path\nfrom docs import views\n"
            "urlpatterns_docs = [re_path(r'^docs/$', views.listing)]\n"
            "urlpatterns = []\n"
            "urlpatterns.extend(urlpatterns_docs)\n"
            "urlpatterns.extend([re_path(r'^docs/(?P<pk>\\d+)/$', views.detail)])\n"
        ),
        "docs/tests/__init__.py": "",
        "docs/tests/urls.py": (  # a test urlconf: never a root
            "from django.urls import path\nfrom docs import views\n"
            "urlpatterns = [path('test-only/', views.listing)]\n"
        ),
    }
    codebase = analyzers.analyze(write_tree(tmp_path, files), AnalysisOptions(history=False, cache=False))
    assert {(r.path, r.handler) for r in codebase.routes} == {
        ("/", "site.views.home"),
        ("^/docs/$", "docs.views.listing"),
        ("^/docs/(?P<pk>\\d+)/$", "docs.views.detail"),
    }
    unrooted = [(d.path, d.kind) for d in codebase.diagnostics]
    assert unrooted == [("docs/urls.py", "unrooted-urls")]


def test_a_partly_computed_pattern_keeps_its_literal_text(tmp_path: Path) -> None:
    """DefectDojo's `"^{}api/v2/".format(get_system_setting("url_prefix"))`, healthchecks'
    `f"{prefix}admin/"`: the literal text is listed, the deployment prefix taken as empty."""
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
        "proj/views.py": "def ping(request):\n    pass\n\n\ndef media(request, path):\n    pass\n",
        "proj/urls.py": (
            "from django.conf import settings\n"
            "from django.urls import include, path, re_path\n"
            "from proj import views\n"
            "prefix = ''\n"
            "api = [path('ping/', views.ping)]\n"
            "urlpatterns = [\n"
            "    re_path(r'^{}api/v2/'.format(settings.PREFIX), include(api)),\n"
            "    path(f'{prefix}health/', views.ping),\n"
            "    re_path(r'^{}/(?P<path>.*)$'.format(settings.MEDIA), views.media),\n"
            "]\n"
        ),
    }
    codebase = analyzers.analyze(write_tree(tmp_path, files), AnalysisOptions(history=False, cache=False))
    # the media route would be `^/(?P<path>.*)$` without its computed segment: every path, not listed
    assert {r.path for r in codebase.routes} == {"^/api/v2/ping/", "/health/"}
    messages = {d.line: d.message for d in codebase.diagnostics if d.kind == "computed-route"}
    assert "listed as '^api/v2/'" in messages[7]
    assert "listed as 'health/'" in messages[8]
    assert "not listed" in messages[9]


def test_one_computed_prefix_used_by_many_patterns_is_one_diagnostic(tmp_path: Path) -> None:
    # healthchecks: `path(prefix, include("hc.api.urls"))` 33 times
    apps = ("alpha", "beta", "gamma")
    files = {"proj/__init__.py": "", "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n'}
    for app in apps:
        files[f"{app}/__init__.py"] = ""
        files[f"{app}/views.py"] = "def index(request):\n    pass\n"
        files[f"{app}/urls.py"] = f"from django.urls import path\nfrom {app} import views\n"
        files[f"{app}/urls.py"] += f"urlpatterns = [path('{app}/', views.index)]\n"
    files["proj/urls.py"] = "from django.conf import settings\nfrom django.urls import include, path\n"
    files["proj/urls.py"] += (
        "urlpatterns = [\n"
        + "".join(f"    path(settings.PREFIX, include('{app}.urls')),\n" for app in apps)
        + "]\n"
    )
    codebase = analyzers.analyze(write_tree(tmp_path, files), AnalysisOptions(history=False, cache=False))
    assert {r.path for r in codebase.routes} == {"/alpha/", "/beta/", "/gamma/"}
    found = [(d.path, d.line, d.message) for d in codebase.diagnostics if d.kind == "computed-route"]
    assert len(found) == 1 and found[0][:2] == ("proj/urls.py", 4)
    assert "2 more pattern(s) of this file use settings.PREFIX" in found[0][2]

"""Issue #14, facts: a Django app named `build/`, raw SQL only from SQL calls, template uses as
coupling, and what `analyze` skipped named in its text summary."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

import analyzers
from analyzers.data.sql import sql_tables
from analyzers.frameworks.joining import scan_file
from analyzers.model import Codebase
from analyzers.options import AnalysisOptions
from strangler.boundaries.decomposition import Assignment, Decomposition, Service
from strangler.graph.analysis_report import analysis_document, render_text
from strangler.plan import make_plan
from tests.builders import write_tree


def _analyze(root: Path) -> Codebase:
    return analyzers.analyze(root, AnalysisOptions(history=False, cache=False))


# --- 1. a Django app named build/ is source; skipped directories are named ---------------------

DJANGO_BUILD_APP = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    "mysite/__init__.py": "",
    "mysite/settings.py": (
        "INSTALLED_APPS = ['build.apps.BuildConfig', 'shop']\nROOT_URLCONF = 'mysite.urls'\n"
    ),
    "mysite/urls.py": (
        "from django.urls import include, path\n\nurlpatterns = [path('ci/', include('build.urls'))]\n"
    ),
    "build/__init__.py": "",
    "build/apps.py": (
        "from django.apps import AppConfig\n\n\nclass BuildConfig(AppConfig):\n    name = 'build'\n"
    ),
    "build/models.py": (
        "from django.db import models\n\n\nclass Job(models.Model):\n"
        "    name = models.CharField(max_length=40)\n"
    ),
    "build/views.py": (
        "from django.http import JsonResponse\n\nfrom build.models import Job\n\n\n"
        "def jobs(request):\n    return JsonResponse({'jobs': list(Job.objects.values('name'))})\n"
    ),
    "build/urls.py": (
        "from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path('jobs/', views.jobs)]\n"
    ),
    "shop/__init__.py": "",
    "shop/views.py": "from build.models import Job\n\n\ndef count():\n    return Job.objects.count()\n",
    # what stays out: tool output, an environment, a hidden directory, an excluded one
    "dist/shop-1.0/setup.py": "",
    "env/lib/site.py": "",
    ".tox/py311/lib/x.py": "",
    "vendor/old.py": "",
    "stale/build/__init__.py": "",  # a `build` package nobody imports, beside nothing importing it
}


@pytest.fixture
def build_app(tmp_path: Path) -> Path:
    root = tmp_path / "ci"
    write_tree(root, DJANGO_BUILD_APP)
    (root / "pyproject.toml").write_text('[tool.strangler]\nexclude = ["vendor/"]\n')
    return root


def test_a_django_app_named_build_is_source(build_app: Path) -> None:
    codebase = analyzers.analyze(build_app, AnalysisOptions(history=False, cache=False, exclude=("vendor/",)))
    names = codebase.module_names()
    assert {"build", "build.models", "build.views", "build.urls", "shop.views"} <= names
    assert ("build_job", "build.models") in {(t.name, t.module) for t in codebase.tables}
    assert ("/ci/jobs/", "build.views") in {(r.path, r.module) for r in codebase.routes}
    assert "build" not in {e.name for e in codebase.externals}  # no third-party package
    assert not any(m.startswith("stale.build") for m in names)  # a `build` nobody imports stays out
    skipped = {(d.path, d.kind) for d in codebase.diagnostics if d.line == 0}
    assert {
        ("dist", "skipped-build-output"),
        ("env", "skipped-virtualenv"),
        (".tox", "skipped-hidden"),
        ("vendor", "skipped-excluded"),
        ("stale/build", "skipped-build-output"),
    } <= skipped


def test_skipped_directories_by_reason_in_the_text_summary(build_app: Path) -> None:
    codebase = analyzers.analyze(
        build_app, AnalysisOptions(history=False, cache=False, exclude=("vendor/", "shop/views.py"))
    )
    text = render_text(codebase)
    assert "Skipped: 5 directories, links or names; 1 files excluded" in text
    lines = text.splitlines()
    skipped = lines[lines.index("Skipped: 5 directories, links or names; 1 files excluded") + 1 :]
    assert skipped[:5] == [
        "  build output                   2  dist, stale/build",
        "  excluded                       1  vendor",
        "  hidden                         1  .tox",
        "  virtualenv                     1  env",
        "",
    ]
    problems = next(line for line in lines if line.startswith("Diagnostics:"))
    assert problems == "Diagnostics: 0  "  # what was skipped on purpose is no problem
    document = analysis_document(codebase)
    assert document["stats"]["files_skipped_dirs"] == 5 and document["stats"]["files_excluded"] == 1
    assert {"path": "stale/build", "line": 0, "kind": "skipped-build-output"}.items() <= next(
        d for d in document["diagnostics"] if d["path"] == "stale/build"
    ).items()


def test_unsafe_names_and_links_out_are_counted_among_the_skipped(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    write_tree(root, {"app/__init__.py": "", "app/core.py": ""})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "app" / "linked").symlink_to(outside, target_is_directory=True)
    (root / "app" / 'bad"name.py').write_text("")
    text = render_text(_analyze(root))
    assert "Skipped: 2 directories, links or names; 0 files excluded" in text
    assert "  symlink outside the tree       1  app/linked" in text
    assert '  unsafe name                    1  app/bad"name.py' in text


# --- 2. raw SQL only from statements handed to a call that runs SQL ----------------------------

SQL_SOURCE = """
from django.db import connection, models
from sqlalchemy import text

class Return(models.Model):
    item = models.CharField(help_text="Select item to return from customer")
    note = models.CharField(help_text="Select the one you want from available options")

LABEL = "Select item to return from customer"
QUERY = "SELECT id FROM orders WHERE id = %s"

def run(pk, table, session):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM {0}".format(table))
        cursor.execute('SELECT * FROM "{}"'.format(table))
        cursor.execute("SELECT * FROM audit_%s WHERE id = 1" % table)
        cursor.execute(f"UPDATE {table}_log SET done = true")
        cursor.execute("SELECT a FROM flags WHERE on_off = true")
        cursor.execute(QUERY, [pk])
    message = "Delete from the list when done"
    Return.objects.raw("SELECT * FROM shop_return WHERE id = %s", [pk])
    return session.execute(text("DELETE FROM carts WHERE id = :id"))
"""


def test_raw_sql_only_from_sql_calls_never_from_prose_or_placeholders() -> None:
    facts = scan_file(ast.parse(SQL_SOURCE), "shop.returns", "shop/returns.py")
    assert facts.diagnostics == ()
    assert {(table, mode) for table, mode, _ in facts.data.sql} == {
        ("flags", "read"),
        ("orders", "read"),
        ("shop_return", "read"),
        ("carts", "write"),
    }
    lines = {table: line for table, _, line in facts.data.sql}
    assert lines["orders"] == 10 and lines["carts"] == 22  # where the statement is written


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM true",
        "SELECT * FROM {0}",
        'SELECT * FROM "{}"',
        'SELECT x FROM "%s" WHERE 1 = 1',
        "SELECT * FROM orders_{} WHERE id = 1",
        "SELECT x FROM null",
        "UPDATE default SET x = 1",
    ],
)
def test_placeholders_keywords_and_booleans_are_no_tables(text: str) -> None:
    assert sql_tables(text) == ()


# --- 3. template uses --------------------------------------------------------------------------

TEMPLATE_TREE = {
    "manage.py": "",
    "mysite/__init__.py": "",
    "mysite/settings.py": "INSTALLED_APPS = ['common', 'shop', 'blog', 'reports']\n",
    "common/__init__.py": "",
    "common/templatetags/__init__.py": "",
    "common/templatetags/permissions.py": (
        "from django import template\n\nregister = template.Library()\n\n\n"
        "@register.filter\ndef can(user, perm):\n    return user.has_perm(perm)\n"
    ),
    "common/templates/common/base.html": "<html>{% block body %}{% endblock %}</html>\n",
    "common/jinja2/common/macros.html": "{% macro price(p) %}{{ p }}{% endmacro %}\n",
    "shop/__init__.py": "",
    "shop/views.py": "def index(request):\n    return None\n" + "X = 1\n" * 20,
    "shop/templates/shop/index.html": (
        '{% extends "common/base.html" %}\n{% load permissions %}\n'
        '{% block body %}{% include "shop/card.html" %}{% endblock %}\n'
    ),
    "shop/templates/shop/card.html": "{% load i18n %}{% if user|can:'x' %}card{% endif %}\n",
    "blog/__init__.py": "",
    "blog/views.py": "def post(request):\n    return None\n" + "X = 1\n" * 20,
    "blog/templates/blog/post.html": (
        "{% load static %}\n{% load can from permissions %}\n\n{% include 'shop/card.html' with x=1 %}\n"
    ),
    "reports/__init__.py": "",
    "reports/views.py": "def show(request):\n    return None\n" + "X = 1\n" * 20,
    "reports/jinja2/reports/daily.html": (
        '{% import "common/macros.html" as m %}\n'
        '{%- from "common/macros.html" import price -%}\n'
        '{% include ["reports/missing.html", "shop/card.html"] %}\n'
    ),
}


@pytest.fixture
def template_app(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "site", TEMPLATE_TREE)


def _template_edges(codebase: Codebase) -> set[tuple[str, str, int, str]]:
    return {(e.source, e.target, e.line, e.names[0]) for e in codebase.imports if "template" in e.markers}


def test_template_tags_and_includes_are_uses(template_app: Path) -> None:
    codebase = _analyze(template_app)
    library = "common.templatetags.permissions"
    assert _template_edges(codebase) == {
        ("shop", "common", 1, "shop/templates/shop/index.html"),
        ("shop", library, 2, "shop/templates/shop/index.html"),
        ("blog", library, 2, "blog/templates/blog/post.html"),
        ("blog", "shop", 4, "blog/templates/blog/post.html"),
        ("reports", "common", 1, "reports/jinja2/reports/daily.html"),
        ("reports", "common", 2, "reports/jinja2/reports/daily.html"),
        ("reports", "shop", 3, "reports/jinja2/reports/daily.html"),
    }
    edges = {(e["source"], e["target"]): e for e in analysis_document(codebase)["edges"]}
    assert edges[("blog", library)]["templates"] == 1.0 and edges[("blog", library)]["imports"] == 1.0
    assert edges[("reports", "common")]["templates"] == 2.0
    text = render_text(codebase)
    assert "  templates         7  uses of tag libraries and other apps' templates, 6 templates read" in text
    assert "Import cycles: 0" in text


def test_a_template_library_every_page_needs_is_no_first_wave(template_app: Path) -> None:
    codebase = _analyze(template_app)
    services = {
        "common": ("common", "common.templatetags", "common.templatetags.permissions"),
        "shop": ("shop", "shop.views"),
        "blog": ("blog", "blog.views"),
        "reports": ("reports", "reports.views"),
    }
    decomposition = Decomposition(
        services=tuple(Service(name, mods) for name, mods in sorted(services.items())),
        shared_kernel=("mysite", "mysite.settings", "manage"),
        assignments=tuple(
            sorted(Assignment(m, name, "test") for name, mods in services.items() for m in mods)
        ),
    )
    plan = make_plan(codebase, decomposition)
    common = plan.wave("common")
    assert common.entanglement.inbound_call_sites == 5
    assert plan.waves[0].service != "common"
    hazards = {(h.kind, h.path, h.line) for h in common.hazards}
    assert ("template", "blog/templates/blog/post.html", 2) in hazards
    assert len(hazards) == 5
    assert any(h.kind == "template" and h.symbol == "shop" for h in plan.wave("blog").hazards)


def test_templates_are_read_inside_the_tree_and_bounded(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "site",
        {
            "common/__init__.py": "",
            "common/templatetags/__init__.py": "",
            "common/templatetags/tags.py": "",
            "shop/__init__.py": "",
            "shop/templates/shop/big.html": "{% load tags %}" + " " * (1 << 20),
            "shop/templates/shop/unclosed.html": "{% load " * 100_000,  # read in linear time
        },
    )
    secret = write_tree(tmp_path / "secret", {"page.html": "{% load tags %}\n"})
    os.symlink(secret / "page.html", root / "shop" / "templates" / "shop" / "linked.html")
    os.symlink(secret, root / "shop" / "templates" / "outside")
    codebase = _analyze(root)
    assert _template_edges(codebase) == set()
    found = {(d.path, d.kind) for d in codebase.diagnostics}
    assert {
        ("shop/templates/shop/big.html", "too-large"),
        ("shop/templates/shop/linked.html", "symlink-outside"),
        ("shop/templates/outside", "symlink-outside"),
    } <= found

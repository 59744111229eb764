"""Framework facts on real code: the installed Django's own contrib apps.

The oracle is Django itself, run in a subprocess (so its settings never leak into this
process): the concrete models of the contrib apps with their `db_table`, and the URL patterns
of `django.contrib.auth.urls`. The analysis only reads the source files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from analyzers.model import Codebase

django = pytest.importorskip("django")

ORACLE = r"""
import json
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=[
        "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
        "django.contrib.sessions", "django.contrib.sites", "django.contrib.flatpages",
        "django.contrib.redirects",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
django.setup()
from django.apps import apps
from django.contrib.auth import urls
models = sorted(
    [m._meta.db_table, m.__module__, m.__name__]
    for m in apps.get_models()
    if not m._meta.proxy
)
patterns = sorted("/" + str(p.pattern) for p in urls.urlpatterns)
joins = sorted(
    [f.remote_field.through._meta.db_table, m.__module__]
    for m in apps.get_models()
    if not m._meta.proxy
    for f in m._meta.local_many_to_many
    if f.remote_field.through._meta.auto_created
)
print(json.dumps({"models": models, "auth_urls": patterns, "joins": joins}))
"""


@pytest.fixture(scope="module")
def oracle() -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", ORACLE], capture_output=True, text=True, check=True, timeout=120
    )
    found: dict[str, Any] = json.loads(completed.stdout)
    return found


@pytest.fixture(scope="module")
def codebase() -> Codebase:
    import analyzers

    if not hasattr(analyzers, "analyze"):
        pytest.skip("analyzers.analyze is not there yet")
    from analyzers.options import AnalysisOptions

    return analyzers.analyze(Path(django.__file__).parent, AnalysisOptions(history=False))


def test_contrib_model_tables_match_django(oracle: dict[str, Any], codebase: Codebase) -> None:
    expected = {tuple(row) for row in oracle["models"]}
    assert len(expected) >= 8
    found = {(t.name, t.module, t.model) for t in codebase.tables}
    assert expected <= found


def test_contrib_many_to_many_join_tables_match_django(oracle: dict[str, Any], codebase: Codebase) -> None:
    expected = {tuple(row) for row in oracle["joins"]}
    assert ("auth_user_groups", "django.contrib.auth.models") in expected  # via PermissionsMixin
    found = {(t.name, t.module) for t in codebase.tables if not t.model}
    assert expected <= found


def test_auth_urls_match_django(oracle: dict[str, Any], codebase: Codebase) -> None:
    found = {r.path for r in codebase.routes if r.handler.startswith("django.contrib.auth.views.")}
    assert found == set(oracle["auth_urls"])


def test_contrib_accesses_and_string_edges(codebase: Codebase) -> None:
    reads = {(a.module, a.table) for a in codebase.accesses if a.via == "django"}
    # ContentType.objects.get_for_model / Permission.objects in the auth backend
    assert ("django.contrib.auth.backends", "auth_permission") in reads
    string_edges = {(e.source, e.target) for e in codebase.imports if "string" in e.markers}
    # SESSION_ENGINE = "django.contrib.sessions.backends.db" in the global settings
    assert ("django.conf.global_settings", "django.contrib.sessions.backends.db") in string_edges
    # ForeignKey(to="contenttypes.contenttype") in a migration: an app label and a model name
    assert (
        "django.contrib.admin.migrations.0001_initial",
        "django.contrib.contenttypes.models",
    ) in string_edges
    assert not [d for d in codebase.diagnostics if d.kind == "framework-scan"]

"""A hostile Django monolith against what `strangler plan` reads beyond its Python modules and
copies into a Django service: template files and directories (links out of the tree, absolute or
climbing `DIRS`, names holding control characters), the settings module's helpers, constants and
routers, a urlconf's converters and `i18n_patterns(...)` keywords. `plan` runs none of it, writes
nothing outside -o, follows no link, and what it copies stays data (or the monolith's own code,
written back from its syntax tree)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES
from tests.security.hostile import files_under, run_cli

SETTINGS_TAIL = """
from djshop.constants import BANNER

def envx(name, default):
    os.system("touch " + name)  # the monolith's helper: copied as its code, never run by strangler
    return os.getenv(name, default)

PAYLOAD = envx("PWNED_BY_HELPER", "x")
GREETING = {"banner": BANNER}
TEMPLATES[0]["DIRS"] = []
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", "/etc", BASE_DIR / ".." / "..", BASE_DIR / "linked"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["djshop.evil'); import os; os.system('id"]},
    }
]
"""
CONSTANTS = 'BANNER = "x\\"); import os; os.system(\\"touch PWNED_BY_CONSTANT\\"); (\\""\n'
URLS_TAIL = """
from django.urls import register_converter
from rest_framework import routers


class internal_api:  # a converter class named to shadow the generated urls' import
    regex = "[0-9]+"


register_converter(internal_api, "shadow")
router = routers.DefaultRouter(trailing_slash=__import__("os").system("touch PWNED_BY_ROUTER"))

from django.conf.urls.i18n import i18n_patterns

urlpatterns += i18n_patterns(
    path("shop/", include("catalog.urls")),
    prefix_default_language=__import__("os").system("touch PWNED_BY_I18N"),
)
urlpatterns += i18n_patterns(path("en-shop/", include("catalog.urls")), prefix_default_language=False)
"""


def _hostile_tree(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("SECRET-OUTSIDE-THE-TREE")
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "skel_django_app", root)
    settings = root / "djshop" / "settings.py"
    settings.write_text(settings.read_text() + SETTINGS_TAIL)
    (root / "djshop" / "constants.py").write_text(CONSTANTS)
    urls = root / "djshop" / "urls.py"
    urls.write_text(urls.read_text() + URLS_TAIL)
    views = root / "catalog" / "views.py"
    views.write_text(
        views.read_text() + '\nNAMES = ["linked.html", "inner/secret.html", "x\\nimport os.html"]\n'
    )
    templates = root / "templates"
    os.symlink(outside / "secret.html", templates / "linked.html")  # a file linked out of the tree
    os.symlink(outside, templates / "inner")  # a directory linked out of the tree
    os.symlink(outside, root / "linked")  # a DIRS entry linked out of the tree
    (templates / "x\nimport os.html").write_text("a name holding a newline")
    return root, tmp_path / "out"


def test_plan_on_a_hostile_django_tree_runs_nothing_and_copies_nothing_out_of_it(tmp_path: Path) -> None:
    root, out = _hostile_tree(tmp_path)
    before = files_under(tmp_path)
    completed = run_cli("plan", str(root), "-o", str(out), "--no-history", "--quiet", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    written = {p for p in files_under(tmp_path) - before if not p.startswith("out/") and p != "out"}
    assert written == set(), written  # nothing outside -o, no marker of a payload anywhere
    assert not any("PWNED" in p for p in files_under(tmp_path) | files_under(root))
    texts = {p: (out / p).read_text(encoding="utf-8") for p in files_under(out) if (out / p).is_file()}
    assert not any("SECRET-OUTSIDE-THE-TREE" in t for t in texts.values())
    assert not any("\n" in p or "import os.html" in p for p in texts)
    settings = texts["services/catalog/catalog_project/settings.py"]
    urls = texts["services/catalog/catalog_project/urls.py"]
    # what came from the tree is data (or the helper, written back from its syntax tree)
    assert "context processor djshop.evil" in settings
    assert all(line.startswith("#") for line in settings.splitlines() if "os.system('id" in line)
    assert (
        'BANNER = \'x"); import os; os.system("touch PWNED_BY_CONSTANT"); ("\'  # from djshop.constants'
        in settings
    )
    assert "class internal_api" not in urls and "PWNED_BY_ROUTER" not in urls
    # a language-prefixed block is carried only with a literal keyword
    assert "PWNED_BY_I18N" not in urls and '"shop/"' not in urls
    assert 'urlpatterns += i18n_patterns(\n    path("en-shop/", include("catalog.catalog.urls")),' in urls
    assert "    prefix_default_language=False,\n)" in urls
    assert '"/etc"' not in settings and "templates/" in settings
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(out / "services")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr

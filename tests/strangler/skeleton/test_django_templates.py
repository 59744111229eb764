"""A Django service's templates: where the monolith's settings say they are, which files a service
takes, and what a hostile tree cannot make the reading do (leave the tree, follow a link, write a
name outside the service)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import analyzers
from analyzers.options import AnalysisOptions
from strangler.skeleton.django_templates import (
    TemplateEngine,
    TemplateFile,
    TemplateIndex,
    TemplatesCopied,
    is_safe_name,
    service_templates,
    template_dirs,
    templates_lines,
)
from strangler.skeleton.generate import load_sources
from strangler.skeleton.template_files import read_templates
from tests.builders import write_tree

PATHLIB_BASE = "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
OS_BASE = "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"


def _dirs(base: str, entries: str, path: str = "proj/settings.py") -> tuple[tuple[str, ...], int]:
    return template_dirs(f"{base}TEMPLATES = [{{'BACKEND': 'x', 'DIRS': [{entries}]}}]\n", path)


@pytest.mark.parametrize(
    ("base", "entries", "found"),
    [
        (PATHLIB_BASE, 'BASE_DIR / "templates"', ("templates",)),
        (PATHLIB_BASE, 'BASE_DIR / "proj" / "tpl", str(BASE_DIR / "shared")', ("proj/tpl", "shared")),
        (PATHLIB_BASE, 'BASE_DIR.joinpath("a", "b/c")', ("a/b/c",)),
        (OS_BASE, 'os.path.join(BASE_DIR, "templates")', ("templates",)),
        ("from pathlib import Path\n", 'Path(__file__).parents[1] / "templates"', ("templates",)),
        ("from pathlib import Path\n", 'Path(__file__).parent / "templates"', ("proj/templates",)),
        ("", '"templates"', ("templates",)),
    ],
)
def test_the_forms_settings_write_their_template_directories_in(
    base: str, entries: str, found: tuple[str, ...]
) -> None:
    assert _dirs(base, entries) == (found, 0)


@pytest.mark.parametrize(
    "entries",
    [
        '"/etc"',  # absolute
        'BASE_DIR / "../.."',  # above the tree's root
        'BASE_DIR / ".." / "x"',
        "Path(__file__).parents[5]",
        'os.environ["TEMPLATE_DIR"]',  # computed
        'BASE_DIR / os.getenv("X")',
        'BASE_DIR / "C:\\\\x"',
        "UNDEFINED / 'x'",
    ],
)
def test_a_directory_outside_the_tree_or_computed_otherwise_is_counted_not_followed(entries: str) -> None:
    assert _dirs(PATHLIB_BASE + "import os\n", entries) == ((), 1)


def test_a_self_referencing_name_does_not_loop() -> None:
    assert _dirs("A = B\nB = A\n", "A") == ((), 1)


@pytest.mark.parametrize("name", ["../x.html", "a/../../x", "/etc/passwd", "a//b", "a\\b", "a\nb", "", "./a"])
def test_a_template_name_that_is_no_plain_relative_path_is_refused(name: str) -> None:
    assert not is_safe_name(name)


def _index(*files: tuple[str, str, str]) -> TemplateIndex:
    return TemplateIndex(tuple(TemplateFile(n, a, t) for n, a, t in sorted(files)))


def test_a_service_takes_what_its_code_names_what_that_extends_and_includes_and_its_apps_templates() -> None:
    index = _index(
        ("base.html", "", "<html>{% block body %}{% endblock %}</html>"),
        ("shop/page.html", "", "{% extends 'base.html' %}{% include \"shop/row.html\" with x=1 %}"),
        ("shop/row.html", "", "{%- import 'macros.html' as m %}"),
        ("macros.html", "", "macros"),
        ("cart/own.html", "cart", "owned by the moved app, named nowhere"),
        ("other/page.html", "", "{% extends 'base.html' %}"),
        ("other/app.html", "other", "another app's"),
    )
    code = ["from django.shortcuts import render\nT = 'shop/page.html'\nMISSING = 'nowhere.html'\n"]
    taken = service_templates(index, {"cart"}, code)
    assert sorted(taken) == ["base.html", "cart/own.html", "macros.html", "shop/page.html", "shop/row.html"]
    assert service_templates(index, set(), ["def broken(:\n"]) == {}


SETTINGS = """\
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
INSTALLED_APPS = ["django.contrib.auth", "shop.apps.ShopConfig", "cart"]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates", BASE_DIR / "linked", "/etc"],
    "APP_DIRS": True,
}]
"""


def _read(root: Path) -> TemplateIndex:
    codebase = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    return read_templates(root, codebase, load_sources(root, codebase))


def test_templates_are_read_in_djangos_lookup_order_inside_the_tree_only(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_tree(outside, {"secret.html": "SECRET", "dir/page.html": "SECRET TOO"})
    root = tmp_path / "tree"
    write_tree(
        root,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "shop/__init__.py": "",
            "shop/apps.py": "",
            "cart/__init__.py": "",
            "templates/base.html": "project base",
            "templates/shop/page.html": "project's page wins",
            "shop/templates/shop/page.html": "shadowed by DIRS",
            "shop/templates/shop/list.html": "shop list",
            "cart/templates/cart/cart.html": "cart",
        },
    )
    (root / "templates" / "latin1.html").write_bytes("caf\xe9".encode("latin-1"))
    os.symlink(outside / "secret.html", root / "templates" / "linked.html")  # a linked file
    os.symlink(outside / "dir", root / "templates" / "linked_dir")  # a linked directory
    os.symlink(outside, root / "linked")  # a DIRS entry that is a link out of the tree
    index = _read(root)
    assert {f.name: (f.app, f.text) for f in index.files} == {
        "base.html": ("", "project base"),
        "shop/page.html": ("", "project's page wins"),
        "shop/list.html": ("shop", "shop list"),
        "cart/cart.html": ("cart", "cart"),
    }
    assert index.skipped == 2  # the latin-1 file and the linked file
    assert index.unread_dirs == 1  # "/etc"
    assert all("SECRET" not in f.text for f in index.files)


def test_a_tree_without_django_settings_has_no_templates(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", {"app/__init__.py": "", "templates/x.html": "x"})
    assert _read(root) == TemplateIndex()


def _moved_b(name: str) -> str:
    return "svc.b" if name == "a.b" else ""


def test_the_settings_say_what_was_copied_what_was_not_read_and_which_processors_stay() -> None:
    engine = TemplateEngine(
        "django.template.backends.django.DjangoTemplates", True, ("a.b", "x.y"), ("loaders",)
    )
    lines = "\n".join(templates_lines([engine], _moved_b, TemplatesCopied(3, 2, 1)))
    compile(lines, "settings.py", "exec")
    assert '"svc.b",' in lines and '"x.y"' not in lines
    assert "context processor x.y not carried over" in lines
    assert "TEMPLATES option 'loaders'" in lines
    assert "3 template file(s) of the monolith copied" in lines
    assert "2 template file(s) of the monolith not read" in lines
    assert "1 TEMPLATES DIRS entry(ies)" in lines

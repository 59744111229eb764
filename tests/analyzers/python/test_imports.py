"""Import resolution and references, one edge case per test, on small trees written at test time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import analyzers
from analyzers.model import Codebase, ImportEdge
from analyzers.options import AnalysisOptions
from analyzers.python.imports import ImportScope, ModuleInfo
from analyzers.python.parsing import parse_file
from tests.builders import write_tree

OPTIONS = AnalysisOptions(history=False, cache=False)


def build(tmp_path: Path, files: dict[str, str]) -> Codebase:
    dedented = {relpath: textwrap.dedent(text) for relpath, text in files.items()}
    return analyzers.analyze(write_tree(tmp_path, dedented), OPTIONS)


def edges(codebase: Codebase) -> dict[tuple[str, str], ImportEdge]:
    return {(e.source, e.target): e for e in codebase.imports}


def test_import_dotted_is_an_edge_to_the_leaf(tmp_path: Path) -> None:
    cb = build(
        tmp_path, {"a/__init__.py": "", "a/b/__init__.py": "", "a/b/c.py": "", "m.py": "import a.b.c\n"}
    )
    assert set(edges(cb)) == {("m", "a.b.c")}
    assert any(r.target == "a.b.c" for r in cb.references) is False  # no use, no reference


def test_from_package_import_submodule_vs_attribute(tmp_path: Path) -> None:
    cb = build(
        tmp_path,
        {
            "p/__init__.py": "VERSION = 1\n",
            "p/sub.py": "",
            "m.py": "from p import sub, VERSION\n",
        },
    )
    found = edges(cb)
    assert set(found) == {("m", "p.sub"), ("m", "p")}
    assert found[("m", "p")].names == ("VERSION",)


def test_relative_imports_and_beyond_top(tmp_path: Path) -> None:
    cb = build(
        tmp_path,
        {
            "p/__init__.py": "from . import a\n",
            "p/a.py": "from .b import f\nfrom ... import nothing\n",
            "p/b.py": "def f():\n    pass\n",
        },
    )
    assert set(edges(cb)) == {("p", "p.a"), ("p.a", "p.b")}
    beyond = [d for d in cb.diagnostics if d.kind == "relative-import-beyond-top"]
    assert [(d.path, d.line) for d in beyond] == [("p/a.py", 2)]


def test_markers_type_checking_function_try_star_dynamic(tmp_path: Path) -> None:
    cb = build(
        tmp_path,
        {
            "p/__init__.py": "",
            "p/t.py": "",
            "p/f.py": "",
            "p/e.py": "",
            "p/s.py": "X = 1\n",
            "p/d.py": "",
            "p/u.py": "",
            "m.py": """
                from typing import TYPE_CHECKING
                import importlib
                if TYPE_CHECKING:
                    from p import t
                try:
                    import p.e
                except ImportError:
                    p = None
                from p.s import *

                def run():
                    import p.f
                    importlib.import_module("p.d")
                    return __import__("p.u")
            """,
        },
    )
    found = edges(cb)
    assert found[("m", "p.t")].markers == {"type_checking"}
    assert found[("m", "p.e")].markers == {"try_except"}
    assert found[("m", "p.s")].markers == {"star"}
    assert found[("m", "p.f")].markers == {"function"}
    assert found[("m", "p.d")].markers == {"function", "dynamic"}
    assert found[("m", "p.u")].markers == {"function", "dynamic"}


def test_externals_are_not_nodes(tmp_path: Path) -> None:
    cb = build(tmp_path, {"m.py": "import os, json\nimport flask\nfrom __future__ import annotations\n"})
    assert cb.imports == ()
    assert {(e.name, e.stdlib) for e in cb.externals} == {("os", True), ("json", True), ("flask", False)}


def test_reference_through_module_binding(tmp_path: Path) -> None:
    cb = build(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/service.py": "def place_order(x):\n    return x\n",
            "shop/web.py": """
                from shop.orders import service

                def checkout():
                    return service.place_order(1)
            """,
        },
    )
    refs = [r for r in cb.references if r.source == "shop.web"]
    assert [(r.target, r.symbol, r.kind, r.caller, r.line) for r in refs] == [
        ("shop.orders.service", "place_order", "call", "checkout", 5)
    ]


def test_reexport_followed_to_defining_module(tmp_path: Path) -> None:
    cb = build(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "from shop.orders.service import place_order\n",
            "shop/orders/service.py": "def place_order(x):\n    return x\n",
            "shop/api.py": """
                from shop.orders import place_order
                import shop.orders

                class Api:
                    def go(self):
                        place_order(1)
                        shop.orders.place_order(2)
            """,
        },
    )
    # the import edge is what Python imports (the package); the reference reaches the definition
    assert ("shop.api", "shop.orders") in edges(cb)
    refs = {(r.target, r.symbol, r.kind, r.caller, r.line) for r in cb.references if r.source == "shop.api"}
    assert refs == {
        ("shop.orders.service", "place_order", "call", "Api", 7),
        ("shop.orders.service", "place_order", "call", "Api", 8),
    }


def test_reference_kinds_base_decorator_annotation(tmp_path: Path) -> None:
    cb = build(
        tmp_path,
        {
            "lib/__init__.py": "",
            "lib/core.py": "class Base: pass\ndef deco(f): return f\nclass Model:\n    objects = None\n",
            "app.py": """
                from lib import core
                from lib.core import Base, deco

                @deco
                class Thing(Base):
                    def get(self) -> core.Model:
                        return core.Model.objects
            """,
        },
    )
    kinds = {(r.symbol, r.kind) for r in cb.references if r.source == "app"}
    assert kinds == {("deco", "decorator"), ("Base", "base"), ("Model", "annotation"), ("Model", "attribute")}


def test_scope_resolve_name_for_framework_extractors() -> None:
    sources = {
        "shop.app": "from shop.orders import views\nfrom flask import Flask\napp = Flask(__name__)\n",
        "shop.orders": "",
        "shop.orders.views": "bp = object()\n",
    }
    facts = {m: parse_file(t.encode(), m, m.replace(".", "/") + ".py") for m, t in sources.items()}
    infos = {m: ModuleInfo(m.replace(".", "/") + ".py", m == "shop.orders") for m in sources}
    scope = ImportScope(infos, facts)
    assert scope.resolve_name("shop.app", "views.bp") == ("shop.orders.views", "bp")
    assert scope.resolve_name("shop.app", "views") == ("shop.orders.views", "")
    assert scope.resolve_name("shop.app", "app") == ("shop.app", "app")
    assert scope.resolve_name("shop.app", "Flask") is None
    assert scope.resolve_module("shop.orders.views") == "shop.orders.views"
    assert scope.resolve_module("flask") is None


def test_a_namespace_directory_named_like_a_package_does_not_capture_its_imports(tmp_path: Path) -> None:
    """mealie: `alembic/` (migration scripts, no `__init__.py`) beside the app. The interpreter
    prefers the installed `alembic` package, so `from alembic import op` is third party; what the
    directory holds is still its own."""
    cb = build(
        tmp_path,
        {
            "alembic/env.py": "from alembic import context\nfrom alembic import helpers\n",
            "alembic/helpers.py": "",
            "app/__init__.py": "",
            "app/db.py": "import alembic.op\nfrom zope import interface\n",
            "zope/sub/thing.py": "",  # one part of a namespace package split over distributions
        },
    )
    external = {(x.source, x.name, x.stdlib) for x in cb.externals}
    assert ("alembic.env", "alembic", False) in external  # context: the installed package's
    assert ("app.db", "alembic", False) in external  # alembic.op: not in the directory either
    assert ("app.db", "zope", False) in external
    assert ("alembic.env", "alembic.helpers") in edges(cb)
    assert cb.diagnostics == ()

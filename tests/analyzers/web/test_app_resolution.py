"""Flask and FastAPI routes resolved across files: prefixes read, computed or unknown."""

from __future__ import annotations

import ast

from analyzers.frameworks.joining import scan_file
from analyzers.model import UNKNOWN_PREFIX, Diagnostic, Route
from analyzers.web.app_resolution import resolve_app_routes
from tests.analyzers.python.test_scope import FakeScope


def resolved(sources: dict[str, str]) -> tuple[tuple[Route, ...], tuple[Diagnostic, ...]]:
    """The routes and diagnostics of in-memory modules (module -> source)."""
    paths = {m: m.replace(".", "/") + ".py" for m in sources}
    facts = {m: scan_file(ast.parse(s), m, paths[m]).apps for m, s in sources.items()}
    return resolve_app_routes(facts, FakeScope(sources, frozenset()), paths)


SETTINGS = 'class Settings:\n    API_V1_STR: str = "/api/v1"\nsettings = Settings()\n'
MAIN = """
from fastapi import FastAPI, APIRouter
from app.config import settings

app = FastAPI()
router = APIRouter()

@router.get("/items")
def items(): ...

@router.get(PREFIX + "/tail")
def tail(): ...

app.include_router(router, prefix=settings.API_V1_STR)
"""


def test_a_settings_default_prefix_is_read_and_said() -> None:
    routes, diagnostics = resolved({"app.config": SETTINGS, "app.main": MAIN})
    assert {r.path for r in routes} == {"/api/v1/items", f"/api/v1{UNKNOWN_PREFIX}/tail"}
    tail = next(r for r in routes if r.handler == "app.main.tail")
    assert tail.unknown_prefix == "PREFIX"
    kinds = {(d.kind, d.message.split(":")[0]) for d in diagnostics}
    assert ("computed-route", "prefix settings.API_V1_STR of router taken as its default '/api/v1'") in kinds


def test_an_owner_the_code_does_not_show_is_an_unknown_prefix() -> None:
    source = "from flask import Flask\n\n@blueprint.route('/x')\ndef x(): ...\n"
    routes, diagnostics = resolved({"app.views": source})
    (route,) = routes
    assert route.path == f"{UNKNOWN_PREFIX}/x" and route.unknown_prefix.startswith("blueprint, which")
    (diagnostic,) = diagnostics
    assert diagnostic.kind == "unresolved-route" and diagnostic.path == "app/views.py"


def test_a_path_computed_at_run_time_is_not_listed() -> None:
    source = "from flask import Flask\napp = Flask(__name__)\n\n@app.route(f'/{a}/{b}')\ndef x(): ...\n"
    routes, diagnostics = resolved({"app.main": source})
    assert routes == ()
    assert [d.kind for d in diagnostics] == ["computed-route"]

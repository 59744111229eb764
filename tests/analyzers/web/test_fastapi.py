"""FastAPI routes (APIRouter prefixes composed with include_router) and SQLAlchemy Core tables."""

from __future__ import annotations

from pathlib import Path

import pytest

import analyzers
from analyzers.frameworks.joining import FrameworkResult
from analyzers.model import Table
from analyzers.options import AnalysisOptions
from tests.analyzers.python.test_scope import framework_result
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_fastapi_app"


@pytest.fixture(scope="module")
def result() -> FrameworkResult:
    return framework_result(ROOT)[0]


def test_router_prefixes_compose_across_modules(result: FrameworkResult) -> None:
    routes = {(r.methods, r.path, r.handler, r.name) for r in result.routes}
    assert routes == {
        (("GET",), "/ping", "api.main.ping", "ping"),
        (("GET",), "/admin/stats", "api.admin.stats", "stats"),  # app.mount("/admin", app=admin)
        (("GET",), "/users/", "api.routers.users.list_users", "list_users"),
        (("GET",), "/users/{user_id}", "api.routers.users.get_user", "user-detail"),
        (("PATCH", "PUT"), "/users/{user_id}", "api.routers.users.replace_user", "replace_user"),
        (("POST",), "/users/export", "api.routers.users.export", "export"),
        # include_router(prefix="/v1") of a router re-exported by api.routers, itself prefixed
        (("POST",), "/v1/orders/", "api.routers.orders.create_order", "create_order"),
        (("GET",), "/v1/orders/items/{item_id}", "api.routers.orders.get_item", "get_item"),
    }
    assert {r.framework for r in result.routes} == {"fastapi"}


def test_core_tables_and_their_accesses(result: FrameworkResult) -> None:
    assert result.tables == (Table("orders", "api.tables", "", 6), Table("users", "api.tables", "", 5))
    accesses = {(a.table, a.mode, a.line, a.via) for a in result.accesses}
    assert accesses == {
        ("users", "read", 11, "orm"),  # select(tables.users)
        ("users", "write", 16, "orm"),  # tables.users.update()
        ("orders", "write", 17, "orm"),  # insert(orders)
        ("orders", "write", 18, "sql"),  # lower-case "update orders set"
    }


def test_driver_gives_the_same_routes(result: FrameworkResult) -> None:
    import analyzers

    if not hasattr(analyzers, "analyze"):
        pytest.skip("analyzers.analyze is not there yet")
    from analyzers.options import AnalysisOptions

    codebase = analyzers.analyze(ROOT, AnalysisOptions(cache=False, history=False))
    assert codebase.routes == result.routes
    assert codebase.accesses == result.accesses


def test_one_router_included_twice_with_and_without_a_prefix(tmp_path: Path) -> None:
    # polar: `router.include_router(inner, prefix="/custom")` then `router.include_router(inner)`
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "main.py").write_text(
        "from fastapi import APIRouter, FastAPI\n"
        "inner = APIRouter()\n"
        "@inner.get('/checkout')\n"
        "def checkout():\n"
        "    return {}\n"
        "router = APIRouter(prefix='/v1')\n"
        "router.include_router(inner, prefix='/custom')\n"
        "router.include_router(inner)\n"
        "app = FastAPI()\n"
        "app.include_router(router)\n"
    )
    codebase = analyzers.analyze(tmp_path, AnalysisOptions(history=False, cache=False))
    assert not [d for d in codebase.diagnostics if d.kind == "framework-scan"]
    assert {r.path for r in codebase.routes} == {"/v1/checkout", "/v1/custom/checkout"}

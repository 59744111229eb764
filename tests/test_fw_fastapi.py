"""FastAPI routes (APIRouter prefixes composed with include_router) and SQLAlchemy Core tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers.frameworks import FrameworkResult
from analyzers.model import Table
from tests.test_fw_scope import framework_result

ROOT = Path(__file__).parent / "fixtures" / "fw_fastapi_app"


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

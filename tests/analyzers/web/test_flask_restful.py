"""Flask-RESTful and Flask-RESTX: resources added to APIs and namespaces, their methods from the
verbs the classes define (inherited ones too), routes added through a helper function, and routes
whose path or prefix is computed."""

from __future__ import annotations

import pytest

from analyzers.frameworks.joining import FrameworkResult
from tests.analyzers.python.test_scope import framework_result
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_restful_app"


@pytest.fixture(scope="module")
def result() -> FrameworkResult:
    return framework_result(ROOT)[0]


def test_resources_are_routes_with_the_verbs_their_classes_define(result: FrameworkResult) -> None:
    routes = {(r.methods, r.path, r.handler, r.name) for r in result.routes}
    assert routes == {
        # Api(blueprint, prefix=...) under the blueprint's url_prefix; default endpoint: class, lower
        (("GET", "POST"), "/api/v1/todos", "todo.resources.TodoList", "api.todolist"),
        # get inherited from a base class of the codebase; endpoint given
        (("DELETE", "GET", "PUT"), "/api/v1/todos/<int:todo_id>", "todo.resources.Todo", "api.todo_item"),
        # a wrapper named add_<...>resource, called like add_resource
        (("GET",), "/api/v1/tags", "todo.resources.Tag", "api.tag"),
        # Flask-RESTX: @ns.route on a class; Namespace(path=...) and add_namespace(ns, path),
        # on an Api imported under another name and created inside the factory
        (("GET",), "/rx/felines/<cat_id>", "todo.Cat", "Cat"),
        (("GET", "POST"), "/rx/canines/", "todo.DogList", "DogList"),
        # a MethodView answers the verbs it defines
        (("GET", "POST"), "/items", "todo.ItemView", "items"),
        # a path through a helper call: listed as written, with a diagnostic below
        (("GET",), "/health", "todo.create_app.health", "health"),
        # a blueprint registered with a computed url_prefix: listed without it, diagnostic below
        (("GET",), "/stats", "todo.stats", "admin.stats"),
        # a path given as a module constant (PATH = "/computed") is that constant
        (("GET",), "/computed", "todo.create_app.computed", "computed"),
        # a prefix given as a settings object's class default: taken, with a diagnostic below
        (("GET",), "/reports/daily", "todo.daily", "reports.daily"),
        # a helper adding routes from its parameters (flaskbb's register_view), followed per call
        (("GET",), "/reports/boards", "todo.Boards", "reports.boards"),
        (("GET",), "/reports/boards/<int:page>", "todo.Boards", "reports.boards"),
    }
    assert {r.framework for r in result.routes} == {"flask"}
    todo = next(r for r in result.routes if r.handler == "todo.resources.Todo")
    assert (todo.module, todo.line) == ("todo.resources", 17)  # where the class is, not the call


def test_computed_paths_are_diagnostics(result: FrameworkResult) -> None:
    found = {(d.line, d.message.split(":")[0]) for d in result.diagnostics}
    assert {d.kind for d in result.diagnostics} == {"computed-route"}
    assert {d.path for d in result.diagnostics} == {"todo/__init__.py"}
    assert found == {
        (60, "route /health of create_app.health passes through prefixed(...)"),
        (82, "prefix config.ADMIN_PREFIX of admin_bp is computed at run time"),
        (98, "route of weekly has a path computed at run time"),
        (104, "prefix settings.REPORTS_PREFIX of reports_bp taken as its default '/reports'"),
    }

"""Apps, blueprints and routers, and the routes and mounts declared on them, per call shape."""

from __future__ import annotations

import ast

from analyzers.web.app_facts import LITERAL, Mount, RouteDecl, RouteOwner, RuleSource
from analyzers.web.apps import api_parent, owner_candidate, owner_of, route_of_call, route_of_decorator


def call(text: str) -> ast.Call:
    node = ast.parse(text, mode="eval").body
    assert isinstance(node, ast.Call)
    return node


def test_owners_of_both_frameworks() -> None:
    assert owner_of(call('Blueprint("shop", __name__, url_prefix="/shop")'), "", "bp") == RouteOwner(
        "", "bp", "blueprint", "/shop", 1, "shop"
    )
    assert owner_of(call("APIRouter(prefix=settings.API)"), "f", "r") == RouteOwner(
        "f", "r", "router", "", 1, computed="settings.API"
    )
    assert owner_of(call('api.namespace("cats")'), "", "ns") == RouteOwner("", "ns", "namespace", "/cats", 1)
    assert owner_of(call("RestxApi(app)"), "", "api", {"RestxApi": "flask_restx.Api"}) is not None
    assert api_parent(call("Api(app)")) == "app"
    assert owner_of(call("make()"), "", "x") is None


def test_a_class_named_like_an_owner_is_a_candidate() -> None:
    found = owner_candidate(call('UserAPIRouter(prefix="/groups")'), "", "router")
    assert found == RouteOwner("", "router", "router", "/groups", 1, cls="UserAPIRouter")
    assert owner_candidate(call("APIRouter()"), "", "router") is None  # the framework's own


def test_decorators() -> None:
    found = route_of_decorator(call('bp.route("/x", methods=["POST"], endpoint="ex")'), "", "view")
    assert found == RouteDecl("", "bp", "/x", ("POST",), "view", True, 1, "ex", False, LITERAL)
    assert route_of_decorator(call('ns.get("/x")'), "", "Cls", on_class=True) is None  # only route()
    named = route_of_decorator(call("router.get(PREFIX)"), "", "view")
    assert named is not None and named.source == RuleSource("name", "PREFIX")


def test_calls_go_to_the_framework_that_declares_them() -> None:
    rule = route_of_call(call('bp.add_url_rule("/e", view_func=Edit.as_view("edit"))'), "")
    assert rule == RouteDecl("", "bp", "/e", (), "Edit", False, 1, "edit", True)
    api = route_of_call(call('router.add_api_route("/p", handler, methods=["PUT"], name="p")'), "")
    assert api == RouteDecl("", "router", "/p", ("PUT",), "handler", False, 1, "p", False)
    assert route_of_call(call('app.register_blueprint(bp, url_prefix="/b")'), "") == Mount(
        "", "app", "bp", "/b", 1
    )
    assert route_of_call(call("app.include_router(r)"), "") == Mount("", "app", "r", None, 1, False)
    assert route_of_call(call('app.mount("/v1", app=api)'), "") == Mount("", "app", "api", "/v1", 1, False)
    assert route_of_call(call("api.add_namespace(ns)"), "") == Mount("", "api", "ns", None, 1)
    assert route_of_call(call("api.init_app(app)"), "") == Mount("", "app", "api", None, 1, False)
    resources = route_of_call(call('api.add_resource(Item, "/a", "/b")'), "")
    assert isinstance(resources, list) and [r.rule for r in resources] == ["/a", "/b"]
    assert route_of_call(call("app.run()"), "") is None

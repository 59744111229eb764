"""Routes added through a helper function whose parameters give the paths, owner and view."""

from __future__ import annotations

import ast

from analyzers.web.app_facts import HelperArgument, HelperCall
from analyzers.web.route_helpers import helper_call
from tests.analyzers.web.test_app_resolution import resolved

HELPERS = """
from flask import Blueprint
from forum.views import ForumView

forum = Blueprint("forum", __name__, url_prefix="/forum")

def register_view(bp_or_app, routes, view_func):
    for route in routes:
        bp_or_app.add_url_rule(route, view_func=view_func)

register_view(forum, routes=["/a", "/b"], view_func=ForumView.as_view("topics"))
"""


def test_a_call_with_literal_paths_records_its_arguments_by_kind() -> None:
    call = ast.parse('register_view(bp, ["/a", "/b"], view_func=V.as_view("v"), x=1)', mode="eval").body
    assert isinstance(call, ast.Call)
    assert helper_call(call, "") == HelperCall(
        "",
        "register_view",
        1,
        (
            HelperArgument(0, "", "name", ("bp",)),
            HelperArgument(1, "", "paths", ("/a", "/b")),
            HelperArgument(None, "view_func", "view", ("V", "v")),
        ),
    )
    no_path = ast.parse("register_view(bp)", mode="eval").body
    assert isinstance(no_path, ast.Call) and helper_call(no_path, "") is None


def test_each_call_of_the_helper_declares_its_routes() -> None:
    routes, _ = resolved({"forum.app": HELPERS, "forum.views": "class ForumView: pass\n"})
    assert {(r.path, r.handler, r.name) for r in routes} == {
        ("/forum/a", "forum.views.ForumView", "forum.topics"),
        ("/forum/b", "forum.views.ForumView", "forum.topics"),
    }

"""Which owner an expression is: the owners the code creates, parameters bound at every call."""

from __future__ import annotations

from analyzers.web.owner_targets import ROOT, OwnerKey, Target, UnknownOwner, app_like, target_order
from tests.analyzers.web.test_app_resolution import resolved


def test_the_site_root_then_unknown_owners_then_modules() -> None:
    found: list[Target] = [
        OwnerKey("b", "", "x"),
        UnknownOwner("z"),
        OwnerKey("a", "f", "y"),
        ROOT,
        UnknownOwner("c"),
    ]
    assert sorted(found, key=target_order) == [ROOT, UnknownOwner("c"), UnknownOwner("z"), found[2], found[0]]


def test_the_application_by_its_name() -> None:
    assert app_like("app") and app_like("current_app") and app_like("self.flask_app")
    assert not app_like("blueprint")


def test_a_parameter_no_call_binds_is_an_unknown_owner() -> None:
    source = "from flask import Blueprint\n\ndef register(bp):\n    bp.add_url_rule('/x', view_func=view)\n"
    routes, diagnostics = resolved({"app.rules": source})
    (route,) = routes
    assert route.unknown_prefix == "bp, a parameter of register() no call of the code binds"
    assert [d.kind for d in diagnostics] == ["unresolved-route"]

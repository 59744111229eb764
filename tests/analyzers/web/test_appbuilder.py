"""Flask-AppBuilder class attributes: literal strings, none, or an expression computed at run time."""

from __future__ import annotations

import ast

from analyzers.web.appbuilder import ClassAttribute, expose_class

SOURCE = """
class ItemApi(ModelRestApi):
    route_base = "/items"
    include_route_methods = ["get", "get_list"]
    resource_name = settings.NAME
    version = None

    @expose("/<pk>/export")
    def export(self): ...
"""


def test_attributes_are_typed_values() -> None:
    node = ast.parse(SOURCE).body[0]
    assert isinstance(node, ast.ClassDef)
    found = expose_class(node, "appbuilder")
    assert found is not None
    assert found.attributes == (
        ClassAttribute("include_route_methods", ("get", "get_list")),
        ClassAttribute("resource_name", computed="settings.NAME"),
        ClassAttribute("route_base", ("/items",)),
        ClassAttribute("version"),
    )
    route_base, methods = found.attributes[2], found.attributes[0]
    assert route_base.text == "/items" and route_base.given
    assert methods.given and not found.attributes[1].given and not found.attributes[3].given

"""Django REST framework routers of the monolith's root urlconf, as a service carries them.

A root urlconf often builds one router for every app (`router = routers.DefaultRouter()`, then
`router.register(r"gallery", gallery_views.GalleryImageViewSet, basename="gallery")` per viewset)
and mounts it (`path("api/v2/", include(router.urls))`): wger, paperless-ngx and DefectDojo do. A
service keeps the registrations whose viewsets moved into it, on a router of the same class built
anew from a fixed list (`DefaultRouter`, `SimpleRouter`) with the monolith's literal keyword
arguments, and the patterns mounting that router (django_project keeps those like any other root
pattern); a comment counts the registrations left to other services.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from strangler.skeleton.escaping import identifier
from strangler.skeleton.source_text import is_literal

#: DRF router classes a service builds anew (`rest_framework.routers`).
ROUTER_CLASSES = frozenset({"DefaultRouter", "SimpleRouter"})


@dataclass(frozen=True, slots=True)
class RootRouter:
    """A router the root urlconf builds at the top level, and its `register` calls in file order."""

    name: str
    cls: str
    keywords: tuple[tuple[str, str], ...]  # literal keyword arguments, written back
    registrations: tuple[ast.Call, ...]


def root_routers(tree: ast.Module) -> dict[str, RootRouter]:
    """The module's top-level `X = [routers.]DefaultRouter(...)` with the `X.register(...)` calls
    made at the top level; a router built with other than literal keyword arguments is none."""
    built: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
    calls: dict[str, list[ast.Call]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            made = _router_class(node.value)
            if made is not None:
                built[node.targets[0].id] = made
        elif isinstance(node, ast.Expr) and (found := _registration(node.value)) is not None:
            calls.setdefault(found[0], []).append(found[1])
    return {name: RootRouter(name, cls, kw, tuple(calls.get(name, ()))) for name, (cls, kw) in built.items()}


def _router_class(value: ast.expr) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    if not (isinstance(value, ast.Call) and not value.args):
        return None
    func = value.func
    cls = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if cls not in ROUTER_CLASSES:
        return None
    keywords = []
    for keyword in value.keywords:
        if keyword.arg is None or not is_literal(keyword.value):
            return None
        keywords.append((keyword.arg, ast.unparse(keyword.value)))
    return cls, tuple(keywords)


def _registration(value: ast.expr) -> tuple[str, ast.Call] | None:
    """(router name, the call) of a `name.register(...)` call, else None."""
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "register"
        and isinstance(value.func.value, ast.Name)
    ):
        return value.func.value.id, value
    return None


def router_lines(
    routers: Iterable[RootRouter], kept: dict[str, list[str]], left: dict[str, int]
) -> list[str]:
    """The service's routers: each built anew, with the registrations `kept` (text, in the service's
    names), and a note of how many of the monolith's it `left`."""
    lines: list[str] = []
    used = [r for r in routers if kept.get(r.name)]
    if not used:
        return []
    classes = sorted({r.cls for r in used})
    lines.append(f"from rest_framework.routers import {', '.join(classes)}")
    lines.append("")
    for router in used:
        name = identifier(router.name, "router")
        arguments = ", ".join(f"{identifier(k, 'keyword')}={v}" for k, v in router.keywords)
        lines.append(f"{name} = {router.cls}({arguments})")
        lines += kept[router.name]
        if left.get(router.name):
            lines.append(
                f"# strangler: {left[router.name]} registration(s) of the monolith's {name} serve other"
                " services' viewsets: left out"
            )
    return [*lines, ""]

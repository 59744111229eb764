"""Django's dotted strings as import edges: `"app.Model"`, settings paths, `include("x.urls")`.

Django wires a project together with strings the import system never sees: a ForeignKey to
`"orders.Order"`, `apps.get_model("orders", "Order")`, `INSTALLED_APPS`, `MIDDLEWARE`,
`ROOT_URLCONF`, `include("shop.orders.urls")`. Each one that names a module of the codebase (or a
model of one of its apps) becomes an import edge marked "string".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

from analyzers.data.models import ClassKey, ModelInfo, app_label
from analyzers.model import IMPORT_STRING, ImportEdge
from analyzers.python.scope import Scope

StringKind = Literal["model", "module", "setting"]
_MARKERS = frozenset({IMPORT_STRING})


class DottedString(NamedTuple):
    """A string that names a model ("app.Model"), a module ("x.urls") or anything (settings)."""

    value: str
    line: int
    kind: StringKind


def resolve_strings(
    files: Mapping[str, tuple[DottedString, ...]],
    scope: Scope,
    models: Mapping[ClassKey, ModelInfo],
) -> tuple[ImportEdge, ...]:
    """An import edge from each file to every codebase module its dotted strings name (a
    `get_model` whose model the data analyzer did not index is resolved by app label in
    analyzers.frameworks.django_loading)."""
    by_label: dict[tuple[str, str], str] = {}
    for (module, name), info in sorted(models.items()):
        if info.django:
            by_label.setdefault((info.app_label.lower(), name.lower()), module)
    edges: set[ImportEdge] = set()
    for source, strings in files.items():
        for found in strings:
            target = _target(source, found, scope, by_label)
            if target is not None and target != source:
                edges.add(ImportEdge(source, target, found.line, _MARKERS))
    return tuple(sorted(edges))


def _target(
    source: str, found: DottedString, scope: Scope, by_label: Mapping[tuple[str, str], str]
) -> str | None:
    value = found.value.strip()
    if found.kind == "model":
        label, dot, name = value.rpartition(".")
        if not dot:
            label = app_label(source)
        return by_label.get((label.lower(), name.lower()))
    if not value or " " in value:
        return None
    head, dot, attribute = value.rpartition(".")
    if found.kind == "setting" and value.count(".") == 1:  # AUTH_USER_MODEL = "accounts.User"
        model = by_label.get((head.lower(), attribute.lower()))
        if model is not None:
            return model
    module = scope.resolve_module(value)
    if module is not None or found.kind == "module":
        return module
    if not dot:
        return None
    owner = scope.resolve_module(head)
    if owner is None:
        return None
    defined = scope.resolve_name(owner, attribute)
    return defined[0] if defined is not None else owner

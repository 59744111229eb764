"""Constants a Django settings module imports from the monolith's code, carried by value.

wger's settings read `from wger.utils.constants import DOWNLOAD_INGREDIENT_WGER` inside
`WGER_SETTINGS`; the service's settings cannot import the monolith's module, so a setting using the
name would be left out. An upper-case name imported (`from x import NAME`, relative imports too)
from a module of the tree that assigns it a literal at the top level is defined in the service's
settings by that literal, written back with `ast.unparse` from the parsed tree.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from strangler.skeleton.source_text import is_literal, parsed

#: (bound name, literal as written back, module it comes from)
Constant = tuple[str, str, str]


def imported_constants(module: str, source: str, sources: Mapping[str, str]) -> tuple[Constant, ...]:
    """The constants settings module `module` imports from modules of `sources`, sorted by name."""
    tree = parsed(source)
    if tree is None:
        return ()
    found: dict[str, Constant] = {}
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        origin = _absolute(module, node)
        if origin not in sources:
            continue
        values = _literals(sources[origin])
        for alias in node.names:
            bound = alias.asname or alias.name
            if bound.isupper() and alias.name in values:
                found[bound] = (bound, values[alias.name], origin)
    return tuple(found[n] for n in sorted(found))


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The module a `from ... import` names, relative levels resolved from `module`."""
    if node.level == 0:
        return node.module or ""
    parts = module.split(".")[: -node.level]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _literals(source: str) -> dict[str, str]:
    """Upper-case names a module assigns a literal at the top level (the last such value)."""
    tree = parsed(source)
    if tree is None:
        return {}
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.isupper() and is_literal(node.value):
                found[name] = ast.unparse(node.value)
    return found

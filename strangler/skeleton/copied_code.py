"""Self-contained top-level definitions of the monolith that generated files carry with them (a
settings module's helper functions, a urlconf's converter classes): which names a definition reads
that it does not bind itself, and the import lines of its module that bind them.

A definition is self-contained when every name it reads is its own (parameters, locals, names its
body binds), a builtin, or bound by a top-level import of the standard library or Django. What is
carried is written back with `ast.unparse` from the parsed tree, never as the tree's text.
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Iterable, Iterator

#: Top-level packages a carried definition may import besides the standard library.
CARRIED_PACKAGES = frozenset({"django"})
BUILTIN_NAMES = frozenset(dir(builtins))

Definition = ast.FunctionDef | ast.ClassDef


def free_names(definition: Definition) -> set[str]:
    """Names `definition` reads that it does not bind itself, builtins aside (annotations aside
    too: the generated files postpone them with `from __future__ import annotations`)."""
    local: set[str] = set()
    loads: set[str] = set()
    for node in _walk_without_annotations(_parts(definition)):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else local).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            local.add(node.name)
        elif isinstance(node, ast.alias):
            local.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            local.add(node.name)
        elif isinstance(node, ast.arg):
            local.add(node.arg)
    return loads - local - BUILTIN_NAMES


def _parts(definition: Definition) -> list[ast.AST]:
    """What a definition's own body is made of (its name aside)."""
    if isinstance(definition, ast.ClassDef):
        return [*definition.bases, *definition.keywords, *definition.body, *definition.decorator_list]
    return [definition.args, *definition.body, *definition.decorator_list]


def _walk_without_annotations(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        for field, value in ast.iter_fields(node):
            if field in ("annotation", "returns"):
                continue
            children = value if isinstance(value, list) else [value]
            stack.extend(c for c in children if isinstance(c, ast.AST))


def import_lines(tree: ast.Module) -> dict[str, str]:
    """Name -> the import line binding it, for the module's top-level imports of the standard
    library or CARRIED_PACKAGES (each line written back from a one-name import node)."""
    bound: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _carried_module(alias.name):
                    name = alias.asname or alias.name.split(".")[0]
                    bound[name] = ast.unparse(ast.Import(names=[ast.alias(alias.name, alias.asname)]))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _carried_module(node.module or ""):
            for alias in node.names:
                if alias.name != "*":
                    one = ast.ImportFrom(
                        module=node.module, names=[ast.alias(alias.name, alias.asname)], level=0
                    )
                    bound[alias.asname or alias.name] = ast.unparse(one)
    return bound


def _carried_module(module: str) -> bool:
    top = module.split(".")[0]
    return bool(top) and (top in sys.stdlib_module_names or top in CARRIED_PACKAGES) and top != "__future__"


def import_order(line: str) -> tuple[bool, str]:
    """`import x` lines first, then `from x import y`, each alphabetical."""
    return line.startswith("from "), line

"""Helper functions of a Django settings module that the settings a service copies call
(healthchecks' `DEBUG = envbool("DEBUG", "False")`, `TELEGRAM_TOKEN = envsecret("TELEGRAM_TOKEN")`):
code of the monolith that moves with those settings.

A setting whose value calls a top-level function of the settings module, every argument one a
service may copy (settings_expression), is copied with that function: its definitions (an
`@overload` stack included) written back with `ast.unparse`, with the import statements that bind
the names it reads. A function is taken only when every name it reads is its own (parameters,
locals), a builtin, another such function, or bound by an import of the standard library or Django:
nothing else of the monolith, no third-party package, no module-level value. Otherwise the setting
stays computed (named in the settings' comment).
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from strangler.skeleton.settings_expression import copyable

#: Top-level packages whose imports a copied helper may use besides the standard library.
HELPER_PACKAGES = frozenset({"django"})
_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True, slots=True)
class Helper:
    """A copyable function of the settings module: its definitions written back, the import lines
    it needs, and the other helpers it calls."""

    name: str
    code: str
    imports: tuple[str, ...]
    calls: tuple[str, ...]


def settings_helpers(tree: ast.Module) -> dict[str, Helper]:
    """The settings module's top-level functions a service may copy, by name."""
    defined: dict[str, list[ast.FunctionDef]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            defined.setdefault(node.name, []).append(node)
    bound = _imported_names(tree)
    found: dict[str, Helper] = {}
    for name, definitions in defined.items():
        free = set().union(*(_free_names(d) for d in definitions)) - _BUILTINS
        calls = tuple(sorted(free & set(defined) - {name}))
        rest = free - set(defined)
        if all(n in bound for n in rest):
            imports = tuple(sorted(bound[n] for n in rest))
            code = "\n\n\n".join(ast.unparse(d) for d in definitions)
            found[name] = Helper(name, code, imports, calls)
    return _closed(found)


def _closed(found: dict[str, Helper]) -> dict[str, Helper]:
    """The helpers all of whose called helpers are helpers too (to a fixpoint)."""
    while True:
        kept = {n: h for n, h in found.items() if all(c in found for c in h.calls)}
        if len(kept) == len(found):
            return kept
        found = kept


def helper_call(node: ast.expr, known: Set[str], helpers: Mapping[str, Helper]) -> tuple[str, str] | None:
    """`node` written back, and the helper it calls, when it calls a helper with arguments a
    service may copy; else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers):
        return None
    values = [*node.args, *(k.value for k in node.keywords)]
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        return None
    if not all(copyable(v, known) for v in values):
        return None
    return ast.unparse(node), node.func.id


def helpers_code(names: Iterable[str], helpers: Mapping[str, Helper]) -> str:
    """The import lines and definitions of the helpers `names` and of those they call, in name order."""
    needed: set[str] = set()
    queue = sorted(set(names))
    while queue:
        name = queue.pop()
        if name in needed or name not in helpers:
            continue
        needed.add(name)
        queue.extend(helpers[name].calls)
    if not needed:
        return ""
    imports = sorted({line for n in needed for line in helpers[n].imports}, key=_import_order)
    bodies = [helpers[n].code for n in sorted(needed)]
    return "\n".join(imports) + ("\n\n\n" if imports else "") + "\n\n\n".join(bodies) + "\n"


def _import_order(line: str) -> tuple[bool, str]:
    """`import x` lines first, then `from x import y`, each alphabetical."""
    return line.startswith("from "), line


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Name -> the import line binding it, for the module's top-level imports of the standard
    library or HELPER_PACKAGES (each line written back from a one-name import node)."""
    bound: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _allowed_module(alias.name):
                    name = alias.asname or alias.name.split(".")[0]
                    bound[name] = ast.unparse(ast.Import(names=[ast.alias(alias.name, alias.asname)]))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _allowed_module(node.module or ""):
            for alias in node.names:
                if alias.name != "*":
                    statement = ast.ImportFrom(
                        module=node.module, names=[ast.alias(alias.name, alias.asname)], level=0
                    )
                    bound[alias.asname or alias.name] = ast.unparse(statement)
    return bound


def _allowed_module(module: str) -> bool:
    top = module.split(".")[0]
    return bool(top) and (top in sys.stdlib_module_names or top in HELPER_PACKAGES) and top != "__future__"


def _free_names(function: ast.FunctionDef) -> set[str]:
    """Names `function` reads that it does not bind itself (annotations aside: the service's
    settings postpone them)."""
    local = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
    local |= {a.arg for a in (function.args.vararg, function.args.kwarg) if a is not None}
    loads: set[str] = set()
    for node in _walk_without_annotations([*function.body, *function.decorator_list, *_defaults(function)]):
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
    return loads - local


def _defaults(function: ast.FunctionDef) -> list[ast.expr]:
    return [*function.args.defaults, *(d for d in function.args.kw_defaults if d is not None)]


def _walk_without_annotations(nodes: Iterable[ast.AST]) -> Iterable[ast.AST]:
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        for field, value in ast.iter_fields(node):
            if field in ("annotation", "returns"):
                continue
            children = value if isinstance(value, list) else [value]
            stack.extend(c for c in children if isinstance(c, ast.AST))

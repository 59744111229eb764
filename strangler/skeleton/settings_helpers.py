"""Helper functions of a Django settings module that the settings a service copies call
(healthchecks' `DEBUG = envbool("DEBUG", "False")`, `TELEGRAM_TOKEN = envsecret("TELEGRAM_TOKEN")`):
code of the monolith that moves with those settings.

A setting whose value calls a top-level function of the settings module, every argument one a
service may copy (settings_expression), is copied with that function: its definitions (an
`@overload` stack included) written back with `ast.unparse`, with the import statements that bind
the names it reads. A function is taken only when every name it reads is its own (parameters,
locals), a builtin, another such function, or bound by an import of the standard library or Django
(copied_code): nothing else of the monolith, no third-party package, no module-level value.
Otherwise the setting stays computed (named in the settings' comment).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from strangler.skeleton.copied_code import free_names, import_lines, import_order
from strangler.skeleton.settings_expression import copyable


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
    bound = import_lines(tree)
    found: dict[str, Helper] = {}
    for name, definitions in defined.items():
        free = set().union(*(free_names(d) for d in definitions))
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
    imports = sorted({line for n in needed for line in helpers[n].imports}, key=import_order)
    bodies = [helpers[n].code for n in sorted(needed)]
    return "\n".join(imports) + ("\n\n\n" if imports else "") + "\n\n\n".join(bodies) + "\n"

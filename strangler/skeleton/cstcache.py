"""A module's whole libcst tree, for the rewrites that reach beyond single statements.

Most rewrites parse only the import statements (and the statements holding a string to relocate)
with libcst, each alone (`moving._relocate_units`). Some need the whole module: an app factory losing
the registrations of blueprints that stay (removed statements move their blank lines), and a module
whose plain `import a.b` of relocated code makes every use of `a.b.x` change. For those, each text is
parsed once (`prepared`, cached), and per top-level statement we keep its printed code and what could
make it change: an import inside it, strings that could name a relocated module, a
`register_blueprint` call. A rewrite then visits only the statements that can change and reuses the
printed code of the others (`module_code`): libcst trees are immutable, so the unchanged statements
of a rewritten module are the very objects of the cached tree.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

#: (module name, is package, header lines, dropped names) of one rewrite of a text
MemoKey = tuple[str, bool, tuple[str, ...], frozenset[str]]


@dataclass(frozen=True, slots=True)
class Triggers:
    """What in one top-level statement could be rewritten."""

    imports: bool = False  # an import statement anywhere inside
    strings: frozenset[str] = frozenset()  # dotted string constants inside (could name a module)
    registers: bool = False  # a `.register_blueprint` attribute inside


@dataclass(frozen=True, slots=True)
class Prepared:
    """A parsed module, the printed code of each top-level statement, and its triggers."""

    module: cst.Module
    codes: Mapping[int, str]  # id(top-level statement of `module`) -> its printed code
    triggers: tuple[Triggers, ...]  # parallel to module.body
    plain_imports: frozenset[str]  # `import a.b` without `as` anywhere: uses of a.b are rewritten
    # id(statement inside a def or class, at any depth) -> its triggers: a rewrite visits a class
    # or function only down to the statements that can change
    nested: Mapping[int, Triggers]


@functools.lru_cache(maxsize=4096)
def prepared(text: str) -> Prepared:
    """The libcst tree of `text` and what the rewrite needs to know of it (once per text and run).

    Raises libcst's ParserSyntaxError (or SyntaxError from `ast`) on unparsable text."""
    module = cst.parse_module(text)
    tree = ast.parse(text)  # (read once here: the Prepared keeps what it needs of it)
    plain: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            plain.update(a.name for a in node.names if a.asname is None)
    nested: dict[int, Triggers] = {}
    triggers = pair_statements(module.body, tree.body, nested)
    codes = {id(stmt): module.code_for_node(stmt) for stmt in module.body}
    return Prepared(module, codes, tuple(triggers), frozenset(plain), nested)


def pair_statements(
    statements: Sequence[cst.BaseStatement], nodes: Sequence[ast.stmt], nested: dict[int, Triggers]
) -> list[Triggers]:
    """Triggers of each libcst statement, paired with the `ast` statements of the same body (a
    line `a; b` is one libcst statement and two `ast` ones); bodies of defs and classes recurse."""
    found: list[Triggers] = []
    pending = iter(nodes)
    for stmt in statements:
        count = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        tops = [n for n in (next(pending, None) for _ in range(count)) if n is not None]
        found.append(_triggers(tops))
        top = tops[0] if len(tops) == 1 else None
        if (
            isinstance(stmt, (cst.FunctionDef, cst.ClassDef))
            and isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and isinstance(stmt.body, cst.IndentedBlock)
        ):
            inner = pair_statements(stmt.body.body, top.body, nested)
            nested.update((id(s), t) for s, t in zip(stmt.body.body, inner))
    return found


def _triggers(tops: Sequence[ast.stmt]) -> Triggers:
    imports = registers = False
    strings: set[str] = set()
    for top in tops:
        for node in ast.walk(top):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports = True
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if "." in node.value and len(node.value) < 256:
                    strings.add(node.value)
            elif isinstance(node, ast.Attribute) and node.attr == "register_blueprint":
                registers = True
    return Triggers(imports, frozenset(strings), registers)


def module_code(prep: Prepared, header: Sequence[cst.EmptyLine], body: Sequence[cst.BaseStatement]) -> str:
    """The code of `prep.module` with `header` and `body`, printing only the statements that are
    not the cached tree's own (byte-identical to libcst's `Module.code`)."""
    module = prep.module
    if not module.has_trailing_newline or not (header or body or module.footer):
        return module.with_changes(header=header, body=body).code
    parts = [module.code_for_node(line) for line in header]
    parts += [prep.codes.get(id(stmt)) or module.code_for_node(stmt) for stmt in body]
    parts += [module.code_for_node(line) for line in module.footer]
    return "".join(parts)

"""Where rewriting a module's imports can change its text (`RewritePoints`), read with `ast`.

A rewrite parses only the statements at these points with libcst (moving.py): the import
statements, the top-level statements holding them, and the string constants that may name a module.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class ImportPoint:
    """One import statement a rewrite may change: its lines and what it says (read with `ast`)."""

    start: int  # index of its first line
    end: int  # index after its last line
    column: int  # where it starts on its first line (bytes)
    end_column: int  # where it ends on its last line (bytes)
    level: int  # dots of a relative `from` import
    module: str  # the module of a `from` import ("" for `from . import x`)
    names: tuple[tuple[str, str], ...]  # (name, `as` name or "") of each alias
    is_from: bool  # `from ... import ...` (else `import ...`)


@dataclass(frozen=True, slots=True)
class RewritePoints:
    """Where rewriting a module's imports can change its text, by 0-based line index, from the one
    `ast` walk of `read_module`: a rewrite parses only those statements with libcst."""

    header_end: int  # the first line of the first statement (after the leading comments)
    tops: tuple[tuple[int, int], ...]  # top-level statements as [start, end) runs of whole lines
    imports: tuple[ImportPoint, ...]  # import statements
    # string constants holding a dot: (value, line, column, end line, end column); columns in bytes
    strings: tuple[tuple[str, int, int, int, int], ...]
    registers: bool  # a `register_blueprint` attribute somewhere
    plain_imports: frozenset[str]  # `import a.b` without `as`, anywhere


#: Longest string constant that may name a module (longer ones are text, not names).
MAX_NAME_STRING = 256


def may_name_module(value: str) -> bool:
    """Whether a string may name a module of a package (`a.b`), or `a.b.attribute` or
    `a.b:attribute` in one: the strings a rewrite may relocate (import_targets.relocated_dotted)."""
    head, colon, tail = value.partition(":")
    return (
        "." in head and all(p.isidentifier() for p in head.split(".")) and (not colon or tail.isidentifier())
    )


def import_point(node: ast.Import | ast.ImportFrom) -> ImportPoint:
    is_from = isinstance(node, ast.ImportFrom)
    return ImportPoint(
        start=node.lineno - 1,
        end=node.end_lineno or node.lineno,
        column=node.col_offset,
        end_column=node.end_col_offset or 0,
        level=node.level if isinstance(node, ast.ImportFrom) else 0,
        module=(node.module or "") if isinstance(node, ast.ImportFrom) else "",
        names=tuple((a.name, a.asname or "") for a in node.names),
        is_from=is_from,
    )


def _top_runs(tree: ast.Module) -> list[tuple[int, int]]:
    """[first, last) lines (0-based, decorators included) of each top-level statement; statements
    sharing a line are one run."""
    tops: list[tuple[int, int]] = []
    for statement in tree.body:
        decorators = getattr(statement, "decorator_list", ())
        first = min([statement.lineno, *(d.lineno for d in decorators)]) - 1
        last = statement.end_lineno or statement.lineno
        if tops and first < tops[-1][1]:  # shares a line with the previous statement
            tops[-1] = (tops[-1][0], max(last, tops[-1][1]))
        else:
            tops.append((first, last))
    return tops


def rewrite_points(
    tree: ast.Module,
    nodes: Sequence[ast.AST],
    line_total: int,
    codebase_imports: frozenset[int] | None = None,
) -> RewritePoints:
    """The rewrite points of a module from its tree and every node of it; `codebase_imports` holds
    the ids of the import statements that name a module of the codebase (None: every one), the
    only ones a rewrite can change."""
    tops = _top_runs(tree)
    imports: list[ImportPoint] = []
    strings: list[tuple[str, int, int, int, int]] = []
    plain: set[str] = set()
    registers = False
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if codebase_imports is None or id(node) in codebase_imports:
                imports.append(import_point(node))
            if isinstance(node, ast.Import):
                plain.update(a.name for a in node.names if a.asname is None)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if len(node.value) < MAX_NAME_STRING and may_name_module(node.value):
                end = (node.end_lineno or node.lineno) - 1
                strings.append((node.value, node.lineno - 1, node.col_offset, end, node.end_col_offset or 0))
        elif isinstance(node, ast.Attribute) and node.attr == "register_blueprint":
            registers = True
    return RewritePoints(
        header_end=tops[0][0] if tops else line_total,
        tops=tuple(tops),
        imports=tuple(sorted(set(imports))),
        strings=tuple(sorted(set(strings))),
        registers=registers,
        plain_imports=frozenset(plain),
    )

"""A module's source text as the generator reads it: syntax trees kept for reuse, the source of a
node exactly as written, and lines split where Python's tokenizer splits them.
"""

from __future__ import annotations

import ast
import functools
import re

#: Syntax trees kept for reuse: bounded, as on a large codebase (saleor, 4,300 modules) keeping
#: every module's tree took about a gigabyte.
PARSED_TREES = 512


@functools.lru_cache(maxsize=PARSED_TREES)
def parse_ast(text: str) -> ast.Module:
    """`ast.parse`, once per text and run: the same module is read for several services.
    Callers must not mutate the tree."""
    return ast.parse(text)


def parsed(text: str) -> ast.Module | None:
    """`parse_ast(text)`, None when the text does not parse (a module the analysis kept may still
    fail here: an encoding declaration, a file changed since)."""
    try:
        return parse_ast(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def import_statements(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of `tree`, nested ones included (in a function, an `if`, a `try`),
    found through statements only: far fewer nodes than `ast.walk` visits."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                stack.extend(
                    c for c in children if isinstance(c, (ast.stmt, ast.excepthandler, ast.match_case))
                )
    return found


def is_literal(node: ast.expr) -> bool:
    """Whether `ast.literal_eval` takes `node` (a literal, or containers of literals)."""
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


@functools.lru_cache(maxsize=PARSED_TREES)
def parse_statements(text: str, start: int, end: int) -> ast.Module:
    """`ast.parse` of the whole top-level statements on lines [start, end) (0-based) of `text`
    alone, at their places: every node has the line and column it has in `text`. Callers must not
    mutate the tree."""
    lines = _source_lines(text)
    return ast.parse("\n" * start + "".join(lines[start:end]))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")


def source_segment(text: str, node: ast.AST) -> str | None:
    """`ast.get_source_segment(text, node)` without splitting `text` again for every node (that
    split, a character at a time, was most of the generation time on large modules)."""
    lineno, end_lineno = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if lineno is None or end_lineno is None or col is None or end_col is None:
        return None
    lines = _source_lines(text)
    first, last = lineno - 1, end_lineno - 1
    if last >= len(lines):
        return None
    if first == last:
        segment: str = lines[first].encode()[col:end_col].decode()
        return segment
    head = lines[first].encode()[col:].decode()
    tail = lines[last].encode()[:end_col].decode()
    return "".join([head, *lines[first + 1 : last], tail])


def expression_source(text: str, node: ast.expr) -> str | None:
    """The source of expression `node`, for a place on one line (an annotation, a default, a
    keyword, an assignment): parenthesised when it spans lines, as the parentheses that let it break
    lines are outside the node (paperless: `-> (\n    A\n    | B\n)` gives `A\n    | B`)."""
    segment = source_segment(text, node)
    if segment is not None and ("\n" in segment or "\r" in segment):
        return f"({segment})"
    return segment


#: Characters `str.splitlines` ends a line at that Python's tokenizer does not.
_OTHER_LINE_ENDS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def source_lines(text: str) -> list[str]:
    """The lines of `text` with their ends, split where Python's tokenizer ends lines."""
    if not any(end in text for end in _OTHER_LINE_ENDS):
        return text.splitlines(keepends=True)  # (the same lines, several times faster)
    lines: list[str] = _LINE.findall(text)
    if lines and not lines[-1]:
        lines.pop()
    return lines


@functools.lru_cache(maxsize=64)
def _source_lines(text: str) -> list[str]:
    """The lines of `text` with their ends, split as `ast.get_source_segment` splits them (on
    \\r\\n, \\r and \\n only)."""
    lines: list[str] = _LINE.findall(text)
    if lines and not lines[-1]:
        lines.pop()
    return lines


def line_count(text: str) -> int:
    """Lines of `text`, a last line without its line end included."""
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)

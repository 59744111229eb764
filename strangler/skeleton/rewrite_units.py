"""The runs of lines of a module that a rewrite of its imports can change, and in-place string edits.

Each import statement is rewritten alone on its lines (dedented), or with the top-level statement
holding it; a string naming a relocated module is replaced in place when it is one plain string
token on one line. Everything else of the module is copied as it is (moving.py).
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import tokenize
from collections.abc import Mapping, Sequence

from strangler.skeleton.escaping import is_dotted_name
from strangler.skeleton.import_points import ImportPoint, RewritePoints
from strangler.skeleton.import_targets import relocated_dotted

#: A run of whole lines rewritten alone: [start, end) and the indentation removed before parsing.
Unit = tuple[int, int, str]


def _start(run: tuple[int, int]) -> int:
    return run[0]


def top_of(points: RewritePoints, line: int) -> Unit:
    """The top-level statement holding `line`."""
    index = bisect.bisect_right(points.tops, line, key=_start) - 1
    start, end = points.tops[max(index, 0)]
    return (start, end, "")


#: A string constant replaced in place: (line, start, end) in characters, and its new token.
Edit = tuple[int, int, int, str]


def changing_units(
    points: RewritePoints, lines: Sequence[str], local: Mapping[str, str]
) -> tuple[list[Unit], list[Edit]]:
    """The runs of lines to rewrite: each import statement alone on its lines (dedented), else the
    top-level statement holding it; and each string to relocate, in place when it is one plain
    string token on one line, else the top-level statement holding it."""
    found = {_import_unit(points, lines, point) for point in points.imports}
    edits: list[Edit] = []
    for value, line, column, end_line, end_column in points.strings:
        new = relocated_dotted(value, local)
        if new is None:
            continue
        edit = string_edit(lines, value, new, (line, column, end_line, end_column))
        if edit is None:
            found.add(top_of(points, line))
        else:
            edits.append(edit)
    units = _merged(points, found)
    inside = {line for start, end, _ in units for line in range(start, end)}
    return units, [e for e in edits if e[0] not in inside]


def _import_unit(points: RewritePoints, lines: Sequence[str], point: ImportPoint) -> Unit:
    """The import statement's own lines (dedented) when it is alone on them, else its top statement."""
    start, end = point.start, point.end
    prefix = lines[start][: point.column]
    alone = prefix.strip(" \t") == "" and all(line.startswith(prefix) for line in lines[start:end])
    return (start, end, prefix) if alone else top_of(points, start)


def _unit_order(unit: Unit) -> tuple[int, int]:
    """Sort key of units: by start, the longest first."""
    return unit[0], -unit[1]


def _merged(points: RewritePoints, found: set[Unit]) -> list[Unit]:
    """`found` in order, overlapping units merged into the top-level statement holding them."""
    units: list[Unit] = []
    for unit in sorted(found, key=_unit_order):
        if units and unit[0] < units[-1][1]:  # overlaps the previous: both within one top statement
            top = top_of(points, units[-1][0])
            units[-1] = (top[0], max(top[1], unit[1]), "")
        else:
            units.append(unit)
    return units


_STRING_TOKEN = re.compile(r"(?P<prefix>[rRuU]?)(?P<quote>\"\"\"|\'\'\'|\"|\')")


def string_edit(lines: Sequence[str], value: str, new: str, where: tuple[int, int, int, int]) -> Edit | None:
    """The in-place replacement of a string constant by `new` (what the libcst rewrite writes for
    it), when the constant is one plain string token on one line; else None."""
    line, column, end_line, end_column = where
    if line != end_line or not is_dotted_name(new.replace(":", ".")):
        return None
    raw = lines[line].encode()
    start, end = len(raw[:column].decode(errors="replace")), len(raw[:end_column].decode(errors="replace"))
    token = lines[line][start:end]
    found = _STRING_TOKEN.match(token)
    if found is None or not _one_string_token(token) or _literal(token) != value:
        return None
    quote = found["quote"]
    return (line, start, end, f"{found['prefix']}{quote}{new}{quote}")


def _one_string_token(text: str) -> bool:
    try:
        kinds = [t.type for t in tokenize.generate_tokens(io.StringIO(text).readline)]
    except (tokenize.TokenError, SyntaxError):
        return False
    return [k for k in kinds if k not in (tokenize.NEWLINE, tokenize.ENDMARKER)] == [tokenize.STRING]


def _literal(token: str) -> object:
    try:
        return ast.literal_eval(token)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def edited(lines: Sequence[str], edits: Sequence[Edit]) -> list[str]:
    out = list(lines)
    for line, start, end, token in sorted(edits, reverse=True):  # (right to left on a line)
        out[line] = out[line][:start] + token + out[line][end:]
    return out

"""One `from ... import ...` statement rewritten as text, without libcst, in the common cases.

The result is the text the libcst rewrite (relocator.py) writes for the statement; anything this
cannot rewrite exactly is answered None and left to libcst.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from strangler.skeleton.import_points import ImportPoint, import_point
from strangler.skeleton.import_targets import KEEP, Relocation, Target, from_targets
from strangler.skeleton.source_text import source_lines
from strangler.skeleton.sources import resolve_relative

LINE_END = re.compile(r"\r\n|\r|\n")


_FROM_HEAD = re.compile(r"from(\s+)([^\\#()]*?)(\s+)import\b")


def fast_import_from(
    text: str, name: str, is_package: bool, rel: Relocation, point: ImportPoint | None = None
) -> str | None:
    """`text`, one `from ... import ...` statement alone (no `;`), rewritten without libcst when the
    rewrite leaves it as it is, only changes its module, or splits it into plain statements (the
    common cases); None for the others (libcst rewrites those). The result is the text libcst
    writes. `point` says what the statement is (from the module's ModuleText, positions relative
    to the undented text's lines): else it is read here with `ast`."""
    if ";" in text or "\\" in text:
        return None
    node = point if point is not None else _import_of(text)
    if node is None or not node.is_from:
        return None
    base = resolve_relative(name, is_package, node.level, node.module or None)
    if not base:
        return None  # (climbs above the top-level package: libcst notes it in the header)
    if [n for n, _ in node.names] == ["*"]:
        return _new_module(text, node, rel.local[base]) if base in rel.local else text
    aliases = [(n, a or n, bool(a)) for n, a in node.names]
    targets = from_targets(base, aliases, rel)
    if not targets:
        return None
    if all(t[0] == KEEP for t in targets):
        return text
    same_names = all(t[1] == a[0] for t, a in zip(targets, aliases))
    if same_names and len({t[0] for t in targets}) == 1 and targets[0][0] not in (KEEP, ""):
        return _new_module(text, node, targets[0][0])
    return _regrouped(text, node, targets) if len(targets) == len(aliases) else None


def _import_of(text: str) -> ImportPoint | None:
    """The one import statement `text` holds, read with `ast`; None for anything else."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Import, ast.ImportFrom)):
        return None
    return import_point(tree.body[0])


def _regrouped(text: str, node: ImportPoint, targets: Sequence[Target]) -> str | None:
    """The statements libcst writes for `targets` (one per new module, in order of first use): the
    first one keeps what followed the statement on its line (a comment), the others stand alone."""
    found = _FROM_HEAD.match(text)
    head = found[2] if found is not None else ""
    if found is None or re.sub(r"\s", "", head) != head or head != "." * node.level + node.module:
        return None
    lines = source_lines(text)
    if node.end - node.start != len(lines):
        return None
    last = lines[-1].encode()[node.end_column :].decode()
    groups: dict[str, list[str]] = {}
    for module, imported, asname in targets:
        groups.setdefault(module, []).append(f"{imported} as {asname}" if asname else imported)
    statements = []
    for module, names in groups.items():
        if module == KEEP:
            statements.append(f"from {head} import {', '.join(names)}")
        elif not module:
            statements.append(f"import {', '.join(names)}")
        else:
            statements.append(f"from {module} import {', '.join(names)}")
    newline = LINE_END.search(text)
    end = newline[0] if newline else "\n"
    return statements[0] + last + "".join(statement + end for statement in statements[1:])


def _new_module(text: str, node: ImportPoint, new: str) -> str | None:
    """`text` with the module (dots included) of its `from` replaced by `new`."""
    found = _FROM_HEAD.match(text)
    if found is None or re.sub(r"\s", "", found[2]) != "." * node.level + node.module:
        return None
    return text[: found.start(2)] + new + text[found.end(2) :]

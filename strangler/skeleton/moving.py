"""Rewrite a module's imports for its new home, with libcst so comments and formatting survive.

One transform serves both sides of a cut:
- in a service skeleton, imports of moved and vendored modules point at their new place and imports
  of functions that stay in the monolith point at the generated client;
- in the monolith patch, imports of functions that moved point at the client of the new service.
Only the import statements (and strings naming a relocated module exactly, as Django settings do)
change; call sites keep their names because each client function is imported under the bound name.

Where each imported name goes is import_targets.py; the libcst transformer is relocator.py; the
statements that can change are rewritten alone (rewrite_units.py), the common `from` imports as
text (import_text.py); this module puts them together and memoizes rewrites across services.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import libcst as cst

from strangler.skeleton.cstcache import MemoKey, Prepared, module_code, prepared
from strangler.skeleton.escaping import one_line
from strangler.skeleton.import_points import ImportPoint, RewritePoints, rewrite_points
from strangler.skeleton.import_targets import Relocation, remote_map
from strangler.skeleton.import_text import LINE_END, fast_import_from
from strangler.skeleton.memo import PLACEHOLDER, Log, Memo, RecordingMap, RecordingSet
from strangler.skeleton.relocator import Relocator, relevant
from strangler.skeleton.rewrite_units import changing_units, edited
from strangler.skeleton.source_text import source_lines

__all__ = ["ModuleSource", "Relocation", "relocate_module", "remote_map", "rewrite_memos"]


@dataclass(frozen=True, slots=True)
class ModuleSource:
    """A module to rewrite: its name, text and header comments; `drop_bound` names imports (and
    the `register_blueprint` statements using them) to remove from an app factory; `points` are
    the statements that can change (from the module's ModuleText; read from the text when None)."""

    name: str
    is_package: bool
    text: str
    header: tuple[str, ...] = ()
    drop_bound: frozenset[str] = frozenset()
    points: RewritePoints | None = None


def relocate_module(source: ModuleSource, relocation: Relocation, package: str = "") -> str:
    """The module's text with its imports relocated.

    Only the statements that can change are parsed with libcst and rewritten: those at the
    source's points; a relative import that climbs to or above the top-level package is kept as
    written and noted in the header. With `package` (the service's package, which starts every new
    name), a rewrite of the same text for another service is reused when it comes out the same but
    for that name (see `memo`)."""
    found = source.points if source.points is not None else _points_of(source.text)
    rewrite = functools.partial(_rewrite, source, found)
    if not package or PLACEHOLDER in source.text:
        return rewrite(relocation)
    maps = {
        "local": relocation.local,
        "remote": relocation.remote,
        "remote_modules": relocation.remote_modules,
        "known": relocation.known,
    }
    key = (source.name, source.is_package, tuple(source.header), source.drop_bound)
    memo = rewrite_memos(source.text).setdefault(key, Memo())
    return memo.rewrite(maps, package, functools.partial(_recorded, rewrite, maps, package))


@functools.lru_cache(maxsize=4096)
def _points_of(text: str) -> RewritePoints:
    """The rewrite points of a text read without its ModuleText (every import statement)."""
    tree = ast.parse(text)
    return rewrite_points(tree, list(ast.walk(tree)), len(source_lines(text)))


@functools.lru_cache(maxsize=4096)
def rewrite_memos(text: str) -> dict[MemoKey, Memo]:
    """The rewrites of `text` kept for reuse across services (see `memo`)."""
    return {}


def _recorded(rewrite: Callable[[Relocation], str], maps: Mapping[str, Any], package: str, log: Log) -> str:
    """`rewrite` on maps that record every question and answer in `log` (see `memo`)."""
    return rewrite(
        Relocation(
            local=RecordingMap(maps, "local", package, log),
            remote=RecordingMap(maps, "remote", package, log),
            remote_modules=RecordingMap(maps, "remote_modules", package, log),
            known=RecordingSet(maps, "known", package, log),
        )
    )


def _rewrite(source: ModuleSource, points: RewritePoints, relocation: Relocation) -> str:
    """The statements that can change, parsed and rewritten alone; the whole module with libcst
    when a rewrite can reach beyond them (uses of `import a.b` anywhere, statements to remove)."""
    text = source.text
    if (
        not source.drop_bound
        and text.endswith(("\n", "\r"))
        and not _walk_all(points.plain_imports, relocation)
    ):
        try:
            done = _relocate_units(source, points, relocation)
        except (IndexError, ValueError, cst.ParserSyntaxError):
            done = None  # (points that do not fit the text, from a damaged cache: the whole module)
        if done is not None:
            return done
    return _relocate(prepared(text), source, relocation)


def _walk_all(plain_imports: AbstractSet[str], relocation: Relocation) -> bool:
    """Whether a plain `import a.b` of relocated code makes uses of `a.b.x` anywhere change."""
    return any(
        imported in relocation.local or imported in relocation.remote_modules
        for imported in sorted(plain_imports)
        if "." in imported  # (`import top` is rewritten to `import new as top`: no use changes)
    )


def _header_notes(header: Sequence[str], relocator: Relocator) -> list[str]:
    """The header comments' texts: `header`, then each relative import kept as written."""
    return [
        *header,
        *(
            f"strangler: `{statement}` climbs above the top-level package: kept as written"
            for statement in relocator.beyond_root
        ),
    ]


def _relocate_units(source: ModuleSource, points: RewritePoints, relocation: Relocation) -> str | None:
    """The text with each statement that can change parsed and rewritten alone (the same text the
    whole-module rewrite gives); None when a statement would be removed (that one moves blank lines)."""
    text = source.text
    original = source_lines(text)
    units, edits = changing_units(points, original, relocation.local)
    lines = edited(original, edits) if edits else original
    relocator = Relocator(source.name, source.is_package, relocation, frozenset())
    parts: list[str] = []
    position = points.header_end
    statements = {(p.start, p.end): p for p in points.imports}
    for start, end, prefix in units:
        parts.append("".join(lines[position:start]))
        parts.append(_unit_code(lines[start:end], prefix, relocator, statements.get((start, end))))
        position = end
    if relocator.removed:
        return None
    parts.append("".join(lines[position:]))
    newline = LINE_END.search(text)
    end_of_line = newline[0] if newline else "\n"
    notes = _header_notes(source.header, relocator)
    comments = [f"# {one_line(line)}".rstrip() + end_of_line for line in notes]
    return "".join([*lines[: points.header_end], *comments, *parts])


def _unit_code(
    lines: Sequence[str], prefix: str, relocator: Relocator, point: ImportPoint | None = None
) -> str:
    """`lines` (each starting with `prefix`) parsed without it, rewritten, indented again; `point`
    is the import statement they hold when they hold one alone."""
    text = "".join(line[len(prefix) :] for line in lines)
    if point is not None:  # (its place in `text`, undented)
        indent = len(prefix)
        point = dataclasses.replace(
            point,
            start=0,
            end=point.end - point.start,
            column=point.column - indent,
            end_column=point.end_column - indent,
        )
    fast = (
        fast_import_from(text, relocator.name, relocator.is_package, relocator.rel, point)
        if point is None or point.is_from
        else None
    )
    code = fast if fast is not None else _libcst_code(text, relocator)
    return "".join(prefix + line for line in source_lines(code)) if prefix else code


def _libcst_code(text: str, relocator: Relocator) -> str:
    module = cst.parse_module(text)
    body: list[cst.BaseStatement] = []
    for stmt in module.body:
        result = stmt.visit(relocator)
        if isinstance(result, cst.FlattenSentinel):
            body.extend(result.nodes)
        elif isinstance(result, cst.BaseStatement):
            body.append(result)
    return module.with_changes(body=body).code


def _relocate(prep: Prepared, source: ModuleSource, relocation: Relocation) -> str:
    """The whole module rewritten with libcst (its top-level statements that can change)."""
    drop_bound = source.drop_bound
    walk_all = _walk_all(prep.plain_imports, relocation)
    relocator = Relocator(source.name, source.is_package, relocation, drop_bound)
    if not walk_all:
        relocator.nested = prep.nested
    body: list[cst.BaseStatement] = []
    for stmt, found in zip(prep.module.body, prep.triggers):
        if not (walk_all or relevant(found, relocation, drop_bound)):
            body.append(stmt)
            continue
        result = stmt.visit(relocator)
        if isinstance(result, cst.FlattenSentinel):
            body.extend(result.nodes)
        elif isinstance(result, cst.BaseStatement):
            body.append(result)
    if relocator.removed:
        body = relocator.without_removed(body)
    # (a header names a path of the tree: a newline in it must not end the comment)
    comments = [
        cst.EmptyLine(comment=cst.Comment(f"# {one_line(line)}".rstrip()))
        for line in _header_notes(source.header, relocator)
    ]
    return module_code(prep, [*prep.module.header, *comments], body)

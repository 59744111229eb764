"""Rewrite a module's imports for its new home, with libcst so comments and formatting survive.

One transform serves both sides of a cut:
- in a service skeleton, imports of moved and vendored modules point at their new place and imports
  of functions that stay in the monolith point at the generated client;
- in the monolith patch, imports of functions that moved point at the client of the new service.
Only the import statements (and strings naming a relocated module exactly, as Django settings do)
change; call sites keep their names because each client function is imported under the bound name.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import functools
import io
import re
import tokenize
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from strangler.skeleton.cstcache import MemoKey, Prepared, Triggers, module_code, prepared
from strangler.skeleton.escaping import is_dotted_name, one_line
from strangler.skeleton.layout import mangle
from strangler.skeleton.memo import PLACEHOLDER, Log, Memo, RecordingMap, RecordingSet
from strangler.skeleton.sources import (
    ImportPoint,
    RewritePoints,
    import_point,
    resolve_relative,
    rewrite_points,
    source_lines,
)


@dataclass(frozen=True, slots=True)
class Relocation:
    """Where the names a module imports now live.

    `local` maps original module names to their new names (moved or vendored code);
    `remote` maps (module, function) to (client module, client function name), and
    `remote_modules` maps a module used as a namespace to (client module, namespace name).
    """

    local: Mapping[str, str]
    remote: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    remote_modules: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    known: AbstractSet[str] = frozenset()  # every module name of the codebase


def relocate_module(
    name: str,
    is_package: bool,
    text: str,
    relocation: Relocation,
    *,
    header: Sequence[str] = (),
    drop_bound: frozenset[str] = frozenset(),
    package: str = "",
    points: RewritePoints | None = None,
) -> str:
    """The module's text with its imports relocated; `drop_bound` names imports (and the
    `register_blueprint` statements using them) to remove from an app factory.

    Only the statements that can change are parsed with libcst and rewritten: those at `points`
    (from the module's ModuleText; read from the text when not given); a relative import that
    climbs to or above the top-level package is kept as written and noted in the header. With
    `package` (the service's package, which starts every new name), a rewrite of the same text for
    another service is reused when it comes out the same but for that name (see `memo`)."""
    found = points if points is not None else _points_of(text)
    rewrite = functools.partial(_rewrite, text, name, is_package, tuple(header), drop_bound, found)
    if not package or PLACEHOLDER in text:
        return rewrite(relocation)
    maps = {
        "local": relocation.local,
        "remote": relocation.remote,
        "remote_modules": relocation.remote_modules,
        "known": relocation.known,
    }
    memo = rewrite_memos(text).setdefault((name, is_package, tuple(header), drop_bound), Memo())
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


def _rewrite(
    text: str,
    name: str,
    is_package: bool,
    header: tuple[str, ...],
    drop_bound: frozenset[str],
    points: RewritePoints,
    relocation: Relocation,
) -> str:
    """The statements that can change, parsed and rewritten alone; the whole module with libcst
    when a rewrite can reach beyond them (uses of `import a.b` anywhere, statements to remove)."""
    if not drop_bound and text.endswith(("\n", "\r")) and not _walk_all(points.plain_imports, relocation):
        try:
            done = _relocate_units(text, points, name, is_package, relocation, header)
        except (IndexError, ValueError, cst.ParserSyntaxError):
            done = None  # (points that do not fit the text, from a damaged cache: the whole module)
        if done is not None:
            return done
    return _relocate(prepared(text), name, is_package, relocation, header, drop_bound)


def _walk_all(plain_imports: AbstractSet[str], relocation: Relocation) -> bool:
    """Whether a plain `import a.b` of relocated code makes uses of `a.b.x` anywhere change."""
    return any(
        imported in relocation.local or imported in relocation.remote_modules
        for imported in sorted(plain_imports)
        if "." in imported  # (`import top` is rewritten to `import new as top`: no use changes)
    )


def _header_notes(header: Sequence[str], relocator: _Relocator) -> list[str]:
    """The header comments' texts: `header`, then each relative import kept as written."""
    return [
        *header,
        *(
            f"strangler: `{statement}` climbs above the top-level package: kept as written"
            for statement in relocator.beyond_root
        ),
    ]


#: A run of whole lines rewritten alone: [start, end) and the indentation removed before parsing.
Unit = tuple[int, int, str]


def _start(run: tuple[int, int]) -> int:
    return run[0]


def _top_of(points: RewritePoints, line: int) -> Unit:
    """The top-level statement holding `line`."""
    index = bisect.bisect_right(points.tops, line, key=_start) - 1
    start, end = points.tops[max(index, 0)]
    return (start, end, "")


#: A string constant replaced in place: (line, start, end) in characters, and its new token.
Edit = tuple[int, int, int, str]


def _units(
    points: RewritePoints, lines: Sequence[str], local: Mapping[str, str]
) -> tuple[list[Unit], list[Edit]]:
    """The runs of lines to rewrite: each import statement alone on its lines (dedented), else the
    top-level statement holding it; and each string to relocate, in place when it is one plain
    string token on one line, else the top-level statement holding it."""
    found: set[Unit] = set()
    edits: list[Edit] = []
    for point in points.imports:
        start, end = point.start, point.end
        prefix = lines[start][: point.column]
        alone = prefix.strip(" \t") == "" and all(line.startswith(prefix) for line in lines[start:end])
        found.add((start, end, prefix) if alone else _top_of(points, start))
    for value, line, column, end_line, end_column in points.strings:
        new = _relocated_dotted(value, local)
        if new is None:
            continue
        edit = _string_edit(lines, value, new, (line, column, end_line, end_column))
        if edit is None:
            found.add(_top_of(points, line))
        else:
            edits.append(edit)
    units: list[Unit] = []
    for unit in sorted(found, key=lambda u: (u[0], -u[1])):
        if units and unit[0] < units[-1][1]:  # overlaps the previous: both within one top statement
            top = _top_of(points, units[-1][0])
            units[-1] = (top[0], max(top[1], unit[1]), "")
        else:
            units.append(unit)
    inside = {line for start, end, _ in units for line in range(start, end)}
    return units, [e for e in edits if e[0] not in inside]


_STRING_TOKEN = re.compile(r"(?P<prefix>[rRuU]?)(?P<quote>\"\"\"|\'\'\'|\"|\')")


def _string_edit(lines: Sequence[str], value: str, new: str, where: tuple[int, int, int, int]) -> Edit | None:
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


def _edited(lines: Sequence[str], edits: Sequence[Edit]) -> list[str]:
    out = list(lines)
    for line, start, end, token in sorted(edits, reverse=True):  # (right to left on a line)
        out[line] = out[line][:start] + token + out[line][end:]
    return out


def _relocate_units(
    text: str,
    points: RewritePoints,
    name: str,
    is_package: bool,
    relocation: Relocation,
    header: tuple[str, ...],
) -> str | None:
    """The text with each statement that can change parsed and rewritten alone (the same text the
    whole-module rewrite gives); None when a statement would be removed (that one moves blank lines)."""
    original = source_lines(text)
    units, edits = _units(points, original, relocation.local)
    lines = _edited(original, edits) if edits else original
    relocator = _Relocator(name, is_package, relocation, frozenset())
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
    newline = _LINE_END.search(text)
    end_of_line = newline[0] if newline else "\n"
    comments = [f"# {one_line(line)}".rstrip() + end_of_line for line in _header_notes(header, relocator)]
    return "".join([*lines[: points.header_end], *comments, *parts])


_LINE_END = re.compile(r"\r\n|\r|\n")


def _unit_code(
    lines: Sequence[str], prefix: str, relocator: _Relocator, point: ImportPoint | None = None
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


def _libcst_code(text: str, relocator: _Relocator) -> str:
    module = cst.parse_module(text)
    body: list[cst.BaseStatement] = []
    for stmt in module.body:
        result = stmt.visit(relocator)
        if isinstance(result, cst.FlattenSentinel):
            body.extend(result.nodes)
        elif isinstance(result, cst.BaseStatement):
            body.append(result)
    return module.with_changes(body=body).code


def _relocate(
    prep: Prepared,
    name: str,
    is_package: bool,
    relocation: Relocation,
    header: tuple[str, ...],
    drop_bound: frozenset[str],
) -> str:
    walk_all = _walk_all(prep.plain_imports, relocation)
    relocator = _Relocator(name, is_package, relocation, drop_bound)
    if not walk_all:
        relocator.nested = prep.nested
    body: list[cst.BaseStatement] = []
    for stmt, found in zip(prep.module.body, prep.triggers):
        if not (walk_all or _relevant(found, relocation, drop_bound)):
            body.append(stmt)
            continue
        result = stmt.visit(relocator)
        if isinstance(result, cst.FlattenSentinel):
            body.extend(result.nodes)
        elif isinstance(result, cst.BaseStatement):
            body.append(result)
    if relocator.removed:
        body = relocator._without_removed(body)
    # (a header names a path of the tree: a newline in it must not end the comment)
    comments = [
        cst.EmptyLine(comment=cst.Comment(f"# {one_line(line)}".rstrip()))
        for line in _header_notes(header, relocator)
    ]
    return module_code(prep, [*prep.module.header, *comments], body)


def _relevant(found: Triggers, relocation: Relocation, drop_bound: frozenset[str]) -> bool:
    """Whether a top-level statement with these triggers can change under `relocation`."""
    return (
        found.imports
        or (bool(drop_bound) and found.registers)
        or any(_relocated_dotted(value, relocation.local) is not None for value in found.strings)
    )


def _code(node: cst.CSTNode) -> str:
    return " ".join(cst.Module(body=[]).code_for_node(node).split())


def _dotted(name: str) -> cst.Attribute | cst.Name:
    """`a.b.c` as a libcst expression, built directly (parsing each one is slow)."""
    if not name or any(not part.isidentifier() for part in name.split(".")):
        raise ValueError(f"not a dotted module name: {name!r}")
    head, *rest = name.split(".")
    node: cst.Attribute | cst.Name = cst.Name(head)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _alias_name(alias: cst.ImportAlias) -> str:
    return cst.helpers.get_full_name_for_node_or_raise(alias.name)


def _bound(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _alias_name(alias).split(".")[0]


#: Group key of imported names that stay where the statement says (module and dots kept).
_KEEP = "\0keep"


class _Relocator(cst.CSTTransformer):
    def __init__(
        self, name: str, is_package: bool, relocation: Relocation, drop_bound: frozenset[str]
    ) -> None:
        super().__init__()
        self.name = name
        self.is_package = is_package
        self.rel = relocation
        self.drop_bound = drop_bound
        self.plain_imports: dict[str, str] = {}  # `import a.b` of a relocated module: a.b -> new
        self.nested: Mapping[int, Triggers] = {}  # statements inside defs and classes: triggers
        self.beyond_root: list[str] = []  # relative imports kept as written: they climb too far
        self.removed: set[int] = set()  # ids of placeholders of statements to drop
        self.placeholders: list[cst.SimpleStatementLine] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        found = self.nested.get(id(node))
        if found is not None and not _relevant(found, self.rel, self.drop_bound):
            return False  # nothing inside can change: libcst need not walk it
        return super().on_visit(node)

    # -- statements ------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        return False  # rewritten whole, from its own names (leave_SimpleStatementLine)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        # Not walked: with `import prefect.settings` in the module, the module name of
        # `from prefect.settings.legacy import x` would otherwise be read as the attribute
        # `prefect.settings` plus `.legacy`, and take the package's new place, not its own.
        return False

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        body: list[cst.BaseSmallStatement] = []
        changed = False
        for stmt in updated_node.body:
            if isinstance(stmt, cst.ImportFrom):
                new = self._import_from(stmt)
            elif isinstance(stmt, cst.Import):
                new = self._import(stmt)
            elif self._is_dropped_registration(stmt):
                new = []
            else:
                new = [stmt]
            changed = changed or new != [stmt]
            body += new
        if not changed:
            return updated_node
        if not body:
            # removed by the enclosing block, which keeps its blank lines and comments
            placeholder = updated_node.with_changes(body=[cst.Pass()])
            self.removed.add(id(placeholder))
            self.placeholders.append(placeholder)  # alive until the end: ids stay unique
            return placeholder
        lines: list[cst.BaseStatement] = [updated_node.with_changes(body=[_no_semicolon(body[0])])]
        lines += [cst.SimpleStatementLine(body=[_no_semicolon(s)]) for s in body[1:]]
        return lines[0] if len(lines) == 1 else cst.FlattenSentinel(lines)

    def _without_removed(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """`body` without removed statements; their leading blank lines and comments move on."""
        kept: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []
        for stmt in body:
            if id(stmt) in self.removed and isinstance(stmt, cst.SimpleStatementLine):
                carried += stmt.leading_lines
                continue
            if carried and isinstance(stmt, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                stmt = stmt.with_changes(leading_lines=_collapse_blank_runs([*carried, *stmt.leading_lines]))
                carried = []
            kept.append(stmt)
        return kept

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.removed:
            return updated_node
        return updated_node.with_changes(body=self._without_removed(updated_node.body))

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body = self._without_removed(updated_node.body) if self.removed else updated_node.body
        if body:
            return updated_node.with_changes(body=body)
        return updated_node.with_changes(body=[cst.SimpleStatementLine(body=[cst.Pass()])])

    def _is_dropped_registration(self, stmt: cst.BaseSmallStatement) -> bool:
        if not (isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call)):
            return False
        call = stmt.value
        if not (
            isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "register_blueprint"
            and call.args
        ):
            return False
        arg = call.args[0].value
        root = arg.value if isinstance(arg, cst.Attribute) else arg
        return isinstance(root, cst.Name) and root.value in self.drop_bound

    def _import_from(self, stmt: cst.ImportFrom) -> list[cst.BaseSmallStatement]:
        module_name = cst.helpers.get_full_name_for_node(stmt.module) if stmt.module else None
        base = resolve_relative(self.name, self.is_package, len(stmt.relative), module_name)
        if not base:  # `from .. import x` above the top-level package: nothing to relocate
            self.beyond_root.append(_code(stmt.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)))
            return [stmt]
        if isinstance(stmt.names, cst.ImportStar):
            if base in self.rel.local:
                return [stmt.with_changes(module=_dotted(self.rel.local[base]), relative=[])]
            return [stmt]
        named = [(_alias_name(a), _bound(a), a.asname is not None) for a in stmt.names]
        targets = from_targets(base, named, self.rel, self.drop_bound)
        if not targets:
            return []
        unchanged = len(targets) == len(stmt.names) and all(t[0] == _KEEP for t in targets)
        if unchanged:
            return [stmt]
        same_names = len(targets) == len(stmt.names) and all(
            t[1] == _alias_name(a) for t, a in zip(targets, stmt.names)
        )
        if same_names and len({t[0] for t in targets}) == 1 and targets[0][0] not in (_KEEP, ""):
            # The common case: only the module moved; keep the statement's own formatting.
            return [stmt.with_changes(module=_dotted(targets[0][0]), relative=[])]
        groups: dict[str, list[cst.ImportAlias]] = {}
        for new_module, imported, asname in targets:
            groups.setdefault(new_module, []).append(
                cst.ImportAlias(
                    name=_dotted(imported),
                    asname=cst.AsName(name=cst.Name(asname)) if asname else None,
                )
            )
        statements: list[cst.BaseSmallStatement] = []
        for new_module, aliases in groups.items():
            if new_module == _KEEP:
                statements.append(cst.ImportFrom(module=stmt.module, relative=stmt.relative, names=aliases))
            elif not new_module:  # a moved package became the service's top-level package
                statements.append(cst.Import(names=aliases))
            else:
                statements.append(cst.ImportFrom(module=_dotted(new_module), names=aliases))
        return statements

    def _import(self, stmt: cst.Import) -> list[cst.BaseSmallStatement]:
        out: list[cst.BaseSmallStatement] = []
        changed = False
        for alias in stmt.names:
            original = _alias_name(alias)
            if original in self.rel.local:
                changed = True
                out.append(self._import_local(alias, original, self.rel.local[original]))
            elif original in self.rel.remote_modules:
                changed = True
                out.append(self._import_remote(alias, original, *self.rel.remote_modules[original]))
            else:
                out.append(cst.Import(names=[alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)]))
        return out if changed else [stmt]

    def _import_local(self, alias: cst.ImportAlias, original: str, new: str) -> cst.Import:
        """`import a.b` of relocated code: uses of `a.b.x` are rewritten (`plain_imports`), except
        for a top-level name, bound again to its new place (`import pkg.vendored.a as a`)."""
        if alias.asname is None and "." not in original:
            bound = cst.AsName(name=cst.Name(original))
            return cst.Import(names=[cst.ImportAlias(name=_dotted(new), asname=bound)])
        if alias.asname is None:
            self.plain_imports[original] = new
        return cst.Import(names=[alias.with_changes(name=_dotted(new), comma=cst.MaybeSentinel.DEFAULT)])

    def _import_remote(
        self, alias: cst.ImportAlias, original: str, client: str, namespace: str
    ) -> cst.BaseSmallStatement:
        """`import a.b` of a module reached through a client: its namespace under the bound name
        (`import a.b` plain: the client module, and uses of `a.b.x` become `client.namespace.x`)."""
        if alias.asname is None and "." in original:
            self.plain_imports[original] = f"{client}.{namespace}"
            return cst.Import(names=[cst.ImportAlias(name=_dotted(client))])
        bound = alias.asname or cst.AsName(name=cst.Name(original))
        return cst.ImportFrom(
            module=_dotted(client), names=[cst.ImportAlias(name=cst.Name(namespace), asname=bound)]
        )

    # -- expressions -----------------------------------------------------------------------
    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if not self.plain_imports:
            return updated_node
        dotted = cst.helpers.get_full_name_for_node(original_node)
        if dotted in self.plain_imports:
            return _dotted(self.plain_imports[dotted])
        return updated_node

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        value = updated_node.evaluated_value
        if not isinstance(value, str):
            return updated_node
        new = _relocated_dotted(value, self.rel.local)
        if new is None or not is_dotted_name(new.replace(":", ".")):
            return updated_node  # (a new name is pasted between the quotes as it is)
        quote = updated_node.quote
        return updated_node.with_changes(value=f"{updated_node.prefix}{quote}{new}{quote}")


#: Where a name imported by `from base import name` goes: (new module or _KEEP, imported name,
#: bound name or None), per alias in order.
Target = tuple[str, str, str | None]


def from_targets(
    base: str,
    aliases: Sequence[tuple[str, str, bool]],
    rel: Relocation,
    drop_bound: AbstractSet[str] = frozenset(),
) -> list[Target]:
    """Where each name of `from base import ...` goes; `aliases` are (name, bound name, whether
    written with `as`). A name bound in `drop_bound` is left out."""
    targets: list[Target] = []
    for original, bound, has_asname in aliases:
        if bound in drop_bound:
            continue
        asname = bound if has_asname else None
        submodule = f"{base}.{original}"
        if submodule in rel.known or submodule in rel.local:
            if submodule in rel.local:
                parent, _, last = rel.local[submodule].rpartition(".")
                targets.append((parent, last, bound if last != bound else None))
            elif submodule in rel.remote_modules:
                client, namespace = rel.remote_modules[submodule]
                targets.append((client, namespace, bound))
            else:
                targets.append((_KEEP, original, asname))
        elif (base, original) in rel.remote:
            client, function = rel.remote[(base, original)]
            targets.append((client, function, bound))
        elif base in rel.local:
            targets.append((rel.local[base], original, asname))
        else:
            targets.append((_KEEP, original, asname))
    return targets


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
    if all(t[0] == _KEEP for t in targets):
        return text
    same_names = all(t[1] == a[0] for t, a in zip(targets, aliases))
    if same_names and len({t[0] for t in targets}) == 1 and targets[0][0] not in (_KEEP, ""):
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
        if module == _KEEP:
            statements.append(f"from {head} import {', '.join(names)}")
        elif not module:
            statements.append(f"import {', '.join(names)}")
        else:
            statements.append(f"from {module} import {', '.join(names)}")
    newline = _LINE_END.search(text)
    end = newline[0] if newline else "\n"
    return statements[0] + last + "".join(statement + end for statement in statements[1:])


def _new_module(text: str, node: ImportPoint, new: str) -> str | None:
    """`text` with the module (dots included) of its `from` replaced by `new`."""
    found = _FROM_HEAD.match(text)
    if found is None or re.sub(r"\s", "", found[2]) != "." * node.level + node.module:
        return None
    return text[: found.start(2)] + new + text[found.end(2) :]


def _collapse_blank_runs(lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """Leading lines merged from removed statements: comments kept, blank runs at most 2 long."""
    out: list[cst.EmptyLine] = []
    run = 0
    for line in lines:
        run = run + 1 if line.comment is None else 0
        if run <= 2:
            out.append(line)
    return out


def _no_semicolon(stmt: cst.BaseSmallStatement) -> cst.BaseSmallStatement:
    return stmt.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)


def _relocated_dotted(value: str, local: Mapping[str, str]) -> str | None:
    """A string that names a relocated module, or `module.attribute` / `module:attribute` in one."""
    if "." not in value:
        return None  # a bare top-level name ("shop") is too likely to be ordinary text
    if value in local:
        return local[value]
    for sep in (":", "."):
        head, found, tail = value.rpartition(sep)
        if found and head in local and tail.isidentifier():
            return f"{local[head]}{sep}{tail}"
    return None


def remote_map(
    functions: Sequence[tuple[str, str]], modules: Sequence[str], client_module: str
) -> tuple[dict[tuple[str, str], tuple[str, str]], dict[str, tuple[str, str]]]:
    """The `remote` and `remote_modules` maps of a Relocation for one generated client module."""
    remote = {(m, n): (client_module, f"{mangle(m)}__{n}") for m, n in functions}
    namespaces = {m: (client_module, mangle(m)) for m in modules}
    return remote, namespaces

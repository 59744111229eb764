"""Rewrite a module's imports for its new home, with libcst so comments and formatting survive.

One transform serves both sides of a cut:
- in a service skeleton, imports of moved and vendored modules point at their new place and imports
  of functions that stay in the monolith point at the generated client;
- in the monolith patch, imports of functions that moved point at the client of the new service.
Only the import statements (and strings naming a relocated module exactly, as Django settings do)
change; call sites keep their names because each client function is imported under the bound name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import libcst as cst

from strangler.skeleton.cstcache import Prepared, Triggers, module_code, prepared
from strangler.skeleton.escaping import is_dotted_name, one_line
from strangler.skeleton.layout import mangle
from strangler.skeleton.memo import PLACEHOLDER, Log, Memo, RecordingMap, RecordingSet
from strangler.skeleton.sources import resolve_relative


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
) -> str:
    """The module's text with its imports relocated; `drop_bound` names imports (and the
    `register_blueprint` statements using them) to remove from an app factory.

    Only the statements that can change are visited (see `cstcache`); a relative import that climbs
    to or above the top-level package is kept as written and noted in the header. With `package`
    (the service's package, which starts every new name), a rewrite of the same text for another
    service is reused when it comes out the same but for that name (see `memo`)."""
    prep = prepared(text)
    if not package or PLACEHOLDER in text:
        return _relocate(prep, name, is_package, relocation, tuple(header), drop_bound)
    maps = {
        "local": relocation.local,
        "remote": relocation.remote,
        "remote_modules": relocation.remote_modules,
        "known": relocation.known,
    }

    def run(log: Log) -> str:
        recording = Relocation(
            local=RecordingMap(maps, "local", package, log),
            remote=RecordingMap(maps, "remote", package, log),
            remote_modules=RecordingMap(maps, "remote_modules", package, log),
            known=RecordingSet(maps, "known", package, log),
        )
        return _relocate(prep, name, is_package, recording, tuple(header), drop_bound)

    memo = prep.memos.setdefault((name, is_package, tuple(header), drop_bound), Memo())
    return memo.rewrite(maps, package, run)


def _relocate(
    prep: Prepared,
    name: str,
    is_package: bool,
    relocation: Relocation,
    header: tuple[str, ...],
    drop_bound: frozenset[str],
) -> str:
    walk_all = any(imported in relocation.local for imported in sorted(prep.plain_imports))
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
    notes = [
        *header,
        *(
            f"strangler: `{statement}` climbs above the top-level package: kept as written"
            for statement in relocator.beyond_root
        ),
    ]
    # (a header names a path of the tree: a newline in it must not end the comment)
    comments = [cst.EmptyLine(comment=cst.Comment(f"# {one_line(line)}".rstrip())) for line in notes]
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
        # (new module, imported name, bound name or None) per alias, in order
        targets: list[tuple[str, str, str | None]] = []
        for alias in stmt.names:
            original = _alias_name(alias)
            bound = _bound(alias)
            if bound in self.drop_bound:
                continue
            asname = bound if alias.asname is not None else None
            submodule = f"{base}.{original}"
            if submodule in self.rel.known or submodule in self.rel.local:
                if submodule in self.rel.local:
                    parent, _, last = self.rel.local[submodule].rpartition(".")
                    targets.append((parent, last, bound if last != bound else None))
                elif submodule in self.rel.remote_modules:
                    client, namespace = self.rel.remote_modules[submodule]
                    targets.append((client, namespace, bound))
                else:
                    targets.append((_KEEP, original, asname))
            elif (base, original) in self.rel.remote:
                client, function = self.rel.remote[(base, original)]
                targets.append((client, function, bound))
            elif base in self.rel.local:
                targets.append((self.rel.local[base], original, asname))
            else:
                targets.append((_KEEP, original, asname))
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
                new = self.rel.local[original]
                changed = True
                if alias.asname is None:
                    self.plain_imports[original] = new
                renamed = alias.with_changes(name=_dotted(new), comma=cst.MaybeSentinel.DEFAULT)
                out.append(cst.Import(names=[renamed]))
            elif original in self.rel.remote_modules and alias.asname is not None:
                client, namespace = self.rel.remote_modules[original]
                changed = True
                out.append(
                    cst.ImportFrom(
                        module=_dotted(client),
                        names=[cst.ImportAlias(name=cst.Name(namespace), asname=alias.asname)],
                    )
                )
            else:
                out.append(cst.Import(names=[alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)]))
        return out if changed else [stmt]

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

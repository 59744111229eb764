"""The libcst transformer that rewrites a module's imports for its new home (`Relocator`).

It rewrites import statements from their own names (`from_targets`), uses of `a.b.x` after a plain
`import a.b` of relocated code, strings naming a relocated module, and drops the registrations of
blueprints that did not move (`drop_bound`); removed statements leave their comments behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst

from strangler.skeleton.cstcache import Triggers
from strangler.skeleton.escaping import is_dotted_name
from strangler.skeleton.import_targets import KEEP, Relocation, Target, from_targets, relocated_dotted
from strangler.skeleton.sources import resolve_relative


def relevant(found: Triggers, relocation: Relocation, drop_bound: frozenset[str]) -> bool:
    """Whether a top-level statement with these triggers can change under `relocation`."""
    return (
        found.imports
        or (bool(drop_bound) and found.registers)
        or any(relocated_dotted(value, relocation.local) is not None for value in found.strings)
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


class Relocator(cst.CSTTransformer):
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
        if found is not None and not relevant(found, self.rel, self.drop_bound):
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

    def without_removed(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
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
        return updated_node.with_changes(body=self.without_removed(updated_node.body))

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body = self.without_removed(updated_node.body) if self.removed else updated_node.body
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
        unchanged = len(targets) == len(stmt.names) and all(t[0] == KEEP for t in targets)
        if unchanged:
            return [stmt]
        same_names = len(targets) == len(stmt.names) and all(
            t[1] == _alias_name(a) for t, a in zip(targets, stmt.names)
        )
        if same_names and len({t[0] for t in targets}) == 1 and targets[0][0] not in (KEEP, ""):
            # The common case: only the module moved; keep the statement's own formatting.
            return [stmt.with_changes(module=_dotted(targets[0][0]), relative=[])]
        return _regrouped(stmt, targets)

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
        new = relocated_dotted(value, self.rel.local)
        if new is None or not is_dotted_name(new.replace(":", ".")):
            return updated_node  # (a new name is pasted between the quotes as it is)
        quote = updated_node.quote
        return updated_node.with_changes(value=f"{updated_node.prefix}{quote}{new}{quote}")


def _regrouped(stmt: cst.ImportFrom, targets: Sequence[Target]) -> list[cst.BaseSmallStatement]:
    """One statement per module the names of `stmt` now come from, in order of first use."""
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
        if new_module == KEEP:
            statements.append(cst.ImportFrom(module=stmt.module, relative=stmt.relative, names=aliases))
        elif not new_module:  # a moved package became the service's top-level package
            statements.append(cst.Import(names=aliases))
        else:
            statements.append(cst.ImportFrom(module=_dotted(new_module), names=aliases))
    return statements


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

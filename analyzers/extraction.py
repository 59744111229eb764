"""Pass 1 of the extraction: the statements of one parsed file, without walking every expression.

Module and class bodies, function bodies and compound statements are descended; imports (with the
markers of where they sit: function, TYPE_CHECKING, try/except ImportError, star), top-level
symbols (with signatures, bases, decorators, mutability), names bound at top level, `__all__`,
identifier and docstring terms. Expressions are only collected as sites for pass 2
(analyzers.name_uses), which finds the uses of import-bound names in them.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Container
from dataclasses import dataclass
from typing import cast

from analyzers.model import (
    IMPORT_FUNCTION,
    IMPORT_STAR,
    IMPORT_TRY,
    IMPORT_TYPE_CHECKING,
    Symbol,
    SymbolKind,
)
from analyzers.name_uses import Site, bound_names, find_uses, name_chain
from analyzers.ordering import in_order
from analyzers.raw_facts import MODULE_CALLER, RawImport, RawUse
from analyzers.terms import identifier_terms

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
_MUTABLE_CALLS = frozenset(
    {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}
)
_MUTABLE_NODES = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
_TRY_STAR: type = getattr(ast, "TryStar", ast.Try)  # Python 3.11+: try/except*
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class _Extracted:
    docstring: str
    symbols: tuple[Symbol, ...]
    terms: tuple[tuple[str, int], ...]
    imports: tuple[RawImport, ...]
    uses: tuple[RawUse, ...]
    defined: frozenset[str]
    exports: tuple[str, ...] | None


class Extractor:
    """Two cheap passes: statements (imports, symbols, expression sites), then sites with bound names."""

    def __init__(self, text: str, lines: list[str], sites: bool = True) -> None:
        self.text = text
        self.lines = lines
        # Without sites (another walk covers the expressions, see analyzers.parsing), a function or
        # class body is only descended for the imports it may hold.
        self.with_sites = sites
        self._import_lines: list[int] | None = None
        self.imports: list[RawImport] = []
        self.sites: list[Site] = []
        self.symbols: list[Symbol] = []
        self.defined: set[str] = set()
        self.exports: tuple[str, ...] | None = None
        self.words: list[str] = []
        self.docs: list[str] = []
        self.docstring = ""

    def run(self, tree: ast.Module) -> _Extracted:
        """Both passes."""
        self.statements(tree)
        return self.finish(find_uses(self.sites, self.imports, self.defined))

    def statements(self, tree: ast.Module) -> Container[str]:
        """Pass 1; returns the names whose uses pass 2 (or a walk standing in for it) records."""
        self.docstring = ast.get_docstring(tree, clean=True) or ""
        if self.docstring:
            self.docs.append(self.docstring)
        for stmt in tree.body:
            self._top(stmt)
        return bound_names(self.imports, self.defined)

    def finish(self, uses: tuple[RawUse, ...]) -> _Extracted:
        """The facts, with the name uses found in the sites of pass 1."""
        return _Extracted(
            docstring=self.docstring,
            symbols=in_order(self.symbols),
            terms=identifier_terms(self.words, self.docs),
            imports=tuple(self.imports),
            uses=uses,
            defined=frozenset(self.defined),
            exports=self.exports,
        )

    # -- pass 1: statements ----------------------------------------------------------------------

    def _top(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.defined.add(stmt.name)
            self.symbols.append(self._function_symbol(stmt))
            self.words.append(stmt.name)
            self._function(stmt, stmt.name, frozenset())
        elif isinstance(stmt, ast.ClassDef):
            self.defined.add(stmt.name)
            self.symbols.append(self._class_symbol(stmt))
            self.words.append(stmt.name)
            self._class(stmt, stmt.name, frozenset())
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self._assignment(stmt)
            self._statement(stmt, MODULE_CALLER, frozenset())
        else:
            self._statement(stmt, MODULE_CALLER, frozenset())

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, caller: str, markers: frozenset[str]
    ) -> None:
        if not self.with_sites:
            if self._may_import(node):
                inner = markers | {IMPORT_FUNCTION}
                for stmt in node.body:
                    self._statement(stmt, caller, inner)
            return
        for decorator in node.decorator_list:
            self.sites.append((decorator, caller, "decorator", markers))
        args = node.args
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.sites.append((arg.annotation, caller, "annotation", markers))
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self.sites.append((default, caller, None, markers))
        if node.returns is not None:
            self.sites.append((node.returns, caller, "annotation", markers))
        inner = markers | {IMPORT_FUNCTION}
        for stmt in node.body:
            self._statement(stmt, caller, inner)

    def _class(self, node: ast.ClassDef, caller: str, markers: frozenset[str]) -> None:
        if self.with_sites:
            for decorator in node.decorator_list:
                self.sites.append((decorator, caller, "decorator", markers))
            for base in node.bases:
                self.sites.append((base, caller, "base", markers))
            for keyword in node.keywords:
                self.sites.append((keyword.value, caller, None, markers))
        descend = self.with_sites or self._may_import(node)
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and caller == node.name:
                self.words.append(stmt.name)
            if descend:
                self._statement(stmt, caller, markers)

    def _may_import(self, node: ast.stmt) -> bool:
        """Whether a line of `node` says `import` (an import statement in it must)."""
        found = self._import_lines
        if found is None:
            found = self._import_lines = [n for n, line in enumerate(self.lines, 1) if "import" in line]
        index = bisect_left(found, node.lineno)
        return index < len(found) and found[index] <= (node.end_lineno or node.lineno)

    def _statement(self, stmt: ast.stmt, caller: str, markers: frozenset[str]) -> None:
        kind = type(stmt)
        if kind in _PLAIN:  # most statements: straight to the last branch below
            if caller == MODULE_CALLER:
                if kind is ast.Assign:
                    assert isinstance(stmt, ast.Assign)
                    for target in stmt.targets:
                        self.defined.update(_bound_names(target))
                elif self.exports is not None:
                    self._export_edit(stmt)
            self.sites.append((stmt, caller, None, markers))
        elif kind is ast.Import:
            assert isinstance(stmt, ast.Import)
            for alias in stmt.names:
                bound = alias.asname or alias.name.partition(".")[0]
                self.imports.append(RawImport(stmt.lineno, alias.name, 0, False, (), bound, markers, caller))
        elif kind is ast.ImportFrom:
            assert isinstance(stmt, ast.ImportFrom)
            names = tuple((a.name, a.asname or a.name) if a.name != "*" else ("*", "") for a in stmt.names)
            marks = markers | {IMPORT_STAR} if names and names[0][0] == "*" else markers
            self.imports.append(
                RawImport(stmt.lineno, stmt.module or "", stmt.level or 0, True, names, "", marks, caller)
            )
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            assert isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
            if caller == MODULE_CALLER:  # a conditional top-level definition (under if/try)
                self.defined.add(stmt.name)
                self.symbols.append(self._function_symbol(stmt))
                caller = stmt.name
            self._function(stmt, caller, markers)
        elif kind is ast.ClassDef:
            assert isinstance(stmt, ast.ClassDef)
            if caller == MODULE_CALLER:
                self.defined.add(stmt.name)
                self.symbols.append(self._class_symbol(stmt))
                caller = stmt.name
            self._class(stmt, caller, markers)
        elif kind is ast.If:
            assert isinstance(stmt, ast.If)
            self.sites.append((stmt.test, caller, None, markers))
            inner = markers | {IMPORT_TYPE_CHECKING} if _is_type_checking(stmt.test) else markers
            for child in stmt.body:
                self._statement(child, caller, inner)
            for child in stmt.orelse:
                self._statement(child, caller, markers)
        elif kind is ast.Try or kind is _TRY_STAR:
            stmt = cast(ast.Try, stmt)  # ast.TryStar has the same fields
            guarded = any(_catches_import_error(h.type) for h in stmt.handlers)
            inner = markers | {IMPORT_TRY} if guarded else markers
            for child in stmt.body:
                self._statement(child, caller, inner)
            for handler in stmt.handlers:
                if handler.type is not None:
                    self.sites.append((handler.type, caller, None, markers))
                for child in handler.body:
                    self._statement(child, caller, inner)
            for child in (*stmt.orelse, *stmt.finalbody):
                self._statement(child, caller, markers)
        elif kind in _COMPOUND_HEADERS:
            for field in _COMPOUND_HEADERS[kind]:
                value = getattr(stmt, field)
                if isinstance(value, list):  # `with` items
                    for item in value:
                        self.sites.append((item.context_expr, caller, None, markers))
                elif value is not None:
                    self.sites.append((value, caller, None, markers))
            for field in ("body", "orelse"):
                for child in getattr(stmt, field, ()):
                    self._statement(child, caller, markers)
            if kind is ast.Match:
                assert isinstance(stmt, ast.Match)
                for case in stmt.cases:
                    for child in case.body:
                        self._statement(child, caller, markers)
        elif kind is ast.AnnAssign:
            assert isinstance(stmt, ast.AnnAssign)
            self.sites.append((stmt.annotation, caller, "annotation", markers))
            if stmt.value is not None:
                self.sites.append((stmt.value, caller, None, markers))
        else:
            if caller == MODULE_CALLER:
                if kind is ast.Assign:
                    assert isinstance(stmt, ast.Assign)
                    for target in stmt.targets:
                        self.defined.update(_bound_names(target))
                elif self.exports is not None:
                    self._export_edit(stmt)
            self.sites.append((stmt, caller, None, markers))

    def _assignment(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            for name in _bound_names(target):
                self.defined.add(name)
                if isinstance(target, ast.Name) and not (name.startswith("__") and name.endswith("__")):
                    self.words.append(name)
                    mutable = _is_mutable(stmt.value)
                    kind: SymbolKind = "constant" if name.isupper() else "variable"
                    self.symbols.append(Symbol(name, kind, stmt.lineno, mutable=mutable))
                if name == "__all__" and isinstance(stmt, ast.Assign):
                    self.exports = _literal_strings(stmt.value)

    def _export_edit(self, stmt: ast.stmt) -> None:
        """`__all__ += [...]`, `__all__.extend([...])`, `__all__.append("x")` after a literal `__all__`."""
        added: tuple[str, ...] | None = None
        if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            added = _literal_strings(stmt.value) if stmt.target.id == "__all__" else None
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            chain = name_chain(call.func)
            if chain is not None and chain[0] == "__all__" and len(chain) == 2 and len(call.args) == 1:
                if chain[1] == "extend":
                    added = _literal_strings(call.args[0])
                elif chain[1] == "append" and isinstance(call.args[0], ast.Constant):
                    value = call.args[0].value
                    added = (value,) if isinstance(value, str) else None
        if added is not None and self.exports is not None:
            self.exports = (*self.exports, *added)

    def _function_symbol(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Symbol:
        doc = ast.get_docstring(node, clean=False)
        if doc:
            self.docs.append(doc)
        return Symbol(
            node.name,
            "function",
            node.lineno,
            params=self._params(node.args),
            returns=self._segment(node.returns) if node.returns is not None else "",
            is_async=isinstance(node, ast.AsyncFunctionDef),
            is_generator=self._is_generator(node),
            decorators=tuple(self._segment(d) for d in node.decorator_list),
        )

    def _class_symbol(self, node: ast.ClassDef) -> Symbol:
        doc = ast.get_docstring(node, clean=False)
        if doc:
            self.docs.append(doc)
        return Symbol(
            node.name,
            "class",
            node.lineno,
            bases=tuple(self._segment(b) for b in node.bases),
            decorators=tuple(self._segment(d) for d in node.decorator_list),
        )

    def _params(self, args: ast.arguments) -> str:
        parts: list[str] = []
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults.extend(args.defaults)
        for index, (arg, default) in enumerate(zip(positional, defaults)):
            parts.append(self._segment(arg) + (f"={self._segment(default)}" if default else ""))
            if args.posonlyargs and index == len(args.posonlyargs) - 1:
                parts.append("/")
        if args.vararg is not None:
            parts.append("*" + self._segment(args.vararg))
        elif args.kwonlyargs:
            parts.append("*")
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
            parts.append(self._segment(arg) + (f"={self._segment(kw_default)}" if kw_default else ""))
        if args.kwarg is not None:
            parts.append("**" + self._segment(args.kwarg))
        return ", ".join(parts)

    def _segment(self, node: ast.AST) -> str:
        """Source text of a node (like ast.get_source_segment, without re-splitting the file)."""
        start, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if start is None or end is None:
            return ast.unparse(node)
        first, last = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        if start == end:
            return _cut(self.lines[start - 1], first, last)
        chunk = [_cut(self.lines[start - 1], first, None)]
        chunk.extend(self.lines[start : end - 1])
        chunk.append(_cut(self.lines[end - 1], 0, last))
        return " ".join(part.strip() for part in chunk)

    def _is_generator(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        end = node.end_lineno or node.lineno
        if "yield" not in "\n".join(self.lines[node.lineno - 1 : end]):
            return False
        stack: list[ast.AST] = list(node.body)
        while stack:
            current = stack.pop()
            if isinstance(current, (ast.Yield, ast.YieldFrom)):
                return True
            if not isinstance(current, _NESTED_SCOPES):
                stack.extend(ast.iter_child_nodes(current))
        return False


# Statements with no body, no import and no header to mark: only a site (see the last branch).
_PLAIN = frozenset(
    {ast.Assign, ast.Expr, ast.Return, ast.AugAssign, ast.Raise, ast.Pass, ast.Delete, ast.Assert}
    | {ast.Global, ast.Nonlocal, ast.Break, ast.Continue}
)
_COMPOUND_HEADERS: dict[type, tuple[str, ...]] = {
    ast.For: ("target", "iter"),
    ast.AsyncFor: ("target", "iter"),
    ast.While: ("test",),
    ast.With: ("items",),
    ast.AsyncWith: ("items",),
    ast.Match: ("subject",),
}


def _cut(line: str, start: int, end: int | None) -> str:
    # AST column offsets count UTF-8 bytes.
    if line.isascii():
        return line[start:end]
    return line.encode("utf-8")[start:end].decode("utf-8", "replace")


def _is_type_checking(test: ast.expr) -> bool:
    chain = name_chain(test)
    return chain is not None and chain[-1] == "TYPE_CHECKING"


def _catches_import_error(node: ast.expr | None) -> bool:
    if node is None:
        return False
    candidates = node.elts if isinstance(node, ast.Tuple) else [node]
    for candidate in candidates:
        chain = name_chain(candidate)
        if chain is not None and chain[-1] in _IMPORT_ERRORS:
            return True
    return False


def _bound_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _bound_names(element)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def _is_mutable(value: ast.expr | None) -> bool:
    if isinstance(value, _MUTABLE_NODES):
        return True
    if isinstance(value, ast.Call):
        chain = name_chain(value.func)
        return chain is not None and chain[-1] in _MUTABLE_CALLS
    return False


def _literal_strings(value: ast.expr) -> tuple[str, ...] | None:
    if isinstance(value, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
    ):
        return tuple(e.value for e in value.elts)  # type: ignore[attr-defined]
    return None

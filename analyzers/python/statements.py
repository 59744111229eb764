"""The statement facts of one parsed file, recorded as the walk (analyzers.python.walk) meets them.

Imports (with the markers of where they sit: function, TYPE_CHECKING, try/except ImportError,
star), top-level symbols (with signatures, bases, decorators, mutability), names bound at top
level, `__all__`, identifier and docstring terms. This class descends nothing itself: the one walk
of the file calls it at each statement that can hold such a fact.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from analyzers.model import IMPORT_STAR, Symbol, SymbolKind
from analyzers.ordering import in_order
from analyzers.python.bindings import name_chain
from analyzers.python.raw import RawImport, RawUse
from analyzers.python.terms import identifier_terms

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
_MUTABLE_CALLS = frozenset(
    {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}
)
_MUTABLE_NODES = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one file says on its own, before the framework facts."""

    docstring: str
    symbols: tuple[Symbol, ...]
    terms: tuple[tuple[str, int], ...]
    imports: tuple[RawImport, ...]
    uses: tuple[RawUse, ...]
    defined: frozenset[str]
    exports: tuple[str, ...] | None


class StatementFacts:
    """The statement facts of one file; `lines` (its source lines) give signatures as written."""

    def __init__(self, lines: list[str] | None = None) -> None:
        self.lines = lines  # (None: a tree without its source; signatures are unparsed instead)
        self.imports: list[RawImport] = []
        self.symbols: list[Symbol] = []
        self.defined: set[str] = set()
        self.exports: tuple[str, ...] | None = None
        self.words: list[str] = []
        self.docs: list[str] = []
        self.docstring = ""

    def module(self, tree: ast.Module) -> None:
        self.docstring = ast.get_docstring(tree, clean=True) or ""
        if self.docstring:
            self.docs.append(self.docstring)

    def finish(self, uses: tuple[RawUse, ...], dynamic: list[RawImport]) -> Extracted:
        """The facts, with the walk's name uses and the dynamic imports it met (after the others)."""
        return Extracted(
            docstring=self.docstring,
            symbols=in_order(self.symbols),
            terms=identifier_terms(self.words, self.docs),
            imports=(*self.imports, *dynamic),
            uses=uses,
            defined=frozenset(self.defined),
            exports=self.exports,
        )

    def definition(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, direct: bool) -> None:
        """A top-level def or class (`direct`: in the module body itself, not under if/try/...)."""
        self.defined.add(stmt.name)
        if type(stmt) is ast.ClassDef:
            self.symbols.append(self._class_symbol(stmt))
        else:
            self.symbols.append(self._function_symbol(stmt))  # type: ignore[arg-type]
        if direct:
            self.words.append(stmt.name)

    def methods(self, node: ast.ClassDef) -> None:
        """The method names of a top-level class join the vocabulary."""
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.words.append(stmt.name)

    def top_assignment(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        """An assignment in the module body itself: symbols, `__all__`."""
        self._assignment(stmt)

    def module_statement(self, stmt: ast.stmt) -> None:
        """A simple statement run at module level (under if/try too): bound names, `__all__` edits."""
        if type(stmt) is ast.Assign:
            for target in stmt.targets:
                self.defined.update(_bound_names(target))
        elif self.exports is not None:
            self._export_edit(stmt)

    def import_(
        self, stmt: ast.Import | ast.ImportFrom, caller: str, markers: frozenset[str]
    ) -> list[RawImport]:
        """The imports of an import statement, recorded and returned."""
        if type(stmt) is ast.Import:
            found = [
                RawImport(
                    stmt.lineno, a.name, 0, False, (), a.asname or a.name.partition(".")[0], markers, caller
                )
                for a in stmt.names
            ]
        else:
            assert isinstance(stmt, ast.ImportFrom)
            names = tuple((a.name, a.asname or a.name) if a.name != "*" else ("*", "") for a in stmt.names)
            marks = markers | {IMPORT_STAR} if names and names[0][0] == "*" else markers
            found = [
                RawImport(stmt.lineno, stmt.module or "", stmt.level or 0, True, names, "", marks, caller)
            ]
        self.imports += found
        return found

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
        if start is None or end is None or self.lines is None:
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
        if self.lines is not None and "yield" not in "\n".join(self.lines[node.lineno - 1 : end]):
            return False
        stack: list[ast.AST] = list(node.body)
        while stack:
            current = stack.pop()
            if isinstance(current, (ast.Yield, ast.YieldFrom)):
                return True
            if not isinstance(current, _NESTED_SCOPES):
                stack.extend(ast.iter_child_nodes(current))
        return False


def _cut(line: str, start: int, end: int | None) -> str:
    # AST column offsets count UTF-8 bytes.
    if line.isascii():
        return line[start:end]
    return line.encode("utf-8")[start:end].decode("utf-8", "replace")


def is_type_checking(test: ast.expr) -> bool:
    """`if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)."""
    chain = name_chain(test)
    return chain is not None and chain[-1] == "TYPE_CHECKING"


def catches_import_error(node: ast.expr | None) -> bool:
    """An `except` clause for ImportError or ModuleNotFoundError."""
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

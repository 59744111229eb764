"""One source file to its `FileFacts`: symbols, raw imports and raw name uses, never raising.

Parsing is the cost of the whole analysis (see research/performance.md), so the extraction never
walks every node: it descends statements only, and walks an expression only when the source lines
it spans mention a name bound by an import (a regular expression over the text finds those lines).
Names are resolved to modules later, in `imports` and `references`, once every file is known.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analyzers.model import (
    IMPORT_DYNAMIC,
    IMPORT_FUNCTION,
    IMPORT_STAR,
    IMPORT_TRY,
    IMPORT_TYPE_CHECKING,
    Diagnostic,
    ReferenceKind,
    Symbol,
    SymbolKind,
)
from analyzers.reading import decode_source

MODULE_CALLER = "<module>"


@dataclass(frozen=True, slots=True)
class RawImport:
    """An import statement (or a literal dynamic import) as written, before resolution."""

    line: int
    module: str  # dotted name after `import` / `from` ("" in `from . import x`)
    level: int  # leading dots of a relative import
    is_from: bool
    names: tuple[tuple[str, str], ...] = ()  # from-imports: (name, local name); ("*", "") for star
    bound: str = ""  # `import a.b` binds "a"; `import a.b as c` binds "c"; "" for dynamic imports
    markers: frozenset[str] = frozenset()
    caller: str = MODULE_CALLER  # top-level function/class the import sits in


@dataclass(frozen=True, slots=True)
class RawUse:
    """A use of an import-bound name: `chain` is the dotted access, e.g. ("service", "place_order")."""

    caller: str
    line: int
    chain: tuple[str, ...]
    kind: ReferenceKind


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything one file tells on its own; picklable and cached per file content."""

    loc: int = 0
    docstring: str = ""
    symbols: tuple[Symbol, ...] = ()
    terms: tuple[tuple[str, int], ...] = ()
    imports: tuple[RawImport, ...] = ()
    uses: tuple[RawUse, ...] = ()
    defined: frozenset[str] = frozenset()  # every name bound at top level by def/class/assignment
    exports: tuple[str, ...] | None = None  # a literal `__all__`, if any
    frameworks: Any = None  # analyzers.frameworks.FrameworkFacts, when that extractor is present
    diagnostics: tuple[Diagnostic, ...] = ()
    parsed: bool = True


def parse_file(data: bytes, module: str, path: str, scan: Any = None) -> FileFacts:
    """Decode, parse and extract one file. `scan` is the framework extractor, called on the tree."""
    text, problem = decode_source(data, path)
    if text is None:
        return FileFacts(diagnostics=(problem,) if problem else (), parsed=False)
    lines = _split_lines(text)
    loc = count_loc(lines)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        hint = " (Python 2 code?)" if _looks_like_python2(exc) else ""
        return FileFacts(
            loc=loc,
            diagnostics=(Diagnostic(path, exc.lineno or 0, "syntax-error", f"{exc.msg}{hint}"),),
            parsed=False,
        )
    except (ValueError, RecursionError, MemoryError) as exc:
        message = f"cannot parse: {type(exc).__name__}"
        return FileFacts(loc=loc, diagnostics=(Diagnostic(path, 0, "syntax-error", message),), parsed=False)
    facts = _Extractor(text, lines).run(tree)
    frameworks = None
    diagnostics: tuple[Diagnostic, ...] = ()
    if scan is not None:
        try:
            frameworks = scan(tree, module, path)
        except Exception as exc:  # a framework extractor bug must not lose the file's other facts
            diagnostics = (Diagnostic(path, 0, "framework-scan", f"{type(exc).__name__}: {exc}"),)
    return FileFacts(
        loc=loc,
        docstring=facts.docstring,
        symbols=facts.symbols,
        terms=facts.terms,
        imports=facts.imports,
        uses=facts.uses,
        defined=facts.defined,
        exports=facts.exports,
        frameworks=frameworks,
        diagnostics=diagnostics,
    )


def count_loc(lines: Iterable[str]) -> int:
    """Non-blank lines that are not only a comment."""
    count = 0
    for line in lines:
        stripped = line.strip()
        if stripped and stripped[0] != "#":
            count += 1
    return count


def _looks_like_python2(exc: SyntaxError) -> bool:
    text = (exc.text or "").strip()
    return (
        "Missing parentheses" in (exc.msg or "")
        or text.startswith(("print ", "exec "))
        or (text.startswith("except ") and "," in text)
    )


_NEWLINES = re.compile(r"\r\n|\r|\n")


def _split_lines(text: str) -> list[str]:
    # Lines exactly as the parser numbers them (\f and other separators do not end a line).
    if "\r" not in text:
        return text.split("\n")
    return _NEWLINES.split(text)


# --- extraction ---------------------------------------------------------------------------------

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
_MUTABLE_CALLS = frozenset(
    {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}
)
_MUTABLE_NODES = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
_DYNAMIC_FUNCS = frozenset({"import_module", "__import__"})
_TRY_STAR: type = getattr(ast, "TryStar", ast.Try)  # Python 3.11+: try/except*
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
_DOC_WORD = re.compile(r"[A-Za-z]{3,}")
_STOPWORD_TEXT = """the and for with that this from into are was were not but you your our its has have
had can will use used uses using get set all any one two def self cls none true false return returns
when then than also each which what who how why may must should would could there their them they
these those such only more most other some out via per see args kwargs param params init str int
bool float list dict tuple obj value values"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# A site is an expression (or simple statement) whose names are uses, with a fixed kind or None.
_Site = tuple[ast.AST, str, "ReferenceKind | None", frozenset[str]]


@dataclass(frozen=True, slots=True)
class _Extracted:
    docstring: str
    symbols: tuple[Symbol, ...]
    terms: tuple[tuple[str, int], ...]
    imports: tuple[RawImport, ...]
    uses: tuple[RawUse, ...]
    defined: frozenset[str]
    exports: tuple[str, ...] | None


class _Extractor:
    """Two cheap passes: statements (imports, symbols, expression sites), then sites with bound names."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.lines = lines
        self.imports: list[RawImport] = []
        self.sites: list[_Site] = []
        self.symbols: list[Symbol] = []
        self.defined: set[str] = set()
        self.exports: tuple[str, ...] | None = None
        self.words: list[str] = []
        self.docs: list[str] = []

    def run(self, tree: ast.Module) -> _Extracted:
        docstring = ast.get_docstring(tree, clean=True) or ""
        if docstring:
            self.docs.append(docstring)
        for stmt in tree.body:
            self._top(stmt)
        uses = self._uses()
        return _Extracted(
            docstring=docstring,
            symbols=tuple(sorted(self.symbols)),
            terms=self._terms(),
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
        for decorator in node.decorator_list:
            self.sites.append((decorator, caller, "decorator", markers))
        for base in node.bases:
            self.sites.append((base, caller, "base", markers))
        for keyword in node.keywords:
            self.sites.append((keyword.value, caller, None, markers))
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and caller == node.name:
                self.words.append(stmt.name)
            self._statement(stmt, caller, markers)

    def _statement(self, stmt: ast.stmt, caller: str, markers: frozenset[str]) -> None:
        kind = type(stmt)
        if kind is ast.Import:
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
            assert isinstance(stmt, ast.Try)
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
            if caller == MODULE_CALLER and kind is ast.Assign:
                assert isinstance(stmt, ast.Assign)
                for target in stmt.targets:
                    self.defined.update(_bound_names(target))
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

    def _terms(self) -> tuple[tuple[str, int], ...]:
        counts: Counter[str] = Counter()
        for word in self.words:
            for part in _WORD.findall(word):
                lowered = part.lower()
                if len(lowered) > 2 and lowered not in _STOPWORDS:
                    counts[lowered] += 1
        for doc in self.docs:
            for part in _DOC_WORD.findall(doc):
                lowered = part.lower()
                if lowered not in _STOPWORDS:
                    counts[lowered] += 1
        return tuple(sorted(counts.items()))

    # -- pass 2: uses of import-bound names --------------------------------------------------------

    def _uses(self) -> tuple[RawUse, ...]:
        bound: set[str] = set()
        for raw in self.imports:
            if raw.is_from:
                bound.update(local for name, local in raw.names if name != "*")
            else:
                bound.add(raw.bound)
        out: list[RawUse] = []
        for node, caller, kind, markers in self.sites:
            self._walk(node, caller, kind, markers, bound, out)
        return tuple(out)

    def _walk(
        self,
        root: ast.AST,
        caller: str,
        fixed: ReferenceKind | None,
        markers: frozenset[str],
        bound: set[str],
        out: list[RawUse],
    ) -> None:
        """Record every Name-rooted chain whose root is import-bound; look for dynamic imports.

        A hand-written child table instead of ast.iter_child_nodes: this loop is the hot path.
        """
        stack: list[Any] = [root]
        pop, push, extend = stack.pop, stack.append, stack.extend
        children = _CHILDREN
        while stack:
            node = pop()
            kind = type(node)
            if kind is ast.Name:
                if node.id in bound:
                    out.append(RawUse(caller, node.lineno, (node.id,), fixed or "name"))
            elif kind is ast.Attribute:
                chain = _chain(node)
                if chain is None:
                    push(node.value)
                elif chain[0] in bound:
                    out.append(RawUse(caller, node.lineno, chain, fixed or "attribute"))
            elif kind is ast.Call:
                func = node.func
                chain = _chain(func)
                if chain is not None:
                    if chain[-1] in _DYNAMIC_FUNCS:
                        self._dynamic(node, chain, caller, markers)
                    if chain[0] in bound:
                        out.append(RawUse(caller, func.lineno, chain, fixed or "call"))
                else:
                    push(func)
                extend(node.args)
                for keyword in node.keywords:
                    push(keyword.value)
            elif kind is ast.Constant or node is None:
                continue
            else:
                fields = children.get(kind)
                if fields is None:
                    extend(ast.iter_child_nodes(node))
                    continue
                for name in fields:
                    value = getattr(node, name)
                    if type(value) is list:
                        extend(value)
                    elif value is not None:
                        push(value)

    def _dynamic(self, call: ast.Call, chain: tuple[str, ...], caller: str, markers: frozenset[str]) -> None:
        if chain not in (("importlib", "import_module"), ("import_module",), ("__import__",)):
            return
        if not call.args or not isinstance(call.args[0], ast.Constant):
            return
        target = call.args[0].value
        if not isinstance(target, str) or not target.strip(".") or " " in target:
            return
        level = len(target) - len(target.lstrip("."))
        if level:
            package = next((k.value for k in call.keywords if k.arg == "package"), None)
            if len(call.args) > 1:
                package = call.args[1]
            if not (isinstance(package, ast.Constant) and isinstance(package.value, str)):
                return
            target = _absolute(package.value, target)
            if target is None:
                return
        self.imports.append(
            RawImport(call.lineno, target, 0, False, (), "", markers | {IMPORT_DYNAMIC}, caller)
        )


# Child fields that can hold expressions, per node type (contexts and operators left out).
_CHILDREN: dict[type, tuple[str, ...]] = {
    ast.Expr: ("value",),
    ast.Assign: ("targets", "value"),
    ast.AugAssign: ("target", "value"),
    ast.Return: ("value",),
    ast.Delete: ("targets",),
    ast.Raise: ("exc", "cause"),
    ast.Assert: ("test", "msg"),
    ast.Global: (),
    ast.Nonlocal: (),
    ast.Pass: (),
    ast.Break: (),
    ast.Continue: (),
    ast.BoolOp: ("values",),
    ast.BinOp: ("left", "right"),
    ast.UnaryOp: ("operand",),
    ast.Lambda: ("args", "body"),
    ast.IfExp: ("test", "body", "orelse"),
    ast.Dict: ("keys", "values"),
    ast.Set: ("elts",),
    ast.List: ("elts",),
    ast.Tuple: ("elts",),
    ast.ListComp: ("elt", "generators"),
    ast.SetComp: ("elt", "generators"),
    ast.GeneratorExp: ("elt", "generators"),
    ast.DictComp: ("key", "value", "generators"),
    ast.comprehension: ("target", "iter", "ifs"),
    ast.Await: ("value",),
    ast.Yield: ("value",),
    ast.YieldFrom: ("value",),
    ast.Compare: ("left", "comparators"),
    ast.FormattedValue: ("value", "format_spec"),
    ast.JoinedStr: ("values",),
    ast.Subscript: ("value", "slice"),
    ast.Starred: ("value",),
    ast.Slice: ("lower", "upper", "step"),
    ast.NamedExpr: ("target", "value"),
    ast.arguments: ("posonlyargs", "args", "vararg", "kwonlyargs", "kw_defaults", "kwarg", "defaults"),
    ast.arg: ("annotation",),
}

_COMPOUND_HEADERS: dict[type, tuple[str, ...]] = {
    ast.For: ("target", "iter"),
    ast.AsyncFor: ("target", "iter"),
    ast.While: ("test",),
    ast.With: ("items",),
    ast.AsyncWith: ("items",),
    ast.Match: ("subject",),
}


def _absolute(package: str, relative: str) -> str | None:
    level = len(relative) - len(relative.lstrip("."))
    parts = package.split(".")
    if level - 1 > len(parts) - 1:
        return None
    base = parts[: len(parts) - (level - 1)]
    rest = relative[level:]
    return ".".join([*base, rest] if rest else base)


def _cut(line: str, start: int, end: int | None) -> str:
    # AST column offsets count UTF-8 bytes.
    if line.isascii():
        return line[start:end]
    return line.encode("utf-8")[start:end].decode("utf-8", "replace")


def _chain(node: ast.AST) -> tuple[str, ...] | None:
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return tuple(parts)


def _is_type_checking(test: ast.expr) -> bool:
    chain = _chain(test)
    return chain is not None and chain[-1] == "TYPE_CHECKING"


def _catches_import_error(node: ast.expr | None) -> bool:
    if node is None:
        return False
    candidates = node.elts if isinstance(node, ast.Tuple) else [node]
    for candidate in candidates:
        chain = _chain(candidate)
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
        chain = _chain(value.func)
        return chain is not None and chain[-1] in _MUTABLE_CALLS
    return False


def _literal_strings(value: ast.expr) -> tuple[str, ...] | None:
    if isinstance(value, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
    ):
        return tuple(e.value for e in value.elts)  # type: ignore[attr-defined]
    return None

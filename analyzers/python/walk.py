"""The one walk of a parsed file, which every per-file fact extractor hooks into.

Walking a file is, after parsing, the largest cost of the analysis (research/performance.md), so
each file is walked once: statements recursively, expressions with an explicit stack over only
the fields that can hold a name, a call or a string. On the way the walk

- records the statement facts (analyzers.python.statements: imports with their markers, symbols,
  names bound at top level, `__all__`, terms);
- records the uses of import-bound names (analyzers.python.bindings) and literal dynamic imports;
- tells an extractor riding along (`WalkHooks`: the framework scanner) what it meets. A hook that
  raises is contained: the walk notes the first failure (`FileWalk.failure`), drops the hooks and
  goes on, so the file keeps every other fact.

An import binds its names for the whole file, also for uses the walk met before it (a module
imported at the bottom, or inside a later function). The walk remembers which names were bound
when it walked each expression and, at the end, walks again only the expressions whose lines
mention a name bound after them, for that name alone.

Expressions are walked in three ways:
- `expression`: name uses and hooked calls (values, targets, tests, decorators, bases, defaults...);
- `uses_only`: name uses, calls handed to `WalkHooks.loader_call` (annotations, f-string fields);
- `scan_only`: hooked calls, no name uses (`with ... as x` targets, match patterns and guards, the
  target of an annotated assignment: no use of a name).
"""

from __future__ import annotations

import ast
import string
from bisect import bisect_left, bisect_right
from collections.abc import Container
from itertools import accumulate, repeat
from operator import add, itemgetter
from typing import Any, NamedTuple

from analyzers.model import IMPORT_FUNCTION, IMPORT_TRY, IMPORT_TYPE_CHECKING, ReferenceKind
from analyzers.python.bindings import (
    DYNAMIC_FUNCS,
    NEVER_STARRED,
    Missing,
    Unbound,
    bound_by,
    bound_names,
    dynamic_import,
    is_star,
    name_chain,
)
from analyzers.python.raw import MODULE_CALLER, RawImport, RawUse
from analyzers.python.statements import Extracted, StatementFacts, catches_import_error, is_type_checking

#: What an extractor keeps per function or class body (the scanner: local names of models, imports).
Local = dict[str, str]

# Fields that never hold a name use, a call or a string (names, contexts, operators, annotations).
_SKIPPED_FIELDS = frozenset(
    {"ctx", "op", "ops", "annotation", "returns", "type_comment", "type_params", "id", "attr"}
    | {"arg", "name", "names", "module", "level", "kind", "conversion", "is_async", "simple"}
)
_FIELDS: dict[type, tuple[str, ...]] = {}


def fields_of(kind: type) -> tuple[str, ...]:
    """The fields of a node type the walk descends into."""
    fields = _FIELDS.get(kind)
    if fields is None:
        if issubclass(kind, ast.AST) and kind is not ast.Name:
            fields = tuple(f for f in kind._fields if f not in _SKIPPED_FIELDS)
        else:
            fields = ()
        _FIELDS[kind] = fields
    return fields


class WalkHooks:
    """What an extractor riding the walk is told; here every hook does nothing.

    `scope` is the qualified name of the enclosing function ("" at module and class level);
    `local` is what the extractor returned for the enclosing body (`enter_class`, `enter_function`).
    """

    def begin(self, tree: ast.Module) -> None:
        """Before the walk."""

    def enter_class(self, node: ast.ClassDef, scope: str, local: Local) -> Local:
        """A class statement; returns the `local` of its body."""
        return {}

    def enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, name: str, local: Local) -> Local:
        """A def statement (`name`: qualified); returns the `local` of its body."""
        return {}

    def decorator(self, node: ast.expr, scope: str, qualified: str, on_class: bool) -> None:
        """A decorator of the function or class `qualified`, before its expression is walked."""

    def assignment(self, node: ast.Assign | ast.AnnAssign, scope: str, local: Local) -> None:
        """An assignment with a value, before its expressions are walked."""

    def local_import(self, node: ast.Import | ast.ImportFrom, local: Local) -> None:
        """An import statement inside a function."""

    def call(self, call: ast.Call, scope: str, local: Local) -> None:
        """A call in an expression the walk scans."""

    def loader_call(self, call: ast.Call) -> None:
        """A call in an annotation or an f-string replacement field."""

    def formatted(self, part: ast.FormattedValue) -> None:
        """An f-string replacement field where no name use is recorded."""


NO_HOOKS = WalkHooks()


class _Frame(NamedTuple):
    """Where a body sits: qualified name, enclosing function, top-level caller, import markers, and
    what the hooks keep for it (a named tuple: one is made per body, and a tuple is made in C)."""

    qual: str
    scope: str
    caller: str
    markers: frozenset[str]
    local: Local


class FileWalk:
    """One walk of one parsed file: `run`, then `extracted()` for its facts."""

    def __init__(self, lines: list[str] | None = None) -> None:
        self.facts = StatementFacts(lines)
        self.hooks: WalkHooks = NO_HOOKS
        self.failure: Exception | None = None  # the first exception a hook raised
        self._bound_set: set[str] = set()
        self.bound: list[str] = []  # the bound names in the order the walk met their imports ("*": a star)
        self.bound_at: list[tuple[int, int]] = []  # where the import of each one starts (line, column)
        self.names: Container[str] = self._bound_set  # whose uses are recorded (more after a star import)
        self.star: int | None = None  # where "*" stands in `bound`
        self.out: list[RawUse] = []
        self.dynamic: list[RawImport] = []
        self.markers: frozenset[str] = frozenset()
        # Each expression walked for uses: (root, caller, fixed kind, names bound then)
        self.sites: list[tuple[ast.AST, str, ReferenceKind | None, int]] = []

    def run(self, tree: ast.Module, hooks: WalkHooks = NO_HOOKS) -> None:
        self.hooks = hooks
        try:
            hooks.begin(tree)
        except Exception as exc:
            self._failed(exc)
        self.facts.module(tree)
        self._body(tree.body, _Frame("", "", MODULE_CALLER, frozenset(), {}), True)
        self._late_uses()

    def extracted(self) -> Extracted:
        return self.facts.finish(tuple(self.out), self.dynamic)

    def _failed(self, exc: Exception) -> None:
        """A hook raised: keep the first failure, walk on without hooks."""
        if self.failure is None:
            self.failure = exc
        self.hooks = NO_HOOKS

    # -- statements --------------------------------------------------------------------------

    def _body(self, body: list[ast.stmt], frame: _Frame, direct: bool = False) -> None:
        saved = self.markers
        self.markers = frame.markers
        table = _STATEMENTS
        for statement in body:
            table.get(type(statement), FileWalk._other)(self, statement, frame, direct)
        self.markers = saved

    def _expr(self, statement: ast.Expr, frame: _Frame, direct: bool) -> None:
        if frame.caller == MODULE_CALLER:
            self.facts.module_statement(statement)
        value = statement.value
        if not (type(value) is ast.Constant and isinstance(value.value, str)):
            self.expression(value, frame.scope, frame.local, frame.caller)  # docstrings are prose

    def _assign(self, statement: ast.Assign, frame: _Frame, direct: bool) -> None:
        if frame.caller == MODULE_CALLER:
            if direct:
                self.facts.top_assignment(statement)
            self.facts.module_statement(statement)
        self._assigned(statement, frame)
        self.expression(statement.value, frame.scope, frame.local, frame.caller)
        for target in statement.targets:
            self.expression(target, frame.scope, frame.local, frame.caller)

    def _ann_assign(self, statement: ast.AnnAssign, frame: _Frame, direct: bool) -> None:
        if direct:
            self.facts.top_assignment(statement)
        if statement.value is not None:
            self._assigned(statement, frame)
        self.uses_only(statement.annotation, frame.caller, "annotation")
        if statement.value is not None:
            self.expression(statement.value, frame.scope, frame.local, frame.caller)
        self.scan_only(statement.target, frame.scope, frame.local)  # not a use

    def _aug_assign(self, statement: ast.AugAssign, frame: _Frame, direct: bool) -> None:
        if frame.caller == MODULE_CALLER:
            if direct:
                self.facts.top_assignment(statement)
            self.facts.module_statement(statement)
        self.expression(statement.target, frame.scope, frame.local, frame.caller)
        self.expression(statement.value, frame.scope, frame.local, frame.caller)

    def _assigned(self, statement: ast.Assign | ast.AnnAssign, frame: _Frame) -> None:
        try:
            self.hooks.assignment(statement, frame.scope, frame.local)
        except Exception as exc:
            self._failed(exc)

    def _return(self, statement: ast.Return, frame: _Frame, direct: bool) -> None:
        if statement.value is not None:
            self.expression(statement.value, frame.scope, frame.local, frame.caller)

    def _import(self, statement: ast.Import | ast.ImportFrom, frame: _Frame, direct: bool) -> None:
        for raw in self.facts.import_(statement, frame.caller, frame.markers):
            self._bind(raw, (statement.lineno, statement.col_offset))
        if frame.scope:  # a function-local import
            try:
                self.hooks.local_import(statement, frame.local)
            except Exception as exc:
                self._failed(exc)

    def _bind(self, raw: RawImport, at: tuple[int, int]) -> None:
        """The names of an import count from here on (`_late_uses` adds their earlier uses)."""
        for name in bound_by(raw):
            if name not in self._bound_set:
                self._bound_set.add(name)
                self.bound.append(name)
                self.bound_at.append(at)
        if is_star(raw) and self.star is None:
            self.star = len(self.bound)
            self.bound.append("*")
            self.bound_at.append(at)
            self.names = Unbound(self._bound_set, NEVER_STARRED)

    def _if(self, statement: ast.If, frame: _Frame, direct: bool) -> None:
        self.expression(statement.test, frame.scope, frame.local, frame.caller)
        inner = frame
        if is_type_checking(statement.test):
            inner = _marked(frame, IMPORT_TYPE_CHECKING)
        self._body(statement.body, inner)
        if statement.orelse:
            self._body(statement.orelse, frame)

    def _try(self, statement: ast.Try, frame: _Frame, direct: bool) -> None:
        guarded = any(catches_import_error(h.type) for h in statement.handlers)
        inner = _marked(frame, IMPORT_TRY) if guarded else frame
        self._body(statement.body, inner)
        for handler in statement.handlers:
            if handler.type is not None:
                self.expression(handler.type, frame.scope, frame.local, frame.caller)
            self._body(handler.body, inner)
        self._body(statement.orelse, frame)
        self._body(statement.finalbody, frame)

    def _for(self, statement: ast.For | ast.AsyncFor, frame: _Frame, direct: bool) -> None:
        self.expression(statement.target, frame.scope, frame.local, frame.caller)
        self.expression(statement.iter, frame.scope, frame.local, frame.caller)
        self._body(statement.body, frame)
        self._body(statement.orelse, frame)

    def _while(self, statement: ast.While, frame: _Frame, direct: bool) -> None:
        self.expression(statement.test, frame.scope, frame.local, frame.caller)
        self._body(statement.body, frame)
        self._body(statement.orelse, frame)

    def _with(self, statement: ast.With | ast.AsyncWith, frame: _Frame, direct: bool) -> None:
        for item in statement.items:
            self.expression(item.context_expr, frame.scope, frame.local, frame.caller)
            if item.optional_vars is not None:
                self.scan_only(item.optional_vars, frame.scope, frame.local)  # `as x`: not a use
        self._body(statement.body, frame)

    def _match(self, statement: ast.Match, frame: _Frame, direct: bool) -> None:
        self.expression(statement.subject, frame.scope, frame.local, frame.caller)
        for case in statement.cases:
            self.scan_only(case.pattern, frame.scope, frame.local)  # patterns bind, they use nothing
            if case.guard is not None:
                self.scan_only(case.guard, frame.scope, frame.local)
            self._body(case.body, frame)

    def _other(self, statement: ast.AST, frame: _Frame, direct: bool) -> None:
        """Any other statement (raise, del, assert, type aliases...): its expressions and bodies."""
        for field in fields_of(type(statement)):
            value = getattr(statement, field)
            if type(value) is list:
                if value and isinstance(value[0], ast.stmt):
                    self._body(value, frame)
                    continue
                for item in value:
                    if isinstance(item, ast.expr):
                        self.expression(item, frame.scope, frame.local, frame.caller)
                    elif isinstance(item, ast.AST):
                        self._other(item, frame, False)
            elif isinstance(value, ast.expr):
                self.expression(value, frame.scope, frame.local, frame.caller)
            elif isinstance(value, ast.AST):
                self._other(value, frame, False)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, frame: _Frame, direct: bool) -> None:
        if frame.caller == MODULE_CALLER:
            self.facts.definition(node, direct)
        name = f"{frame.qual}.{node.name}" if frame.qual else node.name
        caller = name.partition(".")[0]
        inner = self._entered(self.hooks.enter_function, node, name, frame.local)
        scope, local = frame.scope, frame.local
        for decorator in node.decorator_list:
            self._decorator(decorator, scope, name, False)
            self.expression(decorator, scope, local, caller, "decorator")
        args = node.args
        for default in args.defaults:
            self.expression(default, scope, local, caller)
        for kw_default in args.kw_defaults:
            if kw_default is not None:
                self.expression(kw_default, scope, local, caller)
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.uses_only(arg.annotation, caller, "annotation")
        if node.returns is not None:
            self.uses_only(node.returns, caller, "annotation")
        self._body(node.body, _Frame(name, name, caller, frame.markers | {IMPORT_FUNCTION}, inner))

    def _class(self, node: ast.ClassDef, frame: _Frame, direct: bool) -> None:
        if frame.caller == MODULE_CALLER:
            self.facts.definition(node, direct)
        owner = frame.caller if frame.qual else node.name
        qualified = f"{frame.qual}.{node.name}" if frame.qual else node.name
        scope, local = frame.scope, frame.local
        inner = self._entered(self.hooks.enter_class, node, scope, local)
        for base in node.bases:
            self.expression(base, scope, local, owner, "base")
        for decorator in node.decorator_list:
            self._decorator(decorator, scope, qualified, True)
            self.expression(decorator, scope, local, owner, "decorator")
        for keyword in node.keywords:
            self.expression(keyword.value, scope, local, owner)
        if owner == node.name:
            self.facts.methods(node)
        self._body(node.body, _Frame(qualified, scope, owner, frame.markers, inner))

    def _entered(self, hook: Any, node: ast.stmt, where: str, local: Local) -> Local:
        try:
            inner: Local = hook(node, where, local)
        except Exception as exc:
            self._failed(exc)
            return {}
        return inner

    def _decorator(self, node: ast.expr, scope: str, qualified: str, on_class: bool) -> None:
        try:
            self.hooks.decorator(node, scope, qualified, on_class)
        except Exception as exc:
            self._failed(exc)

    # -- expressions -------------------------------------------------------------------------

    def expression(
        self, root: ast.expr, scope: str, local: Local, caller: str, fixed: ReferenceKind | None = None
    ) -> None:
        """Name uses and hooked calls under `root` (uses in `caller`, of kind `fixed` if given)."""
        names = self.names
        if type(root) is ast.Name:  # a third of the calls: no walk to set up
            if root.id in names:
                self.out.append(RawUse(caller, root.lineno, (root.id,), fixed or "name"))
            else:
                self.sites.append((root, caller, fixed, len(self.bound)))
            return
        self.sites.append((root, caller, fixed, len(self.bound)))
        stack: list[Any] = [root]
        pop, push, extend = stack.pop, stack.append, stack.extend
        out = self.out
        cached = _FIELDS.get
        hook = self.hooks.call
        name_kind: ReferenceKind = fixed or "name"
        while stack:
            node = pop()
            kind = type(node)
            if kind is ast.Name:
                if node.id in names:
                    out.append(RawUse(caller, node.lineno, (node.id,), name_kind))
                continue
            if kind is ast.Attribute:
                inner = node.value
                while type(inner) is ast.Attribute:
                    inner = inner.value
                if type(inner) is not ast.Name:
                    push(inner)  # a.b.c: only the innermost value can hold more
                elif inner.id in names:
                    out.append(RawUse(caller, node.lineno, name_chain(node), fixed or "attribute"))  # type: ignore[arg-type]
                continue
            if kind is ast.Constant:
                continue
            if kind is ast.Call:
                try:
                    hook(node, scope, local)
                except Exception as exc:
                    self._failed(exc)
                func = node.func
                inner = func
                while type(inner) is ast.Attribute:
                    inner = inner.value
                if type(inner) is ast.Name:
                    self._called(node, func, inner.id, caller, fixed)
                else:
                    push(func)
                extend(node.args)
                for keyword in node.keywords:
                    push(keyword.value)
                continue
            if kind is ast.JoinedStr:
                for part in node.values:
                    if type(part) is ast.FormattedValue:
                        self._uses_only(part, caller, fixed)
                continue
            fields = cached(kind)
            for field in fields if fields is not None else fields_of(kind):
                value = getattr(node, field)
                if type(value) is list:
                    extend(value)
                elif value is not None:
                    push(value)

    def _called(
        self, call: ast.Call, func: ast.expr, root: str, caller: str, fixed: ReferenceKind | None
    ) -> None:
        """A call of a Name-rooted chain: maybe a dynamic import; a use if `root` is bound."""
        last = func.attr if type(func) is ast.Attribute else root
        if last in DYNAMIC_FUNCS:
            chain = name_chain(func)
            assert chain is not None
            found = dynamic_import(call, chain, caller, self.markers)
            if found is not None:
                self.dynamic.append(found)
        if root in self.names:
            chain = name_chain(func)
            assert chain is not None
            self.out.append(RawUse(caller, func.lineno, chain, fixed or "call"))

    def uses_only(self, root: ast.AST, caller: str, fixed: ReferenceKind | None) -> None:
        """Name uses under `root`, and every call there handed to `WalkHooks.loader_call`."""
        self.sites.append((root, caller, fixed, len(self.bound)))
        self._uses_only(root, caller, fixed)

    def _uses_only(self, root: ast.AST, caller: str, fixed: ReferenceKind | None) -> None:
        # (A call is handled as in the main walk, written out again on purpose: one method call per
        # ast.Call costs 3-5 % of Django's extraction CPU.)
        stack: list[Any] = [root]
        pop, push, extend = stack.pop, stack.append, stack.extend
        names = self.names
        out = self.out
        hook = self.hooks.loader_call
        cached = _FIELDS.get
        while stack:
            node = pop()
            kind = type(node)
            if kind is ast.Name:
                if node.id in names:
                    out.append(RawUse(caller, node.lineno, (node.id,), fixed or "name"))
            elif kind is ast.Attribute:
                chain = name_chain(node)
                if chain is None:
                    push(node.value)
                elif chain[0] in names:
                    out.append(RawUse(caller, node.lineno, chain, fixed or "attribute"))
            elif kind is ast.Call:
                try:
                    hook(node)
                except Exception as exc:
                    self._failed(exc)
                func = node.func
                inner = func
                while type(inner) is ast.Attribute:
                    inner = inner.value
                if type(inner) is ast.Name:
                    self._called(node, func, inner.id, caller, fixed)
                else:
                    push(func)
                extend(node.args)
                for keyword in node.keywords:
                    push(keyword.value)
            elif kind is not ast.Constant:
                fields = cached(kind)
                for field in fields if fields is not None else fields_of(kind):
                    value = getattr(node, field)
                    if type(value) is list:
                        extend(value)
                    elif value is not None:
                        push(value)

    def scan_only(self, root: ast.AST, scope: str, local: Local) -> None:
        """Hooked calls under `root`, no name uses."""
        stack: list[Any] = [root]
        cached = _FIELDS.get
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is ast.Name or kind is ast.Constant:
                continue
            if kind is ast.Attribute:
                while kind is ast.Attribute:  # a.b.c: only the innermost value can hold more
                    node = node.value
                    kind = type(node)
                if kind is not ast.Name:
                    stack.append(node)
                continue
            if kind is ast.JoinedStr:
                for part in node.values:
                    if type(part) is ast.FormattedValue:
                        self._formatted(part)
                continue
            if kind is ast.Call:
                try:
                    self.hooks.call(node, scope, local)
                except Exception as exc:
                    self._failed(exc)
            fields = cached(kind)
            for field in fields if fields is not None else fields_of(kind):
                value = getattr(node, field)
                if type(value) is list:
                    stack.extend(value)
                elif value is not None:
                    stack.append(value)

    def _formatted(self, part: ast.FormattedValue) -> None:
        try:
            self.hooks.formatted(part)
        except Exception as exc:
            self._failed(exc)

    # -- names bound after their uses ----------------------------------------------------------

    def _late_uses(self) -> None:
        """The uses of names bound after the walk met them (see the module's docstring)."""
        if self.star is not None:
            final = bound_names(self.facts.imports, self.facts.defined)
            self.out = [use for use in self.out if use.chain[0] in final]
        sites = self.sites
        if not sites or sites[0][3] == len(self.bound):
            return
        lines, upto = self._lines_naming(sites[0][3])
        late = sites[: bisect_left(sites, upto, key=itemgetter(3))]  # (walked in binding order)
        self.hooks, self.dynamic, dynamic = NO_HOOKS, [], self.dynamic  # (calls and imports: met already)
        for root, caller, fixed, known in late:
            if self.star is not None:
                self.names = Missing(final, self._known(known))
            elif lines is None or _mentions(root, lines):
                self.names = set(self.bound[known:upto])
            else:
                continue
            self._uses_only(root, caller, fixed)
        self.dynamic = dynamic

    def _known(self, known: int) -> Container[str]:
        """The names whose uses the walk recorded when `known` entries of `bound` were in."""
        had = set(self.bound[:known])
        return Unbound(had, NEVER_STARRED) if self.star is not None and known > self.star else had

    def _lines_naming(self, first: int) -> tuple[list[int] | None, int]:
        """The sorted numbers of the lines that may hold a name of `bound[first:]` before its import
        (None: any line may), and how many names of `bound` matter (the last one with such a line)."""
        lines = self.facts.lines
        text = "\n".join(lines) if lines is not None and self.star is None else ""
        if not text or not text.isascii():  # (the parser normalizes non-ASCII identifiers: NFKC)
            return None, len(self.bound)
        assert lines is not None
        ends = list(accumulate(map(add, map(len, lines), repeat(1))))  # offset past each line's end
        found: set[int] = set()
        upto = 0
        for index in range(first, len(self.bound)):
            name, (line, column) = self.bound[index], self.bound_at[index]
            stop = (ends[line - 2] if line > 1 else 0) + column  # (ASCII: columns count characters)
            at = text.find(name, 0, stop)
            while at != -1:
                after = at + len(name)
                if text[at - 1 : at] not in _NOT_BEFORE_A_NAME and text[after : after + 1] not in _WORD:
                    found.add(bisect_right(ends, at) + 1)
                    upto = index + 1
                at = text.find(name, after, stop)
        return sorted(found), upto


_WORD = frozenset(string.ascii_letters + string.digits + "_")
_NOT_BEFORE_A_NAME = _WORD | {"."}  # (`x.name` is an attribute, no name)


def _mentions(root: ast.AST, lines: list[int]) -> bool:
    """Whether one of `lines` is a line of `root`."""
    first = root.lineno  # type: ignore[attr-defined]
    index = bisect_left(lines, first)
    return index < len(lines) and lines[index] <= (root.end_lineno or first)  # type: ignore[attr-defined]


def _marked(frame: _Frame, marker: str) -> _Frame:
    return _Frame(frame.qual, frame.scope, frame.caller, frame.markers | {marker}, frame.local)


_STATEMENTS: dict[type, Any] = {
    ast.Expr: FileWalk._expr,
    ast.Assign: FileWalk._assign,
    ast.AnnAssign: FileWalk._ann_assign,
    ast.AugAssign: FileWalk._aug_assign,
    ast.Return: FileWalk._return,
    ast.Import: FileWalk._import,
    ast.ImportFrom: FileWalk._import,
    ast.If: FileWalk._if,
    ast.Try: FileWalk._try,
    ast.For: FileWalk._for,
    ast.AsyncFor: FileWalk._for,
    ast.While: FileWalk._while,
    ast.With: FileWalk._with,
    ast.AsyncWith: FileWalk._with,
    ast.Match: FileWalk._match,
    ast.FunctionDef: FileWalk._function,
    ast.AsyncFunctionDef: FileWalk._function,
    ast.ClassDef: FileWalk._class,
}
if hasattr(ast, "TryStar"):  # Python 3.11+: try/except*
    _STATEMENTS[ast.TryStar] = FileWalk._try

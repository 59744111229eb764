"""The expression walk of the framework scanner, which also records the file's name uses.

Walking the expressions of a file is, after parsing, the largest cost of the analysis; the
framework facts (calls, SQL strings, loader calls) and the uses of import-bound names
(analyzers.name_uses) are both read from the same nodes, so one walk feeds both collectors:

- `expression`: scanner facts and name uses (every statement expression the two-pass extraction
  also walks: values, targets, tests, decorators, bases, defaults...);
- `uses_only`: name uses and loader calls (annotations and f-string replacement fields, where the
  scanner looks only for loader calls);
- `scan_only`: scanner facts alone (what the extraction does not count as a use: `with ... as x`
  targets, match patterns and guards, the target of an annotated assignment).

A call that may be a literal dynamic import only raises `UseSink.dynamic`: its import markers are
known to the two-pass extraction, which `analyzers.parsing` then runs for that file.
"""

from __future__ import annotations

import ast

from analyzers.django_loading import LoadingCollector
from analyzers.model import ReferenceKind
from analyzers.name_uses import CHILDREN, DYNAMIC_FUNCS, UseSink, name_chain
from analyzers.raw_facts import RawUse
from analyzers.sql_tables import QUICK_CHECK

# Fields that never hold a call or a string worth reading (names, contexts, operators, types).
_SKIPPED_FIELDS = frozenset(
    {"ctx", "op", "ops", "annotation", "returns", "type_comment", "type_params", "id", "attr"}
    | {"arg", "name", "names", "module", "level", "kind", "conversion", "is_async", "simple"}
)
_FIELDS: dict[type, tuple[str, ...]] = {}


def fields_of(kind: type) -> tuple[str, ...]:
    """The fields of a node type the scanner descends into."""
    fields = _FIELDS.get(kind)
    if fields is None:
        if issubclass(kind, ast.AST) and kind is not ast.Name:
            fields = tuple(f for f in kind._fields if f not in _SKIPPED_FIELDS)
        else:
            fields = ()
        _FIELDS[kind] = fields
    return fields


def _joined_text(node: ast.JoinedStr) -> str:
    return "".join(
        v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "\x00" for v in node.values
    )


class ExpressionWalk:
    """The walks; the scanner supplies `_call` (a call's facts) and `_sql` (a string's tables)."""

    loading: LoadingCollector
    uses: UseSink

    def _call(self, call: ast.Call, scope: str, local: dict[str, str]) -> None:
        raise NotImplementedError

    def _sql(self, text: str, line: int) -> None:
        raise NotImplementedError

    def expression(
        self,
        root: ast.expr,
        scope: str,
        local: dict[str, str],
        caller: str,
        fixed: ReferenceKind | None = None,
    ) -> None:
        """Scanner facts and name uses under `root` (uses in `caller`, of kind `fixed` if given)."""
        if type(root) is ast.Name:  # a third of the calls: no walk to set up
            if root.id in self.uses.names:
                self.uses.out.append(RawUse(caller, root.lineno, (root.id,), fixed or "name"))
            return
        stack: list[object] = [root]
        pop, push, extend = stack.pop, stack.append, stack.extend
        names = self.uses.names
        out = self.uses.out
        cached = _FIELDS.get
        name_kind: ReferenceKind = fixed or "name"
        while stack:
            node: object = pop()
            kind = type(node)
            if kind is ast.Name:
                if node.id in names:  # type: ignore[attr-defined]
                    out.append(RawUse(caller, node.lineno, (node.id,), name_kind))  # type: ignore[attr-defined]
                continue
            if kind is ast.Attribute:
                inner = node.value  # type: ignore[attr-defined]
                while type(inner) is ast.Attribute:
                    inner = inner.value
                if type(inner) is not ast.Name:
                    push(inner)  # a.b.c: only the innermost value can hold more
                elif inner.id in names:
                    chain = name_chain(node)  # type: ignore[arg-type]
                    out.append(RawUse(caller, node.lineno, chain, fixed or "attribute"))  # type: ignore[arg-type, attr-defined]
                continue
            if kind is ast.Constant:
                value = node.value  # type: ignore[attr-defined]
                if type(value) is str and QUICK_CHECK.search(value):
                    self._sql(value, node.lineno)  # type: ignore[attr-defined]
                continue
            if kind is ast.Call:
                self._call(node, scope, local)  # type: ignore[arg-type]
                func = node.func  # type: ignore[attr-defined]
                inner = func
                while type(inner) is ast.Attribute:
                    inner = inner.value
                if type(inner) is ast.Name:
                    self._called(node, func, inner.id, caller, fixed)  # type: ignore[arg-type]
                else:
                    push(func)
                extend(node.args)  # type: ignore[attr-defined]
                for keyword in node.keywords:  # type: ignore[attr-defined]
                    push(keyword.value)
                continue
            if kind is ast.JoinedStr:
                text = _joined_text(node)  # type: ignore[arg-type]
                if QUICK_CHECK.search(text):
                    self._sql(text, node.lineno)  # type: ignore[attr-defined]
                for part in node.values:  # type: ignore[attr-defined]
                    if type(part) is ast.FormattedValue:
                        self.uses_only(part, caller, fixed)
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
        """A call of a Name-rooted chain: a possible dynamic import, a use if `root` is bound."""
        last = func.attr if type(func) is ast.Attribute else root
        if last in DYNAMIC_FUNCS and call.args and type(call.args[0]) is ast.Constant:
            self.uses.dynamic = True
        if root in self.uses.names:
            chain = name_chain(func)
            assert chain is not None
            self.uses.out.append(RawUse(caller, func.lineno, chain, fixed or "call"))

    def uses_only(self, root: ast.AST, caller: str, fixed: ReferenceKind | None) -> None:
        """Name uses under `root`, and every call there handed to the loading collector."""
        stack: list[object] = [root]
        pop, push, extend = stack.pop, stack.append, stack.extend
        names = self.uses.names
        out = self.uses.out
        call_seen = self.loading.call
        while stack:
            node: object = pop()
            kind = type(node)
            if kind is ast.Name:
                if node.id in names:  # type: ignore[attr-defined]
                    out.append(RawUse(caller, node.lineno, (node.id,), fixed or "name"))  # type: ignore[attr-defined]
            elif kind is ast.Attribute:
                chain = name_chain(node)  # type: ignore[arg-type]
                if chain is None:
                    push(node.value)  # type: ignore[attr-defined]
                elif chain[0] in names:
                    out.append(RawUse(caller, node.lineno, chain, fixed or "attribute"))  # type: ignore[attr-defined]
            elif kind is ast.Call:
                call_seen(node)  # type: ignore[arg-type]
                func = node.func  # type: ignore[attr-defined]
                inner = func
                while type(inner) is ast.Attribute:
                    inner = inner.value
                if type(inner) is ast.Name:
                    self._called(node, func, inner.id, caller, fixed)  # type: ignore[arg-type]
                else:
                    push(func)
                extend(node.args)  # type: ignore[attr-defined]
                for keyword in node.keywords:  # type: ignore[attr-defined]
                    push(keyword.value)
            elif kind is ast.Constant or node is None:
                continue
            else:
                fields = CHILDREN.get(kind)
                if fields is None:
                    extend(ast.iter_child_nodes(node))  # type: ignore[arg-type]
                    continue
                for name in fields:
                    value = getattr(node, name)
                    if type(value) is list:
                        extend(value)
                    elif value is not None:
                        push(value)

    def scan_only(self, root: ast.AST, scope: str, local: dict[str, str]) -> None:
        """Scanner facts under `root`, no name uses."""
        stack: list[object] = [root]
        cached = _FIELDS.get
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is ast.Name:
                continue
            if kind is ast.Attribute:
                while kind is ast.Attribute:  # a.b.c: only the innermost value can hold more
                    node = node.value  # type: ignore[attr-defined]
                    kind = type(node)
                if kind is not ast.Name:
                    stack.append(node)
                continue
            if kind is ast.Constant:
                value = node.value  # type: ignore[attr-defined]
                if type(value) is str and QUICK_CHECK.search(value):
                    self._sql(value, node.lineno)  # type: ignore[attr-defined]
                continue
            if kind is ast.JoinedStr:
                text = _joined_text(node)  # type: ignore[arg-type]
                if QUICK_CHECK.search(text):
                    self._sql(text, node.lineno)  # type: ignore[attr-defined]
                for part in node.values:  # type: ignore[attr-defined]
                    if type(part) is ast.FormattedValue:
                        self.loading.walk(part)
                continue
            if kind is ast.Call:
                self._call(node, scope, local)  # type: ignore[arg-type]
            fields = cached(kind)
            for field in fields if fields is not None else fields_of(kind):
                value = getattr(node, field)
                if type(value) is list:
                    stack.extend(value)
                elif value is not None:
                    stack.append(value)

"""The monolith's internal API in the monolith's own framework, and the codemod that mounts it.

- Flask: a blueprint, registered by the app factory (`monolith_patch.register_internal_api`).
- FastAPI: an `APIRouter` (the service side's router, same wire protocol and token), included in
  the app object right where the monolith builds it: after its last `include_router` in the same
  block as `app = FastAPI(...)`, else right after that assignment.
- Django: the `operation_view` of the service side, routed by a `path(...)` appended to the root
  urlconf's `urlpatterns`.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from analyzers.model import Codebase
from strangler.skeleton.django_project import find_settings
from strangler.skeleton.escaping import dotted_name, identifier, py_string
from strangler.skeleton.source_text import parse_ast

INTERNAL_API_BOUND = "strangler_internal_api"
FORWARD_HEADERS_BOUND = "strangler_forward_headers"


def monolith_framework(codebase: Codebase) -> str:
    """The framework of the monolith's routes (most routes wins; django, fastapi, flask on ties);
    never the analyzed codebase itself (Django's own source is not a Django monolith)."""
    tops = {m.name.split(".")[0] for m in codebase.modules}
    counts: dict[str, int] = {}
    for route in codebase.routes:
        if route.framework not in tops:
            counts[route.framework] = counts.get(route.framework, 0) + 1
    ranked = [n for n in ("django", "fastapi", "flask") if counts.get(n)]
    if ranked:
        return max(ranked, key=counts.__getitem__)
    imported = {e.name for e in codebase.externals} - tops  # no routes found: what it imports
    return next((n for n in ("django", "fastapi") if n in imported), "flask")


def fastapi_app_site(sources: Mapping[str, str], names: Sequence[str]) -> tuple[str, str] | None:
    """(module, variable) of the first `<var> = FastAPI(...)` among `names` (sorted), else None."""
    for module in sorted(names):
        source = sources.get(module, "")
        if "FastAPI" not in source:
            continue
        try:
            tree = parse_ast(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and _is_fastapi(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        return module, target.id
    return None


def _is_fastapi(node: ast.expr | None) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "FastAPI") or (
        isinstance(func, ast.Attribute) and func.attr == "FastAPI"
    )


def include_internal_router(text: str, app: str, api_module: str) -> str:
    """`text` with the internal API router imported and included in `app` (see module doc)."""
    app, api_module = identifier(app, "app variable"), dotted_name(api_module)
    tree = cst.parse_module(text)
    inclusion = _Inclusion(
        app,
        (
            cst.parse_statement(f"{app}.include_router({INTERNAL_API_BOUND})\n"),
            # the headers of the request being served travel with the monolith's calls to services
            cst.parse_statement(f'{app}.middleware("http")({FORWARD_HEADERS_BOUND})\n'),
        ),
    )
    visitor = _Include(inclusion)
    tree = tree.visit(visitor)
    body: list[cst.BaseStatement] = list(tree.body)
    if not visitor.done:
        body = inclusion.insert(body) or body
    importing = cst.parse_statement(
        f"from {api_module} import forward_headers as {FORWARD_HEADERS_BOUND}, "
        f"router as {INTERNAL_API_BOUND}\n"
    )
    return tree.with_changes(body=_after_imports(body, importing)).code


def _code(stmt: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(stmt).strip()


@dataclass(frozen=True, slots=True)
class _Inclusion:
    """The statements that include the internal router in the FastAPI app `app`."""

    app: str
    include: tuple[cst.BaseStatement, ...]

    def creates(self, stmt: cst.CSTNode) -> bool:
        """Whether `stmt` is `<app> = FastAPI(...)` (or annotated)."""
        if not isinstance(stmt, cst.SimpleStatementLine):
            return False
        code = _code(stmt)
        return code.startswith((f"{self.app} =", f"{self.app}:")) and "FastAPI(" in code

    def includes(self, stmt: cst.CSTNode) -> bool:
        """Whether `stmt` is `<app>.include_router(...)`."""
        return isinstance(stmt, cst.SimpleStatementLine) and _code(stmt).startswith(
            f"{self.app}.include_router("
        )

    def insert(self, body: Sequence[cst.CSTNode]) -> list[cst.BaseStatement] | None:
        """`body` with the inclusion after the app's creation and its includes in it; None when
        `body` does not create the app."""
        made = next((i for i, s in enumerate(body) if self.creates(s)), -1)
        if made < 0:
            return None
        last = max([made, *(i for i, s in enumerate(body) if i > made and self.includes(s))])
        out = [s for s in body if isinstance(s, cst.BaseStatement)]
        out[last + 1 : last + 1] = self.include
        return out


class _Include(cst.CSTTransformer):
    """Includes the internal router in the first function that creates the app."""

    def __init__(self, inclusion: _Inclusion) -> None:
        super().__init__()
        self.inclusion = inclusion
        self.done = False

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        body = None if self.done else self.inclusion.insert(updated_node.body.body)
        if body is None:
            return updated_node
        self.done = True
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))


def _after_imports(body: list[cst.BaseStatement], statement: cst.BaseStatement) -> list[cst.BaseStatement]:
    last_import = max(
        (
            i
            for i, s in enumerate(body)
            if isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], (cst.Import, cst.ImportFrom))
        ),
        default=-1,
    )
    body.insert(last_import + 1, statement)
    return body


def django_urlconf(sources: Mapping[str, str]) -> str:
    """The monolith's root urlconf module (its settings' ROOT_URLCONF), "" if not known."""
    settings = find_settings(sources)
    if settings is None or settings.root_urlconf not in sources:
        return ""
    return settings.root_urlconf


def route_internal_view(text: str, api_module: str, prefix: str) -> str:
    """The root urlconf with `path("<prefix>/<str:operation>", operation_view)` appended to
    `urlpatterns` (in the list literal when it is one, else `urlpatterns += [...]`)."""
    tree = cst.parse_module(text)
    has_path = _imports_path(text)
    api_module = dotted_name(api_module)
    route = f"path({py_string(prefix.strip('/') + '/<str:operation>')}, {INTERNAL_API_BOUND})"
    visitor = _Append(cst.Element(cst.parse_expression(route)))
    tree = tree.visit(visitor)
    body: list[cst.BaseStatement] = list(tree.body)
    if not visitor.done:
        body.append(cst.parse_statement(f"urlpatterns += [{route}]\n"))
    body = _after_imports(
        body, cst.parse_statement(f"from {api_module} import operation_view as {INTERNAL_API_BOUND}\n")
    )
    if not has_path:
        body = _after_imports(body, cst.parse_statement("from django.urls import path\n"))
    return tree.with_changes(body=body).code


def _imports_path(text: str) -> bool:
    """Whether the module imports `path` from `django.urls` under its own name."""
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "django.urls"
        and any(a.name == "path" and a.asname is None for a in node.names)
        for node in parse_ast(text).body
    )


class _Append(cst.CSTTransformer):
    """Appends `element` to the first `urlpatterns = [...]` list literal."""

    def __init__(self, element: cst.Element) -> None:
        super().__init__()
        self.element = element
        self.done = False

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        names = [t.target for t in updated_node.targets]
        value = updated_node.value
        if (
            self.done
            or not isinstance(value, cst.List)
            or not any(isinstance(n, cst.Name) and n.value == "urlpatterns" for n in names)
        ):
            return updated_node
        self.done = True
        return updated_node.with_changes(value=_appended(value, self.element))


def _appended(value: cst.List, element: cst.Element) -> cst.List:
    """The list literal with `element` last. The new entry takes the last one's trailing comma (or
    none); the last one takes the separator between the entries before it: the list keeps its layout."""
    elements = list(value.elements)
    if not elements:
        return value.with_changes(elements=[element])
    separator = (
        elements[-2].comma if len(elements) > 1 else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    )
    new = element.with_changes(comma=elements[-1].comma)
    elements[-1] = elements[-1].with_changes(comma=separator)
    return value.with_changes(elements=[*elements, new])


def add_forward_middleware(text: str, api_module: str) -> str | None:
    """The settings module with `<api_module>.forward_headers` first in its `MIDDLEWARE` list or
    tuple literal (outermost, so every view and middleware below sees the headers); None when
    there is no such literal (the generated README says to add it by hand)."""
    entry = cst.Element(cst.SimpleString(py_string(f"{dotted_name(api_module)}.forward_headers")))
    visitor = _Prepend(entry)
    tree = cst.parse_module(text).visit(visitor)
    return tree.code if visitor.done else None


class _Prepend(cst.CSTTransformer):
    """Puts `entry` first in the first `MIDDLEWARE = [...]` (or tuple) literal."""

    def __init__(self, entry: cst.Element) -> None:
        super().__init__()
        self.entry = entry
        self.done = False

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        value = updated_node.value
        if (
            self.done
            or not isinstance(value, (cst.List, cst.Tuple))
            or not any(
                isinstance(t.target, cst.Name) and t.target.value == "MIDDLEWARE"
                for t in updated_node.targets
            )
        ):
            return updated_node
        self.done = True
        return updated_node.with_changes(value=_prepended(value, self.entry))


def _prepended(value: cst.List | cst.Tuple, entry: cst.Element) -> cst.List | cst.Tuple:
    """The literal with `entry` first. The new first entry takes the layout of the first one
    (indent, trailing comma); one entry per line: the old first entry goes on the next line,
    indented alike."""
    elements = list(value.elements)
    if not elements:
        single = isinstance(value, cst.Tuple)  # ("x",) needs its comma
        return value.with_changes(elements=[entry.with_changes(comma=cst.Comma()) if single else entry])
    if isinstance(value, cst.List):
        opening: cst.BaseParenthesizableWhitespace | None = value.lbracket.whitespace_after
    else:
        opening = value.lpar[0].whitespace_after if value.lpar else None
    separator = cst.Comma(
        whitespace_after=opening
        if isinstance(opening, cst.ParenthesizedWhitespace)
        else cst.SimpleWhitespace(" ")
    )
    return value.with_changes(elements=[entry.with_changes(comma=separator), *elements])

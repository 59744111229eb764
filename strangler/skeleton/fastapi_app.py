"""Generated FastAPI code: the service's web app and its internal API router.

The monolith's app object is not reused (FastAPI apps are usually built at import time, with the
routes of every capability): the service gets a new `FastAPI()` that includes the moved routers
exactly as the monolith included them, with the same literal keyword arguments (`prefix`, `tags`,
...), so paths, methods and JSON bodies are unchanged. Found with `ast` in every module that creates
a `FastAPI(...)` object, following the router through imports and re-exports to where it is defined.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from strangler.skeleton.escaping import (
    dotted_name,
    identifier,
    one_line,
    port_number,
    py_string,
    py_text,
)
from strangler.skeleton.layout import mangle
from strangler.skeleton.source_text import expression_source, parse_ast
from strangler.skeleton.sources import ModuleText

FASTAPI_IMPORTS = (
    "from fastapi import APIRouter, Request, Response",
    "from fastapi.responses import JSONResponse",
    "from starlette.concurrency import run_in_threadpool",
)

FASTAPI_REGISTRATION = (
    "",
    "for _operation, _function in OPERATIONS.items():",
    "    router.add_api_route(",
    '        f"/{_operation}",',
    "        _endpoint(_function),",
    '        methods=["POST"],',
    "        name=_operation,",
    "        include_in_schema=False,",
    "    )",
)


def fastapi_endpoint(prefix: str) -> list[str]:
    """The router and endpoint factory of a FastAPI internal API (the same wire protocol)."""
    return [
        f"router = APIRouter(prefix={py_string(prefix)})",
        "",
        "",
        "async def forward_headers(",
        "    request: Request, call_next: Callable[[Request], Awaitable[Response]]",
        ") -> Response:",
        '    """HTTP middleware: the headers of the request being served travel with remote calls."""',
        "    with incoming_headers(request.headers):",
        "        return await call_next(request)",
        "",
        "",
        "def _endpoint(function: Callable[..., Any]) -> Callable[[Request], Awaitable[JSONResponse]]:",
        "    async def view(request: Request) -> JSONResponse:",
        "        if not authorized(request.headers):  # $STRANGLER_INTERNAL_TOKEN, when set",
        "            return JSONResponse(",
        '                {"error": "internal API: missing or wrong token"}, status_code=403',
        "            )",
        "        try:",
        "            body = await request.json()",
        "        except ValueError:",
        "            body = None",
        "        # the operation runs in a worker thread, as a plain `def` endpoint would",
        "        payload, status = await run_in_threadpool(serve_operation, function, body, WIRE)",
        "        return JSONResponse(payload, status_code=status)",
        "",
        "    return view",
        "",
        "",
    ]


@dataclass(frozen=True, slots=True, order=True)
class Inclusion:
    """`app.include_router(<router>, <keywords>)` in the monolith, resolved to the router's home."""

    module: str  # original module defining the router
    name: str  # its variable there
    keywords: tuple[str, ...]  # `key=<literal source>` as written
    dropped: tuple[str, ...] = ()  # keyword arguments that are not literals (not carried over)


def _calls_fastapi(node: ast.expr | None, names: tuple[str, ...] = ("FastAPI",)) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name in names


def _assigned(tree: ast.Module, names: tuple[str, ...]) -> list[str]:
    """Module-level variables assigned a call to one of `names` (`app = FastAPI()`)."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and _calls_fastapi(node.value, names):
            found += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and _calls_fastapi(node.value, names)
        ):
            found.append(node.target.id)
    return found


def _resolve(texts: Mapping[str, ModuleText], module: str, expr: ast.expr) -> tuple[str, str] | None:
    """(defining module, variable) of a router expression written in `module`."""
    bound = {use.bound: use for use in texts[module].imports}
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        use = bound.get(expr.value.id)
        if use is None or use.name:
            return None
        where, name = use.target, expr.attr
    elif isinstance(expr, ast.Name):
        use = bound.get(expr.id)
        where, name = (use.target, use.name) if use and use.name else (module, expr.id)
    else:
        return None
    for _ in range(16):  # follow re-exports (`from .orders import router as orders_router`)
        text = texts.get(where)
        if text is None:
            return None
        if text.kind_of(name):
            return where, name
        use = next((u for u in text.imports if u.bound == name and u.name), None)
        if use is None:
            return None
        where, name = use.target, use.name
    return None


def included_routers(
    texts: Mapping[str, ModuleText], sources: Mapping[str, str], moved: frozenset[str]
) -> list[Inclusion]:
    """The routers of moved modules that a monolith FastAPI app includes, as it includes them."""
    found: set[Inclusion] = set()
    for module in sorted(texts):
        source = sources.get(module, "")
        if "FastAPI" in source and "include_router" in source:
            found |= _module_inclusions(texts, module, source, moved)
    if not found:  # no app found: every top-level router of the moved code, without a prefix
        for module in sorted(moved):
            if module in sources and "APIRouter" in sources[module]:
                for name in _assigned(parse_ast(sources[module]), ("APIRouter",)):
                    found.add(Inclusion(module, name, ()))
    return sorted(found)


def _module_inclusions(
    texts: Mapping[str, ModuleText], module: str, source: str, moved: frozenset[str]
) -> set[Inclusion]:
    """The routers of moved modules that the FastAPI apps of `module` include."""
    tree = parse_ast(source)
    apps = set(_assigned(tree, ("FastAPI",)))
    found: set[Inclusion] = set()
    for node in ast.walk(tree):
        if not _includes_router(node, apps):
            continue
        home = _resolve(texts, module, node.args[0])
        if home is not None and home[0] in moved:
            keywords, dropped = _keywords(source, node.keywords)
            found.add(Inclusion(home[0], home[1], keywords, dropped))
    return found


def _includes_router(node: ast.AST, apps: set[str]) -> TypeGuard[ast.Call]:
    """Whether `node` is `<app>.include_router(<router>, ...)` of one of `apps`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "include_router"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in apps
        and bool(node.args)
    )


def _keywords(source: str, keywords: Sequence[ast.keyword]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(`key=<source>` of the literal keyword arguments, names of the others)."""
    kept, dropped = [], []
    for kw in keywords:
        if kw.arg is None:
            continue
        try:
            ast.literal_eval(kw.value)
        except ValueError:
            dropped.append(kw.arg)
            continue
        kept.append(f"{kw.arg}={expression_source(source, kw.value)}")
    return tuple(kept), tuple(dropped)


def fastapi_app_text(
    *,
    service: str,
    package: str,
    inclusions: Sequence[Inclusion],
    local: Mapping[str, str],
    orm_modules: Sequence[str] = (),
) -> str:
    """`<package>/webapp.py`: `create_app()` including the moved routers and the internal API."""
    lines = [
        f'"""Web app of the `{py_text(service)}` service: its moved routers plus its internal API.',
        "",
        "Generated by strangler. The routers are included as the monolith's app included them (same",
        "prefixes and literal options). Not carried over: routes declared on the monolith's app object,",
        "its middleware, exception handlers and app-level dependencies; add here what the routes need.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from fastapi import FastAPI",
        "",
        *orm_import_lines(orm_modules),
        f"from {identifier(package, 'package')}.internal_api import forward_headers, router as internal_api",
    ]
    imports = sorted({(dotted_name(local[i.module]), identifier(i.name)) for i in inclusions})
    lines += [f"from {m} import {n} as {mangle(m)}__{n}" for m, n in imports]
    lines += ["", "", *_create_app_lines(service, inclusions, local)]
    return "\n".join(lines) + "\n"


def orm_import_lines(orm_modules: Sequence[str]) -> list[str]:
    """Imports of the modules defining the ORM tables the moved models refer to."""
    return [
        f"import {dotted_name(module)}  # noqa: F401  strangler: ORM tables the moved models refer to"
        for module in sorted(orm_modules)
    ]


def _create_app_lines(service: str, inclusions: Sequence[Inclusion], local: Mapping[str, str]) -> list[str]:
    """`create_app()`: the moved routers included as in the monolith, then the internal API."""
    lines = ["def create_app() -> FastAPI:", f"    app = FastAPI(title={py_string(f'{service} service')})"]
    for inc in inclusions:
        if inc.dropped:
            dropped = one_line(", ".join(inc.dropped))
            lines.append(f"    # strangler: not literal in the monolith, set by hand: {dropped}")
        args = ", ".join([f"{mangle(local[inc.module])}__{inc.name}", *inc.keywords])
        lines.append(f"    app.include_router({args})")
    return [
        *lines,
        "    app.include_router(internal_api)",
        "    # the headers of the request being served travel with calls to the monolith",
        '    app.middleware("http")(forward_headers)',
        "    return app",
    ]


def fastapi_main_text(service: str, package: str, default_port: int) -> str:
    """`<package>/__main__.py`: `python -m <package> --port P` serves with uvicorn."""
    package, name = identifier(package, "package"), py_text(service)
    return f'''"""Serve the `{name}` service: python -m {package} [--host H] [--port P] (uvicorn)."""

from __future__ import annotations

import argparse

from {package}.webapp import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog={py_string(package)})
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default={port_number(default_port)})
    args = parser.parse_args()
    import uvicorn

    uvicorn.run(create_app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
'''

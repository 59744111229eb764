"""The monolith's side of a cut: call the new services instead of the moved code.

A libcst codemod over the modules that stay: every import of a *function* of moved code is pointed
at a generated client of the service that now owns it (`<top>/_strangler/clients/<service>.py`),
so call sites stay as written. Imports of classes and constants of moved code (ORM models of
tables still shared in the shared-database phase) are left alone. The monolith also gains an
internal API (`<top>/_strangler/internal_api.py`) with the functions the services call back, and
its app factory registers it. The moved modules themselves stay in the monolith, untouched, until
the proxy sends no more traffic to them.

The result is a unified diff plus the changed files; nothing is written to the analyzed tree here.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

import libcst as cst

from analyzers.model import Codebase
from strangler.skeleton.client import ClientSpec, client_module_text, operation_hazards
from strangler.skeleton.layout import ServiceLayout, SkeletonOptions, mangle
from strangler.skeleton.moving import Relocation, relocate_module, remote_map
from strangler.skeleton.sources import ModuleText
from strangler.skeleton.webapp import internal_api_text

PATCH_DIR = "monolith_patch"
INTERNAL_API_BOUND = "strangler_internal_api"


@dataclass(frozen=True, slots=True)
class ServiceCalls:
    """Functions of one extracted service that the monolith's staying code calls."""

    service: str
    package: str
    functions: tuple[tuple[str, str], ...]  # (original module, function), sorted
    namespaces: tuple[str, ...]  # modules used as module objects, sorted


def service_url_env(package: str) -> str:
    return f"{package.upper()}_SERVICE_URL"


def monolith_calls(
    codebase: Codebase, layouts: Sequence[ServiceLayout], texts: Mapping[str, ModuleText]
) -> tuple[ServiceCalls, ...]:
    """Per extracted service, what the code staying in the monolith calls in it."""
    owner = {m: layout for layout in layouts for m, _ in layout.moved}
    refs: dict[tuple[str, str], set[str]] = {}
    for ref in codebase.references:
        if ref.symbol:
            refs.setdefault((ref.source, ref.target), set()).add(ref.symbol)
    functions: dict[str, set[tuple[str, str]]] = {}
    namespaces: dict[str, set[str]] = {}
    app = app_module(texts)
    for name in sorted(texts):
        if name in owner or name == app:
            continue
        text = texts[name]
        attrs: dict[str, set[str]] = {}
        for alias, attr in text.attributes:
            attrs.setdefault(alias, set()).add(attr)
        for use in text.imports:
            layout = owner.get(use.target)
            if layout is None or use.star:
                continue
            used = {use.name} if use.name else attrs.get(use.bound, set()) | refs.get(
                (name, use.target), set()
            )
            found = {n for n in used if texts[use.target].kind_of(n) == "function"}
            if used and found == used:
                functions.setdefault(layout.service, set()).update((use.target, n) for n in found)
                if not use.name:
                    namespaces.setdefault(layout.service, set()).add(use.target)
    return tuple(
        ServiceCalls(
            service=layout.service,
            package=layout.package,
            functions=tuple(sorted(functions.get(layout.service, set()))),
            namespaces=tuple(sorted(namespaces.get(layout.service, set()))),
        )
        for layout in sorted(layouts, key=lambda item: item.service)
    )


def app_module(texts: Mapping[str, ModuleText]) -> str:
    """The monolith's composition root (the Flask factory registering blueprints), "" if none.

    It is not rewired: it runs at start-up, before any service is up, and it keeps registering the
    moved blueprints until the proxy stops sending their routes to the monolith."""
    return next((n for n in sorted(texts) if texts[n].factory and texts[n].registrations), "")


def top_package(codebase: Codebase, texts: Mapping[str, ModuleText]) -> tuple[str, str]:
    """(top-level package, its directory relative to the root) of the monolith's code."""
    factories = sorted(n for n, t in texts.items() if t.factory and t.registrations)
    counts: dict[str, int] = {}
    for module in codebase.modules:
        top = module.name.split(".")[0]
        counts[top] = counts.get(top, 0) + 1
    top = factories[0].split(".")[0] if factories else max(sorted(counts), key=counts.__getitem__)
    for module in codebase.modules:
        if module.name.split(".")[0] == top:
            depth = module.name.count(".") + (1 if module.is_package else 0)
            parts = PurePosixPath(module.path).parts
            return top, "/".join(parts[: len(parts) - depth])
    return top, top


def patch_files(
    codebase: Codebase,
    layouts: Sequence[ServiceLayout],
    texts: Mapping[str, ModuleText],
    sources: Mapping[str, str],
    options: SkeletonOptions,
    wire_source: str,
) -> dict[str, str]:
    """{relative path: new text} for every monolith file the cut changes or adds."""
    calls = monolith_calls(codebase, layouts, texts)
    top, top_dir = top_package(codebase, texts)
    base = f"{top}._strangler"
    model_names = frozenset(t.model for t in codebase.tables if t.model)
    remote: dict[tuple[str, str], tuple[str, str]] = {}
    namespaces: dict[str, tuple[str, str]] = {}
    files: dict[str, str] = {}
    session = next(((n, texts[n].session) for n in sorted(texts) if texts[n].session), None)
    for call in calls:
        if not call.functions:
            continue
        client = f"{base}.clients.{call.package}"
        functions, spaces = remote_map(call.functions, call.namespaces, client)
        remote.update(functions)
        namespaces.update(spaces)
        spec = ClientSpec(
            module=client,
            wire_module=f"{base}.wire",
            target=f"the `{call.service}` service",
            base_url_env=service_url_env(call.package),
            timeout_seconds=options.timeout_seconds,
            prefix=options.internal_prefix,
            modules={},
            model_names=model_names,
            session=session,
        )
        files[f"{top_dir}/_strangler/clients/{call.package}.py"] = client_module_text(
            spec, call.functions, call.namespaces, sources
        )
    served = sorted({(r.module, r.name) for layout in layouts for r in layout.remote})
    moved = {m for layout in layouts for m, _ in layout.moved}
    paths = {m.name: m.path for m in codebase.modules}
    known = frozenset(texts)
    app = app_module(texts)
    for name in sorted(texts):
        if name in moved or name == app:
            continue
        text = texts[name]
        if not any((u.target, u.name) in remote or (not u.name and u.target in namespaces)
                   for u in text.imports):
            continue
        relocation = Relocation(local={}, remote=remote, remote_modules=namespaces, known=known)
        files[paths[name]] = relocate_module(name, text.is_package, sources[name], relocation)
    if served and app:
        current = files.get(paths[app], sources[app])
        files[paths[app]] = register_internal_api(current, texts[app], f"{base}.internal_api")
    if files or served:
        files[f"{top_dir}/_strangler/__init__.py"] = (
            '"""Generated by strangler: clients of extracted services and the internal API."""\n'
        )
        files[f"{top_dir}/_strangler/wire.py"] = wire_source
        files[f"{top_dir}/_strangler/clients/__init__.py"] = (
            '"""Generated clients: one module per extracted service."""\n'
        )
    if served:
        hazards = {
            op: operation_hazards(sources.get(op[0], ""), op[1], model_names) for op in served
        }
        files[f"{top_dir}/_strangler/internal_api.py"] = internal_api_text(
            owner="the monolith",
            wire_module=f"{base}.wire",
            prefix=options.internal_prefix,
            operations=served,
            local={},
            hazards=hazards,
            session=session,
        )
    return files


def register_internal_api(text: str, module: ModuleText, api_module: str) -> str:
    """The app factory with the internal API blueprint imported and registered after the others."""
    tree = cst.parse_module(text)
    receiver = module.registrations[-1].receiver if module.registrations else "app"
    register = cst.parse_statement(f"{receiver}.register_blueprint({INTERNAL_API_BOUND})\n")
    importing = cst.parse_statement(f"from {api_module} import bp as {INTERNAL_API_BOUND}\n")

    class _Register(cst.CSTTransformer):
        def leave_FunctionDef(
            self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
        ) -> cst.FunctionDef:
            if original_node.name.value != module.factory:
                return updated_node
            body = list(updated_node.body.body)
            # after the last statement that registers blueprints (directly or via a helper),
            # else before the final `return app`
            last = max((i for i, s in enumerate(body) if "register_blueprint" in _code(s)),
                       default=-1)
            if last < 0:
                returns = isinstance(body[-1], cst.SimpleStatementLine) and isinstance(
                    body[-1].body[0], cst.Return
                )
                last = len(body) - (2 if returns else 1)
            body.insert(last + 1, register)
            return updated_node.with_changes(body=updated_node.body.with_changes(body=body))

    tree = tree.visit(_Register())
    body = list(tree.body)
    last_import = max(
        (i for i, s in enumerate(body)
         if isinstance(s, cst.SimpleStatementLine)
         and isinstance(s.body[0], (cst.Import, cst.ImportFrom))),
        default=-1,
    )
    body.insert(last_import + 1, importing)
    return tree.with_changes(body=body).code


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def unified_diff(original: Mapping[str, str], changed: Mapping[str, str]) -> str:
    """One unified diff (paths relative to the monolith root, sorted) of every changed file."""
    chunks: list[str] = []
    for path in sorted(changed):
        before = original.get(path)
        lines = difflib.unified_diff(
            [] if before is None else before.splitlines(keepends=True),
            changed[path].splitlines(keepends=True),
            fromfile="/dev/null" if before is None else f"a/{path}",
            tofile=f"b/{path}",
        )
        chunks.append("".join(lines))
    return "".join(chunks)


def patch_outputs(original: Mapping[str, str], changed: Mapping[str, str]) -> dict[str, str]:
    """`monolith_patch/monolith.diff` and `monolith_patch/files/<path>` for every changed file."""
    out = {f"{PATCH_DIR}/files/{path}": text for path, text in changed.items()}
    out[f"{PATCH_DIR}/monolith.diff"] = unified_diff(original, changed)
    return out


def services_env(layouts: Sequence[ServiceLayout]) -> tuple[str, ...]:
    """Environment variables the patched monolith reads: one base URL per extracted service."""
    return tuple(sorted(service_url_env(layout.package) for layout in layouts))


__all__ = ["mangle", "patch_files", "patch_outputs", "services_env", "unified_diff"]

"""ARCHITECTURE.md's machine-readable facts stay true to the code.

The facts block is what the strangler analysis is tested against, so this
test recomputes every fact from the sources (AST) and the live app
(``url_map``, SQLAlchemy metadata) and compares.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

APP_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_ROOT = APP_ROOT / "shop"
CAPABILITIES = (
    "accounts",
    "cart",
    "catalog",
    "inventory",
    "notifications",
    "orders",
    "payments",
    "reporting",
    "reviews",
    "shipping",
)
SQL_TABLE = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_]+)", re.IGNORECASE)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(APP_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE_ROOT.rglob("*.py"))}


def capability(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in CAPABILITIES else None


def _targets(node: ast.Import | ast.ImportFrom, known: set[str]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith("shop"):
                yield alias.name
        return
    base = node.module or ""
    if not base.startswith("shop"):
        return
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        yield candidate if candidate in known else base


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def classify_imports(tree: ast.Module, known: set[str]) -> Iterator[tuple[str, str, int]]:
    """Yield ``(kind, target, line)``; kind is module/type_checking/try/function."""

    def walk(nodes: list[ast.stmt], kind: str) -> Iterator[tuple[str, str, int]]:
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(node, known):
                    yield kind, target, node.lineno
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from walk(node.body, "function")
            elif isinstance(node, ast.ClassDef):
                yield from walk(node.body, kind)
            elif isinstance(node, ast.If):
                inner = "type_checking" if _is_type_checking(node.test) else kind
                yield from walk(node.body, inner)
                yield from walk(node.orelse, kind)
            elif isinstance(node, ast.Try):
                inner = "try" if kind == "module" else kind
                yield from walk(node.body, inner)
                for handler in node.handlers:
                    yield from walk(handler.body, inner)

    yield from walk(tree.body, "module")


def _optional_imports(tree: ast.Module) -> list[str]:
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in node.handlers
        ):
            for stmt in [*node.body, *(s for h in node.handlers for s in h.body)]:
                if isinstance(stmt, ast.Import):
                    found.extend(alias.name for alias in stmt.names)
    return found


def _signal_uses(tree: ast.Module) -> tuple[list[str], list[str]]:
    """Return (signals connected by decorators, signals sent) in one module."""
    connected: list[str] = []
    sent: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                if (
                    isinstance(dec, ast.Attribute)
                    and dec.attr == "connect"
                    and isinstance(dec.value, ast.Attribute)
                ):
                    connected.append(dec.value.attr)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "send"
            and isinstance(node.func.value, ast.Attribute)
            and isinstance(node.func.value.value, ast.Name)
            and node.func.value.value.id == "events"
        ):
            sent.append(node.func.value.attr)
    return sorted(set(connected)), sorted(set(sent))


def _sql_tables(tree: ast.Module) -> list[str]:
    tables: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "text":
            pieces = [
                part.value
                for arg in node.args
                for part in ast.walk(arg)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            ]
            tables.update(SQL_TABLE.findall(" ".join(pieces)))
    return sorted(tables)


def _cross_capability_calls(name: str, tree: ast.Module, known: set[str]) -> set[tuple[str, str]]:
    """Calls from ``name`` into functions of another capability (``[caller, callee]``)."""
    modules: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("shop"):
            for alias in node.names:
                bound = alias.asname or alias.name
                full = f"{node.module}.{alias.name}"
                if full in known:
                    modules[bound] = full
                else:
                    symbols[bound] = full
    calls: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        callee = None
        if isinstance(func, ast.Name) and func.id in symbols:
            callee = symbols[func.id]
        elif (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules
        ):
            callee = f"{modules[func.value.id]}.{func.attr}"
        if callee and capability(callee) and capability(callee) != capability(name):
            calls.add((name, callee))
    return calls


def _cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    import networkx as nx

    graph = nx.DiGraph(sorted(edges))
    components = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    return sorted(components)


def source_facts() -> dict[str, Any]:
    modules = all_modules()
    known = set(modules)
    module_edges: set[tuple[str, str]] = set()
    capability_edges: set[tuple[str, str]] = set()
    cross_calls: set[tuple[str, str]] = set()
    special: dict[str, list[list[str]]] = {"function": [], "type_checking": [], "try": []}
    optional: dict[str, list[str]] = {}
    subscribers: dict[str, list[str]] = {}
    publishers: dict[str, list[str]] = {}
    raw_sql: dict[str, list[str]] = {}
    helpers_users: set[str] = set()
    calls: set[tuple[str, str]] = set()
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for kind, target, _line in classify_imports(tree, known):
            if target == name or (target not in known and target != "shop"):
                continue
            if target == "shop.helpers" and capability(name):
                helpers_users.add(capability(name) or "")
            if kind == "module":
                module_edges.add((name, target))
            else:
                special[kind].append([name, target])
            src, dst = capability(name), capability(target)
            if src and dst and src != dst:
                if kind == "module":
                    capability_edges.add((src, dst))
                cross_calls.add((name, target))
        if capability(name):
            calls |= _cross_capability_calls(name, tree, known)
        if opts := _optional_imports(tree):
            optional[name] = opts
        connected, sent = _signal_uses(tree)
        for signal in connected:
            subscribers.setdefault(signal, []).append(name)
        for signal in sent:
            publishers.setdefault(signal, []).append(name)
        if tables := _sql_tables(tree):
            raw_sql[name] = tables
    return {
        "module_import_cycles": _cycles(module_edges),
        "capability_import_cycles": _cycles(capability_edges),
        "cross_capability_imports": sorted([list(e) for e in cross_calls]),
        "cross_capability_calls": sorted([list(c) for c in calls]),
        "function_local_imports": sorted(special["function"]),
        "type_checking_imports": sorted(special["type_checking"]),
        "try_except_imports": optional,
        "event_subscribers": {k: sorted(v) for k, v in sorted(subscribers.items())},
        "event_publishers": {k: sorted(v) for k, v in sorted(publishers.items())},
        "raw_sql_tables": raw_sql,
        "helpers_imported_by_capabilities": sorted(helpers_users),
    }


def app_facts(app: Any) -> dict[str, Any]:
    from shop.core.db import Base

    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, sorted(r.methods or []))):
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append(
                {
                    "method": method,
                    "path": rule.rule,
                    "endpoint": rule.endpoint,
                    "view": f"{view.__module__}.{view.__name__}",
                }
            )
    tables = {
        mapper.class_.__tablename__: f"{mapper.class_.__module__}.{mapper.class_.__name__}"
        for mapper in Base.registry.mappers
    }
    return {"routes": routes, "tables": dict(sorted(tables.items()))}


def documented_facts() -> dict[str, Any]:
    text = (APP_ROOT / "ARCHITECTURE.md").read_text()
    match = re.search(r"```json strangler-facts\n(.*?)\n```", text, re.DOTALL)
    assert match, "ARCHITECTURE.md lacks a ```json strangler-facts block"
    facts: dict[str, Any] = json.loads(match.group(1))
    return facts


def test_routes_and_tables_match_the_app(shop_app: Any) -> None:
    documented = documented_facts()
    actual = app_facts(shop_app)
    assert documented["routes"] == actual["routes"]
    assert documented["tables"] == actual["tables"]


def test_import_facts_match_the_sources() -> None:
    documented = documented_facts()
    for key, value in source_facts().items():
        assert documented[key] == value, key


def test_blueprint_prefixes_match_the_app(shop_app: Any) -> None:
    documented = documented_facts()["blueprints"]
    assert sorted(documented) == sorted(shop_app.blueprints)
    for name, blueprint in shop_app.blueprints.items():
        entry = documented[name]
        assert entry["module"] == blueprint.import_name
        assert entry["prefix_set_at"] == ("Blueprint()" if blueprint.url_prefix else "register_blueprint()")
        rules = [r.rule for r in shop_app.url_map.iter_rules() if r.endpoint.startswith(name + ".")]
        assert all(rule.startswith(entry["url_prefix"]) for rule in rules)

"""Django dynamic loading: `get_class("app.module", "Name")`, `get_model("app", "Model")`, app labels.

Django projects built from pluggable apps (django-oscar and its forks, projects using
`apps.get_model`) load their own code by app label instead of importing it, so the import graph
misses most of their wiring. Per file, `scan_loading` records:

- `get_class(module_label, name)` / `get_classes(module_label, [names])` calls: the dynamic-loading
  convention where `module_label` is a dotted path relative to an app ("catalogue.models");
- `X = get_model(app_label, model)` bindings and the `X.objects.<method>()` calls through them;
- AppConfig classes (a base named `...Config`) with their `label = "..."` and `name = "..."`, and
  a package's `default_app_config = "app.apps.Config"` (the package loads its config by that path).

`resolve_loading` joins them: an app label names the package of the AppConfig declaring it, or
else the one package whose last component is the label; a module label is that package plus the
rest of the dotted path. Each call becomes an import edge marked "string" to the resolved module
(for `get_model`, the models module of the labelled app), and each `X.objects` call a table
access of the model's table (read, or write for mutating methods).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from analyzers.model import IMPORT_STRING, AccessMode, ImportEdge, Table, TableAccess, picklable
from analyzers.python.literals import argument, last_name, string, strings
from analyzers.python.scope import Scope

LoadKind = Literal["class", "model", "path"]
_MARKERS = frozenset({IMPORT_STRING})
_CLASS_LOADERS = frozenset({"get_class", "get_classes"})
#: Called names that can load code or models by label.
LOADERS = _CLASS_LOADERS | {"get_model"}
_WRITES = frozenset(
    {"create", "update", "delete", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
)


@picklable
@dataclass(frozen=True, slots=True, order=True)
class LoadCall:
    """A `get_class`/`get_classes` (kind "class") or `get_model` (kind "model") call with literals,
    or an absolute dotted path (kind "path": `default_app_config = "app.apps.AppConfig"`)."""

    kind: LoadKind
    label: str  # module label ("catalogue.models") or app label ("catalogue")
    names: tuple[str, ...]
    line: int
    bound: tuple[str, ...] = ()  # names the result is assigned to, in order


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ModelUse:
    """`name.objects.<method>(...)` at `line`, where `name` may be bound by a `get_model` call."""

    name: str
    method: str
    line: int


@picklable
@dataclass(frozen=True, slots=True)
class LoadingFacts:
    """Raw dynamic-loading facts of one file (picklable; cached with the file)."""

    calls: tuple[LoadCall, ...] = ()
    uses: tuple[ModelUse, ...] = ()
    apps: tuple[tuple[str, str], ...] = ()  # (label, app package name as written; "" if none)
    app_lines: tuple[tuple[str, int], ...] = ()  # (app package name as written, line of the class)


_NO_FACTS = LoadingFacts()


class LoadingCollector:
    """Collects a file's dynamic-loading facts from the framework scanner's single pass.

    The scanner hands over every assignment statement (`assign`), class statement (`class_def`)
    and call (`call`) it meets; `walk` covers the few subtrees the scanner does not descend into
    (annotations, f-string replacement fields), so every call of the file is seen exactly once.
    """

    __slots__ = ("_bound", "app_lines", "apps", "calls", "uses")

    def __init__(self) -> None:
        self.calls: list[LoadCall] = []
        self.uses: list[ModelUse] = []
        self.apps: list[tuple[str, str]] = []
        self.app_lines: list[tuple[str, int]] = []
        self._bound: set[int] = set()  # calls already recorded with the names they are bound to

    def assign(self, node: ast.Assign) -> None:
        value = node.value
        if type(value) is ast.Call:
            if last_name(value.func) in LOADERS:
                call = _load_call(value, _targets(node.targets))
                if call is not None:
                    self.calls.append(call)
                    self._bound.add(id(value))
        elif (
            type(value) is ast.Constant
            and type(value.value) is str
            and value.value
            and _targets(node.targets) == ("default_app_config",)
        ):
            head, _, name = value.value.rpartition(".")
            self.calls.append(LoadCall("path", head, (name,), node.lineno))

    def class_def(self, node: ast.ClassDef) -> None:
        if any(last_name(b).endswith("Config") for b in node.bases):
            found = _app_config(node)
            if found is not None:
                self.apps.append(found)
                self.app_lines.append((found[1], node.lineno))

    def call(self, node: ast.Call) -> None:
        """Every call: a loader call with literals, or `name.objects.<method>(...)`."""
        func = node.func
        if last_name(func) in LOADERS and id(node) not in self._bound:
            call = _load_call(node, ())
            if call is not None:
                self.calls.append(call)
        if (
            type(func) is ast.Attribute
            and type(func.value) is ast.Attribute
            and func.value.attr == "objects"
            and type(func.value.value) is ast.Name
        ):
            self.uses.append(ModelUse(func.value.value.id, func.attr, node.lineno))

    def walk(self, root: ast.AST) -> None:
        """Every call under `root` (a subtree the scanner skips)."""
        for node in ast.walk(root):
            if type(node) is ast.Call:
                self.call(node)

    def facts(self) -> LoadingFacts:
        if not (self.calls or self.uses or self.apps):
            return _NO_FACTS
        return LoadingFacts(
            tuple(sorted(set(self.calls))),
            tuple(sorted(set(self.uses))),
            tuple(sorted(set(self.apps))),
            tuple(sorted(set(self.app_lines))),
        )


def scan_loading(tree: ast.Module) -> LoadingFacts:
    """The dynamic-loading facts of one parsed file, on their own (the scanner collects them in its
    own pass; this walks the whole tree and serves tests and other callers)."""
    collector = LoadingCollector()
    nodes = list(ast.walk(tree))
    for node in nodes:
        if type(node) is ast.Assign:
            collector.assign(node)
        elif type(node) is ast.ClassDef:
            collector.class_def(node)
    for node in nodes:
        if type(node) is ast.Call:
            collector.call(node)
    return collector.facts()


def _targets(targets: list[ast.expr]) -> tuple[str, ...]:
    if len(targets) != 1:
        return ()
    target = targets[0]
    if isinstance(target, ast.Name):
        return (target.id,)
    if isinstance(target, ast.Tuple | ast.List) and all(isinstance(e, ast.Name) for e in target.elts):
        return tuple(e.id for e in target.elts if isinstance(e, ast.Name))
    return ()


def _load_call(call: ast.Call, bound: tuple[str, ...]) -> LoadCall | None:
    name = last_name(call.func)
    if name in _CLASS_LOADERS:
        label = string(argument(call, 0, "module_label"))
        names = strings(argument(call, 1, "classname" if name == "get_class" else "classnames"))
        if label and names:
            return LoadCall("class", label, names, call.lineno, bound)
    elif name == "get_model":
        label = string(argument(call, 0, "app_label"))
        model = string(argument(call, 1, "model_name"))
        if label and model and "." not in label:
            return LoadCall("model", label, (model,), call.lineno, bound)
    return None


def _app_config(node: ast.ClassDef) -> tuple[str, str] | None:
    values: dict[str, str] = {}
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and (text := string(statement.value))
        ):
            values[statement.targets[0].id] = text
    name = values.get("name", "")
    label = values.get("label") or name.rpartition(".")[2]
    return (label, name) if label else None


def app_packages(
    facts: Mapping[str, LoadingFacts], modules: Collection[str], packages: Collection[str]
) -> dict[str, str]:
    """App label → the package of that app: declared by an AppConfig (its `name`, else the package
    holding the config), else the only package whose last component is the label."""
    declared: dict[str, set[str]] = defaultdict(set)
    for module, found in facts.items():
        for label, name in found.apps:
            package = name if name in modules else module.rpartition(".")[0]
            if package in modules:
                declared[label].add(package)
    result = {label: min(found, key=lambda p: (p.count("."), p)) for label, found in declared.items()}
    by_last: dict[str, list[str]] = defaultdict(list)
    for package in packages:
        by_last[package.rpartition(".")[2]].append(package)
    for label, candidates in by_last.items():
        if label not in result and len(candidates) == 1:
            result[label] = candidates[0]
    return result


def module_for_label(label: str, apps: Mapping[str, str], modules: Collection[str]) -> str | None:
    """The module a `get_class` module label names: app package + rest, else the label itself."""
    head, _, rest = label.partition(".")
    package = apps.get(head)
    if package is not None:
        target = f"{package}.{rest}" if rest else package
        if target in modules:
            return target
    return label if label in modules else None


def models_module(label: str, apps: Mapping[str, str], modules: Collection[str]) -> str | None:
    """The models module of the app labelled `label` (its package if it has none)."""
    package = apps.get(label)
    if package is None:
        return None
    return f"{package}.models" if f"{package}.models" in modules else package


def _config_packages(module: str, found: LoadingFacts, known: Collection[str]) -> dict[str, int]:
    """The app packages the AppConfig classes of `module` name (`name = "pkg.app"`, else the
    package holding the module), with the line of the first such class."""
    packages: dict[str, int] = {}
    for name, line in found.app_lines:
        package = name if name in known else module.rpartition(".")[0]
        if package:
            packages[package] = min(line, packages.get(package, line))
    return packages


def _models_edge(source: str, package: str, line: int, known: Collection[str]) -> list[ImportEdge]:
    """Django imports `<app>.models` of every installed app: a string edge to it, if it exists."""
    target = f"{package}.models"
    if target in known and target != source:
        return [ImportEdge(source, target, line, _MARKERS)]
    return []


def resolve_loading(
    facts: Mapping[str, LoadingFacts],
    scope: Scope,
    modules: Collection[str],
    packages: Collection[str],
    tables: Iterable[Table],
) -> tuple[tuple[ImportEdge, ...], tuple[TableAccess, ...], dict[str, str]]:
    """String import edges for `get_class`/`get_model` calls, table accesses through `get_model`
    bindings, and the app label → package map (for other resolvers)."""
    known = frozenset(modules)
    apps = app_packages(facts, known, packages)
    table_of = {(t.module, t.model.lower()): t.name for t in tables if t.module and t.model}
    edges: set[ImportEdge] = set()
    accesses: set[TableAccess] = set()
    for source, found in facts.items():
        bindings: dict[str, str] = {}
        for call in found.calls:
            if call.kind != "model":
                target: str | None = (
                    module_for_label(call.label, apps, known)
                    if call.kind == "class"
                    else (call.label if call.label in known else None)
                )
                if target is None:
                    continue
                for name in call.names:
                    defined = scope.resolve_name(target, name)
                    where = defined[0] if defined is not None and defined[0] in known else target
                    if where != source:
                        edges.add(ImportEdge(source, where, call.line, _MARKERS))
                if call.kind == "path":  # default_app_config: Django imports that app's models too
                    config = facts.get(target, _NO_FACTS)
                    for package in _config_packages(target, config, known):
                        edges.update(_models_edge(source, package, call.line, known))
            else:
                target = models_module(call.label, apps, known)
                if target is None:
                    continue
                if target != source:
                    edges.add(ImportEdge(source, target, call.line, _MARKERS))
                model = call.names[0].lower()
                table = table_of.get((target, model), f"{call.label.lower()}_{model}")
                for name in call.bound[:1]:
                    bindings[name] = table
        for package, line in _config_packages(source, found, known).items():
            edges.update(_models_edge(source, package, line, known))
        for use in found.uses:
            held = bindings.get(use.name)
            if held is not None:
                mode: AccessMode = "write" if use.method in _WRITES else "read"
                accesses.add(TableAccess(source, held, mode, use.line, "django"))
    return tuple(sorted(edges)), tuple(sorted(accesses)), apps

"""What the skeleton generator needs to know about each module's text, read with `ast`.

The analyzers' facts say which module uses which; moving code needs a little more, and exactly as
written: every import statement with the name it binds, the kind of each top-level definition, the
attributes read through a module alias, and where Flask blueprints are created and registered.
Everything here is a pure function of one module's text.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

DefKind = str  # "function", "class", "variable"


@dataclass(frozen=True, slots=True, order=True)
class ImportUse:
    """One name an import binds in a module, resolved against the codebase's module names.

    `target` is the codebase module the name comes from; `name` is the symbol imported from it
    ("" when the bound object is the module `target` itself); `star` for `from target import *`.
    """

    target: str
    name: str
    bound: str
    line: int
    star: bool = False


@dataclass(frozen=True, slots=True)
class Registration:
    """`<app>.register_blueprint(<expr>, ...)` in a module: which blueprint, and the statement's line."""

    module: str  # module the blueprint object is defined in ("" if unresolved)
    name: str  # its variable name there
    receiver: str  # source text of the object `register_blueprint` is called on (usually `app`)
    line: int


@dataclass(frozen=True, slots=True)
class ModuleText:
    """The parsed view of one module the generator needs."""

    name: str
    is_package: bool
    imports: tuple[ImportUse, ...]
    definitions: tuple[tuple[str, DefKind], ...]  # top-level name -> kind
    attributes: tuple[tuple[str, str], ...]  # (alias, attribute) read as `alias.attribute`
    blueprints: tuple[str, ...]  # module-level names assigned `Blueprint(...)`
    registrations: tuple[Registration, ...]
    factory: str  # top-level function that calls `Flask(...)`, "" if none
    env_vars: tuple[str, ...]  # names read with os.environ.get / getenv / os.environ[...]
    # ORM names other modules must declare for this one's models to map: tables named by
    # ForeignKey("table.column") and classes named by relationship("Class")
    foreign_tables: tuple[str, ...] = ()
    related_models: tuple[str, ...] = ()
    # module-level expression of the request's unit of work: `session` for
    # `session = scoped_session(...)`, `db.session` for Flask-SQLAlchemy's `db = SQLAlchemy()`
    session: str = ""
    # the names given to those blueprints (`Blueprint("api", __name__)`): the first part of the
    # endpoint names of the routes declared on them
    blueprint_labels: tuple[str, ...] = ()

    def kind_of(self, name: str) -> DefKind:
        return dict(self.definitions).get(name, "")


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module name of `from <level dots><target> import ...` written in `module`;
    "" when the dots climb to or above the top-level package (an import Python refuses)."""
    if level == 0:
        return target or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    if level - 1 >= len(base):
        return ""  # climbs to or above the top-level package: Python refuses it too
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def read_module(name: str, is_package: bool, text: str, known: frozenset[str]) -> ModuleText:
    """Parse `text` (module `name`); `known` holds every module name of the codebase."""
    tree = ast.parse(text)  # (once per module and run: kept out of parse_ast's cache)
    nodes = list(ast.walk(tree))  # walked once, read by every collector below
    imports: list[ImportUse] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    bound = alias.asname or alias.name.split(".")[0]
                    imports.append(ImportUse(alias.name, "", bound, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = resolve_relative(name, is_package, node.level, node.module)
            for alias in node.names:
                if alias.name == "*":
                    if base in known:
                        imports.append(ImportUse(base, "", "*", node.lineno, star=True))
                    continue
                bound = alias.asname or alias.name
                if f"{base}.{alias.name}" in known:
                    imports.append(ImportUse(f"{base}.{alias.name}", "", bound, node.lineno))
                elif base in known:
                    imports.append(ImportUse(base, alias.name, bound, node.lineno))
    return ModuleText(
        name=name,
        is_package=is_package,
        imports=tuple(sorted(imports)),
        definitions=_definitions(tree),
        attributes=_attributes(nodes),
        blueprints=_blueprints(tree),
        blueprint_labels=_blueprint_labels(tree),
        registrations=_registrations(nodes, imports),
        factory=_factory(tree),
        env_vars=_env_vars(tree, nodes),
        foreign_tables=_string_args(nodes, "ForeignKey", table=True),
        related_models=_string_args(nodes, "relationship", table=False),
        session=_session(tree),
    )


def _definitions(tree: ast.Module) -> tuple[tuple[str, DefKind], ...]:
    found: dict[str, DefKind] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = "function"
        elif isinstance(node, ast.ClassDef):
            found[node.name] = "class"
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, "variable")
    return tuple(sorted(found.items()))


def _attributes(nodes: list[ast.AST]) -> tuple[tuple[str, str], ...]:
    pairs = {
        (node.value.id, node.attr)
        for node in nodes
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }
    return tuple(sorted(pairs))


def _is_call_to(node: ast.expr | None, name: str) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute) and func.attr == name
    )


def _blueprints(tree: ast.Module) -> tuple[str, ...]:
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and _is_call_to(node.value, "Blueprint"):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif (
            isinstance(node, ast.AnnAssign)
            and _is_call_to(node.value, "Blueprint")
            and isinstance(node.target, ast.Name)
        ):
            names.append(node.target.id)
    return tuple(sorted(names))


def _blueprint_labels(tree: ast.Module) -> tuple[str, ...]:
    labels = set()
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Call) and _is_call_to(value, "Blueprint"):
            named = (k.value for k in value.keywords if k.arg == "name")
            first = value.args[0] if value.args else next(named, None)
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                labels.add(first.value)
    return tuple(sorted(labels))


def _registrations(nodes: list[ast.AST], imports: list[ImportUse]) -> tuple[Registration, ...]:
    bound: Mapping[str, ImportUse] = {use.bound: use for use in imports}
    found = []
    for node in nodes:
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "register_blueprint"
            and node.args
        ):
            continue
        arg = node.args[0]
        module, name = "", ""
        if isinstance(arg, ast.Name) and arg.id in bound:
            use = bound[arg.id]
            module, name = (use.target, use.name) if use.name else ("", "")
        elif (
            isinstance(arg, ast.Attribute)
            and isinstance(arg.value, ast.Name)
            and arg.value.id in bound
            and not bound[arg.value.id].name
        ):
            module, name = bound[arg.value.id].target, arg.attr
        found.append(Registration(module, name, ast.unparse(node.func.value), node.lineno))
    return tuple(found)


def _factory(tree: ast.Module) -> str:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
            _is_call_to(sub, "Flask") for sub in ast.walk(node) if isinstance(sub, ast.Call)
        ):
            return node.name
    return ""


def _env_vars(tree: ast.Module, nodes: list[ast.AST]) -> tuple[str, ...]:
    names: set[str] = set()
    for node in nodes:
        key: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args and (
            _is_call_to(node, "getenv")
            or (
                isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and ast.unparse(node.func.value).endswith("environ")
            )
        ):
            key = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("environ"):
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    # tables of variables: ENV_KEYS = {"SHOP_DATABASE_URL": "DATABASE_URL", ...}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and node.targets else (
            node.target if isinstance(node, ast.AnnAssign) else None
        )
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(target, ast.Name) and "ENV" in target.id.upper() and isinstance(
            value, ast.Dict
        ):
            names.update(
                k.value for k in value.keys
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value.isupper()
            )
    return tuple(sorted(names))


def _session(tree: ast.Module) -> str:
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        targets = (
            node.targets if isinstance(node, ast.Assign)
            else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if names and _is_call_to(value, "scoped_session"):
            return names[0]
        if names and _is_call_to(value, "SQLAlchemy"):
            return f"{names[0]}.session"
    return ""


def _string_args(nodes: list[ast.AST], call: str, *, table: bool) -> tuple[str, ...]:
    found = set()
    for node in nodes:
        if isinstance(node, ast.Call) and _is_call_to(node, call) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                value = first.value
                found.add(value.rpartition(".")[0] if table else value.split(".")[0])
    return tuple(sorted(v for v in found if v))


#: Syntax trees kept for reuse: bounded, as on a large codebase (saleor, 4,300 modules) keeping
#: every module's tree took about a gigabyte.
PARSED_TREES = 512


@functools.lru_cache(maxsize=PARSED_TREES)
def parse_ast(text: str) -> ast.Module:
    """`ast.parse`, once per text and run: the same module is read for several services.
    Callers must not mutate the tree."""
    return ast.parse(text)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")


def source_segment(text: str, node: ast.AST) -> str | None:
    """`ast.get_source_segment(text, node)` without splitting `text` again for every node (that
    split, a character at a time, was most of the generation time on large modules)."""
    lineno, end_lineno = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if lineno is None or end_lineno is None or col is None or end_col is None:
        return None
    lines = _source_lines(text)
    first, last = lineno - 1, end_lineno - 1
    if last >= len(lines):
        return None
    if first == last:
        segment: str = lines[first].encode()[col:end_col].decode()
        return segment
    head = lines[first].encode()[col:].decode()
    tail = lines[last].encode()[:end_col].decode()
    return "".join([head, *lines[first + 1 : last], tail])


def expression_source(text: str, node: ast.expr) -> str | None:
    """The source of expression `node`, for a place on one line (an annotation, a default, a
    keyword, an assignment): parenthesised when it spans lines, as the parentheses that let it break
    lines are outside the node (paperless: `-> (\n    A\n    | B\n)` gives `A\n    | B`)."""
    segment = source_segment(text, node)
    if segment is not None and ("\n" in segment or "\r" in segment):
        return f"({segment})"
    return segment


@functools.lru_cache(maxsize=64)
def _source_lines(text: str) -> list[str]:
    """The lines of `text` with their ends, split as `ast.get_source_segment` splits them (on
    \\r\\n, \\r and \\n only)."""
    lines: list[str] = _LINE.findall(text)
    if lines and not lines[-1]:
        lines.pop()
    return lines

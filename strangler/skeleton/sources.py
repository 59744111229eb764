"""What the skeleton generator needs to know about each module's text, read with `ast`.

The analyzers' facts say which module uses which; moving code needs a little more, and exactly as
written: every import statement with the name it binds, the kind of each top-level definition, the
attributes read through a module alias, and where Flask blueprints are created and registered.
Everything here is a pure function of one module's text; where a rewrite of its imports can
change it is import_points.py, reading its source exactly as written source_text.py.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from strangler.skeleton.import_points import RewritePoints, rewrite_points
from strangler.skeleton.source_text import line_count, source_lines

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
    # signals this module connects receivers to (`@sig.connect`, `sig.connect(f)`, Django's
    # `@receiver(sig)`) and signals it sends (`sig.send(...)`): (module, name) when the signal is a
    # name of a module of the codebase, ("", "") when it is not (a framework's, or not resolved)
    receivers: tuple[tuple[str, str], ...] = ()
    sends: tuple[tuple[str, str], ...] = ()
    lines: int = 0  # lines of the text
    points: RewritePoints | None = None  # where rewriting its imports can change it
    # top-level functions, in order: (name, first line index with decorators, index after the
    # last line), so a client reads one function's signature without parsing the whole module
    functions: tuple[tuple[str, int, int], ...] = ()
    # top-level `from m import n [as b]` statements without dots, in order: (b, m, n)
    from_bindings: tuple[tuple[str, str, str], ...] = ()
    # names it needs at hand, not only to call: what its decorators are made of and what its
    # module-level code calls while it is imported (`name` or `alias.name`); a function used so
    # cannot run over the network (its result is a function, or it is needed before any request)
    eager: tuple[str, ...] = ()
    # of those, what its decorators are made of (the callee of `@name(...)`)
    decorators: tuple[str, ...] = ()

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
    kinds = nodes_by_type(tree)  # walked once, read by every collector below
    calls = kinds.get(ast.Call, [])
    imports, relevant = _import_uses(name, is_package, kinds, known)
    definitions = _definitions(tree)
    defined = frozenset(n for n, _ in definitions)
    functions = [*kinds.get(ast.FunctionDef, []), *kinds.get(ast.AsyncFunctionDef, [])]
    decorators = _decorators([*functions, *kinds.get(ast.ClassDef, [])])
    return ModuleText(
        name=name,
        is_package=is_package,
        imports=tuple(sorted(imports)),
        definitions=definitions,
        attributes=_attributes(kinds.get(ast.Attribute, [])),
        blueprints=_blueprints(tree),
        blueprint_labels=_blueprint_labels(tree),
        registrations=_registrations(calls, imports),
        factory=_factory(tree, calls),
        env_vars=_env_vars(tree, [*calls, *kinds.get(ast.Subscript, [])]),
        foreign_tables=_string_args(calls, "ForeignKey", table=True),
        related_models=_string_args(calls, "relationship", table=False),
        session=_session(tree),
        receivers=_receivers([*calls, *functions], imports, name, defined),
        sends=_sends(calls, imports, name, defined),
        lines=line_count(text),
        points=_module_points(tree, kinds, text, relevant),
        functions=_top_functions(tree),
        from_bindings=_from_bindings(tree),
        eager=_eager(tree, decorators),
        decorators=decorators,
    )


def _module_points(
    tree: ast.Module, kinds: Mapping[type, list[ast.AST]], text: str, relevant: frozenset[int]
) -> RewritePoints:
    """The module's rewrite points; `relevant` holds the import statements naming the codebase."""
    nodes = [
        *kinds.get(ast.Import, []),
        *kinds.get(ast.ImportFrom, []),
        *kinds.get(ast.Constant, []),
        *kinds.get(ast.Attribute, []),
    ]
    return rewrite_points(tree, nodes, len(source_lines(text)), relevant)


def _import_uses(
    name: str, is_package: bool, kinds: Mapping[type, list[ast.AST]], known: frozenset[str]
) -> tuple[list[ImportUse], frozenset[int]]:
    """The names the module's imports bind from the codebase (`import` statements first, in walk
    order), and the ids of the import statements naming the codebase (or climbing above it)."""
    imports: list[ImportUse] = []
    relevant: set[int] = set()
    for plain in [n for n in kinds.get(ast.Import, []) if isinstance(n, ast.Import)]:
        found = _plain_import_uses(plain, known)
        imports += found
        relevant |= {id(plain)} if found else set()
    for node in [n for n in kinds.get(ast.ImportFrom, []) if isinstance(n, ast.ImportFrom)]:
        base = resolve_relative(name, is_package, node.level, node.module)
        if not base or base in known or any(f"{base}.{a.name}" in known for a in node.names):
            relevant.add(id(node))
        imports += _from_import_uses(node, base, known)
    return imports, frozenset(relevant)


def _plain_import_uses(node: ast.Import, known: frozenset[str]) -> list[ImportUse]:
    """What `import a.b [as c]` binds of the codebase."""
    return [
        ImportUse(alias.name, "", alias.asname or alias.name.split(".")[0], node.lineno)
        for alias in node.names
        if alias.name in known
    ]


def _from_import_uses(node: ast.ImportFrom, base: str, known: frozenset[str]) -> list[ImportUse]:
    """What `from base import ...` binds of the codebase: submodules, names of modules, a star."""
    imports: list[ImportUse] = []
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
    return imports


#: Fields that never hold a node worth collecting (names, numbers, contexts, operators).
_LEAF_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "name", "names", "module", "level", "kind"}
    | {"conversion", "is_async", "simple", "type_comment"}
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        names: tuple[str, ...] = getattr(kind, "_fields", ())
        fields = _CHILD_FIELDS[kind] = tuple(f for f in names if f not in _LEAF_FIELDS)
    return fields


def nodes_by_type(tree: ast.AST) -> dict[type, list[ast.AST]]:
    """Every node of `tree` but contexts and operators, by type, each list in `ast.walk`'s order
    (breadth first), walked without `ast.walk`'s generators (several times faster)."""
    found: list[ast.AST] = [tree]
    index = 0
    while index < len(found):
        node = found[index]
        index += 1
        for name in _child_fields(type(node)):
            value = getattr(node, name, None)
            if type(value) is list:
                found.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                found.append(value)
    kinds: dict[type, list[ast.AST]] = {}
    for node in found:
        kinds.setdefault(type(node), []).append(node)
    return kinds


def _top_functions(tree: ast.Module) -> tuple[tuple[str, int, int], ...]:
    """(name, first line index, index after the last line) of each top-level function."""
    found = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            found.append((node.name, first, node.end_lineno or node.lineno))
    return tuple(found)


def _from_bindings(tree: ast.Module) -> tuple[tuple[str, str, str], ...]:
    """(bound name, module, name) of each top-level `from module import name [as bound]`."""
    return tuple(
        (alias.asname or alias.name, node.module, alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        for alias in node.names
    )


def _decorators(defined: list[ast.AST]) -> tuple[str, ...]:
    """What the decorators of every function and class (`defined`) are made of."""
    found = {
        name
        for node in defined
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for decorator in node.decorator_list
        if (name := _callee(decorator))
    }
    return tuple(sorted(found))


def _eager(tree: ast.Module, decorators: tuple[str, ...]) -> tuple[str, ...]:
    """The `decorators`, and what the code run at import calls: module and class bodies, default
    values (function bodies run later)."""
    found = set(decorators)
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            pending += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Call) and (name := _callee(node)):
            found.add(name)
        pending.extend(ast.iter_child_nodes(node))
    return tuple(sorted(found))


def _callee(node: ast.expr) -> str:
    """`name` or `alias.name` of what a decorator or call is made of (its function when called)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return ""


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


def _factory(tree: ast.Module, calls: list[ast.AST]) -> str:
    if not any(isinstance(call, ast.Call) and _is_call_to(call, "Flask") for call in calls):
        return ""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
            _is_call_to(sub, "Flask") for sub in ast.walk(node) if isinstance(sub, ast.Call)
        ):
            return node.name
    return ""


def _env_vars(tree: ast.Module, nodes: list[ast.AST]) -> tuple[str, ...]:
    """Environment variables the module reads: `os.getenv("X")`, `environ.get("X")`,
    `environ["X"]`, and the upper-case keys of module-level tables of variables."""
    keys = [_env_key(node) for node in nodes]
    names = {k.value for k in keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return tuple(sorted(names | _env_table_keys(tree)))


def _env_key(node: ast.AST) -> ast.expr | None:
    """The key expression of a read of the environment, None if `node` is none."""
    if (
        isinstance(node, ast.Call)
        and node.args
        and (
            _is_call_to(node, "getenv")
            or (
                isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and ast.unparse(node.func.value).endswith("environ")
            )
        )
    ):
        return node.args[0]
    if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("environ"):
        return node.slice
    return None


def _env_table_keys(tree: ast.Module) -> set[str]:
    """Keys of tables of variables: ENV_KEYS = {"SHOP_DATABASE_URL": "DATABASE_URL", ...}."""
    names: set[str] = set()
    for node in tree.body:
        target = (
            node.targets[0]
            if isinstance(node, ast.Assign) and node.targets
            else (node.target if isinstance(node, ast.AnnAssign) else None)
        )
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(target, ast.Name) and "ENV" in target.id.upper() and isinstance(value, ast.Dict):
            names.update(
                k.value
                for k in value.keys
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value.isupper()
            )
    return names


def _session(tree: ast.Module) -> str:
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
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


#: Methods that send a signal (blinker, Django) and that connect a receiver to one.
SEND_METHODS = frozenset({"send", "send_robust", "asend", "asend_robust"})
CONNECT_METHODS = frozenset({"connect", "connect_via"})


def _signal(
    expr: ast.expr, bound: Mapping[str, ImportUse], module: str, defined: frozenset[str]
) -> tuple[str, str]:
    """(module, name) of the signal `expr` names: a name imported from the codebase, `alias.name`
    of a module of the codebase, or a name `module` defines; ("", "") when it is none of these (a
    framework's signal, or not resolved)."""
    if isinstance(expr, ast.Name):
        use = bound.get(expr.id)
        if use is None:
            return (module, expr.id) if expr.id in defined else ("", "")
        return (use.target, use.name) if use.name else ("", "")
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        use = bound.get(expr.value.id)
        if use is not None and not use.name:
            return (use.target, expr.attr)
    return ("", "")


def _receivers(
    nodes: list[ast.AST], imports: list[ImportUse], module: str, defined: frozenset[str]
) -> tuple[tuple[str, str], ...]:
    bound = {use.bound: use for use in imports}
    found: set[tuple[str, str]] = set()
    for node in nodes:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in CONNECT_METHODS and node.args:
                found.add(_signal(func.value, bound, module, defined))  # (`engine.connect()` connects none)
            elif isinstance(func, ast.Name) and func.id == "receiver" and node.args:
                first = node.args[0]
                signals = first.elts if isinstance(first, (ast.List, ast.Tuple)) else [first]
                found.update(_signal(s, bound, module, defined) for s in signals)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:  # `@sig.connect` (the call form is a Call above)
                if isinstance(decorator, ast.Attribute) and decorator.attr in CONNECT_METHODS:
                    found.add(_signal(decorator.value, bound, module, defined))
    return tuple(sorted(found))


def _sends(
    nodes: list[ast.AST], imports: list[ImportUse], module: str, defined: frozenset[str]
) -> tuple[tuple[str, str], ...]:
    bound = {use.bound: use for use in imports}
    found = {
        _signal(node.func.value, bound, module, defined)
        for node in nodes
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SEND_METHODS
    }
    return tuple(sorted(found - {("", "")}))

"""The templates of a Django service: which of the monolith's template files it takes, and its
`TEMPLATES` setting.

The monolith's `TEMPLATES` says where templates are: its `DIRS` (read with `ast` from expressions
such as `BASE_DIR / "templates"`, `os.path.join(BASE_DIR, "templates")`, with `BASE_DIR` from
`Path(__file__).resolve().parent.parent` or `os.path.dirname(...)`; `template_dirs`) and, with
`APP_DIRS`, each installed app's `templates/` directory. template_files.py reads those files into a
`TemplateIndex` in Django's lookup order. A service takes (`service_templates`) every template of the
apps it moves, every template whose name its code holds as a string (`render(request,
"front/details.html")`, `template_name = ...`), and those they extend, include or import by a
literal name, transitively. They go to `<package>_project/templates/` (package data), which the
service's `TEMPLATES` lists first; its context processors are the monolith's, relocated, those that
stay in the monolith named in a comment.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from strangler.skeleton.escaping import one_line, py_string
from strangler.skeleton.source_text import parsed

#: The directory of a Django service's project package that holds its templates.
TEMPLATES_DIR = "templates"
#: Names a settings module's path expressions are followed through, at most.
PATH_DEPTH = 8
#: `{% extends "x" %}`, `{% include "x" %}` (Django and Jinja), `{% import "x" ... %}`, `{% from "x" ... %}`.
TEMPLATE_TAG = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+(?:"([^"\n]+)"|'([^'\n]+)')""")


@dataclass(frozen=True, slots=True)
class TemplateEngine:
    """One entry of the monolith's `TEMPLATES`, as far as a service carries it."""

    backend: str
    app_dirs: bool
    context_processors: tuple[str, ...]
    dropped_options: tuple[str, ...]  # OPTIONS keys not carried (sorted)


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """A template of the monolith: its name (as code asks for it), the app whose `templates/`
    directory holds it ("" for a `DIRS` directory) and its text."""

    name: str
    app: str
    text: str


@dataclass(frozen=True, slots=True)
class TemplateIndex:
    """The monolith's templates, one per name (the one Django finds first), sorted by name; how
    many files were not taken (not UTF-8, too large, not a regular file, an unsafe name) and how
    many `DIRS` entries were not understood (computed otherwise, or outside the tree)."""

    files: tuple[TemplateFile, ...] = ()
    skipped: int = 0
    unread_dirs: int = 0

    def by_name(self) -> dict[str, TemplateFile]:
        return {f.name: f for f in self.files}


NO_TEMPLATES = TemplateIndex()


@dataclass(frozen=True, slots=True)
class TemplatesCopied:
    """What a service's settings say of its templates: files copied, files of the monolith not
    read, `DIRS` entries not understood."""

    copied: int = 0
    skipped: int = 0
    unread_dirs: int = 0


def template_engines(value: ast.expr | None) -> tuple[TemplateEngine, ...]:
    """The engines of a `TEMPLATES = [{...}, ...]` value: literal backends only."""
    if not isinstance(value, (ast.List, ast.Tuple)):
        return ()
    return tuple(e for e in map(_engine, value.elts) if e is not None)


def _engine(node: ast.expr) -> TemplateEngine | None:
    entries = _dict_entries(node)
    backend = _string(entries.get("BACKEND"))
    if not backend:
        return None
    app_dirs = entries.get("APP_DIRS")
    options = _dict_entries(entries.get("OPTIONS")) or {}
    processors = options.get("context_processors")
    return TemplateEngine(
        backend=backend,
        app_dirs=isinstance(app_dirs, ast.Constant) and app_dirs.value is True,
        context_processors=_strings(processors),
        dropped_options=tuple(sorted(k for k in options if k != "context_processors")),
    )


def _dict_entries(node: ast.expr | None) -> dict[str, ast.expr]:
    if not isinstance(node, ast.Dict):
        return {}
    return {
        key.value: value
        for key, value in zip(node.keys, node.values)
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def _string(node: ast.expr | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _strings(node: ast.expr | None) -> tuple[str, ...]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return ()
    return tuple(s for s in map(_string, node.elts) if s)


def template_dirs(source: str, path: str) -> tuple[tuple[str, ...], int]:
    """The tree-relative directories (posix) the `DIRS` of settings module `source` (at tree-relative
    `path`) name, in order, and how many entries were not understood (computed otherwise, or out of
    the tree)."""
    tree = parsed(source)
    if tree is None:
        return (), 0
    names = _top_level_values(tree)
    here = tuple(p for p in path.split("/") if p)
    found: list[str] = []
    unknown = 0
    for engine in _list_items(names.get("TEMPLATES")):
        for entry in _list_items(_dict_entries(engine).get("DIRS")):
            parts = _tree_path(entry, _Scope(names, here), 0)
            if parts is None:
                unknown += 1
            elif (joined := "/".join(parts)) not in found:
                found.append(joined)
    return tuple(found), unknown


def _top_level_values(tree: ast.Module) -> dict[str, ast.expr]:
    values: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            values[node.target.id] = node.value
    return values


def _list_items(node: ast.expr | None) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, (ast.List, ast.Tuple)) else []


@dataclass(frozen=True, slots=True)
class _Scope:
    """The settings module's top-level values and its own tree-relative path (`__file__`)."""

    names: Mapping[str, ast.expr]
    here: tuple[str, ...]


#: Calls that give their (only) argument's path: Path(x), str(x), os.path.abspath(x), ...
_SAME_PATH = frozenset({"Path", "PurePath", "str", "fspath", "abspath", "realpath", "normpath", "expanduser"})
#: Methods of a path that give the same path.
_SAME_METHODS = frozenset({"resolve", "absolute", "expanduser"})


def _tree_path(node: ast.expr, scope: _Scope, depth: int) -> tuple[str, ...] | None:
    """The tree-relative parts of the path `node` computes, None when not understood or outside."""
    if depth > PATH_DEPTH:
        return None
    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return scope.here
        value = scope.names.get(node.id)
        return None if value is None else _tree_path(value, scope, depth + 1)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _joined((), (node.value,))  # relative to where manage.py runs: the tree's root
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        return _up(_tree_path(node.value, scope, depth + 1), 1)
    if isinstance(node, ast.Subscript):
        return _parents(node, scope, depth)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _joined(_tree_path(node.left, scope, depth + 1), _constants([node.right]))
    if isinstance(node, ast.Call) and not node.keywords:
        return _called(node, scope, depth)
    return None


def _parents(node: ast.Subscript, scope: _Scope, depth: int) -> tuple[str, ...] | None:
    """`x.parents[k]`."""
    index = node.slice
    if not (
        isinstance(node.value, ast.Attribute)
        and node.value.attr == "parents"
        and isinstance(index, ast.Constant)
        and type(index.value) is int
        and index.value >= 0
    ):
        return None
    return _up(_tree_path(node.value.value, scope, depth + 1), index.value + 1)


def _called(node: ast.Call, scope: _Scope, depth: int) -> tuple[str, ...] | None:
    func, args = node.func, node.args
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if isinstance(func, ast.Attribute) and name in _SAME_METHODS and not args:
        return _tree_path(func.value, scope, depth + 1)
    if isinstance(func, ast.Attribute) and name == "joinpath" and args:
        return _joined(_tree_path(func.value, scope, depth + 1), _constants(args))
    if not args:
        return None
    first = _tree_path(args[0], scope, depth + 1)
    if name == "dirname" and len(args) == 1:
        return _up(first, 1)
    if name in {"join", "Path", "PurePath"}:
        return _joined(first, _constants(args[1:]))
    return first if name in _SAME_PATH and len(args) == 1 else None


def _constants(nodes: Sequence[ast.expr]) -> tuple[str, ...] | None:
    values = [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return tuple(values) if len(values) == len(nodes) else None


def _up(parts: tuple[str, ...] | None, levels: int) -> tuple[str, ...] | None:
    if parts is None or levels > len(parts):
        return None  # above the tree's root: outside it
    return parts[: len(parts) - levels]


def _joined(parts: tuple[str, ...] | None, pieces: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """`parts` joined with relative `pieces` ("a/b", "..", "."); None when one is absolute or the
    result leaves the tree."""
    if parts is None or pieces is None:
        return None
    result = list(parts)
    for piece in pieces:
        if piece.startswith(("/", "\\", "~")) or "\\" in piece or "\x00" in piece or ":" in piece:
            return None
        for part in piece.split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if not result:
                    return None
                result.pop()
            else:
                result.append(part)
    return tuple(result)


def is_safe_name(name: str) -> bool:
    """Whether a template name is a plain relative path to write below a service's templates/."""
    parts = name.split("/")
    return (
        bool(name)
        and all(part not in ("", ".", "..") for part in parts)
        and not any(ch in name for ch in "\\:")
        and all(ch.isprintable() for ch in name)
    )


def service_templates(index: TemplateIndex, apps: Iterable[str], sources: Iterable[str]) -> dict[str, str]:
    """Template name -> text of the templates a service takes: those of the moved `apps`, those
    whose names the service's code `sources` hold as strings, and what they extend, include or
    import, transitively."""
    known = index.by_name()
    moved = frozenset(apps)
    wanted = {f.name for f in index.files if f.app in moved}
    for source in sources:
        wanted |= _named_in(source, known)
    taken: dict[str, str] = {}
    queue = sorted(wanted)
    while queue:
        name = queue.pop()
        if name in taken or name not in known:
            continue
        text = known[name].text
        taken[name] = text
        queue.extend(sorted(n for n in _tags(text) if n in known and n not in taken))
    return dict(sorted(taken.items()))


def _named_in(source: str, known: Mapping[str, TemplateFile]) -> set[str]:
    """The template names of `known` that `source` writes as a quoted string (`"front/x.html"`,
    `'front/x.html'`): a string constant, or a comment quoting one, which takes a file too many
    at worst. Read from the text: walking every module's syntax tree cost a tenth of a plan."""
    return {name for name in known if name in source and (f'"{name}"' in source or f"'{name}'" in source)}


def _tags(text: str) -> set[str]:
    return {first or second for first, second in TEMPLATE_TAG.findall(text)}


def templates_lines(
    engines: Iterable[TemplateEngine], relocate: Callable[[str], str], counts: TemplatesCopied
) -> list[str]:
    """The service's `TEMPLATES`: the monolith's engines with the project's templates/ directory
    first, their context processors relocated (`relocate` gives "" for one the service cannot
    have: its code stays in the monolith, or its contrib app is not installed here)."""
    engines = list(engines)
    if not engines:
        return []
    lines = ["TEMPLATES = ["]
    notes: list[str] = []
    for engine in engines:
        processors: list[str] = []
        for name in engine.context_processors:
            if new := relocate(name):
                processors.append(new)
            else:
                notes.append(f"# strangler: context processor {one_line(name)} not carried over")
        notes += [
            f"# strangler: TEMPLATES option {one_line(repr(k))} of {one_line(engine.backend)} not copied"
            for k in engine.dropped_options
        ]
        lines += [
            "    {",
            f'        "BACKEND": {py_string(engine.backend)},',
            f'        "DIRS": [Path(__file__).resolve().parent / {py_string(TEMPLATES_DIR)}],',
            f'        "APP_DIRS": {engine.app_dirs!r},',
            '        "OPTIONS": {',
            '            "context_processors": [',
            *[f"                {py_string(p)}," for p in processors],
            "            ],",
            "        },",
            "    },",
        ]
    lines.append("]")
    if counts.copied:
        lines.append(
            f"# strangler: {counts.copied} template file(s) of the monolith copied into {TEMPLATES_DIR}/"
            " beside this file (those this code names, and those they extend or include)"
        )
    if counts.skipped:
        lines.append(
            f"# strangler: {counts.skipped} template file(s) of the monolith not read (not UTF-8, over 1 MB,"
            " a symbolic link or an unsafe name): copy the ones this service renders by hand"
        )
    if counts.unread_dirs:
        lines.append(
            f"# strangler: {counts.unread_dirs} TEMPLATES DIRS entry(ies) computed otherwise or outside the"
            " tree: copy their templates by hand"
        )
    return lines + notes

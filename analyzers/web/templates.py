"""Template uses: Django and Jinja templates that load tag libraries and include, extend or import
other templates, as import edges marked TEMPLATE from the app owning the template.

A template under `<app>/templates/` (or `<app>/jinja2/`, Django's directory for Jinja2) belongs to
the package `<app>`; it uses
- `{% load permissions %}` (`{% load a b %}`, `{% load x from lib %}`): the tag library module
  `<some app>/templatetags/permissions.py`;
- `{% include "x/y.html" %}`, `{% extends "base.html" %}`, and Jinja's `{% import "m.html" as m %}`,
  `{% from "m.html" import m %}`, `{% include ["a.html", "b.html"] %}`: the package owning the
  named template (its own, when it has one of that name; else the first app, by name, that does).
A use inside the app itself is no edge; a name no app of the codebase holds (Django's own
libraries, a project-level `templates/` directory, a name computed at run time) is none either.

The edge's `line` is the line in the template and `names` holds the template's path (relative to
the analyzed root), so a finding can point at it. Templates are read fresh on every run (the
per-file caches know only Python files), only from inside the tree (no symbolic link out of it is
followed), at most MAX_TEMPLATE_BYTES each (a larger one is a `too-large` diagnostic) and
MAX_TEMPLATE_FILES in all.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from analyzers.model import Diagnostic, ImportEdge, Module

#: The import marker of a template use (analyzers.model.ImportEdge.markers).
TEMPLATE = "template"
#: Directories of an app package holding its templates.
TEMPLATE_DIRS = ("templates", "jinja2")
MAX_TEMPLATE_BYTES = 1 << 20
MAX_TEMPLATE_FILES = 20_000

#: A tag naming libraries or templates; its argument holds no `%` and is bounded (a tag that never
#: closes must not make the search quadratic in a hostile template).
_TAG = re.compile(rb"\{%-?\s*(load|include|extends|import|from)\s([^%]{0,400})%\}")
_QUOTED = re.compile(r"""^(["'])([^"'\n]+)\1""")
_LISTED = re.compile(r"""^\[([^\]]*)\]""")
_NAME_IN_LIST = re.compile(r"""(["'])([^"'\n]+)\1""")


@dataclass(frozen=True, slots=True)
class TemplateUses:
    """What the templates of a codebase use, and what could not be read."""

    edges: tuple[ImportEdge, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files: int = 0  # templates read


Tag = tuple[int, str, str]  # (line, tag name, its argument)


@dataclass(frozen=True, slots=True)
class _Template:
    owner: str  # the package module owning the template directory
    name: str  # the name templates use: path under the template directory
    path: str  # relative to the root
    tags: tuple[Tag, ...]  # the tags that can name a library or a template


def template_uses(root: str, modules: Iterable[Module]) -> TemplateUses:
    """The template uses of the apps among `modules` under `root` (an absolute, resolved path);
    never raises: what cannot be read is a diagnostic, a failure of the reader one `template-scan`."""
    try:
        return _template_uses(root, tuple(modules))
    except (Exception, RecursionError) as exc:  # a reader bug must not lose the other facts
        message = f"template uses not extracted: {type(exc).__name__}: {exc}"
        return TemplateUses(diagnostics=(Diagnostic(".", 0, "template-scan", message),))


def _template_uses(root: str, modules: tuple[Module, ...]) -> TemplateUses:
    reader = _Reader(root)
    for owner, directory in _template_dirs(root, modules):
        reader.read_tree(owner, directory)
    libraries: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        head, _, library = module.name.rpartition(".templatetags.")
        if head and library and "." not in library:
            libraries[library].append(module.name)
    providers: dict[str, list[_Template]] = defaultdict(list)
    for template in reader.templates:
        providers[template.name].append(template)
    edges: set[ImportEdge] = set()
    for template in reader.templates:
        for line, target in _uses(template, libraries, providers):
            if target != template.owner:
                edges.add(ImportEdge(template.owner, target, line, frozenset({TEMPLATE}), (template.path,)))
    return TemplateUses(tuple(sorted(edges)), tuple(sorted(set(reader.diagnostics))), len(reader.templates))


def _template_dirs(root: str, modules: tuple[Module, ...]) -> Iterator[tuple[str, str]]:
    """(owning package, absolute directory) of every template directory of a package, by name."""
    for module in sorted((m for m in modules if m.is_package), key=lambda m: m.name):
        base = os.path.join(root, os.path.dirname(module.path))
        for name in TEMPLATE_DIRS:
            directory = os.path.join(base, name)
            if os.path.isdir(directory):
                yield module.name, directory


def _uses(
    template: _Template, libraries: dict[str, list[str]], providers: dict[str, list[_Template]]
) -> Iterator[tuple[int, str]]:
    """(line, module) of every tag of `template` naming a library or a template of the codebase."""
    for line, tag, argument in template.tags:
        if tag == "load":
            for library in _loaded(argument):
                found = sorted(libraries.get(library, ()))
                if found:
                    yield line, next((m for m in found if _inside(m, template.owner)), found[0])
            continue
        for name in _named(argument):
            owners = [t.owner for t in providers.get(name, ()) if t.path != template.path]
            if owners:
                yield line, template.owner if template.owner in owners else min(owners)


def tags(data: bytes) -> tuple[Tag, ...]:
    """The `load`, `include`, `extends`, `import` and `from` tags of a template's text."""
    if b"{%" not in data:
        return ()
    found: list[Tag] = []
    line, counted = 1, 0
    for match in _TAG.finditer(data):
        line += data.count(b"\n", counted, match.start())
        counted = match.start()
        argument = match.group(2).decode("utf-8", "replace").strip().removesuffix("-").strip()
        found.append((line, match.group(1).decode(), argument))
    return tuple(found)


def _loaded(argument: str) -> list[str]:
    """The libraries of `{% load a b %}`, or the one of `{% load x y from lib %}`."""
    words = argument.split()
    if len(words) >= 3 and words[-2] == "from":
        return [words[-1]]
    return words


def _named(argument: str) -> list[str]:
    """The literal template names a tag's argument starts with: `"x.html"`, `["a.html", 'b.html']`."""
    quoted = _QUOTED.match(argument)
    if quoted:
        return [quoted.group(2)]
    listed = _LISTED.match(argument)
    return [m.group(2) for m in _NAME_IN_LIST.finditer(listed.group(1))] if listed else []


def _inside(module: str, package: str) -> bool:
    return module.startswith(package + ".")


class _Reader:
    """Reads template files under template directories, inside the tree only, bounded."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.templates: list[_Template] = []
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[str] = set()  # real paths of the directories read (a link may loop back)

    def rel(self, path: str) -> str:
        """`path` (under the root as written: directories are joined to it) relative to the root."""
        return path[len(self.root.rstrip("/")) + 1 :].replace(os.sep, "/")

    def inside(self, real: str, path: str) -> bool:
        """Whether resolved path `real` (of `path`) lies in the tree; a link out is a diagnostic."""
        if real == self.root or real.startswith(self.root.rstrip("/") + "/"):
            return True
        message = "symbolic link leads outside the tree; template not read"
        self.diagnostics.append(Diagnostic(self.rel(path), 0, "symlink-outside", message))
        return False

    def read_tree(self, owner: str, top: str) -> None:
        real = os.path.realpath(top)
        if not self.inside(real, top):
            return
        pending = [(top, real, "")]
        while pending and len(self.templates) < MAX_TEMPLATE_FILES:
            directory, real, prefix = pending.pop()
            if real in self.seen:
                continue
            self.seen.add(real)
            for entry in _listing(directory):
                linked = _is(entry.is_symlink)
                target = os.path.realpath(entry.path) if linked else f"{real}/{entry.name}"
                if entry.name.startswith(".") or (linked and not self.inside(target, entry.path)):
                    continue
                if _is(entry.is_dir):
                    pending.append((entry.path, target, f"{prefix}{entry.name}/"))
                elif _is(entry.is_file):
                    self.read_file(owner, entry, prefix + entry.name)

    def read_file(self, owner: str, entry: os.DirEntry[str], name: str) -> None:
        path = self.rel(entry.path)
        try:
            if entry.stat().st_size > MAX_TEMPLATE_BYTES:
                message = f"template over {MAX_TEMPLATE_BYTES >> 20} MB; not read"
                self.diagnostics.append(Diagnostic(path, 0, "too-large", message))
                return
            with open(entry.path, "rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES)
        except OSError as exc:
            message = f"cannot read template: {exc.strerror or exc}"
            self.diagnostics.append(Diagnostic(path, 0, "unreadable", message))
            return
        self.templates.append(_Template(owner, name, path, tags(data)))


def _listing(directory: str) -> list[os.DirEntry[str]]:
    """The entries of `directory` by name; none when it cannot be listed (vanished, unreadable)."""
    try:
        with os.scandir(directory) as scan:
            return sorted(scan, key=lambda e: e.name)
    except OSError:
        return []


def _is(test: Callable[[], bool]) -> bool:
    try:
        return test()
    except OSError:
        return False

"""Django URL configurations: `urlpatterns` lists of `path`/`re_path`/`url` and `include()`.

Scanning records every top-level list of URL patterns of a file, views and includes as written.
Resolving starts at the ROOT_URLCONF a settings module names (else at every urlconf no other one
includes), follows includes of dotted strings, modules and pattern lists across files, and
concatenates the patterns on the way, as Django does when it matches a request.

Generated pattern lists (`admin.site.urls`, `router.urls`, `include(get_urls())`, any
non-literal include that names no urlconf of the codebase) cannot be read statically: each one
reached from a root is a "dynamic-urls" diagnostic at its line, saying the routes under that
prefix are not listed. The exception is a Django REST framework router of the codebase
(`include(router.urls)`, `urlpatterns += router.urls`): its registrations give the conventional
list/detail routes and the routes of their ViewSets' actions (see `analyzers.web.drf`).

A view wrapped in urls.py (`login_required(views.index)`, `csrf_exempt(View.as_view())`,
`cache_page(60)(views.page)`) is the view it wraps; a call naming no view (`make_view("x")`) is
handled by the function called. A `path()` parameter of a converter the project registers
(`analyzers.web.django_converters`) matches that converter's regex: such a route is a regex route.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import string as string_module
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from analyzers.files.discovery import RUNTIME_BY_PATH, role_of
from analyzers.model import LANGUAGE_PREFIX, Diagnostic, Route, picklable
from analyzers.python.literals import argument, dotted, keyword_value, last_name, string, unwrapped_view
from analyzers.python.scope import Scope
from analyzers.web.django_converters import BUILTIN, Converters
from analyzers.web.drf import Router, ViewSetIndex, expand
from analyzers.web.regex_text import top_level_alternatives

PATTERN_CALLS = {"path": False, "re_path": True, "url": True}
# Literal text, before any group, parameter or class, holding a letter or digit.
_STATIC_WORD = re.compile(r"^[^(<\[{]*[A-Za-z0-9]")
MAX_INCLUDE_DEPTH = 16
Parts = tuple[tuple[str, bool], ...]  # (pattern, is_regex) from the root urlconf down


@picklable
@dataclass(frozen=True, slots=True, order=True)
class UrlEntry:
    """One `path(pattern, view_or_include, name=...)` of a urlpatterns list."""

    pattern: str
    regex: bool
    line: int
    view: str = ""  # view expression as written (`views.index`, `OrderView` for `.as_view()`)
    include: str = ""  # included module: a dotted string, or an expression naming a module/list
    include_is_string: bool = False
    nested: tuple[UrlEntry, ...] = ()  # include([path(...), ...]) written inline
    name: str = ""
    computed: str = ""  # the pattern as written when it is no literal (`settings.BASE_PATH`); pattern ""


@picklable
@dataclass(frozen=True, slots=True, order=True)
class UrlList:
    """A top-level variable holding URL patterns (`urlpatterns` and helper lists)."""

    name: str
    entries: tuple[UrlEntry, ...]


def url_entries(node: ast.expr) -> tuple[UrlEntry, ...]:
    """The URL pattern entries of a list expression (`[...] + [...]`, `i18n_patterns(...)` too)."""
    return tuple(_entries(node))


def _entries(node: ast.expr) -> Iterator[UrlEntry]:
    if isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            if isinstance(element, ast.Call):
                entry = _entry(element)
                if entry is not None:
                    yield entry
            elif isinstance(element, ast.Starred):  # [..., *router.urls, *extra_patterns]
                yield from _entries(element.value)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _entries(node.left)
        yield from _entries(node.right)
    elif isinstance(node, ast.Attribute) and node.attr == "urls" and (expression := dotted(node)):
        yield UrlEntry("", False, node.lineno, include=expression)  # urlpatterns += router.urls
    elif isinstance(node, ast.Name):
        yield UrlEntry("", False, node.lineno, include=node.id)  # urlpatterns += api_urls (a list)
    elif isinstance(node, ast.Call) and last_name(node.func) == "i18n_patterns":
        yield _language_prefixed(node)
    elif isinstance(node, ast.Call) and last_name(node.func) not in PATTERN_CALLS:
        # wrappers: format_suffix_patterns([...])
        entry_calls = [a for a in node.args if isinstance(a, ast.Call)]
        for argument_node in node.args:
            if isinstance(argument_node, ast.List | ast.Tuple | ast.BinOp):
                yield from _entries(argument_node)
        yield from _entries(ast.List(elts=list(entry_calls), ctx=ast.Load()))


def _language_prefixed(call: ast.Call) -> UrlEntry:
    """`i18n_patterns(path(...), ...)`: its patterns under a prefix known only at run time (the
    language code, `/en/`, `/de/`; none for the default language with `prefix_default_language=False`):
    listed without it and marked, so no proxy rule is written that real requests would not match."""
    inner = [a for a in call.args if isinstance(a, ast.Call | ast.List | ast.Tuple | ast.BinOp)]
    nested = tuple(
        e for a in inner for e in _entries(a if not isinstance(a, ast.Call) else ast.List(elts=[a]))
    )
    return UrlEntry("", False, call.lineno, nested=nested, computed=LANGUAGE_PREFIX)


def _entry(call: ast.Call) -> UrlEntry | None:
    regex = PATTERN_CALLS.get(last_name(call.func))
    if regex is None:
        return None
    pattern, computed = _pattern(call)
    view = argument(call, 1, "view")
    if pattern is None or view is None:
        return None
    name = string(argument(call, 3, "name")) or ""
    entry = UrlEntry(pattern, regex, call.lineno, name=name, computed=computed)
    if isinstance(view, ast.Call) and last_name(view.func) == "include":
        return _included(entry, view)
    return _viewed(entry, view)


def _pattern(call: ast.Call) -> tuple[str | None, str]:
    """(pattern, the pattern as written when it is computed at run time: its literal text is kept
    only with a literal segment before any group, as `"^{}/(?P<path>.*)$".format(media)` left as
    `^/(?P<path>.*)$` would take every path)."""
    route = argument(call, 0, "route")
    pattern = string(route)
    if pattern is None:
        pattern = string(keyword_value(call, "regex"))
    if pattern is None and route is not None:  # `path(settings.BASE_PATH, include(...))`
        literal = literal_parts(route)
        return (literal if _STATIC_WORD.match(literal) else ""), dotted(route) or ast.unparse(route)
    return pattern, ""


def _included(entry: UrlEntry, include: ast.Call) -> UrlEntry:
    """`include("app.urls")`, `include([...])`, `include(module)`, `include((patterns, "app"))`."""
    target = argument(include, 0, "arg")
    if isinstance(target, ast.Tuple) and target.elts:
        target = target.elts[0]  # include((patterns, "app_name"))
    text = string(target)
    if text is not None:
        return dataclasses.replace(entry, include=text, include_is_string=True)
    if isinstance(target, ast.List | ast.Tuple | ast.BinOp):
        return dataclasses.replace(entry, nested=url_entries(target))
    written = dotted(target) or (ast.unparse(target) if target is not None else "include()")
    return dataclasses.replace(entry, include=written)


def _viewed(entry: UrlEntry, view: ast.expr) -> UrlEntry:
    """The view as written: what a wrapper wraps, a class for `.as_view()`, the factory called."""
    view = unwrapped_view(view)
    if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
        view = view.func.value
    elif isinstance(view, ast.Call):
        view = view.func  # `make_view("x")`: the factory handles the route
    expression = dotted(view) or string(view) or ast.unparse(view)[:80]  # (a string: a dotted path)
    if expression.endswith(".urls"):  # admin.site.urls, router.urls: generated, not static
        return dataclasses.replace(entry, include=expression)
    return dataclasses.replace(entry, view=expression)


# --- resolution ------------------------------------------------------------------------------


_NO_CONVERTERS = Converters({})


@dataclass(frozen=True, slots=True)
class UrlconfFacts:
    """What resolving Django's URLs reads: each module's pattern lists, the root urlconfs the
    settings name, the DRF routers (module -> routers) and ViewSets, the custom path converters."""

    urlconfs: Mapping[str, tuple[UrlList, ...]]
    roots: tuple[str, ...]
    routers: Mapping[str, tuple[Router, ...]] = dataclasses.field(default_factory=dict)
    viewsets: ViewSetIndex | None = None
    converters: Converters = _NO_CONVERTERS


def resolve_urls(
    facts: UrlconfFacts, scope: Scope, paths: Mapping[str, str]
) -> tuple[tuple[Route, ...], tuple[Diagnostic, ...]]:
    """Routes reachable from the root urlconfs (else from every urlconf no other one includes); the
    ViewSets give DRF routers their actions, the converters the regexes of custom path converters."""
    resolver = _UrlResolver(facts, scope, paths)
    for root in resolver.roots(facts):
        resolver.walk(root, resolver.lists[(root, "urlpatterns")].entries, (), ((root, "urlpatterns"),))
    return resolver.result()


class _UrlResolver:
    """One resolution: the pattern lists and routers by (module, name), and what it has found."""

    def __init__(self, facts: UrlconfFacts, scope: Scope, paths: Mapping[str, str]) -> None:
        self.scope = scope
        self.paths = paths
        self.context = _Context(facts.converters, facts.viewsets)
        self.routers = {(m, r.name): r for m, found in facts.routers.items() for r in found}
        self.lists = {(m, lst.name): lst for m, found in facts.urlconfs.items() for lst in found}
        self.routes: set[Route] = set()
        self.diagnostics: set[Diagnostic] = set()
        # (file, computed expression) -> line -> entry: one diagnostic per expression and file
        # (healthchecks writes `path(prefix, include(...))` 33 times)
        self.computed: dict[tuple[str, str], dict[int, UrlEntry]] = {}

    def where(self, module: str) -> str:
        return self.paths.get(module, module)

    def roots(self, facts: UrlconfFacts) -> list[str]:
        """The root urlconfs; without any, every urlconf no other one includes. A urlconf of the
        code that no urlconf includes is attached at run time (Mayan EDMS's AppConfig.ready()
        includes every app's), or unused: listed from the site root too, and said so."""
        roots = [m for m in facts.roots if (m, "urlpatterns") in self.lists]
        included = self._included(facts)
        orphans = sorted(
            m
            for m in facts.urlconfs
            if (m, "urlpatterns") in self.lists and m not in included and m not in roots
        )
        if not roots:
            return orphans
        for module in orphans:
            if role_of(self.where(module)) in RUNTIME_BY_PATH:
                roots.append(module)
                self.diagnostics.add(_unrooted(self.where(module), module, facts.roots))
        return roots

    def _included(self, facts: UrlconfFacts) -> set[str]:
        """The modules some other urlconf includes."""
        included: set[str] = set()
        for module, found in facts.urlconfs.items():
            for lst in found:
                for entry in _flatten(lst.entries):
                    target = _include_target(module, entry, self.scope, self.lists)
                    if target is not None and target[0] != module:
                        included.add(target[0])
        return included

    def walk(
        self,
        module: str,
        entries: tuple[UrlEntry, ...],
        parts: Parts,
        seen: tuple[tuple[str, str], ...],
        unknown: str = "",
    ) -> None:
        """The routes of `entries` under `parts`; `unknown`: the computed prefix above them
        (`path(f"{settings.BASE}/", include(...))`): their routes are listed without it and marked,
        so the proxy never routes them."""
        for entry in entries:
            here = (*parts, (entry.pattern, entry.regex))
            marked = unknown or entry.computed
            if entry.computed:
                self.computed.setdefault((self.where(module), entry.computed), {})[entry.line] = entry
                if not (entry.nested or entry.include or entry.pattern):
                    continue  # a view at a path known only at run time: not listed
            if entry.nested:
                self.walk(module, entry.nested, here, seen, marked)
            elif entry.include:
                self._include(module, entry, here, seen, marked)
            else:
                self.routes.add(_marked(self._route(module, entry, here), marked))

    def _include(
        self, module: str, entry: UrlEntry, parts: Parts, seen: tuple[tuple[str, str], ...], unknown: str
    ) -> None:
        """An include: the urlconf of the codebase it names, else the routes of a DRF router (or a
        diagnostic)."""
        target = _include_target(module, entry, self.scope, self.lists)
        if target is None and not entry.include_is_string:
            self.routes.update(_marked(route, unknown) for route in self._generated(module, entry, parts))
        if target is None or target in seen or len(seen) > MAX_INCLUDE_DEPTH:
            return
        self.walk(target[0], self.lists[target].entries, parts, (*seen, target), unknown)

    def _generated(self, module: str, entry: UrlEntry, parts: Parts) -> list[Route]:
        """Routes of a DRF router included here, else a "dynamic-urls" diagnostic."""
        key = self._router(module, entry.include)
        if key is None:
            message = (
                f"URL patterns {entry.include!r} included at {concat(parts)[0]!r} are generated at run time;"
                " the routes under that prefix are not listed"
            )
            self.diagnostics.add(Diagnostic(self.where(module), entry.line, "dynamic-urls", message))
            return []
        found = []
        for made in expand(self.routers[key], key[0], self.context.viewsets):
            view = UrlEntry(made.pattern, made.regex, made.line, view=made.viewset, name=made.name)
            found.append(self._route(key[0], view, (*parts, (made.pattern, made.regex)), made.methods))
        return found

    def _router(self, module: str, include: str) -> tuple[str, str] | None:
        """The DRF router of the codebase whose `.urls` `include` is."""
        head, _, last = include.rpartition(".")
        if last == "urls" and (module, head) in self.routers:
            return (module, head)
        found = self.scope.resolve_name(module, head) if last == "urls" and head else None
        return found if found is not None and found in self.routers else None

    def _route(self, module: str, entry: UrlEntry, parts: Parts, methods: tuple[str, ...] = ()) -> Route:
        pattern, regex = concat(parts, self.context.converters.regexes)
        self.context.note_unknown(self.where(module), entry, parts)
        handler_module, handler = self._handler(module, entry, pattern)
        return Route(
            path=pattern,
            methods=methods,
            handler=handler,
            module=handler_module,
            line=entry.line,
            framework="django",
            name=entry.name,
            is_regex=regex,
        )

    def _handler(self, module: str, entry: UrlEntry, pattern: str) -> tuple[str, str]:
        """(module, qualified name) of the view; a view the codebase does not define is a diagnostic,
        unless it is Django's or a library's."""
        found = self.scope.resolve_name(module, entry.view)
        if found is not None and found[1]:
            return found[0], f"{found[0]}.{found[1]}"
        if not self.scope.is_external(module, entry.view):
            message = f"view {entry.view!r} of route {pattern!r} is not defined in the codebase"
            self.diagnostics.add(Diagnostic(self.where(module), entry.line, "unresolved-route", message))
        return module, entry.view

    def result(self) -> tuple[tuple[Route, ...], tuple[Diagnostic, ...]]:
        for (path, _), by_line in self.computed.items():
            self.diagnostics.add(_computed_pattern(path, by_line[min(by_line)], len(by_line) - 1))
        self.diagnostics.update(self.context.unknown_converter_diagnostics())
        return tuple(sorted(self.routes)), tuple(sorted(self.diagnostics))


def _unrooted(path: str, module: str, roots: tuple[str, ...]) -> Diagnostic:
    message = (
        f"urlconf {module} is included by no urlconf (ROOT_URLCONF {', '.join(roots)}): "
        "its routes are listed from the site root (attached at run time under a prefix, or unused)"
    )
    return Diagnostic(path, 0, "unrooted-urls", message)


def _marked(route: Route, unknown: str) -> Route:
    """`route` marked as served under a prefix computed at run time (`unknown`, as written)."""
    return dataclasses.replace(route, unknown_prefix=unknown) if unknown else route


class _Context:
    """What resolving a urlconf needs besides the urlconfs: custom converters (and the unknown ones
    met, by file), the ViewSets of DRF routers."""

    def __init__(self, converters: Converters, viewsets: ViewSetIndex | None) -> None:
        self.converters = converters
        self.viewsets = viewsets
        self.unknown: dict[tuple[str, str], list[tuple[int, str]]] = {}

    def note_unknown(self, path: str, entry: UrlEntry, parts: Parts) -> None:
        """Remember the converters of the route's `path()` parts that no code registers."""
        for pattern, regex in parts:
            if regex:
                continue
            for match in _PARAMETER.finditer(pattern):
                converter = match.group("converter") or "str"
                if converter not in BUILTIN and converter not in self.converters.regexes:
                    self.unknown.setdefault((path, converter), []).append((entry.line, pattern))

    def unknown_converter_diagnostics(self) -> list[Diagnostic]:
        found = []
        for (path, converter), uses in sorted(self.unknown.items()):
            if converter in self.converters.unread:
                continue  # said where it is registered
            line, pattern = min(uses)
            more = f" and {len(uses) - 1} more pattern(s)" if len(uses) > 1 else ""
            message = (
                f"path converter {converter!r} of {pattern!r}{more} is registered by no "
                "register_converter() call the code shows: its parameters are taken as one path "
                "segment ([^/]+), as `str`"
            )
            found.append(Diagnostic(path, line, "unknown-converter", message))
        return found


def _computed_pattern(path: str, entry: UrlEntry, more: int = 0) -> Diagnostic:
    if entry.pattern:  # `"^{}api/v2/".format(setting)`, `f"{prefix}admin/"`: its literal text is known
        what = "URL prefix" if entry.nested or entry.include else f"route of {entry.view}:"
        message = (
            f"{what} {entry.computed} is partly computed at run time: listed as {entry.pattern!r}, "
            "its computed parts taken as empty (a deployment prefix, usually; check the proxy rules)"
        )
    elif entry.nested or entry.include:
        message = (
            f"URL prefix {entry.computed} is computed at run time: the routes under it are listed "
            "without it and marked: no proxy rule moves them off the monolith"
        )
    else:
        message = (
            f"route of {entry.view} has a path computed at run time ({entry.computed}): "
            "not listed, not routed"
        )
    if more:
        message += f"; {more} more pattern(s) of this file use {entry.computed} the same way"
    return Diagnostic(path, entry.line, "computed-route", message)


def literal_parts(node: ast.expr) -> str:
    """The literal text of a pattern computed at run time: `f"{prefix}admin/"` and
    `"^{}api/v2/".format(prefix)` give `admin/` and `^api/v2/`; a bare name gives ""."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else ""
    if isinstance(node, ast.JoinedStr):
        return "".join(literal_parts(value) for value in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return literal_parts(node.left) + literal_parts(node.right)
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == "format" and (text := string(func.value)):
        try:
            return "".join(literal for literal, *_ in string_module.Formatter().parse(text))
        except ValueError:  # (a malformed format string: nothing certain)
            return ""
    return ""


def _flatten(entries: tuple[UrlEntry, ...]) -> Iterator[UrlEntry]:
    for entry in entries:
        yield entry
        yield from _flatten(entry.nested)


def _include_target(
    module: str, entry: UrlEntry, scope: Scope, lists: Mapping[tuple[str, str], UrlList]
) -> tuple[str, str] | None:
    """(module, list name) an include points at, when it is a urlconf of the codebase."""
    if not entry.include:
        return None
    if entry.include_is_string:
        target = scope.resolve_module(entry.include)
        return (target, "urlpatterns") if target and (target, "urlpatterns") in lists else None
    if (module, entry.include) in lists:
        return (module, entry.include)
    found = scope.resolve_name(module, entry.include)
    if found is None:
        return None
    key = (found[0], found[1] or "urlpatterns")
    return key if key in lists else None


def concat(parts: Parts, custom: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """Join URL patterns as Django matches them, written as a path from the site root.

    Plain patterns get one leading slash ("orders/" + "<int:pk>/" → "/orders/<int:pk>/"). When
    any part is a regular expression the whole is one, with the inner anchors dropped
    ("^api/" + "^orders/$" → "^/api/orders/$"); `path()` parts inside it are converted to the
    regular expression Django itself compiles them to, so `<int:pk>` matches digits, not itself.
    A `path()` part with a parameter of a `custom` converter (name -> regex) makes the whole a
    regular expression too, ending where the `path()` endpoint ends ("files/<anypath:p>" →
    "^/files/(?P<p>.+)$").
    """
    any_regex = any(regex for _, regex in parts)
    if not any_regex and not (custom and any(_uses(pattern, custom) for pattern, _ in parts)):
        return "/" + "".join(pattern for pattern, _ in parts), False
    pieces = []
    for pattern, regex in parts:
        if regex:
            alternatives = [a.removeprefix("^") for a in top_level_alternatives(pattern)]
            pieces.append(f"(?:{'|'.join(alternatives)})" if len(alternatives) > 1 else alternatives[0])
        else:
            pieces.append(route_to_regex(pattern, custom))
    return "^/" + "".join(pieces) + ("" if any_regex else "$"), True


def _uses(pattern: str, custom: Mapping[str, str]) -> bool:
    """Whether a `path()` pattern has a parameter of one of the `custom` converters."""
    return "<" in pattern and any(
        match.group("converter") in custom for match in _PARAMETER.finditer(pattern)
    )


_CONVERTERS = BUILTIN
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def route_to_regex(route: str, custom: Mapping[str, str] | None = None) -> str:
    """The regular expression of a `path()` route, as django.urls.resolvers._route_to_regex builds it.

    A custom converter matches its regex when `custom` (name -> regex) has it; an unknown one
    matches one path segment, as `str` does.
    """
    out: list[str] = []
    position = 0
    for match in _PARAMETER.finditer(route):
        out.append(re.escape(route[position : match.start()]))
        name = match.group("converter") or "str"
        converter = _CONVERTERS.get(name) or (custom or {}).get(name) or _CONVERTERS["str"]
        out.append(f"(?P<{match.group('name')}>{converter})")
        position = match.end()
    out.append(re.escape(route[position:]))
    return "".join(out)


def names_only(value: ast.expr) -> bool:
    """A name, or names added together: `finding_urls`, `api_urls + survey_urls`."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return names_only(value.left) and names_only(value.right)
    return isinstance(value, ast.Name)


def has_url_patterns(value: ast.expr) -> bool:
    """A pattern call anywhere, or generated patterns: `router.urls`, `[...] + router.urls`."""
    stack: list[object] = [value]  # every node, as ast.walk, without its deque and generators
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        if type(node) is ast.Call and last_name(node.func) in PATTERN_CALLS:
            return True
        for field in node._fields:  # type: ignore[attr-defined]
            child = getattr(node, field, None)
            if type(child) is list:
                extend(item for item in child if isinstance(item, ast.AST))
            elif isinstance(child, ast.AST):
                push(child)
    return _generated_urls(value)


def _generated_urls(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _generated_urls(node.left) or _generated_urls(node.right)
    return isinstance(node, ast.Attribute) and node.attr == "urls"

"""Generated Django code: a minimal project holding the moved apps, and the internal API view.

Read with `ast` from the monolith's settings module (the one assigning `INSTALLED_APPS`) and its
`ROOT_URLCONF`: the service's settings list the moved (and vendored) apps under their new dotted
names plus the `django.contrib` apps the monolith listed that this code imports (with the contrib
apps those need), copy the monolith's literal settings and those read from the environment
(`settings_expression`), take the database from `DATABASE_URL`;
its urls keep every root pattern that includes or names only moved code, with the same prefix.
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Set
from dataclasses import dataclass, field, replace

from strangler.skeleton.django_routers import RootRouter, root_routers, router_lines
from strangler.skeleton.django_templates import (
    TemplateEngine,
    TemplatesCopied,
    template_engines,
    templates_lines,
)
from strangler.skeleton.escaping import dotted_name, identifier, one_line, py_string, py_text
from strangler.skeleton.import_targets import relocated_dotted
from strangler.skeleton.rewrite_units import Edit, edited, string_edit
from strangler.skeleton.settings_constants import Constant, imported_constants
from strangler.skeleton.settings_expression import environment_expression, names_used, reads_durations
from strangler.skeleton.settings_helpers import Helper, helper_call, helpers_code, settings_helpers
from strangler.skeleton.source_text import (
    expression_source,
    import_statements,
    parse_ast,
    parsed,
    source_lines,
    source_segment,
)
from strangler.skeleton.sources import ImportUse, ModuleText
from strangler.skeleton.url_converters import converter_lines

#: contrib app -> contrib apps it needs installed too
CONTRIB_NEEDS = {
    "admin": ("auth", "contenttypes", "messages", "sessions"),
    "auth": ("contenttypes",),
}
#: settings the generated project writes itself
OWN_SETTINGS = frozenset(
    {
        "ASGI_APPLICATION",
        "BASE_DIR",
        "DATABASES",
        "INSTALLED_APPS",
        "MIDDLEWARE",
        "ROOT_URLCONF",
        "SECRET_KEY",
        "WSGI_APPLICATION",
    }
)


@dataclass(frozen=True, slots=True)
class DjangoSettings:
    """What the monolith's settings module says, as written."""

    module: str
    installed_apps: tuple[str, ...]
    middleware: tuple[str, ...]
    root_urlconf: str
    literals: tuple[tuple[str, str], ...]  # (NAME, source of its literal value), in file order
    bootstraps: tuple[str, ...] = ()  # calls of BOOTSTRAP_CALLS it makes, in file order
    computed: tuple[str, ...] = ()  # settings its code computes, not copied (sorted)
    engines: tuple[TemplateEngine, ...] = ()  # of its TEMPLATES (written by the service itself)
    helpers: str = ""  # its functions the copied settings call, with their imports (settings_helpers)
    helper_names: tuple[str, ...] = ()  # the functions the copied settings call (sorted)
    constants: tuple[Constant, ...] = ()  # imported from the monolith's code, that copied settings use


#: Calls a settings module makes to set a library up, carried into a service's settings, with the
#: module each needs imported: django-stubs-ext makes Django's generic classes (`ModelAdmin[Check]`)
#: subscriptable at run time, and code typed that way fails while imported without it.
BOOTSTRAP_CALLS = {"django_stubs_ext.monkeypatch": "django_stubs_ext"}


#: The PostgreSQL driver `django.contrib.postgres` imports at start, by the distribution the
#: monolith declares (psycopg 3 when it declares none).
POSTGRES_DRIVERS = (
    ("psycopg", "psycopg"),
    ("psycopg-binary", "psycopg"),
    ("psycopg2", "psycopg2"),
    ("psycopg2-binary", "psycopg2"),
)


def driver_modules(
    sources: Mapping[str, str], local: Mapping[str, str], declared: Collection[str]
) -> tuple[str, ...]:
    """The modules a service's installed contrib apps import without its code importing them: the
    PostgreSQL driver when `django.contrib.postgres` is installed (its `apps.py` imports psycopg);
    `declared` the monolith's declared distributions (normalized names)."""
    if "postgres" not in _contrib_imported(sources, local):
        return ()
    return next(((m,) for d, m in POSTGRES_DRIVERS if d in declared), ("psycopg",))


def bootstrap_modules(settings: DjangoSettings | None) -> tuple[str, ...]:
    """The modules the service's settings import for the monolith's bootstrap calls."""
    return tuple(sorted({BOOTSTRAP_CALLS[c] for c in settings.bootstraps})) if settings else ()


def _strings(node: ast.expr | None) -> tuple[str, ...]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


def find_settings(sources: Mapping[str, str]) -> DjangoSettings | None:
    """The monolith's settings: the first module (by name) assigning INSTALLED_APPS."""
    for module in sorted(sources):
        source = sources[module]
        if "INSTALLED_APPS" not in source:
            continue
        if (found := _settings_of(module, source, imported_constants(module, source, sources))) is not None:
            return found
    return None


@functools.lru_cache(maxsize=64)
def _settings_of(module: str, source: str, constants: tuple[Constant, ...] = ()) -> DjangoSettings | None:
    """What settings module `module` says (once per text: every service asks), None if it is none;
    `constants` those it imports from the monolith's code (settings_constants)."""
    try:
        tree = parse_ast(source)
    except SyntaxError:
        return None
    values: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.isupper():
                values[target.id] = node.value
    if "INSTALLED_APPS" not in values:
        return None
    urlconf = values.get("ROOT_URLCONF")
    engines = template_engines(values.get("TEMPLATES"))
    if engines:  # (the service writes its own TEMPLATES from these)
        values.pop("TEMPLATES")
    helpers = settings_helpers(tree)
    literals, called = _copied(source, values, helpers, {name for name, _, _ in constants})
    computed = tuple(sorted(set(values) - OWN_SETTINGS - {name for name, _ in literals}))
    bootstraps = tuple(c for c in map(_bootstrap_call, tree.body) if c)
    return DjangoSettings(
        module=module,
        installed_apps=_strings(values["INSTALLED_APPS"]),
        middleware=_strings(values.get("MIDDLEWARE")),
        root_urlconf=urlconf.value
        if isinstance(urlconf, ast.Constant) and isinstance(urlconf.value, str)
        else "",
        literals=tuple(literals),
        bootstraps=bootstraps,
        computed=computed,
        engines=engines,
        helpers=helpers_code(called, helpers),
        helper_names=tuple(sorted(called)),
        constants=tuple(c for c in constants if any(c[0] in names_used(text) for _, text in literals)),
    )


def _bootstrap_call(node: ast.stmt) -> str:
    """The call of BOOTSTRAP_CALLS a top-level statement is (`django_stubs_ext.monkeypatch()`), or ""."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return ""
    call = node.value
    func = call.func
    if (
        call.args
        or call.keywords
        or not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name))
    ):
        return ""
    dotted = f"{func.value.id}.{func.attr}"
    return dotted if dotted in BOOTSTRAP_CALLS else ""


def _copied(
    source: str, values: Mapping[str, ast.expr], helpers: Mapping[str, Helper], constants: set[str]
) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """(NAME, value source) of the settings a service copies, in file order: literals as written,
    values read from the environment (settings_expression) and calls of the settings module's
    own helpers (settings_helpers) as checked and written back; and the helpers those call."""
    copied: list[tuple[str, str]] = []
    known: set[str] = set(constants)
    called: set[str] = set()
    for name, value in values.items():
        if name in OWN_SETTINGS:
            continue
        try:
            ast.literal_eval(value)
            text: str | None = expression_source(source, value) or ""
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            text = environment_expression(value, known)
            if text is None and (call := helper_call(value, known, helpers)) is not None:
                text, helper = call
                called.add(helper)
        if text is None:
            continue
        copied.append((name, text))
        known.add(name)
    return tuple(copied), frozenset(called)


def _contrib_imported(sources: Mapping[str, str], local: Mapping[str, str]) -> set[str]:
    used: set[str] = set()
    for module in local:
        used |= _contrib_apps(sources.get(module, ""))
    queue = sorted(used)
    while queue:
        for need in CONTRIB_NEEDS.get(queue.pop(), ()):
            if need not in used:
                used.add(need)
                queue.append(need)
    return used


def _imported(sources: Mapping[str, str], local: Mapping[str, str]) -> frozenset[str]:
    """The modules the service's modules import (absolute imports; `from a import b` counts `a`
    and `a.b`)."""
    return frozenset().union(*(_imports_of(sources.get(m, "")) for m in local))


@functools.lru_cache(maxsize=1024)
def _imports_of(source: str) -> frozenset[str]:
    tree = parsed(source)
    if tree is None:
        return frozenset()
    names: set[str] = set()
    for node in import_statements(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return frozenset(names)


@functools.cache
def _contrib_apps(source: str) -> frozenset[str]:
    """The `django.contrib` apps `source` imports (once per text: each service asks again)."""
    if "django.contrib." not in source:
        return frozenset()
    used: set[str] = set()
    tree = parsed(source)
    for node in import_statements(tree) if tree is not None else ():
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        for name in names:
            if name.startswith("django.contrib."):
                used.add(name.split(".")[2])
    return frozenset(used)


def _relocated(entry: str, places: _Places) -> str:
    """An app or middleware path in its new place ("" when its module is not in the service: an
    app `hc.front` is no name in the vendored package `hc` when `hc.front` itself stayed)."""
    if entry in places.local:
        return places.local[entry]
    if entry in places.known:
        return ""
    module, _, name = entry.rpartition(".")
    return f"{places.local[module]}.{name}" if module in places.local else ""


def _processor(entry: str, places: _Places, contrib: frozenset[str]) -> str:
    """A context processor in its new place: Django's own as it is when its contrib app is
    installed here, the monolith's relocated; "" when the service cannot have it."""
    if entry.startswith("django.contrib."):
        return entry if entry.split(".")[2] in contrib else ""
    return entry if entry.startswith("django.") else _relocated(entry, places)


def settings_text(
    *,
    service: str,
    package: str,
    settings: DjangoSettings | None,
    local: Mapping[str, str],
    sources: Mapping[str, str],
    templates: TemplatesCopied | None = None,
) -> str:
    """`<package>_project/settings.py` (`templates`: what the service's templates/ holds)."""
    contrib = _contrib_imported(sources, local)
    places = _Places(local, frozenset(sources))
    apps = _apps(settings, places, contrib, _imported(sources, local))
    middleware, dropped = _middleware(settings, places, apps, package)
    package = identifier(package, "package")
    lines = [
        *_settings_header(service, settings),
        *_bootstrap_lines(settings),
        "INSTALLED_APPS = [",
        *[f"    {py_string(a)}," for a in apps.entries],
        "]",
        "MIDDLEWARE = [",
        *[f"    {py_string(m)}," for m in middleware],
        "]",
    ]
    if apps.left:
        lines.append(
            "# strangler: third-party apps of the monolith not installed (no code of this service imports"
            f" them): {one_line(', '.join(apps.left))}"
        )
    if dropped:
        lines.append(f"# strangler: monolith middleware not carried over: {one_line(', '.join(dropped))}")
    lines += [f"ROOT_URLCONF = {py_string(f'{package}_project.urls')}", *DATABASE_LINES]
    lines += _helper_lines(settings)
    lines += _literal_lines(settings, apps.labels, places)
    relocate = functools.partial(_processor, places=places, contrib=frozenset(contrib))
    counts = templates or TemplatesCopied()
    lines += templates_lines(settings.engines if settings else (), relocate, counts)
    return "\n".join(lines) + "\n"


def _bootstrap_lines(settings: DjangoSettings | None) -> list[str]:
    """The monolith's bootstrap calls, written from BOOTSTRAP_CALLS (never from the tree's text)."""
    if settings is None or not settings.bootstraps:
        return []
    calls = list(dict.fromkeys(settings.bootstraps))
    return [*(f"import {m}" for m in bootstrap_modules(settings)), "", *(f"{c}()" for c in calls), ""]


@dataclass(frozen=True, slots=True)
class _Apps:
    """The service's installed apps, their labels, and the third-party apps it leaves out."""

    entries: tuple[str, ...]
    labels: frozenset[str]
    left: tuple[str, ...]
    contrib: frozenset[str]  # the contrib apps installed (by label)
    third_party: frozenset[str]  # the packages of the third-party apps installed


def _apps(
    settings: DjangoSettings | None, places: _Places, contrib: set[str], imported: frozenset[str]
) -> _Apps:
    """The service's installed apps (moved ones under their new names, the contrib apps its code
    needs, the third-party apps whose package its code `imported`) and their labels."""
    entries: list[str] = []
    labels: set[str] = set()
    left: list[str] = []
    third_party: set[str] = set()
    tops = {name.split(".")[0] for name in places.known}
    for entry in settings.installed_apps if settings else ():
        if entry.startswith("django.contrib."):
            if entry.split(".")[2] in contrib:
                entries.append(entry)
                labels.add(entry.split(".")[2])
        elif new := _app_place(entry, places):
            entries.append(new)
            is_module = entry in places.local or entry in places.known
            app_module = entry if is_module else entry.rsplit(".", 2)[0]
            labels.add(app_module.rsplit(".", 1)[-1])
        elif (top := entry.split(".")[0]) not in tops and top != "django":
            if _imports_app(entry, imported):
                entries.append(entry)
                third_party.add(_app_package(entry))
            else:
                left.append(entry)
    return _Apps(tuple(entries), frozenset(labels), tuple(left), frozenset(contrib), frozenset(third_party))


def _imports_app(entry: str, imported: frozenset[str]) -> bool:
    """Whether code importing the modules `imported` uses the app `entry` (a package, or an
    AppConfig path `x.apps.XConfig`): it imports the app's package or a module in it."""
    package = _app_package(entry)
    return any(m == package or m.startswith(f"{package}.") for m in imported)


def _app_package(entry: str) -> str:
    """The package of an installed app: `entry` itself, or the package of an AppConfig path."""
    parts = entry.split(".")
    if len(parts) > 1 and parts[-1][:1].isupper():
        parts = parts[:-2] if len(parts) > 2 and parts[-2] == "apps" else parts[:-1]
    return ".".join(parts)


def _app_place(entry: str, places: _Places) -> str:
    """An installed app in its new place: the app's package when the service holds it or any module
    of it (a vendored `hc.accounts.models` needs its app, `<package>.vendored.hc.accounts`), else
    an AppConfig path (`x.apps.XConfig`) in its module's new place; "" when the service holds none
    of it."""
    if entry in places.local:
        return places.local[entry]
    prefix = f"{entry}."
    for original, new in sorted(places.local.items()):
        if original.startswith(prefix):
            return new.rsplit(".", original.count(".") - entry.count("."))[0]
    return _relocated(entry, places)


def _middleware(
    settings: DjangoSettings | None, places: _Places, apps: _Apps, package: str
) -> tuple[list[str], list[str]]:
    """The service's middleware (the header forwarding first) and the monolith's it drops: Django's
    own (a contrib one when its app is installed), the moved ones, and those of an installed
    third-party app (allauth's `AccountMiddleware`, which its app requires)."""
    middleware, dropped = [f"{package}.internal_api.forward_headers"], []
    for entry in settings.middleware if settings else ():
        parts = entry.split(".")
        if entry.startswith("django.contrib.") and parts[2] not in apps.contrib:
            dropped.append(entry)
        elif entry.startswith("django.") or any(entry.startswith(f"{p}.") for p in apps.third_party):
            middleware.append(entry)
        elif new := _relocated(entry, places):
            middleware.append(new)
        else:
            dropped.append(entry)
    return middleware, dropped


def _settings_header(service: str, settings: DjangoSettings | None) -> list[str]:
    durations = settings is not None and reads_durations(text for _, text in settings.literals)
    return [
        f'"""Django settings of the `{py_text(service)}` service (generated by strangler).',
        "",
        "Apps: the moved ones under their new names, and the contrib apps the monolith's settings",
        f"(`{py_text(settings.module) if settings else '?'}`) listed that this code needs. Literal"
        " settings and",
        "settings read from the environment are copied; the database comes from $DATABASE_URL",
        "(sqlite:///PATH, postgres://...).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        *(["import datetime"] if durations else []),
        "import os",
        *(["from datetime import timedelta"] if durations else []),
        "from pathlib import Path",
        "from typing import Any",
        "from urllib.parse import unquote, urlparse",
        "",
        "BASE_DIR = Path(__file__).resolve().parent.parent",
        'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "strangler-insecure-change-me")',
    ]


#: The generated settings' database, from $DATABASE_URL.
DATABASE_LINES = (
    "",
    "",
    "def _database(url: str) -> dict[str, Any]:",
    '    """A DATABASES entry from a URL: sqlite:///relative, sqlite:////absolute, postgres://..."""',
    "    parsed = urlparse(url)",
    '    if parsed.scheme == "sqlite":',
    '        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ":memory:"',
    '        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path or ":memory:"}',
    '    engines = {"postgres": "postgresql", "postgresql": "postgresql", "mysql": "mysql"}',
    "    return {",
    '        "ENGINE": f"django.db.backends.{engines.get(parsed.scheme, parsed.scheme)}",',
    '        "NAME": unquote(parsed.path.lstrip("/")),',
    '        "USER": unquote(parsed.username or ""),',
    '        "PASSWORD": unquote(parsed.password or ""),',
    '        "HOST": parsed.hostname or "",',
    '        "PORT": str(parsed.port or ""),',
    "    }",
    "",
    "",
    "DATABASES = {",
    '    "default": _database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / \'db.sqlite3\'}")),',
    "}",
)


@dataclass(frozen=True, slots=True)
class _Places:
    """Where the monolith's modules are in the service (`local`: original -> new), and every module
    name of the codebase (`known`)."""

    local: Mapping[str, str]
    known: frozenset[str]


def _literal_lines(settings: DjangoSettings | None, labels: Set[str], places: _Places) -> list[str]:
    """ALLOWED_HOSTS unless the monolith sets it, then the monolith's literal settings (its
    AUTH_USER_MODEL only when that model's app moved), their dotted paths to the monolith's code
    relocated (`"hc.logs.Handler"` -> `"logs.Handler"`), and a setting naming code that stays in
    the monolith left as a comment (Django would fail to import it: LOGGING's handler class)."""
    lines: list[str] = []
    copied = dict(settings.literals) if settings else {}
    if "ALLOWED_HOSTS" not in copied:
        lines.append('ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")')
    before = [*settings.helper_names, *(c[0] for c in settings.constants)] if settings else []
    written: set[str] = set(before)  # (defined before)
    for name, value in settings.literals if settings else ():
        if name == "AUTH_USER_MODEL" and value.strip("\"'").split(".")[0] not in labels:
            lines.append(f"# strangler: AUTH_USER_MODEL = {one_line(value)} stays in the monolith")
            continue
        missing = sorted(names_used(value) - written)
        if missing:
            lines.append(
                f"# strangler: {identifier(name, 'setting')} is computed from {one_line(', '.join(missing))},"
                " not copied: set it here by hand"
            )
            continue
        relocated, stays = _relocated_literal(value, places)
        if stays:
            lines.append(
                f"# strangler: {identifier(name, 'setting')} names {one_line(stays)}, which stays in the"
                " monolith: set it here by hand"
            )
            continue
        lines.append(f"{identifier(name, 'setting')} = {relocated}")
        written.add(name)
    return lines + _computed_lines(settings)


def _helper_lines(settings: DjangoSettings | None) -> list[str]:
    """The constants the copied settings import from the monolith's code, by value, and the
    settings module's own functions they call, with their imports."""
    if settings is None:
        return []
    lines = [
        f"{identifier(name, 'constant')} = {value}  # from {one_line(origin)}"
        for name, value, origin in settings.constants
    ]
    if not settings.helpers:
        return lines
    return [
        *lines,
        "",
        f"# strangler: functions of {one_line(settings.module)} the settings below call (monolith code)",
        *settings.helpers.rstrip("\n").split("\n"),
        "",
        "",
    ]


#: Names of settings listed per comment line.
NAMES_PER_LINE = 6


def _computed_lines(settings: DjangoSettings | None) -> list[str]:
    """A note naming the settings the monolith's code computes (with its own helpers, from other
    settings, ...), which are not copied: code of this service reading one fails until it is set."""
    if settings is None or not settings.computed:
        return []
    names = [identifier(n, "setting") for n in settings.computed]
    lines = [
        f"# strangler: {len(names)} setting(s) the monolith's code computes are not copied; set the ones"
        " this service reads:"
    ]
    for start in range(0, len(names), NAMES_PER_LINE):
        lines.append("#   " + ", ".join(names[start : start + NAMES_PER_LINE]))
    return lines


def _relocated_literal(value: str, places: _Places) -> tuple[str, str]:
    """The literal `value` (source text) with each string naming a moved or vendored module (or a
    name in one) relocated in place (rewrite_units.string_edit, as in moved code), and the first
    string naming a module of the monolith that is not in the service, or that cannot be replaced
    in place ("" when none)."""
    try:
        tree = ast.parse(value, mode="eval")
    except (SyntaxError, ValueError, RecursionError):
        return value, ""
    known = {name: name for name in places.known}
    lines = source_lines(value)
    edits: list[Edit] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        new = relocated_dotted(node.value, places.local)
        if new is None and relocated_dotted(node.value, known) is None:
            continue
        where = (
            node.lineno - 1,
            node.col_offset,
            (node.end_lineno or node.lineno) - 1,
            node.end_col_offset or 0,
        )
        edit = string_edit(lines, node.value, new, where) if new is not None else None
        if edit is None:
            return value, node.value
        edits.append(edit)
    return "".join(edited(lines, edits)), ""


@dataclass(frozen=True, slots=True)
class DjangoUrls:
    """What the service's root urlconf is made of: the monolith's `settings` (its ROOT_URLCONF),
    the modules read, `local` (original -> new module), the `moved` modules, the internal prefix."""

    package: str
    settings: DjangoSettings | None
    texts: Mapping[str, ModuleText]
    sources: Mapping[str, str]
    local: Mapping[str, str]
    moved: frozenset[str]
    prefix: str


def urls_text(
    *,
    package: str,
    settings: DjangoSettings | None,
    texts: Mapping[str, ModuleText],
    sources: Mapping[str, str],
    local: Mapping[str, str],
    moved: frozenset[str],
    prefix: str,
) -> str:
    """`urls_source` with the fields of DjangoUrls given by keyword."""
    return urls_source(DjangoUrls(package, settings, texts, sources, local, moved, prefix))


def urls_source(urls: DjangoUrls) -> str:
    """`<package>_project/urls.py`: the monolith's root patterns that reach only moved code."""
    found = _root_patterns(urls)
    kept, imports = found.patterns, found.imports
    internal = urls.prefix.strip("/")
    lines = [
        '"""URLs of the service: the monolith\'s patterns for the moved apps (same prefixes) and',
        f"the internal API under /{py_text(internal)}/ (generated by strangler).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from django.urls import include, path, re_path  # noqa: F401",
        "",
        f"from {identifier(urls.package, 'package')} import internal_api",
        *sorted(imports | ({LANGUAGE_IMPORT} if found.language else set())),
        "",
        *converter_lines(urls.sources, urls.local),
        *found.routers,
        *_definition_lines(found),
        "urlpatterns = [",
        *[f"    {p}," for p in kept],
        f"    path({py_string(f'{internal}/<str:operation>')}, internal_api.operation_view),",
        "]",
        *_language_lines(found.language),
    ]
    return "\n".join(lines) + "\n"


def _language_lines(blocks: tuple[tuple[bool, tuple[str, ...]], ...]) -> list[str]:
    """The kept patterns of the monolith's `i18n_patterns(...)`, under the same language prefix."""
    lines: list[str] = []
    for prefixed, patterns in blocks:
        lines += [
            "urlpatterns += i18n_patterns(",
            *[f"    {p}," for p in patterns],
            *([] if prefixed else ["    prefix_default_language=False,"]),
            ")",
        ]
    return lines


@dataclass(frozen=True, slots=True)
class _RootUrlconf:
    """The monolith's root urlconf read for the service: its source and the names it imports."""

    urls: DjangoUrls
    source: str
    bound: Mapping[str, ImportUse]
    routers: frozenset[str] = frozenset()  # its DRF routers with a registration kept here


@dataclass(frozen=True, slots=True)
class _RootPatterns:
    """What the service's urls take from the monolith's root urlconf."""

    patterns: tuple[str, ...] = ()  # as text, in their new names
    imports: frozenset[str] = frozenset()  # the imports they need
    defaults: Mapping[str, str | int] = field(default_factory=dict)  # names they use -> default
    computed: frozenset[str] = frozenset()  # of those, names the urlconf may set otherwise
    left: frozenset[str] = frozenset()  # names of patterns left out: no literal default
    routers: tuple[str, ...] = ()  # lines building the DRF routers the patterns mount
    # patterns kept from the urlconf's `i18n_patterns(...)` calls, by their
    # `prefix_default_language` (True unless the call sets it False)
    language: tuple[tuple[bool, tuple[str, ...]], ...] = ()


#: The import of the language-prefixed patterns (`_language_lines`).
LANGUAGE_IMPORT = "from django.conf.urls.i18n import i18n_patterns"
#: Names a pattern may use that the generated urls import themselves.
URL_FUNCTIONS = frozenset({"path", "re_path", "include"})


def _root_patterns(urls: DjangoUrls) -> _RootPatterns:
    """The root patterns that reach moved code only, the imports they need, and the module-level
    values they use (a route prefix: healthchecks' `prefix = ""`, set otherwise when $SITE_ROOT has
    a path): their default when the urlconf assigns one literal at the top level, else the pattern
    is left out with a note (written, it would fail with a NameError at start-up)."""
    settings = urls.settings
    if settings is None or settings.root_urlconf not in urls.texts:
        return _RootPatterns()
    root = settings.root_urlconf
    conf = _RootUrlconf(urls, urls.sources[root], {u.bound: u for u in urls.texts[root].imports})
    defaults, assigned = _module_values(parse_ast(conf.source))
    routers = root_routers(parse_ast(conf.source))
    kept, left_out, imports = _registrations(conf, routers.values())
    conf = replace(conf, routers=frozenset(kept))
    patterns: list[str] = []
    language: dict[bool, list[str]] = defaultdict(list)
    used: set[str] = set()
    left: set[str] = set()
    for element, block in _pattern_elements(conf.source):
        found = _kept_pattern(conf, element)
        if found is None:
            continue
        free = _free_names(element, conf)
        if not free <= defaults.keys():
            left |= free - defaults.keys()
            continue
        (patterns if block is None else language[block]).append(found[0])
        imports |= found[1]
        used |= free
    return _RootPatterns(
        patterns=tuple(patterns),
        language=tuple((block, tuple(kept)) for block, kept in sorted(language.items())),
        imports=frozenset(imports),
        defaults={n: defaults[n] for n in used},
        computed=frozenset(n for n in used if assigned[n] > 1),
        left=frozenset(left),
        routers=tuple(router_lines(routers.values(), kept, left_out)),
    )


def _registrations(
    conf: _RootUrlconf, routers: Iterable[RootRouter]
) -> tuple[dict[str, list[str]], dict[str, int], set[str]]:
    """The `register` calls of the root urlconf's routers whose viewsets moved here (text in the
    service's names, by router), how many each leaves out, and the imports the kept ones need."""
    kept: dict[str, list[str]] = {}
    left: dict[str, int] = defaultdict(int)
    imports: set[str] = set()
    for router in routers:
        for call in router.registrations:
            found = _kept_pattern(conf, call)
            if found is None:
                left[router.name] += 1
            else:
                kept.setdefault(router.name, []).append(found[0])
                imports |= found[1]
    return kept, dict(left), imports


def _free_names(element: ast.expr, conf: _RootUrlconf) -> set[str]:
    """Names a pattern reads that are neither imports nor the URL functions."""
    return {
        n.id
        for n in ast.walk(element)
        if isinstance(n, ast.Name) and n.id not in conf.bound and n.id not in URL_FUNCTIONS | conf.routers
    }


def _module_values(tree: ast.Module) -> tuple[dict[str, str | int], dict[str, int]]:
    """Names the module assigns a string or integer literal at the top level (the first such
    value), and how many times each name is assigned anywhere in the module."""
    defaults: dict[str, str | int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, (str, int))
                and not isinstance(value.value, bool)
            ):
                defaults.setdefault(node.targets[0].id, value.value)
    assigned: dict[str, int] = defaultdict(int)
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            assigned[sub.id] += 1
    return defaults, assigned


def _definition_lines(found: _RootPatterns) -> list[str]:
    """The values the kept patterns use, and a note per pattern left out."""
    lines: list[str] = []
    for name in sorted(found.defaults):
        if name in found.computed:
            lines.append(
                f"# strangler: the monolith's urlconf may set {name} otherwise at import (computed);"
                " this is its default"
            )
        lines.append(f"{identifier(name, 'name')} = {found.defaults[name]!r}")
    for name in sorted(found.left):
        lines.append(
            f"# strangler: a pattern for this service's apps uses {identifier(name, 'name')}, computed by the"
            " monolith's urlconf: left out, add it by hand"
        )
    return [*lines, ""] if lines else []


#: Where a root pattern sits: None in a plain list, else in an `i18n_patterns(...)` call with this
#: `prefix_default_language`.
Block = bool | None


def _pattern_elements(source: str) -> list[tuple[ast.expr, Block]]:
    """The elements of every `urlpatterns = [...]` (or `+=`) list or tuple literal at the top level,
    and of every `i18n_patterns(...)` so assigned, with the block each sits in."""
    elements: list[tuple[ast.expr, Block]] = []
    for node in parse_ast(source).body:
        value = node.value if isinstance(node, (ast.Assign, ast.AugAssign)) else None
        target = (
            node.targets[0]
            if isinstance(node, ast.Assign)
            else node.target
            if isinstance(node, ast.AugAssign)
            else None
        )
        if not isinstance(target, ast.Name) or target.id != "urlpatterns":
            continue
        if isinstance(value, (ast.List, ast.Tuple)):
            elements += [(e, None) for e in value.elts]
        elif isinstance(value, ast.Call) and (block := _language_block(value)) is not None:
            elements += [(e, block) for e in value.args if not isinstance(e, ast.Starred)]
    return elements


def _called_name(func: ast.expr) -> str:
    """The last name of a called expression (`i18n_patterns`, `i18n.i18n_patterns`)."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _language_block(call: ast.Call) -> Block:
    """`prefix_default_language` of an `i18n_patterns(...)` call (True by default); None when the
    call is no such call or sets a keyword this cannot read as a literal (its patterns are then not
    carried: written otherwise, they would be served under another prefix)."""
    if _called_name(call.func) != "i18n_patterns":
        return None
    prefixed = True
    for keyword in call.keywords:
        value = keyword.value
        if keyword.arg != "prefix_default_language" or not isinstance(value, ast.Constant):
            return None
        if not isinstance(value.value, bool):
            return None
        prefixed = value.value
    return prefixed


def _kept_pattern(conf: _RootUrlconf, element: ast.expr) -> tuple[str, set[str]] | None:
    """The pattern in its new names and the imports it needs, when it reaches moved code only."""
    urls, source = conf.urls, conf.source
    text = source_segment(source, element) or ""
    reaches, foreign, needed = False, False, set()
    included = _included_modules(element)
    for sub in ast.walk(element):
        if isinstance(sub, ast.Constant) and id(sub) in included and sub.value in urls.texts:
            if sub.value in urls.moved:
                reaches = True
                literal = source_segment(source, sub) or ""
                text = text.replace(literal, py_string(dotted_name(urls.local[sub.value])))
            else:
                foreign = True
        elif isinstance(sub, ast.Name) and sub.id in conf.routers:
            reaches = True  # (a router built here with the service's registrations)
        elif isinstance(sub, ast.Name) and sub.id in conf.bound:
            use = conf.bound[sub.id]
            if use.target in urls.moved:
                reaches = True
                needed.add(_import_of(use, dotted_name(urls.local[use.target])))
            else:
                foreign = True
    return (text, needed) if reaches and not foreign else None


def _import_of(use: ImportUse, new: str) -> str:
    """The import binding `use.bound` from the moved module, now named `new`."""
    return f"from {new} import {use.name} as {use.bound}" if use.name else f"import {new} as {use.bound}"


def _included_modules(element: ast.expr) -> set[int]:
    """ids of the string constants naming a urlconf module in `include(...)` calls of `element`."""
    found = set()
    for node in ast.walk(element):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "include"
            and node.args
        ):
            first = node.args[0]
            if isinstance(first, ast.Tuple) and first.elts:
                first = first.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(id(first))
    return found


def fix_app_configs(text: str, local: Mapping[str, str]) -> str:
    """`name = "<app>"` in the AppConfig classes of a moved `apps.py`, set to the app's new name
    (Django imports the app by that name; its label, the last part, stays the same)."""
    if "AppConfig" not in text:
        return text
    lines = text.splitlines(keepends=True)
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id == "name"
                and isinstance(stmt.value, ast.Constant)
                and stmt.value.value in local
                and stmt.value.lineno == stmt.value.end_lineno
            ):
                value = stmt.value
                row = lines[value.lineno - 1]
                raw = row.encode()
                new = py_string(local[str(value.value)]).encode()
                lines[value.lineno - 1] = (
                    raw[: value.col_offset] + new + raw[value.end_col_offset or 0 :]
                ).decode()
    return "".join(lines)


def project_files(
    *,
    service: str,
    package: str,
    settings_module_text: str,
    urls_module_text: str,
) -> dict[str, str]:
    """manage.py and the `<package>_project` package, relative to the service directory."""
    project = f"{identifier(package, 'package')}_project"
    return {
        "manage.py": f'''#!/usr/bin/env python
"""Django's command line for the `{py_text(service)}` service (generated by strangler)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", {py_string(f"{project}.settings")})
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
''',
        f"{project}/__init__.py": (
            f'"""Django project of the `{py_text(service)}` service (generated by strangler)."""\n'
        ),
        f"{project}/settings.py": settings_module_text,
        f"{project}/urls.py": urls_module_text,
    }

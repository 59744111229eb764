"""Project files of a service skeleton: pyproject.toml, Dockerfile, README and a smoke test."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from analyzers.model import LANGUAGE_PREFIX, Route
from strangler.skeleton.escaping import (
    TomlValue,
    env_name,
    identifier,
    md_code,
    md_text,
    one_line,
    port_number,
    py_string,
    toml_table,
)
from strangler.skeleton.smoke import db_env_names, other_smoke_test_text
from strangler.skeleton.stats import STATS_FILE, SkeletonStats

#: Import names whose distribution on PyPI is spelled differently.
DISTRIBUTIONS = {
    "flask": "flask",
    "sqlalchemy": "sqlalchemy",
    "yaml": "pyyaml",
    "PIL": "pillow",
    "dateutil": "python-dateutil",
    "werkzeug": "werkzeug",
    "django": "django",
    "rest_framework": "djangorestframework",
    "bs4": "beautifulsoup4",
}


@dataclass(frozen=True, slots=True)
class ProjectSpec:
    service: str
    package: str
    externals: tuple[str, ...]  # third-party import names used by the skeleton's code, sorted
    env_vars: tuple[str, ...]  # environment variables the code reads, sorted
    routes: tuple[Route, ...]  # routes the service serves
    monolith_url_env: str
    default_port: int
    python_requires: str
    moved: tuple[tuple[str, str], ...]
    vendored: tuple[tuple[str, str], ...]
    remote: tuple[str, ...]  # operations called in the monolith
    served: tuple[str, ...]  # operations the monolith calls here
    framework: str = "flask"  # of the moved routes: "flask", "fastapi" or "django"
    unserved: tuple[Route, ...] = ()  # routes of the service the skeleton's app does not serve
    # the requirements of pyproject.toml (dependencies.py); None: `externals` by their names
    dependencies: tuple[str, ...] | None = None
    stats: SkeletonStats | None = None  # what the skeleton holds: a README section
    # the monolith's exact pins (dependencies.pinned): constraints.txt, used by every install
    constraints: tuple[str, ...] = ()


#: What the generated web app of each framework needs besides the moved code's imports.
FRAMEWORK_DEPENDENCIES = {
    "flask": {"flask", "httpx"},
    "fastapi": {"fastapi", "httpx", "uvicorn"},
    "django": {"django", "httpx"},
}


def dependencies(externals: Sequence[str], framework: str = "flask") -> list[str]:
    """Import names as distribution names, without versions: only for a ProjectSpec built without
    resolved `dependencies` (the generator always resolves them: see dependencies.py)."""
    names = {DISTRIBUTIONS.get(name, name.replace("_", "-")).lower() for name in externals}
    return sorted(names | FRAMEWORK_DEPENDENCIES[framework])


def _requirements(spec: ProjectSpec) -> list[str]:
    if spec.dependencies is None:
        return dependencies(spec.externals, spec.framework)
    return list(spec.dependencies)


def pyproject_text(spec: ProjectSpec) -> str:
    """The service's pyproject.toml: every key and string written by tomli_w."""
    package = identifier(spec.package, "package")
    packages = (f"{package}*", f"{package}_project*") if spec.framework == "django" else (f"{package}*",)
    script = f"{package.replace('_', '-')}-service"
    tables: list[tuple[tuple[str, ...], list[tuple[str, TomlValue]]]] = [
        (
            ("build-system",),
            [
                ("requires", ("setuptools>=69",)),
                ("build-backend", "setuptools.build_meta"),
            ],
        ),
        (
            ("project",),
            [
                ("name", script),
                ("version", "0.1.0"),
                ("description", f"The {spec.service} service, extracted from the monolith by strangler."),
                ("readme", "README.md"),
                ("requires-python", spec.python_requires),
                ("dependencies", _requirements(spec)),
            ],
        ),
        (("project", "optional-dependencies"), [("test", ("pytest>=8",))]),
        (("project", "scripts"), [(script, f"{package}.__main__:main")]),
        (("tool", "setuptools", "packages", "find"), [("include", packages)]),
        (("tool", "pytest", "ini_options"), [("testpaths", ("tests",))]),
    ]
    if spec.framework == "django":  # the templates copied beside the project's settings
        data: list[tuple[str, TomlValue]] = [(f"{package}_project", ("templates/**/*",))]
        tables.insert(-1, (("tool", "setuptools", "package-data"), data))
    return "\n".join(toml_table(header, items) for header, items in tables)


def dockerfile_text(spec: ProjectSpec) -> str:
    """The service's Dockerfile: names checked, the service name on its comment line only."""
    package = identifier(spec.package, "package")
    port = port_number(spec.default_port)
    command = json.dumps(["python", "-m", package, "--host", "0.0.0.0", "--port", str(port)])
    return f"""# The {one_line(spec.service)} service. Build: docker build -t {package}-service .
FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir {"-c constraints.txt " if spec.constraints else ""}.
ENV {env_name(spec.monolith_url_env)}=http://monolith:5000
EXPOSE {port}
CMD {command}
"""


def constraints_text(spec: ProjectSpec) -> str:
    """constraints.txt: the monolith's exact pins (each checked to be `name==version`)."""
    head = [
        "# The versions the monolith pins (generated by strangler): install with",
        "# `pip install -c constraints.txt .`, so that what the requirements pull in without a",
        "# pin (a framework's own dependencies) comes in the versions the monolith runs with.",
    ]
    return "\n".join([*head, *spec.constraints]) + "\n"


def _route_line(route: Route) -> str:
    """`- `METHODS path` (handler)` of a README."""
    language = "/<language>" if route.unknown_prefix == LANGUAGE_PREFIX else ""
    shown = f"{','.join(route.methods) or 'ANY'} {language}{route.path}"
    return f"- {md_code(shown)} ({md_text(route.handler)})"


def readme_text(spec: ProjectSpec) -> str:
    """The service's README: names from the tree as one-line code spans or escaped text."""
    routes = [_route_line(r) for r in spec.routes]
    lines = [
        *_run_section(spec),
        "## Environment",
        "",
        *_env_lines(spec),
        "",
        "## Routes",
        "",
        *(routes or ["- (none: this service only answers its internal API)"]),
        "",
        *_language_section(spec),
        *_unserved_section(spec),
        *_holds_section(spec.stats),
        *_layout_section(spec),
    ]
    return "\n".join(lines)


def _run_section(spec: ProjectSpec) -> list[str]:
    """The README's title, introduction and how to run the service."""
    url_env, package = env_name(spec.monolith_url_env), identifier(spec.package, "package")
    return [
        f"# {md_text(spec.service)} service",
        "",
        "Generated by strangler from the monolith. It is a starting point that runs: the moved code,",
        "the monolith's routes for it with the same paths, methods and JSON, and an internal API.",
        "",
        "## Run it",
        "",
        "```sh",
        f"pip install {'-c constraints.txt ' if spec.constraints else ''}-e .[test]",
        f"export {url_env}=http://127.0.0.1:5000   # the (patched) monolith",
        f"python -m {package} --port {port_number(spec.default_port)}",
        "pytest                                      # the smoke test",
        "```",
        "",
        "Start it next to the patched monolith on the same database (the plan's shared-database",
        "phase), then let the proxy send its routes here.",
        "",
    ]


def _env_lines(spec: ProjectSpec) -> list[str]:
    """The environment variables the service reads, one list item each."""
    url_env = env_name(spec.monolith_url_env)
    return [
        f"- `{url_env}`: base URL of the monolith, whose internal API answers the"
        " calls in `clients/monolith.py` (e.g. `http://127.0.0.1:5000`).",
        "- `STRANGLER_INTERNAL_TOKEN` (optional, same value in the monolith): when set, the"
        " internal APIs on both sides answer only calls that carry it.",
        *(
            f"- {md_code(name)}: read by the moved or vendored code, as in the monolith."
            for name in spec.env_vars
            if name != url_env
        ),
    ]


def _layout_section(spec: ProjectSpec) -> list[str]:
    """Where the moved, vendored, remote and served code is in the skeleton."""
    package = identifier(spec.package, "package")
    return [
        "## Layout",
        "",
        f"- `{package}/`: the moved modules, imports rewritten to their new place:",
        *[f"  - {md_code(old)} -> {md_code(new)}" for old, new in spec.moved],
        f"- `{package}/vendored/`: read-only copies of monolith modules this code needs in",
        "  process: the shared kernel, and modules whose classes (ORM models of shared tables) or",
        "  constants it uses. Change them in the monolith, not here; they go away as the data splits.",
        *[f"  - {md_code(old)}" for old, _ in spec.vendored],
        f"- `{package}/clients/monolith.py`: functions that stay in the monolith, same",
        "  signatures, called over HTTP:",
        *[f"  - {md_code(op)}" for op in spec.remote],
        f"- `{package}/internal_api.py`: what the monolith calls here:",
        *[f"  - {md_code(op)}" for op in spec.served],
        "",
        "Comments starting with `# strangler:` mark values that cannot cross the network as they",
        "did in process (ORM rows, generators, callables).",
        "",
    ]


def _cuts_section(stats: SkeletonStats) -> list[str]:
    """The god modules cut from the skeleton's closure, if any."""
    if not stats.cuts:
        return []
    return [
        "### Cut from the closure",
        "",
        "These god modules would have pulled most of the monolith into this service. They stay in",
        "the monolith: `clients/monolith.py` calls their functions there and stands in for their",
        "classes and constants (using one raises `MonolithOnly`). Split them, or move what this",
        "service needs out of them, before relying on the code that uses them.",
        "",
        *[f"- {md_code(c.module)}: {md_text(c.hazard())}" for c in stats.cuts],
        "",
    ]


def _left_out_section(stats: SkeletonStats) -> list[str]:
    """The signal-receiver modules left in the monolith, if any."""
    if not stats.left_out:
        return []
    return [
        "### Left in the monolith",
        "",
        "Modules the monolith imports only to connect receivers to signals this service never",
        "sends: they keep running in the monolith.",
        "",
        *[f"- {md_code(m)}" for m in stats.left_out],
        "",
    ]


def _holds_section(stats: SkeletonStats | None) -> list[str]:
    """How much of the skeleton is moved, vendored and generated; what its closure left out."""
    if stats is None:
        return []
    lines = [
        "## What it holds",
        "",
        "| | files | lines |",
        "|---|---:|---:|",
        f"| moved from the monolith | {stats.moved.files} | {stats.moved.lines} |",
        f"| vendored (the closure of the moved code) | {stats.vendored.files} | {stats.vendored.lines} |",
        f"| generated by strangler | {stats.generated.files} | {stats.generated.lines} |",
        "",
        f"(This README and `{STATS_FILE}`, which holds the same numbers, are not counted.)",
        "",
    ]
    lines += _cuts_section(stats) + _left_out_section(stats)
    if stats.notes:
        lines += ["### Dependencies to check", "", *[f"- {md_text(n)}" for n in stats.notes], ""]
    return lines


def _language_section(spec: ProjectSpec) -> list[str]:
    """Django routes served under the language prefix: the proxy rules keep them on the monolith."""
    count = sum(1 for r in spec.routes if r.unknown_prefix == LANGUAGE_PREFIX)
    if not count:
        return []
    return [
        "## Routes under the language prefix",
        "",
        f"{count} of the routes above (`/<language>/...`) come from the monolith's `i18n_patterns(...)`:",
        "this service serves them under the same language prefix (`/en/...`, per `LANGUAGE_CODE`,",
        "`LANGUAGES` and `LocaleMiddleware` in its settings). The proxy rules keep them on the",
        "monolith, which cannot list the language codes a request may carry: route",
        "`/<language>/<path>` here by hand once this service owns them.",
        "",
    ]


def _unserved_section(spec: ProjectSpec) -> list[str]:
    if not spec.unserved:
        return []
    if spec.framework == "django":
        prefixes = sorted({r.unknown_prefix for r in spec.unserved})
        return [
            "## Routes to wire by hand",
            "",
            "These routes' code moved here, but the monolith serves them under a prefix it computes",
            f"at run time ({'; '.join(md_text(p) for p in prefixes)}). This service's urls do not carry",
            "them, and the proxy rules keep them on the monolith: mount them here under the same",
            "prefix, and route them by hand.",
            "",
            *[_route_line(r) for r in spec.unserved],
            "",
        ]
    labels = sorted({r.name.split(".")[0] for r in spec.unserved})
    return [
        "## Routes to wire by hand",
        "",
        "These routes' code moved here, but they are declared on a blueprint that does not",
        f"({', '.join(md_code(label) for label in labels)}: a Flask-RESTful/RESTX `Api` shared with"
        " other services, say). The app",
        "does not serve them yet: register their resources or namespaces on an `Api` of this",
        "service's own before the proxy sends them here.",
        "",
        *[_route_line(r) for r in spec.unserved],
        "",
    ]


def _placeholders_first(route: Route) -> tuple[int, str]:
    """Sort key of routes: fewest path parameters first, then by path."""
    return route.path.count("<") + route.path.count("{"), route.path


def smoke_route(routes: Sequence[Route]) -> str:
    """A concrete path of a GET route to call in the smoke test ("" when there is none)."""
    plain = [r for r in routes if not r.is_regex and not r.unknown_prefix]  # (its real path is not `path`)
    for route in sorted(plain, key=_placeholders_first):
        if not route.methods or "GET" in route.methods:
            return re.sub(r"\{[^}]+\}", "1", re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", route.path))
    return ""


def smoke_test_text(spec: ProjectSpec) -> str:
    """tests/test_smoke.py: names and the route path from the tree enter it as string literals."""
    if spec.framework != "flask":
        return other_smoke_test_text(spec, smoke_route(spec.routes))
    package = identifier(spec.package, "package")
    path = py_string(smoke_route(spec.routes) or "/_strangler/ops/unknown")
    method = "get" if smoke_route(spec.routes) else "post"
    served = (  # (an unknown operation answers 404: the internal API is checked by its blueprint)
        f'app.url_map.bind("localhost").match({path}, method="{method.upper()}")  # the route is served'
        if smoke_route(spec.routes)
        else 'assert "strangler_internal_api" in app.blueprints  # the internal API is served'
    )
    db_vars = [v for v in spec.env_vars if "DATABASE" in v] or ["DATABASE_URL"]
    return f'''"""Smoke test: the app starts on a fresh SQLite database and answers one of its routes.

The monolith is not running here: calls to it answer None (see clients/monolith.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from {package}.clients import monolith
from {package}.webapp import create_app


def test_app_starts_and_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ({db_env_names(db_vars)}):
        monkeypatch.setenv(name, f"sqlite:///{{tmp_path / 'smoke.sqlite3'}}")
    monkeypatch.setenv({py_string(spec.monolith_url_env)}, "http://127.0.0.1:9")

    def offline(operation: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        return None

    monkeypatch.setattr(monolith, "_call", offline)
    app = create_app()
    {served}
    response = app.test_client().{method}({path})
    assert 200 <= response.status_code < 600
'''

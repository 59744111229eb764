"""The smoke test of FastAPI and Django skeletons (the Flask one is in project.py).

Each starts the app in process on a fresh SQLite file with the monolith offline (client calls answer
None), checks the route is served, and calls it: FastAPI through its TestClient, Django through
`django.test.Client` after `migrate --run-syncdb`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from strangler.skeleton.escaping import identifier, py_string

if TYPE_CHECKING:
    from strangler.skeleton.project import ProjectSpec

HEAD = '''"""Smoke test: the app starts on a fresh SQLite database and answers one of its routes.

The monolith is not running here: calls to it answer None (see clients/monolith.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
'''


def db_env_names(names: Sequence[str]) -> str:
    """The items of the tuple of database variables a smoke test sets, as string literals."""
    return ", ".join(py_string(v) for v in names) + ("," if len(names) == 1 else "")


def other_smoke_test_text(spec: ProjectSpec, route: str) -> str:
    """The smoke test of a FastAPI or Django skeleton; values from the tree are string literals."""
    package = identifier(spec.package, "package")
    if spec.framework == "fastapi":
        return _fastapi_smoke_test(spec, route, package)
    return _django_smoke_test(spec, route, package)


def _request(route: str) -> tuple[str, str]:
    """(method, path literal) the smoke test calls: `route`, else an unknown internal operation."""
    return ("get" if route else "post"), py_string(route or "/_strangler/ops/unknown")


def _setup_lines(spec: ProjectSpec) -> list[str]:
    """The test's head: database variables on a fresh SQLite file, the monolith offline."""
    db_vars = sorted({"DATABASE_URL", *(v for v in spec.env_vars if "DATABASE" in v)})
    return [
        "def test_app_starts_and_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:",
        f"    for name in ({db_env_names(db_vars)}):",
        "        monkeypatch.setenv(name, f\"sqlite:///{tmp_path / 'smoke.sqlite3'}\")",
        f'    monkeypatch.setenv({py_string(spec.monolith_url_env)}, "http://127.0.0.1:9")',
        "",
        "    def offline(operation: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:",
        "        return None",
        "",
    ]


def _fastapi_smoke_test(spec: ProjectSpec, route: str, package: str) -> str:
    method, path = _request(route)
    served = next((r.path for r in spec.routes if route and _concrete(r.path) == route), "")
    lines = [
        HEAD + "from fastapi.testclient import TestClient",
        "",
        f"from {package}.clients import monolith",
        f"from {package}.webapp import create_app",
        "",
        "",
        *_setup_lines(spec),
        '    monkeypatch.setattr(monolith, "_call", offline)',
        "    app = create_app()",
    ]
    if served:
        lines.append(f'    assert {py_string(served)} in app.openapi()["paths"]  # the route is served')
    lines += [
        f"    response = TestClient(app).{method}({path})",
        "    assert 200 <= response.status_code < 600",
    ]
    return "\n".join(lines) + "\n"


def _django_smoke_test(spec: ProjectSpec, route: str, package: str) -> str:
    method, path = _request(route)
    settings = py_string(f"{package}_project.settings")
    lines = [
        HEAD,
        *_setup_lines(spec),
        f'    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", {settings})',
        "    import django",
        "",
        "    django.setup()",
        "    from django.core.management import call_command",
        "    from django.test import Client",
        "    from django.urls import resolve",
        "",
        f"    from {package}.clients import monolith",
        "",
        '    monkeypatch.setattr(monolith, "_call", offline)',
        '    call_command("migrate", run_syncdb=True, verbosity=0)',
        f"    resolve({path})  # the route is served",
        f"    response = Client().{method}({path})",
        "    assert 200 <= response.status_code < 600",
    ]
    return "\n".join(lines) + "\n"


def _concrete(path: str) -> str:
    import re

    return re.sub(r"\{[^}]+\}", "1", re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", path))

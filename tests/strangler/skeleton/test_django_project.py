"""Skeletons of Django codebases byte-compile and their imports resolve within the skeleton.

Checked with `python -m compileall` and `ast` (never by importing the generated code): the Django
fixture app, and a real Django codebase, the installed `django` package itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from strangler.skeleton import SkeletonOptions, generate_skeletons
from strangler.skeleton.checking import import_problems
from tests.builders import write_tree
from tests.conftest import FIXTURES

FIXTURE = FIXTURES / "fw_django_app"


def _facts(root: Path) -> tuple[Any, Any]:
    import analyzers
    from analyzers.options import AnalysisOptions
    from strangler.boundaries.pipeline import decomposition_for

    codebase = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    return codebase, decomposition_for(codebase, None)


def _check(root: Path, facts: tuple[Any, Any], services: list[str], tmp_path: Path) -> None:
    codebase, decomposition = facts
    files = generate_skeletons(codebase, decomposition, root, services, SkeletonOptions())
    write_tree(tmp_path, files)
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tmp_path / "services")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    tops = frozenset(m.name.split(".")[0] for m in codebase.modules)
    for service in services:
        assert any(p.startswith(f"services/{service}/") and p.endswith(".py") for p in files)
        assert import_problems(files, f"services/{service}", tops) == []


def test_django_fixture_skeletons_compile_and_resolve(tmp_path: Path) -> None:
    if not FIXTURE.is_dir():
        pytest.skip("the Django fixture app is not there yet")
    facts = _facts(FIXTURE)
    _check(FIXTURE, facts, [s.name for s in facts[1].services], tmp_path)


@pytest.mark.slow
def test_real_django_skeletons_compile_and_resolve(tmp_path: Path) -> None:
    """Every proposed service of the installed `django` package (about 900 modules)."""
    import django

    root = Path(django.__file__).parent
    facts = _facts(root)
    _check(root, facts, [s.name for s in facts[1].services], tmp_path)


def test_settings_naming_the_monolith_code_are_relocated_or_left_as_a_note() -> None:
    """healthchecks' LOGGING names its handler class `hc.logs.Handler`: in the service that moved
    `hc.logs` it is `logs.Handler`; elsewhere Django could not import it at start-up, so the setting
    is left out with a note (as strings naming a module, never as code)."""
    from strangler.skeleton.django_project import find_settings, settings_text

    settings_source = (
        'INSTALLED_APPS = ["hc.logs", "hc.api"]\n'
        'LOGGING = {"handlers": {"db": {"class": "hc.logs.Handler", "level": "DEBUG"}}}\n'
        'BACKENDS = ["hc.api.backends.Token",\n    "django.contrib.auth.backends.ModelBackend"]\n'
        'TITLE = "hc.logs is where it logs"\n'
    )
    sources = {"hc.settings": settings_source, "hc.logs": "class Handler: ...\n", "hc.api.backends": ""}
    settings = find_settings(sources)
    assert settings is not None
    logs = settings_text(
        service="logs", package="logs", settings=settings, local={"hc.logs": "logs"}, sources=sources
    )
    assert 'LOGGING = {"handlers": {"db": {"class": "logs.Handler", "level": "DEBUG"}}}' in logs
    assert "# strangler: BACKENDS names hc.api.backends.Token, which stays in the monolith" in logs
    assert 'TITLE = "hc.logs is where it logs"' in logs  # (text, not a module's name)
    api = settings_text(
        service="api", package="api", settings=settings, local={"hc.api": "api"}, sources=sources
    )
    assert "# strangler: LOGGING names hc.logs.Handler, which stays in the monolith" in api
    assert "BACKENDS = [" not in api  # (hc.api.backends did not move with hc.api here)
    compile(logs, "settings", "exec")
    compile(api, "settings", "exec")

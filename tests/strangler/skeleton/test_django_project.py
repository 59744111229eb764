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


def test_an_app_that_stayed_is_not_installed_under_a_vendored_parent() -> None:
    """`hc.front` stayed in the monolith while the package `hc` is vendored: the app is no name in
    it (Django would fail to import `api.vendored.hc.front`)."""
    from strangler.skeleton.django_project import find_settings, settings_text

    source = 'INSTALLED_APPS = ["hc.api", "hc.front"]\nMIDDLEWARE = ["hc.middleware.Custom"]\n'
    sources = {"hc": "", "hc.settings": source, "hc.api": "", "hc.front": "", "hc.middleware": ""}
    settings = find_settings(sources)
    local = {"hc": "api.vendored.hc", "hc.api": "api", "hc.middleware": "api.vendored.hc.middleware"}
    text = settings_text(service="api", package="api", settings=settings, local=local, sources=sources)
    apps = text.split("INSTALLED_APPS = [")[1].split("]")[0]
    assert '"api"' in apps and "front" not in apps
    assert '"api.vendored.hc.middleware.Custom"' in text  # (a class in a vendored module: kept)


def test_an_empty_package_init_moves_with_the_package_it_marks(tmp_path: Path) -> None:
    """The graph leaves an empty `__init__.py` out, so the decomposition places it nowhere; the
    service holding most of its package takes it, so a Django app keeps its module (`hc.accounts`)."""
    import analyzers
    from analyzers.options import AnalysisOptions
    from strangler.boundaries.decomposition import Assignment, Decomposition, Service
    from strangler.skeleton.layout import package_markers

    write_tree(
        tmp_path,
        {
            "hc/__init__.py": "",
            "hc/accounts/__init__.py": "",
            "hc/accounts/models.py": "X = 1\n",
            "hc/accounts/views.py": "Y = 2\n",
            "hc/api/__init__.py": "",
            "hc/api/models.py": "Z = 3\n",
        },
    )
    codebase = analyzers.analyze(tmp_path, AnalysisOptions(history=False, cache=False))
    owner = {"hc.accounts.models": "accounts", "hc.accounts.views": "accounts", "hc.api.models": "api"}
    decomposition = Decomposition(
        services=(
            Service("accounts", ("hc.accounts.models", "hc.accounts.views")),
            Service("api", ("hc.api.models",)),
        ),
        shared_kernel=(),
        assignments=tuple(Assignment(m, s, "test") for m, s in sorted(owner.items())),
    )
    # `hc` holds both services' packages: it goes with neither (the skeletons write their own)
    assert package_markers(codebase, decomposition) == {"hc.accounts": "accounts", "hc.api": "api"}


def test_an_app_whose_models_are_vendored_is_installed_under_its_vendored_name() -> None:
    """The `api` service vendors `hc.accounts.models` (the models its code uses): Django needs the
    app of those models installed, or it refuses them (no app_label)."""
    from strangler.skeleton.django_project import find_settings, settings_text

    source = 'INSTALLED_APPS = ["hc.accounts", "hc.api", "hc.front"]\n'
    sources = {n: "" for n in ("hc", "hc.accounts", "hc.accounts.models", "hc.api", "hc.front")}
    sources["hc.settings"] = source
    local = {"hc.api": "api", "hc.accounts.models": "api.vendored.hc.accounts.models"}
    text = settings_text(
        service="api", package="api", settings=find_settings(sources), local=local, sources=sources
    )
    apps = text.split("INSTALLED_APPS = [")[1].split("]")[0]
    assert '"api.vendored.hc.accounts"' in apps and '"api"' in apps and "front" not in apps

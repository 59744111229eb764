"""Code that does not run in production is no service: docs, examples, project templates, Django
`tests.py` and test helpers, settings variants and entry scripts get a role and stay out of the
graph (the text reports say how many, and `--include-tests` keeps them); management commands and
background tasks go with the capability whose code they use, never into a service of their own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import analyzers
from analyzers.files.discovery import role_of
from analyzers.model import Codebase, Symbol
from analyzers.options import AnalysisOptions
from strangler.boundaries import propose
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.boundaries.settings import BoundaryOptions, parse_signals
from strangler.cli.analyze_command import command as analyze_command
from strangler.cli.boundaries_command import command as boundaries_command
from strangler.graph.coupling import build_graph
from tests.builders import codebase


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("docs/source/conf.py", "docs"),
        ("doc/examples.py", "docs"),
        ("src/project/docs/conf.py", "docs"),  # a Sphinx conf.py anywhere
        ("examples/flask_app/app.py", "example"),
        ("example/models.py", "example"),
        ("sandbox/settings.py", "example"),  # django-oscar's demo site
        ("{{cookiecutter.project_slug}}/app/models.py", "template"),
        ("contrib/{{ name }}/views.py", "template"),
        ("shop/orders/tests.py", "test"),  # Django's tests module of an app
        ("shop/testutils.py", "test"),
        ("shop/testing/factories.py", "test"),
        ("sandbox/settings_postgres.py", "example"),
        ("project/settings_postgres.py", "settings"),
        ("project/settings_local.py", "settings"),
        ("settings/ci.py", "settings"),
        ("project/settings/production.py", "settings"),
        ("project/settings/local_dev.py", "settings"),
        ("mayan/settings/development/base.py", "settings"),
        ("fabfile.py", "script"),
        ("noxfile.py", "script"),
    ],
)
def test_non_runtime_paths_get_a_role(path: str, role: str) -> None:
    assert role_of(path) == role


@pytest.mark.parametrize(
    "path",
    [
        "project/settings/__init__.py",
        "project/settings/base.py",
        "settings/main.py",
        "settings/settings_global.py",  # wger's base settings
        "core/settings/proxy.py",  # indico's runtime settings framework
        "apps/smart_settings/management/commands/settings_show.py",  # a runtime command
        "backoffice/views/settings_section.py",
        "project/settings.py",
        "shop/orders/models.py",
        "shop/docs_export.py",
        "shop/manage.py",  # a runtime module of that name (decided in the graph, see below)
        "shop/tasks.py",
    ],
)
def test_runtime_paths_stay_code(path: str) -> None:
    assert role_of(path) == "code"


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


TREE = {
    "manage.py": "import os\nfrom django.core.management import execute_from_command_line\n",
    "shop/__init__.py": "",
    "shop/settings.py": "DEBUG = False\n",
    "shop/settings_local.py": "from shop.settings import *\nDEBUG = True\n",
    "shop/tasks.py": "from invoke import task\n\n@task\ndef build(c):\n    c.run('make')\n",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": "from django.db import models\n\nclass Order(models.Model):\n    total = 1\n",
    "shop/orders/tasks.py": (
        "from celery import shared_task\nfrom shop.orders.models import Order\n\n"
        "@shared_task\ndef purge():\n    Order.objects.all().delete()\n"
    ),
    "shop/orders/tests.py": "from shop.orders.models import Order\n",
    "docs/conf.py": "project = 'shop'\n",
    "examples/demo.py": "from shop.orders.models import Order\n",
}


def test_scripts_and_non_runtime_modules_stay_out_of_the_graph(tmp_path: Path) -> None:
    from strangler.graph.coupling import left_out, runtime_roles

    root = _write(tmp_path, TREE)
    cb = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    roles = runtime_roles(cb)
    assert roles["manage"] == "script"
    assert roles["shop.tasks"] == "script"  # imports invoke: a task runner's file, not Celery's
    assert roles["shop.orders.tasks"] == "code"  # Celery: a job of the orders capability
    assert roles["shop.settings_local"] == "settings" and roles["shop.settings"] == "code"
    assert roles["shop.orders.tests"] == "test"
    assert roles["docs.conf"] == "docs" and roles["examples.demo"] == "example"
    nodes = set(build_graph(cb).nodes)
    assert nodes == {m for m, r in roles.items() if r == "code"}
    assert {"manage", "shop.tasks", "shop.settings_local", "docs.conf"}.isdisjoint(nodes)
    assert set(build_graph(cb, include_tests=True).nodes) == set(roles)
    assert left_out(cb) == {"docs": 1, "empty": 2, "example": 1, "script": 2, "settings": 1, "test": 1}


def test_a_top_level_celery_tasks_module_is_runtime_code(tmp_path: Path) -> None:
    from strangler.graph.coupling import runtime_roles

    root = _write(
        tmp_path,
        {
            "app.py": "from celery import Celery\ncelery = Celery()\n",
            "tasks.py": "from app import celery\n\n@celery.task\ndef send():\n    return 1\n",
            "setup.py": "VERSION = 1\n",  # not a packaging script: no setuptools
        },
    )
    roles = runtime_roles(analyzers.analyze(root, AnalysisOptions(history=False, cache=False)))
    assert roles == {"app": "code", "tasks": "code", "setup": "code"}


def test_top_level_modules_nothing_uses_beside_the_packages_are_scripts(tmp_path: Path) -> None:
    """CTFd's `export.py`, `import.py`, `populate.py` beside the `CTFd` package: run by hand,
    used by nothing; they were assigned to services."""
    from strangler.graph.coupling import runtime_roles

    root = _write(
        tmp_path,
        {
            "shop/__init__.py": "def create_app():\n    return 1\n",
            "shop/orders.py": "from config import DEBUG\n",
            "export.py": "from shop import create_app\nfrom dump import dump\ndump(create_app())\n",
            "dump.py": "def dump(app):\n    print(app)\n",  # used by a script only: one too
            "import.py": "from shop import create_app\ncreate_app()\n",  # not even an importable name
            "wsgi.py": "from shop import create_app\napplication = create_app()\n",
            "config.py": "DEBUG = False\n",  # imported by the package: runtime code
            "web.py": (  # serves a route: the application's, wherever it is
                "from flask import Flask\napp = Flask(__name__)\n\n"
                "@app.route('/ping')\ndef ping():\n    return 'ok'\n"
            ),
            "jobs.py": "from celery import shared_task\n\n@shared_task\ndef nightly():\n    return 1\n",
        },
    )
    roles = runtime_roles(analyzers.analyze(root, AnalysisOptions(history=False, cache=False)))
    scripts = ("export", "import", "wsgi", "dump")
    assert {m: roles[m] for m in scripts} == dict.fromkeys(scripts, "script")
    assert {m: roles[m] for m in ("shop", "shop.orders", "config", "web", "jobs")} == dict.fromkeys(
        ("shop", "shop.orders", "config", "web", "jobs"), "code"
    )


def test_text_reports_say_what_is_left_out_and_how_to_keep_it(tmp_path: Path) -> None:
    root = _write(tmp_path, TREE)
    runner = CliRunner()
    result = runner.invoke(boundaries_command, [str(root), "--no-history", "--no-cache", "--seeds", "1"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("left out of the graph"))
    assert "2 script" in line and "1 settings" in line and "1 docs" in line and "1 example" in line
    assert "2 empty" in line  # the empty package markers `shop` and `shop.orders`
    assert "--include-tests" in line
    assert (
        '"shop.orders"'
        not in runner.invoke(
            boundaries_command, [str(root), "--no-history", "--no-cache", "--seeds", "1", "--format", "json"]
        ).output
    )
    kept = runner.invoke(
        boundaries_command,
        [str(root), "--no-history", "--no-cache", "--seeds", "1", "--include-tests", "--format", "json"],
    )
    assert kept.exit_code == 0, kept.output
    assert '"manage"' in kept.output and '"docs.conf"' in kept.output and '"shop.orders"' in kept.output
    analysed = runner.invoke(analyze_command, [str(root), "--no-history", "--no-cache"])
    assert analysed.exit_code == 0, analysed.output
    assert "1 docs" in analysed.output and "1 example" in analysed.output
    assert "--include-tests" in analysed.output


def _jobs_app() -> Codebase:
    """Two capabilities, each with a management command and a Celery task using its models; the
    jobs share a base command module and a vocabulary of their own, and call each other's helpers,
    so that clustered with the rest they form a cluster of their own."""
    caps = ("orders", "catalog")
    names = ["app.core"]
    imports: list[tuple[str, str]] = []
    refs: list[tuple[str, str, str, str]] = []
    routes, tables, accesses = [], [], []
    terms: dict[str, dict[str, int]] = {}
    jobs: list[str] = []
    for cap in caps:
        models, views = f"app.{cap}.models", f"app.{cap}.views"
        command, task = f"app.{cap}.management.commands.sync_{cap}", f"app.{cap}.tasks"
        names += [models, views, command, task]
        jobs += [command, task]
        imports += [(views, models), (command, models), (task, models)]
        refs += [(views, models, "Record", "call")] * 3
        refs += [(command, models, "Record", "call"), (task, models, "Record", "call")]
        routes.append((f"/{cap}/", views))
        tables.append((cap, models))
        accesses += [(views, cap, "read"), (command, cap, "write"), (task, cap, "write")]
        terms[models] = {cap: 4, "record": 1}
        terms[views] = {cap: 4, "page": 1}
    names.append("app.jobs_base")
    for job in jobs:
        imports.append((job, "app.jobs_base"))
        refs += [(job, "app.jobs_base", "BaseJob", "base")] * 4
        terms[job] = {"batch": 5, "schedule": 4, "retry": 3, "worker": 2}
        for other in jobs:
            if other != job:
                imports.append((job, other))
                refs += [(job, other, "helper", "call")] * 4
    cb = codebase(
        names, imports=imports, references=refs, routes=routes, tables=tables, accesses=accesses, terms=terms
    )
    task_symbol = Symbol(name="run", kind="function", line=1, decorators=("shared_task",))
    modules = tuple(
        replace(m, symbols=(task_symbol,)) if m.name.endswith(".tasks") else m for m in cb.modules
    )
    return replace(cb, modules=modules, _index={})


@pytest.mark.parametrize("signals", ["all", "-packages"])
def test_jobs_go_with_the_capability_whose_models_they_use(signals: str) -> None:
    cb = _jobs_app()
    weights = parse_signals(signals)
    options = BoundaryOptions(weights=tuple(sorted(weights.items())), seeds=1)
    service_of = propose(cb, build_graph(cb, weights), options).service_of()
    for cap in ("orders", "catalog"):
        home = service_of[f"app.{cap}.models"]
        assert home != SHARED_KERNEL
        assert service_of[f"app.{cap}.management.commands.sync_{cap}"] == home
        assert service_of[f"app.{cap}.tasks"] == home
    assert service_of["app.orders.models"] != service_of["app.catalog.models"]

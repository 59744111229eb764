"""Discovery: layouts, module names, roles, skipped directories and excludes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import analyzers
from analyzers.errors import SourcePathError
from analyzers.files.discovery import discover, is_excluded, role_of
from analyzers.options import AnalysisOptions
from strangler.cli.shared_options import analysis_options_for
from tests.builders import write_tree


def _names(root: Path, options: AnalysisOptions) -> dict[str, tuple[str, str]]:
    found = discover(root.resolve(), options)
    return {f.module: (f.path, f.role) for f in found.files}


def test_flat_layout_names_roles_and_skips(fixtures_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "flat"
    shutil.copytree(fixtures_dir / "an_flat", root)
    (root / ".git").mkdir()
    (root / ".git" / "hook.py").write_text("x = 1\n")
    options = analysis_options_for(root, no_history=True, no_cache=True, exclude=())
    names = _names(root, options)
    assert names == {
        "app": ("app/__init__.py", "code"),
        "app.core": ("app/core.py", "code"),
        "app.util": ("app/util.py", "code"),
        "app.migrations": ("app/migrations/__init__.py", "migration"),
        "app.migrations.0001_initial": ("app/migrations/0001_initial.py", "migration"),
        "nsp.sub.mod": ("nsp/sub/mod.py", "code"),  # PEP 420 namespace packages
        "tests.check_core": ("tests/check_core.py", "test"),
    }


def test_pyproject_excludes_are_applied(fixtures_dir: Path) -> None:
    root = fixtures_dir / "an_flat"
    without = _names(root, AnalysisOptions())
    assert "legacy.old" in without and "app.generated_code" in without
    options = analysis_options_for(root, no_history=True, no_cache=True, exclude=("nsp/*",))
    assert options.exclude[:2] == ("legacy/*", "app.generated*")
    names = _names(root, options)
    assert "legacy.old" not in names  # path glob from pyproject
    assert "app.generated_code" not in names  # module glob from pyproject
    assert "nsp.sub.mod" not in names  # command-line glob adds to the file's


def test_src_layout(fixtures_dir: Path) -> None:
    names = _names(fixtures_dir / "an_src", AnalysisOptions())
    assert set(names) == {
        "srcpkg",
        "srcpkg.core",
        "srcpkg.sub",
        "srcpkg.sub.leaf",
        "srcpkg.sub.sibling",
        "tests.check_core",
    }
    assert names["srcpkg.core"] == ("src/srcpkg/core.py", "code")


def test_path_that_is_a_package_is_named_from_its_parent(fixtures_dir: Path) -> None:
    names = _names(fixtures_dir / "an_src" / "src" / "srcpkg" / "sub", AnalysisOptions())
    assert names == {
        "srcpkg.sub": ("__init__.py", "code"),
        "srcpkg.sub.leaf": ("leaf.py", "code"),
        "srcpkg.sub.sibling": ("sibling.py", "code"),
    }


def test_several_source_roots(fixtures_dir: Path) -> None:
    root = fixtures_dir / "an_roots"
    options = analysis_options_for(root, no_history=True, no_cache=True, exclude=())
    assert set(_names(root, options)) == {"billing", "billing.invoices", "users", "users.accounts"}
    codebase = analyzers.analyze(root, options)
    assert [(e.source, e.target) for e in codebase.imports] == [("billing.invoices", "users.accounts")]


def test_non_identifier_directory_starts_a_root(tmp_path: Path) -> None:
    (tmp_path / "my-project" / "pkg").mkdir(parents=True)
    (tmp_path / "my-project" / "pkg" / "__init__.py").write_text("")
    (tmp_path / "my-project" / "pkg" / "mod.py").write_text("")
    assert set(_names(tmp_path, AnalysisOptions())) == {"pkg", "pkg.mod"}


def test_a_nested_project_directory_is_a_source_root(tmp_path: Path) -> None:
    # fastapi/full-stack-fastapi-template: backend/pyproject.toml, backend/app/... imported as `app`
    (tmp_path / "backend" / "app" / "api").mkdir(parents=True)
    (tmp_path / "backend" / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    for name in ("app/__init__.py", "app/api/__init__.py", "app/api/routes.py"):
        (tmp_path / "backend" / name).write_text("")
    (tmp_path / "tools" / "lint").mkdir(parents=True)  # no project file: a namespace package
    (tmp_path / "tools" / "lint" / "check.py").write_text("")
    assert set(_names(tmp_path, AnalysisOptions())) == {
        "app",
        "app.api",
        "app.api.routes",
        "tools.lint.check",
    }


def test_a_directory_holding_manage_py_is_a_source_root(tmp_path: Path) -> None:
    # netbox: netbox/manage.py beside the project package and the apps, imported as `dcim.models`
    (tmp_path / "netbox" / "dcim").mkdir(parents=True)
    (tmp_path / "netbox" / "netbox").mkdir()
    (tmp_path / "netbox" / "manage.py").write_text("")
    for name in ("dcim/__init__.py", "dcim/models.py", "netbox/__init__.py", "netbox/settings.py"):
        (tmp_path / "netbox" / name).write_text("")
    (tmp_path / "netbox" / "dcim" / "views.py").write_text("from dcim.models import Site\n")
    assert set(_names(tmp_path, AnalysisOptions())) == {
        "manage",
        "dcim",
        "dcim.models",
        "dcim.views",
        "netbox",
        "netbox.settings",
    }
    codebase = analyzers.analyze(tmp_path, AnalysisOptions(history=False, cache=False))
    assert [(e.source, e.target) for e in codebase.imports] == [("dcim.views", "dcim.models")]


def test_a_project_file_that_is_a_broken_link_makes_no_root(tmp_path: Path) -> None:
    (tmp_path / "tools" / "lint").mkdir(parents=True)
    (tmp_path / "tools" / "pyproject.toml").symlink_to(tmp_path / "missing.toml")
    (tmp_path / "tools" / "lint" / "check.py").write_text("")
    (tmp_path / "web" / "pkg").mkdir(parents=True)  # a linked project file that exists counts
    (tmp_path / "shared.toml").write_text("[project]\nname = 'web'\n")
    (tmp_path / "web" / "setup.cfg").symlink_to(tmp_path / "shared.toml")
    (tmp_path / "web" / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg2").mkdir()  # a package holding a project file stays a package
    (tmp_path / "pkg2" / "__init__.py").write_text("")
    (tmp_path / "pkg2" / "setup.py").write_text("")
    assert set(_names(tmp_path, AnalysisOptions())) == {"tools.lint.check", "pkg", "pkg2", "pkg2.setup"}


def test_roles() -> None:
    assert role_of("pkg/test_x.py") == "test"
    assert role_of("pkg/x_test.py") == "test"
    assert role_of("conftest.py") == "test"
    assert role_of("tests/helpers.py") == "test"
    assert role_of("app/migrations/0002_auto.py") == "migration"
    assert role_of("alembic/versions/abc_add.py") == "migration"
    assert role_of("app/testing_utils.py") == "code"
    # Alembic revisions kept elsewhere (Netflix dispatch: database/revisions/<db>/versions/)
    assert role_of("app/database/revisions/core/versions/2023-01-30_e4b4991dddcd.py") == "migration"
    assert role_of("app/db/versions/0001_init.py") == "migration"  # not importable by name
    assert role_of("app/api/versions/v2.py") == "code"  # a package that happens to be called so


def test_exclude_globs() -> None:
    assert is_excluded(("legacy/*",), "legacy/old.py")
    assert is_excluded(("legacy",), "legacy")
    assert is_excluded(("shop.legacy*",), "shop/legacy/a.py", "shop.legacy.a")
    assert not is_excluded(("shop.legacy*",), "shop/new.py", "shop.new")


def test_nonexistent_path_and_no_python(tmp_path: Path) -> None:
    with pytest.raises(SourcePathError) as missing:
        analyzers.analyze(tmp_path / "nope")
    assert missing.value.exit_code == 2
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("no code")
    with pytest.raises(SourcePathError, match="no Python"):
        analyzers.analyze(tmp_path / "empty")


def test_migrations_outside_migration_directories_are_known_by_what_they_define(tmp_path: Path) -> None:
    files = {
        # DefectDojo: MIGRATION_MODULES = {"dojo": "dojo.db_migrations"}
        "dojo/db_migrations/0001_initial.py": (
            "from django.db import migrations\n\n\n"
            "class Migration(migrations.Migration):\n    operations = []\n"
        ),
        "dojo/schema/rev_1a2b.py": (
            'revision = "1a2b"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\n'
            "def downgrade():\n    pass\n"
        ),
        # a model that happens to be called Migration is code
        "dojo/models.py": "from django.db import models\n\n\nclass Migration(models.Model):\n    pass\n",
    }
    write_tree(tmp_path, files)
    for package in ("dojo", "dojo/db_migrations", "dojo/schema"):
        (tmp_path / package / "__init__.py").write_text("")
    codebase = analyzers.analyze(tmp_path, AnalysisOptions(history=False, cache=False))
    roles = {m.name: m.role for m in codebase.modules}
    assert roles["dojo.db_migrations.0001_initial"] == "migration"
    assert roles["dojo.schema.rev_1a2b"] == "migration"
    assert roles["dojo.models"] == "code"
    assert roles["dojo.db_migrations"] == "code"  # the package itself defines nothing of the kind


def test_a_directory_whose_package_imports_itself_by_its_bare_name_is_a_source_root(tmp_path: Path) -> None:
    # onyx: backend/ holds no project file, but backend/onyx/ imports `onyx.db.models`
    write_tree(
        tmp_path,
        {
            "backend/onyx/__init__.py": "",
            "backend/onyx/db/__init__.py": "",
            "backend/onyx/db/models.py": "",
            "backend/onyx/api.py": "from onyx.db.models import User\n",
            # poetry: a namespace package whose parts import it through its name...
            "src/poetry/config/__init__.py": "from poetry.config.source import Source\n",
            "src/poetry/config/source.py": "",
            # ...and whose `json` package imports the standard library's json, not itself
            "src/poetry/json/__init__.py": "import json\nfrom json import loads\n",
        },
    )
    assert set(_names(tmp_path, AnalysisOptions())) == {
        "onyx",
        "onyx.api",
        "onyx.db",
        "onyx.db.models",
        "poetry.config",
        "poetry.config.source",
        "poetry.json",
    }
    codebase = analyzers.analyze(tmp_path, AnalysisOptions(history=False, cache=False))
    assert ("onyx.api", "onyx.db.models") in {(e.source, e.target) for e in codebase.imports}


def test_a_package_imported_through_its_namespace_directory_keeps_the_prefix(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "services/billing/__init__.py": "",
            "services/billing/core.py": "",
            "services/billing/api.py": "from services.billing.core import charge\nimport billing.core\n",
        },
    )
    assert set(_names(tmp_path, AnalysisOptions())) == {
        "services.billing",
        "services.billing.api",
        "services.billing.core",
    }


def test_a_setup_py_makes_a_root_only_when_it_packages(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            # lemur: a plugin distributed on its own, inside the app's package
            "lemur/__init__.py": "",
            "lemur/plugins/__init__.py": "",
            "lemur/plugins/lemur_statsd/setup.py": "from setuptools import setup\nsetup(name='x')\n",
            "lemur/plugins/lemur_statsd/lemur_statsd/__init__.py": "",
            # onyx: `tracing/` (no __init__.py) holds a module that happens to be called setup
            "onyx/__init__.py": "",
            "onyx/tracing/setup.py": "def setup_tracing():\n    pass\n",
            "onyx/tracing/flows.py": "from .setup import setup_tracing\n",
        },
    )
    names = set(_names(tmp_path, AnalysisOptions()))
    assert {"lemur_statsd", "setup"} <= names  # the plugin's own root
    assert {"onyx.tracing.setup", "onyx.tracing.flows"} <= names
    codebase = analyzers.analyze(tmp_path, AnalysisOptions(history=False, cache=False))
    assert not [d for d in codebase.diagnostics if d.kind == "relative-import-beyond-top"]


def test_build_env_and_dist_inside_a_package_are_source(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            # onyx's feature package `build`, poetry's `poetry/utils/env/`
            "app/__init__.py": "",
            "app/features/__init__.py": "",
            "app/features/build/api.py": "",
            "app/utils/__init__.py": "",
            "app/utils/env/__init__.py": "",
            "app/utils/env/base_env.py": "",
            # tool output and environments beside the packages are not
            "build/lib/app/__init__.py": "",
            "dist/app/__init__.py": "",
            "env/lib/thing.py": "",
        },
    )
    assert set(_names(tmp_path, AnalysisOptions())) == {
        "app",
        "app.features",
        "app.features.build.api",
        "app.utils",
        "app.utils.env",
        "app.utils.env.base_env",
    }


def test_a_project_directory_with_a_stray_init_is_the_root(tmp_path: Path) -> None:
    # Mayan EDMS: __init__.py beside manage.py, setup.py and the package mayan/
    root = tmp_path / "checkout"
    write_tree(
        root,
        {
            "__init__.py": "",
            "manage.py": "",
            "mayan/__init__.py": "",
            "mayan/urls.py": "",
        },
    )
    assert set(_names(root, AnalysisOptions())) == {"manage", "mayan", "mayan.urls"}
    write_tree(tmp_path / "pkg", {"__init__.py": "", "core.py": ""})  # a package PATH stays named
    assert set(_names(tmp_path / "pkg", AnalysisOptions())) == {"pkg", "pkg.core"}

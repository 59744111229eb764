"""Django idioms of pluggable apps: names through star imports, installed apps' models, built URLs.

The fixture mirrors django-oscar's layout: `models.py` does `from .abstract_models import *` (through
a chain of star imports) and declares concrete models inside `if not is_model_registered(...)`,
growing `__all__` with `append`/`+=`/`extend`; an abstract base on a third-party model class
(treebeard's `MP_Node`); an AppConfig with `name`, a `default_app_config`; a ROOT_URLCONF relative
to the settings' directory that includes an app's generated URLs.
"""

from __future__ import annotations

import pytest

from analyzers import AnalysisOptions, Codebase, analyze
from analyzers.model import IMPORT_STRING, Table
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_star_app"


@pytest.fixture(scope="module")
def codebase() -> Codebase:
    return analyze(ROOT, AnalysisOptions(cache=False, history=False))


def test_models_through_star_imported_abstract_bases_declare_tables(codebase: Codebase) -> None:
    assert set(codebase.tables) == {
        Table("shop_order", "shop.models", "Order", 8),  # defined under `if`, base via star import
        Table("shop_line", "shop.models", "Line", 14),  # `models` reached through a star chain
        Table("shop_category", "shop.models", "Category", 18),  # third-party base, Django fields
    }


def test_star_imported_names_are_references_and_bases(codebase: Codebase) -> None:
    found = {(r.source, r.target, r.symbol, r.kind) for r in codebase.references}
    assert ("shop.models", "shop.abstract_models", "AbstractOrder", "base") in found
    assert ("shop.models", "shop.more_models", "AbstractLine", "base") in found
    assert ("shop.models", "shop.abstract_models", "AbstractCategory", "base") in found
    assert ("shop.services", "shop.models", "Order", "attribute") in found
    assert ("shop.cycle_b", "shop.cycle_a", "ALPHA", "name") in found  # a star cycle terminates
    # `place` is public in abstract_models but not in shop.models' `__all__`: not reached
    assert not any(r.symbol == "place" for r in codebase.references)


def test_accesses_through_star_imported_models(codebase: Codebase) -> None:
    found = {(a.module, a.table, a.mode) for a in codebase.accesses}
    assert found == {("shop.services", "shop_order", "read"), ("shop.services", "shop_category", "read")}


def test_app_config_and_default_app_config_import_the_models(codebase: Codebase) -> None:
    strings = {(e.source, e.target) for e in codebase.imports if IMPORT_STRING in e.markers}
    assert ("shop.apps", "shop.models") in strings  # AppConfig.name = "shop"
    assert ("shop", "shop.models") in strings  # shop/__init__.py: default_app_config


def test_included_generated_urls_under_a_relative_root_urlconf(codebase: Codebase) -> None:
    dynamic = [(d.path, d.line) for d in codebase.diagnostics if d.kind == "dynamic-urls"]
    assert dynamic == [("project/urls.py", 5)]

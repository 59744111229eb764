"""Reading reference decompositions: the package layout, JSON and TOML files, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzers.model import Codebase, Module
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.exceptions import BoundariesFileError
from strangler.metrics import load_reference, package_layout, read_reference
from tests.builders import codebase, module


def _codebase(*modules: Module) -> Codebase:
    return codebase(modules, root="/project")


def _module(name: str, *, package: bool = False, role: str = "code") -> Module:
    return module(name, 1, package=package, role=role)


SHOP = _codebase(
    _module("shop", package=True),
    _module("shop.app"),
    _module("shop.orders", package=True),
    _module("shop.orders.service"),
    _module("shop.orders.views"),
    _module("shop.catalog.views"),  # shop.catalog is a namespace package: no __init__ module
    _module("manage"),
)


def test_packages_one_level_below_the_single_top_package() -> None:
    assert package_layout(SHOP) == {
        "shop": "shop",
        "shop.app": "shop",
        "shop.orders": "shop.orders",
        "shop.orders.service": "shop.orders",
        "shop.orders.views": "shop.orders",
        "shop.catalog.views": "shop.catalog",
        "manage": "shop",  # the one top-level package takes the loose top-level module
    }
    assert load_reference("packages", SHOP) == package_layout(SHOP)


def test_packages_with_several_top_level_packages() -> None:
    codebase = _codebase(
        _module("billing", package=True),
        _module("billing.api"),
        _module("billing.tests", package=True, role="test"),  # tests are no code subpackage
        _module("billing.tests.test_api", role="test"),
        _module("orders", package=True),
        _module("orders.core", package=True),
        _module("orders.core.rules"),
        _module("orders.util"),
        _module("manage"),
    )
    assert package_layout(codebase) == {
        "billing": "billing",  # no code subpackage: the top-level package as a whole
        "billing.api": "billing",
        "billing.tests": "billing",
        "billing.tests.test_api": "billing",
        "orders": "orders",
        "orders.core": "orders.core",
        "orders.core.rules": "orders.core",
        "orders.util": "orders",
        "manage": "manage",  # several top-level packages: a loose module stands alone
    }


def test_json_module_to_service_ignores_and_counts_unknown_modules(tmp_path: Path) -> None:
    path = tmp_path / "truth.json"
    path.write_text(json.dumps({"shop.app": "core", "shop.orders.views": "orders", "old.mod": "x"}))
    loaded = read_reference(str(path), SHOP)
    assert loaded.as_dict() == {"shop.app": "core", "shop.orders.views": "orders"}
    assert loaded.unknown == ("old.mod",)
    assert load_reference(str(path), SHOP) == loaded.as_dict()


def test_json_written_by_boundaries(tmp_path: Path) -> None:
    document = {
        "schema": "strangler.decomposition/1",
        "services": [{"name": "orders", "modules": ["shop.orders"]}],  # ignored: assignments win
        "shared_kernel": ["shop.app"],
        "assignments": {
            "shop.app": {"service": SHARED_KERNEL, "reason": "used everywhere"},
            "shop.orders": {"service": "orders", "reason": "serves /orders/*"},
            "shop.orders.views": {"service": "web", "reason": "serves /"},
        },
    }
    path = tmp_path / "proposal.json"
    path.write_text(json.dumps(document))
    assert load_reference(str(path), SHOP) == {
        "shop.app": SHARED_KERNEL,
        "shop.orders": "orders",
        "shop.orders.views": "web",
    }


def test_json_services_with_globs_most_specific_wins(tmp_path: Path) -> None:
    document = {
        "services": {
            "core": ["shop.*"],
            "orders": ["shop.orders.*"],  # more literal characters than shop.*
            "web": ["shop.orders.views"],  # an exact name beats any glob
            "gone": ["legacy.*"],  # matches nothing
        }
    }
    path = tmp_path / "truth.json"
    path.write_text(json.dumps(document))
    loaded = read_reference(str(path), SHOP)
    assert loaded.as_dict() == {
        "shop": "core",  # shop.* matches shop itself
        "shop.app": "core",
        "shop.orders": "orders",  # shop.orders.* matches shop.orders itself
        "shop.orders.service": "orders",
        "shop.orders.views": "web",
        "shop.catalog.views": "core",
    }
    assert loaded.unknown == ("legacy.*",)


def test_json_services_list_with_shared_kernel(tmp_path: Path) -> None:
    document = {
        "services": [{"name": "orders", "modules": ["shop.orders*"]}],
        "shared_kernel": ["shop.app"],
    }
    path = tmp_path / "truth.json"
    path.write_text(json.dumps(document))
    assert load_reference(str(path), SHOP) == {
        "shop.orders": "orders",
        "shop.orders.service": "orders",
        "shop.orders.views": "orders",
        "shop.app": SHARED_KERNEL,
    }


def test_toml_services(tmp_path: Path) -> None:
    path = tmp_path / "truth.toml"
    path.write_text(
        '[services]\norders = ["shop.orders.*"]\ncatalog = ["shop.catalog.*"]\n"" = ["shop.app"]\n'
    )
    assert load_reference(str(path), SHOP) == {
        "shop.orders": "orders",
        "shop.orders.service": "orders",
        "shop.orders.views": "orders",
        "shop.catalog.views": "catalog",
        "shop.app": "",  # labelled but unscored
    }


def test_toml_service_tables_and_pyproject(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.strangler.services.orders]\nmodules = ["shop.orders", "shop.app"]\n')
    assert load_reference(str(path), SHOP) == {"shop.orders": "orders", "shop.app": "orders"}


def test_file_without_suffix_is_sniffed(tmp_path: Path) -> None:
    as_json = tmp_path / "truth"
    as_json.write_text('{"shop.app": "core"}')
    assert load_reference(str(as_json), SHOP) == {"shop.app": "core"}
    as_toml = tmp_path / "truth2"
    as_toml.write_text('[services]\ncore = ["shop.app"]\n')
    assert load_reference(str(as_toml), SHOP) == {"shop.app": "core"}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.json", "{not json", "not valid JSON"),
        ("bad.toml", "[services\n", "not valid TOML"),
        ("list.json", '["shop.app"]', "JSON object"),
        ("value.json", '{"shop.app": 3}', "must be a string"),
        ("services.json", '{"services": {"orders": [1]}}', "list of module names"),
        ("assign.json", '{"assignments": {"shop.app": {"reason": "x"}}}', "no service name"),
        ("twice.json", '{"services": {"a": ["shop.app"], "b": ["shop.app"]}}', "both"),
        ("tie.json", '{"services": {"a": ["shop.orders.v*"], "b": ["shop.orders.*s"]}}', "equally"),
        ("odd.yaml", "a: b", "unknown file type"),
    ],
)
def test_bad_files_raise_with_path_and_hint(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(BoundariesFileError, match=message) as caught:
        load_reference(str(path), SHOP)
    assert caught.value.path == str(path)
    assert caught.value.hint
    assert caught.value.exit_code == 2


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(BoundariesFileError, match="not found") as caught:
        load_reference(str(missing), SHOP)
    assert caught.value.path == str(missing)
    assert "packages" in (caught.value.hint or "")

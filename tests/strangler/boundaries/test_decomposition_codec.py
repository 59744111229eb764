"""strangler.decomposition/1: written, edited by a user, read back, and applied to the codebase."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from strangler.boundaries import propose
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.boundaries.decomposition_codec import SCHEMA, read_assignment, read_edited, to_document
from strangler.boundaries.pipeline import apply_edited, decomposition_for
from strangler.boundaries.settings import BoundaryOptions
from strangler.exceptions import BoundariesFileError
from strangler.graph.coupling import build_graph
from strangler.jsonio import dumps
from tests.bnd_support import capability_app

CAPS = ("orders", "billing", "catalog")


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, dict]:  # type: ignore[type-arg]
    d = propose(capability_app(CAPS))
    document = to_document(d)
    path = tmp_path / "b.json"
    path.write_text(dumps(document))
    return path, document


def test_document_shape(written: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    _, document = written
    assert document["schema"] == SCHEMA
    assert {"services", "shared_kernel", "metrics", "assignments", "signals", "seed"} <= set(document)
    service = document["services"][0]
    assert {
        "name",
        "modules",
        "routes",
        "tables",
        "shared_tables",
        "interface",
        "loc",
        "cohesion",
        "coupling",
    } <= set(service)
    entry = next(iter(document["assignments"].values()))
    assert set(entry) == {"service", "reason", "confidence", "pinned"}
    assert dumps(document) == dumps(to_document(propose(capability_app(CAPS))))


def test_edited_file_moves_and_renames(written: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    path, document = written
    document["assignments"]["app.orders.views"]["service"] = "storefront"
    document["assignments"]["app.catalog.views"] = "storefront"
    del document["services"]
    del document["shared_kernel"]
    path.write_text(json.dumps(document))
    assignment = read_assignment(path)
    assert assignment["app.orders.views"] == "storefront"
    d = decomposition_for(capability_app(CAPS), path, BoundaryOptions())
    front = d.service("storefront")
    assert front.modules == ("app.catalog.views", "app.orders.views")
    assert any(r.endswith("/orders/") for r in front.routes)
    assert all(a.pinned for a in d.assignments)


def _service(document: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in document["services"] if s["name"] == name)


def _home_of(document: dict, module: str) -> str:  # type: ignore[type-arg]
    return str(next(s["name"] for s in document["services"] if module in s["modules"]))


def test_services_decide_over_assignments_with_one_note(written: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    path, document = written
    moved = "app.orders.views"
    home = _home_of(document, moved)
    target = next(s["name"] for s in document["services"] if s["name"] != home)
    _service(document, home)["modules"].remove(moved)  # one edit: move the string ...
    _service(document, target)["modules"].append(moved)  # ... from one list to another
    _service(document, target)["name"] = "renamed"  # one edit: rename
    path.write_text(json.dumps(document))
    edited = read_edited(path)
    assert edited.service_of[moved] == "renamed"
    assert set(edited.service_of) == set(document["assignments"])
    differ = sorted(m for m, a in document["assignments"].items() if a["service"] != edited.service_of[m])
    assert len(differ) == len(_service(document, "renamed")["modules"]) > 1
    (note,) = edited.notes
    assert note.startswith(f"{len(differ)} module(s) differ under `assignments` (read-only) in {path}")
    first = document["assignments"][differ[0]]["service"]
    assert f"e.g. {differ[0]}: {first!r} there, 'renamed' in `services`" in note
    d = decomposition_for(capability_app(CAPS), path, BoundaryOptions())
    assert moved in d.service("renamed").modules and target not in {s.name for s in d.services}
    assert d.notes[0] == note


def test_a_module_left_out_of_the_lists_is_placed_by_coupling(written: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    path, document = written
    dropped = "app.billing.models"
    _service(document, _home_of(document, dropped))["modules"].remove(dropped)
    path.write_text(json.dumps(document))
    edited = read_edited(path)
    assert dropped not in edited.service_of
    assert edited.notes and "in no list" in edited.notes[0]
    d = decomposition_for(capability_app(CAPS), path, BoundaryOptions())
    assert dropped in d.service_of() and any(f"not in {path}" in n for n in d.notes)


def test_agreeing_sections_and_a_moved_kernel_module(written: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    path, document = written
    assert read_edited(path).notes == ()  # as written: both sections agree
    kernel_module = document["shared_kernel"][0]
    document["shared_kernel"].remove(kernel_module)
    document["services"][0]["modules"].append(kernel_module)
    path.write_text(json.dumps(document))
    edited = read_edited(path)
    assert edited.service_of[kernel_module] == document["services"][0]["name"]
    assert f"{kernel_module}: {SHARED_KERNEL!r} there" in edited.notes[0]


@pytest.mark.parametrize("services", [None, []])
def test_assignments_alone_still_decide(tmp_path: Path, services: list[str] | None) -> None:
    document: dict[str, Any] = {
        "assignments": {"app.orders.views": "front", "app.core": {"service": SHARED_KERNEL}}
    }
    if services is not None:
        document["services"] = services
    path = tmp_path / "b.json"
    path.write_text(json.dumps(document))
    edited = read_edited(path)
    assert edited.service_of == {"app.orders.views": "front", "app.core": SHARED_KERNEL}
    assert edited.notes == ()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('{"schema": "strangler.plan/1", "assignments": {}}', "not a decomposition"),
        ('{"schema": "strangler.decomposition/9", "assignments": {"a": "x"}}', "unsupported"),
        ('{"assignments": {"a": "bad name!"}}', "bad service name"),
        ('{"services": [{"name": "a", "modules": ["m"]}, {"name": "b", "modules": ["m"]}]}', "two services"),
        ('{"services": [{"name": "a", "modules": ["m"]}], "shared_kernel": ["m"]}', "two services"),
        ('{"services": [], "assignments": {"m": "a"}, "shared_kernel": ["m", 3]}', "must be strings"),
        ("{}", "assigns no module"),
        ("[]", "JSON object"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(BoundariesFileError) as info:
        read_assignment(path)
    assert fragment in info.value.message
    assert info.value.path == str(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BoundariesFileError):
        read_assignment(tmp_path / "absent.json")


def test_gone_and_new_modules() -> None:
    cb = capability_app(CAPS)
    graph = build_graph(cb)
    edited = {
        m: ("orders" if "orders" in m else SHARED_KERNEL if "core" in m else "rest") for m in graph.nodes
    }
    del edited["app.orders.views"]
    edited["app.removed"] = "orders"
    d = apply_edited(cb, graph, edited, "b.json")
    where = d.service_of()
    assert "app.removed" not in where
    assert where["app.orders.views"] == "orders"  # follows its strongest coupling
    reason = next(a for a in d.assignments if a.module == "app.orders.views")
    assert not reason.pinned and "new since b.json" in reason.reason
    assert any("no longer exist" in n for n in d.notes)
    assert any("not in b.json" in n for n in d.notes)


def test_file_of_another_project() -> None:
    cb = capability_app(CAPS)
    with pytest.raises(BoundariesFileError) as info:
        apply_edited(cb, build_graph(cb), {"other.mod": "x"}, "b.json")
    assert "none of the" in info.value.message

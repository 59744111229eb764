"""strangler.decomposition/1: written, edited by a user, read back, and applied to the codebase."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strangler.boundaries import propose
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.boundaries.decomposition_codec import SCHEMA, read_assignment, to_document
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


def test_conflicting_sections_rejected(written: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    path, document = written
    document["assignments"]["app.orders.views"]["service"] = "elsewhere"
    path.write_text(json.dumps(document))
    with pytest.raises(BoundariesFileError) as info:
        read_assignment(path)
    assert info.value.hint and "both places" in info.value.hint


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('{"schema": "strangler.plan/1", "assignments": {}}', "not a decomposition"),
        ('{"schema": "strangler.decomposition/9", "assignments": {"a": "x"}}', "unsupported"),
        ('{"assignments": {"a": "bad name!"}}', "bad service name"),
        ('{"services": [{"name": "a", "modules": ["m"]}, {"name": "b", "modules": ["m"]}]}', "two services"),
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

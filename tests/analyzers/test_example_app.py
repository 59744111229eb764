"""Routes, tables and raw-SQL reads of examples/monolith_app against its ARCHITECTURE.md facts block."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from analyzers.model import Codebase
from tests.conftest import EXAMPLE_APP

BLOCK = re.compile(r"```json strangler-facts\n(.*?)\n```", re.DOTALL)


def _documented() -> dict[str, Any]:
    doc = EXAMPLE_APP / "ARCHITECTURE.md"
    if not doc.is_file():
        pytest.skip("examples/monolith_app/ARCHITECTURE.md is not written yet")
    match = BLOCK.search(doc.read_text())
    assert match, "ARCHITECTURE.md lacks its ```json strangler-facts block"
    facts: dict[str, Any] = json.loads(match.group(1))
    return facts


@pytest.fixture(scope="module")
def codebase() -> Codebase:
    import analyzers

    if not hasattr(analyzers, "analyze"):
        pytest.skip("analyzers.analyze is not there yet")
    from analyzers.options import AnalysisOptions

    return analyzers.analyze(Path(EXAMPLE_APP), AnalysisOptions(history=False))


def test_every_documented_route_is_found(codebase: Codebase) -> None:
    documented = _documented()["routes"]
    assert documented
    found = {(method, r.path, r.handler, r.name) for r in codebase.routes for method in r.methods}
    missing = [
        route
        for route in documented
        if (route["method"], route["path"], route["view"], route["endpoint"]) not in found
    ]
    assert missing == []


def test_every_documented_table_is_found(codebase: Codebase) -> None:
    documented: dict[str, str] = _documented()["tables"]
    assert documented
    found = {t.name: f"{t.module}.{t.model}" for t in codebase.tables if t.module}
    assert {name: found.get(name) for name in documented} == documented


def test_raw_sql_reads_are_found(codebase: Codebase) -> None:
    documented: dict[str, list[str]] = _documented()["raw_sql_tables"]
    assert documented
    found: dict[str, set[str]] = {}
    for access in codebase.accesses:
        if access.via == "sql" and access.mode == "read":
            found.setdefault(access.module, set()).add(access.table)
    for module, tables in documented.items():
        assert set(tables) <= found.get(module, set()), module

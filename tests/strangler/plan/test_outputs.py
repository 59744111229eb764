"""`strangler.plan.outputs`: every file of a plan directory (golden plan.md / plan.json on the fixture
plan), the summary, and the order in which a request is checked."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import analyzers
from analyzers.model import Codebase
from strangler.exceptions import ConfigError, OutputExistsError
from strangler.plan import make_plan, outputs
from strangler.plan.outputs import PlanRequest, documents, plan_outputs, summary_text
from strangler.proxy import render_proxy
from strangler.request import AnalysisRequest, OutputFormat
from tests import plan_support
from tests.conftest import EXAMPLE_APP, GOLDEN

GOLDEN = GOLDEN / "plan_fixture"
UPDATE = os.environ.get("STRANGLER_UPDATE_GOLDEN") == "1"
EXAMPLE = AnalysisRequest(EXAMPLE_APP, no_history=True, quiet=True)


def test_golden_plan_documents() -> None:
    plan = make_plan(plan_support.codebase(), plan_support.decomposition())
    files = render_proxy(plan)
    docs = documents(plan, files)
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in docs.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    for name, text in docs.items():
        assert text == (GOLDEN / name).read_text(encoding="utf-8"), name
    doc = json.loads(docs["plan.json"])
    assert doc["schema"] == "strangler.plan/1"
    assert [w["service"] for w in doc["waves"]] == ["notifications", "catalog", "payments", "orders"]
    assert set(doc["waves"][0]) >= {"service", "order", "rationale", "steps", "interface", "tables", "routes"}
    assert "proxy/nginx/phase-2.canary-10.conf" in doc["proxy"]["phase-2"]
    assert doc["services"] == {}


def test_plan_md_reads_alone() -> None:
    plan = make_plan(plan_support.codebase(), plan_support.decomposition())
    docs = documents(plan, render_proxy(plan))
    assert docs["plan.md"].startswith("# Extraction plan")
    assert "[payments](waves/03-payments.md)" in docs["plan.md"]
    text = docs["waves/03-payments.md"]
    assert text.startswith("# Wave 3: payments") and "*(prerequisite)*" in text
    assert "`shop/orders/service.py:25` in `shop.orders.service.place_order` (call)" in text
    assert "## Shared kernel" in docs["details.md"]
    assert "## Routes that stay in the monolith (1)" in docs["details.md"]


def test_summary_groups_the_files_by_directory(tmp_path: Path) -> None:
    plan = make_plan(plan_support.codebase(), plan_support.decomposition())
    files = {"plan.md": "", "proxy/nginx/a.conf": "", "proxy/nginx/b.conf": "", "services/x/y/z.py": ""}
    lines = summary_text(plan, tmp_path, files).splitlines()
    assert lines[0] == f"{len(plan.waves)} waves (least entangled first); shared kernel: 2 modules"
    assert lines[1].startswith("   1. notifications ")
    assert lines[-4:] == [
        f"wrote 4 files to {tmp_path}:",
        "  plan.md",
        "  proxy/nginx/ (2)",
        "  services/ (1)",
    ]


@pytest.fixture(scope="module")
def example() -> Codebase:
    return analyzers.analyze(EXAMPLE_APP, analyzers.AnalysisOptions(history=False, cache=False))


def test_plan_outputs_of_the_example(
    example: Codebase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "load_codebase", lambda request: example)
    request = PlanRequest(EXAMPLE, tmp_path / "out", listen="9090", fmt=OutputFormat.JSON)
    planned = plan_outputs(request)
    assert planned.text == planned.files["plan.json"]
    assert planned.proxy.listen == 9090
    document = json.loads(planned.text)
    assert [w["service"] for w in document["waves"]] == [w.service for w in planned.plan.waves]
    assert set(document["services"]) == {w.service for w in planned.plan.waves}
    assert "monolith_patch/monolith.diff" in planned.files and "plan.md" in planned.files
    assert not (tmp_path / "out").exists()  # the command writes


def test_directory_and_options_are_checked_before_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "load_codebase", lambda request: pytest.fail("analyzed"))
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    with pytest.raises(OutputExistsError):
        plan_outputs(PlanRequest(EXAMPLE, foreign))
    with pytest.raises(ConfigError):
        plan_outputs(PlanRequest(EXAMPLE, tmp_path / "out", canary="0"))

"""`strangler.boundaries.text_report`: the text report of `strangler boundaries`, line by line."""

from __future__ import annotations

import dataclasses

from strangler.boundaries.text_report import render_text
from tests import plan_support


def test_services_table_kernel_metrics_and_agreement() -> None:
    decomposition = plan_support.decomposition()
    columns = [
        ("proposal", {"modularity": 0.5, "icp": 0.25, "cross_service_call_sites": 12.0}),
        ("packages", {}),
    ]
    agreement = [("packages", {"ari": 0.5, "mojofm": 0.75})]
    lines = render_text(decomposition, columns, agreement).splitlines()
    assert lines[0].split() == ["service", "modules", "lines", "routes", "tables", "interface", "cohesion"]
    assert len(lines[1].split()) == 7
    assert f"shared kernel ({len(decomposition.shared_kernel)} modules):" in lines
    metrics = next(line for line in lines if line.startswith("metric"))
    assert metrics.split() == ["metric", "proposal", "packages"]
    assert next(line for line in lines if line.startswith("modularity")).split() == [
        "modularity",
        "0.500",
        "-",
    ]
    assert next(line for line in lines if line.startswith("cross_service")).split()[1] == "12"
    assert lines[-1] == "agreement with packages: ari 0.500, mojofm 0.750"


def test_uncertain_assignments_notes_and_modules_left_out() -> None:
    decomposition = plan_support.decomposition()
    unsure = dataclasses.replace(decomposition.assignments[0], confidence=0.5, pinned=False)
    decomposition = dataclasses.replace(
        decomposition, assignments=(unsure, *decomposition.assignments[1:]), notes=("a note",)
    )
    text = render_text(decomposition, [], [], {"test": 3, "migration": 1})
    assert "uncertain assignments (1, confidence < 0.6 across seeds):" in text
    assert f"  {unsure.module} -> {unsure.service} (0.50)\n" in text
    assert "note: a note\n" in text
    assert text.endswith("left out of the graph: 3 test, 1 migration (--include-tests keeps them)\n")

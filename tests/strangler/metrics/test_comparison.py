"""`strangler.metrics.comparison`: a decomposition's metrics beside those of its references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import analyzers
from analyzers.model import Codebase
from strangler.boundaries.pipeline import propose_for
from strangler.boundaries.settings import BoundaryOptions
from strangler.metrics.comparison import comparisons_for
from tests.conftest import EXAMPLE_APP


@pytest.fixture(scope="module")
def example() -> Codebase:
    return analyzers.analyze(EXAMPLE_APP, analyzers.AnalysisOptions(history=False, cache=False))


def test_the_proposal_first_then_the_packages(example: Codebase) -> None:
    decomposition = propose_for(example, BoundaryOptions(seeds=1))
    comparison = comparisons_for(example, decomposition, None)
    assert [name for name, _ in comparison.columns] == ["proposal", "packages"]
    assert comparison.columns[0][1] == dict(decomposition.metrics)
    assert set(comparison.columns[1][1]) >= {"modularity", "icp", "ifn"}
    assert [name for name, _ in comparison.agreement] == ["packages"]
    assert set(comparison.agreement[0][1]) >= {"ari", "ami", "mojofm"}


def test_a_reference_file_is_one_more_column(example: Codebase, tmp_path: Path) -> None:
    decomposition = propose_for(example, BoundaryOptions(seeds=1))
    reference = tmp_path / "mine.json"
    reference.write_text(json.dumps(decomposition.service_of()))
    comparison = comparisons_for(example, decomposition, str(reference))
    assert [name for name, _ in comparison.columns] == ["proposal", "packages", "mine.json"]
    assert dict(comparison.agreement)["mine.json"]["ari"] == pytest.approx(1.0)
    assert comparisons_for(example, decomposition, "packages") == comparisons_for(
        example, decomposition, None
    )

"""`strangler.boundaries.proposal_output`: the `boundaries` report of a request, and the boundary
options a command line asks for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import analyzers
from analyzers.model import Codebase
from strangler.boundaries import proposal_output
from strangler.boundaries.decomposition_codec import SCHEMA
from strangler.boundaries.proposal_output import (
    BoundariesRequest,
    BoundaryChoices,
    boundaries_output,
    boundary_options_for,
)
from strangler.exceptions import ConfigError
from strangler.request import AnalysisRequest, OutputFormat
from tests.builders import write_tree
from tests.conftest import EXAMPLE_APP


@pytest.fixture(scope="module")
def example() -> Codebase:
    return analyzers.analyze(EXAMPLE_APP, analyzers.AnalysisOptions(history=False, cache=False))


@pytest.fixture
def loaded(example: Codebase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's facts, analyzed once for the module."""
    monkeypatch.setattr(proposal_output, "load_codebase", lambda request: example)


def test_choices_override_the_project_table(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "app", {"pyproject.toml": "[tool.strangler]\nservices = 4\n"})
    assert boundary_options_for(root, BoundaryChoices()).services == 4
    options = boundary_options_for(root, BoundaryChoices(services=2, seed=3, seeds=1, include_tests=True))
    assert (options.services, options.seed, options.seeds, options.include_tests) == (2, 3, 1, True)


def test_a_bad_signal_list_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        boundary_options_for(tmp_path, BoundaryChoices(signals="nonsense=x"))


@pytest.mark.usefixtures("loaded")
def test_json_feeds_back_as_the_edited_decomposition(tmp_path: Path) -> None:
    request = BoundariesRequest(AnalysisRequest(EXAMPLE_APP), seeds=1, fmt=OutputFormat.JSON)
    document = json.loads(boundaries_output(request))
    assert document["schema"] == SCHEMA
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    again = BoundariesRequest(AnalysisRequest(EXAMPLE_APP), boundaries_file=edited, fmt=OutputFormat.JSON)
    assert [s["name"] for s in json.loads(boundaries_output(again))["services"]] == [
        s["name"] for s in document["services"]
    ]


@pytest.mark.usefixtures("loaded")
def test_text_report_compares_with_packages_and_the_reference(tmp_path: Path) -> None:
    reference = tmp_path / "reference.json"
    reference.write_text(json.dumps({"shop.orders.service": "orders", "shop.catalog.models": "catalog"}))
    text = boundaries_output(
        BoundariesRequest(AnalysisRequest(EXAMPLE_APP), seeds=1, reference=str(reference))
    )
    metric = next(line for line in text.splitlines() if line.startswith("metric"))
    assert metric.split() == ["metric", "proposal", "packages", "reference.json"]
    assert "agreement with packages:" in text and "agreement with reference.json:" in text
    assert "left out of the graph:" in text


@pytest.mark.usefixtures("loaded")
def test_output_writes_the_document_atomically_and_says_how_to_use_it(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("keep")
    target = tmp_path / "cut.json"
    target.symlink_to(elsewhere)  # replaced, never written through
    request = BoundariesRequest(AnalysisRequest(EXAMPLE_APP), seeds=1, output=target)
    result = proposal_output.boundaries_report(request)
    assert result.wrote == f"wrote {target} (edit `services`, then pass it back with --boundaries {target})"
    assert "agreement with packages:" in result.report  # the text report, as without -o
    assert not target.is_symlink() and elsewhere.read_text() == "keep"
    as_json = boundaries_output(
        BoundariesRequest(AnalysisRequest(EXAMPLE_APP), seeds=1, fmt=OutputFormat.JSON)
    )
    assert target.read_text() == as_json
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.json", "elsewhere.json"]  # no temporary left


@pytest.mark.usefixtures("loaded")
def test_without_output_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = proposal_output.boundaries_report(BoundariesRequest(AnalysisRequest(EXAMPLE_APP), seeds=1))
    assert result.wrote is None and list(tmp_path.iterdir()) == []

"""`strangler.graph.analysis_output`: the `analyze` report of a request, as text or JSON."""

from __future__ import annotations

import json

from strangler.graph.analysis_output import AnalyzeRequest, analysis_output
from strangler.request import AnalysisRequest, OutputFormat
from tests.conftest import EXAMPLE_APP

TREE = AnalysisRequest(EXAMPLE_APP, no_history=True, no_cache=True, quiet=True)


def test_text_and_json_describe_the_same_tree() -> None:
    text = analysis_output(AnalyzeRequest(TREE))
    document = json.loads(analysis_output(AnalyzeRequest(TREE, fmt=OutputFormat.JSON)))
    assert document["schema"] == "strangler.analysis/1"
    assert f"{len(document['modules'])} modules" in text.replace(",", "")


def test_include_tests_keeps_the_test_modules_in_the_graph() -> None:
    assert "left out of the graph: 5 test" in analysis_output(AnalyzeRequest(TREE))
    assert "left out of the graph" not in analysis_output(AnalyzeRequest(TREE, include_tests=True))

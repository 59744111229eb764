"""`strangler.check.progress_output`: the findings per recent commit, and the chart when asked."""

from __future__ import annotations

import json
from pathlib import Path

from strangler.check.progress_output import ProgressRequest, progress_output
from strangler.request import OutputFormat
from tests.conftest import require_tool
from tests.e2e.test_check_precommit import git
from tests.strangler.check.test_check_outcome import analysis, entangled


def test_progress_per_commit_with_a_chart_when_asked(tmp_path: Path) -> None:
    require_tool("git")
    tree = entangled(tmp_path)
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "the monolith")
    (tree / "shop" / "reviews" / "service.py").write_text("def rate():\n    return None\n")
    git(tree, "commit", "-q", "-am", "reviews: extracted")
    result = progress_output(ProgressRequest(analysis(tree), fmt=OutputFormat.JSON, chart=Path("c.svg")))
    commits = json.loads(result.text)["commits"]
    assert [c["subject"] for c in commits] == ["the monolith", "reviews: extracted"]
    assert commits[0]["findings"] > commits[1]["findings"] == 0
    assert result.chart is not None and result.chart.startswith("<svg")
    assert progress_output(ProgressRequest(analysis(tree))).chart is None

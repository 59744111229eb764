"""`strangler.request`: from a command's request to the analysis options and the Codebase."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from analyzers.model import Codebase
from strangler.exceptions import ConfigError
from strangler.progress import Progress
from strangler.request import AnalysisRequest, analysis_options_for, load_codebase, unparsed_warning
from tests.builders import Terminal, write_tree


def test_options_come_from_the_project_overridden_by_the_request(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "app",
        {
            "pyproject.toml": '[tool.strangler]\nexclude = ["legacy/*"]\nmax_file_bytes = 1000\n',
            "app/__init__.py": "",
        },
    )
    options = analysis_options_for(AnalysisRequest(root, no_history=True, no_cache=True, exclude=("gen/*",)))
    assert options.exclude == ("legacy/*", "gen/*")
    assert options.max_file_bytes == 1000
    assert not options.history and not options.cache
    assert analysis_options_for(AnalysisRequest(root)).history


def test_a_bad_project_table_is_a_config_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "app", {"pyproject.toml": "[tool.strangler]\nexclude = 3\n", "a.py": ""})
    with pytest.raises(ConfigError):
        analysis_options_for(AnalysisRequest(root))


def test_load_codebase_calls_after_load_with_the_codebase(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "app", {"app/__init__.py": "", "app/broken.py": "def (:\n"})
    seen: list[Codebase] = []
    codebase = load_codebase(AnalysisRequest(root, no_history=True, no_cache=True, after_load=seen.append))
    assert seen == [codebase]
    warning = unparsed_warning(codebase)
    assert warning is not None and warning.startswith("warning: 1 file(s) could not be parsed")
    assert "app/broken.py:1:" in warning and "`strangler analyze` lists them" in warning


def test_no_warning_when_every_file_parses(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "app", {"app/__init__.py": "", "app/ok.py": "x = 1\n"})
    assert unparsed_warning(load_codebase(AnalysisRequest(root, no_history=True, no_cache=True))) is None


def test_load_codebase_is_the_analysis_stage_with_its_parts(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "app", {"app/__init__.py": "", "app/a.py": "import app\n"})
    progress = Progress(stream=io.StringIO())
    load_codebase(AnalysisRequest(root, no_history=True, no_cache=True, progress=progress))
    (analysis,) = progress.times
    assert analysis.name == "analysis"
    assert [p.name for p in analysis.parts] == ["discover", "parse", "resolve", "history"]
    # (each part is rounded to 0.1 ms: their sum may pass the total by half of that per part)
    assert sum(p.seconds for p in analysis.parts) <= analysis.seconds + 0.00005 * len(analysis.parts)


def test_a_quiet_request_silences_its_progress() -> None:
    assert not AnalysisRequest(Path("."), quiet=True).progress.enabled
    terminal = Progress(stream=Terminal())
    assert terminal.enabled and not AnalysisRequest(Path("."), quiet=True, progress=terminal).progress.enabled

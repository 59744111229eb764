"""The analysis document's edges (computed without networkx) agree with graph.coupling.build_graph."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import analyzers
from analyzers.model import CoChange, Codebase
from analyzers.options import AnalysisOptions
from strangler.graph import coupling as graph
from strangler.graph.edges import observed_edges
from strangler.graph.signals import OBSERVED_SIGNALS
from strangler.graph.summary import in_scope


def graph_edges(codebase: Codebase, include_tests: bool) -> list[dict[str, object]]:
    light = dataclasses.replace(
        codebase, modules=tuple(dataclasses.replace(m, terms=()) for m in codebase.modules)
    )
    weights = {s: graph.DEFAULT_WEIGHTS[s] for s in OBSERVED_SIGNALS}
    built = graph.build_graph(light, weights, include_tests=include_tests)
    out = []
    for source, target, attrs in sorted(built.edges(data=True), key=lambda e: (e[0], e[1])):
        if any(attrs.get(s, 0.0) > 0.0 for s in OBSERVED_SIGNALS):
            entry = {"source": source, "target": target, "weight": attrs["weight"]}
            entry.update({s: attrs.get(s, 0.0) for s in OBSERVED_SIGNALS})
            out.append(entry)
    return out


@pytest.mark.parametrize("include_tests", [False, True])
def test_edges_equal_build_graph_on_the_example_app(example_app: Path, include_tests: bool) -> None:
    codebase = analyzers.analyze(example_app, AnalysisOptions(history=False, cache=False))
    names = sorted(m.name for m in codebase.modules)
    # co-change is read from git; add some so that signal is compared too
    changes = tuple(CoChange(a, b, n) for n, (a, b) in enumerate(zip(names, names[3:]), start=1))
    codebase = dataclasses.replace(codebase, cochange=changes)
    assert codebase.accesses and codebase.references and codebase.imports
    mine = observed_edges(codebase, in_scope(codebase, include_tests))
    assert mine == graph_edges(codebase, include_tests)
    assert any(e["data"] > 0 for e in mine) and any(e["inheritance"] > 0 for e in mine)
    assert any(e["cochange"] > 0 for e in mine)


def test_analysis_path_does_not_import_networkx() -> None:
    """The analysis document is built without the graph library: importing it costs more than a warm run."""
    code = (
        "import sys, strangler.graph.analysis_report, strangler.cli.analyze_command; "
        "sys.exit(1 if 'networkx' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0

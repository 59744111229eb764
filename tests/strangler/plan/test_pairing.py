"""Issue #14: plan.md and plan.json pair each module that moves with its own file, also where module
names and paths sort differently (a src layout beside a flat package, an upper-case module name
before `__init__.py`, migrations numbered `0001_...`)."""

from __future__ import annotations

import json
from pathlib import Path

import analyzers
from analyzers.options import AnalysisOptions
from strangler.boundaries.decomposition import Assignment, Decomposition, Service
from strangler.plan import make_plan
from strangler.plan.document import to_document
from strangler.plan.markdown import render
from tests.builders import write_tree

TREE = {
    "pyproject.toml": "[project]\nname = 'mixed'\n",
    "src/zeta/__init__.py": "",
    "src/zeta/core.py": "def run():\n    return 1\n",
    "tools/__init__.py": "",
    "tools/Export.py": "from zeta.core import run\n\n\ndef export():\n    return run()\n",
    "tools/migrations/__init__.py": "",
    "tools/migrations/0001_initial.py": "X = 1\n",
}


def test_each_module_is_paired_with_its_own_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "mixed", TREE)
    codebase = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    path_of = {m.name: m.path for m in codebase.modules}
    modules = tuple(sorted(path_of))
    assert modules == (
        "tools",
        "tools.Export",
        "tools.migrations",
        "tools.migrations.0001_initial",
        "zeta",
        "zeta.core",
    )
    assert [path_of[m] for m in modules] != sorted(path_of.values())  # the two orders differ
    decomposition = Decomposition(
        services=(Service("all", modules),),
        shared_kernel=(),
        assignments=tuple(Assignment(m, "all", "test") for m in modules),
    )
    wave = make_plan(codebase, decomposition).waves[0]
    assert wave.modules == modules
    assert wave.paths == tuple(path_of[m] for m in modules)

    document = json.loads(json.dumps(to_document(make_plan(codebase, decomposition))))
    listed = document["waves"][0]
    assert dict(zip(listed["modules"], listed["paths"])) == path_of

    text = render(make_plan(codebase, decomposition))["waves/01-all.md"]
    for module, path in path_of.items():
        assert f"- `{module}` ({path})" in text

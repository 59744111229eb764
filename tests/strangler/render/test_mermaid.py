"""Mermaid output (`strangler graph PATH -o FILE.mmd`): its text, and the real Mermaid parser.

The parser check runs the Mermaid CLI (`mmdc`, npm `@mermaid-js/mermaid-cli`, pinned and installed
outside the repository by .ci/run into /opt/strangler-npm) on the example app's output, with the
system Chromium as its browser: a file Mermaid cannot parse makes `mmdc` fail. Locally without
it the test skips; under CI (CI=true) a missing `mmdc` fails, as `require_tool` does.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from strangler.cli import graph_command
from strangler.render.mermaid import MAX_EDGES, chosen_edges, service_mermaid, text
from strangler.render.servicegraph import service_graph
from tests.builders import codebase, decomposition
from tests.conftest import EXAMPLE_APP, require_tool
from tests.view_support import shop

NPM_PREFIX = Path(os.environ.get("STRANGLER_NPM_PREFIX", "/opt/strangler-npm"))
MMDC = NPM_PREFIX / "node_modules" / ".bin" / "mmdc"


def require_mmdc() -> Path:
    if MMDC.is_file():
        return MMDC
    message = f"the Mermaid CLI is not installed at {MMDC}"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; .ci/run should have installed it")
    pytest.skip(message)


def _mmdc(source: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Render `source` with the Mermaid CLI in the system Chromium; the SVG lands beside it."""
    mmdc = require_mmdc()
    config = tmp_path / "puppeteer.json"
    config.write_text(
        json.dumps(
            {
                "executablePath": require_tool("chromium"),
                "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            }
        )
    )
    return subprocess.run(
        [str(mmdc), "--quiet", "-i", str(source), "-o", str(source.with_suffix(".svg")), "-p", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )


def test_shop_text() -> None:
    out = service_mermaid(service_graph(*shop()), title="Services of shop")
    lines = out.splitlines()
    assert lines[0].startswith("%% Services of shop: 3 services") and lines[1] == "flowchart LR"
    assert '  s3["orders<br/>4 modules · 505 lines<br/>uses the kernel: 1 call"]' in lines
    assert '  kernel["shared kernel<br/>2 modules · 55 lines"]' in lines
    # the dependency that closes the cycle is thick and vermillion; the other one keeps the mark
    assert '  s2 ==>|"1 call · 1 shared table · invert"| s3' in lines
    assert '  s3 -->|"↻ 3 calls"| s2' in lines
    assert "  linkStyle 0 stroke:#D55E00,stroke-width:4px,color:#D55E00" in lines
    assert not any("-->" in line and "kernel" in line for line in lines)  # folded into the labels


def test_hostile_names_become_entity_codes() -> None:
    assert text('a"b<c>#;') == "a#34;b#60;c#62;#35;#59;"
    cb = codebase({"x.m": 1, "y.m": 1}, imports=[("x.m", "y.m", 1)])
    evil = 'end"]; click s1 "javascript:alert(1)'
    out = service_mermaid(service_graph(cb, decomposition({evil: ["x.m"], "ok": ["y.m"]})))
    assert f'  s1["{text(evil)}<br/>' in out and "#34;#93;#59; click s1 #34;javascript" in out
    assert all(line.count('"') in (0, 2, 4) for line in out.splitlines())  # no quote of the name is left


def test_only_the_heaviest_edges_are_drawn() -> None:
    modules = {f"p{i:02d}.m": 1 for i in range(12)}
    names = sorted(modules)
    imports = [(a, b, 1 + i) for i, a in enumerate(names) for b in names if a < b]
    cb = codebase(modules, imports=imports)
    graph = service_graph(cb, decomposition({n.split(".")[0]: [n] for n in names}))
    drawn, left_out = chosen_edges(graph)
    assert len(drawn) == MAX_EDGES and left_out == len(graph.edges) - MAX_EDGES
    assert [e.weight for e in drawn] == sorted((e.weight for e in graph.edges), reverse=True)[:MAX_EDGES]
    assert service_mermaid(graph).count("-->") == MAX_EDGES


def test_example_app_parses_in_mermaid_and_names_every_service(tmp_path: Path) -> None:
    out = tmp_path / "example.mmd"
    result = CliRunner().invoke(
        graph_command.command, [str(EXAMPLE_APP), "-o", str(out), "--no-history", "-q"]
    )
    assert result.exit_code == 0, result.output
    source = out.read_text(encoding="utf-8")
    labels = re.findall(r'^  (s\d+|kernel)\["([^"]*)"\]$', source, flags=re.MULTILINE)
    names = [label.split("<br/>")[0] for _, label in labels]
    assert "shared kernel" in names and len(names) >= 5

    done = _mmdc(out, tmp_path)
    assert done.returncode == 0, done.stderr
    svg = out.with_suffix(".svg").read_text(encoding="utf-8")
    for name in names:
        assert name in svg, name

    broken = tmp_path / "broken.mmd"  # the check can fail: Mermaid rejects a bad file
    broken.write_text(source.replace("-->|", "-->|[[", 1), encoding="utf-8")
    assert _mmdc(broken, tmp_path).returncode != 0

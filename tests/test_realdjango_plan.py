"""`strangler plan` on a real Django codebase: the installed Django package, copied to tmp_path.

Django's contrib apps carry urlconfs (`path()` and `re_path()`, admindocs, auth, flatpages, sitemaps),
models with tables, signals and a deeply cyclic import graph, so the plan has many waves, cycles to
break and routes to move. The test checks the plan is consistent (every route moves in exactly one
wave or stays with the monolith; waves in score order), that the real nginx accepts every phase file
(complete nginx.conf and server snippet), and that a second run in another process, with another hash
seed and the warm analysis cache, writes byte-identical plan.json, plan.md and proxy configs.

Service skeletons (`services/`) are left out: they have their own tests, and writing one per wave
for all of Django takes minutes; plan and proxy take seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import require_tool

from strangler.cli import main

#: The second run: the CLI in a fresh interpreter (its own hash seed), without skeletons.
_NO_SKELETONS = (
    "import sys, strangler.skeleton as s\n"
    "s.plan_skeletons = lambda *a, **k: {}\n"
    "from strangler.cli import main\n"
    "raise SystemExit(main(sys.argv[1:]))\n"
)


@pytest.fixture(scope="module")
def django_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    django = pytest.importorskip("django")
    root = tmp_path_factory.mktemp("realdjango") / "src"
    source = Path(django.__file__).parent
    shutil.copytree(source, root / "django", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root


def _key(route: dict[str, Any]) -> tuple[str, tuple[str, ...], str, str]:
    return (route["path"], tuple(route["methods"]), route["handler"], route["module"])


def _nginx_check(conf: Path, prefix: Path) -> subprocess.CompletedProcess[str]:
    nginx = require_tool("nginx")
    prefix.mkdir(parents=True)
    if conf.name.endswith(".server.conf"):  # the snippet goes inside http {} of an existing nginx
        host = prefix / "host.conf"
        host.write_text(
            "pid nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n"
            "client_body_temp_path cb; proxy_temp_path px; fastcgi_temp_path fc;\n"
            "uwsgi_temp_path uw; scgi_temp_path sc;\n"
            f"access_log off;\ninclude {conf};\n}}\n"
        )
        conf = host
    return subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_plan_of_the_django_package(
    django_tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("strangler.skeleton.plan_skeletons", lambda *a, **k: {}, raising=False)
    out = tmp_path / "plan"
    assert main(["plan", str(django_tree), "-o", str(out), "--no-history", "-q", "--listen", "18090"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(django_tree), "--format", "json", "--no-history", "-q"]) == 0
    analysis = json.loads(capsys.readouterr().out)

    # plan.md and plan.json agree with each other and with the analysis
    assert (out / "plan.md").is_file() and (out / "plan.json").is_file()
    doc = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    markdown = (out / "plan.md").read_text(encoding="utf-8")
    assert doc["schema"] == "strangler.plan/1"
    waves = doc["waves"]
    assert len(waves) >= 3
    assert [w["order"] for w in waves] == list(range(1, len(waves) + 1))
    scores = [w["entanglement"]["score"] for w in waves]
    assert scores == sorted(scores), "waves must leave least entangled first"
    for w in waves:
        assert f"## Wave {w['order']}: {w['service']}" in markdown
    assert not set(doc["shared_kernel"]) & {m for w in waves for m in w.get("modules", ())}

    # every route of the codebase moves in exactly one wave or stays with the monolith
    routes = Counter(_key(r) for r in analysis["routes"])
    assert sum(routes.values()) >= 10, "Django's contrib urlconfs should yield routes"
    placed = Counter(_key(r) for w in waves for r in w["routes"])
    placed.update(_key(r) for r in doc["monolith_routes"])
    assert placed == routes
    assert any(r["methods"] == [] for r in analysis["routes"])  # Django routes take any method
    assert any(w["routes"] for w in waves), "some wave should move routes"

    # the phases: 0, then one per wave (plus canaries where the wave moves routes)
    assert sorted(doc["proxy"]) == sorted(f"phase-{k}" for k in range(len(waves) + 1))
    confs = sorted(p for p in (out / "proxy" / "nginx").glob("*.conf"))
    for w in waves:
        assert (out / "proxy" / "nginx" / f"phase-{w['order']}.conf").is_file()
        canary = out / "proxy" / "nginx" / f"phase-{w['order']}.canary-10.conf"
        assert canary.is_file() == bool(w["routes"])
    for conf in confs:
        result = _nginx_check(conf, tmp_path / "nginx-run" / conf.name)
        assert result.returncode == 0, f"{conf.name}\n{result.stderr}"

    # determinism: another process, another hash seed, the warm cache: the same bytes
    again = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    args = ["plan", str(django_tree), "-o", str(again), "--no-history", "-q", "--listen", "18090"]
    run = subprocess.run(
        [sys.executable, "-c", _NO_SKELETONS, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    first, second = _tree(out), _tree(again)
    assert sorted(first) == sorted(second)
    for rel in ("plan.json", "plan.md", *(p for p in first if p.startswith("proxy/"))):
        assert first[rel] == second[rel], rel

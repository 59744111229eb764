"""`strangler plan` on a real Django codebase: the installed Django package, copied to tmp_path.

Django's contrib apps carry urlconfs (`path()` and `re_path()`, admindocs, auth, flatpages, sitemaps),
models with tables, signals and a deeply cyclic import graph, so the plan has many waves, cycles to
break and routes to move. The test checks the plan is consistent (every route moves in exactly one
wave or stays with the monolith; waves in score order), that the real nginx accepts every phase file
(complete nginx.conf and server snippet), that a service skeleton is written for every wave (and the
first wave's monolith patch), and that a second run in another process, with another hash seed and
the warm analysis cache, writes byte-identical files, skeletons included.
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

from strangler.cli import main
from tests.conftest import require_tool


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
    django_tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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
        page = doc["markdown"]["waves"][w["service"]]
        assert f"]({page})" in markdown
        assert (out / page).read_text(encoding="utf-8").startswith(f"# Wave {w['order']}: {w['service']}")
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

    # a skeleton per wave, listed in plan.json; the first wave's patch
    for w in waves:
        assert doc["services"][w["service"]] == f"services/{w['service']}"
        assert (out / "services" / w["service"] / "pyproject.toml").is_file()
    assert (out / "monolith_patch" / "monolith.diff").is_file()

    # determinism: another process, another hash seed, the warm cache: the same bytes
    again = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    args = ["plan", str(django_tree), "-o", str(again), "--no-history", "-q", "--listen", "18090"]
    run = subprocess.run(
        [sys.executable, "-m", "strangler", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    first, second = _tree(out), _tree(again)
    assert sorted(first) == sorted(second)
    assert [rel for rel in first if first[rel] != second[rel]] == []

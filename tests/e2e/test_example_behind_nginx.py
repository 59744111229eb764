"""The issue's proof, end to end on examples/monolith_app with real processes and a real nginx.

From the example: analyze, propose boundaries, plan; generate the skeleton of the first wave's
service (and then of every wave) and the monolith patch; apply the patch to a copy of the example;
start the patched monolith and the service(s) on local ports sharing one fresh SQLite database with
a frozen clock; start nginx with the plan's routing for that phase (the proxy generator's own
nginx.conf); replay every HTTP scenario of shop_scenarios through nginx. Every response must equal
the untouched monolith's, replayed on its own fresh database.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builders import free_port, write_tree
from tests.conftest import EXAMPLE_APP, require_tool
from tests.skel_support import nginx_running, serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scenarios() -> Any:
    sys.path.insert(0, str(EXAMPLE_APP))
    try:
        import shop_scenarios
    finally:
        sys.path.remove(str(EXAMPLE_APP))
    return shop_scenarios


@pytest.fixture(scope="module")
def facts() -> tuple[Any, Any, Any]:
    import analyzers
    from analyzers.options import AnalysisOptions
    from strangler.boundaries.pipeline import decomposition_for
    from strangler.plan import PlanOptions, make_plan

    codebase = analyzers.analyze(EXAMPLE_APP, AnalysisOptions(history=False, cache=False))
    decomposition = decomposition_for(codebase, None)
    return codebase, decomposition, make_plan(codebase, decomposition, PlanOptions())


def _replay(scenarios: Any, url: str) -> list[tuple[str, int, Any]]:
    results = scenarios.run_scenarios(scenarios.http_transport(url, timeout=30.0))
    return [(r.name, r.status, r.body) for r in results]


@pytest.fixture(scope="module")
def original_answers(scenarios: Any, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    tmp = tmp_path_factory.mktemp("original")
    port = free_port()
    env = {
        "SHOP_DATABASE_URL": f"sqlite:///{tmp / 'shop.sqlite3'}",
        "SHOP_FIXED_NOW": scenarios.FIXED_NOW,
    }
    with serving(
        ["-m", "shop", "--port", str(port)], cwd=EXAMPLE_APP, env=env, port=port, log=tmp / "original.log"
    ) as url:
        return _replay(scenarios, url)


@contextlib.contextmanager
def _split_system(
    facts: tuple[Any, Any, Any], services: list[str], phase_number: int, scenarios: Any, tmp: Path
) -> Iterator[tuple[str, dict[str, Path]]]:
    """Patched monolith + the services' skeletons + nginx for the phase; yields the proxy URL."""
    from strangler.proxy.nginx import full_conf
    from strangler.proxy.phases import ProxyOptions, phases
    from strangler.skeleton import SkeletonOptions, apply_patch, generate_skeletons
    from strangler.skeleton.monolith_patch import service_url_env

    nginx = require_tool("nginx")
    codebase, decomposition, plan = facts
    files = generate_skeletons(codebase, decomposition, EXAMPLE_APP, services, SkeletonOptions())
    write_tree(tmp / "out", files)
    patched = tmp / "patched"
    shutil.copytree(EXAMPLE_APP, patched, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    apply_patch(patched, files)

    from strangler.skeleton.layout import package_name

    ports = {name: free_port() for name in services}
    mono_port, proxy_port = free_port(), free_port()
    shared = {
        "SHOP_DATABASE_URL": f"sqlite:///{tmp / 'shared.sqlite3'}",
        "SHOP_FIXED_NOW": scenarios.FIXED_NOW,
        "MONOLITH_URL": f"http://127.0.0.1:{mono_port}",
        "STRANGLER_INTERNAL_TOKEN": "e2e-token",
        **{service_url_env(package_name(n)): f"http://127.0.0.1:{p}" for n, p in ports.items()},
    }
    logs = {"monolith": tmp / "monolith.log", **{n: tmp / f"{n}.log" for n in services}}
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            serving(
                ["-m", "shop", "--port", str(mono_port)],
                cwd=patched,
                env=shared,
                port=mono_port,
                log=logs["monolith"],
            )
        )
        for name in services:
            stack.enter_context(
                serving(
                    ["-m", package_name(name), "--port", str(ports[name])],
                    cwd=tmp / "out" / "services" / name,
                    env=shared,
                    port=ports[name],
                    log=logs[name],
                )
            )
        options = ProxyOptions(
            listen=proxy_port,
            monolith_upstream=f"127.0.0.1:{mono_port}",
            service_upstreams=tuple(sorted((n, f"127.0.0.1:{p}") for n, p in ports.items())),
            runtime_dir=str(tmp / "nginx"),
        )
        (tmp / "nginx").mkdir()
        phase = next(p for p in phases(plan, options) if p.number == phase_number and not p.canary)
        conf = tmp / "nginx" / "nginx.conf"
        conf.write_text(
            full_conf(plan, phase, options).replace(
                "worker_processes 1;", "daemon off;\nworker_processes 1;", 1
            )
        )
        yield stack.enter_context(nginx_running(nginx, conf, proxy_port)), logs


def test_first_wave_behind_nginx_answers_like_the_monolith(
    facts: tuple[Any, Any, Any], scenarios: Any, original_answers: list[Any], tmp_path: Path
) -> None:
    plan = facts[2]
    first = plan.waves[0].service
    with _split_system(facts, [first], 1, scenarios, tmp_path) as (url, logs):
        answers = _replay(scenarios, url)
        # the internal API is refused by the public proxy, even with the right token
        refused = httpx.post(
            f"{url}/_strangler/ops/outside.probe",
            json={"args": [], "kwargs": {}},
            headers={"X-Strangler-Internal-Token": "e2e-token"},
            timeout=10,
        )
        service_log = logs[first].read_text()
        monolith_log = logs["monolith"].read_text()
    assert refused.status_code == 404 and "nginx" in refused.text
    assert "outside.probe" not in monolith_log + service_log
    assert len(answers) == len(original_answers) > 100
    assert [(got, want) for got, want in zip(answers, original_answers) if got != want] == []
    # the traffic really moved: the service answered public requests that came through nginx
    assert plan.waves[0].routes and _public_requests(service_log) > 0


def test_all_waves_behind_nginx_answer_like_the_monolith(
    facts: tuple[Any, Any, Any], scenarios: Any, original_answers: list[Any], tmp_path: Path
) -> None:
    plan = facts[2]
    services = [w.service for w in plan.waves]
    with _split_system(facts, services, len(plan.waves), scenarios, tmp_path) as (url, logs):
        answers = _replay(scenarios, url)
        served = {w.service: _public_requests(logs[w.service].read_text()) for w in plan.waves}
    assert len(answers) == len(original_answers)
    assert [(got, want) for got, want in zip(answers, original_answers) if got != want] == []
    assert [w.service for w in plan.waves if w.routes and not served[w.service]] == []


def _public_requests(log: str) -> int:
    """Requests in a werkzeug access log that were not internal API calls."""
    return sum(1 for line in log.splitlines() if " HTTP/1." in line and '"POST /_strangler/' not in line)


def test_first_wave_skeleton_smoke_test_and_project_are_valid(
    facts: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    import subprocess

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    from strangler.skeleton import SkeletonOptions, generate_skeletons
    from strangler.skeleton.layout import package_name

    codebase, decomposition, plan = facts
    first = plan.waves[0].service
    files = generate_skeletons(codebase, decomposition, EXAMPLE_APP, [first], SkeletonOptions())
    write_tree(tmp_path, files)
    service = tmp_path / "services" / first
    project = tomllib.loads((service / "pyproject.toml").read_text())
    assert project["project"]["scripts"] == {
        f"{package_name(first).replace('_', '-')}-service": f"{package_name(first)}.__main__:main"
    }
    # the example's own constraints (its pyproject.toml), the client's httpx
    assert {"flask>=3.0,<4", "sqlalchemy>=2.0,<2.2"} <= set(project["project"]["dependencies"])
    assert any(d.startswith("httpx>=") for d in project["project"]["dependencies"])
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=service,
        env={**os.environ, "PYTHONPATH": str(service)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout

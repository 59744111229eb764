"""Issue #14, `strangler plan PATH -o DIR --verify`: every nginx phase runs live on 127.0.0.1 with a stub
per upstream, every route of the plan and the negative probes are requested, and each answer must
come from the upstream the plan says; a planted misroute is caught (exit 1, the mismatch in the
table). Envoy and Gateway API, driven by the same route table, make the same decisions as nginx.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

import analyzers
from analyzers.model import Route
from analyzers.options import AnalysisOptions
from strangler.boundaries.pipeline import decomposition_for
from strangler.boundaries.settings import boundary_options
from strangler.cli import main
from strangler.plan import make_plan
from strangler.plan.extraction_plan import MONOLITH, ExtractionPlan
from strangler.proxy import envoy, gateway
from strangler.proxy import phases as phases_module
from strangler.proxy.matches import Match, RouteTable, route_table
from strangler.proxy.patterns import parse
from strangler.proxy.phases import Phase, ProxyOptions, phases, upstream_names, upstreams
from strangler.proxy.safety import internal_path
from strangler.verify import live, render_text, verify_plan
from strangler.verify.probes import probes, route_samples, sample_path
from tests import plan_support
from tests.conftest import EXAMPLE_APP, FIXTURES, REPO, require_tool
from tests.security.proxy_support import R, hostile_plan

pytestmark = pytest.mark.slow

#: Every fixture that is a source tree (check_example holds only a decomposition file).
FIXTURE_TREES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and any(p.rglob("*.py")))
_PHASE_LINE = re.compile(r"^  (phase-\S+)\s+routes verified\s+(\d+)\s+probes\s+(\d+)\s+mismatches\s+(\d+)")


@pytest.fixture(autouse=True)
def _fresh_phases() -> Iterator[None]:
    """`phases` caches its tables: a planted table must not outlive its test."""
    phases.cache_clear()
    yield
    phases.cache_clear()


@pytest.fixture(autouse=True)
def _nginx() -> None:
    require_tool("nginx")


def phase_counts(text: str) -> dict[str, tuple[int, int, int]]:
    """Phase → (routes verified, probes, mismatches) from the text report."""
    found = {}
    for line in text.splitlines():
        match = _PHASE_LINE.match(line)
        if match:
            found[match.group(1)] = (int(match.group(2)), int(match.group(3)), int(match.group(4)))
    return found


def plan_of(tree: Path) -> ExtractionPlan:
    codebase = analyzers.analyze(tree, AnalysisOptions(history=False, cache=False))
    return make_plan(codebase, decomposition_for(codebase, None, boundary_options({}, source="-")))


# -- passes on the example and on every fixture tree ------------------------------------------------


def test_verify_passes_on_the_example_app(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    command = [sys.executable, "-m", "strangler", "plan", str(EXAMPLE_APP), "-o", str(out), "--no-history"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [*command, "--verify"], capture_output=True, text=True, timeout=600, cwd=REPO, env=env, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    counts = phase_counts(done.stdout)
    assert "verify: OK" in done.stdout and "phase-1.canary-10" in counts
    assert all(mismatches == 0 for _, _, mismatches in counts.values())
    assert all(routes > 0 for routes, _, _ in counts.values())  # the shop has routes, all checked


def plan_verify(tree: Path, out: Path) -> int:
    """`strangler plan TREE -o OUT --verify` in this process (so that a test can plant a table)."""
    return main(["plan", str(tree), "-o", str(out), "--no-history", "--no-cache", "-q", "--verify"])


@pytest.mark.parametrize("name", FIXTURE_TREES)
def test_verify_passes_on_every_fixture_tree(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = plan_verify(FIXTURES / name, tmp_path / "o")
    text = capsys.readouterr().out
    assert code == 0, text
    assert "verify: OK" in text
    assert phase_counts(text) and all(m == 0 for _, _, m in phase_counts(text).values())
    # unverified: only routes whose prefix the analysis could not read (no path to request)
    unverified = re.findall(r"^  (\S+ /\S*)$", text.split("unverified (no request", 1)[-1], re.M)
    routing = json.loads((tmp_path / "o/plan.json").read_text()).get("routing", {"held_back": []})
    unknown = {r for h in routing["held_back"] if "computed at run time" in h["reason"] for r in h["routes"]}
    assert set(unverified) <= unknown, unverified


# -- planted misroutes ----------------------------------------------------------------------------


def _with_catch_all(table: RouteTable) -> RouteTable:
    """A regex that takes every path starting with a lower-case letter, to the table's first service."""
    owners = table.owners()
    if not owners:
        return table
    planted = Match("regex", "^/[a-z].*$", owners[0], ("planted catch-all",), (9,))
    return dataclasses.replace(table, regex=(*table.regex, planted))


def _plant(monkeypatch: pytest.MonkeyPatch, wrap: Any) -> None:
    real = route_table
    monkeypatch.setattr(phases_module, "route_table", lambda owned, *a: wrap(real, owned, *a))


def test_verify_catches_a_catch_all_sent_to_a_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _plant(monkeypatch, lambda real, owned, *a: _with_catch_all(real(owned, *a)))
    assert plan_verify(FIXTURES / "fw_flask_app", tmp_path / "o") == 1
    out, err = capsys.readouterr()
    assert "verify: FAILED" in out and "| phase | request | kind | expected | got | route |" in out
    for path in ("/admin/", "/static/x.css", "/media/x.png", "/zqxstrangler/unknown"):
        assert f"| phase-1 | `{path}` | negative | monolith | about |" in out, path
    assert phase_counts(out)["phase-0"][2] == 0  # phase 0 moves nothing: nothing planted there
    assert "error: --verify:" in err and "reached another upstream than the plan says" in err


def _drop_books(route: Route) -> Route:
    if route.path == "/books/":
        return route
    return dataclasses.replace(route, path=route.path.removeprefix("/books"))


def test_verify_catches_a_table_that_dropped_a_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table is made from the routes without their `/books` prefix: `/books/1` no longer
    reaches the books service (`/1` does)."""
    _plant(monkeypatch, lambda real, owned, *a: real({_drop_books(r): o for r, o in owned.items()}, *a))
    assert plan_verify(FIXTURES / "fw_flask_app", tmp_path / "o") == 1
    out, err = capsys.readouterr()
    assert "| phase-2 | `/books/1` | route | books | monolith | DELETE /books/<int:book_id> |" in out
    row = "| phase-2 | `/books/1/reviews` | route | books | monolith | POST /books/<int:book_id>/reviews |"
    assert row in out
    assert "| phase-2.canary-10 |" not in out  # a canary may leave the route with the monolith
    wrong = sum(1 for line in out.splitlines() if line.startswith("| phase-"))  # (every later phase too)
    assert wrong >= 2
    assert f"error: --verify: {wrong} request(s) reached another upstream than the plan says" in err


# -- what counts, what is reported ----------------------------------------------------------------------


def test_samples_instantiate_parameters_and_regexes() -> None:
    def sample(path: str, regex: bool = False, framework: str = "flask") -> str | None:
        return sample_path(parse(Route(path, (), "h", "m", 1, framework, is_regex=regex)))  # type: ignore[arg-type]

    assert sample("/a/<int:x>/<x>/<uuid:u>/<path:p>") == "/a/1/x/123e4567-e89b-42d3-a456-426614174000/a/b"
    assert sample("/i/{item_id}/{rest:path}", framework="fastapi") == "/i/x/a/b"
    assert sample("/l/<any(en,de):lang>/") == "/l/de/"
    assert sample("^archive/(?P<y>[0-9]{4})/$", regex=True, framework="django") == "/archive/1111/"
    assert sample("^api/", regex=True, framework="django") == "/api/"
    assert sample("^x/(?=a)b$", regex=True, framework="django") is None  # no text satisfies it
    assert sample("^x/\\.\\./y$", regex=True, framework="django") is None  # nginx would read `/y`


def test_a_route_without_a_sample_is_unverified_not_passed() -> None:
    plan = hostile_plan({"odd": ["/odd/ok", R("^odd/(?=a)b/$", regex=True)]})
    report = verify_plan(plan)
    assert report.ok and report.unverified() == ("GET ^odd/(?=a)b/$",)
    assert all(p.unverified == ("GET ^odd/(?=a)b/$",) and p.routes == 2 for p in report.phases)
    assert "unverified (no request path could be made for them):" in render_text(report)


def test_probes_cover_negatives_neighbours_and_query_strings() -> None:
    plan = hostile_plan({"orders": ["/orders/<int:i>"]})
    targets = {
        p.target: p.kind for p in probes(route_samples(plan.route_owner()), "/_strangler/", ("/admin/",))
    }
    assert targets["/orders/1"] == "route" and targets["/orders/1?strangler-verify=1"] == "query"
    assert targets["/orders/1/x"] == targets["/orders/"] == targets["/orders"] == "neighbour"
    assert {"/", "/admin/", "/admin/x.css", "/zqxstrangler/unknown"} <= {
        t for t, k in targets.items() if k == "negative"
    }
    assert targets["/_strangler/x"] == targets["/_strangler"] == "internal"


def test_canary_phases_accept_the_service_or_the_monolith() -> None:
    plan = hostile_plan({"orders": ["/orders/<int:i>", "/orders/"]})
    report = verify_plan(plan, ProxyOptions(canary=(50, 100)))
    assert [p.phase for p in report.phases] == ["phase-0", "phase-1.canary-50", "phase-1"]
    assert report.ok and all(p.routes == 3 for p in report.phases)


# -- bounded, loopback only, always cleaned up ---------------------------------------------------------------


def test_nginx_listens_on_loopback_only_and_talks_to_loopback_stubs(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = live.write_conf

    def keep(directory: Path, name: str, text: str) -> Path:
        seen.append(text)
        return real(directory, name, text)

    monkeypatch.setattr(live, "write_conf", keep)
    assert verify_plan(make_plan(plan_support.codebase(), plan_support.decomposition())).ok
    assert seen and all(re.search(r"^\s*listen 127\.0\.0\.1:\d+;$", t, re.M) for t in seen)
    servers = [ln.strip() for t in seen for ln in t.splitlines() if re.match(r"\s*server \S+;$", ln)]
    assert servers and all(s.startswith("server 127.0.0.1:") for s in servers)


def test_an_interrupt_stops_nginx_and_the_stubs_and_removes_the_temp_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real_start = live._start

    def recording(*args: Any) -> subprocess.Popen[bytes]:
        started.append(real_start(*args))
        return started[-1]

    def interrupted(port: int, raw_path: str, timeout: float = 5.0) -> tuple[int, str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(live, "_start", recording)
    monkeypatch.setattr(live, "fetch", interrupted)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(KeyboardInterrupt):
        verify_plan(hostile_plan({"orders": ["/orders/<int:i>"]}))
    assert len(started) == 1 and started[0].poll() is not None
    assert list(tmp_path.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name.startswith("stub-")]


def test_a_config_nginx_refuses_is_an_error_not_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("strangler.proxy.nginx.full_conf", lambda *a: "this is not nginx;\n")
    with pytest.raises(live.VerifyError, match="nginx -t refused"):
        verify_plan(hostile_plan({"orders": ["/orders/<int:i>"]}))


# -- Envoy and Gateway API make the nginx table's decisions ----------------------------------------------


def nginx_decision(phase: Phase, path: str) -> str:
    if internal_path(path):
        return "deny"
    owner = phase.table.owner_of(path)
    return f"canary:{owner}" if owner == phase.canary else owner


def _owner_of_backends(refs: list[dict[str, Any]], owners: Mapping[str, str]) -> str:
    if len(refs) == 2:
        return f"canary:{owners[refs[0]['name']]}"
    return owners[refs[0]["name"]]


def envoy_decision(doc: dict[str, Any], clusters: Mapping[str, str], path: str) -> str:
    """Envoy takes the first route that matches: `path` exact, `prefix` a string prefix,
    `safe_regex` a full match (RE2; the generated regexes mean the same in Python)."""
    for route in doc["virtual_hosts"][0]["routes"]:
        match = route["match"]
        if (
            match.get("path") == path
            or ("prefix" in match and path.startswith(match["prefix"]))
            or ("safe_regex" in match and re.fullmatch(match["safe_regex"]["regex"], path))
        ):
            if "direct_response" in route:
                return "deny"
            action = route["route"]
            if "cluster" in action:
                return clusters[action["cluster"]]
            return _owner_of_backends(action["weighted_clusters"]["clusters"], clusters)
    raise AssertionError(f"no Envoy route for {path}")


def _gateway_answer(rule: dict[str, Any], backends: Mapping[str, str]) -> str:
    return _owner_of_backends(rule["backendRefs"], backends) if "backendRefs" in rule else "deny"


def gateway_decision(docs: list[dict[str, Any]], backends: Mapping[str, str], path: str) -> str:
    """Gateway API: an Exact match first, then the longest PathPrefix (element-wise; the generator
    writes prefixes only where no other owner's regex can match, as nginx's `^~`), then
    RegularExpression matches in rule order (implementation-specific in the API; the generator's
    order is most specific first), then the monolith's PathPrefix `/`."""
    exact, prefix, regex, root = [], [], [], []
    for doc in docs:
        for rule in doc["spec"]["rules"]:
            for match in rule["matches"]:
                kind, value = match["path"]["type"], match["path"]["value"]
                answer = _gateway_answer(rule, backends)
                if kind == "Exact" and value == path:
                    exact.append(answer)
                elif kind == "PathPrefix" and value == "/":
                    root.append(answer)
                elif kind == "PathPrefix" and (path == value or path.startswith(value.rstrip("/") + "/")):
                    prefix.append((-len(value), answer))
                elif kind == "RegularExpression" and re.fullmatch(value, path):
                    regex.append(answer)
    if exact:
        return exact[0]
    if prefix:
        return str(min(prefix)[1])
    return (regex or root)[0]


def _decisions(plan: ExtractionPlan, options: ProxyOptions) -> Iterator[tuple[str, str, str, str, str]]:
    names = upstream_names(list(upstreams(plan, options)))
    clusters = {name: owner for owner, name in names.items()}
    samples = route_samples(plan.route_owner())
    for phase in phases(plan, options):
        env = yaml.safe_load(envoy.render(plan, options)[f"envoy/{phase.name}.yaml"])
        docs = gateway.documents(plan, phase, options)
        backends = {b: o for o, b in gateway.Names.of(sorted({MONOLITH, *phase.moved})).backends.items()}
        for probe in probes(samples, "/_strangler/", ("/admin/", "/media/", "/static/")):
            if probe.target == "/_strangler":
                continue  # nginx refuses the bare name too; Envoy leaves it to the monolith
            path = probe.path
            yield (
                phase.name,
                path,
                nginx_decision(phase, path),
                envoy_decision(env, clusters, path),
                gateway_decision(docs, backends, path),
            )


def _plans() -> dict[str, ExtractionPlan]:
    return {
        "fixture": make_plan(plan_support.codebase(), plan_support.decomposition()),
        "example": plan_of(EXAMPLE_APP),
        "fw_django_app": plan_of(FIXTURES / "fw_django_app"),
        "hostile": hostile_plan(
            {
                "shop": [
                    "/shop/",
                    "/shop/<int:i>",
                    "/static/<path:p>",
                    "/",
                    R("^blog/(?P<y>[0-9]{4})/$", regex=True),
                ],
                "spa": [R(".*", regex=True), "/catalog/a", "/catalog/b/<int:x>"],
            },
            monolith=("/catalog", "/health", "/shop/export"),
        ),
    }


@pytest.mark.parametrize("name", ["fixture", "example", "fw_django_app", "hostile"])
def test_envoy_and_gateway_make_the_nginx_tables_decisions(name: str) -> None:
    plan = _plans()[name]
    checked = 0
    for phase, path, by_nginx, by_envoy, by_gateway in _decisions(plan, ProxyOptions()):
        assert by_envoy == by_nginx, (phase, path, "envoy")
        assert by_gateway == by_nginx, (phase, path, "gateway")
        checked += 1
    assert checked > 30

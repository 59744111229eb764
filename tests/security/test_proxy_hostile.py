"""Issue #12, "safe on a hostile tree": route text, service names and upstreams come from the analyzed
tree and must never reroute traffic, in any of the three proxies (nginx, Gateway API, Envoy).

Each test builds its hostile input itself (`proxy_support.hostile_plan`); nginx ones run the real
nginx (`nginx -t`, and a live loopback run with stub upstreams for the internal API and the names).
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from strangler.exceptions import ConfigError
from strangler.plan.extraction_plan import ExtractionPlan
from strangler.proxy import envoy, gateway, nginx, render_proxy
from strangler.proxy.phases import ProxyOptions, phases, upstreams
from tests.builders import free_port, write_tree
from tests.conftest import REPO
from tests.security.proxy_support import (
    R,
    fetch,
    hostile_plan,
    nginx_test,
    running_nginx,
    stub,
)

_LOCATION = re.compile(r'^\s*location (=|\^~|~\*?) "((?:[^"\\]|\\.)*)" \{$')
#: Paths of the internal API, as a client may write them (nginx normalises all of them to it).
INTERNAL_PATHS = (
    "/_strangler/ops",
    "/_strangler/ops/",
    "/_strangler/ops/7",
    "/_strangler/a",
    "/_strangler/internal/",
    "/_strangler/x/internal/",
    "/_STRANGLER/b",
    "/_strangler/",
)


# -- reading the generated configs ----------------------------------------------------------------


def nginx_locations(text: str) -> list[tuple[str, str, str]]:
    """(modifier, value, what it does) of every location but the catch-all, in file order."""
    lines = text.splitlines()
    found = []
    for index, line in enumerate(lines):
        match = _LOCATION.match(line)
        if match:
            found.append((match.group(1), match.group(2), lines[index + 1].strip()))
    return found


def routed_locations(text: str) -> list[tuple[str, str, str]]:
    """The locations that forward (not the deny ones)."""
    return [loc for loc in nginx_locations(text) if loc[2].startswith("proxy_pass")]


def nginx_takes(location: tuple[str, str, str], path: str) -> bool:
    modifier, value, _ = location
    if modifier == "=":
        return value == path
    if modifier == "^~":
        return path.startswith(value)
    return re.search(value, path, re.IGNORECASE if modifier == "~*" else 0) is not None


def normalised(path: str) -> str:
    """What nginx matches: percent-decoded, merged slashes, dot segments resolved."""
    text = posixpath.normpath(re.sub("/+", "/", unquote(path)))
    return text + "/" if path.endswith("/") and text != "/" else text


def gateway_docs(files: dict[str, str], phase: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load_all(files[f"proxy/gateway/{phase}.yaml"]))


def gateway_winner(docs: list[dict[str, Any]], path: str) -> str:
    """The HTTPRoute the Gateway API picks for `path` among Exact and PathPrefix matches: Exact
    first, then the longest prefix; ties by name (the routes are created together)."""
    exact, prefixes = [], []
    for doc in docs:
        for rule in doc["spec"]["rules"]:
            for m in rule["matches"]:
                kind, value = m["path"]["type"], m["path"]["value"]
                if kind == "Exact" and value == path:
                    exact.append(doc["metadata"]["name"])
                under = value == "/" or path == value or path.startswith(value.rstrip("/") + "/")
                if kind == "PathPrefix" and under:
                    prefixes.append((-len(value), doc["metadata"]["name"]))
    return str(min(exact) if exact else min(prefixes)[1])


def gateway_regexes(docs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (doc["metadata"]["name"], m["path"]["value"])
        for doc in docs
        for rule in doc["spec"]["rules"]
        for m in rule["matches"]
        if m["path"]["type"] == "RegularExpression"
    ]


def envoy_routes(files: dict[str, str], phase: str) -> list[dict[str, Any]]:
    doc = yaml.safe_load(files[f"proxy/envoy/{phase}.yaml"])
    return list(doc["virtual_hosts"][0]["routes"])


def envoy_takes(route: dict[str, Any], path: str) -> bool:
    match = route["match"]
    if "path" in match:
        return bool(match["path"] == path)
    if "prefix" in match:
        return path.startswith(match["prefix"])
    return re.fullmatch(match["safe_regex"]["regex"], path) is not None


def envoy_first(routes: list[dict[str, Any]], path: str) -> dict[str, Any]:
    return next(r for r in routes if envoy_takes(r, path))


def directives(text: str) -> list[str]:
    """The lines of a generated file that are not comments."""
    return [ln for ln in text.splitlines() if not ln.strip().startswith("#")]


def held_back(text: str) -> str:
    """The 'never routed' diagnostics of a generated file, joined into one line."""
    lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip().startswith("#")]
    return " ".join(lines)


def phase_names(plan: ExtractionPlan, options: ProxyOptions) -> list[str]:
    return [p.name for p in phases(plan, options)]


def check_nginx(files: dict[str, str], tmp_path: Path, names: list[str]) -> None:
    write_tree(tmp_path, files)
    for name in names:
        result = nginx_test(tmp_path / f"proxy/nginx/{name}.conf", tmp_path / f"run-{name}")
        assert result.returncode == 0, f"{name}\n{result.stderr}"


# -- 1. the internal API is never reachable --------------------------------------------------------


def test_a_service_route_under_the_internal_prefix_never_answers_through_nginx(tmp_path: Path) -> None:
    """A service owning `/_strangler/ops` made `location = "/_strangler/ops"`, which beats the
    `^~` deny block: the internal API answered through the proxy. Live nginx, stub upstreams."""
    plan = hostile_plan({"ops": ["/_strangler/ops", "/x"]})
    port = free_port()
    with stub("monolith") as mono, stub("ops") as ops:
        options = ProxyOptions(
            listen=port,
            monolith_upstream=f"127.0.0.1:{mono}",
            service_upstreams=(("ops", f"127.0.0.1:{ops}"),),
        )
        write_tree(tmp_path, render_proxy(plan, options))
        with running_nginx(tmp_path / "proxy/nginx/phase-1.conf", tmp_path / "run", port):
            assert fetch(port, "/x") == (200, "ops")
            assert fetch(port, "/health") == (200, "monolith")
            assert fetch(port, "/elsewhere") == (200, "monolith")
            for raw in (
                "/_strangler/ops",
                "/_strangler/ops/",
                "//_strangler/ops",
                "/%5Fstrangler/ops",
                "/_STRANGLER/ops",
                "/x/../_strangler/ops",
                "/./_strangler/ops",
                "/_strangler",
            ):
                assert fetch(port, raw) == (404, ""), raw


HOSTILE_INTERNAL: list[str | R] = [
    "/_strangler/ops",
    "/_strangler/ops/<int:n>",
    "//_strangler/a",
    "/_STRANGLER/b",
    "/%5Fstrangler/c",
    "/./_strangler/d",
    "/x/../_strangler/e",
    "/<name>/ops",  # a parameter can be "_strangler"
    "/<path:rest>",  # so can a path
    R("^(?P<a>[^/]+)/internal/$", regex=True),
    R("^_strangler/", regex=True),
    R("^(?i)_STRANGLER/x/", regex=True),
]


def test_no_route_that_can_reach_the_internal_api_is_emitted_anywhere(tmp_path: Path) -> None:
    """Variants nginx normalises to the prefix, case variants, and regexes that can match under it
    stay with the monolith, with a diagnostic, in nginx, Gateway API and Envoy alike."""
    plan = hostile_plan({"ops": [*HOSTILE_INTERNAL, "/x"]}, monolith=("/health", "/_strangler/ping"))
    options = ProxyOptions(listen=free_port())
    files = render_proxy(plan, options)
    for name in phase_names(plan, options):
        text = files[f"proxy/nginx/{name}.conf"]
        for location in routed_locations(text):
            assert not any(nginx_takes(location, p) for p in INTERNAL_PATHS), (name, location)
            if location[0] in ("=", "^~"):
                assert not normalised(location[1]).lower().startswith("/_strangler"), (name, location)
        assert all(
            p in ("/_strangler/", "^/_strangler(/|$)")
            for _, p, action in nginx_locations(text)
            if action == "return 404;"
        )
        docs = gateway_docs(files, name)
        for path in INTERNAL_PATHS:  # (Gateway paths are case-sensitive: a case variant is no service's)
            allowed = {"strangler-internal-denied", *(["strangler-monolith"] if "STRANGLER" in path else [])}
            assert gateway_winner(docs, path) in allowed, (name, path)
        assert not [
            (n, rx) for n, rx in gateway_regexes(docs) if any(re.fullmatch(rx, p) for p in INTERNAL_PATHS)
        ]
        routes = envoy_routes(files, name)
        for path in (*INTERNAL_PATHS, "//_strangler/a", "/%5Fstrangler/c", "/./_strangler/d"):
            first = envoy_first(routes, path)  # the deny, or the monolith's cluster
            assert "route" not in first or first["route"] == routes[-1]["route"], (name, path)
    phase1 = files["proxy/nginx/phase-1.conf"]
    assert [loc[1] for loc in routed_locations(phase1)] == ["/x"]
    assert held_back(phase1).count("never routed") == len(HOSTILE_INTERNAL)
    assert held_back(phase1).count("path of the internal API") == len(HOSTILE_INTERNAL) - 1  # (%: text)
    check_nginx(files, tmp_path, ["phase-0", "phase-1", "phase-1.canary-10"])


def test_gateway_deny_cannot_be_beaten_by_an_exact_match() -> None:
    """Gateway API precedence puts any Exact match before every PathPrefix: a service's Exact
    `/_strangler/ops` beat the deny's PathPrefix. No match under the prefix is written for an owner,
    and the deny rule matches the prefix with Exact as well as PathPrefix."""
    plan = hostile_plan({"ops": ["/_strangler/ops", "/_strangler/", "/_strangler", "/x"]})
    files = render_proxy(plan, ProxyOptions())
    for name in phase_names(plan, ProxyOptions()):
        docs = gateway_docs(files, name)
        (deny,) = [d for d in docs if d["metadata"]["name"] == "strangler-internal-denied"]
        (rule,) = deny["spec"]["rules"]
        assert "backendRefs" not in rule
        paths = [m["path"] for m in rule["matches"]]
        assert {"type": "PathPrefix", "value": "/_strangler"} in paths
        assert {"type": "Exact", "value": "/_strangler"} in paths
        assert {"type": "Exact", "value": "/_strangler/"} in paths
        for path in ("/_strangler/ops", "/_strangler/", "/_strangler"):
            assert gateway_winner(docs, path) == "strangler-internal-denied", (name, path)
        assert gateway_winner(docs, "/x") == (
            "strangler-svc-ops" if name != "phase-0" else "strangler-monolith"
        )


# -- 2. no service name takes a built-in name ------------------------------------------------------


def test_a_service_named_monolith_never_takes_the_catch_all(tmp_path: Path) -> None:
    """A package `monolith` became the service `monolith` and took over `upstream
    strangler_monolith`: the catch-all went to it. Live nginx, stub upstreams."""
    plan = hostile_plan({"monolith": ["/m/a"], "internal_denied": ["/d/x"], "ops": ["/o/x"]})
    port = free_port()
    with (
        stub("the-monolith") as mono,
        stub("svc-monolith") as fake,
        stub("denied") as den,
        stub("ops") as ops,
    ):
        options = ProxyOptions(
            listen=port,
            monolith_upstream=f"127.0.0.1:{mono}",
            service_upstreams=(
                ("internal_denied", f"127.0.0.1:{den}"),
                ("monolith", f"127.0.0.1:{fake}"),
                ("ops", f"127.0.0.1:{ops}"),
            ),
        )
        files = render_proxy(plan, options)
        last = [p for p in phases(plan, options) if not p.canary][-1].name
        write_tree(tmp_path, files)
        with running_nginx(tmp_path / f"proxy/nginx/{last}.conf", tmp_path / "run", port):
            assert fetch(port, "/anything") == (200, "the-monolith")
            assert fetch(port, "/health") == (200, "the-monolith")
            assert fetch(port, "/d/x") == (200, "denied")
            assert fetch(port, "/o/x") == (200, "ops")
            assert fetch(port, "/m/a") == (200, "the-monolith")  # indistinguishable: stays
            assert fetch(port, "/_strangler/x") == (404, "")
    assert render_proxy(plan, options) == files  # deterministic


CLASHING = [
    "monolith",
    "Monolith",
    "strangler_monolith",
    "internal_denied",
    "internal-denied",
    "svc_x",
    "svc-x",
]


def _clashing_plan() -> ExtractionPlan:
    return hostile_plan({name: [f"/r{i}/a", f"/r{i}/<int:n>"] for i, name in enumerate(CLASHING)})


def test_gateway_names_are_unique_and_the_deny_route_is_never_replaced() -> None:
    """A service `internal_denied` gave a second HTTPRoute `strangler-internal-denied`, which
    replaced the deny rule. Every name is unique, and backends never name the monolith's."""
    plan = _clashing_plan()
    for name, text in gateway.render(plan, ProxyOptions()).items():
        docs = list(yaml.safe_load_all(text))
        names = [d["metadata"]["name"] for d in docs]
        assert len(names) == len(set(names)), (name, names)
        (deny,) = [d for d in docs if d["metadata"]["name"] == "strangler-internal-denied"]
        assert all("backendRefs" not in rule for rule in deny["spec"]["rules"])
        for doc in docs:
            refs = [r["name"] for rule in doc["spec"]["rules"] for r in rule.get("backendRefs", [])]
            if doc["metadata"]["name"] == "strangler-monolith":
                assert set(refs) == {"monolith"}
            elif doc["metadata"]["name"] != "strangler-internal-denied":
                assert refs and all(r != "monolith" or "weight" in str(doc) for r in refs), doc
        assert gateway_winner(docs, "/no/such/route") == "strangler-monolith"


def test_envoy_and_nginx_keep_the_monolith_upstream_whatever_the_service_names() -> None:
    plan = _clashing_plan()
    options = ProxyOptions(monolith_upstream="10.9.9.9:8000")
    files = render_proxy(plan, options)
    for name in phase_names(plan, options):
        text = files[f"proxy/envoy/{name}.yaml"]
        clusters = dict(
            item.split(" = ") for item in text.split("# Clusters: ", 1)[1].split("\n", 1)[0].split(", ")
        )
        assert len(clusters) == len(set(clusters.values())) or name == "phase-0"
        routes = envoy_routes(files, name)
        assert len({r["name"] for r in routes}) == len(routes), name
        assert clusters[routes[-1]["route"]["cluster"]] == "10.9.9.9:8000", name
        conf = files[f"proxy/nginx/{name}.server.conf"]
        servers = dict(re.findall(r"upstream (\S+) \{\n    server (\S+);", conf))
        assert len(servers) == len(set(servers.values())), name
        catch_all = re.search(r"location / \{\n        proxy_pass http://(\S+);", conf)
        assert catch_all is not None and servers[catch_all.group(1)] == "10.9.9.9:8000", name


# -- 3. no catastrophic backtracking ---------------------------------------------------------------


def _run_bounded(code: str, timeout: float = 30.0) -> str:
    """Run `code` in a fresh interpreter; a hang fails the test after `timeout` seconds."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish in {timeout}s")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_overlap_checks_are_bounded_on_nested_quantifiers() -> None:
    """`(a|aa)+$` against 42 characters took 99 s in the plan's overlap check; a budget makes the
    answer fast, exact where the automaton can tell, and "may match" (conservative) beyond it."""
    out = _run_bounded(
        """
        import time
        from strangler.proxy.patterns import could_match
        start = time.monotonic()
        print(could_match("^/x/(a|aa)+$", "/x/" + "a" * 42 + "b"))
        print(could_match("^/x/(a|aa)+$", "/x/" + "a" * 42))
        print(could_match("^/(a+)+$", "/" + "a" * 60 + "!"))
        print(could_match("^/.+/.+/.+/.+x$", "/" * 50000))
        print(round(time.monotonic() - start, 1))
        """
    )
    *answers, seconds = out.split()
    assert answers == ["False", "True", "False", "True"]
    assert float(seconds) < 10


def test_a_hazardous_regex_route_stays_with_the_monolith(tmp_path: Path) -> None:
    """A route regex that can backtrack catastrophically is never written into a config: the route
    stays with the monolith with a diagnostic, and so does a service route that would need it as
    a guard. The plan with a 42-character literal next to it renders in bounded time."""
    out = _run_bounded(
        """
        import time
        from strangler.proxy import render_proxy
        from tests.security.proxy_support import R, hostile_plan
        plan = hostile_plan(
            {"evil": [R("^x/(a|aa)+$", regex=True), R("^y/(a+)+$", regex=True), "/ok", "/z/<path:p>"]},
            monolith=["/x/" + "a" * 42 + "b", R("^z/(b|bb)+$", regex=True)],
        )
        start = time.monotonic()
        render_proxy(plan)
        print(round(time.monotonic() - start, 1))
        """
    )
    assert float(out) < 10
    plan = hostile_plan(
        {"evil": [R("^x/(a|aa)+$", regex=True), R("^y/(a+)+$", regex=True), "/ok", "/z/<path:p>"]},
        monolith=["/x/" + "a" * 42 + "b", R("^z/(b|bb)+$", regex=True)],
    )
    files = render_proxy(plan, ProxyOptions(listen=free_port()))
    for rel, text in files.items():
        for hazard in ("(a|aa)", "(a+)+", "(b|bb)"):
            assert not [ln for ln in directives(text) if hazard in ln], (rel, hazard)
    phase1 = files["proxy/nginx/phase-1.conf"]
    assert [(m, v) for m, v, _ in routed_locations(phase1)] == [("=", "/ok")]
    notes = held_back(phase1)
    assert notes.count("backtrack catastrophically") == 3  # x, y and the monolith's z
    assert "GET /z/<path:p> (evil): overlaps" in notes
    for text in (files["proxy/envoy/phase-1.yaml"], files["proxy/gateway/phase-1.yaml"]):
        assert held_back(text).count("backtrack catastrophically") == 3
    check_nginx(files, tmp_path, ["phase-1", "phase-1.canary-10"])


# -- 4. route text never changes a config's meaning ------------------------------------------------


def test_a_query_string_is_no_part_of_a_location(tmp_path: Path) -> None:
    """nginx never matches the query string: `/set-password?uid=<uid>` is the path `/set-password`."""
    plan = hostile_plan({"accounts": ["/set-password?uid=<uid>", "/login?next=/", "/x/<int:n>?a=1"]})
    files = render_proxy(plan, ProxyOptions(listen=free_port()))
    nginx_conf = files["proxy/nginx/phase-1.conf"]
    assert [(m, v) for m, v, _ in routed_locations(nginx_conf)] == [
        ("=", "/login"),
        ("=", "/set-password"),
        ("=", "/x"),  # the bare path keeps its owner: nginx would redirect it to /x/ (the service)
        ("^~", "/x/"),
    ]
    routes = envoy_routes(files, "phase-1")
    assert [r["match"] for r in routes[1:-1]] == [
        {"path": "/login"},
        {"path": "/set-password"},
        {"path": "/x"},
        {"prefix": "/x/"},
    ]
    docs = gateway_docs(files, "phase-1")
    assert gateway_winner(docs, "/set-password") == "strangler-svc-accounts"
    check_nginx(files, tmp_path, ["phase-1"])


ROUTED_TEXT = ["/c;d", "/c$d", "/c'd"]  # path characters: written as \xHH escapes, same meaning
REFUSED_TEXT: list[str | R] = [
    "/a\x00b",
    "/a\nb",
    '/a"b',
    "/a{b}",
    "/a b",
    "/\u00fcn\u00efcode",
    "/a\\b",
    "/a%2Fb",
    "/tab\tx",
    R('^q"r/$', regex=True),
    R("^caf\u00e9/$", regex=True),
    R("^sp ace/$", regex=True),
    R("/f/{x", framework="fastapi"),
]


def _path(spec: str | R) -> str:
    return spec.path if isinstance(spec, R) else spec


def test_route_text_is_escaped_exactly_or_held_back(tmp_path: Path) -> None:
    """NUL, newlines, quotes, braces, spaces, backslashes, `%` and non-ASCII never reach a config as
    a route; `;`, `$` and `'` (path characters) are routed, escaped so they mean themselves."""
    plan = hostile_plan({"text": [*ROUTED_TEXT, *REFUSED_TEXT, "/plain"]})
    files = render_proxy(plan, ProxyOptions(listen=free_port()))
    phase1 = files["proxy/nginx/phase-1.conf"]
    locations = routed_locations(phase1)
    for path in [*ROUTED_TEXT, "/plain"]:
        assert [loc for loc in locations if nginx_takes(loc, path)], path
    for spec in REFUSED_TEXT:
        probe = _path(spec) if not isinstance(spec, R) or not spec.regex else "/" + _path(spec)[1:-2] + "/"
        assert not [loc for loc in locations if nginx_takes(loc, probe)], spec
    assert len(locations) == len(ROUTED_TEXT) + 1
    for _, value, _ in locations:
        assert value.isascii() and value.isprintable() and " " not in value, value
    assert held_back(phase1).count("never routed") == len(REFUSED_TEXT)
    routes = envoy_routes(files, "phase-1")
    assert len(routes) == len(ROUTED_TEXT) + 3  # deny, the routed ones, /plain, the catch-all
    for path in [*ROUTED_TEXT, "/plain"]:
        assert envoy_first(routes, path)["route"] == {"cluster": "strangler_svc_text"}, path
    docs = gateway_docs(files, "phase-1")
    (svc,) = [d for d in docs if d["metadata"]["name"] == "strangler-svc-text"]
    assert sum(len(rule["matches"]) for rule in svc["spec"]["rules"]) == len(ROUTED_TEXT) + 1
    check_nginx(files, tmp_path, ["phase-1", "phase-1.canary-50"])


# -- 5. short nginx variable names -----------------------------------------------------------------


def test_canary_configs_pass_nginx_whatever_the_service_name_length(tmp_path: Path) -> None:
    """`split_clients` named its variable after the service: 30+ characters failed `nginx -t` with
    "could not build variables_hash". Names are short, distinct and deterministic."""
    long_a = "payments_and_invoicing_and_reconciliation_subsystem_" + "x" * 20
    long_b = "payments_and_invoicing_and_reconciliation_subsystem_" + "y" * 20
    plan = hostile_plan({long_a: ["/a/<int:n>", "/a/"], long_b: ["/b/<int:n>", "/b/"]})
    options = ProxyOptions(listen=free_port())
    files = render_proxy(plan, options)
    names = phase_names(plan, options)
    assert "phase-2.canary-10" in names
    check_nginx(files, tmp_path, names)
    text = files["proxy/nginx/phase-2.canary-10.conf"]
    variables = set(re.findall(r"\$strangler_\w+", text))
    assert variables and all(len(v) <= 32 for v in variables), variables
    upstream_names = re.findall(r"upstream (\S+) \{", text)
    assert len(upstream_names) == len(set(upstream_names)) == 3
    assert all(len(n) <= 64 for n in upstream_names)
    assert render_proxy(plan, options) == files


# -- 6. upstream addresses -------------------------------------------------------------------------

BAD_UPSTREAMS = [
    "127.0.0.1:8000\n",
    "host:80\n",
    "127.0.0.1:8000;",
    "999.1.1.1:80",
    "1.2.3:80",
    "[::1%eth0]:80",
    "[zz::1]:80",
    "unix:/tmp/app.sock",
    "h:0",
    "h:65536",
    "h:+80",
    "h: 80",
    "-h:80",
    "h-:80",
    "a..b:80",
    ":80",
    "h:",
    "h",
    "h\u00fc:80",
    "host:80 backup",
]


@pytest.mark.parametrize("address", BAD_UPSTREAMS)
def test_every_renderer_refuses_an_upstream_that_is_not_host_port(address: str) -> None:
    plan = hostile_plan({"orders": ["/orders/"]})
    for options in (
        ProxyOptions(monolith_upstream=address),
        ProxyOptions(service_upstreams=(("orders", address),)),
    ):
        with pytest.raises(ConfigError):
            upstreams(plan, options)
        for renderer in (nginx.render, envoy.render, gateway.render):
            with pytest.raises(ConfigError):
                renderer(plan, options)


@pytest.mark.parametrize("address", ["127.0.0.1:8000", "[::1]:9000", "orders.internal:80", "localhost:65535"])
def test_good_upstreams_are_accepted(address: str) -> None:
    plan = hostile_plan({"orders": ["/orders/"]})
    assert upstreams(plan, ProxyOptions(monolith_upstream=address))["monolith"] == address

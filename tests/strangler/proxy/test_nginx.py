"""nginx phase configs: golden output, `nginx -t` on every file with the real nginx, and no injection."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from analyzers.model import Module, Route
from strangler.boundaries.decomposition import Assignment, Decomposition, Service
from strangler.exceptions import ConfigError
from strangler.plan import make_plan
from strangler.plan.extraction_plan import ExtractionPlan
from strangler.proxy import render_proxy
from strangler.proxy.phases import ProxyOptions, upstreams
from tests import plan_support
from tests.conftest import GOLDEN, require_tool

GOLDEN = GOLDEN / "proxy_fixture"
UPDATE = os.environ.get("STRANGLER_UPDATE_GOLDEN") == "1"


def fixture_plan() -> ExtractionPlan:
    return make_plan(plan_support.codebase(), plan_support.decomposition())


def test_golden_proxy_files() -> None:
    files = render_proxy(fixture_plan(), ProxyOptions())
    if UPDATE:
        for rel, text in files.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
    assert sorted(files) == expected
    for rel, text in files.items():
        assert text == (GOLDEN / rel).read_text(encoding="utf-8"), rel


def test_output_is_byte_identical_across_runs() -> None:
    assert render_proxy(fixture_plan()) == render_proxy(fixture_plan())


def test_phases_and_canaries_are_named_by_wave() -> None:
    names = sorted(
        p for p in render_proxy(fixture_plan()) if p.startswith("proxy/nginx/") and p.endswith(".server.conf")
    )
    # 4 waves; notifications (wave 1) has no routes, so no canary variants
    assert names == sorted(
        ["proxy/nginx/phase-0.server.conf", "proxy/nginx/phase-1.server.conf"]
        + [
            f"proxy/nginx/phase-{k}{c}.server.conf"
            for k in (2, 3, 4)
            for c in ("", ".canary-10", ".canary-50")
        ]
    )


def nginx_test(conf: Path, prefix: Path) -> subprocess.CompletedProcess[str]:
    nginx = require_tool("nginx")
    return subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )


def _write(files: dict[str, str], root: Path) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_nginx_accepts_every_phase_file(tmp_path: Path) -> None:
    files = render_proxy(fixture_plan(), ProxyOptions(listen=18080))
    _write(files, tmp_path)
    confs = sorted(p for p in files if p.startswith("proxy/nginx/"))
    assert confs
    for rel in confs:
        prefix = tmp_path / ("run-" + rel.replace("/", "_"))
        prefix.mkdir()
        conf = tmp_path / rel
        if rel.endswith(".server.conf"):  # the snippet goes inside http {} of an existing nginx
            host = prefix / "host.conf"
            host.write_text(
                "pid nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n"
                "client_body_temp_path cb; proxy_temp_path px; fastcgi_temp_path fc;\n"
                "uwsgi_temp_path uw; scgi_temp_path sc;\n"
                f"access_log off;\ninclude {conf};\n}}\n"
            )
            conf = host
        result = nginx_test(conf, prefix)
        assert result.returncode == 0, f"{rel}\n{result.stderr}"


def test_runtime_dir_makes_paths_absolute(tmp_path: Path) -> None:
    files = render_proxy(fixture_plan(), ProxyOptions(runtime_dir=str(tmp_path / "rt")))
    text = files["proxy/nginx/phase-1.conf"]
    assert f"pid {tmp_path}/rt/nginx.pid;" in text
    assert f"proxy_temp_path {tmp_path}/rt/proxy_temp;" in text


NASTY = [
    '/a";}\n    server { listen 1; }\n#',
    "/x'; return 200 pwned; #",
    "/$host/${uri}/{}",
    '/back\\slash\\"/<int:id>',
    "/ünïcode/\t/\r/<name>",
    "/semi;colon",
    "/ok/<path:rest>",
]


def _nasty_plan() -> ExtractionPlan:
    from analyzers.model import Codebase

    routes = (
        *(
            Route(path, ("GET",), f"evil.views.h{i}", "evil.views", i + 1, "flask")
            for i, path in enumerate(NASTY)
        ),
        Route(
            '^dj";}/(?P<x>[0-9]+)\n$', ("GET",), "evil.views.dj", "evil.views", 20, "django", is_regex=True
        ),
        Route("/plain", ("GET",), "app.h", "app", 1, "flask"),
    )
    codebase = Codebase(
        root="/x",
        modules=(Module("app", "app.py", 5), Module("evil.views", "evil/views.py", 5)),
        routes=tuple(sorted(routes)),
    )
    decomposition = Decomposition(
        services=(Service('evil";svc', ("evil.views",)),),
        shared_kernel=(),
        assignments=(Assignment("evil.views", 'evil";svc', "test"),),
    )
    return make_plan(codebase, decomposition)


def test_route_text_cannot_inject_nginx_configuration(tmp_path: Path) -> None:
    files = render_proxy(_nasty_plan(), ProxyOptions(listen=18081))
    text = files["proxy/nginx/phase-1.conf"]
    # comments may quote route text (escaped, one line); the directives come from us alone
    directives = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert sum(d.startswith("server {") for d in directives) == 1
    assert [d for d in directives if d.startswith("listen")] == ["listen 127.0.0.1:18081;"]
    assert not any("pwned" in d or "listen 1;" in d for d in directives if not d.startswith("location"))
    assert "upstream strangler_svc_evil__svc {" in directives
    for d in directives:
        if d.startswith("location") and d != "location / {":
            assert d.count('"') == 2 and d.endswith("{"), d
    _write(files, tmp_path)
    for rel in ("proxy/nginx/phase-1.conf", "proxy/nginx/phase-1.canary-10.conf", "proxy/nginx/phase-0.conf"):
        prefix = tmp_path / rel.replace("/", "_")
        prefix.mkdir()
        result = nginx_test(tmp_path / rel, prefix)
        assert result.returncode == 0, f"{rel}\n{result.stderr}\n{(tmp_path / rel).read_text()}"


@pytest.mark.parametrize(
    "address", ["127.0.0.1:8000;", "host:80 backup", "a:99999", "x", "h:1;} server {", "unix:/a b"]
)
def test_upstream_addresses_are_checked(address: str) -> None:
    with pytest.raises(ConfigError):
        upstreams(fixture_plan(), ProxyOptions(monolith_upstream=address))


def test_upstreams_default_by_wave_and_accept_overrides() -> None:
    plan = fixture_plan()
    got = upstreams(plan, ProxyOptions(service_upstreams=(("orders", "[::1]:9000"),)))
    assert got["monolith"] == "127.0.0.1:8000"
    assert got["orders"] == "[::1]:9000"
    assert got[plan.waves[0].service] == "127.0.0.1:8001"
    with pytest.raises(ConfigError):
        upstreams(plan, ProxyOptions(service_upstreams=(("nope", "h:1"),)))


def test_nginx_accepts_django_regex_edge_cases(tmp_path: Path) -> None:
    from analyzers.model import Codebase
    from tests.strangler.proxy.test_matches import DJANGO_EDGE_CASES

    routes = tuple(
        sorted(
            Route(p, (), f"{o}.views.h{i}", f"{o}.views", i + 1, "django", is_regex=p.startswith("^"))
            for i, (p, o) in enumerate({**DJANGO_EDGE_CASES, "^/x/(?P<n>[^/]+)\\Z": "gamma"}.items())
        )
    )
    owners = sorted({r.module for r in routes})
    moved = [m for m in owners if not m.startswith("gamma")]  # gamma stays in the monolith
    modules = tuple(Module(m, m.replace(".", "/") + ".py", 5) for m in owners)
    codebase = Codebase(root="/x", modules=modules, routes=routes)
    decomposition = Decomposition(
        services=tuple(Service(m.split(".")[0], (m,)) for m in moved),
        shared_kernel=(),
        assignments=tuple(Assignment(m, m.split(".")[0], "test") for m in moved),
    )
    files = render_proxy(make_plan(codebase, decomposition), ProxyOptions(listen=18082))
    _write(files, tmp_path)
    confs = sorted(p for p in files if p.startswith("proxy/nginx/") and not p.endswith(".server.conf"))
    assert len(confs) == 7  # phase 0, then per wave (alpha, beta) two canaries and the phase
    for rel in confs:
        prefix = tmp_path / rel.replace("/", "_")
        prefix.mkdir()
        result = nginx_test(tmp_path / rel, prefix)
        assert result.returncode == 0, f"{rel}\n{result.stderr}"


def test_every_nginx_file_refuses_the_internal_api_before_any_route() -> None:
    """/_strangler/ (the skeletons' internal API) never passes the public proxy: an `^~` prefix
    location wins over every regex and every shorter prefix, in every phase and canary."""
    files = {p: t for p, t in render_proxy(fixture_plan()).items() if p.startswith("proxy/nginx/")}
    assert files
    for rel, text in files.items():
        locations = [line.strip() for line in text.splitlines() if line.strip().startswith("location ")]
        assert locations[0] == 'location ^~ "/_strangler/" {', rel
        deny = text.index('location ^~ "/_strangler/" {')
        assert text[deny:].split("}", 1)[0].split("{", 1)[1].strip() == "return 404;", rel


def test_internal_prefix_must_be_one_safe_segment() -> None:
    with pytest.raises(ConfigError):
        render_proxy(fixture_plan(), ProxyOptions(internal_prefix='/x";}'))


def test_a_service_with_hundreds_of_routes_under_one_prefix_passes_nginx(tmp_path: Path) -> None:
    """netbox: 250 API routes of one service under `/api/dcim/` made a 4 KiB comment line, which
    nginx refuses ("too long parameter"); route lists are now wrapped comment lines."""
    from analyzers.model import Codebase

    routes = tuple(
        sorted(
            Route(
                f"/api/dcim/things-{i:03d}/<pk>/",
                ("DELETE", "GET", "PATCH", "PUT"),
                f"api.views.V{i}",
                "api.views",
                i + 1,
                "django",
            )
            for i in range(250)
        )
    )
    modules = (Module("api.views", "api/views.py", 5), Module("app", "app.py", 5))
    codebase = Codebase(root="/x", modules=modules, routes=routes)
    decomposition = Decomposition(
        services=(Service("api", ("api.views",)),),
        shared_kernel=(),
        assignments=(Assignment("api.views", "api", "test"),),
    )
    files = render_proxy(make_plan(codebase, decomposition), ProxyOptions(listen=18083))
    _write(files, tmp_path)
    text = files["proxy/nginx/phase-1.conf"]
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "things-249" in text  # every route is still named
    prefix = tmp_path / "run"
    prefix.mkdir()
    result = nginx_test(tmp_path / "proxy/nginx/phase-1.conf", prefix)
    assert result.returncode == 0, result.stderr

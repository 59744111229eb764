"""Builders and a live loopback harness for the hostile-tree proxy tests.

`hostile_plan` makes an extraction plan from a hand-written route table (service name to route
paths), the way the proxy tests build theirs. `stub` is a loopback HTTP server that answers every
request with its own name (header `X-Stub`), and `running_nginx` runs a generated nginx.conf as the
current user with its prefix in a temp dir: both are `strangler.verify.live`'s, which
`strangler plan --verify` runs. Every wait is bounded and every process is stopped.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from analyzers.model import Codebase, Module, Route
from strangler.boundaries.decomposition import Assignment, Decomposition, Service
from strangler.plan import make_plan
from strangler.plan.extraction_plan import ExtractionPlan
from strangler.verify import live
from tests.builders import route
from tests.conftest import require_tool

STUB_HEADER = live.STUB_HEADER


@dataclass(frozen=True, slots=True)
class R:
    """A route of the hand-written table: a path, its framework, whether it is a Django regex."""

    path: str
    framework: str = "flask"
    regex: bool = False


def _route(spec: str | R, module: str, index: int) -> Route:
    r = spec if isinstance(spec, R) else R(spec)
    framework = "django" if r.regex else r.framework
    return route(
        r.path, module, handler=f"{module}.h{index}", line=index + 1, framework=framework, regex=r.regex
    )


def hostile_plan(
    services: Mapping[str, Sequence[str | R]], monolith: Sequence[str | R] = ("/health",)
) -> ExtractionPlan:
    """A plan with one module per service (`pkgN.views`) owning its routes, and `app` the rest."""
    modules = [Module("app", "app.py", 5)]
    assignments, cut, routes = [], [], []
    for n, (name, paths) in enumerate(sorted(services.items())):
        module = f"pkg{n}.views"
        modules.append(Module(module, f"pkg{n}/views.py", 5))
        cut.append(Service(name, (module,)))
        assignments.append(Assignment(module, name, "test"))
        routes += [_route(p, module, i) for i, p in enumerate(paths)]
    routes += [_route(p, "app", i) for i, p in enumerate(monolith)]
    codebase = Codebase(root="/x", modules=tuple(sorted(modules)), routes=tuple(sorted(routes)))
    decomposition = Decomposition(
        services=tuple(cut), shared_kernel=(), assignments=tuple(sorted(assignments))
    )
    return make_plan(codebase, decomposition)


def nginx_test(conf: Path, prefix: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on a complete generated config, with its own prefix directory."""
    return live.nginx_test(conf, prefix, require_tool("nginx"))


def stub(name: str) -> AbstractContextManager[int]:
    """A loopback HTTP server answering as `name`; yields its port (`strangler.verify.live.stub`)."""
    return live.stub(name)


def running_nginx(conf: Path, prefix: Path, port: int) -> AbstractContextManager[None]:
    """nginx on `conf` in the foreground (checked with `nginx -t` first); stopped on exit."""
    return live.running_nginx(conf, prefix, port, require_tool("nginx"))


def fetch(port: int, raw_path: str) -> tuple[int, str]:
    """GET `raw_path` exactly as written (no client normalisation): status and answering stub."""
    return live.fetch(port, raw_path, timeout=10)

"""Phases of the strangler fig: phase 0 sends everything to the monolith, phase k the routes of waves
1..k to their services; canary variants of phase k split wave k's routes by weight.

Also the proxy options every renderer shares, and the checks that keep option values (upstream
addresses, service names) from injecting configuration.
"""

from __future__ import annotations

import functools
import re
import textwrap
from dataclasses import dataclass

from strangler.errors import ConfigError
from strangler.plan.model import MONOLITH, ExtractionPlan
from strangler.proxy.routes import RouteTable, owners_for_phase, route_table

#: URL prefix of the internal API between the monolith and the extracted services.
INTERNAL_PREFIX = "/_strangler/"
_SAFE_PREFIX = re.compile(r"^/[A-Za-z0-9._~-]+/$")

_UPSTREAM = re.compile(
    r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,251}[A-Za-z0-9])?):[0-9]{1,5}$"
    r"|^unix:/[A-Za-z0-9._/\-]+$"
)


@dataclass(frozen=True, slots=True)
class ProxyOptions:
    """Where traffic goes and how the generated proxies listen."""

    listen: int = 8080
    monolith_upstream: str = "127.0.0.1:8000"
    service_upstreams: tuple[tuple[str, str], ...] = ()  # (service, HOST:PORT); default 127.0.0.1:8001+
    canary: tuple[int, ...] = (10, 50, 100)  # percentages; 100 is the phase itself
    canary_key: str = "$request_id"  # what split_clients hashes: $request_id (per request), $remote_addr...
    runtime_dir: str = ""  # nginx pid/temp/log directory; "" = relative to the prefix (`nginx -p DIR`)
    gateway: str = "strangler-gateway"  # Gateway API parentRef
    namespace: str = "default"
    backend_port: int = 80  # Kubernetes Service port of the monolith and of each service
    # Internal API of the generated skeletons and monolith patch (SkeletonOptions.internal_prefix
    # lies below it): refused from outside by every generated proxy; the processes call each other
    # directly (MONOLITH_URL, <SERVICE>_SERVICE_URL), never through the public proxy.
    internal_prefix: str = INTERNAL_PREFIX


@dataclass(frozen=True, slots=True)
class Phase:
    """One routing state: which services own their routes, and an optional canary split."""

    number: int
    moved: tuple[str, ...]  # services that own their routes (canary service included)
    table: RouteTable
    canary: str = ""  # service whose routes are split
    weight: int = 100  # percent of the canary service's traffic that goes to it

    @property
    def name(self) -> str:
        base = f"phase-{self.number}"
        return f"{base}.canary-{self.weight}" if self.canary else base

    def summary(self) -> str:
        if self.number == 0:
            return "phase 0: every request goes to the monolith"
        moved = ", ".join(self.moved)
        if self.canary:
            return (
                f"phase {self.number}, canary {self.weight}%: {self.weight}% of {self.canary}'s routes "
                f"go to {self.canary}, the rest to the monolith; services live: {moved}"
            )
        return f"phase {self.number}: the routes of {moved} go to their services, the rest to the monolith"


def check_upstream(value: str, what: str) -> str:
    """`value` if it is HOST:PORT, [IPv6]:PORT or unix:/path; ConfigError (exit 2) otherwise."""
    if not _UPSTREAM.match(value):
        raise ConfigError(
            f"{what}: {value!r} is not an upstream address",
            hint="use HOST:PORT (e.g. 127.0.0.1:8001), [IPv6]:PORT or unix:/path/to.sock",
        )
    port = value.rsplit(":", 1)[-1]
    if not value.startswith("unix:") and not 0 < int(port) < 65536:
        raise ConfigError(f"{what}: port {port} is out of range", hint="use a port from 1 to 65535")
    return value


def upstreams(plan: ExtractionPlan, options: ProxyOptions) -> dict[str, str]:
    """Service (and MONOLITH) to checked address; unnamed services get 127.0.0.1:8001, 8002, ..."""
    given = dict(options.service_upstreams)
    unknown = sorted(set(given) - {w.service for w in plan.waves})
    if unknown:
        raise ConfigError(
            f"--service-upstream names unknown service(s): {', '.join(unknown)}",
            hint="services of this plan: " + ", ".join(w.service for w in plan.waves),
        )
    result = {MONOLITH: check_upstream(options.monolith_upstream, "monolith upstream")}
    for wave in plan.waves:
        address = given.get(wave.service, f"127.0.0.1:{8000 + wave.order}")
        result[wave.service] = check_upstream(address, f"upstream of {wave.service}")
    return result


@functools.lru_cache(maxsize=4)  # the nginx, gateway and envoy renderers ask for the same phases
def phases(plan: ExtractionPlan, options: ProxyOptions) -> tuple[Phase, ...]:
    """Phase 0, then per wave its canary variants (weights below 100) and the full phase."""
    by_service = {w.service: w.routes for w in plan.waves}
    table = route_table(owners_for_phase(by_service, (), plan.monolith_routes))
    result = [Phase(0, (), table)]
    weights = sorted({w for w in options.canary if 0 < w < 100})
    for wave in plan.waves:
        moved = tuple(w.service for w in plan.waves[: wave.order])
        if wave.routes:  # (a wave without routes leaves every route where it was: same table)
            table = route_table(owners_for_phase(by_service, moved, plan.monolith_routes))
            result.extend(Phase(wave.order, moved, table, wave.service, w) for w in weights)
        result.append(Phase(wave.order, moved, table))
    return tuple(result)


def internal_prefix(options: ProxyOptions) -> str:
    """The checked internal prefix: `/name/`, safe to write literally into every config."""
    if not _SAFE_PREFIX.match(options.internal_prefix):
        raise ConfigError(
            f"internal prefix {options.internal_prefix!r} is not a /segment/ path",
            hint="use e.g. /_strangler/",
        )
    return options.internal_prefix


def check_canary(values: tuple[int, ...]) -> tuple[int, ...]:
    bad = [v for v in values if not 0 < v <= 100]
    if bad:
        raise ConfigError(
            f"--canary weights must be percentages from 1 to 100, got {bad}", hint="e.g. --canary 10,50,100"
        )
    return tuple(sorted(set(values)))


def config_name(name: str) -> str:
    """A service name as an identifier safe in every proxy config: [a-z0-9_] only."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", name.lower())
    return cleaned or "service"


def identifiers(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Each name to a distinct config identifier (config_name, numbered on collision)."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(names):
        base = config_name(name)
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}_{n}", n + 1
        taken.add(ident)
        result[name] = ident
    return result


#: Columns of a generated comment line (nginx refuses a line longer than its 4 KiB read buffer,
#: and a route list of a large service is longer than that).
COMMENT_WIDTH = 100


def comment_lines(text: str, indent: str = "") -> str:
    """`text` as `# ` comment lines of at most COMMENT_WIDTH columns, continuations indented."""
    width = max(20, COMMENT_WIDTH - len(indent) - 2)
    wrapped = textwrap.wrap(
        comment(text), width, subsequent_indent="  ", break_long_words=True, break_on_hyphens=False
    )
    return "".join(f"{indent}# {line}\n" for line in wrapped or [""])


def comment(text: str) -> str:
    """Text safe inside a one-line comment of any config language: no line breaks, ASCII only."""
    return "".join(
        c if c.isascii() and c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
        for c in text
    )

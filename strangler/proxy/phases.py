"""Phases of the strangler fig: phase 0 sends everything to the monolith, phase k the routes of waves
1..k to their services; canary variants of phase k split wave k's routes by weight.

Also the proxy options every renderer shares, the checks that keep option values (upstream
addresses, service names) from injecting configuration, and the names every renderer gives its
parts. Generated names are namespaced, so no service name can take a built-in one: the monolith is
`strangler_monolith` (nginx upstream, Envoy cluster), a service `strangler_svc_<name>`. A wave
named `monolith` never takes the monolith's upstream: the plan cannot tell its routes from the
monolith's, so they stay with the monolith and every config says so.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import ipaddress
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from strangler.exceptions import ConfigError
from strangler.names import upstream_problem
from strangler.plan.extraction_plan import MONOLITH, ExtractionPlan
from strangler.proxy import regexscan
from strangler.proxy.matches import Match, RouteTable, owners_for_phase, route_table
from strangler.proxy.safety import INTERNAL_PREFIX, RESERVED_PREFIXES, internal_path, internal_probe

_SAFE_PREFIX = re.compile(r"/[A-Za-z0-9._~-]+/")
#: The nginx upstream / Envoy cluster of the monolith; a service's is SERVICE_PREFIX + its identifier.
MONOLITH_UPSTREAM = "strangler_monolith"
SERVICE_PREFIX = "strangler_svc_"
#: Longest identifier made from a service name (longer ones are cut and end in a hash).
MAX_IDENTIFIER = 40


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
    # Paths that stay with the monolith whatever a service's routes say: static files, media, admin.
    reserved_prefixes: tuple[str, ...] = RESERVED_PREFIXES
    # The IPv4 address to bind (`listen ADDRESS:PORT`): loopback unless asked; "" = every address
    listen_address: str = "127.0.0.1"


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
    """`value` if it is HOST:PORT by the one rule of `strangler.names`; ConfigError (exit 2) otherwise."""
    problem = upstream_problem(value)
    if problem is not None:
        raise ConfigError(
            f"{what}: {problem}",
            hint="use HOST:PORT (e.g. 127.0.0.1:8001, orders.internal:80) or [IPv6]:PORT",
        )
    return value


def upstreams(plan: ExtractionPlan, options: ProxyOptions) -> dict[str, str]:
    """Service (and MONOLITH) to checked address; unnamed services get 127.0.0.1:8001, 8002, ...

    A wave named like the monolith gets no upstream: the plan cannot tell its routes from the
    monolith's, so they all stay with the monolith (`phases` says so in every config)."""
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
        checked = check_upstream(address, f"upstream of {wave.service}")
        if wave.service != MONOLITH:
            result[wave.service] = checked
    return result


@functools.lru_cache(maxsize=4)  # the nginx, gateway and envoy renderers ask for the same phases
def phases(plan: ExtractionPlan, options: ProxyOptions) -> tuple[Phase, ...]:
    """Phase 0, then per wave its canary variants (weights below 100) and the full phase."""
    internal, reserved = internal_prefix(options), reserved_prefixes(options)
    waves = [w for w in plan.waves if w.service != MONOLITH]
    by_service = {w.service: w.routes for w in waves}
    notes = _misnamed(plan)
    owned = owners_for_phase(by_service, (), plan.monolith_routes)
    table = _table(route_table(owned, internal, reserved), notes)
    result = [Phase(0, (), table)]
    weights = sorted({w for w in options.canary if 0 < w < 100})
    for wave in plan.waves:
        moved = tuple(w.service for w in waves if w.order <= wave.order)
        if wave.routes and wave.service != MONOLITH:  # (no routes: every route stays where it was)
            owned = owners_for_phase(by_service, moved, plan.monolith_routes)
            table = _table(route_table(owned, internal, reserved), notes)
            result.extend(Phase(wave.order, moved, table, wave.service, w) for w in weights)
        result.append(Phase(wave.order, moved, table))
    return tuple(result)


def _misnamed(plan: ExtractionPlan) -> tuple[str, ...]:
    return tuple(
        f"wave {w.order}: a service named {MONOLITH!r} cannot be told from the monolith; "
        "its routes stay with the monolith (rename the service)"
        for w in plan.waves
        if w.service == MONOLITH
    )


def _table(table: RouteTable, notes: tuple[str, ...]) -> RouteTable:
    return dataclasses.replace(table, refused=(*notes, *table.refused)) if notes else table


def held_back(phase: Phase) -> list[str]:
    """One line per route the phase leaves with the monolith, and why (for the configs' comments)."""
    conflicts = [f"left with the monolith, several owners: {c}" for c in phase.table.conflicts]
    return conflicts + [f"left with the monolith, never routed: {r}" for r in phase.table.refused]


def live_matches(phase: Phase, options: ProxyOptions) -> tuple[Match, ...]:
    """The phase's matches for the monolith and the services live in it, in table order.

    A last check before any renderer writes one: no match can take a path of the internal API
    (route_table never makes one; a table built otherwise is filtered here all the same)."""
    internal = internal_prefix(options)
    return tuple(
        m
        for m in phase.table.all()
        if (m.owner == MONOLITH or m.owner in phase.moved) and not _internal_match(m, internal)
    )


def _internal_match(match: Match, internal: str) -> bool:
    if match.kind != "regex":
        return internal_path(match.value, internal)
    return regexscan.intersects(match.value, internal_probe(internal)) is not False


def internal_prefix(options: ProxyOptions) -> str:
    """The checked internal prefix: `/name/`, safe to write literally into every config."""
    if not _SAFE_PREFIX.fullmatch(options.internal_prefix):
        raise ConfigError(
            f"internal prefix {options.internal_prefix!r} is not a /segment/ path",
            hint="use e.g. /_strangler/",
        )
    return options.internal_prefix


def reserved_prefixes(options: ProxyOptions) -> tuple[str, ...]:
    """The checked reserved prefixes: each a `/name/` path, like the internal prefix."""
    bad = [p for p in options.reserved_prefixes if not _SAFE_PREFIX.fullmatch(p)]
    if bad:
        raise ConfigError(f"reserved prefixes {bad!r} are not /segment/ paths", hint="use e.g. /static/")
    return tuple(sorted(set(options.reserved_prefixes)))


def listen_address(options: ProxyOptions) -> str:
    """`ADDRESS:PORT` (a checked IPv4 address) or the bare port, as nginx's `listen` takes it."""
    if not options.listen_address:
        return str(options.listen)
    try:
        address = ipaddress.IPv4Address(options.listen_address)
    except ValueError:
        raise ConfigError(
            f"listen address {options.listen_address!r} is no IPv4 address", hint="e.g. 127.0.0.1"
        ) from None
    return f"{address}:{options.listen}"


def check_canary(values: tuple[int, ...]) -> tuple[int, ...]:
    bad = [v for v in values if not 0 < v <= 100]
    if bad:
        raise ConfigError(
            f"--canary weights must be percentages from 1 to 100, got {bad}", hint="e.g. --canary 10,50,100"
        )
    return tuple(sorted(set(values)))


def config_name(name: str) -> str:
    """A service name as an identifier safe in every proxy config: [a-z0-9_] only, at most
    MAX_IDENTIFIER characters (a longer one is cut and ends in a hash of the whole name)."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", name.lower()) or "service"
    return fit_name(cleaned, name, "_")


def fit_name(text: str, name: str, sep: str) -> str:
    """`text` (made from `name`) if it has at most MAX_IDENTIFIER characters; otherwise cut, with
    `sep` and a hash of the whole of `name` at the end (distinct names stay distinct)."""
    if len(text) <= MAX_IDENTIFIER:
        return text
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return text[: MAX_IDENTIFIER - 9].rstrip(sep) + sep + digest


def unique(names: list[str] | tuple[str, ...], make: Callable[[str], str], sep: str = "_") -> dict[str, str]:
    """Each name to a distinct `make(name)` (numbered on collision), in sorted order: deterministic."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(names):
        base = make(name)
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}{sep}{n}", n + 1
        taken.add(ident)
        result[name] = ident
    return result


def identifiers(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Each service name to a distinct config identifier (config_name, numbered on collision)."""
    return unique(names, config_name)


def upstream_names(owners: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Owner (MONOLITH or a service) to its nginx upstream / Envoy cluster name.

    The monolith's is MONOLITH_UPSTREAM; a service's is SERVICE_PREFIX + its identifier, so no
    service name can give the monolith's name (or another service's) to a service."""
    services = identifiers([o for o in owners if o != MONOLITH])
    return {o: MONOLITH_UPSTREAM if o == MONOLITH else SERVICE_PREFIX + services[o] for o in sorted(owners)}


#: Columns of a generated comment line (nginx refuses a line longer than its 4 KiB read buffer,
#: and a route list of a large service is longer than that).
COMMENT_WIDTH = 100


@functools.lru_cache(maxsize=1 << 14)  # (the same notes recur in every phase of a plan)
def comment_lines(text: str, indent: str = "") -> str:
    """`text` as `# ` comment lines of at most COMMENT_WIDTH columns, continuations indented."""
    width = max(20, COMMENT_WIDTH - len(indent) - 2)
    wrapped = textwrap.wrap(
        comment(text), width, subsequent_indent="  ", break_long_words=True, break_on_hyphens=False
    )
    return "".join(f"{indent}# {line}\n" for line in wrapped or [""])


def comment(text: str) -> str:
    """Text safe inside a one-line comment of any config language: no line breaks, ASCII only."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        c if c.isascii() and c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
        for c in text
    )

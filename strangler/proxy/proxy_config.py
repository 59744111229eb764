"""The proxy options of a plan: `[tool.strangler.upstreams]` (monolith = "H:P", <service> = "H:P")
overridden by what the command line asks for, every value checked (ConfigError, exit 2)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strangler.exceptions import ConfigError
from strangler.proxy.phases import ProxyOptions

#: Where the monolith listens unless configured.
DEFAULT_MONOLITH = "127.0.0.1:8000"
#: Canary weights in percent unless asked for.
DEFAULT_CANARY = (10, 50, 100)
#: Port the generated proxies listen on unless asked for.
DEFAULT_LISTEN = 8080
#: Address they bind unless asked for: loopback (`--listen 0.0.0.0:8080` exposes them).
DEFAULT_LISTEN_ADDRESS = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class ProxyChoices:
    """What a command line asks of the proxies; None (or nothing) keeps the configured value."""

    monolith_upstream: str | None = None  # HOST:PORT
    service_upstreams: tuple[str, ...] = ()  # NAME=HOST:PORT each
    canary: str | None = None  # comma-separated percentages
    listen: str | None = None  # PORT or ADDRESS:PORT


def proxy_options(table: Mapping[str, Any], choices: ProxyChoices, source: str) -> ProxyOptions:
    """ProxyOptions from the `[tool.strangler]` table (read from `source`), overridden by `choices`."""
    from strangler.proxy.phases import check_canary

    upstreams = _configured(table, source)
    upstreams.update(_given(choices.service_upstreams))
    monolith = choices.monolith_upstream or upstreams.pop("monolith", DEFAULT_MONOLITH)
    upstreams.pop("monolith", None)
    check_upstreams(monolith, upstreams, source)
    address, port = parse_listen(choices.listen)
    return ProxyOptions(
        listen=port,
        listen_address=address,
        monolith_upstream=monolith,
        service_upstreams=tuple(sorted(upstreams.items())),
        canary=check_canary(_canary(choices.canary)),
    )


def parse_listen(text: str | None) -> tuple[str, int]:
    """(IPv4 address, port) of `--listen PORT` or `--listen ADDRESS:PORT` (ConfigError, exit 2)."""
    if text is None:
        return DEFAULT_LISTEN_ADDRESS, DEFAULT_LISTEN
    address, _, port = text.rpartition(":")
    try:
        number = int(port)
        ipaddress.IPv4Address(address or DEFAULT_LISTEN_ADDRESS)
    except ValueError:
        number = 0
    if not 0 < number < 65536:
        raise ConfigError(
            f"--listen {text!r} is not PORT or IPv4-ADDRESS:PORT",
            hint="e.g. --listen 8080 (loopback) or --listen 0.0.0.0:8080 (every address)",
        )
    return address or DEFAULT_LISTEN_ADDRESS, number


def _configured(table: Mapping[str, Any], source: str) -> dict[str, str]:
    configured = table.get("upstreams", {})
    if not isinstance(configured, dict) or not all(isinstance(v, str) for v in configured.values()):
        raise ConfigError('[tool.strangler.upstreams] must map names to "HOST:PORT" strings', path=source)
    return dict(configured)


def _given(items: tuple[str, ...]) -> dict[str, str]:
    """NAME=HOST:PORT items, in order (a later one wins)."""
    upstreams = {}
    for item in items:
        name, sep, address = item.partition("=")
        if not sep or not name or not address:
            raise ConfigError(
                f"--service-upstream {item!r} is not NAME=HOST:PORT", hint="e.g. orders=127.0.0.1:8001"
            )
        upstreams[name] = address
    return upstreams


def _canary(canary: str | None) -> tuple[int, ...]:
    if canary is None:
        return DEFAULT_CANARY
    try:
        return tuple(int(v) for v in canary.split(",") if v.strip())
    except ValueError:
        raise ConfigError(
            f"--canary {canary!r} is not a list of percentages", hint="e.g. --canary 10,50,100"
        ) from None


def check_upstreams(monolith: str, services: Mapping[str, str], source: str) -> None:
    """Every upstream is HOST:PORT and every service name an acceptable one (ConfigError, exit 2)."""
    from strangler.names import SERVICE_NAME_HINT, service_name_problem, upstream_problem

    problem = upstream_problem(monolith)
    if problem is not None:
        raise ConfigError(f"monolith {problem}", path=source, hint="e.g. 127.0.0.1:8000")
    for name, address in sorted(services.items()):
        problem = service_name_problem(name)
        if problem is not None:
            raise ConfigError(f"upstreams: {problem}", path=source, hint=SERVICE_NAME_HINT)
        problem = upstream_problem(address)
        if problem is not None:
            raise ConfigError(f"upstream of {name!r}: {problem}", path=source, hint="e.g. 127.0.0.1:8001")

"""What a service name and an upstream address may be, wherever they come from.

Service names end up in directory names, nginx upstream and variable names, YAML keys, Python
identifiers and Dockerfiles, and they come from untrusted places: the analyzed tree's
`[tool.strangler]`, an edited `--boundaries` file, package names of the tree. One rule holds for all
of them: lower-case letters, digits and hyphens, starting with a letter or digit, at most 41
characters, and none of the names the generated configs use for themselves. Every pattern is matched
whole (`fullmatch`): `$` would accept a trailing newline.
"""

from __future__ import annotations

import ipaddress
import re

#: A service name: what `[a-z0-9][a-z0-9-]{0,40}` matches, whole.
SERVICE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")
MAX_SERVICE_NAME = 41
#: Names the generated configs and documents use for their own parts.
RESERVED = frozenset({"monolith", "shared-kernel", "internal-denied", "strangler", "kernel"})
SERVICE_NAME_HINT = (
    "use lower-case letters, digits and '-', starting with a letter or digit, at most 41 characters, "
    f"and none of {', '.join(sorted(RESERVED))}"
)

_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_PORT = re.compile(r"[0-9]{1,5}")


def service_name_problem(value: object) -> str | None:
    """Why `value` is no acceptable service name, or None when it is one."""
    if not isinstance(value, str):
        return f"service name {value!r} is not a string"
    if not SERVICE_NAME.fullmatch(value):
        return f"bad service name {_shown(value)}"
    if value in RESERVED:
        return f"service name {value!r} is reserved"
    return None


def fit_service_name(slug: str, *, room: int = 0) -> str:
    """A proposed name (already slugged to `[a-z0-9-]`) made acceptable: cut to fit, never reserved.

    `room` keeps that many characters free for a suffix such as `-2`."""
    cut = slug[: MAX_SERVICE_NAME - room].strip("-") or "service"
    if cut in RESERVED:
        cut = f"{cut[: MAX_SERVICE_NAME - room - 4]}-app"
    return cut


def upstream_problem(value: object) -> str | None:
    """Why `value` is no `HOST:PORT` upstream, or None when it is one.

    HOST is a DNS name, an IPv4 address (all digits and dots: only as one) or a bracketed IPv6
    address without a zone; PORT 1-65535. No `unix:` sockets: a path from the tree has no place in
    a proxy config."""
    if not isinstance(value, str):
        return f"upstream {value!r} is not a string"
    host, sep, port = value.rpartition(":")
    if not sep or not _PORT.fullmatch(port) or not 0 < int(port) < 65536:
        return f"upstream {_shown(value)} is not HOST:PORT with a port from 1 to 65535"
    if not _valid_host(host):
        return f"upstream host {_shown(host)} is not a DNS name, an IPv4 address or a bracketed IPv6 address"
    return None


def _valid_host(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        return _is_ip(host[1:-1], ipaddress.IPv6Address)
    if re.fullmatch(r"[0-9.]+", host):  # all digits and dots: only as an IPv4 address
        return _is_ip(host, ipaddress.IPv4Address)
    return len(host) <= 253 and _HOST.fullmatch(host) is not None


def _is_ip(text: str, kind: type[ipaddress.IPv4Address] | type[ipaddress.IPv6Address]) -> bool:
    if not text.isascii() or "%" in text:  # (no IPv6 zone: it would carry any text)
        return False
    try:
        kind(text)
    except ValueError:
        return False
    return True


def _shown(value: str) -> str:
    """`value` quoted with every control character escaped, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."

"""`strangler.proxy.proxy_config`: proxy options from `[tool.strangler.upstreams]` and the command line."""

from __future__ import annotations

import pytest

from strangler.exceptions import ConfigError
from strangler.proxy.phases import ProxyOptions
from strangler.proxy.proxy_config import ProxyChoices, proxy_options

TABLE = {"upstreams": {"monolith": "10.0.0.1:80", "orders": "10.0.0.2:80", "catalog": "10.0.0.3:80"}}


def test_defaults_without_configuration() -> None:
    assert proxy_options({}, ProxyChoices(), "pyproject.toml") == ProxyOptions()


def test_the_table_then_the_command_line() -> None:
    options = proxy_options(TABLE, ProxyChoices(), "pyproject.toml")
    assert options.monolith_upstream == "10.0.0.1:80"
    assert options.service_upstreams == (("catalog", "10.0.0.3:80"), ("orders", "10.0.0.2:80"))
    choices = ProxyChoices("127.0.0.1:9000", ("orders=127.0.0.1:9001",), "100,25,25", "9090")
    options = proxy_options(TABLE, choices, "pyproject.toml")
    assert options.monolith_upstream == "127.0.0.1:9000"
    assert dict(options.service_upstreams)["orders"] == "127.0.0.1:9001"
    assert options.canary == (25, 100) and options.listen == 9090
    assert options.listen_address == "127.0.0.1"  # loopback unless asked


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, ("127.0.0.1", 8080)), ("9090", ("127.0.0.1", 9090)), ("0.0.0.0:80", ("0.0.0.0", 80))],
)
def test_listen_takes_a_port_or_an_address_and_a_port(given: str | None, expected: tuple[str, int]) -> None:
    options = proxy_options({}, ProxyChoices(listen=given), "x")
    assert (options.listen_address, options.listen) == expected


@pytest.mark.parametrize("given", ["0", "65536", "x", "localhost:80", "1.2.3.4:", "1.2.3.4;5:80", "[::1]:80"])
def test_listen_refuses_anything_else(given: str) -> None:
    with pytest.raises(ConfigError) as caught:
        proxy_options({}, ProxyChoices(listen=given), "x")
    assert caught.value.exit_code == 2


def test_a_monolith_given_as_a_service_upstream_is_the_monolith() -> None:
    options = proxy_options({}, ProxyChoices(service_upstreams=("monolith=10.0.0.9:80",)), "x")
    assert options.monolith_upstream == "10.0.0.9:80" and options.service_upstreams == ()


@pytest.mark.parametrize(
    "table, choices, message",
    [
        ({"upstreams": ["a"]}, ProxyChoices(), "must map names"),
        ({}, ProxyChoices(service_upstreams=("nope",)), "is not NAME=HOST:PORT"),
        ({}, ProxyChoices(monolith_upstream="evil;host:80"), "monolith"),
        ({}, ProxyChoices(service_upstreams=("Bad Name=127.0.0.1:1",)), "upstreams:"),
        ({}, ProxyChoices(service_upstreams=("orders=nowhere",)), "upstream of 'orders'"),
        ({}, ProxyChoices(canary="ten"), "is not a list of percentages"),
        ({}, ProxyChoices(canary="0,200"), "percentages from 1 to 100"),
    ],
)
def test_bad_values_are_config_errors(table: dict[str, object], choices: ProxyChoices, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        proxy_options(table, choices, "pyproject.toml")
    assert caught.value.exit_code == 2

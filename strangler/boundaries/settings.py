"""The boundaries part of `[tool.strangler]` and of the command line, as one `BoundaryOptions` value.

Keys (all optional), in pyproject.toml under `[tool.strangler]` or in strangler.toml:

    services = 8                       # target service count (or `service_count` when pins are used)
    shared = ["shop.core.*"]           # always in the shared kernel (globs on module names)
    not_shared = ["shop.helpers"]      # never in the shared kernel
    together = [["shop.cart.*", "shop.orders.checkout"]]   # each group lands in one service
    apart = [["shop.orders.*", "shop.payments.*"]]         # each glob of a group in a different service
    [tool.strangler.weights]           # signal weights; a signal not named keeps its default
    names = 0.5
    [tool.strangler.services.orders]   # pin modules to a named service
    modules = ["shop.orders", "shop.orders.*"]

Command-line options (`--services`, `--signals`, `--seed`, `--seeds`) override the file.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analyzers.config import finite_number
from strangler.exceptions import ConfigError
from strangler.graph.coupling import DEFAULT_WEIGHTS, SIGNALS
from strangler.names import SERVICE_NAME_HINT, service_name_problem

#: Clustering runs per proposal: the benchmark (docs/boundaries.md) is measured with 3; 5 costs
#: two more Louvain runs for a finer confidence and scored the same.
DEFAULT_SEEDS = 3


def _default_weights() -> tuple[tuple[str, float], ...]:
    return tuple(sorted(DEFAULT_WEIGHTS.items()))


@dataclass(frozen=True, slots=True)
class BoundaryOptions:
    """How to propose boundaries: signal weights, target count, seeds, and constraints."""

    weights: tuple[tuple[str, float], ...] = field(default_factory=_default_weights)
    services: int | None = None  # None: chosen by the data
    seed: int = 0
    seeds: int = DEFAULT_SEEDS  # clustering runs for the confidence of each assignment
    include_tests: bool = False
    resolution: float | None = None  # Louvain's when no count is asked (None: clustering.scaled_resolution)
    shared: tuple[str, ...] = ()  # globs forced into the shared kernel
    not_shared: tuple[str, ...] = ()  # globs never in the shared kernel
    pins: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (service, globs), sorted by service
    together: tuple[tuple[str, ...], ...] = ()  # groups of globs kept in one service
    apart: tuple[tuple[str, ...], ...] = ()  # groups of globs kept in different services

    def weight_map(self) -> dict[str, float]:
        return dict(self.weights)


def matches(module: str, globs: Iterable[str]) -> bool:
    """Whether a dotted module name matches any glob ("shop.orders.*" also matches "shop.orders")."""
    for pattern in globs:
        if fnmatch.fnmatchcase(module, pattern):
            return True
        if pattern.endswith(".*") and module == pattern[:-2]:
            return True
    return False


def parse_signals(spec: str, *, source: str = "--signals") -> dict[str, float]:
    """`--signals`: "imports,references" (only these, weight 1 or default), "names=0.5",
    "-packages" (all defaults but this one off), or "all". Unknown names are a ConfigError."""
    items = [s.strip() for s in spec.split(",") if s.strip()]
    if not items:
        raise ConfigError("no signals given", path=source, hint=f"choose from {', '.join(SIGNALS)}")
    if items == ["all"]:
        return dict(DEFAULT_WEIGHTS)
    subtractive = all(item.startswith("-") for item in items)
    weights: dict[str, float] = dict(DEFAULT_WEIGHTS) if subtractive else {}
    for item in items:
        name, _, value = item.lstrip("-+").partition("=")
        if name not in SIGNALS:
            raise ConfigError(
                f"unknown signal {name!r}", path=source, hint=f"choose from {', '.join(SIGNALS)}"
            )
        if item.startswith("-"):
            weights[name] = 0.0
            continue
        try:
            weight = float(value) if value else DEFAULT_WEIGHTS[name]
        except ValueError:
            raise ConfigError(f"weight of {name!r} is not a number: {value!r}", path=source) from None
        if not finite_number(weight) or weight < 0:
            raise ConfigError(f"weight of {name!r} must be a finite number >= 0: {value!r}", path=source)
        weights[name] = weight
    return {s: weights.get(s, 0.0) for s in SIGNALS}


def boundary_options(
    table: Mapping[str, Any],
    *,
    source: str = "pyproject.toml",
    services: int | None = None,
    signals: str | None = None,
    seed: int | None = None,
    seeds: int | None = None,
) -> BoundaryOptions:
    """Options from the `[tool.strangler]` table, overridden by the command-line values given."""
    weights = _table_weights(table, source)
    if signals is not None:
        weights = parse_signals(signals)
    raw_services = table.get("services")
    pins = _pins(raw_services, source) if isinstance(raw_services, dict) else ()
    raw_count = table.get("service_count") if isinstance(raw_services, dict) else raw_services
    count = _service_count(raw_count, services, source)
    return BoundaryOptions(
        weights=tuple(sorted(weights.items())),
        services=count,
        seed=seed if seed is not None else 0,
        seeds=max(1, seeds) if seeds is not None else DEFAULT_SEEDS,
        shared=_globs(table, "shared", source),
        not_shared=_globs(table, "not_shared", source),
        pins=pins,
        together=_groups(table, "together", source),
        apart=_groups(table, "apart", source),
    )


def _table_weights(table: Mapping[str, Any], source: str) -> dict[str, float]:
    """The default weights, overridden by `[tool.strangler.weights]`."""
    weights = dict(DEFAULT_WEIGHTS)
    raw_weights = table.get("weights", {})
    if not isinstance(raw_weights, dict):
        raise ConfigError("[tool.strangler.weights] must be a table", path=source)
    for name, value in raw_weights.items():
        if name not in SIGNALS:
            raise ConfigError(
                f"[tool.strangler.weights] unknown signal {name!r}",
                path=source,
                hint=f"choose from {', '.join(SIGNALS)}",
            )
        if not finite_number(value) or value < 0:
            raise ConfigError(f"[tool.strangler.weights] {name} must be a finite number >= 0", path=source)
        weights[name] = float(value)
    return weights


def _pins(raw_services: Mapping[str, Any], source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`[tool.strangler.services.NAME] modules = [...]`: each service with its module globs."""
    pins: list[tuple[str, tuple[str, ...]]] = []
    for name, spec in sorted(raw_services.items()):
        problem = service_name_problem(name)
        if problem is not None:
            raise ConfigError(f"[tool.strangler.services]: {problem}", path=source, hint=SERVICE_NAME_HINT)
        if not isinstance(spec, dict):
            raise ConfigError(f"[tool.strangler.services.{name}] must be a table", path=source)
        pins.append((name, _globs(spec, "modules", source, f"services.{name}")))
    return tuple(pins)


def _service_count(raw_count: Any, services: int | None, source: str) -> int | None:
    """The configured service count, overridden by `--services`."""
    count: int | None = None
    if raw_count is not None:
        if not isinstance(raw_count, int) or isinstance(raw_count, bool) or raw_count < 1:
            raise ConfigError("[tool.strangler] services must be a positive integer", path=source)
        count = raw_count
    if services is not None:
        if services < 1:
            raise ConfigError("--services must be at least 1", path="--services")
        count = services
    return count


def _globs(table: Mapping[str, Any], key: str, source: str, where: str = "") -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"[tool.strangler{'.' + where if where else ''}] {key} must be a list of strings",
            path=source,
            hint='e.g. ["shop.core", "shop.core.*"]',
        )
    return tuple(value)


def _groups(table: Mapping[str, Any], key: str, source: str) -> tuple[tuple[str, ...], ...]:
    value = table.get(key, [])
    ok = isinstance(value, list) and all(
        isinstance(group, list) and all(isinstance(g, str) for g in group) for group in value
    )
    if not ok:
        raise ConfigError(
            f"[tool.strangler] {key} must be a list of lists of globs",
            path=source,
            hint='e.g. [["shop.cart.*", "shop.orders.*"]]',
        )
    return tuple(tuple(group) for group in value)

"""Wiring: references that only plug a module into the application, not calls into its API.

An application factory (`create_app`, a Django root urlconf, an ASGI `main`) imports every
service's blueprint or router to register it, and imports subscriber modules so their import-time
side effects connect signal receivers. Drawn as ordinary dependencies, those references make the
module holding the factory depend on every service, and every service that uses that module then
sits in one big dependency cycle. They are not an API a cut service must offer: once a service is
extracted, the proxy in front of it does the registering.

The rule is blind to names and driven by the facts:
- a reference to a top-level *variable or constant* (not a function or class) of a module that
  defines routes (`Codebase.routes`) is wiring: the referenced object is the blueprint, router or
  url list that carries those routes;
- a reference to a whole module as a value (empty symbol, kind `name`/`attribute`) is wiring: the
  module is imported to be held or registered, for its side effects.
A (source, target) module pair is wiring when it has at least one wiring reference and no other.
"""

from __future__ import annotations

from analyzers.model import Codebase

WIRING_KINDS = frozenset({"name", "attribute"})
VALUE_SYMBOLS = frozenset({"variable", "constant"})


def wiring_pairs(codebase: Codebase) -> frozenset[tuple[str, str]]:
    """(source, target) module pairs whose every reference is wiring (and that have one)."""
    routed = {route.module for route in codebase.routes}
    values: dict[str, frozenset[str]] = {}
    for module in codebase.modules:
        if module.name in routed:
            values[module.name] = frozenset(s.name for s in module.symbols if s.kind in VALUE_SYMBOLS)
    wiring: dict[tuple[str, str], bool] = {}
    for ref in codebase.references:
        if ref.source == ref.target:
            continue
        pair = (ref.source, ref.target)
        is_wiring = ref.kind in WIRING_KINDS and (
            ref.symbol == "" or ref.symbol.split(".")[0] in values.get(ref.target, frozenset())
        )
        wiring[pair] = wiring.get(pair, True) and is_wiring
    return frozenset(pair for pair, only in wiring.items() if only)

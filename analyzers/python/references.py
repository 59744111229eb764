"""Raw name uses to `Reference`s: which top-level symbol of which module each use reaches.

`from shop.orders import service` then `service.place_order(...)` is a call of symbol
`place_order` of module `shop.orders.service`; names re-exported by a package `__init__` are followed
to the module that defines them. A use whose chain goes past the symbol (`Model.objects.filter(...)`)
references the symbol as an attribute access; uses in bases, decorators and annotations keep that kind.
"""

from __future__ import annotations

from analyzers.model import Reference, ReferenceKind
from analyzers.python.imports import Binding, ImportScope


def resolve_references(scope: ImportScope) -> tuple[Reference, ...]:
    """Every use of an internal module or symbol by another module, sorted and without duplicates."""
    # Plain tuples (same fields, same order as Reference) are collected, deduplicated and sorted,
    # then made References: hashing and comparing dataclasses would cost more than resolving.
    found: set[tuple[str, int, str, str, ReferenceKind, str]] = set()
    # The same chain from the same binding recurs (`models.CharField` in every model file): the
    # scope's answers never change during the run, so each is worked out once.
    resolved_chains: dict[tuple[tuple[str, str], tuple[str, ...]], tuple[str, str] | None] = {}
    caller_bindings = scope.caller_bindings
    for source, facts in scope.facts.items():
        caller = None
        bindings: dict[str, Binding] = {}
        for use in facts.uses:
            if use.caller != caller:  # (a file's uses come grouped by caller)
                caller = use.caller
                bindings = caller_bindings(source, caller)
            binding = bindings.get(use.chain[0])
            if binding is None:
                continue
            key = (binding, use.chain)
            if key in resolved_chains:
                resolved = resolved_chains[key]
            else:
                resolved = resolved_chains[key] = scope.resolve_chain(binding, list(use.chain[1:]))
            if resolved is None:
                continue
            target, path = resolved
            if target == source:
                continue
            symbol, _, rest = path.partition(".")
            found.add((source, use.line, target, symbol, _kind(use.kind, symbol, rest), caller))
    return tuple(Reference(*fields) for fields in sorted(found))


def _kind(raw: ReferenceKind, symbol: str, rest: str) -> ReferenceKind:
    if raw in ("call", "attribute") and rest:
        return "attribute"  # the call or access is on an attribute of the symbol
    if raw == "call" and not symbol:
        return "name"  # a module object called: rare, keep it a plain use
    if raw == "attribute" and not rest:
        return "name" if not symbol else "attribute"
    return raw

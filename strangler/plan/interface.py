"""The interface of a cut: every use of a symbol across a service boundary, grouped into operations.

A reference from module A to a symbol of module B becomes a network call once A and B live in
different services. Uses of the shared kernel are not part of any interface: the kernel stays in
the monolith and ships to the services as a library.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from analyzers.model import Codebase, Symbol
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.plan.extraction_plan import MONOLITH, CallSite, InterfaceOperation


def owners(codebase: Codebase, decomposition: Decomposition) -> dict[str, str]:
    """Module name to the service it goes to: a service, SHARED_KERNEL, or MONOLITH (stays).

    Modules the decomposition does not mention (tests, migrations, modules added since the proposal)
    stay in the monolith. A library (a cluster with no route, table or job) is shared code like the
    kernel: calls into it are no cross-service calls, and it is no wave.
    """
    assigned = decomposition.service_of()
    for service in decomposition.services:
        owner = SHARED_KERNEL if service.library else service.name
        assigned.update((m, owner) for m in service.modules)
    assigned.update((m, SHARED_KERNEL) for m in decomposition.shared_kernel)
    return {m.name: assigned.get(m.name, MONOLITH) for m in codebase.modules}


def _symbol(codebase: Codebase, module: str, name: str) -> Symbol | None:
    try:
        found = codebase.module(module)
    except KeyError:
        return None
    for symbol in found.symbols:
        if symbol.name == name:
            return symbol
    return None


def cross_call_sites(codebase: Codebase, owner: Mapping[str, str]) -> tuple[CallSite, ...]:
    """Every reference whose two ends belong to different services; the kernel is on neither end.

    Tests and migrations are left out: they are rewritten with the code, not called over a network.
    """
    roles = {m.name: m.role for m in codebase.modules}
    paths = {m.name: m.path for m in codebase.modules}
    seen: dict[tuple[str, int, str], CallSite] = {}
    for ref in codebase.references:
        if roles.get(ref.source) != "code" or roles.get(ref.target) != "code":
            continue
        caller_service = owner.get(ref.source, MONOLITH)
        callee_service = owner.get(ref.target, MONOLITH)
        if caller_service == callee_service or SHARED_KERNEL in (caller_service, callee_service):
            continue  # kernel uses of services are findings (kernel_violations), not an interface
        callee = f"{ref.target}.{ref.symbol}" if ref.symbol else ref.target
        key = (ref.source, ref.line, callee)
        if key in seen:
            continue
        seen[key] = CallSite(
            path=paths[ref.source],
            line=ref.line,
            caller=f"{ref.source}.{ref.caller}",
            callee=callee,
            kind=ref.kind,
            caller_service=caller_service,
            callee_service=callee_service,
        )
    return tuple(sorted(seen.values()))


def kernel_violations(codebase: Codebase, owner: Mapping[str, str]) -> tuple[CallSite, ...]:
    """Uses of a service's symbols from the shared kernel: the library would depend on a service."""
    paths = {m.name: m.path for m in codebase.modules}
    roles = {m.name: m.role for m in codebase.modules}
    found = {
        CallSite(
            path=paths[ref.source],
            line=ref.line,
            caller=f"{ref.source}.{ref.caller}",
            callee=f"{ref.target}.{ref.symbol}" if ref.symbol else ref.target,
            kind=ref.kind,
            caller_service=SHARED_KERNEL,
            callee_service=owner.get(ref.target, MONOLITH),
        )
        for ref in codebase.references
        if owner.get(ref.source) == SHARED_KERNEL
        and owner.get(ref.target, MONOLITH) not in (SHARED_KERNEL, MONOLITH)
        and roles.get(ref.source) == "code"
    }
    return tuple(sorted(found))


def operations(codebase: Codebase, sites: Iterable[CallSite]) -> tuple[InterfaceOperation, ...]:
    """Call sites grouped by callee: one operation per symbol used across the cut, sorted by symbol."""
    grouped: dict[tuple[str, str], list[CallSite]] = defaultdict(list)
    for site in sites:
        grouped[(site.callee, site.callee_service)].append(site)
    result = []
    for (callee, service), group in sorted(grouped.items()):
        module, _, name = callee.rpartition(".")
        symbol = _symbol(codebase, module, name) if module else None
        if symbol is None and callee in codebase.module_names():
            kind, signature = "module", ""
        elif symbol is None:
            kind, signature = "", ""
        else:
            kind = symbol.kind
            signature = (
                f"({symbol.params})" + (f" -> {symbol.returns}" if symbol.returns else "")
                if symbol.kind == "function"
                else ""
            )
        result.append(
            InterfaceOperation(
                symbol=callee,
                service=service,
                signature=signature,
                symbol_kind=kind,
                call_sites=tuple(sorted(group)),
                callers=tuple(sorted({s.caller_service for s in group})),
            )
        )
    return tuple(result)


def symbol_of(codebase: Codebase, dotted: str) -> Symbol | None:
    """The Symbol a dotted callee names, if the codebase defines it."""
    module, _, name = dotted.rpartition(".")
    return _symbol(codebase, module, name) if module else None

"""Raw imports to edges between modules of the codebase, and the `Scope` the other extractors ask.

Edges follow what the interpreter imports, the way grimp counts them: `import a.b.c` is an edge to
`a.b.c`; `from pkg import name` is an edge to `pkg.name` when that is a module, else to `pkg`.
Re-exports are *not* followed for edges (importing `pkg` runs `pkg/__init__`), but they are followed
when a name is resolved to the module that defines it (`Scope.resolve_name`, references).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analyzers.model import Diagnostic, ExternalImport, ImportEdge
from analyzers.ordering import in_order
from analyzers.python.parsing import MODULE_CALLER, FileFacts, RawImport

STDLIB = frozenset(sys.stdlib_module_names)

# A binding: the local name refers to module `target` ("" symbol) or to `symbol` of it; None = external.
Binding = tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class ModuleInfo:
    path: str
    is_package: bool


@dataclass(frozen=True, slots=True)
class ResolvedImports:
    edges: tuple[ImportEdge, ...]
    externals: tuple[ExternalImport, ...]
    diagnostics: tuple[Diagnostic, ...]


class ImportScope:
    """Name resolution over the whole codebase; implements analyzers.python.scope.Scope."""

    def __init__(self, modules: Mapping[str, ModuleInfo], facts: Mapping[str, FileFacts]) -> None:
        self.modules = modules
        self.facts = facts
        self.prefixes = {name.rsplit(".", i)[0] for name in modules for i in range(name.count(".") + 1)}
        self.tops = {name.partition(".")[0] for name in modules}
        self._module_bindings: dict[str, dict[str, Binding]] = {}
        self._caller_bindings: dict[tuple[str, str], dict[str, Binding]] = {}
        self._pending: set[str] = set()  # modules whose bindings are being computed (star cycles)
        self._names: dict[tuple[str, str], tuple[str, str] | None] = {}

    # -- Scope ---------------------------------------------------------------------------------------

    def resolve_module(self, dotted: str) -> str | None:
        return dotted if dotted in self.modules else None

    def resolve_name(self, module: str, dotted: str) -> tuple[str, str] | None:
        # Asked again and again by every framework resolver; the answer never changes in a run.
        key = (module, dotted)
        if key in self._names:
            return self._names[key]
        found = self._names[key] = self._resolve_name(module, dotted)
        return found

    def is_external(self, module: str, dotted: str) -> bool:
        bindings = self.module_bindings(module)
        head = dotted.partition(".")[0]
        return head in bindings and bindings[head] is None

    def _resolve_name(self, module: str, dotted: str) -> tuple[str, str] | None:
        if module not in self.facts and module not in self.modules:
            return None
        head, _, rest = dotted.partition(".")
        parts = rest.split(".") if rest else []
        bindings = self.module_bindings(module)
        if head in bindings:
            binding = bindings[head]
            return None if binding is None else self.resolve_chain(binding, parts)
        facts = self.facts.get(module)
        if facts is not None and head in facts.defined:
            return module, dotted
        if dotted in self.modules:
            return dotted, ""
        return None

    # -- resolution ----------------------------------------------------------------------------------

    def base_of(self, source: str, raw: RawImport) -> str | None:
        """The absolute dotted name a (possibly relative) import starts from; None beyond the top."""
        if not raw.level:
            return raw.module
        info = self.modules.get(source)
        package = source if info is not None and info.is_package else source.rpartition(".")[0]
        parts = package.split(".") if package else []
        if raw.level - 1 > len(parts) or not parts:
            return None
        kept = parts[: len(parts) - (raw.level - 1)]
        if not kept:
            return None
        return ".".join([*kept, raw.module] if raw.module else kept)

    def longest_module(self, dotted: str) -> str | None:
        """`dotted` or its longest prefix that is a module of the codebase."""
        name = dotted
        while name:
            if name in self.modules:
                return name
            name = name.rpartition(".")[0]
        return None

    def is_internal(self, dotted: str) -> bool:
        return dotted.partition(".")[0] in self.tops

    def module_bindings(self, module: str) -> dict[str, Binding]:
        """Names bound by imports at top level of `module` (including under if/try)."""
        cached = self._module_bindings.get(module)
        if cached is None:
            if module in self._pending:  # a cycle of star imports: its explicit imports only
                return self._bindings(module, MODULE_CALLER, stars=False)
            self._pending.add(module)
            try:
                cached = self._bindings(module, MODULE_CALLER)
            finally:
                self._pending.discard(module)
            self._module_bindings[module] = cached
        return cached

    def caller_bindings(self, module: str, caller: str) -> dict[str, Binding]:
        """Module-level bindings overlaid with the imports inside top-level `caller`."""
        key = (module, caller)
        cached = self._caller_bindings.get(key)
        if cached is None:
            cached = dict(self.module_bindings(module))
            if caller != MODULE_CALLER:
                cached.update(self._bindings(module, caller))
            self._caller_bindings[key] = cached
        return cached

    def _bindings(self, module: str, caller: str, stars: bool = True) -> dict[str, Binding]:
        facts = self.facts.get(module)
        out: dict[str, Binding] = {}
        if facts is None:
            return out
        if stars and caller == MODULE_CALLER:
            out.update(self._star_bindings(module, facts))
        for raw in facts.imports:
            if raw.caller != caller or (not raw.bound and not raw.is_from):
                continue
            base = self.base_of(module, raw)
            if base is None:
                continue
            internal = self.is_internal(base)
            if not raw.is_from:
                top = raw.module.partition(".")[0]
                # `import a.b.c` binds `a`; `import a.b as c` binds `c` to a.b
                target = top if raw.bound == top else raw.module
                out[raw.bound] = (target, "") if internal else None
                continue
            for name, local in raw.names:
                if name == "*":
                    continue
                if not internal:
                    out[local] = None
                elif f"{base}.{name}" in self.prefixes:
                    out[local] = (f"{base}.{name}", "")
                else:
                    out[local] = (base, name)
        return out

    def _star_bindings(self, module: str, facts: FileFacts) -> dict[str, Binding]:
        """Names `from <codebase module> import *` binds at top level of `module` (not its own
        top-level definitions): the star module's `__all__`, else its public top-level names,
        names it received through star imports of its own included."""
        out: dict[str, Binding] = {}
        for raw in facts.imports:
            if raw.caller != MODULE_CALLER or raw.names[:1] != (("*", ""),):
                continue
            base = self.base_of(module, raw)
            if base is None or base not in self.modules or base == module:
                continue
            star = self.facts.get(base)
            if star is None:
                continue
            theirs = self.module_bindings(base)
            if star.exports is not None:
                names: Iterable[str] = star.exports
            else:
                names = [n for n in (*star.defined, *theirs) if not n.startswith("_")]
            for name in names:
                if name in facts.defined:
                    continue
                if name in star.defined:
                    out[name] = (base, name)
                elif name not in theirs:
                    submodule = f"{base}.{name}"
                    out[name] = (submodule, "") if submodule in self.prefixes else (base, name)
                else:
                    out[name] = theirs[name]
        return out

    def resolve_chain(self, binding: tuple[str, str], parts: list[str]) -> tuple[str, str] | None:
        """Follow `binding` then attribute `parts` to (defining module, symbol path)."""
        target, symbol = binding
        if symbol:
            parts = [*symbol.split("."), *parts]
        for _ in range(50):  # re-export chains are short; this bounds a cycle
            index = 0
            while index < len(parts) and f"{target}.{parts[index]}" in self.prefixes:
                target = f"{target}.{parts[index]}"
                index += 1
            parts = parts[index:]
            if target not in self.modules:
                module = self.longest_module(target)
                if module is None:
                    return None
                return module, ".".join([target[len(module) + 1 :], *parts])
            if not parts:
                return target, ""
            following = self.follow(target, parts[0])
            if following is None:
                return target, ".".join(parts)
            next_target, next_symbol = following
            if (next_target, next_symbol) == (target, parts[0]):
                return target, ".".join(parts)
            target = next_target
            parts = [*(next_symbol.split(".") if next_symbol else []), *parts[1:]]
        return target, ".".join(parts)

    def follow(self, module: str, name: str, depth: int = 0) -> tuple[str, str] | None:
        """Where `name`, read as an attribute of `module`, is defined (through re-exports)."""
        facts = self.facts.get(module)
        if facts is None or depth > 20:
            return module, name
        if name in facts.defined:
            return module, name
        binding = self.module_bindings(module).get(name, ())
        if binding is None:
            return None
        if binding != ():
            target, symbol = binding  # type: ignore[misc]
            if not symbol:
                return target, ""
            return self.follow(target, symbol, depth + 1)
        for raw in facts.imports:
            if raw.caller == MODULE_CALLER and raw.names[:1] == (("*", ""),):
                base = self.base_of(module, raw)
                if base is None or base not in self.modules:
                    continue
                star = self.facts.get(base)
                if star is not None and _exports(star, name):
                    return self.follow(base, name, depth + 1)
        if f"{module}.{name}" in self.modules:
            return f"{module}.{name}", ""
        return module, name


def _exports(facts: FileFacts, name: str) -> bool:
    if facts.exports is not None:
        return name in facts.exports
    return not name.startswith("_") and (
        name in facts.defined
        or any(local == name for raw in facts.imports for _, local in raw.names)
        or any(raw.bound == name for raw in facts.imports)
    )


def resolve_imports(scope: ImportScope) -> ResolvedImports:
    """Every raw import of every module as internal edges or external imports, with diagnostics."""
    edges: set[ImportEdge] = set()
    externals: set[ExternalImport] = set()
    diagnostics: list[Diagnostic] = []
    for source in sorted(scope.facts):
        facts = scope.facts[source]
        path = scope.modules[source].path
        for raw in facts.imports:
            base = scope.base_of(source, raw)
            if base is None:
                diagnostics.append(
                    Diagnostic(
                        path,
                        raw.line,
                        "relative-import-beyond-top",
                        f"relative import of {'.' * raw.level}{raw.module} goes past the top-level package",
                    )
                )
                continue
            if not scope.is_internal(base):
                top = base.partition(".")[0]
                if top and top != "__future__":
                    externals.add(ExternalImport(source, top, raw.line, top in STDLIB, raw.markers))
                continue
            for target, names in _targets(scope, base, raw):
                if target is None:
                    # No module of the codebase on the way: `base` starts with a namespace directory
                    # (no `__init__.py`) that lacks it, such as mealie's `alembic/` of migration
                    # scripts. The interpreter would take a regular package of that name anywhere
                    # on sys.path (the installed alembic, another part of a namespace package).
                    top = base.partition(".")[0]
                    externals.add(ExternalImport(source, top, raw.line, top in STDLIB, raw.markers))
                elif target != source:
                    edges.add(ImportEdge(source, target, raw.line, raw.markers, names))
    return ResolvedImports(in_order(edges), in_order(externals), in_order(set(diagnostics)))


def _targets(scope: ImportScope, base: str, raw: RawImport) -> list[tuple[str | None, tuple[str, ...]]]:
    if not raw.is_from or raw.names[:1] == (("*", ""),):
        return [(scope.longest_module(base), ())]
    out: list[tuple[str | None, tuple[str, ...]]] = []
    attributes: list[str] = []
    for name, _ in raw.names:
        if f"{base}.{name}" in scope.modules:
            out.append((f"{base}.{name}", ()))
        else:
            attributes.append(name)
    if attributes:
        # `base` itself, or (a namespace package or a missing module) the nearest module above it
        out.append((scope.longest_module(base), tuple(attributes)))
    return out

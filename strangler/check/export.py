"""`strangler export`: the committed cut as the contracts of import-linter and tach.

Both tools check imports only, at module level: they enforce the `import` rule of `strangler check`
(docs/check.md), not symbol uses, tables or routes.

- import-linter: one `forbidden` contract per service (its modules may not import the other
  services'), with `allow_indirect_imports` — `check` allows a chain through the shared kernel, so an
  `independence` contract, which forbids indirect chains too, would fail where `check` passes. The
  kernel is in no contract (free for everyone). The imports `check` allows (`depends_on` and
  `exposes`) are listed under `ignore_imports`.
- tach: one module per package (or module) of a service, `depends_on` its own service's other
  modules, the kernel and the services it `depends_on`; the kernel's modules are `utility` modules.
  What a service `exposes` is an `[[interfaces]]` entry visible to the services depending on it (an
  exposed symbol also exposes its module, as `check` allows importing it).
"""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.check.findings import UNASSIGNED, Policy
from strangler.check.rules import BoundaryRules, assign_modules
from strangler.exceptions import StranglerError


class ExportTarget(enum.Enum):
    """The tools `strangler export --to` writes contracts for."""

    IMPORT_LINTER = "import-linter"
    TACH = "tach"


class ExportError(StranglerError):
    """The decomposition cannot be written as the tool's contracts."""

    exit_code = 1


def _valid(module: str) -> bool:
    return all(part.isidentifier() and part.isascii() for part in module.split("."))


def roots_by_service(services: Mapping[str, str], modules: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Per service, the fewest modules whose subtrees (module and descendants) hold exactly its
    modules: whole packages where the service has them, single modules elsewhere."""
    names = sorted(set(modules))
    owner_of_subtree: dict[str, str | None] = {}
    for name in reversed(names):  # descendants sort after their package: seen first in reverse
        owner_of_subtree[name] = services.get(name)
    for name in reversed(names):
        parent = name.rpartition(".")[0]
        if parent in owner_of_subtree and owner_of_subtree[parent] != owner_of_subtree[name]:
            owner_of_subtree[parent] = None
    roots: dict[str, list[str]] = defaultdict(list)
    for name in names:
        service = owner_of_subtree[name]
        parent = name.rpartition(".")[0]
        if service is None or (parent in owner_of_subtree and owner_of_subtree[parent] == service):
            continue
        roots[service].append(name)
    return {service: tuple(found) for service, found in sorted(roots.items())}


def _layout(policy: Policy, codebase: Codebase) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    services = {m: s for m, s in assign_modules(policy, codebase).items() if s != UNASSIGNED}
    bad = sorted(m for m in services if not _valid(m))
    if bad:
        raise ExportError(f"module name {bad[0]!r} cannot be written as a contract", hint="exclude it")
    return services, roots_by_service(services, (m.name for m in codebase.modules))


def allowed_imports(policy: Policy, codebase: Codebase, services: Mapping[str, str]) -> set[tuple[str, str]]:
    """Cross-service imports `check` allows (through `depends_on` and `exposes`)."""
    rules = BoundaryRules(policy, services)
    allowed = set()
    for edge in codebase.imports:
        pair = rules.crossing(edge.source, edge.target)
        if pair is not None and rules.allowed(pair, edge.target, tuple(sorted(edge.names))):
            allowed.add((edge.source, edge.target))
    return allowed


def _ini_list(key: str, values: Iterable[str]) -> list[str]:
    return [f"{key} =", *(f"    {v}" for v in values)]


def to_importlinter(policy: Policy, codebase: Codebase) -> str:
    """An import-linter INI configuration (`lint-imports --config FILE`)."""
    services, roots = _layout(policy, codebase)
    real = {s: r for s, r in roots.items() if s != SHARED_KERNEL}
    if len(real) < 2:
        raise ExportError("fewer than two services: there is no boundary to write")
    allowed = allowed_imports(policy, codebase, services)
    tops = sorted({root.split(".")[0] for found in real.values() for root in found})
    lines = ["# Written by `strangler export --to import-linter`: the cut of the committed decomposition."]
    lines += ["[importlinter]", *_ini_list("root_packages", tops), ""]
    for service, own in real.items():
        others = sorted(r for s, found in real.items() if s != service for r in found)
        ignores = sorted(f"{a} -> {b}" for a, b in allowed if services[a] == service)
        lines += [
            f"[importlinter:contract:strangler-{service}]",
            f"name = strangler: {service} uses no other service",
        ]
        lines += [
            "type = forbidden",
            *_ini_list("source_modules", own),
            *_ini_list("forbidden_modules", others),
        ]
        lines += ["allow_indirect_imports = True", "unmatched_ignore_imports_alerting = none"]
        lines += [*(_ini_list("ignore_imports", ignores) if ignores else []), ""]
    return "\n".join(lines)


def _tach_module(path: str, depends: Iterable[str], utility: bool) -> dict[str, object]:
    module: dict[str, object] = {"path": path, "depends_on": sorted(set(depends) - {path})}
    if utility:
        module["utility"] = True
    return module


def _patterns(root: str, exposed: Iterable[str], modules: frozenset[str]) -> list[str]:
    """tach `expose` regexes, relative to `root`, for what a service exposes under it."""
    patterns: set[str] = set()
    for entry in exposed:
        if entry == root:
            return [".*"]
        if not entry.startswith(root + "."):
            continue
        relative = entry[len(root) + 1 :]
        patterns.add(re.escape(relative))
        if entry in modules:
            patterns.add(re.escape(relative) + r"\..*")
        elif "." in relative:
            patterns.add(re.escape(relative.rpartition(".")[0]))
    return sorted(patterns)


def _interfaces(
    policy: Policy, roots: Mapping[str, tuple[str, ...]], modules: frozenset[str]
) -> list[object]:
    """One `[[interfaces]]` entry per root of a service that exposes something to its dependents."""
    users: dict[str, list[str]] = defaultdict(list)
    for service, used in policy.depends_on:
        for other in used:
            users[other] += roots.get(service, ())
    entries: list[object] = []
    for service, exposed in policy.exposes:
        for root in roots.get(service, ()):
            patterns = _patterns(root, exposed, modules)
            if patterns and users.get(service):
                entries.append({"expose": patterns, "from": [root], "visibility": sorted(users[service])})
    return entries


def to_tach(policy: Policy, codebase: Codebase, source_root: str = ".") -> str:
    """A `tach.toml`: modules with `depends_on` (run `tach check` beside it)."""
    import tomli_w

    _, roots = _layout(policy, codebase)
    depends = dict(policy.depends_on)
    kernel = roots.get(SHARED_KERNEL, ())
    every = [r for found in roots.values() for r in found]
    modules = [_tach_module(path, every, True) for path in kernel]
    for service, own in roots.items():
        if service == SHARED_KERNEL:
            continue
        used = [r for other in depends.get(service, ()) for r in roots.get(other, ())]
        modules += [_tach_module(path, [*own, *kernel, *used], False) for path in own]
    document = {
        "source_roots": [source_root],
        "exact": False,
        "root_module": "ignore",
        "ignore_type_checking_imports": False,
        "modules": sorted(modules, key=lambda m: str(m["path"])),
    }
    interfaces = _interfaces(policy, roots, frozenset(m.name for m in codebase.modules))
    if interfaces:
        document["interfaces"] = interfaces
    header = "# Written by `strangler export --to tach`: the cut of the committed decomposition.\n"
    return header + tomli_w.dumps(document)


def export(policy: Policy, codebase: Codebase, target: ExportTarget) -> str:
    """The contracts of `target` for `policy` over `codebase`."""
    if target is ExportTarget.TACH:
        return to_tach(policy, codebase)
    return to_importlinter(policy, codebase)

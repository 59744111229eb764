"""A small dict-based `Scope` over a fixture tree, so framework tests do not depend on the
import resolver; plus the helper that scans and resolves a fixture tree with it."""

from __future__ import annotations

import ast
from pathlib import Path

from analyzers.frameworks.joining import FrameworkFacts, FrameworkResult, resolve, scan_file
from analyzers.model import Module

Binding = tuple[str, str]  # (module, symbol); symbol "" when a module is bound


class FakeScope:
    """Resolves names bound by imports and top-level definitions, parsed from source files."""

    def __init__(self, sources: dict[str, str], packages: frozenset[str] = frozenset()) -> None:
        self.modules = frozenset(sources)
        self.bindings: dict[str, dict[str, Binding]] = {}
        self.defined: dict[str, set[str]] = {}
        for module, source in sources.items():
            package = module if module in packages else module.rpartition(".")[0]
            self._read(module, package, ast.parse(source))

    def _read(self, module: str, package: str, tree: ast.Module) -> None:
        bound = self.bindings.setdefault(module, {})
        defined = self.defined.setdefault(module, set())
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        bound[alias.asname] = (alias.name, "")
                    else:
                        head = alias.name.partition(".")[0]
                        bound[head] = (head, "")
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join([*parts, base] if base else parts)
                for alias in node.names:
                    bound[alias.asname or alias.name] = (base, alias.name)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                defined.update(t.id for t in node.targets if isinstance(t, ast.Name))

    def resolve_module(self, dotted: str) -> str | None:
        return dotted if dotted in self.modules else None

    def is_external(self, module: str, dotted: str) -> bool:
        binding = self.bindings.get(module, {}).get(dotted.partition(".")[0])
        return binding is not None and binding[0].partition(".")[0] not in {
            m.partition(".")[0] for m in self.modules
        }

    def resolve_name(self, module: str, dotted: str, depth: int = 0) -> tuple[str, str] | None:
        if depth > 20:
            return None
        head, *rest = dotted.split(".")
        binding = self.bindings.get(module, {}).get(head)
        if binding is None:
            return (module, dotted) if head in self.defined.get(module, set()) else None
        target, symbol = binding
        if symbol and f"{target}.{symbol}" in self.modules:
            target, symbol = f"{target}.{symbol}", ""
        if target not in self.modules:
            return None
        if not symbol:
            while rest and f"{target}.{rest[0]}" in self.modules:
                target, rest = f"{target}.{rest[0]}", rest[1:]
            if not rest:
                return (target, "")
            symbol, rest = rest[0], rest[1:]
        inner = self.resolve_name(target, symbol, depth + 1)  # follow re-exports
        if inner is None:
            return None
        return (inner[0], ".".join(p for p in (inner[1], *rest) if p))


def read_tree(root: Path) -> tuple[dict[str, str], dict[str, Module]]:
    """Sources and Module records of every .py file under `root`, by module name."""
    sources: dict[str, str] = {}
    modules: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts)
        sources[name] = path.read_text()
        modules[name] = Module(name, relative.as_posix(), 0, is_package)
    return sources, modules


def framework_result(root: Path) -> tuple[FrameworkResult, dict[str, FrameworkFacts]]:
    """Scan every file of the tree and resolve the facts with a FakeScope."""
    sources, modules = read_tree(root)
    packages = frozenset(n for n, m in modules.items() if m.is_package)
    facts = {name: scan_file(ast.parse(source), name, modules[name].path) for name, source in sources.items()}
    return resolve(facts, FakeScope(sources, packages), modules), facts


def test_fake_scope_follows_imports_and_reexports() -> None:
    scope = FakeScope(
        {
            "pkg": "from pkg.impl import thing\n",
            "pkg.impl": "def thing(): pass\n",
            "pkg.user": "import pkg\nfrom pkg import impl\nfrom . import impl as alias\n",
        },
        frozenset({"pkg"}),
    )
    assert scope.resolve_name("pkg.user", "pkg.thing") == ("pkg.impl", "thing")
    assert scope.resolve_name("pkg.user", "impl.thing") == ("pkg.impl", "thing")
    assert scope.resolve_name("pkg.user", "alias") == ("pkg.impl", "")
    assert scope.resolve_name("pkg.user", "pkg.impl") == ("pkg.impl", "")
    assert scope.resolve_name("pkg.user", "os.path") is None
    assert scope.resolve_module("pkg.impl") == "pkg.impl"
    assert scope.resolve_module("pkg.nothing") is None

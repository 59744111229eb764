"""Does a generated skeleton stand on its own? Its imports are checked with `ast`, never by importing.

An import is resolved when it names a module of the skeleton (or a name inside one), and leaks when
it still names the monolith's packages: a leak means the service would only run next to the
monolith's source tree. Third-party and standard library imports are the pyproject's business.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from strangler.skeleton.sources import resolve_relative


@dataclass(frozen=True, slots=True, order=True)
class ImportProblem:
    path: str
    line: int
    name: str
    problem: str  # "missing" (a skeleton module that is not there) or "leak" (the monolith's code)


def skeleton_modules(files: Mapping[str, str], root: str) -> dict[str, tuple[str, bool]]:
    """Module name -> (path, is_package) for the Python files under `root/` (a service directory)."""
    modules = {}
    for path in files:
        if not (path.startswith(f"{root}/") and path.endswith(".py")):
            continue
        parts = path[len(root) + 1 : -3].split("/")
        if parts[0] == "tests":
            continue
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        modules[name] = (path, is_package)
    return modules


def import_problems(
    files: Mapping[str, str], root: str, monolith_tops: frozenset[str]
) -> list[ImportProblem]:
    """Imports under `root/` that do not resolve inside the skeleton or reach into the monolith."""
    modules = skeleton_modules(files, root)
    tops = {name.split(".")[0] for name in modules}
    problems = []
    for name, (path, is_package) in sorted(modules.items()):
        for node in ast.walk(ast.parse(files[path])):
            wanted: list[str] = []
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                wanted = [resolve_relative(name, is_package, node.level, node.module)]
            for module in wanted:
                top = module.split(".")[0]
                line = getattr(node, "lineno", 0)
                if top in tops:
                    if module not in modules:
                        problems.append(ImportProblem(path, line, module, "missing"))
                elif top in monolith_tops:
                    problems.append(ImportProblem(path, line, module, "leak"))
    return sorted(set(problems))

"""Project classes standing in for a framework's: `class UserAPIRouter(APIRouter)` (mealie),
`class NetBoxRouter(DefaultRouter)` (netbox).

A file shows only the name it calls (`router = UserAPIRouter(prefix="/groups")`); whether that class
derives from the framework's is decided once every file is known, from the bases each top-level
class declares, followed through imports and re-exports.
"""

from __future__ import annotations

from collections.abc import Container, Mapping

from analyzers.python.scope import Scope

#: Subclass levels followed from a project's class to the framework's.
MAX_DEPTH = 8
#: (module, class name) → the class's bases as written.
Bases = Mapping[tuple[str, str], tuple[str, ...]]


def derives_from(
    module: str, written: str, names: Container[str], bases: Bases, scope: Scope, depth: int = 0
) -> bool:
    """Whether the class `written` in `module` is named one of `names` (the framework's classes)
    or is a codebase class deriving from one of them."""
    if written.rpartition(".")[2] in names:
        return True
    found = scope.resolve_name(module, written)
    if found is None or found not in bases or depth > MAX_DEPTH:
        return False
    return any(derives_from(found[0], base, names, bases, scope, depth + 1) for base in bases[found])

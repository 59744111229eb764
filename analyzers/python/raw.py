"""What one file says about imports and names before anything is resolved: `RawImport`, `RawUse`.

The walk of each file (analyzers.python.walk) produces them; `imports` and
`references` resolve them once every file is known. Named tuples, not dataclasses: tens of
thousands are made per run, sent from the worker processes and stored in the cache, and a tuple is
built and moved in C.
"""

from __future__ import annotations

from typing import NamedTuple

from analyzers.model import ReferenceKind

MODULE_CALLER = "<module>"


class RawImport(NamedTuple):
    """An import statement (or a literal dynamic import) as written, before resolution."""

    line: int
    module: str  # dotted name after `import` / `from` ("" in `from . import x`)
    level: int  # leading dots of a relative import
    is_from: bool
    names: tuple[tuple[str, str], ...] = ()  # from-imports: (name, local name); ("*", "") for star
    bound: str = ""  # `import a.b` binds "a"; `import a.b as c` binds "c"; "" for dynamic imports
    markers: frozenset[str] = frozenset()
    caller: str = MODULE_CALLER  # top-level function/class the import sits in


class RawUse(NamedTuple):
    """A use of an import-bound name: `chain` is the dotted access, e.g. ("service", "place_order")."""

    caller: str
    line: int
    chain: tuple[str, ...]
    kind: ReferenceKind

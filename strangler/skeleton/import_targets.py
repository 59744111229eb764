"""Where each name a module imports lives after a cut: the maps of a `Relocation`, per imported name.

`from_targets` answers, for each name of one `from base import ...` statement, the module it now comes
from (moved or vendored code, a generated client) or that it stays (`KEEP`); both rewrites of a
statement (the text one in import_text.py, the libcst one in relocator.py) follow it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from strangler.skeleton.layout import mangle


@dataclass(frozen=True, slots=True)
class Relocation:
    """Where the names a module imports now live.

    `local` maps original module names to their new names (moved or vendored code);
    `remote` maps (module, function) to (client module, client function name), and
    `remote_modules` maps a module used as a namespace to (client module, namespace name).
    """

    local: Mapping[str, str]
    remote: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    remote_modules: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    known: AbstractSet[str] = frozenset()  # every module name of the codebase


#: Group key of imported names that stay where the statement says (module and dots kept).
KEEP = "\0keep"


#: Where a name imported by `from base import name` goes: (new module or KEEP, imported name,
#: bound name or None), per alias in order.
Target = tuple[str, str, str | None]


def from_targets(
    base: str,
    aliases: Sequence[tuple[str, str, bool]],
    rel: Relocation,
    drop_bound: AbstractSet[str] = frozenset(),
) -> list[Target]:
    """Where each name of `from base import ...` goes; `aliases` are (name, bound name, whether
    written with `as`). A name bound in `drop_bound` is left out."""
    targets: list[Target] = []
    for original, bound, has_asname in aliases:
        if bound in drop_bound:
            continue
        asname = bound if has_asname else None
        submodule = f"{base}.{original}"
        if submodule in rel.known or submodule in rel.local:
            targets.append(_submodule_target(rel, submodule, (original, bound, asname)))
        elif (base, original) in rel.remote:
            client, function = rel.remote[(base, original)]
            targets.append((client, function, bound))
        elif base in rel.local:
            targets.append((rel.local[base], original, asname))
        else:
            targets.append((KEEP, original, asname))
    return targets


def _submodule_target(rel: Relocation, submodule: str, alias: tuple[str, str, str | None]) -> Target:
    """Where `from base import <submodule>` goes; `alias` is (name, bound name, `as` name or None)."""
    original, bound, asname = alias
    if submodule in rel.local:
        parent, _, last = rel.local[submodule].rpartition(".")
        return parent, last, bound if last != bound else None
    if submodule in rel.remote_modules:
        client, namespace = rel.remote_modules[submodule]
        return client, namespace, bound
    return KEEP, original, asname


def relocated_dotted(value: str, local: Mapping[str, str]) -> str | None:
    """A string that names a relocated module, or `module.attribute` / `module:attribute` in one."""
    if "." not in value:
        return None  # a bare top-level name ("shop") is too likely to be ordinary text
    if value in local:
        return local[value]
    for sep in (":", "."):
        head, found, tail = value.rpartition(sep)
        if found and head in local and tail.isidentifier():
            return f"{local[head]}{sep}{tail}"
    return None


def remote_map(
    functions: Sequence[tuple[str, str]], modules: Sequence[str], client_module: str
) -> tuple[dict[tuple[str, str], tuple[str, str]], dict[str, tuple[str, str]]]:
    """The `remote` and `remote_modules` maps of a Relocation for one generated client module."""
    remote = {(m, n): (client_module, f"{mangle(m)}__{n}") for m, n in functions}
    namespaces = {m: (client_module, mangle(m)) for m in modules}
    return remote, namespaces

"""The whole-run cache: the resolved facts of the last run on a root, reused when nothing changed.

The per-file facts cache (analyzers.cache) spares parsing; this snapshot also spares reading, hashing,
unpickling and resolution. It is valid only when the extractor fingerprint, the options that decide
what is scanned, the per-file facts store it was derived from, and every discovered file's
(path, module, size, mtime_ns, ctime_ns, inode) are exactly those of the run that wrote it, the way
git's index trusts file stamps. It is never written while a file is "racy" (changed within the last
seconds, where a second edit could keep the same stamps), so an edit is never missed. History
(co-change) is not part of it: it depends on the git repository and is read again on every run.

The format is `marshal` of plain tuples: an order of magnitude faster to load than pickled
dataclasses. Anything unexpected in the file means "no snapshot", never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from analyzers.model import (
    Codebase,
    Diagnostic,
    ExternalImport,
    ImportEdge,
    Module,
    Reference,
    Route,
    Symbol,
    Table,
    TableAccess,
)
from analyzers.options import AnalysisOptions

#: Bump when the snapshot layout or the Codebase fields change.
SNAPSHOT_FORMAT = 1
#: A file changed less than this long before the snapshot would be written makes it unsafe to write.
RACY_NANOSECONDS = 2_000_000_000

# One file's stamp: (relative path, module, size, mtime_ns, ctime_ns, inode)
Stamp = tuple[str, str, int, int, int, int]

_PLAIN = (ImportEdge, ExternalImport, Reference, Route, Table, TableAccess, Diagnostic)
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls)) for cls in (*_PLAIN, Module, Symbol)
}
#: Codebase fields kept in the snapshot, in order; each a tuple of one dataclass.
_PARTS: tuple[tuple[str, type], ...] = (
    ("imports", ImportEdge),
    ("externals", ExternalImport),
    ("references", Reference),
    ("routes", Route),
    ("tables", Table),
    ("accesses", TableAccess),
    ("diagnostics", Diagnostic),
)


def snapshot_file(directory: Path, root: Path) -> Path:
    key = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return directory / f"run-{key}.marshal"


def run_key(fingerprint: str, root: Path, options: AnalysisOptions, store: Path) -> str:
    """What besides the files decides the result: tool, root, scan options, the facts store it used."""
    try:
        info = os.stat(store)
        identity = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"
    except OSError:
        identity = "-"
    scanned = (options.exclude, options.source_roots, options.max_file_bytes)
    return f"{SNAPSHOT_FORMAT};{fingerprint};{root};{scanned!r};store={identity}"


def stamps(root: Path, files: Sequence[tuple[str, str]]) -> tuple[Stamp, ...] | None:
    """(path, module, size, mtime, ctime, inode) of every (relative path, module); None if one fails."""
    out: list[Stamp] = []
    base = str(root)
    try:
        for relpath, module in files:
            info = os.stat(f"{base}/{relpath}")
            out.append((relpath, module, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    except OSError:
        return None
    return tuple(out)


def is_racy(current: Sequence[Stamp]) -> bool:
    """Whether some file changed so recently that a further edit might not change its stamp."""
    limit = time.time_ns() - RACY_NANOSECONDS
    return any(s[3] >= limit or s[4] >= limit for s in current)


def load(path: Path, key: str, current: Sequence[Stamp]) -> Codebase | None:
    """The snapshot's Codebase (no co-change, no stats) when it matches `key` and `current` exactly."""
    try:
        with open(path, "rb") as handle:
            document = marshal.load(handle)
        if document[0] != key or document[1] != tuple(current):
            return None
        return _decode(document[2])
    except Exception:  # missing, damaged, another layout: no snapshot
        return None


def save(path: Path, key: str, current: Sequence[Stamp], codebase: Codebase) -> bool:
    """Write atomically unless a file is racy; False when not written (never raises for I/O)."""
    if is_racy(current):
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".run-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                marshal.dump((key, tuple(current), _encode(codebase)), stream)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError):
        return False
    return True


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _rows(items: Sequence[Any], names: tuple[str, ...]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(getattr(item, name) for name in names) for item in items)


def _encode(codebase: Codebase) -> tuple[Any, ...]:
    symbol_fields = _FIELDS[Symbol]
    modules = tuple(
        (m.name, m.path, m.loc, m.is_package, m.role, _rows(m.symbols, symbol_fields), m.docstring, m.terms)
        for m in codebase.modules
    )
    parts = tuple(_rows(getattr(codebase, name), _FIELDS[cls]) for name, cls in _PARTS)
    return (codebase.root, modules, parts)


def _decode(document: tuple[Any, ...]) -> Codebase:
    root, rows, parts = document
    modules = tuple(
        Module(name, path, loc, is_package, role, tuple([Symbol(*s) for s in symbols]), docstring, terms)
        for name, path, loc, is_package, role, symbols, docstring, terms in rows
    )
    values: dict[str, Any] = {}
    for (name, cls), part in zip(_PARTS, parts, strict=True):
        values[name] = tuple([cls(*row) for row in part])
    return Codebase(root=root, modules=modules, **values)

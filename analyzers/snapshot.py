"""The whole-run cache: the resolved facts of the last run on a root, reused when nothing changed.

The per-file facts cache (analyzers.cache) spares parsing; this snapshot also spares reading, hashing,
unpickling and resolution. It is valid only when the extractor fingerprint, the options that decide
what is scanned, the per-file facts store it was derived from, and every discovered file's
(path, module, size, mtime_ns, ctime_ns, inode) are exactly those of the run that wrote it, the way
git's index trusts file stamps. It is never written while a file is "racy" (changed within the last
seconds, where a second edit could keep the same stamps), so an edit is never missed. History
(co-change) is not part of it: it depends on the git repository and is read again on every run.

It also keeps the discovery (which files, which module names) with the stamps of every directory
whose listing decided it: adding, removing or renaming an entry changes its directory's mtime, so
while no directory stamp changed, the walk of the tree (2,400 directories on Django) is skipped.

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

from analyzers.discovery import Discovery, SourceFile
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
SNAPSHOT_FORMAT = 2
#: A file changed less than this long before the snapshot would be written makes it unsafe to write.
RACY_NANOSECONDS = 2_000_000_000

# One file's stamp: (relative path, module, size, mtime_ns, ctime_ns, inode)
Stamp = tuple[str, str, int, int, int, int]
# One directory's stamp: (absolute path, mtime_ns, ctime_ns, inode)
DirectoryStamp = tuple[str, int, int, int]

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


def directory_stamps(directories: Sequence[str]) -> tuple[DirectoryStamp, ...] | None:
    """(path, mtime, ctime, inode) of every directory; None if one cannot be read."""
    out: list[DirectoryStamp] = []
    try:
        for directory in directories:
            info = os.stat(directory)
            out.append((directory, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    except OSError:
        return None
    return tuple(out)


def read(path: Path, key: str) -> tuple[Any, ...] | None:
    """The raw snapshot at `path` when it was written for `key`; None when missing, stale or damaged."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        document = marshal.loads(data)  # marshal.load(file) reads item by item: 5x slower
        if type(document) is tuple and len(document) == 5 and document[0] == key:
            return document
    except Exception:  # missing, damaged, another layout: no snapshot
        pass
    return None


def discovery(document: tuple[Any, ...]) -> Discovery | None:
    """The snapshot's discovery, when no directory it listed has changed since."""
    try:
        directories = document[1]
        if not directories or directory_stamps([d[0] for d in directories]) != directories:
            return None
        rows, problems, skipped, excluded = document[2]
        return Discovery(
            files=tuple([SourceFile(*row) for row in rows]),
            diagnostics=tuple([Diagnostic(*row) for row in problems]),
            skipped_dirs=skipped,
            excluded=excluded,
            directories=tuple(d[0] for d in directories),
        )
    except Exception:
        return None


def load(document: tuple[Any, ...], current: Sequence[Stamp]) -> Codebase | None:
    """The snapshot's Codebase (no co-change, no stats) when every file stamp matches `current`."""
    try:
        if document[3] != tuple(current):
            return None
        return _decode(document[4])
    except Exception:
        return None


def save(path: Path, key: str, found: Discovery, current: Sequence[Stamp], codebase: Codebase) -> bool:
    """Write atomically unless a file is racy; False when not written (never raises for I/O).

    A racy directory only keeps the discovery out of the snapshot."""
    if is_racy(current):
        return False
    directories = directory_stamps(found.directories) or ()
    limit = time.time_ns() - RACY_NANOSECONDS
    if any(d[1] >= limit or d[2] >= limit for d in directories):
        directories = ()
    listing = (
        tuple((f.module, f.path, f.is_package, f.role) for f in found.files),
        _rows(found.diagnostics, _FIELDS[Diagnostic]),
        found.skipped_dirs,
        found.excluded,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".run-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(marshal.dumps((key, directories, listing, tuple(current), _encode(codebase))))
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

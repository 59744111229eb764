"""The whole-run cache: the resolved facts of the last run on a root, reused when nothing changed.

The per-file facts cache (analyzers.files.cache) spares parsing; this snapshot also spares reading, hashing,
decoding the facts and resolution. It is valid only when the extractor fingerprint, the options that
decide what is scanned, the per-file facts store it was derived from, and every discovered file's
(path, module, size, mtime_ns, ctime_ns, inode) are exactly those of the run that wrote it, the way
git's index trusts file stamps. It is never written while a file is "racy" (changed within the last
seconds, where a second edit could keep the same stamps), so an edit is never missed. History
(co-change) is not part of it: it depends on the git repository and is read again on every run.

It also keeps the discovery (which files, which module names) with the stamps of every directory
whose listing decided it: adding, removing or renaming an entry changes its directory's mtime, so
while no directory stamp changed, the walk of the tree (2,400 directories on Django) is skipped.

The file sits in a cache directory someone else may have written (analyzers.files.cache): it is JSON in
the columnar layout of analyzers.files.facts_codec, never pickle or marshal (`marshal.loads` crashes the
interpreter on crafted input), read only from a regular file of bounded size. Two lines: the key,
the discovery and the file stamps, then the Codebase, which is parsed only when every stamp
matched. Every part is checked against its schema before a value is built from it; the analyzed
root is the one of the run key, never one read from the file, and the listed files must be plain
relative paths. Anything unexpected means "no snapshot", never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from analyzers.files.cache import read_regular_file, write_atomically
from analyzers.files.discovery import Discovery, SourceFile
from analyzers.files.facts_codec import (
    CodecError,
    Fixed,
    Plain,
    Spec,
    decode,
    dumps,
    encode,
    loads,
    members,
    schema,
)
from analyzers.model import (
    Codebase,
    Diagnostic,
    ExternalImport,
    ImportEdge,
    Module,
    Reference,
    Route,
    Table,
    TableAccess,
)
from analyzers.options import AnalysisOptions

#: Bump when the snapshot layout or the Codebase fields change.
SNAPSHOT_FORMAT = 3
#: What the document says it is.
LAYOUT = f"strangler.run/{SNAPSHOT_FORMAT}"
#: A larger snapshot is not read (Django's takes 3 MB).
MAX_BYTES = 1 << 30
#: A file changed less than this long before the snapshot would be written makes it unsafe to write.
RACY_NANOSECONDS = 2_000_000_000

# One file's stamp: (relative path, module, size, mtime_ns, ctime_ns, inode)
Stamp = tuple[str, str, int, int, int, int]
# One directory's stamp: (absolute path, mtime_ns, ctime_ns, inode)
DirectoryStamp = tuple[str, int, int, int]

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


class _Header(NamedTuple):
    """The first line of a snapshot file: what decides whether the rest is used."""

    layout: Any
    key: Any
    directories: Any
    files: Any
    problems: Any
    skipped: Any
    excluded: Any
    stamps: Any


class _Body(NamedTuple):
    """The second line: the Codebase, parsed only once every file stamp matched."""

    modules: Any
    imports: Any
    externals: Any
    references: Any
    routes: Any
    tables: Any
    accesses: Any
    diagnostics: Any


class _Read(NamedTuple):
    """What `read` gives: the header, the body still unparsed, the analyzed root (of the run key)."""

    header: _Header
    body: bytes
    root: str


def snapshot_file(directory: Path, root: Path) -> Path:
    """Where the snapshot of `root` is kept (`.json`: a marshal file of an older version is never opened)."""
    key = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return directory / f"run-{key}.json"


def run_key(fingerprint: str, root: Path, options: AnalysisOptions, store: Path) -> str:
    """What besides the files decides the result: tool, root, scan options, the facts store it used.

    A JSON array, so that `read` can take the root out of it again."""
    try:
        info = os.lstat(store)  # (the store itself: a symlink put in its place is another store)
        identity = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"
    except OSError:
        identity = "-"
    scanned = (options.exclude, options.source_roots, options.max_file_bytes)
    return json.dumps([SNAPSHOT_FORMAT, fingerprint, str(root), repr(scanned), f"store={identity}"])


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
    """The snapshot at `path` when it was written for `key`; None when missing, stale or damaged.

    Only the members of its first line are checked here; `discovery` and `load` check in full each
    part they use, and `load` parses the second line (the Codebase) only when every stamp matched."""
    try:
        root = json.loads(key)[2]
        head, _, body = read_regular_file(path, MAX_BYTES).partition(b"\n")
        header = _Header(*members(loads(head), _Header._fields))
    except (OSError, ValueError, LookupError):  # (CodecError is a ValueError)
        return None
    if header.layout != LAYOUT or header.key != key or type(root) is not str:
        return None
    return _Read(header, body, root)


def discovery(found: tuple[Any, ...]) -> Discovery | None:
    """The snapshot's discovery, when no directory it listed has changed since."""
    try:
        header = _Read(*found).header
        specs = _specs()
        directories = tuple(decode(specs.directories, header.directories))
        if not directories or directory_stamps([d[0] for d in directories]) != directories:
            return None
        files = tuple(decode(specs.files, header.files))
        problems = tuple(decode(specs.diagnostics, header.problems))
    except (CodecError, TypeError):
        return None
    counts_ok = type(header.skipped) is int and type(header.excluded) is int
    if not counts_ok or not all(_plain_relative(f.path) for f in files):
        return None
    return Discovery(
        files=files,
        diagnostics=problems,
        skipped_dirs=header.skipped,
        excluded=header.excluded,
        directories=tuple(d[0] for d in directories),
    )


def load(found: tuple[Any, ...], current: Sequence[Stamp]) -> Codebase | None:
    """The snapshot's Codebase (no co-change, no stats) when every file stamp matches `current`."""
    try:
        read_back = _Read(*found)
        specs = _specs()
        if tuple(decode(specs.stamps, read_back.header.stamps)) != tuple(current):
            return None
        body = _Body(*members(loads(read_back.body), _Body._fields))
        return _decode(body, read_back.root, current, specs)
    except (CodecError, TypeError):
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
    try:
        header, body = _encode(key, found, directories, current, codebase)
        write_atomically(path, dumps(header._asdict()) + b"\n" + dumps(body._asdict()), ".run-")
    except (OSError, CodecError):
        return False
    return True


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


class _Specs(NamedTuple):
    directories: Spec
    files: Spec
    stamps: Spec
    modules: Spec
    diagnostics: Spec
    parts: tuple[Spec, ...]  # in the order of _PARTS


@lru_cache(maxsize=1)
def _specs() -> _Specs:
    text, number = Plain(str), Plain(int)
    return _Specs(
        directories=Fixed((text, number, number, number)),
        files=schema(SourceFile),
        stamps=Fixed((text, text, number, number, number, number)),
        modules=schema(Module),
        diagnostics=schema(Diagnostic),
        parts=tuple(schema(cls) for _, cls in _PARTS),
    )


def _encode(
    key: str,
    found: Discovery,
    directories: Sequence[DirectoryStamp],
    current: Sequence[Stamp],
    codebase: Codebase,
) -> tuple[_Header, _Body]:
    specs = _specs()
    header = _Header(
        LAYOUT,
        key,
        encode(specs.directories, directories),
        encode(specs.files, found.files),
        encode(specs.diagnostics, found.diagnostics),
        found.skipped_dirs,
        found.excluded,
        encode(specs.stamps, current),
    )
    parts = [
        encode(spec, getattr(codebase, name)) for (name, _), spec in zip(_PARTS, specs.parts, strict=True)
    ]
    return header, _Body(encode(specs.modules, codebase.modules), *parts)


def _decode(body: _Body, root: str, current: Sequence[Stamp], specs: _Specs) -> Codebase | None:
    """The Codebase of `body`, when its modules are exactly the files of `current`."""
    modules = tuple(decode(specs.modules, body.modules))
    if sorted((m.path, m.name) for m in modules) != sorted((s[0], s[1]) for s in current):
        return None
    values: dict[str, Any] = {}
    for (name, _), spec in zip(_PARTS, specs.parts, strict=True):
        values[name] = tuple(decode(spec, getattr(body, name)))
    return Codebase(root=root, modules=modules, **values)


def _plain_relative(path: str) -> bool:
    """A relative POSIX path of a .py file that stays below the root (no '..', '.', '' or '\\')."""
    if not path.endswith(".py") or path.startswith("/") or "\\" in path or "\x00" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))

"""The per-file facts cache: one JSON document per analyzed root, keyed by content hash.

An entry is reused when the file's bytes hash to the same digest and the module name is unchanged;
the whole file is ignored when the extractor's fingerprint differs (another tool version, or the
extractor sources changed). Writes are atomic (temporary file, then rename), so a reader sees a
whole file or none, and concurrent runs only replace each other's complete files.

The cache directory may be shared, or restored from a CI cache someone else filled: its content is
data that must never run code. It is JSON decoded under the FileFacts schema (analyzers.files.facts_codec),
never pickle, and only a regular file (no symlink, FIFO or device) of bounded size is read. Whatever
does not decode is ignored with a one-line `cache-corrupt` diagnostic, and the file is rewritten.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from analyzers.files import facts_codec
from analyzers.files.facts_codec import CodecError
from analyzers.model import Diagnostic

if TYPE_CHECKING:  # parsing (and the facts schema) are not needed when the whole-run snapshot is used
    from analyzers.python.parsing import FileFacts

#: Bump when FileFacts (or what the extractors put in it) changes shape or meaning.
FACTS_FORMAT = 4
#: What the document says it is. One of another format version is stale (ignored without a word);
#: anything else at the name of the cache is reported and rewritten.
LAYOUT = f"strangler.facts/{FACTS_FORMAT}"
#: A larger cache file is not read (the facts of Django take 3 MB).
MAX_BYTES = 1 << 30
_DIGEST_BYTES = 16

# One entry: (content digest, module name, facts)
Entry = tuple[bytes, str, "FileFacts"]


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_BYTES).digest()


def cache_directory(configured: str | None) -> Path:
    """`configured`, else $XDG_CACHE_HOME/strangler, else ~/.cache/strangler."""
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "strangler"


def fingerprint(directory: Path | None = None) -> str:
    """Tool version, facts format, the Python version and the identity (size, mtime) of every
    extractor source.

    Every module of the analyzers package and its subpackages counts, so an edit to any of them
    invalidates cached facts (tests/analyzers/files/test_cache.py holds that). `directory` is for
    tests: the `analyzers` package directory by default.
    """
    # The Python running the analysis counts too: its parser decides what parses (3.12 generics).
    python = "{}.{}".format(*sys.version_info[:2])
    parts = [f"format={FACTS_FORMAT}", f"version={_tool_version()}", f"python={python}"]
    here = directory if directory is not None else Path(__file__).resolve().parent.parent
    for source in sorted(here.rglob("*.py")):
        info = source.stat()
        parts.append(f"{source.relative_to(here).as_posix()}={info.st_size}:{info.st_mtime_ns}")
    return ";".join(parts)


@dataclass(frozen=True, slots=True)
class LoadedCache:
    entries: Mapping[str, Entry]  # relative path -> entry
    diagnostic: Diagnostic | None = None


def cache_file(directory: Path, root: Path) -> Path:
    """Where the facts of `root` are kept (`.json`: a file of the pickle era is never opened)."""
    key = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return directory / f"facts-{key}.json"


def load(path: Path, expected: str) -> LoadedCache:
    """Entries of the cache at `path`; empty when missing, stale or damaged (damage is reported)."""
    try:
        data = read_regular_file(path, MAX_BYTES)
    except FileNotFoundError:
        return LoadedCache({})
    except OSError as exc:  # a symlink, FIFO or device, too large, unreadable
        return LoadedCache({}, _corrupt(path, exc.strerror or type(exc).__name__))
    try:
        entries = _decode(data, expected)
    except CodecError as exc:  # truncated, garbage, another layout, a value of the wrong type
        return LoadedCache({}, _corrupt(path, str(exc)))
    return LoadedCache(entries)


def save(path: Path, stamp: str, entries: Mapping[str, Entry]) -> Diagnostic | None:
    """Write atomically; a failure (read-only home, full disk) is a diagnostic, not an error."""
    rows = [(relpath, key.hex(), module, facts) for relpath, (key, module, facts) in entries.items()]
    try:
        document = {"layout": LAYOUT, "fingerprint": stamp, "entries": facts_codec.encode(_schema(), rows)}
        write_atomically(path, facts_codec.dumps(document), ".facts-")
    except CodecError as exc:  # facts that do not fit their own schema: an extractor bug
        return Diagnostic(str(path), 0, "cache-unwritable", f"facts cache not written: {exc}")
    except OSError as exc:
        return Diagnostic(str(path), 0, "cache-unwritable", f"facts cache not written: {exc.strerror or exc}")
    return None


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file (not a symlink) of at most `limit` bytes.

    Raises FileNotFoundError when it is missing and another OSError for anything else: a symlink
    (never followed: it could lead out of the cache directory, or to /dev/zero), a FIFO or device
    (never opened, so never waited on), a larger file, one that changes size while read."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    flags = (
        os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    )
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    with open(descriptor, "rb") as handle:
        info = os.fstat(descriptor)  # (what was opened: the path may have been replaced since lstat)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit} bytes")
        data = handle.read(info.st_size + 1)
    if len(data) != info.st_size:
        raise OSError(errno.EIO, "changed while read")
    return data


def write_atomically(path: Path, data: bytes, prefix: str) -> None:
    """`data` at `path` through a temporary file in the same directory, renamed over it.

    A reader sees the old file or the new one, never a part; of two concurrent writers the later
    rename wins. The rename replaces whatever is at `path` (a symlink included) and follows nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _decode(data: bytes, expected: str) -> dict[str, Entry]:
    """The entries of a cache document written with fingerprint `expected` ({} for another one)."""
    document = facts_codec.loads(data)
    if _stale(document, expected):
        return {}
    layout, _, column = facts_codec.members(document, ("layout", "fingerprint", "entries"))
    if layout != LAYOUT:
        raise CodecError("another layout")
    rows = facts_codec.decode(_schema(), column)
    return {relpath: (_digest_bytes(key), module, facts) for relpath, key, module, facts in rows}


def _stale(document: object, expected: str) -> bool:
    """A facts document of another tool version, format or extractor: not damaged, only stale."""
    if type(document) is not dict:
        return False
    layout, stamp = document.get("layout"), document.get("fingerprint")
    return (
        type(layout) is str
        and layout.startswith("strangler.facts/")
        and type(stamp) is str
        and stamp != expected
    )


def _digest_bytes(text: str) -> bytes:
    try:
        found = bytes.fromhex(text)
    except ValueError as exc:
        raise CodecError("a digest that is no hex") from exc
    if len(found) != _DIGEST_BYTES:
        raise CodecError("a digest of another length")
    return found


@lru_cache(maxsize=1)
def _schema() -> facts_codec.Fixed:
    """(relative path, digest as hex, module, FileFacts): the FileFacts schema reaches every class
    of the facts (the framework facts of `FileFacts.frameworks`, typed Any there, included)."""
    from analyzers.frameworks.joining import FrameworkFacts
    from analyzers.python.parsing import FileFacts

    facts = facts_codec.schema(FileFacts, {(FileFacts, "frameworks"): FrameworkFacts | None})
    text = facts_codec.Plain(str)
    return facts_codec.Fixed((text, text, text, facts))


def _corrupt(path: Path, reason: str) -> Diagnostic:
    return Diagnostic(str(path), 0, "cache-corrupt", f"facts cache ignored ({reason}); it will be rewritten")


def _tool_version() -> str:
    from analyzers import __version__

    return __version__

"""The per-file facts cache: one compact pickle per analyzed root, keyed by content hash.

An entry is reused when the file's bytes hash to the same digest and the module name is unchanged;
the whole file is ignored when the extractor's fingerprint differs (another tool version, or the
extractor sources changed). Writes are atomic (temporary file, then rename); a damaged cache is
ignored with a diagnostic, never a crash.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analyzers.model import Diagnostic

if TYPE_CHECKING:  # parsing (and pickle) are not needed when the whole-run snapshot is used
    from analyzers.parsing import FileFacts

#: Bump when FileFacts (or what the extractors put in it) changes shape or meaning.
FACTS_FORMAT = 2

# One entry: (content digest, module name, facts)
Entry = tuple[bytes, str, "FileFacts"]


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def cache_directory(configured: str | None) -> Path:
    """`configured`, else $XDG_CACHE_HOME/strangler, else ~/.cache/strangler."""
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "strangler"


def fingerprint(directory: Path | None = None) -> str:
    """Tool version, facts format, the Python version and the identity (size, mtime) of every
    extractor source.

    Every module of the analyzers package counts, so an edit to any of them (the framework modules
    of `analyzers.frameworks.SOURCE_FILES` included; tests/test_analyze_cache.py holds that)
    invalidates cached facts. `directory` is for tests: the package directory by default.
    """
    # The Python running the analysis counts too: its parser decides what parses (3.12 generics).
    python = "{}.{}".format(*sys.version_info[:2])
    parts = [f"format={FACTS_FORMAT}", f"version={_tool_version()}", f"python={python}"]
    here = directory if directory is not None else Path(__file__).resolve().parent
    with os.scandir(here) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith(".py"):
                info = entry.stat()
                parts.append(f"{entry.name}={info.st_size}:{info.st_mtime_ns}")
    return ";".join(parts)


@dataclass(frozen=True, slots=True)
class LoadedCache:
    entries: Mapping[str, Entry]  # relative path -> entry
    diagnostic: Diagnostic | None = None


def cache_file(directory: Path, root: Path) -> Path:
    key = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return directory / f"facts-{key}.pickle"


def load(path: Path, expected: str) -> LoadedCache:
    """Entries of the cache at `path`; empty when missing, stale or damaged (damage is reported)."""
    import pickle

    try:
        with open(path, "rb") as handle:
            document = pickle.load(handle)
    except FileNotFoundError:
        return LoadedCache({})
    except Exception as exc:  # truncated, garbage, or classes that no longer exist
        return LoadedCache(
            {},
            Diagnostic(
                str(path),
                0,
                "cache-corrupt",
                f"facts cache ignored ({type(exc).__name__}); it will be rewritten",
            ),
        )
    if not (isinstance(document, tuple) and len(document) == 2 and isinstance(document[1], dict)):
        return LoadedCache(
            {}, Diagnostic(str(path), 0, "cache-corrupt", "facts cache has an unknown layout; ignored")
        )
    if document[0] != expected:
        return LoadedCache({})
    return LoadedCache(document[1])


def save(path: Path, stamp: str, entries: Mapping[str, Entry]) -> Diagnostic | None:
    """Write atomically; a failure (read-only home, full disk) is a diagnostic, not an error."""
    import pickle

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".facts-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((stamp, dict(entries)), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        return Diagnostic(str(path), 0, "cache-unwritable", f"facts cache not written: {exc.strerror or exc}")
    return None


def _tool_version() -> str:
    from analyzers import __version__

    return __version__

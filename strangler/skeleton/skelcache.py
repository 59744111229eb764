"""What a skeleton run keeps for the next one: each module's ModuleText, and the environment's map
of import names to distributions.

Reading every module with `ast` (`read_module`) is most of what the skeletons add to a warm `plan`
on a large tree, and it gives the same ModuleText as long as the module's text, its name, whether it
is a package, the set of module names of the codebase (what an import resolves to) and strangler's
own reading code are the same: that is the key of an entry. The environment's map
(`packages_distributions()`, a walk over every installed distribution) is reused while no directory
of `sys.path` that distributions live in changed (installing or removing one changes it).

The cache is one document per analyzed root in the cache directory of the facts
($XDG_CACHE_HOME/strangler), written atomically. Like the facts cache it may come from elsewhere (a
restored CI cache), so it is data that never runs: strict JSON, read only from a regular file (never
through a link, never a FIFO or device) of bounded size, decoded under the ModuleText schema
(analyzers.files.facts_codec) and type-checked. A document that does not decode is ignored, and rewritten
by the next save. Generated text is not kept here: buildcache.py keeps a build's files, for a run
whose inputs are all the same.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analyzers.files import facts_codec
from analyzers.files.cache import read_regular_file, write_atomically
from analyzers.files.facts_codec import CodecError
from strangler.skeleton.sources import ModuleText

LAYOUT = "strangler.skeleton-texts/1"
#: A larger document is not read (the texts of Django take about 15 MB).
MAX_BYTES = 1 << 28


@dataclass(frozen=True, slots=True)
class Cached:
    """What a previous run left: module -> (key, ModuleText), and the environment's map."""

    texts: Mapping[str, tuple[str, ModuleText]] = field(default_factory=dict)
    environment_stamp: str = ""
    environment: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def cache_path(directory: Path, root: Path) -> Path:
    key = hashlib.blake2b(str(root.resolve()).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return directory / f"skeletons-{key}.json"


def fingerprint() -> str:
    """Tool version, Python version and the identity of the modules that read texts."""
    from analyzers import __version__

    here = Path(__file__).resolve().parent
    parts = [LAYOUT, f"version={__version__}", "python={}.{}".format(*sys.version_info[:2])]
    for name in ("sources.py", "import_points.py", "source_text.py", "skelcache.py"):
        info = (here / name).stat()
        parts.append(f"{name}={info.st_size}:{info.st_mtime_ns}")
    return ";".join(parts)


def names_digest(names: Iterable[str]) -> str:
    """A digest of the module names of the codebase."""
    return hashlib.blake2b(
        "\n".join(sorted(names)).encode("utf-8", "surrogateescape"), digest_size=16
    ).hexdigest()


def text_key(name: str, is_package: bool, names: str, text: str) -> str:
    """The key of a module's ModuleText: its name, kind, the codebase's names digest and its text."""
    head = f"{name}\n{int(is_package)}\n{names}\n".encode("utf-8", "surrogateescape")
    return hashlib.blake2b(head + text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def environment_stamp() -> str:
    """The directories of sys.path that distributions are installed into, with their modification
    times (the directory of a script or the current one changes all the time: not counted)."""
    parts = [sys.version]
    for entry in sys.path:
        if os.path.basename(entry.rstrip(os.sep)) not in ("site-packages", "dist-packages"):
            continue
        try:
            parts.append(f"{entry}={os.stat(entry).st_mtime_ns}")
        except OSError:
            continue
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def _schema() -> facts_codec.Fixed:
    text = facts_codec.Plain(str)
    return facts_codec.Fixed((text, text, facts_codec.schema(ModuleText)))


def load(path: Path, stamp: str) -> Cached:
    """The cache at `path` written with fingerprint `stamp`; empty when missing, stale or damaged."""
    try:
        document = facts_codec.loads(read_regular_file(path, MAX_BYTES))
        layout, found, column, environment = facts_codec.members(
            document, ("layout", "fingerprint", "texts", "environment")
        )
        if layout != LAYOUT or found != stamp:
            return Cached()
        rows = facts_codec.decode(_schema(), column)
        return Cached({name: (key, text) for name, key, text in rows}, *_environment(environment))
    except (OSError, CodecError, ValueError, TypeError):
        return Cached()


def _environment(data: Any) -> tuple[str, dict[str, tuple[str, ...]]]:
    if not (
        isinstance(data, dict) and isinstance(data.get("stamp"), str) and isinstance(data.get("map"), dict)
    ):
        raise CodecError("environment: not a stamped map")
    found = {}
    for name, distributions in data["map"].items():
        if not (isinstance(distributions, list) and all(isinstance(d, str) for d in distributions)):
            raise CodecError("environment: not a map of names to lists of names")
        found[name] = tuple(distributions)
    return data["stamp"], found


def save(path: Path, stamp: str, cached: Cached) -> bool:
    """Write the cache atomically; False when it could not be (a read-only home, a full disk)."""
    rows = [(name, key, text) for name, (key, text) in sorted(cached.texts.items())]
    document = {
        "layout": LAYOUT,
        "fingerprint": stamp,
        "texts": facts_codec.encode(_schema(), rows),
        "environment": {
            "stamp": cached.environment_stamp,
            "map": {k: list(v) for k, v in sorted(cached.environment.items())},
        },
    }
    try:
        write_atomically(path, facts_codec.dumps(document), ".skeletons-")
    except (OSError, CodecError):
        return False
    return True

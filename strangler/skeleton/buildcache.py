"""The files a skeleton build gave, kept for a next run that would build them from the same inputs.

`build` is a pure function of its BuildInputs (generate.py): the codebase's facts, the cut, the
tree's sources, the services asked for, the options, the wire runtime's text, the root's project
files and the dependency facts (what the monolith declares, the environment's distributions, the
tree's top-level names). The modules' ModuleTexts are read from the sources and the module names, so
they add nothing. A warm re-run on an unchanged tree (the common case: `plan` again after a look at
the result) builds the very same files; rewriting every vendored module with libcst, rendering every
client and project file again is most of what the skeletons cost then. So the files are kept with a
key that is a digest of all those inputs and of the code that builds them (the source files of the
skeleton package, the analyzers, the cut's model and the errors by size and modification time; the
versions of strangler, Python, libcst, tomli-w and networkx), and reused when the key is the same.
Any difference, however small, is a different key and a full build.

Of the codebase the key takes what `build` reads: modules, imports, externals, references, routes,
tables, accesses and diagnostics, in the canonical form of the facts cache (analyzers.files.facts_codec);
not the run's counters (`stats`, which change on every run) nor the co-change history (skeletons never
read it). Other values go in canonically (`canonical`): sets sorted, mappings by sorted key, dataclasses
field by field, so that the same inputs give the same key whatever the hash seed.

Like the other caches this document may come from elsewhere: it is strict JSON read only from a
regular file of bounded size, checked to be a list of (path, text) string pairs; anything else is
a miss. One document per analyzed root, written atomically, in the facts cache's directory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
from collections.abc import Iterator, Mapping, Set
from pathlib import Path
from typing import Any

from analyzers.files import facts_codec
from analyzers.files.cache import read_regular_file, write_atomically
from analyzers.files.facts_codec import CodecError
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
from strangler.skeleton.build_inputs import BuildInputs

LAYOUT = "strangler.skeleton-files/1"
#: A larger document is not read (the skeletons of a 4,000-file monolith take about 70 MB).
MAX_BYTES = 1 << 30
#: The parts of a Codebase that `build` reads, with their record types.
CODEBASE_PARTS: tuple[tuple[str, type], ...] = (
    ("modules", Module),
    ("imports", ImportEdge),
    ("externals", ExternalImport),
    ("references", Reference),
    ("routes", Route),
    ("tables", Table),
    ("accesses", TableAccess),
    ("diagnostics", Diagnostic),
)


def cache_path(directory: Path, root: Path) -> Path:
    key = hashlib.blake2b(str(root.resolve()).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return directory / f"skeleton-files-{key}.json"


#: The code a build runs, below the directory holding `strangler` and `analyzers`: the skeleton
#: package, the facts, the cut's model and the errors (nothing else of strangler is imported by it).
CODE = ("strangler/skeleton", "analyzers", "strangler/boundaries/decomposition.py", "strangler/exceptions.py")
#: The libraries whose behaviour the files depend on (rewrites, TOML, the closures' graph).
LIBRARIES = ("libcst", "tomli_w", "networkx")


def code_fingerprint() -> str:
    """The source files of the code a build runs (CODE) by size and modification time, with the
    versions of strangler, Python and the LIBRARIES: what the build's code is."""
    import importlib.metadata

    from analyzers import __version__

    parts = [LAYOUT, __version__, sys.version]
    for library in LIBRARIES:
        try:
            parts.append(f"{library}={importlib.metadata.version(library)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{library}=?")
    here = Path(__file__).resolve().parents[2]
    for path in sorted(p for entry in CODE for p in _sources(here / entry)):
        info = path.stat()
        parts.append(f"{path.relative_to(here)}={info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def _sources(entry: Path) -> Iterator[Path]:
    """`entry` when it is a file, else the Python files below it."""
    if entry.is_file():
        yield entry
        return
    for folder, dirnames, filenames in os.walk(entry):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        yield from (Path(folder) / name for name in filenames if name.endswith(".py"))


def codebase_digest(codebase: Codebase) -> bytes:
    """A digest of the parts of `codebase` that skeletons read (see the module docstring)."""
    digest = hashlib.blake2b(codebase.root.encode("utf-8", "surrogateescape"), digest_size=20)
    for name, record in CODEBASE_PARTS:
        digest.update(f"\n{name}\n".encode())
        digest.update(
            facts_codec.dumps(facts_codec.encode(facts_codec.schema(record), getattr(codebase, name)))
        )
    return digest.digest()


def canonical(value: Any) -> Any:
    """`value` as nested tuples of plain values, the same for equal values whatever the hash seed."""
    if value is None or isinstance(value, (str, int, float, bool, bytes)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, *((f.name, canonical(getattr(value, f.name))) for f in fields))
    if isinstance(value, Mapping):
        items = [(canonical(k), canonical(v)) for k, v in value.items()]
        return ("mapping", *sorted(items, key=repr))
    if isinstance(value, Set):
        return ("set", *sorted((canonical(v) for v in value), key=repr))
    if isinstance(value, (tuple, list)):
        return tuple(canonical(v) for v in value)
    raise TypeError(f"no canonical form for {type(value).__name__}")


def build_key(given: BuildInputs) -> str:
    """The key of the files `build(given)` gives (see the module docstring)."""
    digest = hashlib.blake2b(code_fingerprint().encode("utf-8", "surrogateescape"), digest_size=20)
    digest.update(codebase_digest(given.codebase))
    rest = (
        given.decomposition,
        tuple(given.services),
        given.options,
        given.wire,
        None if given.patch_for is None else tuple(given.patch_for),
        given.project_files,
        given.dependency_facts,
        given.templates,
    )
    digest.update(repr(canonical(rest)).encode("utf-8", "surrogateescape"))
    for name in sorted(given.sources):
        text = given.sources[name]
        digest.update(f"\n{name}\n{len(text)}\n".encode("utf-8", "surrogateescape"))
        digest.update(text.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def load(path: Path, key: str) -> dict[str, str] | None:
    """The files kept at `path` under `key`; None when missing, for other inputs, or damaged."""
    try:
        document = facts_codec.loads(read_regular_file(path, MAX_BYTES))
        layout, found, files = facts_codec.members(document, ("layout", "key", "files"))
    except (OSError, CodecError, ValueError, TypeError):
        return None
    if layout != LAYOUT or found != key or not isinstance(files, list):
        return None
    kept: dict[str, str] = {}
    for pair in files:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            return None
        kept[pair[0]] = pair[1]
    return kept


def save(path: Path, key: str, files: Mapping[str, str]) -> bool:
    """Keep `files` under `key` at `path`, atomically; False when it could not be written."""
    document = {"layout": LAYOUT, "key": key, "files": [[p, t] for p, t in sorted(files.items())]}
    try:
        write_atomically(path, facts_codec.dumps(document), ".skeleton-files-")
    except (OSError, CodecError):
        return False
    return True

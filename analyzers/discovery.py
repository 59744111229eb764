"""Which files make up the codebase, and the name Python would import each one by.

Module names follow the interpreter's rules: a directory PATH that is itself a package is named from
its parent; a project directory holding packages is itself the root; a `src/` directory is a root;
directories without `__init__.py` are PEP 420 namespace packages; a directory whose name is not an
identifier cannot be a package, so it starts a new root (e.g. `examples/monolith_app/shop`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from analyzers.model import Diagnostic, ModuleRole
from analyzers.options import AnalysisOptions

# Directory names never analyzed: tool output, dependencies, caches.
SKIPPED_DIRS = frozenset(
    {"__pycache__", "build", "dist", "node_modules", "site-packages", "venv", "env", "htmlcov"}
)


@dataclass(frozen=True, slots=True, order=True)
class SourceFile:
    """One discovered Python file."""

    module: str
    path: str  # POSIX, relative to the analyzed PATH
    is_package: bool
    role: ModuleRole


@dataclass(frozen=True, slots=True)
class Discovery:
    files: tuple[SourceFile, ...]  # sorted by module name
    diagnostics: tuple[Diagnostic, ...]
    skipped_dirs: int = 0
    excluded: int = 0
    # Every directory whose listing decided the result (absolute paths): while none of them
    # changed (mtime, ctime, inode), neither did the result (analyzers.snapshot relies on it).
    directories: tuple[str, ...] = ()


def discover(root: Path, options: AnalysisOptions) -> Discovery:
    """Every Python file under `root` with its module name and role, deterministic order."""
    walker = _Walker(root, options.exclude)
    if options.source_roots:
        for entry in options.source_roots:
            start = root / entry
            if not start.is_dir():
                walker.diagnostics.append(
                    Diagnostic(entry, 0, "missing-source-root", "source_roots names no directory")
                )
                continue
            walker.walk(start, (), set())
    elif (root / "__init__.py").is_file():
        # PATH is a package: it is named from its parent (and its own parents while they are packages).
        prefix: list[str] = []
        current = root
        while (current / "__init__.py").is_file() and current.name.isidentifier():
            prefix.insert(0, current.name)
            walker.directories.append(str(current))
            current = current.parent
        walker.directories.append(str(current))
        walker.walk(root, tuple(prefix), set())
    else:
        walker.walk(root, (), set())
    files: dict[str, SourceFile] = {}
    for found in sorted(walker.files, key=lambda f: (f.module, f.path)):
        if found.module in files:
            walker.diagnostics.append(
                Diagnostic(
                    found.path,
                    0,
                    "duplicate-module",
                    f"module {found.module} is also {files[found.module].path}; this one is ignored",
                )
            )
            continue
        files[found.module] = found
    return Discovery(
        files=tuple(files.values()),
        diagnostics=tuple(sorted(set(walker.diagnostics))),
        skipped_dirs=walker.skipped,
        excluded=walker.excluded,
        directories=() if options.source_roots else tuple(walker.directories),
    )


#: Files that make a directory without `__init__.py` a project of its own (`backend/` holding
#: `pyproject.toml` and the package `app/`): its packages import from there, not through it.
#: Django's `manage.py` runs with its own directory first on `sys.path` (netbox: `netbox/manage.py`
#: beside the apps `dcim`, `ipam`..., imported as `dcim.models`).
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "manage.py")


_ROOT_MARKERS = frozenset({"__init__.py", *PROJECT_FILES})


def _is_source_root(name: str, entries: list[os.DirEntry[str]]) -> bool:
    """`src/` (a src layout) or a nested project directory, when it is no package itself.

    Decided from the directory's own listing: Django has 2,400 directories, and four `stat`
    calls for each cost more than the rest of the walk.
    """
    present = {e.name: e for e in entries if e.name in _ROOT_MARKERS}

    def exists(file: str) -> bool:
        entry = present.get(file)  # (a link counts only when its target exists)
        return entry is not None and (not entry.is_symlink() or os.path.exists(entry.path))

    if exists("__init__.py"):
        return False
    return name == "src" or any(exists(f) for f in PROJECT_FILES)


def role_of(relpath: str) -> ModuleRole:
    """ "test" for test files and test directories, "migration" for migration scripts, else "code"."""
    parts = relpath.split("/")
    name = parts[-1]
    dirs = parts[:-1]
    if (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or any(d in ("tests", "test", "testing") for d in dirs)
    ):
        return "test"
    if "migrations" in dirs or "alembic" in dirs:
        return "migration"
    if "versions" in dirs and (
        any(word in relpath for word in ("migrations", "alembic", "revisions"))
        or not name[:-3].isidentifier()  # `2023-01-30_e4b4991dddcd.py`: an Alembic revision file
    ):
        return "migration"
    return "code"


def is_excluded(patterns: tuple[str, ...], relpath: str, module: str | None = None) -> bool:
    """Globs match a relative POSIX path (a directory also as "dir/"), or a dotted module name."""
    for pattern in patterns:
        if fnmatchcase(relpath, pattern) or fnmatchcase(relpath + "/", pattern):
            return True
        if pattern.endswith("/") and fnmatchcase(relpath, pattern.rstrip("/")):
            return True
        if module is not None and fnmatchcase(module, pattern):
            return True
    return False


class _Walker:
    def __init__(self, root: Path, exclude: tuple[str, ...]) -> None:
        self.root = root
        self.exclude = exclude
        self.files: list[SourceFile] = []
        self.diagnostics: list[Diagnostic] = []
        self.skipped = 0
        self.excluded = 0
        self.directories: list[str] = []

    def rel(self, path: str) -> str:
        relative = os.path.relpath(path, self.root)
        return "." if relative == "." else relative.replace(os.sep, "/")

    def walk(
        self,
        directory: Path | str,
        package: tuple[str, ...],
        seen: set[str],
        real: str = "",
        relative: str = "",
        nested: bool = False,
    ) -> None:
        """Scan `directory` (relative POSIX path `relative`), whose module prefix is `package` (() at a root).

        A `nested` directory (named like a package, below another) becomes a root of its own when
        its listing shows a src layout or a nested project.

        `seen` holds the real paths of the directories above; only a symbolic link can lead back
        into one of them, so real paths are computed for links only (realpath is costly).
        Paths stay strings here: Django has 2,400 directories, most of them locale data.
        """
        directory = str(directory)
        real = real or os.path.realpath(directory)
        relative = relative or self.rel(directory)
        if real in seen:
            self.diagnostics.append(
                Diagnostic(relative, 0, "symlink-loop", "directory links back to one of its parents; skipped")
            )
            return
        seen = seen | {real}
        self.directories.append(directory)
        try:
            with os.scandir(directory) as scan:
                entries = list(scan)  # order does not matter: files are sorted at the end
        except FileNotFoundError:
            self.diagnostics.append(
                Diagnostic(relative, 0, "vanished", "directory disappeared during the scan")
            )
            return
        except OSError as exc:
            self.diagnostics.append(
                Diagnostic(relative, 0, "unreadable", f"cannot list directory: {exc.strerror or exc}")
            )
            return
        prefix = "" if relative == "." else relative + "/"
        if any(e.name == "pyvenv.cfg" for e in entries):
            self.skipped += 1
            return
        if nested and _is_source_root(os.path.basename(directory), entries):
            package = ()  # a src layout or a nested project: its packages import from here
        exclude = self.exclude
        for entry in entries:
            name = entry.name
            is_python = name.endswith(".py")
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and is_python and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                child_rel = prefix + name
                if name.startswith(".") or name in SKIPPED_DIRS or name.endswith(".egg-info"):
                    self.skipped += 1
                    continue
                if exclude and is_excluded(exclude, child_rel):
                    self.excluded += 1
                    continue
                path = entry.path
                child_real = os.path.realpath(path) if entry.is_symlink() else f"{real}/{name}"
                if not name.isidentifier():  # not importable as a package: a new root
                    self.walk(path, (), seen, child_real, child_rel)
                    continue
                self.walk(path, (*package, name), seen, child_real, child_rel, True)
            elif not is_python:
                continue
            elif not is_file:
                if entry.is_symlink():
                    broken = Diagnostic(prefix + name, 0, "unreadable", "broken symbolic link")
                    self.diagnostics.append(broken)
            elif not name.startswith("."):
                stem = name[:-3]
                is_package = stem == "__init__"
                if is_package and not package:
                    continue  # an __init__.py at a root belongs to no importable package
                module = ".".join(package if is_package else (*package, stem))
                relpath = prefix + name
                if exclude and is_excluded(exclude, relpath, module):
                    self.excluded += 1
                    continue
                self.files.append(SourceFile(module, relpath, is_package, role_of(relpath)))

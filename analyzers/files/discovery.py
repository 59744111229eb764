"""Which files make up the codebase, and the name Python would import each one by.

Module names follow the interpreter's rules: a directory PATH that is itself a package is named from
its parent; a project directory holding packages is itself the root; a `src/` directory is a root;
directories without `__init__.py` are PEP 420 namespace packages; a directory whose name is not an
identifier cannot be a package, so it starts a new root (e.g. `examples/monolith_app/shop`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from analyzers.model import Diagnostic, ModuleRole
from analyzers.options import AnalysisOptions

# Directory names never analyzed: installed dependencies. (`__pycache__` holds bytecode only: it
# is passed over like any file that is no Python source, neither counted nor named.)
SKIPPED_DIRS = frozenset({"node_modules", "site-packages"})
# ...and names of tool output or environments, unless the directory is source: inside a regular
# package (onyx's feature package `onyx/server/features/build/`), or a package the code imports
# (a Django app `build/` beside `manage.py`, imported as `build.models`).
OUTPUT_DIRS = frozenset({"build", "dist", "venv", "env", "htmlcov"})
_ENVIRONMENTS = frozenset({"venv", "env"})

#: Why a directory is skipped: the diagnostic kind naming it, and the reason in words.
SKIP_REASONS = {
    "skipped-hidden": "hidden",
    "skipped-virtualenv": "virtualenv",
    "skipped-build-output": "build output",
    "skipped-dependencies": "installed dependencies",
    "skipped-excluded": "excluded",
    "symlink-outside": "symlink outside the tree",
    "symlink-loop": "symlink loop",
    "unsafe-name": "unsafe name",
}


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
    # Directories left out, links out of the tree and unsafe names passed over; each is named by
    # a diagnostic whose kind is a key of SKIP_REASONS.
    skipped_dirs: int = 0
    excluded: int = 0  # Python files an exclude glob matched (a matched directory is skipped)
    # Every directory whose listing decided the result, and every file read to decide where a
    # source root is (absolute paths): while none of them changed (mtime, ctime, inode), neither
    # did the result (analyzers.files.snapshot relies on it).
    directories: tuple[str, ...] = ()


def discover(root: Path, options: AnalysisOptions) -> Discovery:
    """Every Python file under `root` with its module name and role, deterministic order."""
    walker = _Walker(root, options.exclude)
    if options.source_roots:
        for entry in options.source_roots:
            start = root / entry
            if not walker.contains(os.path.realpath(start)):
                walker.diagnostics.append(
                    Diagnostic(entry, 0, "symlink-outside", "source root leads outside the tree; skipped")
                )
                continue
            if not start.is_dir():
                walker.diagnostics.append(
                    Diagnostic(entry, 0, "missing-source-root", "source_roots names no directory")
                )
                continue
            walker.walk(start, (), set())
    elif (root / "__init__.py").is_file() and not _holds_project(root, walker.directories):
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


def _is_source_root(
    directory: str, entries: list[os.DirEntry[str]], dotted: str, consulted: list[str] | None = None
) -> bool:
    """`src/` (a src layout) or a nested project directory, when it is no package itself: one
    holding a project file, or a package that imports its own submodules by its bare name.
    `dotted` is the module name the directory would have as a namespace package ("" inside a
    regular package: no search for packages); the directories and files read to decide it are
    added to `consulted`. A `setup.py` counts when it packages (imports setuptools or distutils):
    lemur's plugin `lemur/plugins/lemur_statsd/setup.py` does, onyx's `onyx/tracing/setup.py` is a
    module of the app.

    Decided from the directory's own listing: Django has 2,400 directories, and four `stat`
    calls for each cost more than the rest of the walk.
    """
    present = {e.name: e for e in entries if e.name in _ROOT_MARKERS}

    def exists(file: str) -> bool:
        entry = present.get(file)  # (a link counts only when its target exists)
        return entry is not None and (not entry.is_symlink() or os.path.exists(entry.path))

    if exists("__init__.py"):
        return False
    if os.path.basename(directory) == "src" or any(exists(f) for f in PROJECT_FILES if f != "setup.py"):
        return True
    if exists("setup.py") and _packages(present["setup.py"].path, consulted):
        return True
    if not dotted:
        return False
    packages = sorted((e for e in entries if _is_package(e)), key=lambda e: e.name)
    return any(_imports_itself(e.path, e.name, dotted, consulted) for e in packages)


_PACKAGING = re.compile(rb"\b(?:setuptools|distutils)\b")


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(_READ_BYTES)
    except OSError:
        return b""


def _holds_project(directory: Path, consulted: list[str]) -> bool:
    """Whether PATH, though it holds an `__init__.py`, is a project directory (Mayan EDMS keeps one
    beside `manage.py`, `setup.py` and the package `mayan/`): it is then the root."""
    if any((directory / name).is_file() for name in PROJECT_FILES if name != "setup.py"):
        return True
    script = directory / "setup.py"
    return script.is_file() and _packages(str(script), consulted)


def _packages(script: str, consulted: list[str] | None) -> bool:
    """Whether a `setup.py` packages (imports setuptools or distutils), not an app module so named;
    its text decides, so its path goes to `consulted` (stamped in the snapshot)."""
    if consulted is not None:
        consulted.append(script)
    return bool(_PACKAGING.search(_head(script)))


#: Files of a package read, at most, for imports of itself.
SELF_IMPORT_FILES = 20
_READ_BYTES = 65_536


def _is_package(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.name.isidentifier() and entry.is_dir() and os.path.isfile(entry.path + "/__init__.py")
    except OSError:
        return False


def _imports_itself(directory: str, name: str, dotted: str, consulted: list[str] | None = None) -> bool:
    """Whether package `name` imports its own submodules by its bare name (`from onyx.db import
    models` in `backend/onyx/`, `onyx/db/` being there), and never through the namespace directory
    above it (`from backend.onyx...`): that directory, though it holds no project file, is then
    where the package is imported from (onyx runs from `backend/`). A bare `import json` in a
    package called `json` is the standard library's: only existing submodules count."""
    start = rb"^[ \t]*(?:from|import)[ \t]+"
    bare = re.compile(start + re.escape(name.encode()) + rb"\.(\w+)", re.M)
    through = re.compile(start + re.escape(f"{dotted}.{name}".encode()) + rb"\b", re.M)
    found = False
    read = 0
    seen = consulted if consulted is not None else []
    for current, dirs, files in os.walk(directory):
        dirs.sort()
        seen.append(current)
        for file in sorted(f for f in files if f.endswith(".py")):
            path = os.path.join(current, file)
            seen.append(path)
            text = _head(path)  # (an unreadable file is the walk's diagnostic, here it says nothing)
            if through.search(text):
                return False
            for match in bare.finditer(text):
                sub = os.path.join(directory, match.group(1).decode())
                found = found or os.path.isfile(sub + ".py") or os.path.isdir(sub)
            read += 1
            if read >= SELF_IMPORT_FILES:
                return found
    return found


#: Files read, at most, to learn whether the code imports a directory named like tool output.
OUTPUT_IMPORT_FILES = 40


def _imported_output(path: str, name: str, siblings: list[os.DirEntry[str]], consulted: list[str]) -> bool:
    """Whether a directory named like tool output or an environment (`build`, `dist`, `env`) beside
    a project's packages is a package of the code: it holds `__init__.py` and modules, and the code
    imports it by its name (`from build.models import Job`, or a dotted string of settings or
    urlconfs, `"build.apps.BuildConfig"`, `include("build.urls")`), in the package itself, in a
    module beside it or in a sibling package. Tool output holds no `__init__.py` at its top
    (`build/lib/...`, wheels in `dist/`), a virtualenv no `__init__.py` either. The files read
    (at most OUTPUT_IMPORT_FILES) go to `consulted`. No symbolic link is followed here."""
    if os.path.islink(path):
        return False
    try:
        with os.scandir(path) as scan:
            inner = list(scan)
    except OSError:
        return False
    names = {e.name for e in inner}
    if "__init__.py" not in names or not any(
        (e.name.endswith(".py") and e.name != "__init__.py") or _is_package(e) for e in inner
    ):
        return False
    pattern = _import_of(name)
    for file in _import_candidates(path, siblings):
        consulted.append(file)
        for match in pattern.finditer(_head(file)):
            sub = next((g.decode() for g in match.groups() if g), None)
            if sub is None or sub in names or f"{sub}.py" in names:
                return True  # (a submodule named must be there: "build.log" names no module)
    return False


def _import_of(name: str) -> re.Pattern[bytes]:
    """Imports of package `name` and dotted strings naming one of its submodules; the submodule
    named, if any, is the group that matched."""
    word = re.escape(name.encode())
    return re.compile(
        rb"^[ \t]*(?:from[ \t]+" + word + rb"(?:\.(\w+)[\w.]*)?[ \t]+import\b"
        rb"|import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*" + word + rb"(?:\.(\w+))?\b)"
        rb"|[\"']" + word + rb"\.(\w+)",
        re.M,
    )


def _import_candidates(path: str, siblings: list[os.DirEntry[str]]) -> list[str]:
    """Python files that may import the package at `path`: its own, then the modules beside it,
    then those of the packages beside it; at most OUTPUT_IMPORT_FILES, in a stable order."""
    found: list[str] = []
    plain = [e for e in siblings if not os.path.islink(e.path)]
    beside = sorted(e.path for e in plain if e.name.endswith(".py") and os.path.isfile(e.path))
    packages = sorted(e.path for e in plain if e.path != path and _is_package(e))
    for start in (path, *packages):
        for current, dirs, files in os.walk(start):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            found += (
                os.path.join(current, f)
                for f in sorted(files)
                if f.endswith(".py") and not os.path.islink(os.path.join(current, f))
            )
            if len(found) >= OUTPUT_IMPORT_FILES:
                return found[:OUTPUT_IMPORT_FILES]
        if start == path:
            found += beside
    return found[:OUTPUT_IMPORT_FILES]


#: Directories whose files are tests or test helpers, wherever they are.
TEST_DIRS = frozenset({"tests", "test", "testing"})
#: Test files by name: pytest's, Django's `tests.py` module of an app, test helper modules.
TEST_FILES = frozenset({"conftest.py", "tests.py", "testutils.py"})
#: Top-level directories (of the analyzed tree) of documentation and of example or demo projects.
DOC_DIRS = frozenset({"docs", "doc"})
EXAMPLE_DIRS = frozenset({"examples", "example", "sandbox", "demo"})
#: Directories holding a Sphinx `conf.py` (documentation configuration).
SPHINX_DIRS = frozenset({"docs", "doc", "source", "sphinx"})
#: Scripts by their fixed names (fabric, nox). `manage.py`, `setup.py` and invoke's `tasks.py` are
#: told from runtime modules of those names by location and content (strangler.graph.coupling.runtime_role).
SCRIPT_FILES = frozenset({"fabfile.py", "noxfile.py"})
#: Settings variants: `settings_<variant>.py`, and `<variant>.py` or `<variant>/` in a `settings/`
#: directory, when the variant's first word names an environment (the base, `settings/base.py`,
#: `settings_global.py`, and runtime modules such as `settings_show.py` stay code).
SETTINGS_VARIANTS = frozenset(
    {
        "ci", "dev", "develop", "development", "local", "prod", "production", "staging", "stage",
        "test", "tests", "testing", "unittest", "unittests", "docker", "heroku", "demo", "sandbox",
        "debug", "sqlite", "postgres", "postgresql", "mysql", "sphinx", "docs", "travis", "tox",
        "e2e", "integration", "qa", "preview", "example", "sample",
    }
)  # fmt: skip


#: Roles given by a top-level directory's name that a regular package of that name overrides: a
#: Django app `docs/` (with `__init__.py`, imported as `docs.urls`) is runtime code, not documentation.
_NAMED_BY_DIRECTORY: frozenset[ModuleRole] = frozenset({"docs", "example"})


#: Roles a path alone cannot tell from runtime code: `docs/` and `examples/` are runtime code when
#: they are packages (`_role_in`), which only the walk knows; path-only callers accept them.
RUNTIME_BY_PATH: frozenset[ModuleRole] = frozenset({"code", *_NAMED_BY_DIRECTORY})


def _role_in(relpath: str, inside_package: bool) -> ModuleRole:
    """`role_of`, except that a file inside a regular package is never documentation or an example."""
    role = role_of(relpath)
    return "code" if inside_package and role in _NAMED_BY_DIRECTORY else role


def role_of(relpath: str) -> ModuleRole:
    """The role of a file by its path (relative to the analyzed root); "code" is runtime code.

    "template" (a path with `{{`: a cookiecutter or other project template), "test" (test files
    and directories, Django `tests.py`, test helpers), "migration" (migration scripts), "docs"
    (a top-level `docs/` or `doc/`, a Sphinx `conf.py`), "example" (a top-level `examples/`,
    `example/`, `sandbox/` or `demo/` project), "settings" (settings variants, see
    SETTINGS_VARIANTS), "script" (`fabfile.py`, `noxfile.py`). Every role but "code" is left out
    of the coupling graph by default."""
    parts = relpath.split("/")
    name = parts[-1]
    dirs = parts[:-1]
    if any("{{" in part for part in parts):
        return "template"
    if (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name in TEST_FILES
        or any(d in TEST_DIRS for d in dirs)
    ):
        return "test"
    if "migrations" in dirs or "alembic" in dirs:
        return "migration"
    if "versions" in dirs and (
        any(word in relpath for word in ("migrations", "alembic", "revisions"))
        or not name[:-3].isidentifier()  # `2023-01-30_e4b4991dddcd.py`: an Alembic revision file
    ):
        return "migration"
    top = dirs[0] if dirs else ""
    if top in DOC_DIRS or (name == "conf.py" and dirs and dirs[-1] in SPHINX_DIRS):
        return "docs"
    if top in EXAMPLE_DIRS:
        return "example"
    stem = name[:-3]
    if "settings" in dirs:  # the first name below `settings/`: a variant file or directory
        variant = [*dirs[dirs.index("settings") + 1 :], stem][0].removeprefix("settings_")
    else:
        variant = stem[len("settings_") :] if stem.startswith("settings_") else ""
    if variant.split("_")[0] in SETTINGS_VARIANTS:
        return "settings"
    if name in SCRIPT_FILES:
        return "script"
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


#: What a file or directory name may hold to become part of a module name: no control characters,
#: quotes, backslashes or undecodable bytes (surrogate escapes), which could break out of generated text.
_SAFE_NAME = re.compile(r"[^\s\x00-\x1f\x7f\"'`\\\ud800-\udfff]+")


class _Walker:
    def __init__(self, root: Path, exclude: tuple[str, ...]) -> None:
        self.root = root
        self.exclude = exclude
        self.files: list[SourceFile] = []
        self.diagnostics: list[Diagnostic] = []
        self.skipped = 0
        self.excluded = 0
        self.directories: list[str] = []
        self.real_root = os.path.realpath(root)

    def contains(self, real: str) -> bool:
        """Whether a resolved path lies inside the analyzed tree (a link out of it is never followed)."""
        return real == self.real_root or real.startswith(self.real_root.rstrip("/") + "/")

    def outside(self, entry: os.DirEntry[str], relative: str) -> bool:
        """Whether `entry` is a symbolic link leading out of the tree (recorded as a diagnostic)."""
        if not entry.is_symlink() or self.contains(os.path.realpath(entry.path)):
            return False
        self.skipped += 1
        self.diagnostics.append(
            Diagnostic(relative, 0, "symlink-outside", "symbolic link leads outside the tree; not followed")
        )
        return True

    def unsafe(self, name: str, relative: str) -> bool:
        """Whether a file or directory name cannot become a module name (control characters, quotes,
        undecodable bytes); recorded as a diagnostic with the name escaped."""
        if _SAFE_NAME.fullmatch(name):
            return False
        self.skipped += 1
        shown = relative.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)
        self.diagnostics.append(
            Diagnostic(shown, 0, "unsafe-name", "name has characters no module name can hold; skipped")
        )
        return True

    def skip_reason(
        self, entry: os.DirEntry[str], relative: str, inside: bool, siblings: list[os.DirEntry[str]]
    ) -> str | None:
        """Why directory `entry` (at `relative`) is left out (a key of SKIP_REASONS), or None.
        Tool output and environment names are source inside a regular package, and beside the
        packages when the code imports them (`_imported_output`)."""
        name = entry.name
        if name.startswith("."):
            return "skipped-hidden"
        if name in SKIPPED_DIRS:
            return "skipped-dependencies"
        if name.endswith(".egg-info"):
            return "skipped-build-output"
        if (
            name in OUTPUT_DIRS
            and not inside
            and not _imported_output(entry.path, name, siblings, self.directories)
        ):
            return "skipped-virtualenv" if name in _ENVIRONMENTS else "skipped-build-output"
        if self.exclude and is_excluded(self.exclude, relative):
            return "skipped-excluded"
        return None

    def skip(self, relative: str, kind: str) -> None:
        """Count a skipped directory and name it, with its reason, in a diagnostic."""
        self.skipped += 1
        self.diagnostics.append(Diagnostic(relative, 0, kind, f"{SKIP_REASONS[kind]}: not analyzed"))

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
        inside: bool = False,
    ) -> None:
        """Scan `directory` (relative POSIX path `relative`), whose module prefix is `package` (() at a root).

        A `nested` directory (named like a package, below another) becomes a root of its own when
        its listing shows a src layout or a nested project; one `inside` a regular package (below an
        `__init__.py`) is not searched for packages importing themselves (Django's 2,000
        `locale/<language>/` directories would cost a `stat` each).

        `seen` holds the real paths of the directories above; only a symbolic link can lead back
        into one of them, so real paths are computed for links only (realpath is costly).
        Paths stay strings here: Django has 2,400 directories, most of them locale data.
        """
        directory = str(directory)
        real = real or os.path.realpath(directory)
        relative = relative or self.rel(directory)
        if real in seen:
            self.skipped += 1
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
            self.skip(relative, "skipped-virtualenv")
            return
        dotted = "" if inside else ".".join(package)
        if nested and _is_source_root(directory, entries, dotted, self.directories):
            package = ()  # a src layout or a nested project: its packages import from here
        inside = bool(package) and (inside or any(e.name == "__init__.py" for e in entries))
        exclude = self.exclude
        for entry in entries:
            name = entry.name
            is_python = name.endswith(".py")
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and is_python and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if (is_dir or is_python) and self.unsafe(name, prefix + name):
                continue
            if is_dir:
                if name == "__pycache__":
                    continue
                child_rel = prefix + name
                reason = self.skip_reason(entry, child_rel, inside, entries)
                if reason is not None:
                    self.skip(child_rel, reason)
                    continue
                path = entry.path
                if self.outside(entry, child_rel):
                    continue
                child_real = os.path.realpath(path) if entry.is_symlink() else f"{real}/{name}"
                if not name.isidentifier():  # not importable as a package: a new root
                    self.walk(path, (), seen, child_real, child_rel)
                    continue
                self.walk(path, (*package, name), seen, child_real, child_rel, True, inside)
            elif not is_python:
                continue
            elif not is_file:
                if entry.is_symlink():
                    broken = Diagnostic(prefix + name, 0, "unreadable", "broken symbolic link")
                    self.diagnostics.append(broken)
            elif not name.startswith(".") and not self.outside(entry, prefix + name):
                stem = name[:-3]
                is_package = stem == "__init__"
                if is_package and not package:
                    continue  # an __init__.py at a root belongs to no importable package
                module = ".".join(package if is_package else (*package, stem))
                relpath = prefix + name
                if exclude and is_excluded(exclude, relpath, module):
                    self.excluded += 1
                    continue
                self.files.append(SourceFile(module, relpath, is_package, _role_in(relpath, inside)))

"""Writing artefacts: only inside the output, never through a symbolic link, all at once.

Everything a command produces is first collected as {relative path: text}; this module is the only
place that turns it into files. Three guarantees, whatever the analyzed tree holds (docs/security.md):

- **Inside.** Every relative path is checked (no absolute path, no `..`, no empty or control-character
  part) and every directory on the way is created here or checked to be a real directory: a symbolic
  link planted in an old output directory, or in the analyzed tree for `--apply`, is never written
  through.
- **Atomic.** A plan is written into a staging directory beside `-o` and renamed into place when
  complete; an interrupted run leaves the previous plan as it was and no partial one. A single file
  (`graph -o`, `boundaries -o`) is written to a temporary file in its directory and renamed.
- **Exact.** The marker `.strangler-plan` lists the files the plan wrote; the next run removes exactly
  those it no longer writes and keeps everything else (the user's own files).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from analyzers.errors import StranglerError

#: The file that marks a directory as written by `strangler plan` (lists the files it wrote).
MARKER = ".strangler-plan"
#: The file that marks a staging directory, so a later run may remove one an interrupted run left.
STAGING_MARKER = ".strangler-staging"
_STAGING_PREFIX = ".strangler-staging-"
#: Limits of common file systems: a name of 255 bytes, a path of 4,096.
_MAX_NAME_BYTES = 255
_MAX_PATH_BYTES = 4096
#: A character no written path may hold: a control character, DEL or a backslash.
_CONTROL_OR_BACKSLASH = re.compile(r"[\x00-\x1f\x7f\\]")


class OutputPathError(StranglerError):
    """An output path would leave the output directory, pass through a link, or is not writable."""

    exit_code = 1


def check_relative(rel: str) -> PurePosixPath:
    """`rel` as a path that stays inside its directory; OutputPathError otherwise."""
    path = PurePosixPath(rel)
    parts = rel.split("/")
    if (
        not rel
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in parts)
        or _CONTROL_OR_BACKSLASH.search(rel)
        or any(len(part.encode("utf-8", "surrogateescape")) > _MAX_NAME_BYTES for part in parts)
        or len(rel.encode("utf-8", "surrogateescape")) > _MAX_PATH_BYTES
    ):
        raise OutputPathError(
            f"refusing to write {_shown(rel)}: not a plain relative path inside the output",
            hint="this is a bug or a hostile name in the analyzed tree; report it with the tree's layout",
        )
    return path


def check_layout(files: Iterable[str]) -> None:
    """Every path is safe, and no path is both a file and the directory of another."""
    names = sorted(files)
    for rel in names:
        check_relative(rel)
    as_files = set(names)
    for rel in names:
        parent = rel.rpartition("/")[0]  # (a checked path: no empty, `.` or `..` part)
        while parent:
            if parent in as_files:
                raise OutputPathError(f"{_shown(parent)} would be both a file and a directory")
            parent = parent.rpartition("/")[0]


def write_file_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file in its directory, then rename.

    A symbolic link at `target` is replaced, never written through."""
    directory = target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name[:64]}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _write_error(target, exc) from None
    try:
        os.fchmod(handle, 0o666 & ~_umask())  # as `open` would make it (mkstemp's is 0600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from None
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it: set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Told `writing k/N` as the files are written (`strangler.progress.Progress` is one).
WriteProgress = Callable[[str, int, int], None]


def write_plan_tree(
    out: Path, files: Mapping[str, str], *, force: bool, progress: WriteProgress | None = None
) -> None:
    """Write `files` as the whole content strangler owns in `out` (see the module docstring)."""
    check_layout(files)
    check_output_directory(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(out)
    if _unchanged(out, files):
        if progress is not None:
            progress("writing", len(files), len(files))  # nothing to write: all of it is in place
        return  # (a re-run on an unchanged tree: the plan in place is this one, byte for byte)
    staging = _stage(out, files, progress)
    try:
        _commit(out, staging, files)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def apply_into_tree(root: Path, files: Mapping[str, str]) -> list[Path]:
    """Write `files` into the analyzed tree (`--apply`): each inside it, none through a link, atomically."""
    check_layout(files)
    real_root = Path(os.path.realpath(root))
    written = []
    for rel, text in sorted(files.items()):
        target = _real_parent(real_root, PurePosixPath(rel)) / PurePosixPath(rel).name
        if target.is_symlink():
            raise OutputPathError(f"refusing to replace {_shown(rel)}: it is a symbolic link", path=str(root))
        write_file_atomically(target, text.encode("utf-8"))
        written.append(root / rel)
    return written


def previous_files(out: Path) -> tuple[str, ...] | None:
    """The files the marker in `out` lists (only safe relative paths); None when there is no marker."""
    marker = out / MARKER
    try:
        info = os.lstat(marker)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > 50_000_000:
        return None
    try:
        text = marker.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    listed = []
    for line in text.splitlines():
        with contextlib.suppress(OutputPathError):
            check_relative(line)
            listed.append(line)
    return tuple(listed)


def check_output_directory(out: Path, force: bool) -> None:
    """Refuse a link, a file, or a non-empty directory `strangler plan` did not write (unless forced)."""
    if out.is_symlink():
        raise OutputPathError(
            "the output path is a symbolic link", path=str(out), hint="pass the directory it points to"
        )
    if out.exists() and not out.is_dir():
        raise OutputPathError("the output path is not a directory", path=str(out), hint="choose a directory")
    if out.is_dir() and any(out.iterdir()) and previous_files(out) is None and not force:
        from strangler.exceptions import OutputExistsError

        raise OutputExistsError(
            "the output directory is not empty and was not written by `strangler plan`",
            path=str(out),
            hint="choose another directory, or pass --force to write into it anyway",
        )


def _stage(out: Path, files: Mapping[str, str], progress: WriteProgress | None = None) -> Path:
    """A staging directory beside `out` holding every file and the marker."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{out.name[:64]}-", dir=out.parent))
    except OSError as exc:
        raise _write_error(out.parent, exc) from None
    try:
        (staging / STAGING_MARKER).write_text(str(os.getpid()), encoding="ascii")
        for done, (rel, text) in enumerate(sorted(files.items())):
            if progress is not None:
                progress("writing", done, len(files))
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _create(target, text.encode("utf-8"))
        if progress is not None:
            progress("writing", len(files), len(files))
        _create(staging / MARKER, "".join(f"{rel}\n" for rel in sorted(files)).encode("utf-8"))
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(out, exc) from None
        raise
    return staging


def _unchanged(out: Path, files: Mapping[str, str]) -> bool:
    """Whether `out` already holds exactly `files`: its marker lists them and nothing else, and each
    is a regular file (reached through real directories, not a link) with this very content. Then
    nothing needs writing, and the plan in place stays as it is (reading is cheaper than writing)."""
    if previous_files(out) != tuple(sorted(files)):
        return False
    real_out = os.path.realpath(out)
    directories: dict[str, bool] = {}
    return all(_holds(real_out, rel, text, directories) for rel, text in files.items())


def _holds(base: str, rel: str, text: str, directories: dict[str, bool]) -> bool:
    """Whether `base/rel` is a regular file (no link on the way) whose bytes are `text` encoded;
    `directories` remembers which directories were found real."""
    if not _real_directory(base, rel.rpartition("/")[0], directories):
        return False
    try:
        descriptor = os.open(
            os.path.join(base, rel), os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        )
    except OSError:
        return False
    data = text.encode("utf-8")
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        return stat.S_ISREG(info.st_mode) and info.st_size == len(data) and stream.read() == data


def _real_directory(base: str, rel: str, known: dict[str, bool]) -> bool:
    """Whether `base/rel` and every directory between it and `base` is a directory, not a link."""
    if not rel:
        return True
    if rel not in known:
        try:
            mode = os.lstat(os.path.join(base, rel)).st_mode
        except OSError:
            known[rel] = False
        else:
            known[rel] = stat.S_ISDIR(mode) and _real_directory(base, rel.rpartition("/")[0], known)
    return known[rel]


def _create(target: Path, data: bytes) -> None:
    """Create a new file (never an existing one, never through a link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(target, flags, 0o644)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def _commit(out: Path, staging: Path, files: Mapping[str, str]) -> None:
    """Put the staged plan in place: one rename (or one exchange) when nothing of the user's is in `out`."""
    old = previous_files(out) or ()
    if not out.exists():
        os.unlink(staging / STAGING_MARKER)
        os.rename(staging, out)
        return
    if not _user_entries(out, old):
        os.unlink(staging / STAGING_MARKER)
        if _exchange(staging, out):
            return  # `staging` now holds the old plan and is removed by the caller
        retired = staging.with_name(staging.name + "-old")
        os.rename(out, retired)
        os.rename(staging, out)
        shutil.rmtree(retired, ignore_errors=True)
        return
    _commit_in_place(out, staging, files, old)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux `renameat2(RENAME_EXCHANGE)`); False where unavailable."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, exchange = -100, 2
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange)
    return bool(result == 0)


def _commit_in_place(out: Path, staging: Path, files: Mapping[str, str], old: Iterable[str]) -> None:
    """`out` holds the user's files too: move each staged file in, remove the old plan's leftovers.

    The marker first lists old and new files, so an interruption leaves a marker covering all."""
    old = set(old)
    union = sorted(old | set(files))
    write_file_atomically(out / MARKER, "".join(f"{rel}\n" for rel in union).encode("utf-8"))
    real_out = Path(os.path.realpath(out))
    for rel in sorted(files):
        target = _real_parent(real_out, PurePosixPath(rel)) / PurePosixPath(rel).name
        if target.is_dir() and not target.is_symlink():
            raise OutputPathError(f"{_shown(rel)} is a directory in the output; remove it", path=str(out))
        os.replace(staging / rel, target)
    for rel in sorted(old - set(files)):
        stale = _existing_file(real_out, PurePosixPath(rel))
        if stale is not None and (stale.is_symlink() or stale.is_file()):
            with contextlib.suppress(OSError):
                stale.unlink()
    os.replace(staging / MARKER, out / MARKER)


def _real_parent(base: Path, rel: PurePosixPath) -> Path:
    """The directory of `rel` under `base`, made where missing, each step a real directory."""
    current = base
    for part in rel.parts[:-1]:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            current.mkdir()
            continue
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            raise OutputPathError(
                f"refusing to write {_shown(str(rel))}: {_shown(str(current))} is a symbolic link or a file",
                hint="remove it, or write to another directory",
            )
    return current


def _existing_file(base: Path, rel: PurePosixPath) -> Path | None:
    """`base/rel` when every directory on the way is a real one (no link) and it exists; else None."""
    current = base
    for part in rel.parts[:-1]:
        current = current / part
        try:
            if not stat.S_ISDIR(os.lstat(current).st_mode):
                return None
        except OSError:
            return None
    target = current / rel.name
    return target if os.path.lexists(target) else None


def _user_entries(out: Path, plan_files: Iterable[str]) -> bool:
    """Whether `out` holds anything besides the listed plan files, the marker and their directories."""
    owned = {*plan_files, MARKER}
    for directory, dirnames, filenames in os.walk(out):
        base = os.path.relpath(directory, out)
        prefix = "" if base == "." else base.replace(os.sep, "/") + "/"
        for name in filenames:
            if prefix + name not in owned:
                return True
        for name in dirnames:
            if os.path.islink(os.path.join(directory, name)):
                return True
    return False


def _remove_stale_staging(out: Path) -> None:
    """Staging directories for `out` that an interrupted run left (their process is gone)."""
    prefix = f"{_STAGING_PREFIX}{out.name[:64]}-"
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return
    for entry in entries:
        owned = entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False)
        if owned and not _owner_alive(Path(entry.path) / STAGING_MARKER):
            shutil.rmtree(entry.path, ignore_errors=True)


def _owner_alive(marker: Path) -> bool:
    """Whether the process that wrote a staging marker still runs (unknown owners count as alive)."""
    try:
        pid = int(marker.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _write_error(target: Path, exc: OSError) -> OutputPathError:
    reason = exc.strerror or str(exc)
    hint = {
        errno.ENOSPC: "free some disk space and run again",
        errno.ENAMETOOLONG: "choose a shorter output path",
        errno.EACCES: "choose a directory you can write to",
        errno.EROFS: "choose a writable directory",
    }.get(exc.errno or 0)
    return OutputPathError(f"cannot write: {reason}", path=str(target), hint=hint)


def _shown(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 100 else shown[:97] + "..."

"""The monolith's Django template files, read from the analyzed tree into a `TemplateIndex`
(django_templates.py says which a service takes, and why).

The directories are the `DIRS` of the settings' `TEMPLATES` that lie inside the tree, then (with
`APP_DIRS`) the `templates/` directory of each installed app of the tree, in `INSTALLED_APPS`
order: Django's lookup order, so the first file of a name is the one kept. The tree is untrusted: a
directory reached through a symbolic link is not entered, a linked file is not read, only regular
UTF-8 files of at most MAX_TEMPLATE_BYTES are taken, and a name that is no plain relative path is
refused; what is not taken is counted.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

from analyzers.files.cache import read_regular_file
from analyzers.model import Codebase
from strangler.skeleton.django_project import DjangoSettings, find_settings
from strangler.skeleton.django_templates import (
    NO_TEMPLATES,
    TemplateFile,
    TemplateIndex,
    is_safe_name,
    template_dirs,
)

#: Largest template file taken.
MAX_TEMPLATE_BYTES = 1_000_000
#: Template files looked at, at most, over all directories (a tree is not read without end).
MAX_TEMPLATE_FILES = 50_000


def read_templates(root: Path, codebase: Codebase, sources: Mapping[str, str]) -> TemplateIndex:
    """The template files of the Django monolith at `root` (NO_TEMPLATES when it is none)."""
    settings = find_settings(sources)
    if settings is None or not settings.engines:
        return NO_TEMPLATES
    paths = {m.name: m.path for m in codebase.modules}
    where = paths.get(settings.module)
    if where is None:
        return NO_TEMPLATES
    dirs, unknown = template_dirs(sources[settings.module], where)
    places = [(d, "") for d in dirs]
    if any(e.app_dirs for e in settings.engines):
        places += [
            (f"{directory}/templates".lstrip("/"), app) for app, directory in _app_dirs(settings, paths)
        ]
    found: dict[str, TemplateFile] = {}
    skipped = 0
    for directory, app in places:
        for name, path in _listed(root, directory):
            if len(found) + skipped >= MAX_TEMPLATE_FILES:
                break
            if name in found:
                continue  # an earlier directory's file of that name is the one Django finds
            text = _text(path) if is_safe_name(name) else None
            if text is None:
                skipped += 1
            else:
                found[name] = TemplateFile(name, app, text)
    return TemplateIndex(tuple(found[n] for n in sorted(found)), skipped, unknown)


def _app_dirs(settings: DjangoSettings, paths: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(app package, its tree-relative directory) of each installed app of the tree, in order: an
    entry names the package or an AppConfig in it (`x.apps.XConfig`)."""
    for entry in settings.installed_apps:
        parts = entry.split(".")
        for end in range(len(parts), max(0, len(parts) - 3), -1):
            package = ".".join(parts[:end])
            path = paths.get(package, "")
            if path.endswith("__init__.py"):
                yield package, path.rpartition("/")[0]
                break


def _listed(root: Path, directory: str) -> Iterator[tuple[str, Path]]:
    """(template name, path) of the files under tree-relative `directory`, sorted; nothing when the
    directory is missing or any part of it is a symbolic link."""
    if not directory or not _plain_directory(root, directory):
        return
    base = root / directory
    for current, subdirs, names in os.walk(base, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        relative = Path(current).relative_to(base).as_posix()
        for name in sorted(names):
            if not name.startswith("."):
                yield (name if relative == "." else f"{relative}/{name}"), Path(current) / name


def _plain_directory(root: Path, directory: str) -> bool:
    """Whether every part of `directory` below `root` is a real directory (no link)."""
    current = root
    for part in directory.split("/"):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return False
        if not stat.S_ISDIR(mode):
            return False
    return True


def _text(path: Path) -> str | None:
    try:
        return read_regular_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None

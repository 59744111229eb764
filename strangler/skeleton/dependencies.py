"""A service's dependencies: the distributions its code imports, with the monolith's own constraints.

Import names are not distribution names (`yaml` is PyYAML, `corsheaders` is django-cors-headers).
Each third-party top-level name the service's code imports is mapped to a distribution by, in turn:
the distributions of the running environment that provide it (`packages_distributions()`), a small
table of well-known mismatches, the name itself, and, only when the monolith declares one of them,
the conventional spellings (`python-<name>`, `<name>-python`, `py<name>`, `django-<name>`). The
first candidate the monolith declares gives the requirement as the monolith wrote it
(`requirements.py`); else a lock file's pin; else, when the monolith does not declare it (or
declares nothing at all), the distribution installed here or named in the table, without a version,
and a note says so. A name nothing maps is left out with a note: a guess that does not exist on the
index would make `pip install` fail. Code of the analyzed tree (any of its top-level modules and
packages) is never a dependency, nor the standard library.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from strangler.skeleton.requirements import Declared, normalize

#: Import names whose distribution is spelled differently (where the environment cannot tell).
WELL_KNOWN = {
    "PIL": "Pillow",
    "bs4": "beautifulsoup4",
    "corsheaders": "django-cors-headers",
    "crispy_forms": "django-crispy-forms",
    "cv2": "opencv-python",
    "dateutil": "python-dateutil",
    "debug_toolbar": "django-debug-toolbar",
    "django_extensions": "django-extensions",
    "django_filters": "django-filter",
    "djmoney": "django-money",
    "dns": "dnspython",
    "docx": "python-docx",
    "dotenv": "python-dotenv",
    "environ": "django-environ",
    "git": "GitPython",
    "jose": "python-jose",
    "jwt": "PyJWT",
    "magic": "python-magic",
    "MySQLdb": "mysqlclient",
    "OpenSSL": "pyOpenSSL",
    "psycopg2": "psycopg2-binary",
    "rest_framework": "djangorestframework",
    "rest_framework_simplejwt": "djangorestframework-simplejwt",
    "serial": "pyserial",
    "sklearn": "scikit-learn",
    "slugify": "python-slugify",
    "socketio": "python-socketio",
    "taggit": "django-taggit",
    "telegram": "python-telegram-bot",
    "yaml": "PyYAML",
    "zmq": "pyzmq",
}

#: What the generated code itself needs, by framework, with the constraint used when the monolith
#: does not declare the distribution (its own constraint wins).
GENERATED = {
    "flask": ("flask>=2.2", "httpx>=0.24,<1"),
    "fastapi": ("fastapi>=0.100", "httpx>=0.24,<1", "uvicorn>=0.23"),
    "django": ("django>=4.2", "httpx>=0.24,<1"),
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """The requirements of one service, and what the reader should know about them."""

    requirements: tuple[str, ...]  # sorted by normalized name
    notes: tuple[str, ...] = ()
    # every exact pin the monolith declares (`name==version`), sorted by normalized name: the
    # versions the monolith runs with, for what the requirements pull in without pinning it
    constraints: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DependencyFacts:
    """What mapping needs besides the import names: the declarations, the environment's
    import name -> distributions, and the analyzed tree's own top-level names."""

    declared: Declared
    environment: Mapping[str, Sequence[str]] = field(default_factory=dict)
    local: AbstractSet[str] = frozenset()


def environment_distributions() -> dict[str, tuple[str, ...]]:
    """Top-level import name -> distributions providing it, in the running environment."""
    import importlib.metadata

    return {k: tuple(sorted(set(v))) for k, v in importlib.metadata.packages_distributions().items()}


#: How distributions are commonly named after the module they provide (`python-dateutil`,
#: `pyserial`, `django-environ`): tried last, and only against what the monolith declares.
CONVENTIONS = ("python-{}", "{}-python", "py{}", "django-{}")


def _candidates(name: str, environment: Mapping[str, Sequence[str]]) -> list[str]:
    found = [*sorted(environment.get(name, ()))]
    if name in WELL_KNOWN:
        found.append(WELL_KNOWN[name])
    return [*found, name, *(spelling.format(name) for spelling in CONVENTIONS)]


def _declared(candidates: Sequence[str], declared: Declared) -> str | None:
    for candidate in candidates:
        key = normalize(candidate)
        if key in declared.requirements:
            return declared.requirements[key]
    for candidate in candidates:
        key = normalize(candidate)
        if key in declared.pins:
            return f"{candidate}=={declared.pins[key]}"
    return None


def _one(name: str, facts: DependencyFacts) -> tuple[str | None, str | None]:
    """(requirement or None, note or None) for the import name `name`."""
    candidates = _candidates(name, facts.environment)
    found = _declared(candidates, facts.declared)
    if found is not None:
        return found, None
    known = [*sorted(facts.environment.get(name, ())), *([WELL_KNOWN[name]] if name in WELL_KNOWN else [])]
    if not known:
        return _named_like(name, facts.declared)
    if facts.declared.empty:
        return normalize(known[0]), None  # (one warning for all: see `resolve`)
    return normalize(known[0]), (
        f"import {name}: {normalize(known[0])} is not declared by the monolith: taken without a version"
    )


def _named_like(name: str, declared: Declared) -> tuple[str | None, str | None]:
    """The one distribution the monolith declares whose name starts with the import name as a
    word (`lingua` -> `lingua-language-detector`, `ffmpeg` -> `ffmpeg-python`), taken with a note
    to check it; none (a note to add it by hand) when no declared name or several do."""
    word = normalize(name)
    like = sorted(k for k in declared.requirements if k.startswith(f"{word}-"))
    if len(like) == 1:
        return declared.requirements[like[0]], (
            f"import {name}: taken as {like[0]}, which the monolith declares and whose name starts"
            " with it: check"
        )
    return None, (
        f"import {name}: no distribution found (not declared by the monolith under that name, not"
        " installed here): add it by hand"
    )


def resolve(imports: Iterable[str], framework: str, facts: DependencyFacts) -> Resolved:
    """The requirements of code importing the top-level names `imports`, served by `framework`."""
    by_name: dict[str, str] = {}
    for default in GENERATED[framework]:  # (the monolith's own constraint wins)
        key = _key(default)
        by_name[key] = facts.declared.requirements.get(key, default)
    notes: list[str] = []
    for name in sorted(set(imports) - set(facts.local) - set(sys.stdlib_module_names)):
        found, note = _one(name, facts)
        if found is None or _key(found) not in by_name:
            notes += [note] if note is not None else []
        if found is not None:
            by_name.setdefault(_key(found), found)
    if facts.declared.empty:
        notes.insert(
            0,
            "the monolith declares no dependencies: distributions are those installed"
            " where strangler ran, without versions: pin them",
        )
    requirements = tuple(by_name[k] for k in sorted(by_name))
    return Resolved(requirements, tuple(notes), pinned(facts.declared, facts.local))


#: An exact pin as a constraints file takes it: a distribution name and one version, nothing else.
_PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9][A-Za-z0-9.+!_-]*)")


def pinned(declared: Declared, local: AbstractSet[str]) -> tuple[str, ...]:
    """`name==version` of every distribution the monolith pins (a requirement that is one exact
    version, else a lock file's pin), local code left out; sorted by normalized name."""
    found: dict[str, str] = {}
    for key, text in declared.requirements.items():
        if _PIN.fullmatch(text):
            found[key] = text
    for key, version in declared.pins.items():
        if key not in found and _PIN.fullmatch(f"{key}=={version}"):
            found[key] = f"{key}=={version}"
    locals_ = {normalize(name) for name in local}
    return tuple(found[k] for k in sorted(found) if k not in locals_)


def _key(requirement_text: str) -> str:
    """The normalized distribution name a requirement starts with."""
    head = requirement_text
    for stop in "[;<>=!~ (@":
        head = head.split(stop, 1)[0]
    return normalize(head)

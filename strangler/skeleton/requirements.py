"""What the monolith declares it depends on: distribution names with its own version constraints.

Read statically from the analyzed tree, never by running anything of it: `pyproject.toml`
(`[project] dependencies` and optional dependencies, `[tool.poetry]` dependencies and groups),
`requirements*.txt` at the root and under `requirements/` (with their `-r`/`-c` includes inside the
tree), `setup.py` (`install_requires`, read with `ast`), `setup.cfg`, `Pipfile`, and the pins of
`poetry.lock` / `uv.lock`. Every file is read bounded (`read_config_bytes`: regular files only,
at most 1 MB). Every requirement is checked against a strict subset of PEP 508 (name, extras,
version specifiers, an environment marker) and written back in a normal form: a requirement that is
not (a URL, a path, an editable install, a Poetry `||`) is left out with a note.

The first declaration of a distribution wins, in this order: the project's own dependencies
(`[project]`, Poetry, setup.py, setup.cfg, Pipfile, then requirement files whose name does not say
dev/test/doc/lint), then optional dependencies and development groups.
"""

from __future__ import annotations

import ast
import configparser
import dataclasses
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import Any

from analyzers.config import read_config_bytes
from analyzers.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_SPEC_ONE = r"(?:===|==|~=|!=|<=|>=|<|>)\s*[A-Za-z0-9*+!._-]+"
_SPECS = rf"{_SPEC_ONE}(?:\s*,\s*{_SPEC_ONE})*"
_REQUIREMENT = re.compile(
    rf"\s*(?P<name>{_NAME})\s*(?:\[\s*(?P<extras>{_NAME}(?:\s*,\s*{_NAME})*)\s*\])?"
    rf"\s*(?:(?P<specs>{_SPECS})|\(\s*(?P<paren>{_SPECS})\s*\))?"
    r"\s*(?:;\s*(?P<marker>[A-Za-z0-9_.'\"<>=!~ (),-]+?))?\s*\Z"
)
_ONE = re.compile(_SPEC_ONE)
_VERSION = re.compile(r"[0-9][A-Za-z0-9.*+!_-]*\Z")
_DEV_WORDS = ("dev", "test", "doc", "lint", "type", "ci", "bench")
#: Requirement files read at most (with their includes), and the include depth.
MAX_REQUIREMENT_FILES = 32


@dataclass(frozen=True, slots=True)
class Declared:
    """The monolith's declared dependencies: normalized name -> requirement (normal form)."""

    requirements: Mapping[str, str]
    pins: Mapping[str, str]  # normalized name -> exact version from a lock file
    sources: tuple[str, ...]  # files that declared something, relative to the root
    notes: tuple[str, ...]  # requirements left out, files that could not be read
    python: str = ""  # the Python versions the project declares (`requires-python`), "" = none

    @property
    def empty(self) -> bool:
        return not self.requirements and not self.pins


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them (`Django_Filter` -> `django-filter`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement(text: str) -> tuple[str, str] | None:
    """(normalized name, normal form) of a PEP 508 requirement of the accepted subset, else None."""
    found = _REQUIREMENT.match(text)
    if found is None:
        return None
    name = found["name"]
    extras = (
        ",".join(sorted(normalize(e.strip()) for e in found["extras"].split(","))) if found["extras"] else ""
    )
    specs = ",".join(s.replace(" ", "") for s in _ONE.findall(found["specs"] or found["paren"] or ""))
    marker = " ".join(found["marker"].split()) if found["marker"] else ""
    if marker and not valid_marker(marker):
        return None
    out = name + (f"[{extras}]" if extras else "") + specs + (f"; {marker}" if marker else "")
    return normalize(name), out


_MARKER_VARIABLES = frozenset(
    {
        "python_version",
        "python_full_version",
        "os_name",
        "sys_platform",
        "platform_release",
        "platform_system",
        "platform_version",
        "platform_machine",
        "platform_python_implementation",
        "implementation_name",
        "implementation_version",
        "extra",
    }
)
_MARKER_TOKEN = re.compile(
    r"\s*(\(|\)|and\b|or\b|not\s+in\b|in\b|===|==|!=|<=|>=|~=|<|>|'[^']*'|\"[^\"]*\"|[a-z_]+)"
)
_COMPARISONS = frozenset({"===", "==", "!=", "<=", ">=", "~=", "<", ">", "in", "not in"})


def _marker_tokens(marker: str) -> list[str] | None:
    tokens, position = [], 0
    while position < len(marker):
        found = _MARKER_TOKEN.match(marker, position)
        if found is None:
            return None
        tokens.append(" ".join(found[1].split()))
        position = found.end()
    return tokens


def _operand(token: str) -> bool:
    return token in _MARKER_VARIABLES or (token[:1] in "'\"" and len(token) >= 2)


def valid_marker(marker: str) -> bool:
    """Whether `marker` is a PEP 508 environment marker: comparisons of the known variables with
    quoted strings, joined by `and`/`or`, in parentheses."""
    tokens = _marker_tokens(marker)
    if not tokens:
        return False
    position, depth, expect_term = 0, 0, True
    while position < len(tokens):
        token = tokens[position]
        if expect_term and token == "(":
            depth, position = depth + 1, position + 1
        elif expect_term and _comparison(tokens[position : position + 3]):
            position, expect_term = position + 3, False
        elif not expect_term and token == ")" and depth > 0:
            depth, position = depth - 1, position + 1
        elif not expect_term and token in ("and", "or"):
            position, expect_term = position + 1, True
        else:
            return False
    return depth == 0 and not expect_term


def _comparison(three: list[str]) -> bool:
    return len(three) == 3 and _operand(three[0]) and three[1] in _COMPARISONS and _operand(three[2])


@dataclass(frozen=True, slots=True)
class _Found:
    """Requirements of one source, in order, with what was left out."""

    source: str
    rank: int  # 0: the project's own dependencies, 1: optional and development ones
    items: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()


def _checked(source: str, rank: int, texts: Iterable[str]) -> _Found:
    items, notes = [], []
    for text in texts:
        parsed = requirement(text)
        if parsed is None:
            notes.append(f"{source}: `{text.strip()[:80]}` is not a plain requirement: left out")
        else:
            items.append(parsed)
    return _Found(source, rank, tuple(items), tuple(notes))


# -- pyproject.toml, Pipfile, lock files ---------------------------------------------------------


def _poetry_spec(value: str) -> str | None:
    """A Poetry version constraint in PEP 440 (`^1.2` -> `>=1.2,<2.0`); None when it has none."""
    value = value.strip()
    if value in ("", "*"):
        return ""
    if "||" in value:
        return None
    if value.startswith("~="):
        return value.replace(" ", "") if _ONE.fullmatch(value) else None
    if value[0] in "^~" and _VERSION.match(value.lstrip("^~=")):
        return _caret(value[1:]) if value[0] == "^" else _tilde(value.lstrip("~="))
    if _VERSION.match(value):
        return f"=={value}"
    parts = [p.strip() for p in value.replace(" ", ",").split(",") if p.strip()]
    return ",".join(parts) if all(_ONE.fullmatch(p) for p in parts) else None


def _release(version: str) -> list[int] | None:
    parts = version.split(".")
    return [int(p) for p in parts] if all(p.isdigit() for p in parts) else None


def _caret(version: str) -> str | None:
    release = _release(version)
    if release is None:
        return None
    first = next((i for i, v in enumerate(release) if v != 0), len(release) - 1)
    upper = [*release[:first], release[first] + 1] + [0] * (len(release) - first - 1)
    return f">={version},<{'.'.join(map(str, upper))}"


def _tilde(version: str) -> str | None:
    release = _release(version)
    if release is None:
        return None
    keep = 1 if len(release) == 1 else 2
    upper = [*release[: keep - 1], release[keep - 1] + 1] + [0] * (len(release) - keep)
    return f">={version},<{'.'.join(map(str, upper))}"


def _table_requirement(name: str, value: Any) -> str | None:
    """A Poetry or Pipfile dependency (`"^1.2"`, `"*"`, `{version = ..., extras = [...]}`) as PEP 508."""
    extras: list[str] = []
    marker = ""
    if isinstance(value, dict):
        if any(key in value for key in ("git", "path", "url", "file", "editable")):
            return None
        extras = [e for e in value.get("extras", []) if isinstance(e, str)]
        marker = value.get("markers", "") if isinstance(value.get("markers", ""), str) else ""
        value = value.get("version", "*")
    if not isinstance(value, str):
        return None
    spec = _poetry_spec(value)
    if spec is None:
        return None
    text = name + (f"[{','.join(extras)}]" if extras else "") + spec + (f"; {marker}" if marker else "")
    return text


def _from_table(source: str, rank: int, table: Any) -> _Found:
    items, notes = [], []
    for name, value in sorted(table.items()) if isinstance(table, dict) else []:
        if not isinstance(name, str) or normalize(name) == "python":
            continue
        text = _table_requirement(name, value)
        parsed = requirement(text) if text is not None else None
        if parsed is None:
            notes.append(f"{source}: {name} is not declared as a plain version constraint: left out")
        else:
            items.append(parsed)
    return _Found(source, rank, tuple(items), tuple(notes))


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def from_pyproject(data: Mapping[str, Any], source: str = "pyproject.toml") -> list[_Found]:
    project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
    found = [_checked(source, 0, _strings(project.get("dependencies")))]
    optional = project.get("optional-dependencies", {})
    if isinstance(optional, dict):
        found += [_checked(source, 1, _strings(optional[k])) for k in sorted(optional)]
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    if isinstance(poetry, dict):
        found.append(_from_table(source, 0, poetry.get("dependencies", {})))
        found.append(_from_table(source, 1, poetry.get("dev-dependencies", {})))
        groups = poetry.get("group", {}) if isinstance(poetry.get("group"), dict) else {}
        for group in sorted(groups):
            table = groups[group]
            found.append(
                _from_table(source, 1, table.get("dependencies", {}) if isinstance(table, dict) else {})
            )
    return found


def from_pipfile(data: Mapping[str, Any], source: str = "Pipfile") -> list[_Found]:
    return [
        _from_table(source, 0, data.get("packages", {})),
        _from_table(source, 1, data.get("dev-packages", {})),
    ]


def lock_pins(data: Mapping[str, Any]) -> dict[str, str]:
    """Normalized name -> version of every `[[package]]` of a poetry.lock or uv.lock."""
    pins: dict[str, str] = {}
    for package in data.get("package", []) if isinstance(data.get("package"), list) else []:
        if not isinstance(package, dict):
            continue
        name, version = package.get("name"), package.get("version")
        if (
            isinstance(name, str)
            and isinstance(version, str)
            and re.fullmatch(_NAME, name)
            and _VERSION.match(version)
        ):
            pins.setdefault(normalize(name), version)
    return pins


# -- setup.py, setup.cfg, requirement files -----------------------------------------------------


def from_setup_py(text: str, source: str = "setup.py") -> list[_Found]:
    """`install_requires` of `setup(...)`, a literal list or a module-level name bound to one."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [_Found(source, 0, (), (f"{source}: not valid Python: not read",))]
    literals = {
        t.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called(node) == "setup"):
            continue
        for keyword in node.keywords:
            if keyword.arg == "install_requires":
                value = (
                    literals.get(keyword.value.id) if isinstance(keyword.value, ast.Name) else keyword.value
                )
                return [_checked(source, 0, _literal_strings(value))]
    return []


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal_strings(node: ast.expr | None) -> list[str]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def from_setup_cfg(text: str, source: str = "setup.cfg") -> list[_Found]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
        value = parser.get("options", "install_requires", fallback="")
    except configparser.Error:
        return [_Found(source, 0, (), (f"{source}: not a valid config file: not read",))]
    lines = [line.split("#")[0].strip() for line in value.replace(";", "\n").splitlines()]
    return [_checked(source, 0, [line for line in lines if line])]


def requirement_lines(text: str) -> tuple[list[str], list[str]]:
    """(requirements, included files) of a requirements file: options and comments dropped;
    `-r FILE` / `-c FILE` includes listed (a constraints file declares versions too)."""
    requirements, includes = [], []
    for raw in text.replace("\\\n", " ").splitlines():
        line = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        include = re.match(r"(?:-r|-c|--requirement|--constraint)(?:\s+|=)(\S+)\Z", line)
        if include:
            includes.append(include[1])
        elif line and not line.startswith("-"):
            requirements.append(re.split(r"\s+--", line, maxsplit=1)[0])  # (`pkg==1 --hash=...`)
    return requirements, includes


def _dev(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return any(word in name for word in _DEV_WORDS)


# -- the tree ------------------------------------------------------------------------------------


def _read(root: Path, rel: str) -> str | None:
    """The text of file `rel` of the tree; None when it is not there, not a small regular file,
    not UTF-8, or a link that leads out of the tree."""
    try:
        (root / rel).resolve().relative_to(root.resolve())
        return read_config_bytes(root / rel).decode("utf-8")
    except (ValueError, OSError, ConfigError, UnicodeDecodeError):
        return None


def _toml(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    return data


def _inside(root: Path, base: str, include: str) -> str | None:
    """The tree-relative path of `include` written in file `base`, None when it leaves the tree."""
    if "://" in include:
        return None
    target = (root / PurePosixPath(base).parent / include).resolve()
    try:
        return target.relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _requirement_files(root: Path) -> list[str]:
    names = []
    for directory in ("", "requirements"):
        folder = root / directory if directory else root
        try:
            entries = sorted(p.name for p in folder.iterdir())
        except OSError:
            continue
        names += [
            f"{directory}/{n}" if directory else n
            for n in entries
            if n.endswith((".txt", ".in")) and (directory or n.startswith("requirements"))
        ]
    return sorted(names, key=_file_order)


def _file_order(name: str) -> tuple[bool, str]:
    """Sort key of requirement files: the project's own before development ones, then by name."""
    return _dev(name), name


def _from_requirement_files(root: Path) -> list[_Found]:
    queue, seen, found = _requirement_files(root), set[str](), list[_Found]()
    while queue and len(seen) < MAX_REQUIREMENT_FILES:
        rel = queue.pop(0)
        if rel in seen:
            continue
        seen.add(rel)
        text = _read(root, rel)
        if text is None:
            continue
        lines, includes = requirement_lines(text)
        found.append(_checked(rel, 1 if _dev(rel) else 0, lines))
        for include in includes:
            target = _inside(root, rel, include)
            if target is None:
                found.append(
                    _Found(rel, 1, (), (f"{rel}: include {include[:80]} is outside the tree: not read",))
                )
            elif target not in seen:
                queue.append(target)
    return found


def read_declared(root: Path) -> Declared:
    """Everything the monolith at `root` declares (the only file-system access of this module)."""
    found: list[_Found] = []
    pins: dict[str, str] = {}
    pyproject = _toml(_read(root, "pyproject.toml"))
    if pyproject is not None:
        found += from_pyproject(pyproject)
    setup_py = _read(root, "setup.py")
    if setup_py is not None:
        found += from_setup_py(setup_py)
    setup_cfg = _read(root, "setup.cfg")
    if setup_cfg is not None:
        found += from_setup_cfg(setup_cfg)
    pipfile = _toml(_read(root, "Pipfile"))
    if pipfile is not None:
        found += from_pipfile(pipfile)
    found += _from_requirement_files(root)
    for lock in ("poetry.lock", "uv.lock"):
        data = _toml(_read(root, lock))
        if data is not None:
            pins.update((k, v) for k, v in lock_pins(data).items() if k not in pins)
    declared = declared_from(found, pins)
    python = declared_python(pyproject) if pyproject is not None else ""
    return dataclasses.replace(declared, python=python) if python else declared


_PYTHON_SPECS = re.compile(rf"{_SPECS}\Z")


def declared_python(pyproject: Mapping[str, Any]) -> str:
    """`[project] requires-python`, else Poetry's `python` dependency, in PEP 440 ("" when neither
    is there or it is not a plain version specifier)."""
    project = pyproject.get("project")
    value = project.get("requires-python") if isinstance(project, dict) else None
    if not isinstance(value, str):
        poetry = (
            pyproject.get("tool", {}).get("poetry", {}) if isinstance(pyproject.get("tool"), dict) else {}
        )
        dependencies = poetry.get("dependencies", {}) if isinstance(poetry, dict) else {}
        given = dependencies.get("python") if isinstance(dependencies, dict) else None
        value = _poetry_spec(given) if isinstance(given, str) else None
    text = "".join((value or "").split())
    return text if _PYTHON_SPECS.match(text) else ""


def declared_from(found: Iterable[_Found], pins: Mapping[str, str]) -> Declared:
    """The first declaration of each distribution, the project's own ranked first."""
    ordered = sorted(found, key=attrgetter("rank"))  # (stable: file order within a rank)
    requirements: dict[str, str] = {}
    for item in ordered:
        for name, text in item.items:
            requirements.setdefault(name, text)
    return Declared(
        requirements=dict(sorted(requirements.items())),
        pins=dict(sorted(pins.items())),
        sources=tuple(sorted({f.source for f in ordered if f.items})),
        notes=tuple(note for f in ordered for note in f.notes),
    )

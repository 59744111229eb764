"""Issue #12's fuzz test: generated hostile trees through analyze -> boundaries -> plan.

Each example is a small Flask monolith whose package names, routes, table names, docstrings, config
values and file kinds come from hypothesis, mixed with the attacks that were found by hand. For every
one: exit code 0, 1 or 2 and never a traceback; nothing written outside `-o`; every JSON output parses
strictly (no NaN); every nginx phase passes the real `nginx -t`; every generated `.py` parses.

The number of examples is bounded for CI (`STRANGLER_FUZZ_EXAMPLES`, default 8) and derandomized, so a
CI failure reproduces; run with a larger number locally to search further.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.hostile import files_under, nginx_failures

EXAMPLES = int(os.environ.get("STRANGLER_FUZZ_EXAMPLES", "8"))

TRICKY_PACKAGES = (
    "monolith",
    "internal_denied",
    "shared_kernel",
    "strangler",
    "build",
    "static",
    "admin",
    "x" * 60,
    "orders",
    "stock",
)
TRICKY_ROUTES = (
    "/",
    "/_strangler/ops/run",
    "//_strangler/x",
    "/_STRANGLER/x",
    "/set-password?uid=1",
    "/(a|aa)+$",
    "/<path:rest>",
    "/static/app.css",
    "/admin/",
    "/a b",
    "/x\n",
    "/x;return 200;",
    '/x"{}',
    "/$uri",
    "/\x00",
    "/é/☃",
    "/" + "a" * 300,
)
TRICKY_NAMES = ("../../../../elsewhere", "monolith", "x\nRUN evil", 'a"b', "ok-name", "Upper", "a" * 50)
HOSTILE_TEXT = st.lists(
    st.sampled_from([*"abc/_-.:{}[]();$#\"'\\\n\t\x00<>*+?|^~ é☃", "_strangler", "/_strangler/"]),
    max_size=12,
).map("".join)


@dataclass(frozen=True)
class Package:
    name: str
    routes: tuple[str, ...]
    table: str
    docstring: str


@dataclass(frozen=True)
class Tree:
    packages: tuple[Package, ...]
    odd_files: tuple[str, ...]
    config: bytes | None


def _package_name() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(TRICKY_PACKAGES), st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True))


def _route() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(TRICKY_ROUTES), HOSTILE_TEXT.map(lambda text: "/" + text))


def _package() -> st.SearchStrategy[Package]:
    return st.builds(
        Package,
        name=_package_name(),
        routes=st.lists(_route(), max_size=3, unique=True).map(tuple),
        table=st.one_of(st.sampled_from(("orders", "monolith", "x;drop table y")), HOSTILE_TEXT),
        docstring=HOSTILE_TEXT,
    )


def _config() -> st.SearchStrategy[bytes | None]:
    value = st.one_of(
        st.sampled_from(TRICKY_NAMES),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-5, 10**6),
        HOSTILE_TEXT,
    )
    table = st.fixed_dictionaries(
        {},
        optional={
            "services": st.dictionaries(
                st.sampled_from(TRICKY_NAMES),
                st.fixed_dictionaries({"modules": st.lists(HOSTILE_TEXT, max_size=2)}),
                max_size=2,
            ),
            "weights": st.dictionaries(
                st.sampled_from(("imports", "references", "bogus")), value, max_size=2
            ),
            "upstreams": st.dictionaries(st.sampled_from(("monolith", *TRICKY_NAMES)), value, max_size=2),
            "source_roots": st.lists(st.sampled_from((".", "..", "/etc", "shop", "../x")), max_size=2),
            "exclude": st.lists(HOSTILE_TEXT, max_size=2),
            "max_file_bytes": value,
        },
    )
    document = table.map(lambda t: tomli_w.dumps({"tool": {"strangler": t}}).encode("utf-8"))
    garbage = st.binary(max_size=40)
    return st.one_of(st.none(), document, garbage)


TREES = st.builds(
    Tree,
    packages=st.lists(_package(), min_size=1, max_size=4, unique_by=lambda p: p.name).map(tuple),
    odd_files=st.lists(
        st.sampled_from(
            ("space", "newline", "undecodable", "binary", "utf16", "deep", "fifo", "link-out", "loop")
        ),
        max_size=4,
        unique=True,
    ).map(tuple),
    config=_config(),
)


def _module_text(package: Package, others: list[str]) -> str:
    lines = [f"{package.docstring!r}", "from flask import Blueprint"]
    lines += [f"from app import {other}" for other in others]
    lines += [
        f"bp = Blueprint({package.name!r}, __name__, url_prefix={'/' + package.name!r})",
        "",
        "class Record:",
        f"    __tablename__ = {package.table!r}",
        "",
    ]
    for index, route in enumerate(package.routes):
        lines += [f"@bp.route({route!r})", f"def view_{index}():", f"    return {route!r}", ""]
    lines += ["def helper():", f"    return [{', '.join(f'{o}.helper' for o in others)}]", ""]
    return "\n".join(lines)


def _odd_file(root: Path, kind: str, outside: Path) -> None:
    app = root / "app"
    if kind == "space":
        (app / "a b.py").write_text("x = 1\n")
    elif kind == "newline":
        (app / "x\nimport os.py").write_text("x = 1\n")
    elif kind == "undecodable":
        (app / os.fsdecode(b"bad\xff.py")).write_text("x = 1\n")
    elif kind == "binary":
        (app / "blob.py").write_bytes(b"\x00\x01\x02")
    elif kind == "utf16":
        (app / "wide.py").write_bytes("x = 'é'\n".encode("utf-16"))
    elif kind == "deep":
        (app / "deep.py").write_text("x = " + "-" * 100_000 + "1\n")
    elif kind == "fifo":
        os.mkfifo(app / "pipe.py")
    elif kind == "link-out":
        os.symlink(outside / "secret.py", app / "leak.py")
    elif kind == "loop":
        os.symlink(app, app / "again")


def _materialize(tree: Tree, root: Path, outside: Path) -> None:
    app = root / "app"
    app.mkdir(parents=True)
    (app / "__init__.py").write_text("")
    names = [p.name for p in tree.packages]
    for index, package in enumerate(tree.packages):
        (app / f"{package.name}.py").write_text(_module_text(package, names[:index]), encoding="utf-8")
    for kind in tree.odd_files:
        _odd_file(root, kind, outside)
    if tree.config is not None:
        (root / "pyproject.toml").write_bytes(tree.config)


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def _run(arguments: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    completed = subprocess.run(
        [sys.executable, "-m", "strangler", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    assert completed.returncode in (0, 1, 2), (arguments, completed.returncode, completed.stderr[-2000:])
    assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    assert "internal error" not in completed.stderr, completed.stderr[-3000:]
    return completed


def _check_plan(out: Path, scratch: Path) -> None:
    _strict_json((out / "plan.json").read_text(encoding="utf-8"))
    assert nginx_failures(out, scratch) == []
    for path in out.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=TREES)
def test_hostile_trees_never_crash_escape_or_emit_invalid_output(
    tmp_path_factory: pytest.TempPathFactory, tree: Tree
) -> None:
    base = tmp_path_factory.mktemp("fuzz")
    root, out, home, outside = base / "tree", base / "out", base / "home", base / "outside"
    for directory in (home, outside):
        directory.mkdir()
    (outside / "secret.py").write_text("TOKEN = 'hunter2'\n")
    _materialize(tree, root, outside)
    before = files_under(base)
    analysis = _run(["analyze", str(root), "--format", "json", "--no-history"], home)
    if analysis.returncode == 0:
        _strict_json(analysis.stdout)
    proposal = _run(["boundaries", str(root), "--format", "json", "--no-history"], home)
    if proposal.returncode == 0:
        _strict_json(proposal.stdout)
    plan = _run(["plan", str(root), "-o", str(out), "--format", "json", "--no-history"], home)
    after = files_under(base)
    written = {p for p in after - before if p.split("/")[0] != "out" and not p.startswith("home/.cache")}
    assert written == set(), f"written outside -o: {sorted(written)[:10]}"
    assert (outside / "secret.py").read_text() == "TOKEN = 'hunter2'\n"
    if plan.returncode == 0:
        _strict_json(plan.stdout)
        _check_plan(out, base / "scratch")
        assert "hunter2" not in "".join(
            p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()
        )

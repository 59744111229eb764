"""The README's edit loop, run as the README shows it: `boundaries -o cut.json`, three edits to its
`services` (move a module, rename a service, add one), then `graph` and `plan` with `--boundaries`.

The commands are taken from the README's block (PATH pointed at a copy of the example, `--no-history`
added) and run as real processes; the edits are the ones its comment names, each made in `services`
alone, with `assignments` left as written.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_APP, REPO

pytestmark = pytest.mark.slow

MOVED, MOVED_TO = "shop.cart.pricing", "orders"
OLD_NAME, NEW_NAME = "reviews", "feedback"
ADDED, ADDED_MODULE = "storefront", "shop.catalog.views"


def _readme_loop() -> list[str]:
    """The lines of the README's sh block after "Edit that file"."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text.split("Edit that file", 1)[1]
    block = re.search(r"```sh\n(.*?)```", after, flags=re.S)
    assert block is not None, "the README shows the edit loop as an sh block"
    return block.group(1).strip().splitlines()


def _run(line: str, tree: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    words = shlex.split(line)
    assert words[0] == "strangler" and words[2] == "examples/monolith_app", line
    args = [sys.executable, "-m", "strangler", words[1], str(tree), *words[3:], "--no-history"]
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def _services(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in document["services"]}


def _edit(document: dict[str, Any]) -> None:
    """The README's three edits, each one change to `services`."""
    services = _services(document)
    home = next(name for name, s in services.items() if MOVED in s["modules"])
    assert home != MOVED_TO and OLD_NAME in services and ADDED not in services
    services[home]["modules"].remove(MOVED)  # move: one string from one list to another
    services[MOVED_TO]["modules"].append(MOVED)
    services[OLD_NAME]["name"] = NEW_NAME  # rename: the name, once
    owner = next(s for s in services.values() if ADDED_MODULE in s["modules"])
    owner["modules"].remove(ADDED_MODULE)  # add: a new entry with the module moved into it
    document["services"].append({"name": ADDED, "modules": [ADDED_MODULE]})


def _cluster_of(dot: str, module: str) -> str:
    """The label of the service cluster that draws `module` in a module-level DOT graph."""
    for block in re.findall(r'subgraph "cluster_\d+" \{(.*?)\n  \}', dot, flags=re.S):
        if f'\n    "{module}" [' in block:
            label = re.search(r'label="([^"]*)"', block)
            assert label is not None
            return label.group(1)
    raise AssertionError(f"{module} is in no cluster")


def test_the_readme_edit_loop_gives_the_edited_cut_in_graph_and_plan(tmp_path: Path) -> None:
    loop = _readme_loop()
    commands = [line for line in loop if line.startswith("strangler ")]
    comment = " ".join(line for line in loop if line.startswith("#"))
    assert [shlex.split(c)[1] for c in commands] == ["boundaries", "graph", "plan"]
    assert all(f'"{word}"' in comment for word in (MOVED, OLD_NAME, NEW_NAME, ADDED, ADDED_MODULE))
    tree = shutil.copytree(EXAMPLE_APP, tmp_path / "monolith_app")
    written = _run(commands[0], tree, tmp_path)
    assert written.stdout.splitlines()[-1] == (
        "wrote cut.json (edit `services`, then pass it back with --boundaries cut.json)"
    )
    cut = tmp_path / "cut.json"
    document = json.loads(cut.read_text(encoding="utf-8"))
    assignments = json.dumps(document["assignments"], sort_keys=True)
    _edit(document)
    cut.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert json.dumps(json.loads(cut.read_text())["assignments"], sort_keys=True) == assignments

    drawn = _run(commands[1], tree, tmp_path)
    assert f"{MOVED}: " in drawn.stderr and "`services` decides" in drawn.stderr  # the note
    assert ADDED in (tmp_path / "cut.html").read_text(encoding="utf-8")
    module_level = "strangler graph examples/monolith_app --boundaries cut.json -o g.dot --level module"
    _run(module_level, tree, tmp_path)
    dot = (tmp_path / "g.dot").read_text(encoding="utf-8")
    assert _cluster_of(dot, MOVED) == MOVED_TO and _cluster_of(dot, ADDED_MODULE) == ADDED
    assert _cluster_of(dot, "shop.reviews.views") == NEW_NAME
    assert f'label="{OLD_NAME}"' not in dot and f"({OLD_NAME}," not in dot

    _run(f"{commands[2]} --format json", tree, tmp_path)
    plan = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    waves = {w["service"]: w for w in plan["waves"]}
    assert MOVED in waves[MOVED_TO]["modules"] and ADDED_MODULE in waves[ADDED]["modules"]
    assert waves[ADDED]["routes"] and NEW_NAME in waves and NEW_NAME in plan["services"]
    named = {w["service"] for w in plan["waves"]} | set(plan["services"])
    assert OLD_NAME not in named and (tmp_path / "out" / "services" / NEW_NAME).is_dir()
    assert not (tmp_path / "out" / "services" / OLD_NAME).exists()
    assert _keys_holding(plan, OLD_NAME) <= {"table"}  # the example's table `reviews` keeps its name


def _keys_holding(value: Any, text: str, key: str = "") -> set[str]:
    """The keys under which the string `text` appears in a JSON value (anywhere in it)."""
    if isinstance(value, dict):
        return {k for name, item in value.items() for k in _keys_holding(item, text, name)} | (
            {"<key>"} if text in value else set()
        )
    if isinstance(value, list):
        return {k for item in value for k in _keys_holding(item, text, key)}
    return {key} if value == text else set()

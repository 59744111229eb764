"""README.md's two commands are what a new user and CI run: keep them true and in step."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def _sh_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", text, flags=re.S)]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme_blocks = _sh_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(readme_blocks) >= 2
    test_command = readme_blocks[1]
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci_lines[-1] == test_command


def test_readme_main_command_runs_on_the_example() -> None:
    main_command = _sh_blocks((REPO / "README.md").read_text(encoding="utf-8"))[0]
    assert "examples/monolith_app" in main_command
    assert "strangler " in main_command


def test_readme_configuration_example_is_accepted() -> None:
    """The `[tool.strangler]` example of the README is valid for every stage that reads it."""
    from strangler.boundaries.settings import boundary_options
    from strangler.cli.plan_command import proxy_options

    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, flags=re.S)
    assert block is not None
    table = tomllib.loads(block.group(1))["tool"]["strangler"]
    options = boundary_options(table)
    assert options.shared == ("shop.core.*",)
    assert options.together and options.apart
    proxy = proxy_options(
        table, monolith_upstream=None, service_upstreams=(), canary=None, listen=None, source="README.md"
    )
    assert proxy is not None


def test_walkthrough_names_the_first_wave_of_the_example_plan() -> None:
    plan = (REPO / "docs" / "example-plan" / "plan.md").read_text(encoding="utf-8")
    first = re.search(r"^## Wave 1: (\S+)$", plan, flags=re.M)
    assert first is not None
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`out/services/{first.group(1)}/`" in readme
    assert f"`{first.group(1)}` is wave 1" in readme
    assert f"{first.group(1)} answered" in readme


def _readme_samples() -> ModuleType:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import readme_samples
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return readme_samples


def test_readme_sample_outputs_are_what_the_commands_print() -> None:
    """Every `<!-- sample: ... -->` block is the output of its command today (timings masked);
    `python scripts/readme_samples.py write` regenerates them."""
    samples = _readme_samples()
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert [m.group("name") for m in samples._MARKER.finditer(text)] == [
        "analyze",
        "boundaries",
        "assignment",
        "plan",
    ]
    assert samples.stale(text, samples.generated()) == ""


def test_readme_samples_check_fails_on_a_stale_number() -> None:
    samples = _readme_samples()
    text = (REPO / "README.md").read_text(encoding="utf-8")
    bodies = {name: f"$ strangler {name}\nline\n" for name in ("analyze", "boundaries", "assignment", "plan")}
    current = samples.rewritten(text, bodies)
    assert samples.stale(current, bodies) == ""
    assert "-line" in samples.stale(current.replace("\nline\n", "\nline 2\n", 1), bodies)
    # timings may differ between runs
    timed = {**bodies, "analyze": "$ strangler analyze\n80 files parsed, 0.12 s\n"}
    retimed = samples.rewritten(text, {**bodies, "analyze": "$ strangler analyze\n80 files parsed, 3.5 s\n"})
    assert samples.stale(retimed, timed) == ""


def test_readme_lists_the_system_packages_ci_installs() -> None:
    """The packages the README says CI installs are the ones `.ci/run` installs."""
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    installed = set(re.findall(r"\w+:([\w-]+)", run.split("for pair in", 1)[1].split(";", 1)[0]))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    said = re.search(r"installing the Debian packages ([\w, -]+?),? and the Mermaid", readme)
    assert said is not None
    listed = set(re.split(r", | and ", said.group(1)))
    assert listed == installed
    assert "@mermaid-js/mermaid-cli" in run


def test_readme_install_line_uses_a_virtualenv() -> None:
    main_command = _sh_blocks((REPO / "README.md").read_text(encoding="utf-8"))[0]
    assert main_command.startswith("python3 -m venv .venv && . .venv/bin/activate && ")


@pytest.mark.slow
def test_readme_main_command_works_in_a_fresh_copy(tmp_path: Path) -> None:
    """The README's first command, verbatim, in a copy of the repository (what a clone holds) with an
    empty HOME: it makes its virtualenv, installs, analyzes the example and writes the plan."""
    copy, home = tmp_path / "strangler", tmp_path / "home"
    home.mkdir()
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    main_command = _sh_blocks((REPO / "README.md").read_text(encoding="utf-8"))[0]
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    done = subprocess.run(
        ["bash", "-c", main_command],
        cwd=copy,
        env={**env, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    assert re.search(r"^Analyzed \S*examples/monolith_app$", done.stdout, flags=re.M)
    assert (copy / ".venv" / "bin" / "strangler").is_file()
    assert (copy / "strangler-out" / "plan.md").is_file()

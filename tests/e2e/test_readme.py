"""README.md's two commands are what a new user and CI run: keep them true and in step."""

from __future__ import annotations

import re
import sys

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

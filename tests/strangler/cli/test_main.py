"""The CLI shell: help, version, and the error boundary that maps StranglerError to exit codes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import click
import pytest

import strangler
from strangler import cli as cli_module
from strangler.exceptions import ConfigError, StranglerError


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "strangler", *args], capture_output=True, text=True, timeout=60
    )


def test_version_matches_package_metadata() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"strangler, version {strangler.__version__}"
    assert strangler.__version__ != "0.0.0+unknown"


def test_help_lists_commands_and_global_options() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "--debug" in result.stdout
    assert "analyze" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "error: no such command 'no-such-command'"


def test_a_misspelled_command_gets_a_suggestion() -> None:
    result = run("analize", ".")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: no such command 'analize'; did you mean 'analyze'?",
        "  hint: strangler --help lists the arguments and options",
    ]


def test_unknown_option_is_a_usage_error() -> None:
    result = run("--no-such-option")
    assert result.returncode == 2


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (("plan",), "error: missing argument 'PATH'"),
        (("boundaries", ".", "--services", "abc"), "error: invalid value for '--services':"),
        (("export", ".", "x"), "error: missing option '--to'. Choose from: import-linter, tach"),
    ],
)
def test_usage_errors_read_like_every_other_error(args: tuple[str, ...], first: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(first) and len(lines) == 2, result.stderr
    assert lines[1].startswith(f"  hint: strangler {args[0]} --help")
    assert "Usage:" not in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def failing_command() -> Iterator[click.Command]:
    @click.command("explode")
    @click.option("--usage", is_flag=True)
    def explode(usage: bool) -> None:
        if usage:
            raise ConfigError("weights must be numbers", path="pyproject.toml", line=7)
        raise StranglerError("the plan cannot be written", path="out/plan.md", hint="use --force")

    cli_module.cli.add_command(explode)
    yield explode
    cli_module.cli.commands.pop("explode")


def test_strangler_error_becomes_message_and_exit_1(
    failing_command: click.Command, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_module.main(["explode"]) == 1
    err = capsys.readouterr().err
    assert "error: out/plan.md: the plan cannot be written" in err
    assert "hint: use --force" in err
    assert "Traceback" not in err


def test_usage_kind_of_error_exits_2_with_file_and_line(
    failing_command: click.Command, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_module.main(["explode", "--usage"]) == 2
    assert "pyproject.toml:7: weights must be numbers" in capsys.readouterr().err


def test_debug_shows_the_traceback(failing_command: click.Command) -> None:
    with pytest.raises(StranglerError):
        cli_module.main(["--debug", "explode"])

"""The `strangler` command line: a thin shell over the library API.

One module per command (`strangler/cli/<name>_command.py`, options shared by several commands in
`shared_options`); each only parses options, calls one library function and prints. Errors from
the library are `StranglerError`s; this module alone turns them into messages and exit codes
(1 failure, 2 usage), or into a traceback with `--debug`.
"""

from __future__ import annotations

import difflib
import importlib
import sys

import click

from strangler import __version__
from strangler.exceptions import StranglerError

#: Command name → its module in this package; imported only when the command runs, so that
#: `strangler analyze` does not pay for the rendering, planning and codemod machinery.
COMMANDS = {
    "analyze": "analyze_command",
    "boundaries": "boundaries_command",
    "check": "check_command",
    "export": "export_command",
    "graph": "graph_command",
    "plan": "plan_command",
    "progress": "progress_command",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command: click.Command = importlib.import_module(f"strangler.cli.{module}").command
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(
                f"no such command '{name}'{_suggestion(name, self.list_commands(ctx))}", ctx
            )
        return super().resolve_command(ctx, args)


def _suggestion(name: str, commands: list[str]) -> str:
    """`; did you mean 'analyze'?` for a misspelled command, else ""."""
    close = difflib.get_close_matches(name, commands, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def usage_error(exc: click.UsageError) -> str:
    """A usage error in the tool's one format: `error:` what is wrong, `hint:` where to read more."""
    message = " ".join(exc.format_message().split()).rstrip(".")
    if message[:1].isupper() and not message[:2].isupper():
        message = message[0].lower() + message[1:]
    path = exc.ctx.command_path if exc.ctx is not None else "strangler"
    return f"error: {message}\n  hint: {path} --help lists the arguments and options"


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="strangler")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error instead of a message.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Take a Python monolith apart into services with the strangler-fig pattern.

    Point it at a source tree; it parses the code (never imports or runs it), proposes service
    boundaries, draws them, and plans the extraction with proxy routing and service skeletons.

    \b
    Typical session:
      strangler analyze PATH                 facts, cycles, coupling
      strangler boundaries PATH              proposed services and metrics
      strangler graph PATH -o services.html  the boundary graph
      strangler plan PATH -o plan/           waves, proxy configs, service skeletons
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="strangler", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        click.echo(usage_error(exc), err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except StranglerError as exc:
        if debug:
            raise
        click.echo(f"error: {exc.render()}", err=True)
        return exc.exit_code
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was written (outputs appear only when complete)", err=True)
        return 130
    except Exception as exc:  # a bug of ours: one line, and how to see the rest
        if debug:
            raise
        click.echo(internal_error(exc), err=True)
        return 1
    return 0


def internal_error(exc: Exception) -> str:
    """The message for an exception that is a bug of ours: one line, and how to see the rest."""
    text = " ".join(str(exc).split())[:300]
    return (
        f"internal error: {type(exc).__name__}: {text}\n"
        "  hint: this is a bug in strangler; run again with --debug for the traceback and report it"
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""`strangler export PATH --to import-linter|tach FILE`: the committed cut as those tools' contracts
(docs/check.md). FILE appears atomically; `-` prints it."""

from __future__ import annotations

from pathlib import Path

import click

from strangler.commands.common import (
    analysis_options,
    committed_boundaries_option,
    load_codebase,
    path_argument,
)


@click.command("export")
@path_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "target",
    type=click.Choice(["import-linter", "tach"]),
    required=True,
    help="import-linter: INI contracts (lint-imports --config FILE); tach: a tach.toml.",
)
@committed_boundaries_option
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@analysis_options
def command(
    path: Path,
    file: Path,
    target: str,
    boundaries_file: Path | None,
    quiet: bool,
    no_history: bool,
    no_cache: bool,
    exclude: tuple[str, ...],
) -> None:
    """Write the decomposition of PATH as import-linter or tach contracts to FILE."""
    from strangler.check.export import ExportTarget, export
    from strangler.check.run import load_policy
    from strangler.writing import write_file_atomically

    codebase = load_codebase(path, no_history=True, no_cache=no_cache, exclude=exclude, quiet=quiet)
    text = export(load_policy(path, boundaries_file, codebase), codebase, ExportTarget(target))
    if str(file) == "-":
        click.echo(text, nl=False)
        return
    if file.is_symlink():
        raise click.UsageError(f"{file} is a symbolic link; pass the file it points to")
    write_file_atomically(file, text.encode("utf-8"))

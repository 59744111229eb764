"""`strangler export PATH --to import-linter|tach FILE`: the committed cut as those tools' contracts
(docs/check.md). FILE appears atomically; `-` prints it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from strangler.check.export import ExportTarget
from strangler.check.export_output import ExportRequest, export_text
from strangler.cli.shared_options import (
    EnumChoice,
    analysis_options,
    collect,
    committed_boundaries_option,
    path_argument,
)
from strangler.progress import Stage


@click.command("export")
@path_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "target",
    type=EnumChoice(ExportTarget),
    required=True,
    help="import-linter: INI contracts (lint-imports --config FILE); tach: a tach.toml.",
)
@committed_boundaries_option
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@analysis_options
def command(**options: Any) -> None:
    """Write the decomposition of PATH as import-linter or tach contracts to FILE."""
    from strangler.writing import write_file_atomically

    request = collect(ExportRequest, options, then=Stage.EXPORT)
    text = export_text(request)
    request.analysis.progress.end()
    if str(request.file) == "-":
        click.echo(text, nl=False)
        return
    if request.file.is_symlink():
        raise click.UsageError(f"{request.file} is a symbolic link; pass the file it points to")
    write_file_atomically(request.file, text.encode("utf-8"))

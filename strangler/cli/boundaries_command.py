"""`strangler boundaries PATH`: propose services, name the shared kernel, and measure the cut.

Text output: a table of services, the shared kernel with reasons, and the metrics of the proposal
beside those of today's package layout (and of `--reference FILE` when given).
`--format json`: the `strangler.decomposition/1` document, which can be edited and fed back with
`--boundaries FILE` here and on `graph` and `plan`. `-o FILE` writes that document to FILE (the
report still goes to stdout), then says so in one line (on stderr with `--format json`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from strangler.boundaries.proposal_output import BoundariesRequest, boundaries_report
from strangler.boundaries.text_report import render_text
from strangler.cli.shared_options import (
    analysis_options,
    collect,
    output_options,
    path_argument,
    proposal_options,
)
from strangler.request import OutputFormat

#: (`render_text` stays importable from here, its former home.)
__all__ = ["command", "render_text"]


@click.command("boundaries")
@path_argument
@proposal_options
@click.option(
    "--reference",
    metavar="FILE|packages",
    help="Also score against this decomposition (JSON/TOML module→service, or 'packages').",
)
@click.option(
    "--boundaries",
    "boundaries_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Describe this edited decomposition instead of proposing one.",
)
@click.option(
    "--include-tests",
    is_flag=True,
    help="Keep the modules that are no runtime code in the graph: tests, migrations, docs, "
    "examples, templates, settings variants, scripts.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the decomposition (strangler.decomposition/1 JSON) to FILE, to edit its "
    "`services` and pass back with --boundaries FILE.",
)
@analysis_options
@output_options
def command(**options: Any) -> None:
    """Propose service boundaries for the monolith at PATH."""
    request = collect(BoundariesRequest, options, warn=True)
    result = boundaries_report(request)
    request.analysis.progress.end()
    click.echo(result.report, nl=False)
    if result.wrote is not None and not request.analysis.quiet:
        click.echo(result.wrote, err=request.fmt is OutputFormat.JSON)

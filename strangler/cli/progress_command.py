"""`strangler progress PATH`: what is left to cut, commit by commit (docs/check.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from strangler.check.progress_output import ProgressRequest, progress_output
from strangler.cli.shared_options import (
    EnumChoice,
    analysis_options,
    collect,
    committed_boundaries_option,
    path_argument,
)
from strangler.progress import Stage
from strangler.request import OutputFormat


@click.command("progress")
@path_argument
@committed_boundaries_option
@click.option(
    "--commits",
    type=click.IntRange(min=1, max=1000),
    default=10,
    show_default=True,
    help="How many recent commits touching PATH to check.",
)
@click.option(
    "--format",
    "fmt",
    type=EnumChoice(OutputFormat),
    default="text",
    show_default=True,
    help="json: strangler.progress/1.",
)
@click.option(
    "-o",
    "--output",
    "chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the findings left per commit and per service as an SVG chart (FILE.svg).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress output; only the result.")
@analysis_options
def command(**options: Any) -> None:
    """Findings of `strangler check` on each recent commit, against today's decomposition."""
    from strangler.writing import write_file_atomically

    request = collect(ProgressRequest, options, then=Stage.COMMITS)
    result = progress_output(request)
    request.analysis.progress.end()
    if request.chart is not None and result.chart is not None:
        if request.chart.suffix != ".svg":
            raise click.BadParameter("the chart is an SVG: name it FILE.svg", param_hint="'-o'")
        write_file_atomically(request.chart, result.chart.encode("utf-8"))
    click.echo(result.text, nl=False)

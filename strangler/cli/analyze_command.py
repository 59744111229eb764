"""`strangler analyze PATH`: the facts and coupling summary of a source tree, as text or JSON."""

from __future__ import annotations

from typing import Any

import click

from strangler.cli.shared_options import analysis_options, collect, output_options, path_argument
from strangler.graph.analysis_output import AnalyzeRequest, analysis_output


@click.command("analyze")
@path_argument
@analysis_options
@output_options
@click.option(
    "--include-tests",
    is_flag=True,
    help="Keep test and migration modules in the graph, cycles and coupling figures.",
)
def command(**options: Any) -> None:
    """Parse PATH (never importing it) and report modules, edges, cycles, routes and tables."""
    click.echo(analysis_output(collect(AnalyzeRequest, options)), nl=False)

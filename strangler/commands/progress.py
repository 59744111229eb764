"""`strangler progress PATH`: what is left to cut, commit by commit (docs/check.md)."""

from __future__ import annotations

from pathlib import Path

import click

from strangler.commands.common import (
    analysis_options,
    analysis_options_for,
    committed_boundaries_option,
    load_codebase,
    path_argument,
)


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
    type=click.Choice(["text", "json"]),
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
def command(
    path: Path,
    boundaries_file: Path | None,
    commits: int,
    fmt: str,
    chart: Path | None,
    quiet: bool,
    no_history: bool,
    no_cache: bool,
    exclude: tuple[str, ...],
) -> None:
    """Findings of `strangler check` on each recent commit, against today's decomposition."""
    from strangler.check.progress import progress, render_text, to_document
    from strangler.check.run import load_policy
    from strangler.jsonio import dumps

    codebase = load_codebase(path, no_history=True, no_cache=no_cache, exclude=exclude, quiet=quiet)
    policy = load_policy(path, boundaries_file, codebase)
    options = analysis_options_for(path, no_history=True, no_cache=no_cache, exclude=exclude)
    rows = progress(path, policy, options, commits)
    if chart is not None:
        from strangler.check.chart import progress_svg
        from strangler.writing import write_file_atomically

        if chart.suffix != ".svg":
            raise click.BadParameter("the chart is an SVG: name it FILE.svg", param_hint="'-o'")
        write_file_atomically(chart, progress_svg(rows).encode("utf-8"))
    text = dumps(to_document(rows, policy.source)) if fmt == "json" else render_text(rows)
    click.echo(text, nl=False)

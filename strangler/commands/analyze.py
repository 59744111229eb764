"""`strangler analyze PATH`: the facts and coupling summary of a source tree, as text or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from strangler.commands.common import analysis_options, load_codebase, output_options, path_argument


@click.command("analyze")
@path_argument
@analysis_options
@output_options
@click.option(
    "--include-tests",
    is_flag=True,
    help="Keep test and migration modules in the graph, cycles and coupling figures.",
)
def command(
    path: Path,
    no_history: bool,
    no_cache: bool,
    exclude: tuple[str, ...],
    fmt: str,
    quiet: bool,
    include_tests: bool,
) -> None:
    """Parse PATH (never importing it) and report modules, edges, cycles, routes and tables."""
    from strangler.analysis_report import analysis_document, render_text

    codebase = load_codebase(path, no_history=no_history, no_cache=no_cache, exclude=exclude, quiet=quiet)
    if fmt == "json":
        from strangler.jsonio import dumps

        click.echo(dumps(analysis_document(codebase, include_tests=include_tests)), nl=False)
    else:
        click.echo(render_text(codebase, include_tests=include_tests), nl=False)

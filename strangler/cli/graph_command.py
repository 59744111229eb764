"""`strangler graph PATH -o FILE.{dot,svg,png,html,mmd}`: draw the proposed service boundaries.

The format comes from the extension of `-o`. The decomposition is the one `boundaries` proposes for
the same PATH and options, or an edited one given with `--boundaries FILE`; its notes (how it was
made, what reading the file noticed) go to stderr as `note: ...` lines. The `.html` report is
interactive (vis-network, inlined from the installed `pyvis` package) and carries the extraction
plan's waves (`strangler.plan.make_plan`); `.mmd` is Mermaid text of the service view for Markdown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from strangler.cli.shared_options import EnumChoice, analysis_options, collect, path_argument
from strangler.render.graph_output import (
    GraphFormat,
    GraphLevel,
    GraphOption,
    GraphOptionError,
    GraphRequest,
    GraphView,
    decomposition_of,
    graph_file,
    render_graph,
)
from strangler.render.modulegraph import DEFAULT_MAX_EDGES, DEFAULT_MAX_NODES

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from strangler.boundaries.decomposition import Decomposition

#: How click names the option a GraphOptionError is about.
PARAM_HINTS = {
    GraphOption.OUTPUT: "'-o' / '--output'",
    GraphOption.LEVEL: "'--level'",
    GraphOption.FOCUS: "'--focus'",
}


@contextmanager
def usage_errors() -> Iterator[None]:
    """GraphOptionError as click's usage error about the option (exit 2, with the usage line)."""
    try:
        yield
    except GraphOptionError as exc:
        raise click.BadParameter(exc.message, param_hint=PARAM_HINTS[exc.option]) from None


@click.command("graph")
@path_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write; its extension picks the format: .dot, .svg, .png, .html (interactive report) "
    "or .mmd (Mermaid, for Markdown).",
)
@click.option(
    "--level",
    type=EnumChoice(GraphLevel),
    default=None,
    help="One box per service (default), or modules grouped by service (default with --focus). "
    "The .html report opens services into modules itself; .mmd is service level only.",
)
@click.option("--focus", metavar="SERVICE", help="Module level: one service and the modules it touches.")
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_NODES,
    show_default=True,
    help="Module level: fold modules into packages until at most N boxes remain.",
)
@click.option(
    "--max-edges",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_EDGES,
    show_default=True,
    help="Module level: draw at most N edges, cross-service ones first, the heaviest first.",
)
@click.option(
    "--boundaries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Draw an edited decomposition (strangler.decomposition/1 JSON) instead of proposing one.",
)
@click.option("--services", type=int, help="Target number of services (as for `boundaries`).")
@click.option("--signals", metavar="LIST", help="Coupling signals and weights (as for `boundaries`).")
@click.option("--seed", type=int, help="Clustering seed (as for `boundaries`).")
@analysis_options
@click.option("--quiet", "-q", is_flag=True, help="No progress output; only errors.")
def command(**options: Any) -> None:
    """Draw the service boundaries of PATH: services and their dependencies, or modules by service."""
    from strangler.writing import write_file_atomically

    request = collect(GraphRequest, options)
    with usage_errors():
        drawn = graph_file(request)
    write_file_atomically(request.output, drawn.data)
    request.analysis.progress.end()
    for warning in drawn.warnings:
        click.echo(warning, err=True)
    if not request.analysis.quiet:
        for note in drawn.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(f"wrote {request.output} ({drawn.summary})")


def build_output(
    codebase: Codebase,
    decomposition: Decomposition,
    fmt: str,
    *,
    level: str,
    focus: str | None,
    max_nodes: int,
    max_edges: int = DEFAULT_MAX_EDGES,
) -> tuple[bytes, list[str]]:
    """`strangler.render.graph_output.render_graph` with plain words, and click's usage errors
    (kept for the callers of this former home of the logic)."""
    view = GraphView(GraphFormat(fmt), GraphLevel(level), focus, max_nodes, max_edges)
    with usage_errors():
        return render_graph(codebase, decomposition, view)


def _decomposition(
    codebase: Codebase,
    path: Path,
    boundaries: Path | None,
    services: int | None,
    signals: str | None,
    seed: int | None,
) -> Decomposition:
    """`strangler.render.graph_output.decomposition_of` with positional options (kept for its callers)."""
    from strangler.boundaries.proposal_output import BoundaryChoices

    return decomposition_of(codebase, path, boundaries, BoundaryChoices(services, signals, seed))

"""`strangler graph PATH -o FILE.{dot,svg,png,html,mmd}`: draw the proposed service boundaries.

The format comes from the extension of `-o`. The decomposition is the one `boundaries` proposes for
the same PATH and options, or an edited one given with `--boundaries FILE`. The `.html` report is
interactive (vis-network, inlined from the installed `pyvis` package) and carries the extraction
plan's waves (`strangler.plan.make_plan`); `.mmd` is Mermaid text of the service view for Markdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from strangler.commands.common import analysis_options, boundary_options_for, load_codebase, path_argument
from strangler.render.modulegraph import DEFAULT_MAX_EDGES, DEFAULT_MAX_NODES

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from strangler.decomposition import Decomposition
    from strangler.render.servicegraph import ServiceGraph

FORMATS = ("dot", "svg", "png", "html", "mmd")
#: Other extensions accepted for a format.
ALIASES = {"mermaid": "mmd", "htm": "html"}


def _format_of(output: Path) -> str:
    fmt = output.suffix.lower().lstrip(".")
    fmt = ALIASES.get(fmt, fmt)
    if fmt not in FORMATS:
        raise click.BadParameter(
            f"cannot tell the format from {output.name!r}; end it in " + ", ".join(f".{f}" for f in FORMATS),
            param_hint="'-o' / '--output'",
        )
    return fmt


def _decomposition(
    codebase: Codebase,
    path: Path,
    boundaries: Path | None,
    services: int | None,
    signals: str | None,
    seed: int | None,
) -> Decomposition:
    """The decomposition `boundaries` would propose (or the edited file), via the shared pipeline."""
    from strangler.pipeline import decomposition_for

    options = boundary_options_for(path, services=services, signals=signals, seed=seed)
    return decomposition_for(codebase, boundaries, options)


def _report(codebase: Codebase, decomposition: Decomposition, graph: ServiceGraph) -> tuple[bytes, list[str]]:
    """The interactive HTML report, with the plan's waves; a warning when the graph library is missing."""
    from strangler.plan import make_plan
    from strangler.render import html, visjs

    library = visjs.library_script()
    warnings = [] if library is not None else [f"warning: {visjs.MISSING_HINT}"]
    plan = make_plan(codebase, decomposition)
    page = html.report_html(codebase, decomposition, graph, plan, library=library)
    return page.encode("utf-8"), warnings


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
    """The bytes of the output file and warnings for the user; pure except for running `dot`."""
    from strangler.render import dot, mermaid, moduledot, rendering
    from strangler.render.modulegraph import module_view
    from strangler.render.servicegraph import service_graph

    project = Path(codebase.root).name or "codebase"
    warnings: list[str] = []
    graph = service_graph(codebase, decomposition)
    if fmt == "html":
        return _report(codebase, decomposition, graph)
    if fmt == "mmd":
        if level == "module":
            raise click.BadParameter("Mermaid output is service-level only", param_hint="'--level'")
        return mermaid.service_mermaid(graph, title=f"Services of {project}").encode("utf-8"), warnings
    service_text = dot.service_dot(graph, title=f"Services of {project}")
    if level == "module":
        try:
            view = module_view(codebase, decomposition, focus=focus, max_nodes=max_nodes, max_edges=max_edges)
        except KeyError:
            names = ", ".join(s.name for s in decomposition.services)
            raise click.BadParameter(
                f"no service named {focus!r}; services: {names}", param_hint="'--focus'"
            ) from None
        text = moduledot.module_dot(view, title=f"Modules of {project} by service")
    else:
        text = service_text
    if fmt == "dot":
        return text.encode("utf-8"), warnings
    return rendering.render(text, "svg" if fmt == "svg" else "png"), warnings


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
    type=click.Choice(["service", "module"]),
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
def command(
    path: Path,
    output: Path,
    level: str | None,
    focus: str | None,
    max_nodes: int,
    max_edges: int,
    boundaries: Path | None,
    services: int | None,
    signals: str | None,
    seed: int | None,
    no_history: bool,
    no_cache: bool,
    exclude: tuple[str, ...],
    quiet: bool,
) -> None:
    """Draw the service boundaries of PATH: services and their dependencies, or modules by service."""
    from strangler.writing import write_file_atomically

    fmt = _format_of(output)
    chosen_level = level or ("module" if focus else "service")
    if focus and chosen_level != "module":
        raise click.BadParameter("--focus needs --level module", param_hint="'--focus'")
    if fmt == "mmd" and chosen_level == "module":
        raise click.BadParameter("Mermaid output is service-level only", param_hint="'--level'")
    codebase = load_codebase(path, no_history=no_history, no_cache=no_cache, exclude=exclude, quiet=quiet)
    decomposition = _decomposition(codebase, path, boundaries, services, signals, seed)
    data, warnings = build_output(
        codebase,
        decomposition,
        fmt,
        level=chosen_level,
        focus=focus,
        max_nodes=max_nodes,
        max_edges=max_edges,
    )
    write_file_atomically(output, data)
    for warning in warnings:
        click.echo(warning, err=True)
    if not quiet:
        what = "report" if fmt == "html" else f"{chosen_level}-level graph"
        click.echo(f"wrote {output} ({what}, {len(decomposition.services)} services)")

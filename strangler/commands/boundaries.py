"""`strangler boundaries PATH`: propose services, name the shared kernel, and measure the cut.

Text output: a table of services, the shared kernel with reasons, and the metrics of the proposal
beside those of today's package layout (and of `--reference FILE` when given).
`--format json`: the `strangler.decomposition/1` document, which can be edited and fed back with
`--boundaries FILE` here and on `graph` and `plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from strangler.commands.common import (
    analysis_options,
    boundary_options_for,
    load_codebase,
    output_options,
    path_argument,
    warn_unparsed,
)
from strangler.config import DEFAULT_SEEDS

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from strangler.decomposition import Decomposition

#: Metrics shown in the text comparison table, in this order.
SHOWN_METRICS = ("modularity", "icp", "sm", "ifn", "ned", "cross_service_call_sites", "shared_tables")


def render_text(
    decomposition: Decomposition,
    comparisons: list[tuple[str, dict[str, float]]],
    agreement: list[tuple[str, dict[str, float]]],
    left: Mapping[str, int] | None = None,
) -> str:
    """The human report: services table, shared kernel with reasons, metrics side by side, and
    `left` (role -> modules the graph left out, strangler.graph.left_out)."""
    lines: list[str] = []
    header = ("service", "modules", "lines", "routes", "tables", "interface", "cohesion")
    rows = [
        (
            s.name + (" (library)" if s.library else ""),
            str(len(s.modules)),
            str(s.loc),
            str(len(s.routes)),
            str(len(s.tables)),
            str(len(s.interface)),
            f"{s.cohesion:.2f}",
        )
        for s in decomposition.services
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    reasons = {a.module: a.reason for a in decomposition.assignments}
    lines.append("")
    lines.append(f"shared kernel ({len(decomposition.shared_kernel)} modules):")
    for module in decomposition.shared_kernel:
        lines.append(f"  {module}: {reasons.get(module, '')}")
    low = [a for a in decomposition.assignments if a.confidence < 0.6 and not a.pinned]
    if low:
        lines.append("")
        lines.append(f"uncertain assignments ({len(low)}, confidence < 0.6 across seeds):")
        for a in low[:10]:
            lines.append(f"  {a.module} -> {a.service} ({a.confidence:.2f})")
    lines.append("")
    names = [name for name, _ in comparisons]
    width = max(len(m) for m in SHOWN_METRICS)
    lines.append("metric".ljust(width) + "".join(f"  {n:>12}" for n in names))
    for metric in SHOWN_METRICS:
        values = "".join(f"  {_number(values.get(metric)):>12}" for _, values in comparisons)
        lines.append(metric.ljust(width) + values)
    for name, scores in agreement:
        text = ", ".join(f"{k} {scores[k]:.3f}" for k in ("ari", "ami", "mojofm") if k in scores)
        lines.append(f"agreement with {name}: {text}")
    for note in decomposition.notes:
        lines.append(f"note: {note}")
    if left:
        from strangler.graph import INCLUDE_HINT

        shown = ", ".join(f"{n} {role}" for role, n in left.items())
        lines.append(f"left out of the graph: {shown} ({INCLUDE_HINT})")
    return "\n".join(lines) + "\n"


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if float(value).is_integer() and abs(value) >= 1 else f"{value:.3f}"


def comparisons_for(
    codebase: Codebase, decomposition: Decomposition, reference: str | None, include_tests: bool = False
) -> tuple[list[tuple[str, dict[str, float]]], list[tuple[str, dict[str, float]]]]:
    """Metrics of the proposal and of the references; ARI/AMI/MoJoFM of the proposal against them."""
    from strangler.config import BoundaryOptions
    from strangler.metrics import compare, load_reference, structure_metrics
    from strangler.pipeline import graph_for

    weights = decomposition.signals or BoundaryOptions().weights
    options = BoundaryOptions(weights=weights, include_tests=include_tests)
    graph = graph_for(codebase, options)
    assignment = decomposition.service_of()
    columns = [("proposal", dict(decomposition.metrics))]
    agreement = []
    specs = ["packages"] + ([reference] if reference and reference != "packages" else [])
    for spec in specs:
        layout = load_reference(spec, codebase)
        label = "packages" if spec == "packages" else Path(spec).name
        columns.append((label, structure_metrics(graph, layout, codebase)))
        agreement.append((label, compare(assignment, layout)))
    return columns, agreement


@click.command("boundaries")
@path_argument
@click.option(
    "--services",
    type=click.IntRange(min=1),
    help="Target number of services (else chosen by the data).",
)
@click.option(
    "--signals",
    metavar="LIST",
    help="Coupling signals to use: 'imports,references', 'names=0.5', '-packages' (all but), 'all'.",
)
@click.option("--seed", type=int, help="Seed of the clustering (deterministic per seed; default 0).")
@click.option(
    "--seeds",
    type=click.IntRange(min=1),
    help=f"Clustering runs for confidence (default {DEFAULT_SEEDS}).",
)
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
@analysis_options
@output_options
def command(
    path: Path,
    services: int | None,
    signals: str | None,
    seed: int | None,
    seeds: int | None,
    reference: str | None,
    boundaries_file: Path | None,
    include_tests: bool,
    no_history: bool,
    no_cache: bool,
    exclude: tuple[str, ...],
    fmt: str,
    quiet: bool,
) -> None:
    """Propose service boundaries for the monolith at PATH."""
    from strangler.decomposition_json import to_document
    from strangler.graph import left_out
    from strangler.jsonio import dumps
    from strangler.pipeline import decomposition_for

    options = boundary_options_for(path, services=services, signals=signals, seed=seed, seeds=seeds)
    if include_tests:
        options = replace(options, include_tests=True)
    codebase = load_codebase(path, no_history=no_history, no_cache=no_cache, exclude=exclude, quiet=quiet)
    warn_unparsed(codebase, quiet)
    decomposition = decomposition_for(codebase, boundaries_file, options)
    if fmt == "json":
        click.echo(dumps(to_document(decomposition)), nl=False)
        return
    columns, agreement = comparisons_for(codebase, decomposition, reference, options.include_tests)
    left = left_out(codebase, options.include_tests)
    click.echo(render_text(decomposition, columns, agreement, left), nl=False)

"""`strangler plan PATH -o DIR`: the extraction plan (plan.md, plan.json) and strangler-fig proxy configs.

The plan's files come from `strangler.plan.outputs.plan_outputs`; this command writes them into DIR
at once, prints the summary (or plan.json), and with `--verify` runs the proxies live. Each stage
shows its progress on a terminal; the time of each ends the run on stderr (unless `--quiet`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from strangler.cli.shared_options import (
    analysis_options,
    collect,
    output_options,
    path_argument,
    proposal_options,
)
from strangler.plan.outputs import PlanRequest, plan_outputs
from strangler.progress import Stage
from strangler.request import OutputFormat
from strangler.writing import write_plan_tree

if TYPE_CHECKING:
    from strangler.proxy.phases import ProxyOptions


@click.command("plan")
@path_argument
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write plan.md, plan.json, proxy/ (and services/) into.",
)
@click.option(
    "--boundaries",
    "boundaries_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An edited decomposition (from `strangler boundaries --format json`) to plan.",
)
@proposal_options
@click.option("--force", is_flag=True, help="Write into a non-empty directory strangler did not create.")
@click.option(
    "--monolith-upstream", metavar="HOST:PORT", help="Where the monolith listens (default 127.0.0.1:8000)."
)
@click.option(
    "--service-upstream",
    "service_upstreams",
    multiple=True,
    metavar="NAME=HOST:PORT",
    help="Where a service listens (repeatable; default 127.0.0.1:8000+wave).",
)
@click.option("--canary", metavar="LIST", help="Canary weights in percent (default 10,50,100).")
@click.option(
    "--listen",
    metavar="[ADDRESS:]PORT",
    help="Where the generated proxies listen (default 127.0.0.1:8080; 0.0.0.0:8080 exposes them).",
)
@click.option(
    "--apply",
    "apply_patch",
    is_flag=True,
    help="Also write the first wave's monolith patch into PATH (default: only into DIR/monolith_patch).",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Run every nginx phase on 127.0.0.1 with stub upstreams and check every route and probe "
    "reaches the upstream the plan says (needs nginx; exit 1 on a mismatch).",
)
@analysis_options
@output_options
def command(**options: Any) -> None:
    """Plan the extraction of the services of PATH and write the strangler-fig routing."""
    request = collect(PlanRequest, options, warn=True)
    progress = request.analysis.progress
    outputs = plan_outputs(request)
    with progress.stage(Stage.WRITING):
        write_plan_tree(request.out, outputs.files, force=request.force, progress=progress)
    click.echo(outputs.text, nl=False)
    error = None
    if request.verify:
        from strangler.verify.outcome import verification

        with progress.stage(Stage.VERIFY):
            verified = verification(outputs.plan, outputs.proxy)
        click.echo(verified.text, nl=False, err=request.fmt is OutputFormat.JSON)
        error = verified.error
    if not request.analysis.quiet:  # (stderr: stdout stays the same from run to run)
        click.echo(progress.summary(), err=True)
    if error is not None:
        raise error


def proxy_options(
    table: Mapping[str, Any],
    *,
    monolith_upstream: str | None,
    service_upstreams: tuple[str, ...],
    canary: str | None,
    listen: str | None,
    source: str,
) -> ProxyOptions:
    """`strangler.proxy.proxy_config.proxy_options` with keywords (kept for its callers)."""
    from strangler.proxy import proxy_config

    choices = proxy_config.ProxyChoices(monolith_upstream, service_upstreams, canary, listen)
    return proxy_config.proxy_options(table, choices, source)

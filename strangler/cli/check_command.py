"""`strangler check PATH`: fail on cross-boundary dependencies the committed decomposition does
not allow (docs/check.md). Exit 0 clean, 1 new findings, 2 usage error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from strangler.check.check_outcome import CheckFormat, CheckRequest, check_outcome
from strangler.cli.shared_options import (
    EnumChoice,
    analysis_options,
    collect,
    committed_boundaries_option,
    path_argument,
)
from strangler.progress import Stage


@click.command("check")
@path_argument
@committed_boundaries_option
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Baseline file (default: strangler-baseline.json beside the decomposition).",
)
@click.option("--write-baseline", is_flag=True, help="Record today's findings as the baseline.")
@click.option("--update-baseline", is_flag=True, help="Drop baseline entries that are gone; never add.")
@click.option(
    "--format",
    "fmt",
    type=EnumChoice(CheckFormat),
    default="text",
    show_default=True,
    help="json: strangler.check/1; sarif: SARIF 2.1.0; github: workflow annotations.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress output; only the result.")
@analysis_options
def command(**options: Any) -> None:
    """Check PATH against its committed decomposition; exit 1 on new cross-boundary dependencies."""
    request = collect(CheckRequest, options, warn=True, then=Stage.CHECK)
    if request.write_baseline and request.update_baseline:
        raise click.UsageError("--write-baseline and --update-baseline exclude each other")
    outcome = check_outcome(request)
    request.analysis.progress.end()
    click.echo(outcome.text, nl=False)
    if outcome.error is not None:
        raise outcome.error

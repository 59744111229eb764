"""`strangler check PATH`: fail on cross-boundary dependencies the committed decomposition does
not allow (docs/check.md). Exit 0 clean, 1 new findings, 2 usage error."""

from __future__ import annotations

import os
from pathlib import Path

import click

from strangler.commands.common import (
    analysis_options,
    committed_boundaries_option,
    load_codebase,
    path_argument,
    warn_unparsed,
)


def _prefix(path: Path) -> str:
    """PATH relative to the working directory, so annotations name files from the repository root."""
    try:
        relative = os.path.relpath(path.resolve(), Path.cwd().resolve())
    except ValueError:
        return ""
    return "" if relative.startswith("..") else relative.replace(os.sep, "/")


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
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="json: strangler.check/1; sarif: SARIF 2.1.0; github: workflow annotations.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress output; only the result.")
@analysis_options
def command(
    path: Path,
    boundaries_file: Path | None,
    baseline_file: Path | None,
    write_baseline: bool,
    update_baseline: bool,
    fmt: str,
    quiet: bool,
    no_history: bool,
    no_cache: bool,
    exclude: tuple[str, ...],
) -> None:
    """Check PATH against its committed decomposition; exit 1 on new cross-boundary dependencies."""
    from strangler.check.report import RENDERERS
    from strangler.check.run import BaselineMode, check, default_baseline, load_policy

    if write_baseline and update_baseline:
        raise click.UsageError("--write-baseline and --update-baseline exclude each other")
    mode = BaselineMode.READ
    if write_baseline or update_baseline:
        mode = BaselineMode.WRITE if write_baseline else BaselineMode.UPDATE
    codebase = load_codebase(path, no_history=True, no_cache=no_cache, exclude=exclude, quiet=quiet)
    warn_unparsed(codebase, quiet)
    policy = load_policy(path, boundaries_file, codebase)
    report = check(codebase, policy, baseline_file or default_baseline(path, policy), mode)
    click.echo(RENDERERS[fmt](report, _prefix(path)), nl=False)
    if report.failed:
        from strangler.check.model import CheckFailed

        raise CheckFailed(
            f"{len(report.new)} new cross-boundary dependencies",
            hint="move the code, or allow it with depends_on/exposes in the decomposition",
        )

"""Options shared by every command that takes a PATH, and the step from options to a Codebase."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from analyzers.options import AnalysisOptions
    from strangler.config import BoundaryOptions

F = TypeVar("F", bound=Callable[..., Any])


def path_argument(func: F) -> F:
    """PATH: the source tree to analyze (must exist; click reports a usage error, exit 2)."""
    return click.argument(
        "path",
        type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path),
    )(func)


def analysis_options(func: F) -> F:
    """--no-history, --no-cache, --exclude GLOB (repeatable)."""
    func = click.option(
        "--exclude",
        "exclude",
        multiple=True,
        metavar="GLOB",
        help="Skip files or modules matching GLOB (repeatable; adds to [tool.strangler] exclude).",
    )(func)
    func = click.option(
        "--no-cache",
        is_flag=True,
        help="Cold run: neither read nor write the per-file facts cache.",
    )(func)
    func = click.option("--no-history", is_flag=True, help="Do not read git history for co-change.")(func)
    return func


def output_options(func: F) -> F:
    """--format text|json and --quiet."""
    func = click.option("--quiet", "-q", is_flag=True, help="No progress output; only the result.")(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output format; json follows a documented, versioned schema (see docs/).",
    )(func)
    return func


def analysis_options_for(
    path: Path, *, no_history: bool, no_cache: bool, exclude: tuple[str, ...]
) -> AnalysisOptions:
    """AnalysisOptions from the project's `[tool.strangler]`, overridden by command-line options."""
    from analyzers.config import load_project_config, positive_int, source_roots, string_list
    from analyzers.options import MAX_FILE_BYTES, AnalysisOptions

    table = load_project_config(path)
    source = str(path / "pyproject.toml")
    return AnalysisOptions(
        exclude=string_list(table, "exclude", source) + tuple(exclude),
        source_roots=source_roots(table, source),
        max_file_bytes=positive_int(table, "max_file_bytes", source, MAX_FILE_BYTES),
        history=not no_history and bool(table.get("history", True)),
        cache=not no_cache,
    )


def boundary_options_for(
    path: Path,
    *,
    services: int | None = None,
    signals: str | None = None,
    seed: int | None = None,
    seeds: int | None = None,
) -> BoundaryOptions:
    """BoundaryOptions from the project's `[tool.strangler]`, overridden by command-line options."""
    from analyzers.config import load_project_config
    from strangler.config import boundary_options

    return boundary_options(
        load_project_config(path),
        source=str(path / "pyproject.toml"),
        services=services,
        signals=signals,
        seed=seed,
        seeds=seeds,
    )


def load_codebase(
    path: Path, *, no_history: bool, no_cache: bool, exclude: tuple[str, ...], quiet: bool
) -> Codebase:
    """Analyze PATH as the command line asked, with progress on a terminal."""
    import analyzers
    from strangler.progress import Progress

    options = analysis_options_for(path, no_history=no_history, no_cache=no_cache, exclude=exclude)
    progress = Progress(quiet=quiet)
    try:
        codebase = analyzers.analyze(path, options, progress=progress)
    finally:
        progress.close()
    # The process ends after this command: keep the collector from rescanning the facts it will
    # hold until exit (a library caller is left to decide this for itself).
    gc.freeze()
    return codebase


def warn_unparsed(codebase: Codebase, quiet: bool) -> None:
    """On stderr: the files the analysis could not parse, which every result leaves out."""
    failed = sorted(d for d in codebase.diagnostics if d.kind == "syntax-error")
    if quiet or not failed:
        return
    first = failed[0]
    more = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
    click.echo(
        f"warning: {len(failed)} file(s) could not be parsed and are left out of this result "
        f"({first.path}:{first.line}: {first.message}{more}); `strangler analyze` lists them",
        err=True,
    )


#: `--boundaries FILE` of the commands that hold the code to a committed decomposition.
committed_boundaries_option = click.option(
    "--boundaries",
    "boundaries_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The committed decomposition (default: PATH/strangler-boundaries.json, "
    "else [tool.strangler.services.*]).",
)

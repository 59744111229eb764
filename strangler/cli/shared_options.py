"""Options shared by every command that takes a PATH, and the one step from a command's options to
the request object its library function takes (`collect`)."""

from __future__ import annotations

import enum
import gc
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from strangler.progress import Progress, Stage
from strangler.request import AnalysisRequest, OutputFormat, unparsed_warning
from strangler.request import load_codebase as load_requested

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from analyzers.options import AnalysisOptions

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")

#: The options that make the AnalysisRequest of every command.
ANALYSIS_FIELDS = ("path", "no_history", "no_cache", "exclude", "quiet")


class EnumChoice(click.Choice[str]):
    """A choice among the values of an enum, shown and typed as plain words, passed on as the member."""

    def __init__(self, kind: type[enum.Enum]) -> None:
        super().__init__([str(member.value) for member in kind])
        self.kind = kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, self.kind):
            return value
        return self.kind(super().convert(value, param, ctx))


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
        type=EnumChoice(OutputFormat),
        default="text",
        show_default=True,
        help="Output format; json follows a documented, versioned schema (see docs/).",
    )(func)
    return func


#: `--boundaries FILE` of the commands that hold the code to a committed decomposition.
committed_boundaries_option = click.option(
    "--boundaries",
    "boundaries_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The committed decomposition (default: PATH/strangler-boundaries.json, "
    "else [tool.strangler.services.*]).",
)


@dataclass(frozen=True, slots=True)
class AfterLoad:
    """What the command line does as soon as the facts are loaded."""

    warn: bool  # tell about the files that could not be parsed
    quiet: bool
    then: Stage | None = None  # the command's own stage, from the end of the analysis
    progress: Progress | None = None  # where `then` is reported

    def __call__(self, codebase: Codebase) -> None:
        # The process ends after this command: keep the collector from rescanning the facts it will
        # hold until exit (a library caller is left to decide this for itself).
        gc.freeze()
        warning = unparsed_warning(codebase) if self.warn and not self.quiet else None
        if warning is not None:
            click.echo(warning, err=True)
        if self.then is not None and self.progress is not None:
            self.progress.begin(self.then)


def collect(
    kind: Callable[..., R], options: Mapping[str, Any], *, warn: bool = False, then: Stage | None = None
) -> R:
    """The request `kind` from a command's options: its `analysis` from the analysis options (and
    what the command line does after loading; `warn`: about unparsed files; `then`: the command's
    own stage after the analysis, which the command ends before it prints), each other field from
    the option of its name (TypeError for an option the request has no field for).

    The analysis request carries the command's progress (on a terminal's stderr unless `--quiet`);
    its open stage ends with the command, before an error is reported."""
    progress = Progress(quiet=options["quiet"])
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(progress.close)
    analysis = AnalysisRequest(
        **{name: options[name] for name in ANALYSIS_FIELDS},
        after_load=AfterLoad(warn=warn, quiet=options["quiet"], then=then, progress=progress),
        progress=progress,
    )
    rest = {name: value for name, value in options.items() if name not in ANALYSIS_FIELDS}
    return kind(analysis=analysis, **rest)


def analysis_options_for(
    path: Path, *, no_history: bool, no_cache: bool, exclude: tuple[str, ...]
) -> AnalysisOptions:
    """AnalysisOptions from the project's `[tool.strangler]`, overridden by command-line options
    (`strangler.request.analysis_options_for` with keywords)."""
    from strangler.request import analysis_options_for as options_for

    return options_for(AnalysisRequest(path, no_history=no_history, no_cache=no_cache, exclude=exclude))


def load_codebase(
    path: Path, *, no_history: bool, no_cache: bool, exclude: tuple[str, ...], quiet: bool
) -> Codebase:
    """Analyze PATH as the command line asked, with progress on a terminal (and the collector frozen
    after: for a process that ends after the command)."""
    request = AnalysisRequest(path, no_history, no_cache, exclude, quiet, AfterLoad(warn=False, quiet=quiet))
    return load_requested(request)


def proposal_options(command: F) -> F:
    """`--services`, `--signals`, `--seed`, `--seeds`: how services are proposed (boundaries, plan)."""
    from strangler.boundaries.settings import DEFAULT_SEEDS

    decorators = [
        click.option(
            "--services",
            type=click.IntRange(min=1),
            help="Target number of services (else chosen by the data).",
        ),
        click.option(
            "--signals",
            metavar="LIST",
            help="Coupling signals to use: 'imports,references', 'names=0.5', '-packages' (all but), 'all'.",
        ),
        click.option("--seed", type=int, help="Seed of the clustering (deterministic per seed; default 0)."),
        click.option(
            "--seeds",
            type=click.IntRange(min=1),
            help=f"Clustering runs for confidence (default {DEFAULT_SEEDS}).",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command

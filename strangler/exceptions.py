"""Domain errors of the migration tool; only the CLI turns them into exit codes."""

from __future__ import annotations

from analyzers.errors import ConfigError, SourcePathError, StranglerError

__all__ = [
    "BoundariesFileError",
    "ConfigError",
    "OutputExistsError",
    "RenderError",
    "SourcePathError",
    "StranglerError",
    "ToolMissingError",
]


class BoundariesFileError(StranglerError):
    """An edited decomposition (`--boundaries FILE`) cannot be read or contradicts the codebase."""

    exit_code = 2


class OutputExistsError(StranglerError):
    """The output directory holds files strangler did not write; `--force` overwrites."""

    exit_code = 1


class ToolMissingError(StranglerError):
    """A system program the command needs (`dot`, `nginx`, `git`) is not installed."""

    exit_code = 1


class RenderError(StranglerError):
    """A renderer (Graphviz `dot`) failed on input we produced."""

    exit_code = 1

"""The exception root of the whole toolkit.

It lives in `analyzers` because that is the lower layer: `analyzers` never imports `strangler`,
and `strangler.exceptions` re-exports `StranglerError` and adds its own domain subclasses. Errors are
for whole-run failures (a PATH that does not exist); a bad file is a `Diagnostic`, never an error.
"""

from __future__ import annotations


class StranglerError(Exception):
    """A failure the user can act on: says where, what went wrong, and what to do next."""

    #: exit code the CLI uses: 1 for a failure, 2 for a usage problem (bad PATH, bad option value)
    exit_code: int = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class SourcePathError(StranglerError):
    """The PATH to analyze does not exist, is not a directory, or holds no Python code."""

    exit_code = 2


class ConfigError(StranglerError):
    """`[tool.strangler]` (pyproject.toml or strangler.toml) is malformed or names unknown things."""

    exit_code = 2

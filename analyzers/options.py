"""Options of one analysis run: what to scan and how, independent of how they were given."""

from __future__ import annotations

from dataclasses import dataclass

#: A source file larger than this is a "too-large" diagnostic, not a multi-gigabyte plan: hand-written
#: modules stay far below it; `[tool.strangler] max_file_bytes` raises it.
MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """How to analyze a tree. Command-line options and `[tool.strangler]` both end up here."""

    exclude: tuple[str, ...] = ()  # glob patterns on relative POSIX paths or module names
    source_roots: tuple[str, ...] = ()  # relative directories; () = discover (flat / src layouts)
    history: bool = True  # git co-change when the tree is in a git repository
    history_commits: int = 2000  # how many recent commits to read
    history_max_files: int = 50  # commits touching more files are ignored (mass renames, reformatting)
    cache: bool = True  # read and write the per-file facts cache
    cache_dir: str | None = None  # None: $XDG_CACHE_HOME/strangler or ~/.cache/strangler
    jobs: int | None = None  # worker processes for parsing; None: decided by tree size and CPUs
    max_file_bytes: int = MAX_FILE_BYTES  # larger files become a "too-large" diagnostic

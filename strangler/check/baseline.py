"""The baseline ratchet: today's findings recorded, so that only new ones fail.

`strangler.check-baseline/1`: {"schema", "findings": [{"kind", "source", "caller", "target",
"symbol", "count"}]}, sorted. An entry is a finding's key, which holds no line number, so it
survives code moving within a file; `count` is how many such findings there were.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analyzers.config import read_config_bytes
from strangler.check.findings import CheckReport, Finding
from strangler.exceptions import ConfigError
from strangler.jsonio import dumps
from strangler.writing import write_file_atomically

SCHEMA = "strangler.check-baseline/1"
DEFAULT_BASELINE = "strangler-baseline.json"
_FIELDS = ("kind", "source", "caller", "target", "symbol")
Key = tuple[str, str, str, str, str]


class BaselineError(ConfigError):
    """The baseline file cannot be read (exit 2: fix or rewrite it with --write-baseline)."""

    exit_code = 2


def counts_of(findings: Iterable[Finding]) -> Counter[Key]:
    return Counter(f.key() for f in findings)


def to_document(counts: Mapping[Key, int]) -> dict[str, Any]:
    entries = [
        dict(zip(_FIELDS, key, strict=True)) | {"count": n} for key, n in sorted(counts.items()) if n > 0
    ]
    return {"schema": SCHEMA, "findings": entries}


def write_baseline(path: Path, counts: Mapping[Key, int]) -> None:
    write_file_atomically(path, dumps(to_document(counts)).encode("utf-8"))


def read_baseline(path: Path) -> Counter[Key]:
    """The counts of a baseline file; BaselineError when it is not one."""
    try:
        document = json.loads(read_config_bytes(path, 200_000_000).decode("utf-8-sig"))
    except (ConfigError, ValueError) as exc:
        raise BaselineError(f"cannot read the baseline: {exc}", path=str(path)) from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise BaselineError(
            f"not a {SCHEMA} document",
            path=str(path),
            hint="write one with `strangler check --write-baseline`",
        )
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError("`findings` must be a list", path=str(path))
    return Counter(dict(_entry(e, index, path) for index, e in enumerate(entries)))


def _entry(entry: Any, index: int, path: Path) -> tuple[Key, int]:
    ok = isinstance(entry, dict) and all(isinstance(entry.get(f), str) for f in _FIELDS)
    count = entry.get("count", 1) if isinstance(entry, dict) else None
    if not ok or not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise BaselineError(
            f"findings[{index}] is not an entry {{{', '.join(_FIELDS)}, count}}", path=str(path)
        )
    key: Key = (entry["kind"], entry["source"], entry["caller"], entry["target"], entry["symbol"])
    return key, count


def classify(findings: tuple[Finding, ...], baseline: Mapping[Key, int]) -> CheckReport:
    """Findings beyond the baseline's count of their key are new (the last ones in the file);
    baseline keys found fewer times than recorded are gone."""
    seen: Counter[Key] = Counter()
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in findings:
        key = finding.key()
        seen[key] += 1
        (known if seen[key] <= baseline.get(key, 0) else new).append(finding)
    gone = tuple(sorted(k for k, n in baseline.items() if seen[k] < n))
    return CheckReport(new=tuple(new), known=tuple(known), gone=gone)


def ratcheted(baseline: Mapping[Key, int], findings: Iterable[Finding]) -> Counter[Key]:
    """The baseline less what is gone: never an entry added, never a count raised."""
    current = counts_of(findings)
    return Counter({k: min(n, current[k]) for k, n in baseline.items() if current[k] > 0})

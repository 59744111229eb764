"""Reuse a module's rewrite across services when it would come out the same but for the package name.

A shared module is vendored into many services (Django: a kernel module into a dozen). Its rewrite
depends only on its text and on the answers the relocation maps give to the few names it asks about
(`"django.db" in local`, `local["django.db"]`, ...). So the first rewrite runs on recording maps whose
answers have the service's package replaced by a placeholder, and keeps the output with the log of
questions and answers; a later rewrite of the same text for another service replays the log against
its own maps and, when every answer is the same, takes the output with its own package put in. The
result is byte-identical to a fresh rewrite by construction: the rewrite is a pure function of the
answers it got.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

#: Stands for the service's package in recorded answers (a valid identifier, as rewrites need).
PLACEHOLDER = "__strangler_package__"

_MISSING = object()


def normalize(value: Any, package: str) -> Any:
    """`value` with `package.` at the start of each string replaced by the placeholder. A string
    equal to the package itself is kept: rewrites compare it with bound names."""
    if isinstance(value, str):
        return PLACEHOLDER + value[len(package) :] if value.startswith(package + ".") else value
    if isinstance(value, tuple):
        return tuple(normalize(v, package) for v in value)
    return value


@dataclass(slots=True)
class Log:
    """The questions one rewrite asked of its relocation maps, with their (normalized) answers."""

    entries: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # (map, op, key, answer)


def _ask(maps: Mapping[str, Any], which: str, op: str, key: Any, package: str) -> Any:
    inner = maps[which]
    if op == "in":
        return key in inner
    if op == "len":
        return len(inner)
    if op == "iter":
        return tuple(inner)
    return normalize(inner[key], package) if key in inner else _MISSING


class RecordingMap(Mapping[Any, Any]):
    """A read-only view of one relocation map that logs every question and normalized answer."""

    def __init__(self, maps: Mapping[str, Any], which: str, package: str, log: Log) -> None:
        self._maps, self._which, self._package, self._log = maps, which, package, log

    def _record(self, op: str, key: Any) -> Any:
        answer = _ask(self._maps, self._which, op, key, self._package)
        self._log.entries.append((self._which, op, key, answer))
        return answer

    def __getitem__(self, key: Any) -> Any:
        answer = self._record("get", key)
        if answer is _MISSING:
            raise KeyError(key)
        return answer

    def __contains__(self, key: object) -> bool:
        return bool(self._record("in", key))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._record("iter", None))

    def __len__(self) -> int:
        return int(self._record("len", None))


class RecordingSet(Set[str]):
    """The same for the set of known module names (membership only)."""

    def __init__(self, maps: Mapping[str, Any], which: str, package: str, log: Log) -> None:
        self._map = RecordingMap(maps, which, package, log)

    def __contains__(self, key: object) -> bool:
        return key in self._map

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)


@dataclass(slots=True)
class Memo:
    """Rewrites of one module (for one header and dropped-names set): (log, output) pairs."""

    runs: list[tuple[Log, str]] = field(default_factory=list)

    def rewrite(self, maps: Mapping[str, Any], package: str, run: Callable[[Log], str]) -> str:
        """The output for `maps`: replayed from an earlier run when every answer matches, else
        `run(log)` (which must build its recording maps on `log`) and remembered."""
        for log, output in self.runs:
            if all(_ask(maps, which, op, key, package) == answer for which, op, key, answer in log.entries):
                return output.replace(PLACEHOLDER, package)
        log = Log()
        output = run(log)
        self.runs.append((log, output))
        return output.replace(PLACEHOLDER, package)

"""The values of `strangler check`: the policy read from the decomposition, and the findings."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from strangler.exceptions import StranglerError

#: Placeholder service of a module that neither the decomposition nor its package places.
UNASSIGNED = "<unassigned>"


class FindingKind(enum.Enum):
    """What crosses a boundary."""

    IMPORT = "import"
    CALL = "call"
    ATTRIBUTE = "attribute"
    BASE = "base"
    DECORATOR = "decorator"
    ANNOTATION = "annotation"
    NAME = "name"
    TABLE_READ = "table-read"
    TABLE_WRITE = "table-write"
    ROUTE = "route"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True, slots=True)
class Policy:
    """Module → service, the shared kernel, and what each service may use of the others."""

    service_of: tuple[tuple[str, str], ...]  # (module, service or SHARED_KERNEL), sorted
    depends_on: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (service, services it may use)
    exposes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (service, modules or module.symbol)
    route_owners: tuple[tuple[str, str], ...] = ()  # (first path segment, service), sorted
    source: str = ""  # the file the policy came from, for messages


@dataclass(frozen=True, slots=True)
class Finding:
    """One dependency the decomposition does not allow.

    The key (kind, source, caller, target, symbol) survives line moves: it is the baseline id."""

    path: str  # file of `source`, relative to the analyzed root
    line: int
    kind: FindingKind
    source: str  # module where the dependency is written
    caller: str  # top-level function/class of `source` it sits in ("" for imports, tables)
    target: str  # module, table or route path depended on
    symbol: str  # symbol of `target` used ("" for whole modules, tables and routes)
    source_service: str
    target_service: str

    def order(self) -> tuple[str, int, str, str, str, str, str]:
        """Sort key: by file and line, then by the baseline key."""
        return (self.path, self.line, *self.key())

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.kind.value, self.source, self.caller, self.target, self.symbol)

    def message(self) -> str:
        if self.kind is FindingKind.UNASSIGNED:
            return f"unassigned: {self.source} is in no service of the decomposition"
        what = f"{self.target}.{self.symbol}" if self.symbol else self.target
        return f"{self.kind.value}: {self.source_service} -> {self.target_service}: {self.source} uses {what}"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Findings split by the baseline: new ones fail, known ones are tolerated, gone ones are news."""

    new: tuple[Finding, ...]  # sorted
    known: tuple[Finding, ...] = ()
    gone: tuple[tuple[str, str, str, str, str], ...] = ()  # baseline keys no longer found
    boundaries: str = ""
    baseline: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.new)


class CheckFailed(StranglerError):
    """New findings: the command's result, after the report is printed (exit 1)."""

    exit_code = 1

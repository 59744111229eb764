"""The prefixes under which an app, blueprint or router serves its routes, along every chain of mounts.

A mount (`register_blueprint(bp, url_prefix=...)`, `include_router(router, prefix=...)`) links a
child owner to each parent it may be; the prefix given there replaces the blueprint's own (Flask)
or is prepended to the router's (FastAPI). A prefix written as a name is read from the constants of
the codebase (a settings default is said to be one); one that cannot be read is `UNKNOWN_PREFIX`,
with its cause.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.model import UNKNOWN_PREFIX
from analyzers.web.app_facts import MAX_MOUNT_DEPTH, AppFacts, Mount, join_paths
from analyzers.web.app_findings import Findings
from analyzers.web.owner_targets import ROOT, OwnerKey, OwnerTargets, Target, UnknownOwner
from analyzers.web.route_constants import Constant, ConstantReader


@dataclass(frozen=True, slots=True)
class Prefix:
    """One way an owner is reached from an app: path and endpoint prefixes, and what an unknown
    part of the path comes from ("" when it is known)."""

    path: str
    label: str
    unknown: str = ""


@dataclass(frozen=True, slots=True)
class _Edge:
    """A child owner mounted on `parent`, with the prefix it has there (and its unknown cause)."""

    parent: Target
    prefix: str
    unknown: str


class MountPrefixes:
    """The mounts of the codebase, as edges from each child owner to the parents it is mounted on."""

    def __init__(
        self,
        files: Mapping[str, AppFacts],
        targets: OwnerTargets,
        constants: ConstantReader,
        findings: Findings,
    ) -> None:
        self.targets = targets
        self.constants = constants
        self.findings = findings
        self.parents: dict[OwnerKey, list[_Edge]] = defaultdict(list)
        for module, facts in sorted(files.items()):
            for mount in facts.mounts:
                self._mount(module, mount)

    def prefixes(self, target: Target, depth: int = 0) -> list[Prefix]:
        """Every way `target` is reachable from an app."""
        if isinstance(target, UnknownOwner):
            return [Prefix(UNKNOWN_PREFIX, "", target.cause)]
        owner = self.targets.owners[target]
        parents = self.parents.get(target)
        if depth > MAX_MOUNT_DEPTH or not parents:
            path, unknown = self.owner_prefix(target)
            return [Prefix(path, owner.label, unknown)]
        found: list[Prefix] = []
        for edge in parents:
            for above in self.prefixes(edge.parent, depth + 1):
                label = ".".join(p for p in (above.label, owner.label) if p)
                found.append(
                    Prefix(join_paths(above.path, edge.prefix), label, above.unknown or edge.unknown)
                )
        return found

    def owner_prefix(self, key: OwnerKey) -> tuple[str, str]:
        """(prefix, what an unknown prefix comes from) the owner is created with."""
        owner = self.targets.owners[key]
        if not owner.computed:
            return owner.prefix, ""
        read = self.constants.read(key.module, owner.computed)
        if read is not None:
            if read.default:
                message = (
                    f"prefix {owner.computed} of {owner.name} taken as its default {read.text!r}: the "
                    "environment may set another (check the proxy rules)"
                )
                self.findings.add(key.module, owner.line, "computed-route", message)
            return read.text, ""
        cause = f"{owner.computed} (prefix of {owner.name})"
        self.findings.cause(cause, "computed-route", (self.findings.where(key.module), owner.line))
        return UNKNOWN_PREFIX, cause

    def _mount(self, module: str, mount: Mount) -> None:
        parents = self.targets.targets(module, mount.scope, mount.parent) or [ROOT]
        children = [
            c
            for c in self.targets.targets(module, mount.scope, mount.child)
            if isinstance(c, OwnerKey) and c in self.targets.owners and c != ROOT
        ]
        given, unknown = self._given_prefix(module, mount)
        for child in children:
            own, own_unknown = self.owner_prefix(child)
            if given is not None:
                own, own_unknown = (given, "") if mount.replaces else (join_paths(given, own), own_unknown)
            self.parents[child] += [_Edge(p, own, unknown or own_unknown) for p in parents if p != child]

    def _given_prefix(self, module: str, mount: Mount) -> tuple[str | None, str]:
        """(prefix given at the mount or None, the expression of a prefix that cannot be read)."""
        if not mount.computed:
            return mount.prefix, ""
        read = self.constants.read(module, mount.computed)
        if read is None or read.default:
            self.findings.add(module, mount.line, "computed-route", _computed_prefix_message(mount, read))
        if read is None:
            return mount.prefix, mount.computed  # listed without it, as the diagnostic says
        return read.text, ""


def _computed_prefix_message(mount: Mount, read: Constant | None) -> str:
    if read is None:
        return (
            f"prefix {mount.computed} of {mount.child} is computed at run time: the routes under it "
            "are listed without it (routed by the proxy without it)"
        )
    return (
        f"prefix {mount.computed} of {mount.child} taken as its default {read.text!r}: the environment "
        "may set another (check the proxy rules)"
    )

"""Kubernetes Gateway API `HTTPRoute` manifests per phase, with `backendRefs` weights for canaries.

One HTTPRoute per owner and phase (split when a route would exceed the API's 16 rules of 64
matches each), attached to one Gateway. Gateway API precedence (exact, then longest prefix) makes
the monolith's `PathPrefix /` the catch-all; regex matches are "implementation-specific" in the API,
so the order we emit (most specific first) is also written as a rule order.

Names are namespaced so no service name can take a built-in one: HTTPRoutes are
`strangler-internal-denied`, `strangler-monolith` and `strangler-svc-<service>`, split parts end in
`--N` (a service label never holds `--`); backends are the Kubernetes Services `monolith` and
`svc-<service>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strangler.plan.extraction_plan import MONOLITH, ExtractionPlan
from strangler.proxy import yamltext
from strangler.proxy.matches import Match
from strangler.proxy.phases import (
    Phase,
    ProxyOptions,
    comment,
    fit_name,
    held_back,
    internal_prefix,
    live_matches,
    phases,
    unique,
    upstreams,
)

API_VERSION = "gateway.networking.k8s.io/v1"
MAX_RULES = 16
MAX_MATCHES = 64
_PATH_TYPE = {"exact": "Exact", "prefix": "PathPrefix", "regex": "RegularExpression"}


def k8s_name(name: str) -> str:
    """A DNS-1123 label: lower-case letters, digits and single '-' (never `--`, which marks split
    parts), at most phases.MAX_IDENTIFIER characters (longer: cut, ending in a hash of the name)."""
    label = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "service"
    return fit_name(label, name, "-")


@dataclass(frozen=True, slots=True)
class Names:
    """What each owner is called in the manifests: its HTTPRoute and its Kubernetes Service."""

    routes: Mapping[str, str]
    backends: Mapping[str, str]

    @classmethod
    def of(cls, owners: list[str] | tuple[str, ...]) -> Names:
        labels = unique([o for o in owners if o != MONOLITH], k8s_name, "-")
        routes = {o: f"strangler-svc-{label}" for o, label in labels.items()}
        backends = {o: f"svc-{label}" for o, label in labels.items()}
        return cls({**routes, MONOLITH: "strangler-monolith"}, {**backends, MONOLITH: MONOLITH})


def _backends(owner: str, phase: Phase, options: ProxyOptions, names: Names) -> list[dict[str, Any]]:
    backend = names.backends
    if phase.canary and owner == phase.canary:
        return [
            {"name": backend[owner], "port": options.backend_port, "weight": phase.weight},
            {"name": backend[MONOLITH], "port": options.backend_port, "weight": 100 - phase.weight},
        ]
    return [{"name": backend[owner], "port": options.backend_port}]


def _path(match: Match) -> dict[str, Any]:
    value = match.value
    if match.kind == "prefix" and len(value) > 1:
        value = value.rstrip("/")  # PathPrefix matches whole path elements; a trailing slash is ignored
    return {"path": {"type": _PATH_TYPE[match.kind], "value": value}}


def _route(name: str, rules: list[dict[str, Any]], options: ProxyOptions, phase: Phase) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": "HTTPRoute",
        "metadata": {
            "name": name,
            "namespace": options.namespace,
            "labels": {"app.kubernetes.io/managed-by": "strangler", "strangler/phase": str(phase.number)},
            "annotations": {"strangler/phase": comment(phase.summary())},
        },
        "spec": {"parentRefs": [{"name": options.gateway}], "rules": rules},
    }


def _internal_denied(options: ProxyOptions, phase: Phase) -> dict[str, Any]:
    """The internal API prefix matched by a rule without backends: the Gateway forwards nothing
    and answers with an error itself (the API requires 5xx), so it never reaches a process.

    Why nothing can win over it: the Gateway API picks, across all HTTPRoutes of a Gateway, an
    `Exact` match first, then the longest `PathPrefix`, and breaks ties by the oldest route, then
    by name. No Exact or PathPrefix match under the prefix is ever written for an owner (route_table
    and `live_matches` drop them), so for every path under it this PathPrefix is the longest; the
    Exact matches make the rule win for the prefix itself, also against an Exact of the same
    value (on a tie, `strangler-internal-denied` sorts before every other name we write). Regex
    precedence is implementation-specific, so no regex that can match under the prefix is ever
    written for an owner either (`safety.reaches_internal`)."""
    prefix = internal_prefix(options)
    paths = [
        {"type": "PathPrefix", "value": prefix.rstrip("/")},
        {"type": "Exact", "value": prefix.rstrip("/")},
        {"type": "Exact", "value": prefix},
    ]
    return _route("strangler-internal-denied", [{"matches": [{"path": p} for p in paths]}], options, phase)


def documents(plan: ExtractionPlan | None, phase: Phase, options: ProxyOptions) -> list[dict[str, Any]]:
    """The HTTPRoutes of one phase: one per owner with matches, and the monolith's catch-all."""
    by_owner: dict[str, list[Match]] = {}
    for match in live_matches(phase, options):
        by_owner.setdefault(match.owner, []).append(match)
    by_owner.setdefault(MONOLITH, []).append(Match("prefix", "/", MONOLITH, ()))
    names = Names.of(sorted({MONOLITH, *phase.moved}))
    docs = [_internal_denied(options, phase)]
    for owner in sorted(by_owner, key=lambda o: names.routes[o]):
        matches = by_owner[owner]
        chunks = [matches[i : i + MAX_MATCHES] for i in range(0, len(matches), MAX_MATCHES)]
        rules = [
            {"matches": [_path(m) for m in chunk], "backendRefs": _backends(owner, phase, options, names)}
            for chunk in chunks
        ]
        for index in range(0, len(rules), MAX_RULES):
            suffix = f"--{index // MAX_RULES + 1}" if len(rules) > MAX_RULES else ""
            part = rules[index : index + MAX_RULES]
            docs.append(_route(f"{names.routes[owner]}{suffix}", part, options, phase))
    return docs


def render(plan: ExtractionPlan, options: ProxyOptions) -> dict[str, str]:
    """gateway/phase-N[.canary-W].yaml for every phase."""
    upstreams(plan, options)  # (the manifests name Kubernetes Services; the options are checked all the same)
    files = {}
    for phase in phases(plan, options):
        expected = ", ".join(sorted(Names.of((MONOLITH, *phase.moved)).backends.values()))
        header = (
            "# Generated by `strangler plan`; regenerate rather than edit.\n"
            f"# {comment(phase.summary())}\n"
            f"# Kubernetes Services expected: {expected}\n"
            + "".join(f"# {comment(note)}\n" for note in held_back(phase))
        )
        files[f"gateway/{phase.name}.yaml"] = yamltext.dump_all(documents(plan, phase, options), header)
    return files

"""Template uses across the cut: a page of one service that needs a template or tag library of another.

No API call crosses here, yet the page cannot render without the other side in-process, so the plan
counts these uses in the entanglement and raises a hazard for each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.graph.signals import TEMPLATE_MARKER
from strangler.plan.extraction_plan import MONOLITH, CallSite, Hazard, HazardKind

#: The hazard of a template use across the cut (not yet one of the kinds model.HazardKind lists).
TEMPLATE_HAZARD: HazardKind = "template"


def template_sites(codebase: Codebase, owner: Mapping[str, str]) -> tuple[CallSite, ...]:
    """Template uses (analyzers.web.templates) whose two ends go to different services, the kernel on
    neither end, code only: a page of one side that cannot render without the other's tag library
    or template. `path` and `line` are the template's; the caller is the app owning it."""
    roles = {m.name: m.role for m in codebase.modules}
    found = set()
    for edge in codebase.imports:
        if TEMPLATE_MARKER not in edge.markers or roles.get(edge.source) != "code":
            continue
        caller, callee = owner.get(edge.source, MONOLITH), owner.get(edge.target, MONOLITH)
        if caller == callee or SHARED_KERNEL in (caller, callee) or roles.get(edge.target) != "code":
            continue
        path = edge.names[0] if edge.names else ""
        found.add(CallSite(path, edge.line, edge.source, edge.target, "template", caller, callee))
    return tuple(sorted(found))


def template_hazards(sites: Iterable[CallSite], service: str) -> list[Hazard]:
    """One hazard per template use across the boundary of `service`, either way."""
    return [_template_hazard(s) for s in sites if service in (s.caller_service, s.callee_service)]


def _template_hazard(site: CallSite) -> Hazard:
    user = site.caller_service
    owner = "the monolith" if site.callee_service == MONOLITH else site.callee_service
    if ".templatetags." in site.callee:
        used = f"tag library {site.callee}"
        advice = f"move the tags into a UI package both sides install, or have {owner} render the fragment"
    else:
        used = f"a template of {site.callee}"
        advice = f"give {user} its own copy of the template, or have {owner} serve the fragment"
    detail = f"a template of {user} uses {used}, which goes to {owner}"
    return Hazard(TEMPLATE_HAZARD, site.callee, site.path, site.line, detail, advice)

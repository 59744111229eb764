"""The files of a planned build: every service skeleton, then the monolith patch.

generate.py plans the build (texts, module graph, layouts) and imports this module only when it
builds: these builders rewrite code with libcst, whose import a run that reuses the files an
identical earlier build gave (buildcache.py) does without.
"""

from __future__ import annotations

import dataclasses

from strangler.skeleton.build_inputs import Planned
from strangler.skeleton.dependencies import DependencyFacts
from strangler.skeleton.exclusion import exclusion_edit
from strangler.skeleton.layout import ServiceLayout
from strangler.skeleton.monolith_patch import PatchInputs, monolith_calls, patch_files, patch_outputs
from strangler.skeleton.service_tree import NO_FACTS, ServiceInputs, service_files


def skeleton_files(planned: Planned) -> dict[str, str]:
    """The files of every service skeleton."""
    given = planned.given
    tops = frozenset(m.name.split(".")[0] for m in given.codebase.modules)
    facts = given.dependency_facts or NO_FACTS
    facts = dataclasses.replace(facts, local=frozenset(facts.local) | tops)
    services = sorted(set(given.services))
    files: dict[str, str] = {}
    for done, service in enumerate(services):
        if given.progress is not None:
            given.progress("skeletons", done, len(services))
        files.update(service_files(_service_inputs(planned, planned.layouts[service], facts)))
    return files


def _service_inputs(planned: Planned, layout: ServiceLayout, facts: DependencyFacts) -> ServiceInputs:
    """What one skeleton is made of. It serves everything the rest of the monolith calls in the
    service, whichever other services are extracted too, so one skeleton serves every phase of the plan."""
    given = planned.given
    served = monolith_calls(given.codebase, [layout], planned.texts, planned.graph)[0].functions
    return ServiceInputs(
        given.codebase,
        layout,
        planned.texts,
        given.sources,
        given.options,
        given.wire,
        served,
        facts,
        given.templates,
    )


def monolith_patch_files(planned: Planned) -> dict[str, str]:
    """`monolith_patch/`: the diff and changed files of the monolith, its configuration included."""
    given = planned.given
    layouts = [planned.layouts[s] for s in given.patched]
    inputs = PatchInputs(
        given.codebase, layouts, planned.texts, given.sources, given.options, given.wire, planned.graph
    )
    changed = patch_files(inputs)
    paths = {m.name: m.path for m in given.codebase.modules}
    original = {paths[name]: text for name, text in given.sources.items() if name in paths}
    generated = sorted(p[: -len("/__init__.py")] for p in changed if p.endswith("/_strangler/__init__.py"))
    if generated:
        changed.update(exclusion_edit(given.project_files or {}, generated[0]))
        original.update(given.project_files or {})
    return patch_outputs(original, changed)

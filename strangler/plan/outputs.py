"""`strangler plan`: every file of a plan directory (plan.md, plan.json, proxy/, services/,
monolith_patch/) as one dict {relative path: text}, and the summary of what it holds.

Other generators (service skeletons) add their files with one `files.update(...)`; the documents
are built last, from the final set (plan.json lists the skeleton directories).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from strangler.request import AnalysisRequest, OutputFormat, load_codebase

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from strangler.boundaries.decomposition import Decomposition
    from strangler.plan.extraction_plan import ExtractionPlan, Wave
    from strangler.proxy.phases import ProxyOptions
    from strangler.proxy.proxy_config import ProxyChoices


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """The tree, the plan directory, the decomposition to plan, and the proxies' upstreams."""

    analysis: AnalysisRequest
    out: Path  # the plan directory
    boundaries_file: Path | None = None  # an edited decomposition to plan instead of proposing one
    services: int | None = None  # as for `strangler boundaries`: target number of services
    signals: str | None = None  # coupling signals and weights
    seed: int | None = None  # seed of the clustering
    seeds: int | None = None  # clustering runs for confidence
    force: bool = False  # write into a non-empty directory strangler did not create
    monolith_upstream: str | None = None  # HOST:PORT
    service_upstreams: tuple[str, ...] = ()  # NAME=HOST:PORT each
    canary: str | None = None  # canary weights in percent, comma-separated
    listen: str | None = None  # PORT or ADDRESS:PORT the generated proxies listen on
    apply_patch: bool = False  # also write the first wave's monolith patch into the tree
    verify: bool = False  # run every nginx phase live after writing (see strangler.verify)
    fmt: OutputFormat = OutputFormat.TEXT

    def proxy_choices(self) -> ProxyChoices:
        from strangler.proxy.proxy_config import ProxyChoices

        return ProxyChoices(self.monolith_upstream, self.service_upstreams, self.canary, self.listen)


@dataclass(frozen=True, slots=True)
class PlanOutputs:
    """The plan, the proxy options it was rendered with, every file to write, and the report."""

    plan: ExtractionPlan
    proxy: ProxyOptions
    files: Mapping[str, str]
    text: str  # plan.json, or the summary for people


def plan_outputs(request: PlanRequest) -> PlanOutputs:
    """Plan the tree's extraction: the output directory and the options are checked before the
    tree is analyzed; nothing is written (except the patch into the tree with `apply_patch`).

    Its stages go to the request's progress: analysis, graph, proposal, plan, proxy, skeletons,
    documents."""
    from analyzers.config import load_project_config
    from strangler.boundaries.pipeline import decomposition_for
    from strangler.boundaries.settings import boundary_options
    from strangler.plan import PlanOptions, make_plan
    from strangler.progress import Stage
    from strangler.proxy import render_proxy
    from strangler.proxy.proxy_config import proxy_options
    from strangler.writing import check_output_directory

    check_output_directory(request.out, request.force)
    table = load_project_config(request.analysis.path)
    source = str(request.analysis.path / "pyproject.toml")
    proxy = proxy_options(table, request.proxy_choices(), source)
    codebase = load_codebase(request.analysis)
    options = boundary_options(
        table,
        source=source,
        services=request.services,
        signals=request.signals,
        seed=request.seed,
        seeds=request.seeds,
    )
    progress = request.analysis.progress
    decomposition = decomposition_for(codebase, request.boundaries_file, options, progress)
    with progress.stage(Stage.PLAN):
        plan = make_plan(codebase, decomposition, PlanOptions())
    with progress.stage(Stage.PROXY):
        files: dict[str, str] = dict(render_proxy(plan, proxy))
    files.update(_skeletons(codebase, decomposition, plan, request))
    with progress.stage(Stage.DOCUMENTS):
        files.update(documents(plan, files, proxy))
    if request.fmt is OutputFormat.JSON:
        text = files["plan.json"]
    else:
        text = summary_text(plan, request.out, files, decomposition.notes)
    return PlanOutputs(plan, proxy, files, text)


def _skeletons(
    codebase: Codebase, decomposition: Decomposition, plan: ExtractionPlan, request: PlanRequest
) -> dict[str, str]:
    """The skeletons of every wave, with the skeleton cache (unless no_cache): the stage `skeletons`."""
    from analyzers.files.cache import cache_directory
    from strangler.progress import Stage
    from strangler.skeleton import plan_skeletons

    analysis = request.analysis
    progress = analysis.progress
    with progress.stage(Stage.SKELETONS):
        return plan_skeletons(
            codebase,
            decomposition,
            [w.service for w in plan.waves],
            analysis.path,
            apply=request.apply_patch,
            cache_dir=None if analysis.no_cache else cache_directory(None),
            progress=progress,
        )


def documents(
    plan: ExtractionPlan, files: Mapping[str, str], options: ProxyOptions | None = None
) -> dict[str, str]:
    """plan.md (the summary), waves/NN-<service>.md (one per wave), details.md and plan.json, built
    last so they list every other file (proxy, skeletons); with a `routing` section when the proxy
    holds routes back with the monolith."""
    from strangler.jsonio import dumps
    from strangler.proxy.phases import ProxyOptions

    options = options or ProxyOptions()
    proxy = {p: t for p, t in files.items() if p.startswith("proxy/")}
    return {
        **_markdown(plan, files, options),
        "plan.json": dumps(_document(plan, files, proxy, options)),
    }


def _document(
    plan: ExtractionPlan, files: Mapping[str, str], proxy: Mapping[str, str], options: ProxyOptions
) -> dict[str, Any]:
    """`strangler.plan/1`, with the skeletons' sizes and the routing held back when there are any."""
    from strangler.plan import document
    from strangler.proxy.heldback import routing_section
    from strangler.skeleton.stats import read_stats

    services = {
        w.service: f"services/{w.service}"
        for w in plan.waves
        if any(p.startswith(f"services/{w.service}/") for p in files)
    }
    doc = document.to_document(plan, proxy, services)
    skeletons = read_stats(files)
    if skeletons:  # (an extension of strangler.plan/1: what each skeleton moves, vendors, generates)
        doc["skeletons"] = skeletons
    routing = routing_section(plan, options)
    if routing is not None:
        doc["routing"] = routing
    return doc


def _markdown(plan: ExtractionPlan, files: Mapping[str, str], options: ProxyOptions) -> dict[str, str]:
    """The Markdown files, linking the other files (proxy, skeletons) where they exist; with the
    skeletons' sizes and the routes held back (when there are any) where they belong."""
    from strangler.plan import markdown
    from strangler.plan.markdown_text import MarkdownInputs
    from strangler.proxy.heldback import held_routes, routing_markdown
    from strangler.skeleton.stats import read_stats, skeleton_markdown

    skeletons = read_stats(files)
    inputs = MarkdownInputs(
        files=frozenset(files),
        skeletons=skeletons,
        skeleton_section=skeleton_markdown(skeletons),
        routing_section=routing_markdown(plan, options),
        held_back=len(held_routes(plan, options)),
    )
    return markdown.render(plan, inputs)


def summary_text(plan: ExtractionPlan, out: Path, files: Mapping[str, str], notes: Sequence[str] = ()) -> str:
    """The summary for people: one line per wave, the decomposition's `notes` (`note: ...`), then
    the files written, grouped by directory."""
    from strangler.plan.cycle_groups import partners_left

    kernel = len(plan.shared_kernel)
    lines = [f"{len(plan.waves)} waves (least entangled first); shared kernel: {kernel} modules"]
    left = partners_left(plan)
    lines += [_wave_line(w, left) for w in plan.waves]
    lines += [f"note: {note}" for note in notes]
    lines.append(f"wrote {len(files)} files to {out}:")
    groups = sorted(_groups(files).items())
    lines += [f"  {key} ({count})" if key.endswith("/") else f"  {key}" for key, count in groups]
    return "\n".join(lines) + "\n"


def _wave_line(w: Wave, left: Mapping[str, int]) -> str:
    """One wave on one line, with its cycle partners still in the monolith when it leaves (`left`:
    `strangler.plan.cycle_groups.partners_left`)."""
    e = w.entanglement
    pre = sum(1 for s in w.steps if s.prerequisite)
    return (
        f"  {w.order:>2}. {w.service:<20} score {e.score:>7g}  inbound {e.inbound_call_sites:>3}  "
        f"shared tables {e.shared_tables:>2}  cycle partners {e.cycle_partners:>2} "
        f"(left {left.get(w.service, 0):>2})  "
        f"routes {len(w.routes):>3}  "
        f"prerequisites {pre}  hazards {len(w.hazards)}"
    )


def _groups(files: Mapping[str, str]) -> dict[str, int]:
    """Files per group: `proxy/<kind>/`, a top directory `<name>/`, or a top-level file."""
    groups: dict[str, int] = {}
    for rel in files:
        parts = rel.split("/")
        if rel.startswith("proxy/"):
            key = "/".join(parts[:2]) + "/"
        else:
            key = parts[0] + "/" if len(parts) > 1 else rel
        groups[key] = groups.get(key, 0) + 1
    return groups

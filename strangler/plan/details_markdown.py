"""details.md: what plan.md held beyond its waves and the summary now names in one line each: the
shared kernel with its findings, the routes that stay in the monolith, every skeleton's size, and
the routes the proxy keeps on the monolith when there are too many for the summary."""

from __future__ import annotations

from strangler.plan.extraction_plan import ExtractionPlan
from strangler.plan.markdown_text import SUMMARY, MarkdownInputs, cell, route_line


def render_details(plan: ExtractionPlan, inputs: MarkdownInputs) -> str:
    """The whole details.md."""
    lines = [
        "# Extraction plan: details",
        "",
        f"[↑ plan]({SUMMARY}) · the parts of the plan that are no wave.",
        "",
        *_kernel(plan),
        *_monolith_routes(plan),
    ]
    sections = [inputs.skeleton_section]
    if not inputs.routing_on_summary():
        sections.append(inputs.routing_section)
    for section in sections:
        if section:
            lines += ["", section.rstrip("\n")]
    return "\n".join(lines).rstrip("\n") + "\n"


def _kernel(plan: ExtractionPlan) -> list[str]:
    lines = ["## Shared kernel", "", plan.kernel_note, ""]
    lines += [f"- `{m}`" for m in plan.shared_kernel]
    if plan.notes:
        lines += ["", "Findings to fix before the kernel can become a library:", ""]
        lines += [f"- {cell(n)}" for n in plan.notes]
    return [*lines, ""]


def _monolith_routes(plan: ExtractionPlan) -> list[str]:
    lines = [f"## Routes that stay in the monolith ({len(plan.monolith_routes)})", ""]
    if not plan.monolith_routes:
        return [*lines, "None: every route moves with a wave."]
    return [*lines, *(route_line(r) for r in plan.monolith_routes)]

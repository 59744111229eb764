"""The Markdown of a plan: `plan.md`, a one-page summary (summary_markdown); one file per wave,
`waves/NN-<service>.md`, with everything about that wave (wave_markdown); and `details.md`, what is
no wave (details_markdown). Relative links join them; the file names are in markdown_text."""

from __future__ import annotations

from strangler.plan.cycle_groups import wave_cycles
from strangler.plan.details_markdown import render_details
from strangler.plan.extraction_plan import ExtractionPlan
from strangler.plan.markdown_text import DETAILS, SUMMARY, MarkdownInputs, wave_file
from strangler.plan.summary_markdown import SummaryPage, render_summary
from strangler.plan.wave_markdown import WavePage, render_wave


def render(plan: ExtractionPlan, inputs: MarkdownInputs | None = None) -> dict[str, str]:
    """Every Markdown file of the plan, {path under the plan directory: text}; `inputs` are the
    other files of the directory (linked where they exist) and the sections other stages render."""
    given = inputs or MarkdownInputs()
    cycles = wave_cycles(plan)
    files = {
        SUMMARY: render_summary(SummaryPage(plan, cycles, given)),
        DETAILS: render_details(plan, given),
    }
    for wave in plan.waves:
        files[wave_file(plan, wave)] = render_wave(WavePage(plan, wave, cycles.get(wave.service), given))
    return files

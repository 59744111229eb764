"""`strangler.plan.markdown` (issue #17): plan.md is a one-page summary whose size does not grow with
the code but for one table row per wave, each wave has its own file with everything about it, the
links between the files resolve, and the cycle column says how many partners are left per wave."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import cast

import pytest

from analyzers.model import Codebase, Symbol
from strangler.plan import make_plan
from strangler.plan.cycle_groups import label, partners_left, wave_cycles
from strangler.plan.extraction_plan import MONOLITH, ExtractionPlan, Hazard, HazardKind, Wave
from strangler.plan.hazard_ranking import SEVERITY
from strangler.plan.markdown import render
from strangler.plan.markdown_text import DETAILS, SUMMARY, MarkdownInputs, wave_file
from strangler.plan.outputs import PlanRequest, _wave_line, documents, plan_outputs
from strangler.plan.summary_markdown import CHECKLIST_STEPS, TOP_HAZARDS
from strangler.plan.wave_markdown import SITES_SHOWN
from strangler.proxy import render_proxy
from strangler.request import AnalysisRequest
from tests import builders, plan_support
from tests.conftest import EXAMPLE_APP

_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _ring(count: int, callers: int = 1) -> tuple[Codebase, dict[str, list[str]]]:
    """`count` services in one dependency loop (each calls the next), each with a route, a mutable
    module-level list its successor reads (a hazard) and `callers` call sites per edge."""
    names = [f"svc{i:03d}" for i in range(count)]
    symbols = (
        Symbol("handle", "function", 3, params="x: int"),
        Symbol("STATE", "variable", 1, mutable=True),
    )
    modules = [builders.module(f"{n}.api", 20, symbols=symbols) for n in names]
    references = []
    for i, name in enumerate(names):
        after = names[(i + 1) % count]
        references += [(f"{name}.api", f"{after}.api", "handle", "call", 10 + k) for k in range(callers)]
        references.append((f"{name}.api", f"{after}.api", "STATE", "attribute", 50))
    codebase = builders.codebase(
        [*modules, builders.module("core.db", 30)],
        references=references,
        routes=[(f"/{n}/", f"{n}.api") for n in names],
    )
    return codebase, {n: [f"{n}.api"] for n in names}


def _ring_plan(count: int) -> ExtractionPlan:
    codebase, services = _ring(count)
    return make_plan(codebase, builders.decomposition(services, ["core.db"]))


def _fixture_files() -> tuple[ExtractionPlan, dict[str, str]]:
    plan = make_plan(plan_support.codebase(), plan_support.decomposition())
    files = dict(render_proxy(plan))
    files.update(documents(plan, files))
    return plan, files


def _section(text: str, heading: str) -> list[str]:
    """The lines under `heading` up to the next heading of the same level."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    level = heading.split(" ", 1)[0] + " "
    end = next((i for i in range(start, len(lines)) if lines[i].startswith(level)), len(lines))
    return lines[start:end]


# -- the summary -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [6, 60])
def test_summary_grows_by_one_table_row_per_wave(count: int) -> None:
    plan = _ring_plan(count)
    assert len(plan.waves) == count and sum(len(w.hazards) for w in plan.waves) > TOP_HAZARDS
    summary = render(plan)[SUMMARY]
    rows = [ln for ln in summary.splitlines() if re.match(r"\| \d+ \| \[", ln)]
    assert len(rows) == count
    assert len(summary.splitlines()) - count <= 60  # the rest is the same size for any plan


def test_the_first_wave_checklist_lists_its_steps_in_order() -> None:
    plan, files = _fixture_files()
    first = plan.waves[0]
    checklist = [
        ln for ln in _section(files[SUMMARY], f"## Wave 1: {first.service}") if ln.startswith("- [ ] ")
    ]
    assert len(checklist) == min(len(first.steps), CHECKLIST_STEPS) > 0
    for line, step in zip(checklist, first.steps):
        assert line.startswith(f"- [ ] {step.order}. {step.title}")
        assert line.endswith("*(prerequisite)*") == step.prerequisite
    assert f"]({wave_file(plan, first)})" in "\n".join(
        _section(files[SUMMARY], f"## Wave 1: {first.service}")
    )


def _hazard_key(kind: str, wave: int, where: str) -> tuple[int, int, str, int]:
    path, line = where.rsplit(":", 1)
    return SEVERITY.index(cast(HazardKind, kind)), wave, path, int(line)


def test_top_hazards_are_the_most_severe_sorted_by_severity_wave_and_location() -> None:
    plan, files = _fixture_files()
    pattern = re.compile(r"^- \*\*([a-z-]+)\*\* · wave (\d+) \[[^]]+\]\([^)]+\) · `([^`]+)` — ")
    shown = [m.groups() for m in map(pattern.match, files[SUMMARY].splitlines()) if m]
    keys = [_hazard_key(kind, int(wave), where) for kind, wave, where in shown]
    every = {(h.kind, h.path, h.line) for w in plan.waves for h in w.hazards}
    assert len({k for k, _, _ in shown}) > 1  # the fixture has several kinds
    assert keys == sorted(keys) and len(shown) == min(TOP_HAZARDS, len(every))
    first_wave = {}
    for w in reversed(plan.waves):
        first_wave.update({(h.kind, h.path, h.line): w.order for h in w.hazards})
    listed = {(kind, where) for kind, _, where in shown}
    left_out = [
        _hazard_key(kind, first_wave[(kind, path, line)], f"{path}:{line}")
        for kind, path, line in every
        if (kind, f"{path}:{line}") not in listed
    ]
    assert all(key >= keys[-1] for key in left_out)  # nothing more severe is left out


# -- the files and their links -----------------------------------------------------------------------


def _links(files: Mapping[str, str]) -> list[tuple[str, str]]:
    """(file, target) for every relative link of the Markdown files."""
    found = []
    for path, text in files.items():
        if path.endswith(".md") and not path.startswith(("services/", "monolith_patch/")):
            found += [(path, t) for t in _LINK.findall(text) if "://" not in t]
    return found


def test_every_wave_has_its_file_linked_from_the_summary_and_every_link_resolves() -> None:
    plan, files = _fixture_files()
    summary = files[SUMMARY]
    for wave in plan.waves:
        assert wave_file(plan, wave) in files
        assert f"[{wave.service}]({wave_file(plan, wave)})" in summary
    assert DETAILS in files and "plan.json" in files
    links = _links(files)
    assert len(links) > 3 * len(plan.waves)
    for source, target in links:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), target.split("#")[0]))
        assert resolved in files, f"{source} links {target}"


def test_wave_files_link_the_plan_and_their_neighbours() -> None:
    plan, files = _fixture_files()
    for wave in plan.waves:
        text = files[wave_file(plan, wave)]
        assert text.startswith(f"# Wave {wave.order}: {wave.service}\n")
        names = [posixpath.basename(wave_file(plan, w)) for w in plan.waves]
        before, after = names[: wave.order - 1][-1:], names[wave.order :][:1]
        head = text.split("\n\n", 2)[1]
        assert "(../plan.md)" in head
        assert [n for n in names if f"({n})" in head] == [*before, *after]


def test_wave_files_are_numbered_to_the_width_of_the_last_wave() -> None:
    plan = _ring_plan(3)
    assert [wave_file(plan, w) for w in plan.waves] == [
        f"waves/0{w.order}-{w.service}.md" for w in plan.waves
    ]
    wide = ExtractionPlan("/r", plan.waves * 34, (), "", (), ())
    assert wave_file(wide, plan.waves[0]).startswith("waves/00")


def _site_lines(wave: Wave) -> list[str]:
    lines = []
    for op in (*wave.interface, *wave.callbacks):
        lines += [f"  - `{s.path}:{s.line}` in `{s.caller}` ({s.kind})" for s in op.call_sites[:SITES_SHOWN]]
        if len(op.call_sites) > SITES_SHOWN:
            lines.append(f"  - … and {len(op.call_sites) - SITES_SHOWN} more (see plan.json)")
    return lines


def _hazard_line(h: Hazard) -> str:
    return f"- **{h.kind}** `{h.path}:{h.line}` — {h.detail}. *Do:* {h.advice}."


def test_no_information_is_lost_from_the_wave_sections() -> None:
    """What plan.md held per wave (steps, modules, routes, call sites, tables, hazards) is in the
    wave's own file; the kernel and the routes that stay are in details.md."""
    codebase, services = _ring(4, callers=SITES_SHOWN + 2)  # more sites than are listed per operation
    for plan in (
        make_plan(codebase, builders.decomposition(services, ["core.db"])),
        make_plan(plan_support.codebase(), plan_support.decomposition()),
    ):
        files = documents(plan, render_proxy(plan))
        for wave in plan.waves:
            lines = set(files[wave_file(plan, wave)].splitlines())
            expected = [*_site_lines(wave), *(_hazard_line(h) for h in wave.hazards)]
            expected += [f"- `{m}` ({p})" for m, p in zip(wave.modules, wave.paths)]
            expected += [ln for ln in lines if ln.startswith(tuple(f"{s.order}. **" for s in wave.steps))]
            expected += [f"| `{t.table}` | {t.owner or '—'} |" for t in wave.tables]
            assert len(expected) > len(wave.steps)
            for line in expected:
                assert line in lines or any(ln.startswith(line) for ln in lines), line
            assert sum(1 for ln in lines if re.match(r"\d+\. \*\*", ln)) == len(wave.steps)
            assert all(f"`{r.handler}`" in files[wave_file(plan, wave)] for r in wave.routes)
        details = files[DETAILS]
        assert all(f"- `{m}`" in details for m in plan.shared_kernel)
        assert all(f"`{r.handler}`" in details for r in plan.monolith_routes)


def test_the_skeleton_sizes_go_to_their_waves_and_the_table_to_details() -> None:
    plan = make_plan(plan_support.codebase(), plan_support.decomposition())
    stats = {
        "moved": {"files": 1, "lines": 11},
        "vendored": {"files": 1, "lines": 22},
        "generated": {"files": 2, "lines": 33, "python_lines": 30},
        "python_lines": 63,
        "cut": [],
        "dependency_notes": ["import ujson: add it | by hand"],
    }
    service = plan.waves[1].service
    readme = f"services/{service}/README.md"
    inputs = MarkdownInputs(
        files=frozenset({readme}),
        skeletons={service: stats},
        skeleton_section="## What each service skeleton holds\n\n| the table |\n",
    )
    files = render(plan, inputs)
    page = files[wave_file(plan, plan.waves[1])]
    assert "| 11 | 22 | 33 | 63 | 0 |" in page and "- import ujson: add it \\| by hand" in page
    assert f"(../{readme})" in page
    assert "## Service skeleton" not in files[wave_file(plan, plan.waves[0])]
    assert "| the table |" in files[DETAILS]
    assert "63 Python lines: 11 moved, 22 vendored, 33 generated" in files[SUMMARY]


def test_a_long_routing_section_goes_to_details() -> None:
    plan = make_plan(plan_support.codebase(), plan_support.decomposition())
    section = "## Routes the proxy keeps on the monolith (9)\n\n- `x`\n"
    long = render(plan, MarkdownInputs(routing_section=section, held_back=9))
    short = render(plan, MarkdownInputs(routing_section=section, held_back=1))
    assert section.strip() in long[DETAILS] and section.strip() not in long[SUMMARY]
    assert section.strip() in short[SUMMARY] and section.strip() not in short[DETAILS]


# -- cycles ------------------------------------------------------------------------------------------


def test_partners_left_fall_wave_by_wave_in_a_cycle_of_three() -> None:
    """a → b → c → a, and d calling a (in no cycle): the first of the three to leave still has both
    partners in the monolith, the second one, the last none."""
    codebase = builders.codebase(
        ["a.m", "b.m", "c.m", "d.m"],
        references=[("a.m", "b.m", "f"), ("b.m", "c.m", "f"), ("c.m", "a.m", "f"), ("d.m", "a.m", "f")],
    )
    plan = make_plan(codebase, builders.decomposition({n: [f"{n}.m"] for n in "abcd"}))
    cycles = wave_cycles(plan)
    in_cycle = [w.service for w in plan.waves if w.service in cycles]
    assert sorted(in_cycle) == ["a", "b", "c"] and "d" not in cycles
    assert [len(cycles[s].remaining) for s in in_cycle] == [2, 1, 0]
    assert [cycles[s].remaining for s in in_cycle] == [tuple(sorted(in_cycle[1:])), (in_cycle[2],), ()]
    assert {cycles[s].group.label for s in in_cycle} == {"A"} and cycles["a"].group.services == tuple(
        in_cycle
    )
    assert all(len(cycles[s].partners) == plan.wave(s).entanglement.cycle_partners == 2 for s in in_cycle)
    assert partners_left(plan) == {**dict(zip(in_cycle, (2, 1, 0))), "d": 0}

    files = documents(plan, {})
    table = [ln for ln in files[SUMMARY].splitlines() if re.match(r"\| \d+ \| \[", ln)]
    rows = {ln.split(" | ")[1].split("]")[0][1:]: ln for ln in table}
    assert [rows[s].count(f"| A (3 services) | {n} of 2 |") for s, n in zip(in_cycle, (2, 1, 0))] == [1, 1, 1]
    assert "| — | — |" in rows["d"]
    waves = {w["service"]: w for w in json.loads(files["plan.json"])["waves"]}
    assert waves[in_cycle[1]]["cycle_group"]["partners_left"] == [in_cycle[2]]
    assert waves["d"]["cycle_group"] is None
    assert " (left  1) " in _wave_line(plan.wave(in_cycle[1]), partners_left(plan))


def test_the_monolith_in_a_cycle_is_never_left_behind() -> None:
    """A module no service takes stays in the monolith; in a loop with a service it is a partner
    that never leaves."""
    codebase = builders.codebase(
        ["a.m", "rest.m"], references=[("a.m", "rest.m", "f"), ("rest.m", "a.m", "f")]
    )
    plan = make_plan(codebase, builders.decomposition({"a": ["a.m"]}))
    cycle = wave_cycles(plan)["a"]
    assert cycle.partners == cycle.remaining == (MONOLITH,) and cycle.group.monolith
    assert "the monolith" in cycle.group.describe()


def test_cycle_labels_count_like_spreadsheet_columns() -> None:
    assert [label(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_the_example_counts_cycle_partners_as_the_planner_does() -> None:
    plan, _ = _fixture_files()
    cycles = wave_cycles(plan)
    for wave in plan.waves:
        partners = cycles[wave.service].partners if wave.service in cycles else ()
        assert len(partners) == wave.entanglement.cycle_partners


def test_the_markdown_is_the_same_on_every_run() -> None:
    plan, files = _fixture_files()
    again = documents(plan, render_proxy(plan))
    assert {k: v for k, v in files.items() if k in again} == again


def test_the_links_of_the_example_plan_directory_resolve(tmp_path: Path) -> None:
    """The whole plan directory of the example app (skeletons, monolith patch): every relative link
    of plan.md, details.md and the wave files names a file the command writes."""
    request = PlanRequest(AnalysisRequest(EXAMPLE_APP, no_history=True, quiet=True), tmp_path / "out")
    planned = plan_outputs(request)
    files = planned.files
    links = _links(files)
    assert any(t.startswith("../services/") for _, t in links)
    assert any(t.startswith("monolith_patch/") for _, t in links)
    for source, target in links:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), target.split("#")[0]))
        assert resolved in files, f"{source} links {target}"
    assert len(files[SUMMARY].splitlines()) < 150
    for wave in planned.plan.waves:
        assert "## Service skeleton" in files[wave_file(planned.plan, wave)]

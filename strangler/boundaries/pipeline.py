"""From facts to a Decomposition: proposed, or read from an edited boundaries file.

Commands that need service boundaries (`boundaries`, `graph`, `plan`) call `decomposition_for`, so a
user's edited file is honoured everywhere the same way:

- every module in the file keeps its service (pinned, reason "assigned in FILE"); where the file's
  `services` lists and its read-only `assignments` disagree, the lists decide, with a note;
- modules in the file the codebase no longer has are dropped, with a note;
- modules of the codebase the file does not name are placed by rule: the service of the module
  they are most strongly coupled to, else the shared kernel; each gets a note-worthy reason;
- a file that names none of the codebase's modules is an error (probably another project's file).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries import Evidence, describe, propose
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.boundaries.decomposition_codec import read_edited
from strangler.boundaries.settings import BoundaryOptions
from strangler.exceptions import BoundariesFileError
from strangler.graph.coupling import build_graph, undirected
from strangler.progress import Progress, Stage, timed


def graph_for(codebase: Codebase, options: BoundaryOptions, progress: Progress | None = None) -> nx.DiGraph:
    with timed(progress, Stage.GRAPH):
        return build_graph(codebase, options.weight_map(), include_tests=options.include_tests)


def propose_for(
    codebase: Codebase, options: BoundaryOptions | None = None, progress: Progress | None = None
) -> Decomposition:
    """The proposed decomposition of `codebase` under `options` (stages `graph`, `proposal`)."""
    options = options or BoundaryOptions()
    graph = graph_for(codebase, options, progress)
    with timed(progress, Stage.PROPOSAL):
        return propose(codebase, graph, options, progress=progress)


def decomposition_for(
    codebase: Codebase,
    boundaries_file: Path | None,
    options: BoundaryOptions | None = None,
    progress: Progress | None = None,
) -> Decomposition:
    """The user's edited decomposition when a file is given, else a fresh proposal (stages `graph`,
    `proposal` on `progress`)."""
    options = options or BoundaryOptions()
    if boundaries_file is None:
        return propose_for(codebase, options, progress)
    edited = read_edited(boundaries_file)
    graph = graph_for(codebase, options, progress)
    source = str(boundaries_file)
    with timed(progress, Stage.PROPOSAL):
        return apply_edited(codebase, graph, edited.service_of, source, seed=options.seed, notes=edited.notes)


#: Module names quoted in a note before " …".
SHOWN = 5


def apply_edited(
    codebase: Codebase,
    graph: nx.DiGraph,
    edited: dict[str, str],
    source: str,
    *,
    seed: int = 0,
    notes: tuple[str, ...] = (),
) -> Decomposition:
    """Describe an edited assignment against today's graph (see the module docstring for rules);
    `notes`: what reading the file noticed, kept first among the decomposition's notes."""
    present = set(graph.nodes)
    known = {m: s for m, s in edited.items() if m in present}
    if not known:
        raise BoundariesFileError(
            f"none of the {len(edited)} modules in the file is a module of this codebase",
            path=source,
            hint="was the file written for another project or another source root?",
        )
    said = list(notes)
    gone = sorted(set(edited) - codebase.module_names())
    if gone:
        said.append(f"{len(gone)} module(s) of {source} no longer exist and were dropped: {_shown(gone)}")
    assignment = dict(known)
    reasons = {m: f"assigned in {source}" for m in known}
    new = sorted(present - set(known))
    _place_new(undirected(graph), new, assignment, reasons, source)
    if new:
        said.append(f"{len(new)} module(s) not in {source} were placed by coupling: {_shown(new)}")
    evidence = Evidence(graph=graph, reasons=reasons, pinned=frozenset(known), seed=seed, notes=tuple(said))
    return describe(codebase, assignment, evidence)


def _shown(modules: list[str]) -> str:
    return ", ".join(modules[:SHOWN]) + (" …" if len(modules) > SHOWN else "")


def _place_new(
    flat: nx.Graph, new: list[str], assignment: dict[str, str], reasons: dict[str, str], source: str
) -> None:
    """Place new modules, strongest ties first, so chains of new modules follow each other; those
    coupled to nothing assigned go to the shared kernel."""
    pending = list(new)
    while pending:
        placed = [m for m in list(pending) if _place(flat, m, assignment, reasons, source)]
        if not placed:
            break
        for module in placed:
            pending.remove(module)
    for module in pending:
        assignment[module] = SHARED_KERNEL
        reasons[module] = f"new since {source} and coupled to nothing: shared kernel until placed"


def _place(
    flat: nx.Graph, module: str, assignment: dict[str, str], reasons: dict[str, str], source: str
) -> bool:
    """Give `module` the service it is most strongly tied to, if it has ties to assigned modules."""
    ties: dict[str, float] = defaultdict(float)
    for other, data in flat[module].items():
        if other in assignment:
            ties[assignment[other]] += float(data.get("weight", 0.0))
    if not ties:
        return False
    service = max((weight, s) for s, weight in ties.items())[1]
    assignment[module] = service
    reasons[module] = f"new since {source}: most strongly coupled to {service}"
    return True

"""`strangler graph`: the file that draws a tree's service boundaries, in the format its name asks
for (DOT, SVG, PNG, the interactive HTML report, or Mermaid), at service or module level."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from strangler.exceptions import StranglerError
from strangler.progress import Progress, Stage, timed
from strangler.render.modulegraph import DEFAULT_MAX_EDGES, DEFAULT_MAX_NODES
from strangler.request import AnalysisRequest, load_codebase

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from strangler.boundaries.decomposition import Decomposition
    from strangler.boundaries.proposal_output import BoundaryChoices
    from strangler.render.servicegraph import ServiceGraph


class GraphFormat(enum.Enum):
    """What the output file holds; named by its extension."""

    DOT = "dot"
    SVG = "svg"
    PNG = "png"
    HTML = "html"  # the interactive report, with the plan's waves
    MMD = "mmd"  # Mermaid text of the service view, for Markdown


#: Other extensions accepted for a format.
ALIASES = {"mermaid": GraphFormat.MMD, "htm": GraphFormat.HTML}


class GraphLevel(enum.Enum):
    """One box per service, or modules grouped by service."""

    SERVICE = "service"
    MODULE = "module"


class GraphOption(enum.Enum):
    """The request value a GraphOptionError is about."""

    OUTPUT = "output"
    LEVEL = "level"
    FOCUS = "focus"


class GraphOptionError(StranglerError):
    """The request asks for a drawing that cannot be made (a usage error)."""

    exit_code = 2

    def __init__(self, message: str, option: GraphOption) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True, slots=True)
class GraphView:
    """What to draw: the format, the level, and at module level the focus and the limits."""

    fmt: GraphFormat
    level: GraphLevel = GraphLevel.SERVICE
    focus: str | None = None  # module level: one service and the modules it touches
    max_nodes: int = DEFAULT_MAX_NODES  # module level: fold modules into packages down to this
    max_edges: int = DEFAULT_MAX_EDGES  # module level: draw at most this many edges


@dataclass(frozen=True, slots=True)
class GraphRequest:
    """The tree, the decomposition to draw (proposed, or edited in a file), and the file to make."""

    analysis: AnalysisRequest
    output: Path  # its extension picks the format
    level: GraphLevel | None = None  # None: module level with a focus, else service level
    focus: str | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    max_edges: int = DEFAULT_MAX_EDGES
    boundaries: Path | None = None  # an edited decomposition to draw instead of proposing one
    services: int | None = None
    signals: str | None = None
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class GraphFile:
    """The bytes of the file, warnings for the user, what it shows (e.g. "report, 5 services"), and
    the decomposition's notes (e.g. that an edited file's `assignments` disagree with its `services`)."""

    data: bytes
    warnings: tuple[str, ...]
    summary: str
    notes: tuple[str, ...] = ()


def format_of(output: Path) -> GraphFormat:
    """The format the name of `output` asks for; GraphOptionError for an unknown extension."""
    suffix = output.suffix.lower().lstrip(".")
    if suffix in ALIASES:
        return ALIASES[suffix]
    try:
        return GraphFormat(suffix)
    except ValueError:
        names = ", ".join(f".{f.value}" for f in GraphFormat)
        message = f"cannot tell the format from {output.name!r}; end it in {names}"
        raise GraphOptionError(message, GraphOption.OUTPUT) from None


def view_for(request: GraphRequest) -> GraphView:
    """The view the request asks for; GraphOptionError for options that exclude each other."""
    fmt = format_of(request.output)
    level = request.level or (GraphLevel.MODULE if request.focus else GraphLevel.SERVICE)
    if request.focus and level is not GraphLevel.MODULE:
        raise GraphOptionError("--focus needs --level module", GraphOption.FOCUS)
    _check_mermaid(fmt, level)
    return GraphView(fmt, level, request.focus, request.max_nodes, request.max_edges)


def _check_mermaid(fmt: GraphFormat, level: GraphLevel) -> None:
    if fmt is GraphFormat.MMD and level is GraphLevel.MODULE:
        raise GraphOptionError("Mermaid output is service-level only", GraphOption.LEVEL)


def graph_file(request: GraphRequest) -> GraphFile:
    """The file the request asks for (options checked before the tree is analyzed)."""
    view = view_for(request)
    codebase = load_codebase(request.analysis)
    progress = request.analysis.progress
    choices = _choices(request)
    decomposition = decomposition_of(codebase, request.analysis.path, request.boundaries, choices, progress)
    with timed(progress, Stage.DRAWING):
        data, warnings = render_graph(codebase, decomposition, view)
    what = "report" if view.fmt is GraphFormat.HTML else f"{view.level.value}-level graph"
    summary = f"{what}, {len(decomposition.services)} services"
    return GraphFile(data, tuple(warnings), summary, decomposition.notes)


def decomposition_of(
    codebase: Codebase,
    path: Path,
    boundaries: Path | None,
    choices: BoundaryChoices,
    progress: Progress | None = None,
) -> Decomposition:
    """The decomposition `boundaries` would propose for the tree at `path` (or the edited file
    `boundaries`), via the shared pipeline."""
    from strangler.boundaries.pipeline import decomposition_for
    from strangler.boundaries.proposal_output import boundary_options_for

    return decomposition_for(codebase, boundaries, boundary_options_for(path, choices), progress)


def _choices(request: GraphRequest) -> BoundaryChoices:
    from strangler.boundaries.proposal_output import BoundaryChoices

    return BoundaryChoices(services=request.services, signals=request.signals, seed=request.seed)


def render_graph(
    codebase: Codebase, decomposition: Decomposition, view: GraphView
) -> tuple[bytes, list[str]]:
    """The bytes of the file and warnings for the user; pure except for running `dot`."""
    from strangler.render import rendering

    if view.fmt is GraphFormat.HTML:
        return _report(codebase, decomposition)
    if view.fmt is GraphFormat.MMD:
        _check_mermaid(view.fmt, view.level)
        return _mermaid(codebase, decomposition).encode("utf-8"), []
    text = _dot_text(codebase, decomposition, view)
    if view.fmt is GraphFormat.DOT:
        return text.encode("utf-8"), []
    return rendering.render(text, "svg" if view.fmt is GraphFormat.SVG else "png"), []


def _project(codebase: Codebase) -> str:
    return Path(codebase.root).name or "codebase"


def _service_graph(codebase: Codebase, decomposition: Decomposition) -> ServiceGraph:
    from strangler.render.servicegraph import service_graph

    return service_graph(codebase, decomposition)


def _report(codebase: Codebase, decomposition: Decomposition) -> tuple[bytes, list[str]]:
    """The interactive HTML report, with the plan's waves; a warning when the graph library is missing."""
    from strangler.plan import make_plan
    from strangler.render import html, visjs

    library = visjs.library_script()
    warnings = [] if library is not None else [f"warning: {visjs.MISSING_HINT}"]
    graph = _service_graph(codebase, decomposition)
    plan = make_plan(codebase, decomposition)
    page = html.report_html(codebase, decomposition, graph, plan, library=library)
    return page.encode("utf-8"), warnings


def _mermaid(codebase: Codebase, decomposition: Decomposition) -> str:
    from strangler.render import mermaid

    graph = _service_graph(codebase, decomposition)
    return mermaid.service_mermaid(graph, title=f"Services of {_project(codebase)}")


def _dot_text(codebase: Codebase, decomposition: Decomposition, view: GraphView) -> str:
    """DOT text of the service view, or of the module view (GraphOptionError for an unknown focus)."""
    from strangler.render import dot, moduledot
    from strangler.render.modulegraph import module_view

    project = _project(codebase)
    if view.level is GraphLevel.SERVICE:
        return dot.service_dot(_service_graph(codebase, decomposition), title=f"Services of {project}")
    try:
        shown = module_view(
            codebase, decomposition, focus=view.focus, max_nodes=view.max_nodes, max_edges=view.max_edges
        )
    except KeyError:
        names = ", ".join(s.name for s in decomposition.services)
        message = f"no service named {view.focus!r}; services: {names}"
        raise GraphOptionError(message, GraphOption.FOCUS) from None
    return moduledot.module_dot(shown, title=f"Modules of {project} by service")

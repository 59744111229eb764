"""What a skeleton build is made from (`BuildInputs`) and what its planning shares (`Planned`).

generate.py reads the tree and builds from these; buildcache.py keys the files of a build by them;
assembly.py writes the files of a planned build.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from analyzers.model import Codebase
from strangler.boundaries.decomposition import Decomposition
from strangler.skeleton.closure import ModuleGraph
from strangler.skeleton.dependencies import DependencyFacts
from strangler.skeleton.django_templates import NO_TEMPLATES, TemplateIndex
from strangler.skeleton.layout import ServiceLayout, SkeletonOptions
from strangler.skeleton.sources import ModuleText

#: Reports `done/total` of a named stage (strangler.progress.Progress fits).
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildInputs:
    """What `build` makes the skeletons from: `project_files` holds the root's strangler.toml and
    pyproject.toml, where the patch excludes its generated package from later analyses;
    `dependency_facts` what maps the services' imports to distributions (default: nothing
    declared, nothing installed); `texts` the modules' ModuleTexts when already read; `templates`
    the monolith's Django template files (none by default)."""

    codebase: Codebase
    decomposition: Decomposition
    sources: Mapping[str, str]
    services: Sequence[str]
    options: SkeletonOptions
    wire: str
    patch_for: Sequence[str] | None = None
    project_files: Mapping[str, str] | None = None
    dependency_facts: DependencyFacts | None = None
    texts: Mapping[str, ModuleText] | None = None
    progress: ProgressCallback | None = None
    templates: TemplateIndex = NO_TEMPLATES  # the monolith's Django templates (template_files.py)

    @property
    def patched(self) -> list[str]:
        """The services the monolith patch extracts, sorted."""
        return sorted(set(self.services if self.patch_for is None else self.patch_for))


@dataclass(frozen=True, slots=True)
class Planned:
    """The build's inputs with what every skeleton shares: texts, module graph, layouts."""

    given: BuildInputs
    texts: Mapping[str, ModuleText]
    graph: ModuleGraph
    layouts: Mapping[str, ServiceLayout]

"""Service skeletons and the monolith patch as {relative path: text}, from facts and sources.

`generate_skeletons` is the public entry: it reads the analyzed tree once (`load_sources`, the only
file-system access) and hands the texts to `build_skeletons`, a pure function, so output depends
only on its inputs and is byte-identical across runs. `apply_patch` is the `--apply` edge. With a
cache directory, the files of a build are kept for a next run from the very same inputs (buildcache.py).
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from analyzers.config import read_config_bytes
from analyzers.errors import ConfigError
from analyzers.model import Codebase
from strangler.boundaries.decomposition import Decomposition
from strangler.skeleton import buildcache, skelcache
from strangler.skeleton.build_inputs import BuildInputs, Planned, ProgressCallback
from strangler.skeleton.dependencies import DependencyFacts, environment_distributions
from strangler.skeleton.exclusion import CONFIG_FILES
from strangler.skeleton.layout import (
    SkeletonError,
    SkeletonOptions,
    module_graph,
    plan_layout,
)
from strangler.skeleton.requirements import read_declared
from strangler.skeleton.sources import ModuleText
from strangler.skeleton.template_files import read_templates
from strangler.skeleton.texts import read_modules


def wire_source() -> str:
    """The text of the wire runtime copied into every generated side of a cut."""
    return (Path(__file__).with_name("wire_runtime.py")).read_text(encoding="utf-8")


#: Diagnostics that mean the analysis did not take a file's content: the skeleton does not read it either.
UNREAD_KINDS = frozenset({"too-large", "binary", "syntax-error", "unreadable", "encoding", "vanished"})


def load_sources(root: Path, codebase: Codebase) -> dict[str, str]:
    """Module name -> source text for every module of the analyzed tree (the one read).

    Test and migration modules are read too: moved code may import them (Django's migration
    framework), and then they are vendored like any other module."""
    unread = {d.path for d in codebase.diagnostics if d.kind in UNREAD_KINDS}
    sources = {}
    for module in codebase.modules:
        if module.path in unread:
            continue  # too large, binary, not parsable: the analysis left it out, so does the skeleton
        try:
            sources[module.name] = (root / module.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the analysis already reported it as a diagnostic
    return sources


@dataclass(frozen=True, slots=True)
class SkeletonRequest:
    """Skeletons of `services` of an analyzed tree at `root`; the monolith patch extracts
    `patch_for` (default: every one of `services`). With `cache_dir` (the analysis cache's
    directory), what reading the modules gives is kept there for the next run (skelcache.py);
    without it, nothing is read from or written to a cache. `progress` is told of each skeleton."""

    codebase: Codebase
    decomposition: Decomposition
    root: Path
    services: Sequence[str]
    options: SkeletonOptions
    patch_for: Sequence[str] | None = None
    cache_dir: Path | None = None
    progress: ProgressCallback | None = None


def generate_skeletons(
    codebase: Codebase,
    decomposition: Decomposition,
    root: Path,
    services: Sequence[str],
    options: SkeletonOptions,
    *,
    patch_for: Sequence[str] | None = None,
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, str]:
    """{"services/<name>/...": text, "monolith_patch/...": text} for the given services: `generate`
    of the SkeletonRequest of these arguments."""
    request = SkeletonRequest(
        codebase, decomposition, root, services, options, patch_for, cache_dir, progress
    )
    return generate(request)


def generate(request: SkeletonRequest) -> dict[str, str]:
    """{"services/<name>/...": text, "monolith_patch/...": text} for the request's services.

    The cyclic garbage collector is paused meanwhile (and restored after), as the analysis does:
    reading builds a syntax tree per module and building a libcst tree per rewritten statement,
    short-lived and acyclic, which the collector would scan again and again (Django's 885 modules
    read in one process: 1.55 s with it, 1.03 s without). Reading workers inherit the pause."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(request)
    finally:
        if enabled:
            gc.enable()


def _generate(request: SkeletonRequest) -> dict[str, str]:
    root, codebase = request.root, request.codebase
    sources = load_sources(root, codebase)
    path = skelcache.cache_path(request.cache_dir, root) if request.cache_dir is not None else None
    stamp = skelcache.fingerprint()
    cached = skelcache.load(path, stamp) if path is not None else skelcache.Cached()
    read = read_texts(codebase, sources, cached.texts, request.progress)
    environment = _environment(cached)
    files = _built(request, _build_inputs(request, sources, read, environment))
    fresh = skelcache.Cached(read, skelcache.environment_stamp(), environment)
    if path is not None and (read != cached.texts or environment is not cached.environment):
        skelcache.save(path, stamp, fresh)
    return files


def _built(request: SkeletonRequest, given: BuildInputs) -> dict[str, str]:
    """`build(given)`, or with a cache directory the files an earlier build from the very same
    inputs gave (buildcache.py), kept there for the next run."""
    if request.cache_dir is None:
        return build(given)
    path = buildcache.cache_path(request.cache_dir, request.root)
    key = buildcache.build_key(given)
    kept = buildcache.load(path, key)
    if kept is not None:
        _check_services(given.decomposition, sorted(set(given.services) | set(given.patched)))
        if given.progress is not None:
            total = len(set(given.services))
            given.progress("skeletons", total, total)
        return kept
    files = build(given)
    buildcache.save(path, key, files)
    return files


def _build_inputs(
    request: SkeletonRequest,
    sources: Mapping[str, str],
    read: Mapping[str, tuple[str, ModuleText]],
    environment: Mapping[str, tuple[str, ...]],
) -> BuildInputs:
    """What `build` takes for `request`, from the tree's sources, modules read and environment."""
    root = request.root
    return BuildInputs(
        request.codebase,
        request.decomposition,
        sources,
        request.services,
        request.options,
        wire_source(),
        patch_for=request.patch_for,
        project_files=_project_files(root),
        dependency_facts=DependencyFacts(read_declared(root), environment, _root_names(root)),
        texts={name: text for name, (_, text) in read.items()},
        progress=request.progress,
        templates=read_templates(root, request.codebase, sources),
    )


def _project_files(root: Path) -> dict[str, str]:
    """The root's configuration files (strangler.toml, pyproject.toml) that exist, as text."""
    project = {}
    for name in CONFIG_FILES:
        try:  # (a regular file under the config size limit only: a FIFO or a device is no config)
            project[name] = read_config_bytes(root / name).decode("utf-8")
        except (ConfigError, UnicodeDecodeError):
            continue
    return project


def _environment(cached: skelcache.Cached) -> Mapping[str, tuple[str, ...]]:
    """The environment's import name -> distributions, reused while sys.path did not change."""
    if cached.environment and cached.environment_stamp == skelcache.environment_stamp():
        return cached.environment
    return environment_distributions()


def _root_names(root: Path) -> frozenset[str]:
    """Top-level module and package names at the root of the tree (local code, never a dependency,
    even where the analysis excluded them)."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return frozenset()
    names = {p.stem for p in entries if p.suffix == ".py" and p.stem.isidentifier()}
    names |= {p.name for p in entries if p.name.isidentifier() and (p / "__init__.py").is_file()}
    return frozenset(names)


def parse_texts(codebase: Codebase, sources: Mapping[str, str]) -> dict[str, ModuleText]:
    """Every readable module's ModuleText (modules that do not parse are left out)."""
    return {name: text for name, (_, text) in read_texts(codebase, sources, {}).items()}


def read_texts(
    codebase: Codebase,
    sources: Mapping[str, str],
    cached: Mapping[str, tuple[str, ModuleText]],
    progress: ProgressCallback | None = None,
) -> dict[str, tuple[str, ModuleText]]:
    """Module -> (key, ModuleText) of every readable module: from `cached` where the key is the
    same (skelcache.text_key), else read with `ast` (in worker processes when there is much to
    read: see reading.py)."""
    known = frozenset(sources)
    names = skelcache.names_digest(known)
    found: dict[str, tuple[str, ModuleText]] = {}
    missing: list[tuple[str, bool, str]] = []
    keys: dict[str, str] = {}
    for module in codebase.modules:
        if module.name not in sources:
            continue
        key = keys[module.name] = skelcache.text_key(
            module.name, module.is_package, names, sources[module.name]
        )
        hit = cached.get(module.name)
        if hit is not None and hit[0] == key:
            found[module.name] = hit
        else:
            missing.append((module.name, module.is_package, sources[module.name]))
    for name, text in zip((m[0] for m in missing), read_modules(missing, known, progress)):
        if text is not None:  # (None: the analysis reported it; no reason to crash here)
            found[name] = (keys[name], text)
    return {m.name: found[m.name] for m in codebase.modules if m.name in found}


def build_skeletons(
    codebase: Codebase,
    decomposition: Decomposition,
    sources: Mapping[str, str],
    services: Sequence[str],
    options: SkeletonOptions,
    wire: str,
    *,
    patch_for: Sequence[str] | None = None,
    project_files: Mapping[str, str] | None = None,
    dependency_facts: DependencyFacts | None = None,
    texts: Mapping[str, ModuleText] | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, str]:
    """`build` of the BuildInputs of these arguments."""
    given = BuildInputs(
        codebase,
        decomposition,
        sources,
        services,
        options,
        wire,
        patch_for,
        project_files,
        dependency_facts,
        texts,
        progress,
    )
    return build(given)


def build(given: BuildInputs) -> dict[str, str]:
    """The pure core of `generate`: the skeletons' and the monolith patch's files, sorted by path."""
    from strangler.skeleton.assembly import monolith_patch_files, skeleton_files  # (libcst: when building)

    _check_services(given.decomposition, sorted(set(given.services) | set(given.patched)))
    planned = _plan(given)
    files = skeleton_files(planned)
    files.update(monolith_patch_files(planned))
    total = len(set(given.services))
    if given.progress is not None:
        given.progress("skeletons", total, total)
    return dict(sorted(files.items()))


def _check_services(decomposition: Decomposition, asked: Sequence[str]) -> None:
    known = {s.name for s in decomposition.services}
    unknown = sorted(set(asked) - known)
    if unknown:
        raise SkeletonError(
            f"unknown service(s): {', '.join(unknown)}",
            hint=f"choose from: {', '.join(sorted(known))}",
        )


def _plan(given: BuildInputs) -> Planned:
    """The layout of every service to generate or patch for, on one module graph."""
    codebase, decomposition = given.codebase, given.decomposition
    texts = given.texts if given.texts is not None else parse_texts(codebase, given.sources)
    graph = module_graph(codebase, decomposition, texts)
    layouts = {
        s: plan_layout(codebase, decomposition, s, texts, graph=graph, god_share=given.options.god_share)
        for s in sorted(set(given.services) | set(given.patched))
    }
    return Planned(given, texts, graph, layouts)


def apply_patch(root: Path, files: Mapping[str, str]) -> list[Path]:
    """Write the monolith patch's changed files into the analyzed tree (`--apply`); returns them."""
    from strangler.skeleton.monolith_patch import PATCH_DIR
    from strangler.writing import apply_into_tree

    prefix = f"{PATCH_DIR}/files/"
    return apply_into_tree(
        root, {path[len(prefix) :]: text for path, text in files.items() if path.startswith(prefix)}
    )


__all__ = [
    "BuildInputs",
    "SkeletonOptions",
    "SkeletonRequest",
    "apply_patch",
    "build",
    "build_skeletons",
    "generate",
    "generate_skeletons",
    "load_sources",
    "plan",
    "plan_skeletons",
]


def plan_skeletons(
    codebase: Codebase,
    decomposition: Decomposition,
    waves: Sequence[str],
    root: Path,
    *,
    apply: bool = False,
    options: SkeletonOptions | None = None,
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, str]:
    """What `strangler plan` adds: a skeleton per wave's service, and the monolith patch of the
    first wave (the next step to take); with `apply`, that patch is also written into `root`.

    `cache_dir`: the analysis cache's directory unless the run is `--no-cache` (then None: no
    skeleton cache is read or written); `progress`: called with (stage, done, total)."""
    request = SkeletonRequest(
        codebase,
        decomposition,
        root,
        waves,
        options or SkeletonOptions(),
        patch_for=waves[:1],
        cache_dir=cache_dir,
        progress=progress,
    )
    return plan(request, apply=apply)


def plan(request: SkeletonRequest, *, apply: bool = False) -> dict[str, str]:
    """`plan_skeletons` of a request whose services are the waves' and `patch_for` the first wave."""
    if not request.services:
        return {}
    files = generate(request)
    if apply:
        apply_patch(request.root, files)
    return files

"""Service skeletons and the monolith patch as {relative path: text}, from facts and sources.

`generate_skeletons` is the public entry: it reads the analyzed tree once (`load_sources`, the only
file-system access) and hands the texts to `build_skeletons`, a pure function, so output depends
only on its inputs and is byte-identical across runs. `apply_patch` is the `--apply` edge.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from analyzers.config import read_config_bytes
from analyzers.errors import ConfigError
from analyzers.model import Codebase, Route
from strangler.decomposition import Decomposition
from strangler.skeleton import skelcache
from strangler.skeleton.client import ClientSpec, client_module_text, operation_hazards
from strangler.skeleton.dependencies import DependencyFacts, environment_distributions, resolve
from strangler.skeleton.django_project import fix_app_configs
from strangler.skeleton.escaping import one_line
from strangler.skeleton.exclusion import CONFIG_FILES, exclusion_edit
from strangler.skeleton.frameworks import WebInputs, service_framework, web_files
from strangler.skeleton.layout import (
    ServiceLayout,
    SkeletonError,
    SkeletonOptions,
    dropped_imports,
    module_graph,
    plan_layout,
)
from strangler.skeleton.monolith_patch import (
    PATCH_DIR,
    monolith_calls,
    patch_files,
    patch_outputs,
    service_url_env,
)
from strangler.skeleton.moving import Relocation, relocate_module, remote_map
from strangler.skeleton.project import (
    ProjectSpec,
    dockerfile_text,
    pyproject_text,
    readme_text,
    smoke_test_text,
)
from strangler.skeleton.reading import read_modules
from strangler.skeleton.requirements import Declared, read_declared
from strangler.skeleton.sources import ModuleText
from strangler.skeleton.stats import STATS_FILE, StatsInputs, skeleton_stats, stats_text
from strangler.skeleton.webapp import internal_api_text

SERVICES_DIR = "services"
#: Dependency facts of a tree that declares nothing, seen from an empty environment.
NO_FACTS = DependencyFacts(Declared({}, {}, (), ()))


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


#: Reports `done/total` of a named stage (strangler.progress.Progress fits).
ProgressCallback = Callable[[str, int, int], None]


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
    """{"services/<name>/...": text, "monolith_patch/...": text} for the given services.

    The monolith patch extracts `patch_for` (default: every one of `services`). With `cache_dir`
    (the analysis cache's directory), what reading the modules gives is kept there for the next
    run (skelcache.py); without it, nothing is read from or written to a cache."""
    project = {}
    for name in CONFIG_FILES:
        try:  # (a regular file under the config size limit only: a FIFO or a device is no config)
            project[name] = read_config_bytes(root / name).decode("utf-8")
        except (ConfigError, UnicodeDecodeError):
            continue
    sources = load_sources(root, codebase)
    path = skelcache.cache_path(cache_dir, root) if cache_dir is not None else None
    stamp = skelcache.fingerprint()
    cached = skelcache.load(path, stamp) if path is not None else skelcache.Cached()
    read = read_texts(codebase, sources, cached.texts, progress)
    environment = _environment(cached)
    facts = DependencyFacts(read_declared(root), environment, _root_names(root))
    files = build_skeletons(
        codebase,
        decomposition,
        sources,
        services,
        options,
        wire_source(),
        patch_for=patch_for,
        project_files=project,
        dependency_facts=facts,
        texts={name: text for name, (_, text) in read.items()},
        progress=progress,
    )
    fresh = skelcache.Cached(read, skelcache.environment_stamp(), environment)
    if path is not None and (read != cached.texts or environment is not cached.environment):
        skelcache.save(path, stamp, fresh)
    return files


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
    """The pure core of `generate_skeletons`; `project_files` holds the root's strangler.toml and
    pyproject.toml, where the patch excludes its generated package from later analyses;
    `dependency_facts` what maps the services' imports to distributions (default: nothing
    declared, nothing installed); `texts` the modules' ModuleTexts when already read."""
    known_services = {s.name for s in decomposition.services}
    patched = sorted(set(services if patch_for is None else patch_for))
    unknown = sorted((set(services) | set(patched)) - known_services)
    if unknown:
        raise SkeletonError(
            f"unknown service(s): {', '.join(unknown)}",
            hint=f"choose from: {', '.join(sorted(known_services))}",
        )
    texts = texts if texts is not None else parse_texts(codebase, sources)
    tops = frozenset(m.name.split(".")[0] for m in codebase.modules)
    given = dependency_facts or NO_FACTS
    facts = dataclasses.replace(given, local=frozenset(given.local) | tops)
    graph = module_graph(codebase, decomposition, texts)
    layouts = {
        s: plan_layout(codebase, decomposition, s, texts, graph=graph, god_share=options.god_share)
        for s in sorted(set(services) | set(patched))
    }
    files: dict[str, str] = {}
    for done, service in enumerate(sorted(set(services)), 1):
        if progress is not None:
            progress("skeletons", done - 1, len(set(services)))
        layout = layouts[service]
        # Everything the rest of the monolith calls in the service, whichever other services are
        # extracted too, so one skeleton serves every phase of the plan.
        served = monolith_calls(codebase, [layout], texts, graph)[0].functions
        files.update(service_files(codebase, layout, texts, sources, options, wire, served, facts))
    paths = {m.name: m.path for m in codebase.modules}
    changed = patch_files(codebase, [layouts[s] for s in patched], texts, sources, options, wire, graph)
    original = {paths[name]: text for name, text in sources.items() if name in paths}
    generated = sorted(p[: -len("/__init__.py")] for p in changed if p.endswith("/_strangler/__init__.py"))
    if generated:
        changed.update(exclusion_edit(project_files or {}, generated[0]))
        original.update(project_files or {})
    files.update(patch_outputs(original, changed))
    if progress is not None:
        progress("skeletons", len(set(services)), len(set(services)))
    return dict(sorted(files.items()))


def service_files(
    codebase: Codebase,
    layout: ServiceLayout,
    texts: Mapping[str, ModuleText],
    sources: Mapping[str, str],
    options: SkeletonOptions,
    wire: str,
    served: Sequence[tuple[str, str]],
    facts: DependencyFacts | None = None,
) -> dict[str, str]:
    """Every file of `services/<service>/`; `facts` maps its imports to distributions."""
    root = f"{SERVICES_DIR}/{layout.service}"
    moved_names = frozenset(m for m, _ in layout.moved)
    framework = service_framework(codebase, moved_names)
    out = module_files(codebase, layout, texts, sources, framework)
    modules = frozenset(out)
    spec = _client_spec(codebase, layout, texts, options)
    out.update(_client_files(layout, spec, texts, sources, wire))
    out[f"{root}/{layout.package}/internal_api.py"] = internal_api_text(
        owner=f"the `{layout.service}` service",
        wire_module=f"{layout.package}.clients.wire",
        prefix=options.internal_prefix,
        operations=served,
        local=layout.local(),
        hazards={op: operation_hazards(sources.get(op[0], ""), op[1], spec.model_names) for op in served},
        session=spec.session,
        framework=framework,
    )
    out.update(web_files(framework, WebInputs(codebase, layout, texts, sources, options), root))
    resolved = resolve(_externals(codebase, layout.local()), framework, facts or NO_FACTS)
    project = _project_spec(codebase, layout, texts, options, served, framework, resolved.requirements)
    out[f"{root}/pyproject.toml"] = pyproject_text(project)
    out[f"{root}/Dockerfile"] = dockerfile_text(project)
    out[f"{root}/tests/test_smoke.py"] = smoke_test_text(project)
    moved_paths = {f"{root}/{_module_path(new, texts[old].is_package)}" for old, new in layout.moved}
    stats = skeleton_stats(
        out,
        root,
        StatsInputs(
            service=layout.service,
            package=layout.package,
            moved_paths=frozenset(moved_paths),
            vendored_paths=modules - moved_paths,
            cuts=layout.cuts,
            left_out=layout.left_out,
            dependencies=resolved.requirements,
            notes=resolved.notes,
        ),
    )
    out[f"{root}/README.md"] = readme_text(dataclasses.replace(project, stats=stats))
    out[f"{root}/{STATS_FILE}"] = stats_text(stats)
    return out


def module_files(
    codebase: Codebase,
    layout: ServiceLayout,
    texts: Mapping[str, ModuleText],
    sources: Mapping[str, str],
    framework: str,
) -> dict[str, str]:
    """The moved and vendored modules of a skeleton, imports rewritten, by path."""
    root = f"{SERVICES_DIR}/{layout.service}"
    local = layout.local()
    paths = {m.name: m.path for m in codebase.modules}
    functions = [(r.module, r.name) for r in layout.remote]
    remote, namespaces = remote_map(
        [*functions, *layout.stand_ins], layout.remote_modules, layout.client_module
    )
    relocation = Relocation(local=local, remote=remote, remote_modules=namespaces, known=frozenset(texts))
    moved_names = frozenset(m for m, _ in layout.moved)
    out: dict[str, str] = {}
    for original, new in sorted(local.items()):
        text = texts[original]
        how = "moved" if original in moved_names else "vendored (read-only copy)"
        header = [f"strangler: {how} from {paths[original]} (module {original})"]
        drop = dropped_imports(text, moved_names) if original == layout.app_module else frozenset()
        try:
            relocated = relocate_module(
                original,
                text.is_package,
                sources[original],
                relocation,
                header=header,
                drop_bound=frozenset(drop),
                package=layout.package,
                points=text.points,
            )
        except (RecursionError, MemoryError):
            relocated = _unrewritten(paths[original], sources[original])
        if framework == "django":
            relocated = fix_app_configs(relocated, local)
        out[f"{root}/{_module_path(new, text.is_package)}"] = relocated
    return out


def _client_spec(
    codebase: Codebase, layout: ServiceLayout, texts: Mapping[str, ModuleText], options: SkeletonOptions
) -> ClientSpec:
    local = layout.local()
    return ClientSpec(
        module=layout.client_module,
        wire_module=f"{layout.package}.clients.wire",
        target="the monolith",
        base_url_env=options.monolith_url_env,
        timeout_seconds=options.timeout_seconds,
        prefix=options.internal_prefix,
        modules=local,
        model_names=frozenset(t.model for t in codebase.tables if t.model),
        session=_session(texts, local),
    )


def _client_files(
    layout: ServiceLayout,
    spec: ClientSpec,
    texts: Mapping[str, ModuleText],
    sources: Mapping[str, str],
    wire: str,
) -> dict[str, str]:
    """The empty packages the skeleton's modules need, and `clients/`."""
    root = f"{SERVICES_DIR}/{layout.service}"
    out = {
        f"{root}/{_module_path(package, True)}": (
            '"""Package of the skeleton (generated by strangler: no code of its own)."""\n'
        )
        for package in _missing_packages(layout.local(), texts, layout.package)
    }
    pkg = f"{root}/{layout.package}"
    out[f"{pkg}/clients/__init__.py"] = '"""Generated clients of what this service still needs."""\n'
    out[f"{pkg}/clients/wire.py"] = wire
    out[f"{pkg}/clients/monolith.py"] = client_module_text(
        spec,
        [(r.module, r.name) for r in layout.remote],
        layout.remote_modules,
        sources,
        stand_ins=layout.stand_ins,
        cut=frozenset(c.module for c in layout.cuts),
    )
    return out


def _project_spec(
    codebase: Codebase,
    layout: ServiceLayout,
    texts: Mapping[str, ModuleText],
    options: SkeletonOptions,
    served: Sequence[tuple[str, str]],
    framework: str,
    requirements: tuple[str, ...],
) -> ProjectSpec:
    moved_names = frozenset(m for m, _ in layout.moved)
    routes = tuple(sorted(r for r in codebase.routes if r.module in moved_names))
    labels = {label for m in moved_names for label in texts[m].blueprint_labels}
    unserved = _unserved(routes, framework, labels)
    local = layout.local()
    return ProjectSpec(
        service=layout.service,
        package=layout.package,
        externals=_externals(codebase, local),
        env_vars=tuple(sorted({v for m in local for v in texts[m].env_vars})),
        routes=tuple(r for r in routes if r not in unserved),
        unserved=unserved,
        monolith_url_env=options.monolith_url_env,
        default_port=options.default_port,
        python_requires=options.python_requires,
        moved=layout.moved,
        vendored=layout.vendored,
        remote=tuple(r.operation for r in layout.remote),
        served=tuple(f"{m}.{n}" for m, n in served),
        framework=framework,
        dependencies=requirements,
    )


def _unrewritten(path: str, source: str) -> str:
    """A module too deeply nested for libcst: copied as written, saying that its imports still name
    the monolith's modules (the rewriter would exceed Python's recursion limit)."""
    note = (
        f"# strangler: copied as written from {one_line(path)}: nested too deeply to rewrite; its imports"
        " still name the monolith's modules: fix them by hand\n"
    )
    return note + source


def _unserved(routes: Sequence[Route], framework: str, labels: set[str]) -> tuple[Route, ...]:
    """Flask routes of the service declared on a blueprint that does not move with it (a shared
    Flask-RESTful/RESTX `Api` on a blueprint of another service): the skeleton cannot serve them."""
    if framework != "flask":
        return ()
    return tuple(r for r in routes if "." in r.name and r.name.split(".")[0] not in labels)


def _session(texts: Mapping[str, ModuleText], local: Mapping[str, str]) -> tuple[str, str] | None:
    """(module, expression) of the unit of work the skeleton's code uses, in its own names."""
    for name in sorted(texts):
        if texts[name].session and name in local:
            return local[name], texts[name].session
    return None


def _module_path(name: str, is_package: bool) -> str:
    path = name.replace(".", "/")
    return f"{path}/__init__.py" if is_package else f"{path}.py"


def _missing_packages(local: Mapping[str, str], texts: Mapping[str, ModuleText], package: str) -> list[str]:
    """Packages the skeleton needs (every parent of a relocated module) that no module fills."""
    present = {new for original, new in local.items() if texts[original].is_package}
    needed = (
        {package, f"{package}.vendored"} if any(".vendored." in new for new in local.values()) else {package}
    )
    for new in local.values():
        parts = new.split(".")
        needed.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return sorted(needed - present - {f"{package}.clients"})


def _externals(codebase: Codebase, local: Mapping[str, str]) -> tuple[str, ...]:
    names = {e.name for e in codebase.externals if e.source in local and not e.stdlib}
    return tuple(sorted(names))


def apply_patch(root: Path, files: Mapping[str, str]) -> list[Path]:
    """Write the monolith patch's changed files into the analyzed tree (`--apply`); returns them."""
    from strangler.writing import apply_into_tree

    prefix = f"{PATCH_DIR}/files/"
    return apply_into_tree(
        root, {path[len(prefix) :]: text for path, text in files.items() if path.startswith(prefix)}
    )


__all__ = [
    "SkeletonOptions",
    "apply_patch",
    "build_skeletons",
    "generate_skeletons",
    "load_sources",
    "plan_skeletons",
    "service_url_env",
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
    if not waves:
        return {}
    files = generate_skeletons(
        codebase,
        decomposition,
        root,
        waves,
        options or SkeletonOptions(),
        patch_for=waves[:1],
        cache_dir=cache_dir,
        progress=progress,
    )
    if apply:
        apply_patch(root, files)
    return files

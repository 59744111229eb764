"""Service skeletons and the monolith patch as {relative path: text}, from facts and sources.

`generate_skeletons` is the public entry: it reads the analyzed tree once (`load_sources`, the only
file-system access) and hands the texts to `build_skeletons`, a pure function, so output depends
only on its inputs and is byte-identical across runs. `apply_patch` is the `--apply` edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from analyzers.config import read_config_bytes
from analyzers.errors import ConfigError
from analyzers.model import Codebase, Route
from strangler.decomposition import Decomposition
from strangler.skeleton.client import ClientSpec, client_module_text, operation_hazards
from strangler.skeleton.django_project import fix_app_configs
from strangler.skeleton.escaping import one_line
from strangler.skeleton.exclusion import CONFIG_FILES, exclusion_edit
from strangler.skeleton.frameworks import WebInputs, service_framework, web_files
from strangler.skeleton.layout import (
    ServiceLayout,
    SkeletonError,
    SkeletonOptions,
    dropped_imports,
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
from strangler.skeleton.sources import ModuleText, read_module
from strangler.skeleton.webapp import internal_api_text

SERVICES_DIR = "services"


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


def generate_skeletons(
    codebase: Codebase,
    decomposition: Decomposition,
    root: Path,
    services: Sequence[str],
    options: SkeletonOptions,
    *,
    patch_for: Sequence[str] | None = None,
) -> dict[str, str]:
    """{"services/<name>/...": text, "monolith_patch/...": text} for the given services.

    The monolith patch extracts `patch_for` (default: every one of `services`)."""
    project = {}
    for name in CONFIG_FILES:
        try:  # (a regular file under the config size limit only: a FIFO or a device is no config)
            project[name] = read_config_bytes(root / name).decode("utf-8")
        except (ConfigError, UnicodeDecodeError):
            continue
    return build_skeletons(
        codebase, decomposition, load_sources(root, codebase), services, options, wire_source(),
        patch_for=patch_for, project_files=project,
    )


def parse_texts(codebase: Codebase, sources: Mapping[str, str]) -> dict[str, ModuleText]:
    known = frozenset(sources)
    texts = {}
    for module in codebase.modules:
        if module.name not in sources:
            continue
        try:
            texts[module.name] = read_module(
                module.name, module.is_package, sources[module.name], known
            )
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # (the analysis reported it; a deeply nested expression is no reason to crash)
    return texts


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
) -> dict[str, str]:
    """The pure core of `generate_skeletons`; `project_files` holds the root's strangler.toml and
    pyproject.toml, where the patch excludes its generated package from later analyses."""
    known_services = {s.name for s in decomposition.services}
    patched = sorted(set(services if patch_for is None else patch_for))
    unknown = sorted((set(services) | set(patched)) - known_services)
    if unknown:
        raise SkeletonError(
            f"unknown service(s): {', '.join(unknown)}",
            hint=f"choose from: {', '.join(sorted(known_services))}",
        )
    texts = parse_texts(codebase, sources)
    layouts = {
        s: plan_layout(codebase, decomposition, s, texts) for s in sorted(set(services) | set(patched))
    }
    files: dict[str, str] = {}
    for service in sorted(set(services)):
        layout = layouts[service]
        # Everything the rest of the monolith calls in the service, whichever other services are
        # extracted too, so one skeleton serves every phase of the plan.
        served = monolith_calls(codebase, [layout], texts)[0].functions
        files.update(service_files(codebase, layout, texts, sources, options, wire, served))
    paths = {m.name: m.path for m in codebase.modules}
    changed = patch_files(codebase, [layouts[s] for s in patched], texts, sources, options, wire)
    original = {paths[name]: text for name, text in sources.items() if name in paths}
    generated = sorted(p[: -len("/__init__.py")] for p in changed if p.endswith("/_strangler/__init__.py"))
    if generated:
        changed.update(exclusion_edit(project_files or {}, generated[0]))
        original.update(project_files or {})
    files.update(patch_outputs(original, changed))
    return dict(sorted(files.items()))


def service_files(
    codebase: Codebase,
    layout: ServiceLayout,
    texts: Mapping[str, ModuleText],
    sources: Mapping[str, str],
    options: SkeletonOptions,
    wire: str,
    served: Sequence[tuple[str, str]],
) -> dict[str, str]:
    """Every file of `services/<service>/`."""
    out: dict[str, str] = {}
    root = f"{SERVICES_DIR}/{layout.service}"
    local = layout.local()
    paths = {m.name: m.path for m in codebase.modules}
    functions = [(r.module, r.name) for r in layout.remote]
    remote, namespaces = remote_map(functions, layout.remote_modules, layout.client_module)
    relocation = Relocation(local=local, remote=remote, remote_modules=namespaces,
                            known=frozenset(texts))
    moved_names = frozenset(m for m, _ in layout.moved)
    framework = service_framework(codebase, moved_names)
    for original, new in sorted(local.items()):
        text = texts[original]
        how = "moved" if original in moved_names else "vendored (read-only copy)"
        header = [f"strangler: {how} from {paths[original]} (module {original})"]
        drop = dropped_imports(text, moved_names) if original == layout.app_module else frozenset()
        try:
            relocated = relocate_module(
                original, text.is_package, sources[original], relocation,
                header=header, drop_bound=frozenset(drop), package=layout.package,
            )
        except (RecursionError, MemoryError):
            relocated = _unrewritten(paths[original], sources[original])
        if framework == "django":
            relocated = fix_app_configs(relocated, local)
        out[f"{root}/{_module_path(new, text.is_package)}"] = relocated
    for package in _missing_packages(local, texts, layout.package):
        out[f"{root}/{_module_path(package, True)}"] = (
            '"""Package of the skeleton (generated by strangler: no code of its own)."""\n'
        )
    model_names = frozenset(t.model for t in codebase.tables if t.model)
    spec = ClientSpec(
        module=layout.client_module,
        wire_module=f"{layout.package}.clients.wire",
        target="the monolith",
        base_url_env=options.monolith_url_env,
        timeout_seconds=options.timeout_seconds,
        prefix=options.internal_prefix,
        modules=local,
        model_names=model_names,
        session=_session(texts, local),
    )
    pkg = f"{root}/{layout.package}"
    out[f"{pkg}/clients/__init__.py"] = '"""Generated clients of what this service still needs."""\n'
    out[f"{pkg}/clients/wire.py"] = wire
    out[f"{pkg}/clients/monolith.py"] = client_module_text(
        spec, functions, layout.remote_modules, sources
    )
    out[f"{pkg}/internal_api.py"] = internal_api_text(
        owner=f"the `{layout.service}` service",
        wire_module=f"{layout.package}.clients.wire",
        prefix=options.internal_prefix,
        operations=served,
        local=local,
        hazards={op: operation_hazards(sources.get(op[0], ""), op[1], model_names)
                 for op in served},
        session=spec.session,
        framework=framework,
    )
    out.update(web_files(framework, WebInputs(codebase, layout, texts, sources, options), root))
    routes = tuple(sorted(r for r in codebase.routes if r.module in moved_names))
    labels = {label for m in moved_names for label in texts[m].blueprint_labels}
    unserved = _unserved(routes, framework, labels)
    project = ProjectSpec(
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
    )
    out[f"{root}/pyproject.toml"] = pyproject_text(project)
    out[f"{root}/Dockerfile"] = dockerfile_text(project)
    out[f"{root}/README.md"] = readme_text(project)
    out[f"{root}/tests/test_smoke.py"] = smoke_test_text(project)
    return out


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


def _missing_packages(
    local: Mapping[str, str], texts: Mapping[str, ModuleText], package: str
) -> list[str]:
    """Packages the skeleton needs (every parent of a relocated module) that no module fills."""
    present = {new for original, new in local.items() if texts[original].is_package}
    needed = {package, f"{package}.vendored"} if any(
        ".vendored." in new for new in local.values()
    ) else {package}
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
) -> dict[str, str]:
    """What `strangler plan` adds: a skeleton per wave's service, and the monolith patch of the
    first wave (the next step to take); with `apply`, that patch is also written into `root`."""
    if not waves:
        return {}
    files = generate_skeletons(
        codebase, decomposition, root, waves, options or SkeletonOptions(), patch_for=waves[:1]
    )
    if apply:
        apply_patch(root, files)
    return files

"""Every file of one service skeleton (`services/<service>/`), as {relative path: text}.

`service_files` assembles them: the moved and vendored modules with their imports rewritten
(`module_files`), the empty packages they need, the generated client of the monolith, the internal
API the monolith calls back, the web app in the service's framework, the project files
(pyproject.toml, Dockerfile, smoke test) and the README with the skeleton's stats.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analyzers.model import LANGUAGE_PREFIX, Codebase, Route
from strangler.skeleton.client import ClientSpec, client_module_text, operation_hazards
from strangler.skeleton.dependencies import DependencyFacts, Resolved, resolve
from strangler.skeleton.django_project import (
    bootstrap_modules,
    driver_modules,
    find_settings,
    fix_app_configs,
)
from strangler.skeleton.django_templates import NO_TEMPLATES, TemplateIndex
from strangler.skeleton.escaping import one_line
from strangler.skeleton.layout import ServiceLayout, SkeletonOptions, dropped_imports
from strangler.skeleton.moving import ModuleSource, Relocation, relocate_module, remote_map
from strangler.skeleton.project import (
    ProjectSpec,
    constraints_text,
    dockerfile_text,
    pyproject_text,
    readme_text,
    smoke_test_text,
)
from strangler.skeleton.requirements import Declared
from strangler.skeleton.sources import ModuleText
from strangler.skeleton.stats import STATS_FILE, StatsInputs, skeleton_stats, stats_text
from strangler.skeleton.web_framework import WebInputs, service_framework, web_files
from strangler.skeleton.webapp import InternalApi, internal_api_source

SERVICES_DIR = "services"
#: Dependency facts of a tree that declares nothing, seen from an empty environment.
NO_FACTS = DependencyFacts(Declared({}, {}, (), ()))


@dataclass(frozen=True, slots=True)
class ServiceInputs:
    """What one skeleton is made of: `served` are the functions the monolith calls in it, `facts`
    what maps its imports to distributions, `wire` the text of the wire runtime."""

    codebase: Codebase
    layout: ServiceLayout
    texts: Mapping[str, ModuleText]
    sources: Mapping[str, str]
    options: SkeletonOptions
    wire: str
    served: Sequence[tuple[str, str]]
    facts: DependencyFacts = NO_FACTS
    templates: TemplateIndex = NO_TEMPLATES

    @property
    def root(self) -> str:
        """The skeleton's directory in the outputs."""
        return f"{SERVICES_DIR}/{self.layout.service}"

    @property
    def moved_names(self) -> frozenset[str]:
        return frozenset(m for m, _ in self.layout.moved)

    @property
    def web(self) -> WebInputs:
        return WebInputs(self.codebase, self.layout, self.texts, self.sources, self.options, self.templates)


def service_files(given: ServiceInputs) -> dict[str, str]:
    """Every file of `services/<service>/`."""
    root = given.root
    framework = service_framework(given.codebase, given.moved_names)
    out = module_files(given, framework)
    modules = frozenset(out)
    spec = _client_spec(given)
    out.update(_client_files(given, spec))
    out[f"{root}/{given.layout.package}/internal_api.py"] = _internal_api(given, spec, framework)
    out.update(web_files(framework, given.web, root))
    imports = _externals(given.codebase, given.layout.local())
    if framework == "django":  # what the settings and the contrib apps installed import
        drivers = driver_modules(given.sources, given.layout.local(), given.facts.declared.requirements)
        imports = tuple(sorted({*imports, *bootstrap_modules(find_settings(given.sources)), *drivers}))
    resolved = resolve(imports, framework, given.facts)
    project = dataclasses.replace(
        _project_spec(given, framework, resolved.requirements), constraints=resolved.constraints
    )
    if project.constraints:
        out[f"{root}/constraints.txt"] = constraints_text(project)
    out[f"{root}/pyproject.toml"] = pyproject_text(project)
    out[f"{root}/Dockerfile"] = dockerfile_text(project)
    out[f"{root}/tests/test_smoke.py"] = smoke_test_text(project)
    stats = skeleton_stats(out, root, _stats_inputs(given, modules, resolved))
    out[f"{root}/README.md"] = readme_text(dataclasses.replace(project, stats=stats))
    out[f"{root}/{STATS_FILE}"] = stats_text(stats)
    return out


def _internal_api(given: ServiceInputs, spec: ClientSpec, framework: str) -> str:
    """The service's internal API: the functions the monolith calls in it."""
    layout, served = given.layout, given.served
    hazards = {
        op: operation_hazards(given.sources.get(op[0], ""), op[1], spec.model_names, given.texts.get(op[0]))
        for op in served
    }
    return internal_api_source(
        InternalApi(
            owner=f"the `{layout.service}` service",
            wire_module=f"{layout.package}.clients.wire",
            prefix=given.options.internal_prefix,
            operations=served,
            local=layout.local(),
            hazards=hazards,
            session=spec.session,
            framework=framework,
        )
    )


def _stats_inputs(given: ServiceInputs, modules: frozenset[str], resolved: Resolved) -> StatsInputs:
    """What the skeleton's stats count besides its files; `modules` are the paths of its code."""
    layout = given.layout
    moved_paths = {
        f"{given.root}/{module_path(new, given.texts[old].is_package)}" for old, new in layout.moved
    }
    return StatsInputs(
        service=layout.service,
        package=layout.package,
        moved_paths=frozenset(moved_paths),
        vendored_paths=modules - moved_paths,
        cuts=layout.cuts,
        left_out=layout.left_out,
        dependencies=resolved.requirements,
        notes=resolved.notes,
    )


def module_files(given: ServiceInputs, framework: str) -> dict[str, str]:
    """The moved and vendored modules of a skeleton, imports rewritten, by path."""
    relocation = _relocation(given)
    paths = {m.name: m.path for m in given.codebase.modules}
    out: dict[str, str] = {}
    for original, new in sorted(given.layout.local().items()):
        relocated = _relocated(given, relocation, original, paths[original])
        if framework == "django":
            relocated = fix_app_configs(relocated, given.layout.local())
        out[f"{given.root}/{module_path(new, given.texts[original].is_package)}"] = relocated
    return out


def _relocation(given: ServiceInputs) -> Relocation:
    """Where the skeleton's modules find what they import: moved, vendored or the client."""
    layout = given.layout
    functions = [(r.module, r.name) for r in layout.remote]
    remote, namespaces = remote_map(
        [*functions, *layout.stand_ins], layout.remote_modules, layout.client_module
    )
    return Relocation(
        local=layout.local(), remote=remote, remote_modules=namespaces, known=frozenset(given.texts)
    )


def _relocated(given: ServiceInputs, relocation: Relocation, original: str, path: str) -> str:
    """One module of the skeleton (from `path`), its imports rewritten, under a header saying where
    it is from."""
    layout, text = given.layout, given.texts[original]
    how = "moved" if original in given.moved_names else "vendored (read-only copy)"
    drop = dropped_imports(text, given.moved_names) if original == layout.app_module else frozenset()
    source = ModuleSource(
        name=original,
        is_package=text.is_package,
        text=given.sources[original],
        header=(f"strangler: {how} from {path} (module {original})",),
        drop_bound=frozenset(drop),
        points=text.points,
    )
    try:
        return relocate_module(source, relocation, package=layout.package)
    except (RecursionError, MemoryError):
        return _unrewritten(path, given.sources[original])


def _client_spec(given: ServiceInputs) -> ClientSpec:
    layout, options = given.layout, given.options
    local = layout.local()
    return ClientSpec(
        module=layout.client_module,
        wire_module=f"{layout.package}.clients.wire",
        target="the monolith",
        base_url_env=options.monolith_url_env,
        timeout_seconds=options.timeout_seconds,
        prefix=options.internal_prefix,
        modules=local,
        model_names=frozenset(t.model for t in given.codebase.tables if t.model),
        session=_session(given.texts, local),
    )


def _client_files(given: ServiceInputs, spec: ClientSpec) -> dict[str, str]:
    """The empty packages the skeleton's modules need, and `clients/`."""
    layout = given.layout
    out = {
        f"{given.root}/{module_path(package, True)}": (
            '"""Package of the skeleton (generated by strangler: no code of its own)."""\n'
        )
        for package in _missing_packages(layout.local(), given.texts, layout.package)
    }
    pkg = f"{given.root}/{layout.package}"
    out[f"{pkg}/clients/__init__.py"] = '"""Generated clients of what this service still needs."""\n'
    out[f"{pkg}/clients/wire.py"] = given.wire
    out[f"{pkg}/clients/monolith.py"] = client_module_text(
        spec,
        [(r.module, r.name) for r in layout.remote],
        layout.remote_modules,
        given.sources,
        texts=given.texts,
        stand_ins=layout.stand_ins,
        decorators=layout.decorators,
        cut=frozenset(c.module for c in layout.cuts),
    )
    return out


def _project_spec(given: ServiceInputs, framework: str, requirements: tuple[str, ...]) -> ProjectSpec:
    layout, options, texts = given.layout, given.options, given.texts
    moved_names = given.moved_names
    routes = tuple(sorted(r for r in given.codebase.routes if r.module in moved_names))
    labels = {label for m in moved_names for label in texts[m].blueprint_labels}
    unserved = unserved_routes(routes, framework, labels)
    local = layout.local()
    return ProjectSpec(
        service=layout.service,
        package=layout.package,
        externals=_externals(given.codebase, local),
        env_vars=tuple(sorted({v for m in local for v in texts[m].env_vars})),
        routes=tuple(r for r in routes if r not in unserved),
        unserved=unserved,
        monolith_url_env=options.monolith_url_env,
        default_port=options.default_port,
        python_requires=given.facts.declared.python or options.python_requires,
        moved=layout.moved,
        vendored=layout.vendored,
        remote=tuple(r.operation for r in layout.remote),
        served=tuple(f"{m}.{n}" for m, n in given.served),
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


def unserved_routes(routes: Sequence[Route], framework: str, labels: set[str]) -> tuple[Route, ...]:
    """Routes of the service its skeleton cannot serve: Flask routes declared on a blueprint that
    does not move with it (a shared Flask-RESTful/RESTX `Api` on a blueprint of another service);
    Django routes under a prefix computed at run time, which its urls do not carry (those of
    `i18n_patterns(...)` they carry, under the same language prefix)."""
    if framework == "django":
        return tuple(r for r in routes if r.unknown_prefix and r.unknown_prefix != LANGUAGE_PREFIX)
    if framework != "flask":
        return ()
    return tuple(r for r in routes if "." in r.name and r.name.split(".")[0] not in labels)


def _session(texts: Mapping[str, ModuleText], local: Mapping[str, str]) -> tuple[str, str] | None:
    """(module, expression) of the unit of work the skeleton's code uses, in its own names."""
    for name in sorted(texts):
        if texts[name].session and name in local:
            return local[name], texts[name].session
    return None


def module_path(name: str, is_package: bool) -> str:
    """The file of module `name`, relative to the skeleton's root."""
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

"""Which web framework a service skeleton is built in, and its web app files in that framework.

The framework is the one of the service's moved routes (the analyzers' `Route.framework`); a
service without routes takes the one its moved code imports (django, then fastapi), else Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.model import Codebase
from strangler.skeleton.django_project import (
    DjangoSettings,
    DjangoUrls,
    find_settings,
    project_files,
    settings_text,
    urls_source,
)
from strangler.skeleton.django_templates import (
    NO_TEMPLATES,
    TEMPLATES_DIR,
    TemplateIndex,
    TemplatesCopied,
    service_templates,
)
from strangler.skeleton.django_web import django_main_text, django_webapp_text
from strangler.skeleton.escaping import identifier
from strangler.skeleton.fastapi_app import fastapi_app_text, fastapi_main_text, included_routers
from strangler.skeleton.layout import ServiceLayout, SkeletonOptions
from strangler.skeleton.sources import ModuleText
from strangler.skeleton.webapp import main_text, service_app_text

FRAMEWORKS = ("flask", "fastapi", "django")


def service_framework(codebase: Codebase, moved: frozenset[str]) -> str:
    """The framework of the service's web app; never the analyzed codebase itself (a skeleton
    of Django's own code gets the plain Flask app: the framework is what is being extracted)."""
    tops = {m.name.split(".")[0] for m in codebase.modules}
    found = {r.framework for r in codebase.routes if r.module in moved} - tops
    for name in ("django", "fastapi", "flask"):
        if name in found:
            return name
    imported = {e.name for e in codebase.externals if e.source in moved} - tops
    return next((n for n in ("django", "fastapi") if n in imported), "flask")


@dataclass(frozen=True, slots=True)
class WebInputs:
    codebase: Codebase
    layout: ServiceLayout
    texts: Mapping[str, ModuleText]
    sources: Mapping[str, str]
    options: SkeletonOptions
    templates: TemplateIndex = NO_TEMPLATES


def web_files(framework: str, given: WebInputs, root: str) -> dict[str, str]:
    """`webapp.py` and `__main__.py` of the package (and the Django project), paths from `root`."""
    if framework == "fastapi":
        return _fastapi_files(given, root)
    if framework == "django":
        return _django_files(given, root)
    return _flask_files(given, root)


def _moved(layout: ServiceLayout) -> frozenset[str]:
    return frozenset(m for m, _ in layout.moved)


def _fastapi_files(given: WebInputs, root: str) -> dict[str, str]:
    layout = given.layout
    pkg = f"{root}/{layout.package}"
    local = layout.local()
    return {
        f"{pkg}/webapp.py": fastapi_app_text(
            service=layout.service,
            package=layout.package,
            inclusions=included_routers(given.texts, given.sources, _moved(layout)),
            local=local,
            orm_modules=[local[m] for m in layout.orm_modules],
        ),
        f"{pkg}/__main__.py": fastapi_main_text(layout.service, layout.package, given.options.default_port),
    }


def _django_files(given: WebInputs, root: str) -> dict[str, str]:
    layout = given.layout
    pkg = f"{root}/{layout.package}"
    settings = find_settings(given.sources)
    local = layout.local()
    code = (given.sources[m] for m in sorted(local) if m in given.sources)
    templates = service_templates(given.templates, _moved(layout), code)
    files = project_files(
        service=layout.service,
        package=layout.package,
        settings_module_text=settings_text(
            service=layout.service,
            package=layout.package,
            settings=settings,
            local=local,
            sources=given.sources,
            templates=TemplatesCopied(len(templates), given.templates.skipped, given.templates.unread_dirs),
        ),
        urls_module_text=urls_source(_django_urls(given, settings)),
    )
    out = {f"{root}/{path}": text for path, text in files.items()}
    project = f"{root}/{identifier(layout.package, 'package')}_project/{TEMPLATES_DIR}"
    out.update({f"{project}/{name}": text for name, text in templates.items()})
    out[f"{pkg}/webapp.py"] = django_webapp_text(layout.service, layout.package)
    out[f"{pkg}/__main__.py"] = django_main_text(layout.service, layout.package, given.options.default_port)
    return out


def _django_urls(given: WebInputs, settings: DjangoSettings | None) -> DjangoUrls:
    layout = given.layout
    return DjangoUrls(
        package=layout.package,
        settings=settings,
        texts=given.texts,
        sources=given.sources,
        local=layout.local(),
        moved=_moved(layout),
        prefix=given.options.internal_prefix,
    )


def _flask_files(given: WebInputs, root: str) -> dict[str, str]:
    layout = given.layout
    pkg = f"{root}/{layout.package}"
    local = layout.local()
    blueprints = [(local[m], bp) for m in sorted(_moved(layout)) for bp in given.texts[m].blueprints]
    return {
        f"{pkg}/webapp.py": service_app_text(
            service=layout.service,
            package=layout.package,
            factory_module=local.get(layout.app_module, ""),
            factory=layout.factory,
            blueprints=blueprints,
            orm_modules=[local[m] for m in layout.orm_modules],
        ),
        f"{pkg}/__main__.py": main_text(layout.service, layout.package, given.options.default_port),
    }

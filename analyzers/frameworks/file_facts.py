"""The raw framework facts of one file, `FrameworkFacts`: what the scanner (`scanning`) finds in it
and the join (`joining`) resolves across files; picklable, sent from the parsing workers and
cached with the file's other facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzers.data.models import DataFacts
from analyzers.frameworks.django_loading import LoadingFacts
from analyzers.frameworks.django_strings import DottedString
from analyzers.model import Diagnostic, picklable
from analyzers.web.app_facts import AppFacts
from analyzers.web.appbuilder import AppBuilderFacts
from analyzers.web.django_converters import ConverterRegistration
from analyzers.web.django_urls import UrlList
from analyzers.web.drf import Router, ViewSetClass


@picklable
@dataclass(frozen=True, slots=True)
class FrameworkFacts:
    """Raw, unresolved framework facts of one file (picklable; cached with the file)."""

    module: str
    path: str
    apps: AppFacts = field(default_factory=AppFacts)
    urlconf: tuple[UrlList, ...] = ()
    data: DataFacts = field(default_factory=DataFacts)
    strings: tuple[DottedString, ...] = ()
    root_urlconf: str = ""  # a settings module's ROOT_URLCONF
    routers: tuple[Router, ...] = ()  # Django REST framework routers and their registrations
    loading: LoadingFacts = field(default_factory=LoadingFacts)  # get_class / get_model / AppConfig
    viewsets: tuple[ViewSetClass, ...] = ()  # classes with DRF @action methods or lookup attributes
    converters: tuple[ConverterRegistration, ...] = ()  # Django register_converter() calls
    appbuilder: AppBuilderFacts = field(default_factory=AppBuilderFacts)  # Flask-AppBuilder views
    diagnostics: tuple[Diagnostic, ...] = ()

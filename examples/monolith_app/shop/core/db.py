"""Engine, session and declarative base shared by every capability.

All capabilities put their tables into one :class:`Base` metadata and share
one scoped session: the defining trait of this monolith, and the main thing
the service split has to untangle.  A request works in one unit of work that
is committed by :func:`shop.app.create_app`'s ``after_request`` hook.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model in the application."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SessionFactory = sessionmaker(expire_on_commit=False, autoflush=True)

#: The session every service uses; one per thread (the server is threaded).
session: scoped_session[Session] = scoped_session(SessionFactory)

_engine: Engine | None = None


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets settings that let threads and processes share it."""
    connect_args: dict[str, Any] = {}
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        connect_args = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, connect_args=connect_args)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def init_engine(url: str) -> Engine:
    """(Re)bind the shared session to a new engine."""
    global _engine
    session.remove()
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url)
    SessionFactory.configure(bind=_engine)
    return _engine


def get_engine() -> Engine:
    if _engine is None:
        raise RuntimeError("database engine not initialised; call init_engine() first")
    return _engine


def create_all(attempts: int = 5) -> None:
    """Create missing tables.

    Two server processes may start against the same fresh SQLite file; the
    loser of the race sees "table already exists" and simply retries.
    """
    for attempt in range(attempts):
        try:
            Base.metadata.create_all(get_engine())
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def commit() -> None:
    session.commit()


def rollback() -> None:
    session.rollback()


def remove() -> None:
    session.remove()

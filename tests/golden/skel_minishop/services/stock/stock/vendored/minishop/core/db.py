# strangler: vendored (read-only copy) from minishop/core/db.py (module minishop.core.db)
"""One declarative base and one scoped session shared by every capability."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker


class Base(DeclarativeBase):
    """Declarative base of every model."""


SessionFactory = sessionmaker(expire_on_commit=False)
session: scoped_session[Session] = scoped_session(SessionFactory)


def init_engine(url: str) -> None:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    SessionFactory.configure(bind=engine)


def create_all() -> None:
    bind = SessionFactory.kw["bind"]
    Base.metadata.create_all(bind)

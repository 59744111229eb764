"""``?page=&per_page=`` handling shared by every listing endpoint."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, scoped_session

from shop.core.errors import ValidationError

T = TypeVar("T")

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _positive_int(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValidationError(f"{name} must be an integer", details={"field": name}) from exc
    if value < 1:
        raise ValidationError(f"{name} must be >= 1", details={"field": name})
    return value


def page_request_from_args(args: Mapping[str, str]) -> PageRequest:
    """Read and validate paging parameters from a query string."""
    page = _positive_int(args, "page", 1)
    per_page = _positive_int(args, "per_page", DEFAULT_PER_PAGE)
    if per_page > MAX_PER_PAGE:
        raise ValidationError(f"per_page must be <= {MAX_PER_PAGE}", details={"field": "per_page"})
    return PageRequest(page=page, per_page=per_page)


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def meta(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
        }


def paginate(
    session: Session | scoped_session[Session], stmt: Select[Any], request: PageRequest
) -> Page[Any]:
    """Run ``stmt`` for one page; the statement must already be ordered."""
    count_stmt = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = int(session.scalar(count_stmt) or 0)
    items = session.scalars(stmt.limit(request.per_page).offset(request.offset)).all()
    return Page(items=items, page=request.page, per_page=request.per_page, total=total)

"""Review rules: one review per buyer and product, buyers only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select

from shop.accounts.models import User
from shop.catalog import service as catalog_service
from shop.core import clock, db
from shop.core.errors import Conflict, Forbidden, NotFound
from shop.core.pagination import Page, PageRequest, paginate
from shop.orders import service as order_service
from shop.reviews.models import Review
from shop.reviews.schemas import ReviewInput


def list_for_product(product_id: int, page: PageRequest) -> Page[Review]:
    catalog_service.get_product(product_id)
    stmt = select(Review).where(Review.product_id == product_id).order_by(Review.id)
    return paginate(db.session, stmt, page)


def summary_for_product(product_id: int) -> dict[str, Any]:
    catalog_service.get_product(product_id)
    rows = db.session.execute(
        select(Review.rating, func.count())
        .where(Review.product_id == product_id)
        .group_by(Review.rating)
        .order_by(Review.rating)
    ).all()
    histogram = {str(star): 0 for star in range(1, 6)}
    total = 0
    weighted = 0
    for rating, count in rows:
        histogram[str(rating)] = int(count)
        total += int(count)
        weighted += int(rating) * int(count)
    average = (
        str((Decimal(weighted) / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) if total else None
    )
    return {"product_id": product_id, "count": total, "average": average, "histogram": histogram}


def create_review(user: User, product_id: int, data: ReviewInput) -> Review:
    catalog_service.get_product(product_id)
    if not order_service.has_purchased(user.id, product_id):
        raise Forbidden("only customers who bought this product may review it", code="not_purchased")
    duplicate = db.session.scalars(
        select(Review).where(Review.product_id == product_id, Review.user_id == user.id)
    ).first()
    if duplicate is not None:
        raise Conflict("you already reviewed this product", code="duplicate_review")
    review = Review(
        product_id=product_id,
        user_id=user.id,
        rating=data.rating,
        title=data.title,
        body=data.body,
        created_at=clock.now(),
    )
    db.session.add(review)
    db.session.flush()
    return review


def delete_review(user: User, review_id: int) -> None:
    review = db.session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found")
    if review.user_id != user.id and not user.is_admin:
        raise Forbidden("you may only delete your own reviews")
    db.session.delete(review)
    db.session.flush()

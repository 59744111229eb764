"""Parsing and rendering for reviews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop import helpers
from shop.reviews.models import Review


@dataclass(frozen=True)
class ReviewInput:
    rating: int
    title: str
    body: str


def parse_review(payload: dict[str, Any]) -> ReviewInput:
    helpers.reject_unknown_fields(payload, {"rating", "title", "body"})
    return ReviewInput(
        rating=helpers.get_required_int(payload, "rating", minimum=1, maximum=5),
        title=helpers.get_required_str(payload, "title", max_length=120),
        body=helpers.get_str(payload, "body", required=False, max_length=4000, default="") or "",
    )


def review_to_dict(review: Review) -> dict[str, Any]:
    return {
        "id": review.id,
        "product_id": review.product_id,
        "user_id": review.user_id,
        "rating": review.rating,
        "title": review.title,
        "body": review.body,
        "excerpt": helpers.truncate(review.body, 60),
        "created_at": helpers.timestamp(review.created_at),
    }

"""Naive relevance search over product names and descriptions.

Scoring is deliberately simple and deterministic: a token found in the name
scores 3, in the SKU 2, in the description 1; ties break on product id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shop.catalog.models import Product

_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class SearchHit:
    product: Product
    score: int


def score(product: Product, terms: list[str]) -> int:
    name = set(tokenize(product.name))
    sku = set(tokenize(product.sku))
    description = set(tokenize(product.description))
    total = 0
    for term in terms:
        if term in name:
            total += 3
        if term in sku:
            total += 2
        if term in description:
            total += 1
    return total


def rank(products: Iterable[Product], query: str, limit: int = 20) -> list[SearchHit]:
    terms = tokenize(query)
    if not terms:
        return []
    hits = [SearchHit(product=p, score=score(p, terms)) for p in products]
    hits = [hit for hit in hits if hit.score > 0]
    hits.sort(key=lambda hit: (-hit.score, hit.product.id))
    return hits[:limit]

"""Input parsing and output rendering for accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop import helpers
from shop.accounts.models import Address, User
from shop.core.errors import ValidationError


@dataclass(frozen=True)
class RegistrationInput:
    email: str
    name: str


@dataclass(frozen=True)
class AddressInput:
    recipient: str
    line1: str
    city: str
    postal_code: str
    country: str


def parse_registration(payload: dict[str, Any]) -> RegistrationInput:
    helpers.reject_unknown_fields(payload, {"email", "name"})
    email = helpers.normalize_email(helpers.get_required_str(payload, "email", max_length=254))
    if not helpers.is_valid_email(email):
        raise ValidationError("email is not a valid address", details={"field": "email"})
    name = helpers.get_required_str(payload, "name", max_length=120)
    return RegistrationInput(email=email, name=name)


def parse_user_update(payload: dict[str, Any]) -> dict[str, str]:
    helpers.reject_unknown_fields(payload, {"email", "name"})
    changes: dict[str, str] = {}
    name = helpers.get_str(payload, "name", required=False, max_length=120)
    if name is not None:
        if not name:
            raise ValidationError("name must not be empty", details={"field": "name"})
        changes["name"] = name
    email = helpers.get_str(payload, "email", required=False, max_length=254)
    if email is not None:
        email = helpers.normalize_email(email)
        if not helpers.is_valid_email(email):
            raise ValidationError("email is not a valid address", details={"field": "email"})
        changes["email"] = email
    if not changes:
        raise ValidationError("nothing to update")
    return changes


def parse_address(payload: dict[str, Any]) -> AddressInput:
    helpers.reject_unknown_fields(payload, {"recipient", "line1", "city", "postal_code", "country"})
    return AddressInput(
        recipient=helpers.get_required_str(payload, "recipient", max_length=120),
        line1=helpers.get_required_str(payload, "line1"),
        city=helpers.get_required_str(payload, "city", max_length=120),
        postal_code=helpers.get_required_str(payload, "postal_code", max_length=20),
        country=helpers.normalize_country(helpers.get_required_str(payload, "country")),
    )


def user_to_dict(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "is_admin": user.is_admin,
        "created_at": helpers.timestamp(user.created_at),
    }


def address_to_dict(address: Address) -> dict[str, Any]:
    return {
        "id": address.id,
        "user_id": address.user_id,
        "recipient": address.recipient,
        "line1": address.line1,
        "city": address.city,
        "postal_code": address.postal_code,
        "country": address.country,
        "created_at": helpers.timestamp(address.created_at),
    }

"""Business rules for users and addresses."""

from __future__ import annotations

from sqlalchemy import select

from shop.accounts.models import Address, User
from shop.accounts.schemas import AddressInput, RegistrationInput
from shop.core import clock, db
from shop.core.errors import Conflict, Forbidden, NotFound
from shop.core.pagination import Page, PageRequest, paginate
from shop.notifications import service as notification_service


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def list_users(page: PageRequest) -> Page[User]:
    return paginate(db.session, select(User).order_by(User.id), page)


def register_user(data: RegistrationInput) -> User:
    if find_user_by_email(data.email) is not None:
        raise Conflict(f"email {data.email} is already registered", code="email_taken")
    user = User(email=data.email, name=data.name, is_admin=False, created_at=clock.now())
    db.session.add(user)
    db.session.flush()
    notification_service.enqueue(user.email, "welcome", {"name": user.name})
    return user


def ensure_can_access(actor: User, user_id: int) -> None:
    """Users may see and edit only themselves; admins may see everyone."""
    if actor.id != user_id and not actor.is_admin:
        raise Forbidden("you may only access your own account")


def update_user(actor: User, user_id: int, changes: dict[str, str]) -> User:
    ensure_can_access(actor, user_id)
    user = get_user(user_id)
    new_email = changes.get("email")
    if new_email and new_email != user.email:
        existing = find_user_by_email(new_email)
        if existing is not None and existing.id != user.id:
            raise Conflict(f"email {new_email} is already registered", code="email_taken")
    for field, value in changes.items():
        setattr(user, field, value)
    db.session.flush()
    return user


def list_addresses(actor: User, user_id: int) -> list[Address]:
    ensure_can_access(actor, user_id)
    get_user(user_id)
    stmt = select(Address).where(Address.user_id == user_id).order_by(Address.id)
    return list(db.session.scalars(stmt))


def add_address(actor: User, user_id: int, data: AddressInput) -> Address:
    ensure_can_access(actor, user_id)
    get_user(user_id)
    address = Address(
        user_id=user_id,
        recipient=data.recipient,
        line1=data.line1,
        city=data.city,
        postal_code=data.postal_code,
        country=data.country,
        created_at=clock.now(),
    )
    db.session.add(address)
    db.session.flush()
    return address


def get_address_for_user(user_id: int, address_id: int) -> Address:
    """Used by checkout: an address must exist and belong to the buyer."""
    address = db.session.get(Address, address_id)
    if address is None or address.user_id != user_id:
        raise NotFound(f"address {address_id} not found")
    return address


def delete_address(actor: User, address_id: int) -> None:
    address = db.session.get(Address, address_id)
    if address is None:
        raise NotFound(f"address {address_id} not found")
    ensure_can_access(actor, address.user_id)
    db.session.delete(address)
    db.session.flush()

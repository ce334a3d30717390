"""Coordinators: password hashing (Argon2id), the first coordinator, checking a login."""

from __future__ import annotations

import secrets
import sys
from typing import TextIO

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from web.roles import ADMIN
from web.settings import Settings
from web.store import audit
from web.tables import Coordinator

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password")
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(db: Session, username: str, password: str) -> Coordinator | None:
    """The active coordinator with these credentials; the same work is done for an unknown name (no timing oracle)."""
    user = db.scalars(select(Coordinator).where(Coordinator.username == username.strip())).first()
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def ensure_first_coordinator(db: Session, settings: Settings, out: TextIO = sys.stdout) -> str | None:
    """Create the first coordinator when there is none: from settings, or with a printed one-time password.

    Returns the one-time password when one was generated (it must be changed at first login).
    """
    if db.scalar(select(func.count()).select_from(Coordinator)):
        return None
    one_time = None
    password = settings.admin_password
    if not password:
        one_time = password = secrets.token_urlsafe(12)
    db.add(
        Coordinator(
            username=settings.admin_user, password_hash=hash_password(password), must_change_password=bool(one_time),
            role=ADMIN,
        )
    )
    audit(db, None, "coordinator.create", settings.admin_user, one_time=bool(one_time))
    if one_time:
        print(
            f"rota: first coordinator created. Log in as {settings.admin_user!r} with the one-time password "
            f"{one_time} (you will be asked to choose a new one).",
            file=out, flush=True,
        )
    return one_time

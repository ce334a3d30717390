"""Server-side login sessions: opened at login, looked up on every request, ended by logout or a time-out.

The browser's cookie (signed by Starlette's SessionMiddleware) holds the session's random key; the database keeps only
its SHA-256. A request whose key has no live row is anonymous, so deleting rows revokes sessions at once: logout,
"log out everywhere", a password change (the other sessions).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from web.settings import Settings
from web.tables import Coordinator, LoginSession

TOUCH_EVERY = dt.timedelta(seconds=60)
"""`last_seen_at` is written at most this often: not one write per request, and the idle time-out stays exact to it."""


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open_session(db: Session, user: Coordinator, now: dt.datetime, address: str | None) -> str:
    """A new session for the user; returns its key (for the cookie only, never stored)."""
    key = secrets.token_urlsafe(32)
    db.add(LoginSession(id=_digest(key), user_id=user.id, created_at=now, last_seen_at=now, address=address))
    return key


def _expired(row: LoginSession, now: dt.datetime, settings: Settings) -> bool:
    return (
        now - row.created_at >= dt.timedelta(seconds=settings.session_max_age)
        or now - row.last_seen_at >= dt.timedelta(seconds=settings.session_idle_timeout)
    )


def session_user(db: Session, key: str, now: dt.datetime, settings: Settings) -> Coordinator | None:
    """The user of the live session with this key, or None (an expired session is deleted). Commits its writes."""
    row = db.get(LoginSession, _digest(key))
    if row is None:
        return None
    if _expired(row, now, settings):
        db.delete(row)
        db.commit()
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.commit()
    return db.get(Coordinator, row.user_id)


def session_row(db: Session, key: str) -> LoginSession | None:
    """The session's row (already loaded by `session_user` in the same request: no second query)."""
    return db.get(LoginSession, _digest(key))


def end_session(db: Session, key: str) -> None:
    db.execute(delete(LoginSession).where(LoginSession.id == _digest(key)))


def end_sessions(db: Session, user_id: int, keep: str | None = None) -> int:
    """End every session of the user, but the one with key `keep`; returns how many ended."""
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep is not None:
        query = query.where(LoginSession.id != _digest(keep))
    result = db.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


def live_sessions(db: Session, user_id: int) -> int:
    return len(db.scalars(select(LoginSession.id).where(LoginSession.user_id == user_id)).all())


def prune(db: Session, now: dt.datetime, settings: Settings) -> None:
    """Delete every expired session (at each login: the table stays as small as the sessions in use)."""
    db.execute(
        delete(LoginSession).where(
            or_(
                LoginSession.created_at <= now - dt.timedelta(seconds=settings.session_max_age),
                LoginSession.last_seen_at <= now - dt.timedelta(seconds=settings.session_idle_timeout),
            )
        )
    )

"""Accounts without FastAPI: create, change role, deactivate, end sessions, reset a password, invitations.

Every change is written to the audit log in the same transaction. Two rules keep the app manageable: there is always
at least one active admin, and an admin never demotes or deactivates themselves (another admin can).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from scheduler import Label
from web import roles
from web.auth import MIN_PASSWORD_LENGTH, hash_password
from web.communities import service as communities
from web.i18n import Translator
from web.logins import sessions as login_sessions
from web.store import audit
from web.tables import Coordinator, Invitation, LoginSession
from web.validation import field_message

INVITATION_DAYS = 7
"""An invitation link works this long after it was made (and once)."""
_LABEL: TypeAdapter[str] = TypeAdapter(Label)


class AccountError(Exception):
    """A refused change: `key` names the message (web.accounts.messages), `field` the form field it concerns."""

    def __init__(self, key: str, field: str | None = None, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.values = values

    def text(self, t: Translator) -> str:
        return t(self.key, **self.values)


@dataclass(frozen=True)
class AccountRow:
    user: Coordinator
    sessions: int


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def username_problem(name: str, t: Translator) -> str | None:
    """Why `name` cannot be a user name (as a person's name: 1 to 64 characters, no control or bidi characters)."""
    try:
        _LABEL.validate_python(name)
    except ValidationError as error:
        return field_message(error.errors()[0], t) or t("form.required")
    return None if name else t("form.required")


def password_problem(password: str, repeat: str | None, t: Translator) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return t("password.too_short", n=MIN_PASSWORD_LENGTH)
    if repeat is not None and password != repeat:
        return t("password.mismatch")
    return None


def by_name(db: Session, username: str) -> Coordinator | None:
    return db.scalars(select(Coordinator).where(Coordinator.username == username)).first()


def _check_role(role: str) -> None:
    if role not in roles.ROLES:
        raise AccountError("accounts.unknown_role", "role", role=role)


def create_account(
    db: Session, actor: str | None, username: str, password: str, role: str, *, must_change: bool = False,
    t: Translator, community_id: int | None = None,
) -> Coordinator:
    """A new active account; refuses a bad or taken name, a short password, an unknown role. A coordinator or viewer
    joins `community_id` (without one: the deployment's only community, if it has exactly one; web.communities)."""
    username = username.strip()
    _check_role(role)
    problem = username_problem(username, t)
    if problem:
        raise AccountError("accounts.bad_name", "username", problem=problem)
    if by_name(db, username) is not None:
        raise AccountError("accounts.name_taken", "username", name=username)
    problem = password_problem(password, None, t)
    if problem:
        raise AccountError("accounts.bad_password", "password", problem=problem)
    user = Coordinator(
        username=username, password_hash=hash_password(password), must_change_password=must_change, role=role,
        active=True,
    )
    db.add(user)
    db.flush()
    audit(db, actor, "account.create", username, role=role)
    communities.join_new_account(db, actor, user, community_id)
    return user


def accounts(db: Session) -> list[AccountRow]:
    """Every account by name, with its number of sessions (one query for the counts)."""
    query = select(LoginSession.user_id, func.count()).group_by(LoginSession.user_id)
    counts = {int(user_id): int(n) for user_id, n in db.execute(query)}
    users = db.scalars(select(Coordinator).order_by(Coordinator.username)).all()
    return [AccountRow(user, counts.get(user.id, 0)) for user in users]


def _active_admins(db: Session) -> int:
    query = select(func.count()).select_from(Coordinator).where(
        Coordinator.role == roles.ADMIN, Coordinator.active.is_(True)
    )
    return int(db.scalar(query) or 0)


def _keeps_an_admin(db: Session, actor: Coordinator, target: Coordinator) -> None:
    """Refuse taking an active admin away when it is the last, or when the admin is the actor."""
    if target.id == actor.id:
        raise AccountError("accounts.not_yourself")
    if target.role == roles.ADMIN and target.active and _active_admins(db) <= 1:
        raise AccountError("accounts.last_admin")


def change_role(db: Session, actor: Coordinator, target: Coordinator, role: str) -> None:
    _check_role(role)
    if role == target.role:
        return
    if target.role == roles.ADMIN:
        _keeps_an_admin(db, actor, target)
    audit(db, actor.username, "account.role", target.username, before=target.role, after=role)
    target.role = role


def set_active(db: Session, actor: Coordinator, target: Coordinator, active: bool) -> None:
    """Deactivate (ending every session: the account is logged out at once) or reactivate an account."""
    if active == target.active:
        return
    if not active:
        _keeps_an_admin(db, actor, target)
        ended = login_sessions.end_sessions(db, target.id)
        audit(db, actor.username, "account.deactivate", target.username, sessions_ended=ended)
    else:
        audit(db, actor.username, "account.reactivate", target.username)
    target.active = active


def end_sessions(db: Session, actor: Coordinator, target: Coordinator, keep: str | None = None) -> int:
    """End the target's sessions (an admin ending their own keeps the current one)."""
    ended = login_sessions.end_sessions(db, target.id, keep=keep if target.id == actor.id else None)
    audit(db, actor.username, "account.sessions_end", target.username, sessions_ended=ended)
    return ended


def live_sessions(db: Session, user: Coordinator) -> int:
    return login_sessions.live_sessions(db, user.id)


def reset_password(db: Session, actor: str | None, target: Coordinator) -> str:
    """A new one-time password (to be changed at the next login); every session of the account ends."""
    one_time = secrets.token_urlsafe(12)
    target.password_hash = hash_password(one_time)
    target.must_change_password = True
    ended = login_sessions.end_sessions(db, target.id)
    audit(db, actor, "account.reset_password", target.username, sessions_ended=ended)
    return one_time


# ------------------------------------------------------------------------------------------------- invitations


def create_invitation(
    db: Session, actor: str, role: str, now: dt.datetime, days: int = INVITATION_DAYS, community_id: int | None = None
) -> tuple[Invitation, str]:
    """A new invitation and its token (shown once, in the link; only its SHA-256 is stored). The new account joins
    `community_id`, the inviter's current community."""
    _check_role(role)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=digest(token), role=role, created_by=actor, created_at=now,
        expires_at=now + dt.timedelta(days=days), community_id=community_id,
    )
    db.add(invitation)
    db.flush()
    audit(db, actor, "invitation.create", None, invitation=invitation.id, role=role, community=community_id)
    return invitation, token


def open_invitations(db: Session, now: dt.datetime) -> list[Invitation]:
    """Invitations that can still be used, newest first."""
    query = select(Invitation).where(
        Invitation.used_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > now
    )
    return list(db.scalars(query.order_by(Invitation.created_at.desc(), Invitation.id.desc())).all())


def usable_invitation(db: Session, token: str, now: dt.datetime) -> Invitation:
    """The invitation of this token if it can still be used; AccountError says why not (unknown, used, ...)."""
    if not token or len(token) > 200:
        raise AccountError("accounts.invite_unknown")
    invitation = db.scalars(select(Invitation).where(Invitation.token_hash == digest(token))).first()
    if invitation is None:
        raise AccountError("accounts.invite_unknown")
    if invitation.used_at is not None:
        raise AccountError("accounts.invite_used")
    if invitation.revoked_at is not None:
        raise AccountError("accounts.invite_revoked")
    if invitation.expires_at <= now:
        raise AccountError("accounts.invite_expired")
    return invitation


def accept_invitation(
    db: Session, token: str, username: str, password: str, repeat: str, now: dt.datetime, t: Translator
) -> Coordinator:
    """Use the invitation: a new account with its role; the invitation cannot be used again."""
    invitation = usable_invitation(db, token, now)
    problem = password_problem(password, repeat, t)
    if problem:
        raise AccountError("accounts.bad_password", "password" if len(password) < MIN_PASSWORD_LENGTH else "repeat",
                           problem=problem)
    user = create_account(
        db, f"invitation:{invitation.id}", username, password, invitation.role, t=t,
        community_id=invitation.community_id,
    )
    # conditional on still being unused: of two uses at once, one wins and the other is refused
    used = db.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=now, used_by=user.username)
    )
    if getattr(used, "rowcount", 0) != 1:
        raise AccountError("accounts.invite_used")
    audit(db, user.username, "invitation.use", user.username, invitation=invitation.id, role=invitation.role)
    return user


def revoke_invitation(db: Session, actor: str, invitation: Invitation, now: dt.datetime) -> None:
    if invitation.used_at is None and invitation.revoked_at is None:
        invitation.revoked_at = now
        audit(db, actor, "invitation.revoke", None, invitation=invitation.id)

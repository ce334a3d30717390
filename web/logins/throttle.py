"""Login throttling: after `login_max_failures` failed logins in `login_failure_window` for one account name, or from
one address, every login for it is refused (429), the right password included, until the window has passed.

Refused attempts are not counted as failures: the refusal ends when the window passes, whatever is tried meanwhile.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from web.settings import Settings
from web.tables import LoginFailure


def account_key(username: str) -> str:
    """The name failures are counted under (case and surrounding spaces do not make another account)."""
    return username.strip().lower()[:64]


def _window(settings: Settings) -> dt.timedelta:
    return dt.timedelta(seconds=settings.login_failure_window)


def blocked_for(db: Session, username: str, address: str, now: dt.datetime, settings: Settings) -> int:
    """Seconds until a login for this name from this address may be tried again; 0 when it may now."""
    since = now - _window(settings)
    waits = []
    for column, value in ((LoginFailure.username, account_key(username)), (LoginFailure.address, address)):
        if not value:
            continue  # no name given (nor the forgotten failures, kept under none): the address still counts
        times = db.scalars(
            select(LoginFailure.at).where(column == value, LoginFailure.at > since).order_by(LoginFailure.at.desc())
        ).all()
        if len(times) >= settings.login_max_failures:
            # the refusal lasts until so few failures are left in the window that one more would be allowed
            oldest_that_counts = times[settings.login_max_failures - 1]
            waits.append((oldest_that_counts + _window(settings) - now).total_seconds())
    return max(1, math.ceil(max(waits))) if waits else 0


def record_failure(db: Session, username: str, address: str, now: dt.datetime, settings: Settings) -> None:
    """Count a failed login; forget failures older than the window (the table stays small)."""
    db.execute(delete(LoginFailure).where(LoginFailure.at <= now - _window(settings)))
    db.add(LoginFailure(at=now, username=account_key(username), address=address[:64]))


def forget_account(db: Session, username: str) -> None:
    """After a successful login: the account's earlier failures no longer count for it. They still count for their
    addresses, so they are kept, under no account name."""
    db.execute(update(LoginFailure).where(LoginFailure.username == account_key(username)).values(username=""))

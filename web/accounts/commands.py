"""`rota admin create-user` and `rota admin reset-password`: accounts from the server's command line.

They open the database as the app does (web.settings.Settings: ROTA_DATA_DIR, DATABASE_URL) and bring its schema up
to date first, so they work before the app has ever started. Bad input exits with status 2 and a plain message.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from web import roles
from web.accounts import service
from web.accounts.service import AccountError
from web.db import make_engine, make_sessions, upgrade
from web.i18n import LANGUAGES, Translator
from web.settings import Settings
from web.store import transaction
from web.tables import Community


class Refused(Exception):
    """Bad input: the command prints the message and exits with status 2."""


def translator(lang: str) -> Translator:
    if lang not in LANGUAGES:
        raise Refused(f"--lang must be zh or en, not {lang!r}")
    return Translator("zh" if lang == "zh" else "en")


@contextmanager
def _database(settings: Settings | None = None) -> Iterator[Session]:
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    try:
        upgrade(engine)
        with make_sessions(engine)() as db:
            yield db
    finally:
        engine.dispose()


def create_user(
    name: str, role: str, password: str | None, t: Translator, out: TextIO | None = None,
    settings: Settings | None = None, community: str | None = None,
) -> None:
    """Create an account; with no password given, a one-time password is generated, printed once, and must be
    changed at the first login. A coordinator or viewer joins `community` (a name), else the only community if
    there is exactly one (web.communities)."""
    if role not in roles.ROLES:
        raise Refused(t("accounts.unknown_role", role=role) + f" ({', '.join(roles.ROLES)})")
    one_time = password is None
    chosen = secrets.token_urlsafe(12) if password is None else password
    with _database(settings) as db:
        community_id = None
        if community is not None:
            community_id = db.scalar(select(Community.id).where(Community.name == community.strip()))
            if community_id is None:
                raise Refused(t("communities.cli.unknown", name=community))
        try:
            with transaction(db):
                user = service.create_account(
                    db, "rota admin", name, chosen, role, must_change=one_time, t=t, community_id=community_id
                )
        except AccountError as error:
            raise Refused(error.text(t)) from error
        print(t("accounts.cli.created", name=user.username, role=t("accounts.role." + role)), file=out or sys.stdout)
        if one_time:
            print(t("accounts.cli.one_time", name=user.username, password=chosen), file=out or sys.stdout)


def reset_password(name: str, t: Translator, out: TextIO | None = None, settings: Settings | None = None) -> None:
    """A new one-time password for the account, printed once; all its sessions end."""
    with _database(settings) as db:
        with transaction(db):
            user = service.by_name(db, name.strip())
            if user is None:
                raise Refused(t("accounts.cli.unknown_user", name=name))
            sessions = service.live_sessions(db, user)
            one_time = service.reset_password(db, "rota admin", user)
        print(t("accounts.cli.reset", name=user.username, n=sessions), file=out or sys.stdout)
        print(t("accounts.cli.one_time", name=user.username, password=one_time), file=out or sys.stdout)

"""Login sessions and throttling on each database (SQLite, and PostgreSQL when one is available: conftest_db): time
comparisons in SQL, deletes by user, the failure window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest_db import database_url, postgres_url  # noqa: F401  (fixtures)
from web.db import make_engine, make_sessions, upgrade
from web.logins import sessions as login_sessions
from web.logins import throttle
from web.settings import Settings
from web.tables import Coordinator, LoginSession

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
SETTINGS = Settings(session_idle_timeout=3600, session_max_age=24 * 3600, login_max_failures=3)


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:  # noqa: F811
    engine = make_engine(database_url)
    upgrade(engine)
    yield make_sessions(engine)
    engine.dispose()


def _user(db: Session, name: str) -> Coordinator:
    user = Coordinator(username=name, password_hash="$argon2id$x")
    db.add(user)
    db.flush()
    return user


def test_sessions_expire_and_end_by_user(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        ann, ben = _user(db, "ann"), _user(db, "ben")
        first = login_sessions.open_session(db, ann, T0, "192.0.2.1")
        second = login_sessions.open_session(db, ann, T0, None)
        bens = login_sessions.open_session(db, ben, T0, None)
    with sessions() as db:
        assert login_sessions.session_user(db, first, T0 + dt.timedelta(minutes=59), SETTINGS) is not None
        assert login_sessions.session_user(db, "forged", T0, SETTINGS) is None
        assert login_sessions.session_user(db, second, T0 + dt.timedelta(minutes=61), SETTINGS) is None  # idle
        assert login_sessions.live_sessions(db, ann.id) == 1
    with sessions.begin() as db:
        assert login_sessions.end_sessions(db, ann.id, keep=first) == 0
        login_sessions.prune(db, T0 + dt.timedelta(hours=1, minutes=30), SETTINGS)  # ben's is idle, ann's was used
    with sessions() as db:
        assert [row.user_id for row in db.scalars(select(LoginSession))] == [ann.id]
        assert login_sessions.session_user(db, bens, T0, SETTINGS) is None
        assert login_sessions.session_user(db, first, T0 + dt.timedelta(hours=24), SETTINGS) is None  # absolute


def test_failures_are_counted_in_the_window(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        for minute in range(3):
            throttle.record_failure(db, " Ann", "192.0.2.1", T0 + dt.timedelta(minutes=minute), SETTINGS)
    with sessions() as db:
        now = T0 + dt.timedelta(minutes=5)
        assert throttle.blocked_for(db, "ann", "198.51.100.1", now, SETTINGS) == 10 * 60
        assert throttle.blocked_for(db, "ben", "192.0.2.1", now, SETTINGS) == 10 * 60
        assert throttle.blocked_for(db, "ben", "198.51.100.1", now, SETTINGS) == 0
        assert throttle.blocked_for(db, "ann", "198.51.100.1", T0 + dt.timedelta(minutes=15), SETTINGS) == 0
    with sessions.begin() as db:
        throttle.forget_account(db, "ANN")
    with sessions() as db:
        assert throttle.blocked_for(db, "ann", "198.51.100.1", T0, SETTINGS) == 0
        assert throttle.blocked_for(db, "ben", "192.0.2.1", T0 + dt.timedelta(minutes=5), SETTINGS) == 10 * 60

"""Workers racing for the outbox on each supported database (SQLite, and PostgreSQL when
ROTA_TEST_POSTGRES_URL is set): claims in two threads at once never share a message, and dedupe holds."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from scheduler.domain.scenario import Scenario
from tests.web.conftest import tiny_community
from tests.web.conftest_db import database_url  # noqa: F401  (fixture)
from web.db import make_engine, make_sessions, upgrade
from web.outbox import service
from web.store import import_scenario
from web.tables import OutboxMessage

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
MESSAGES = 60


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:  # noqa: F811
    engine: Engine = make_engine(database_url)
    upgrade(engine)
    yield make_sessions(engine)
    engine.dispose()


def _community(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as db:
        community = import_scenario(db, Scenario.model_validate(tiny_community()))
        db.flush()
        return community.id


def test_two_workers_claiming_at_once_never_share_a_message(sessions: sessionmaker[Session]) -> None:
    community_id = _community(sessions)
    with sessions.begin() as db:
        for n in range(MESSAGES):
            service.enqueue(db, community_id, channel="email", address=f"p{n}@example.org", subject="s", body="b",
                            kind="test", dedupe_key=f"race:{n}", now=NOW)
    won: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            start.wait()
            while True:
                with sessions.begin() as db:
                    claimed = service.claim_due(db, NOW, limit=7)
                if not claimed:
                    return
                won[name].extend(claimed)
        except BaseException as error:  # reported by the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in won]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert set(won["a"]).isdisjoint(won["b"])
    assert sorted(won["a"] + won["b"]) == sorted(set(won["a"] + won["b"]))
    assert len(won["a"]) + len(won["b"]) == MESSAGES
    with sessions() as db:
        rows = db.scalars(select(OutboxMessage)).all()
        assert {(m.status, m.attempts) for m in rows} == {("sending", 1)}


def test_the_same_key_is_stored_once_even_from_two_transactions(sessions: sessionmaker[Session]) -> None:
    """A second enqueue finds the first; one that checked before the first committed is refused by the unique key."""
    community_id = _community(sessions)

    def enqueue(db: Session) -> OutboxMessage:
        return service.enqueue(db, community_id, channel="email", address="a@example.org", subject="s", body="b",
                               kind="test", dedupe_key="same", now=NOW)

    with sessions.begin() as db:
        first_id = enqueue(db).id
    with sessions.begin() as db:
        assert enqueue(db).id == first_id
    with sessions() as db, pytest.raises(IntegrityError):  # what a transaction that checked too early would write
        db.add(OutboxMessage(community_id=community_id, channel="email", address="a@example.org", subject="s",
                             body="b", kind="test", dedupe_key="same", status="pending", attempts=0,
                             next_attempt_at=NOW, created_at=NOW))
        db.flush()
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1

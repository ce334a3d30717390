"""The outbox's service on a real database: stored first, deduplicated, claimed atomically, retried with a growing
back-off on a frozen clock, recovered after a crash and delivered once, quiet hours and stopped people."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import app_context
from web.outbox import service
from web.outbox.service import BACKOFF, MAX_ATTEMPTS, Outgoing, SendError
from web.store import first_community, person_row
from web.tables import OutboxMessage, OutboxStatus

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
SHANGHAI = ZoneInfo("Asia/Shanghai")
PUBLIC = "http://testserver"


class Recording:
    """A channel that keeps what it was given, failing the first `failures` sends."""

    def __init__(self, failures: int = 0) -> None:
        self.sent: list[Outgoing] = []
        self.failures = failures

    def send(self, message: Outgoing) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise SendError("the server said no")
        self.sent.append(message)


class Crash(BaseException):
    """The process dies: not an exception a worker catches."""


class Crashing:
    def send(self, message: Outgoing) -> None:
        raise Crash()


def _sessions(app: FastAPI) -> sessionmaker[Session]:
    return app_context(app).sessions


def _enqueue_to(app: FastAPI, key: str = "alice", dedupe: str = "k1", **person: object) -> int:
    with _sessions(app).begin() as db:
        community = first_community(db)
        assert community is not None
        row = person_row(db, community, key)
        assert row is not None
        row.email = f"{key}@example.org"
        for name, value in person.items():
            setattr(row, name, value)
        message = service.enqueue_to_person(db, row, subject="排班", body="正文", kind="publication",
                                            dedupe_key=dedupe, now=NOW)
        assert message is not None
        return message.id


def _message(app: FastAPI, message_id: int) -> OutboxMessage:
    with _sessions(app)() as db:
        message = db.get(OutboxMessage, message_id)
        assert message is not None
        db.expunge(message)
        return message


def _deliver(app: FastAPI, channel: object, now: dt.datetime) -> service.Report:
    return service.run_pass(_sessions(app), {"email": channel, "wecom": channel}, now,  # type: ignore[dict-item]
                            public_url=PUBLIC)


def test_enqueue_stores_once_per_key_and_sends_nothing(app: FastAPI) -> None:
    first = _enqueue_to(app)
    assert _enqueue_to(app) == first
    with _sessions(app)() as db:
        rows = db.scalars(select(OutboxMessage)).all()
        assert [(m.status, m.attempts, m.channel, m.address) for m in rows] == [
            ("pending", 0, "email", "alice@example.org")]


def test_a_person_without_an_address_or_who_stopped_gets_nothing_enqueued(app: FastAPI) -> None:
    with _sessions(app).begin() as db:
        community = first_community(db)
        assert community is not None
        bob = person_row(db, community, "bob")
        assert bob is not None
        assert service.enqueue_to_person(db, bob, subject="s", body="b", kind="x", dedupe_key="a", now=NOW) is None
        bob.email, bob.channel = "bob@example.org", "none"
        assert service.enqueue_to_person(db, bob, subject="s", body="b", kind="x", dedupe_key="b", now=NOW) is None
        assert service.enqueue_to_group(db, community, subject="s", body="b", kind="x", dedupe_key="c", now=NOW) is None


def test_two_claims_one_winner(app: FastAPI) -> None:
    ids = [_enqueue_to(app, dedupe=f"k{n}") for n in range(3)]
    sessions = _sessions(app)
    first, second = sessions(), sessions()
    try:
        won_first = service.claim_due(first, NOW)
        first.commit()
        won_second = service.claim_due(second, NOW)
        second.commit()
    finally:
        first.close()
        second.close()
    assert sorted(won_first) == ids and won_second == []
    assert {_message(app, i).status for i in ids} == {"sending"}


def test_claims_racing_on_the_same_rows_never_share_one(app: FastAPI) -> None:
    """Both workers read the same candidates before either updates: the conditional UPDATE lets one through."""
    message_id = _enqueue_to(app)
    sessions = _sessions(app)
    first, second = sessions(), sessions()
    try:
        seen = [first.scalars(select(OutboxMessage.id)).all(), second.scalars(select(OutboxMessage.id)).all()]
        assert seen == [[message_id], [message_id]]
        first.rollback()
        second.rollback()
        won = service.claim_due(first, NOW)
        first.commit()
        lost = service.claim_due(second, NOW)
        second.commit()
    finally:
        first.close()
        second.close()
    assert (won, lost) == ([message_id], [])


def test_failures_are_retried_with_a_growing_back_off_then_fail_with_the_error(app: FastAPI) -> None:
    message_id = _enqueue_to(app)
    channel = Recording(failures=100)
    now = NOW
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = _deliver(app, channel, now)
        message = _message(app, message_id)
        assert message.attempts == attempt
        assert message.last_error == "SendError: the server said no"
        if attempt < MAX_ATTEMPTS:
            assert (report.retrying, message.status) == (1, "pending")
            waits.append(message.next_attempt_at - now)
            assert _deliver(app, channel, message.next_attempt_at - dt.timedelta(seconds=1)).retrying == 0  # not yet
            now = message.next_attempt_at
        else:
            assert (report.failed, message.status) == (1, "failed")
    assert waits == list(BACKOFF)
    assert _deliver(app, channel, now + dt.timedelta(days=1)) == service.Report()  # failed stays failed


def test_a_failure_then_success(app: FastAPI) -> None:
    message_id = _enqueue_to(app)
    channel = Recording(failures=1)
    assert _deliver(app, channel, NOW).retrying == 1
    assert _deliver(app, channel, NOW + BACKOFF[0]).sent == 1
    message = _message(app, message_id)
    assert (message.status, message.attempts, message.sent_at, message.last_error) == (
        "sent", 2, NOW + BACKOFF[0], None)
    assert [m.address for m in channel.sent] == ["alice@example.org"]
    assert channel.sent[0].stop_url is not None and channel.sent[0].stop_url.startswith(f"{PUBLIC}/p/")
    assert channel.sent[0].footer is not None and channel.sent[0].stop_url in channel.sent[0].footer


def test_a_crash_mid_send_is_recovered_and_delivered_once(app: FastAPI) -> None:
    message_id = _enqueue_to(app)
    with pytest.raises(Crash):
        _deliver(app, Crashing(), NOW)
    assert _message(app, message_id).status == "sending"  # claimed, then the process died
    # the "restarted" worker: not yet stale (another worker may still be sending it), then stale and sent
    channel = Recording()
    assert _deliver(app, channel, NOW + dt.timedelta(seconds=30)) == service.Report()
    later = NOW + service.STALE + dt.timedelta(seconds=1)
    assert _deliver(app, channel, later) == service.Report(recovered=1, sent=1)
    assert _deliver(app, channel, later + dt.timedelta(hours=1)) == service.Report()
    assert len(channel.sent) == 1
    assert _message(app, message_id).status == "sent"


def test_quiet_hours_hold_a_message_until_they_end(app: FastAPI) -> None:
    # 10:00 local is inside 09:00-11:00 quiet hours
    message_id = _enqueue_to(app, quiet_start=dt.time(9), quiet_end=dt.time(11))
    channel = Recording()
    assert _deliver(app, channel, NOW) == service.Report()
    held = _message(app, message_id)
    assert (held.status, held.attempts) == ("pending", 0)
    assert held.next_attempt_at == dt.datetime(2026, 12, 7, 11, tzinfo=SHANGHAI)
    assert _deliver(app, channel, held.next_attempt_at).sent == 1


@pytest.mark.parametrize(("local", "until"), [
    (dt.datetime(2026, 12, 7, 23, 30), dt.datetime(2026, 12, 8, 7, 0)),
    (dt.datetime(2026, 12, 7, 6, 59), dt.datetime(2026, 12, 7, 7, 0)),
    (dt.datetime(2026, 12, 7, 7, 0), None),
    (dt.datetime(2026, 12, 7, 21, 59), None),
    (dt.datetime(2026, 12, 7, 22, 0), dt.datetime(2026, 12, 8, 7, 0)),
])
def test_quiet_hours_across_midnight(local: dt.datetime, until: dt.datetime | None) -> None:
    moment = local.replace(tzinfo=SHANGHAI)
    found = service.quiet_until(moment, SHANGHAI, dt.time(22), dt.time(7))
    assert found == (until.replace(tzinfo=SHANGHAI) if until else None)
    assert service.quiet_until(moment, SHANGHAI, None, None) is None
    assert service.quiet_until(moment, SHANGHAI, dt.time(8), dt.time(8)) is None


def test_a_person_who_stopped_messages_gets_none_of_those_waiting(app: FastAPI) -> None:
    message_id = _enqueue_to(app)
    with _sessions(app).begin() as db:
        community = first_community(db)
        assert community is not None
        row = person_row(db, community, "alice")
        assert row is not None
        row.channel = "none"
    channel = Recording()
    assert _deliver(app, channel, NOW) == service.Report()
    assert _message(app, message_id).status == "cancelled" and channel.sent == []


def test_retry_and_cancel(app: FastAPI) -> None:
    message_id = _enqueue_to(app)
    with _sessions(app).begin() as db:
        message = db.get(OutboxMessage, message_id)
        assert message is not None
        assert not service.retry(db, message, NOW)  # pending: nothing to retry
        assert service.cancel(message)
        assert not service.cancel(message)
        assert service.retry(db, message, NOW)
        assert (message.status, message.attempts) == (OutboxStatus.PENDING.value, 0)


def test_a_wecom_message_without_a_webhook_fails_with_a_clear_error(app: FastAPI) -> None:
    with _sessions(app).begin() as db:
        community = first_community(db)
        assert community is not None
        message = service.enqueue(db, community.id, channel="wecom", address=service.GROUP, subject="s", body="b",
                                  kind="test", dedupe_key="w", now=NOW)
        message_id = message.id
    assert _deliver(app, Recording(), NOW).retrying == 1
    assert _message(app, message_id).last_error == "SendError: no WeCom webhook is set"

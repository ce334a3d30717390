"""What people are sent: on publication only those whose shifts changed, saying what changed; reminders the
evening before and before a shift, never once it began (a frozen clock); the group's day text; swap offers to the
people who may take them; a sign-up round and its deadline. Through the real SMTP server at the end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.conftest import login
from tests.web.feeds_support import WEEK, ZONE, make_app, publish, session, week_one, week_two
from tests.web.outbox.conftest import SmtpServer
from tests.web.outbox.test_service import Recording
from web.changes import swaps
from web.outbox import notices
from web.outbox import service as outbox
from web.outbox.channels import EmailChannel, SmtpSettings
from web.rota.adjust import AssignmentRef
from web.settings import Settings
from web.signup import service as signup
from web.store import first_community, person_row, transaction
from web.tables import Community, OutboxMessage, OutboxStatus, PersonRow

WEDNESDAY = WEEK + dt.timedelta(days=2)
PUBLIC = "http://testserver"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    app = make_app(tmp_path)
    with session(app) as db, transaction(db):
        for key in ("alice", "bob", "carol"):
            row = _person(db, key)
            row.email = f"{key}@example.org"
    return app


def _community(db: Session) -> Community:
    community = first_community(db)
    assert community is not None
    return community


def _person(db: Session, key: str) -> PersonRow:
    row = person_row(db, _community(db), key)
    assert row is not None
    return row


def _messages(app: FastAPI, kind: str | None = None) -> list[tuple[str, OutboxMessage]]:
    """(person key or 'group', message) of every stored message of the kind, in order."""
    with session(app) as db:
        keys = {p.id: p.key for p in db.scalars(select(PersonRow))}
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return [(keys.get(m.person_id or 0, "group"), m) for m in db.scalars(query)]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), ZONE)


def test_a_publication_tells_only_the_people_whose_shifts_changed_what_changed(app: FastAPI) -> None:
    publish(app, week_one())
    first = _messages(app, "publication")
    assert sorted(key for key, _ in first) == ["alice", "bob", "carol"]  # the first version: everyone on it
    alice = next(m for key, m in first if key == "alice")
    assert alice.subject == f"{WEEK.month}月{WEEK.day}日 周一起一周排班：你的班次有变化"
    assert "（第 1 版）" in alice.body and "新增：" not in alice.body  # the first version: the week's list
    assert f"{WEEK.month}月{WEEK.day}日 周一 大门 白班 08:00–16:00，志愿者；午饭 11:00–11:45" in alice.body
    assert "张伟" not in alice.body and "alice" not in alice.body  # her own shifts: no ids, no need for her name
    assert "你本周的班次：" in alice.body
    publish(app, week_two())  # alice's Wednesday goes to carol
    seen = {m.id for _, m in first}
    second = [(key, m) for key, m in _messages(app, "publication") if m.id not in seen]
    assert sorted(key for key, _ in second) == ["alice", "carol"]  # bob's shifts did not change: not told
    by_key = dict(second)
    wednesday = f"{WEDNESDAY.month}月{WEDNESDAY.day}日 周三"
    assert f"取消：{wednesday} 大门" in by_key["alice"].body and "（第 2 版）" in by_key["alice"].body
    assert f"新增：{wednesday} 大门" in by_key["carol"].body


def test_a_person_without_an_address_or_who_stopped_messages_gets_none(app: FastAPI) -> None:
    with session(app) as db, transaction(db):
        _person(db, "alice").email = None
        _person(db, "bob").channel = outbox.NONE
    publish(app, week_one())
    assert sorted({key for key, _ in _messages(app)}) == ["carol"]


def test_reminders_the_evening_before_and_an_hour_before_each_shift(app: FastAPI) -> None:
    publish(app, week_one())
    alice = [m for key, m in _messages(app, "reminder") if key == "alice" and WEDNESDAY.isoformat() in m.dedupe_key]
    evening, soon = sorted(alice, key=lambda m: m.next_attempt_at)
    assert evening.next_attempt_at == _at(WEDNESDAY - dt.timedelta(days=1), 20)
    assert soon.next_attempt_at == _at(WEDNESDAY, 7)
    assert evening.expires_at == soon.expires_at == _at(WEDNESDAY, 8)  # the shift's start
    assert evening.body.startswith(f"明天：{WEDNESDAY.month}月{WEDNESDAY.day}日 周三 大门 白班 08:00–16:00")
    assert "即将开始" in soon.body and evening.subject == f"提醒：大门，{WEDNESDAY.month}月{WEDNESDAY.day}日 周三 08:00"
    bobs = {m.id for key, m in _messages(app, "reminder") if key == "bob"}
    publish(app, week_two())  # a newer version replaces the week's waiting reminders it changes, and only those
    assert {m.id for key, m in _messages(app, "reminder") if key == "bob"} == bobs  # bob's week did not change
    wednesday = {key for key, m in _messages(app, "reminder") if WEDNESDAY.isoformat() in m.dedupe_key}
    assert wednesday == {"carol"}
    assert len(_messages(app, "reminder")) == 2 * len(week_one())  # no duplicates: one pair per shift


def test_a_reminder_is_never_sent_once_its_shift_began(app: FastAPI) -> None:
    publish(app, week_one())
    channel, sessions = Recording(), app.state.rota.sessions
    outbox.deliver_due(sessions, {"email": channel}, _at(WEDNESDAY, 7, 30), public_url=PUBLIC)
    sent = {m.subject for m in channel.sent}
    assert f"提醒：大门，{WEDNESDAY.month}月{WEDNESDAY.day}日 周三 08:00" in sent  # due, and before the shift
    channel.sent.clear()
    late = next(m for key, m in _messages(app, "reminder") if key == "bob" and m.status == "pending")
    with session(app) as db, transaction(db):  # a reminder left waiting (a worker down) until after the start
        row = db.get(OutboxMessage, late.id)
        assert row is not None and row.expires_at is not None
        row.next_attempt_at = row.expires_at - dt.timedelta(minutes=1)
        moment = row.expires_at + dt.timedelta(minutes=5)
    outbox.deliver_due(sessions, {"email": channel}, moment, public_url=PUBLIC)
    with session(app) as db:
        row = db.get(OutboxMessage, late.id)
        assert row is not None and row.status == OutboxStatus.CANCELLED.value and row.sent_at is None
    assert late.id not in {m.id for m in channel.sent}


def test_reminder_times_come_from_the_settings(tmp_path: Path) -> None:
    times = notices.ReminderTimes.of(Settings(reminder_evening=None, reminder_minutes=0, data_dir=tmp_path))
    assert times == notices.ReminderTimes(None, None)
    times = notices.ReminderTimes.of(Settings(reminder_evening=dt.time(19, 30), reminder_minutes=30,
                                              data_dir=tmp_path))
    assert times == notices.ReminderTimes(dt.time(19, 30), dt.timedelta(minutes=30))


def test_no_reminders_when_the_settings_turn_them_off(app: FastAPI) -> None:
    app.state.rota.sessions.configure(info={notices.REMINDERS: notices.ReminderTimes(None, None)})
    publish(app, week_one())
    assert _messages(app, "reminder") == [] and len(_messages(app, "publication")) == 3


def test_the_group_robot_gets_the_next_days_rota_the_evening_before(app: FastAPI) -> None:
    with session(app) as db, transaction(db):
        _community(db).wecom_webhook = "http://127.0.0.1:9/robot"
    publish(app, week_one())
    days = [m for key, m in _messages(app, "day") if key == "group"]
    assert len(days) >= 6  # every day of the week whose evening before is still to come
    wednesday = next(m for m in days if m.dedupe_key.endswith(WEDNESDAY.isoformat()))
    assert wednesday.next_attempt_at == _at(WEDNESDAY - dt.timedelta(days=1), 20)
    assert wednesday.expires_at == _at(WEDNESDAY, 0)
    assert "张伟" in wednesday.body and "大门" in wednesday.body  # the day's text: names, not ids


def test_a_swap_offer_goes_to_the_people_who_may_take_it_and_ends_with_the_offer(app: FastAPI) -> None:
    publish(app, week_one())
    with session(app) as db:
        community, alice = _community(db), _person(db, "alice")
        ref = AssignmentRef(place="gate", shift="day", date=WEDNESDAY, person="alice")
        swap = swaps.offer_shift(db, community, alice, WEEK, ref, _at(WEEK, 0) - dt.timedelta(days=1))
    offers = _messages(app, "swap")
    assert [key for key, _ in offers] == ["carol"]  # bob is a guard only: the shift needs a volunteer
    assert offers[0][1].subject == "张伟有一个班次可以由你接替"
    assert f"{WEDNESDAY.month}月{WEDNESDAY.day}日 周三 大门 白班" in offers[0][1].body
    with session(app) as db:
        swaps.withdraw_offer(db, _community(db), _person(db, "alice"), swap.id)
    assert _messages(app, "swap") == []  # never sent, so dropped


def test_a_sign_up_round_is_announced_and_its_deadline_recalled(app: FastAPI) -> None:
    now = _at(WEEK, 9) - dt.timedelta(days=6)
    deadline = _at(WEEK, 0) - dt.timedelta(hours=1)
    with session(app) as db, transaction(db):
        community = _community(db)
        found = signup.open_round(db, community, WEEK, 7, deadline, False, "coord", now)
        notices.signup_opened(db, community, found, now)
        round_id = found.id
    messages = _messages(app, "signup")
    assert sorted(key for key, m in messages if m.dedupe_key.endswith(":open")) == ["alice", "bob", "carol"]
    warnings = [m for _, m in messages if ":deadline:" in m.dedupe_key]
    assert len(warnings) == 3 and {m.next_attempt_at for m in warnings} == {deadline - dt.timedelta(hours=24)}
    assert "截止" in warnings[0].body
    with session(app) as db, transaction(db):
        notices.signup_closed(db, _community(db), round_id)
    assert _messages(app, "signup") == []


def test_a_publication_reaches_the_mailbox_with_the_persons_page(app: FastAPI, smtp_server: SmtpServer) -> None:
    with session(app) as db, transaction(db):
        for key in ("bob", "carol"):
            _person(db, key).email = None
    publish(app, week_one())
    mail = EmailChannel(SmtpSettings(smtp_server.host, smtp_server.port, starttls=False, sender="rota@example.org"),
                        timeout=5)
    report = outbox.deliver_due(app.state.rota.sessions, {"email": mail}, dt.datetime.now(dt.UTC), public_url=PUBLIC)
    assert report.sent == 1
    [received] = smtp_server.sink.messages()
    assert received["To"] == "alice@example.org" and "你的班次有变化" in str(received["Subject"])
    body = received.get_content()
    assert "你本周的班次：" in body and f"你的个人页面（班次、换班、报名）：{PUBLIC}/p/" in body


def test_each_person_reads_their_own_language(app: FastAPI) -> None:
    with session(app) as db, transaction(db):
        _person(db, "bob").language = "en"
    publish(app, week_one())
    bob = next(m for key, m in _messages(app, "publication") if key == "bob")
    tuesday = WEEK + dt.timedelta(days=1)
    assert bob.subject == f"Rota for the week of Mon {WEEK.day} {WEEK:%b}: your shifts changed"
    assert f"Tue {tuesday.day} {tuesday:%b} Gate Day 08:00–16:00, Guard" in bob.body
    reminder = next(m for key, m in _messages(app, "reminder") if key == "bob")
    assert reminder.subject.startswith("Reminder: Gate, ")


def test_the_outbox_page_names_each_kind_of_message(app: FastAPI) -> None:
    publish(app, week_one())
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        page = client.get("/outbox")
    assert page.status_code == 200
    assert "排班发布" in page.text and "班前提醒" in page.text and "reminder" not in page.text


def test_reminders_survive_a_restart(app: FastAPI, tmp_path: Path) -> None:
    publish(app, week_one())
    app.state.rota.engine.dispose()  # the first process ends
    again = make_app(tmp_path)  # a new process on the same database: the reminders are rows, not timers
    channel = Recording()
    outbox.deliver_due(again.state.rota.sessions, {"email": channel}, _at(WEDNESDAY, 7, 30), public_url=PUBLIC)
    assert f"提醒：大门，{WEDNESDAY.month}月{WEDNESDAY.day}日 周三 08:00" in {m.subject for m in channel.sent}

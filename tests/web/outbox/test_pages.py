"""The outbox in the running app: its embedded worker sends through the real SMTP server and webhook receiver, a
message left half-sent survives a restart and is delivered once, the coordinator's page and API, the person form's
contact fields, the volunteer's stop link (and RFC 8058's one-click POST), and `rota admin send-outbox`."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tests.web.conftest import RecordingRunner, app_context, login
from tests.web.feeds_support import person_token
from tests.web.outbox.conftest import Receiver, SmtpServer
from web.app import create_app
from web.commands import app as cli
from web.outbox import service
from web.settings import Settings
from web.store import first_community, person_row
from web.tables import OutboxMessage


def _with_smtp(settings: Settings, smtp: SmtpServer, **more: object) -> Settings:
    return settings.model_copy(update={
        "smtp_host": smtp.host, "smtp_port": smtp.port, "smtp_starttls": False, "mail_from": "rota@example.org",
        "outbox_interval": 0.2, **more,
    })


@pytest.fixture
def mail_app(settings: Settings, smtp_server: SmtpServer) -> FastAPI:
    return create_app(_with_smtp(settings, smtp_server), RecordingRunner(), out=io.StringIO())


@pytest.fixture
def still_app(settings: Settings) -> FastAPI:
    """No worker: what waits in the outbox stays there while the test looks."""
    return create_app(settings.model_copy(update={"outbox_worker": False}), RecordingRunner(), out=io.StringIO())


@pytest.fixture
def admin(mail_app: FastAPI) -> Iterator[tuple[TestClient, str]]:
    with TestClient(mail_app, follow_redirects=False) as client:
        yield client, login(client)


def _until(check: object, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _statuses(app: FastAPI) -> list[str]:
    with app_context(app).sessions() as db:
        return [m.status for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def _enqueue(app: FastAPI, key: str, dedupe: str, email: str | None = None) -> int:
    with app_context(app).sessions.begin() as db:
        community = first_community(db)
        assert community is not None
        row = person_row(db, community, key)
        assert row is not None
        row.email = email or f"{key}@example.org"
        message = service.enqueue_to_person(db, row, subject="班次变更", body="您的班次有变化。", kind="publication",
                                            dedupe_key=dedupe, now=app_context(app).clock())
        assert message is not None
        return message.id


def test_a_test_email_goes_through_the_worker(admin: tuple[TestClient, str], mail_app: FastAPI,
                                              smtp_server: SmtpServer) -> None:
    client, csrf = admin
    refused = client.post("/outbox/test", data={"csrf_token": csrf, "channel": "email", "address": "not an address"})
    assert refused.status_code == 400 and 'id="e-address"' in refused.text
    sent = client.post("/outbox/test", data={"csrf_token": csrf, "channel": "email", "address": "me@example.org"})
    assert sent.status_code == 303
    assert smtp_server.sink.received.wait(10)  # woken by the commit, not by the interval
    _until(lambda: _statuses(mail_app) == ["sent"])
    [mail] = smtp_server.sink.messages()
    assert mail["To"] == "me@example.org" and mail["List-Unsubscribe"] is None
    api = client.get("/api/outbox").json()
    assert api["counts"]["sent"] == 1
    assert [(m["kind"], m["status"], m["channel"], m["attempts"]) for m in api["messages"]] == [
        ("test", "sent", "email", 1)]
    assert client.get("/api/outbox", params={"status": "failed"}).json()["messages"] == []
    page = client.get("/outbox", headers={"accept-language": "en"})
    assert page.status_code == 200 and "me@example.org" in page.text and 'href="/outbox"' in page.text


def test_a_person_message_reaches_them_with_their_stop_link(admin: tuple[TestClient, str], mail_app: FastAPI,
                                                           smtp_server: SmtpServer) -> None:
    _enqueue(mail_app, "alice", "publication:1:alice")
    assert smtp_server.sink.received.wait(10)
    [mail] = smtp_server.sink.messages()
    token = person_token(mail_app, "alice")
    stop = f"http://testserver/p/{token}/notifications"
    assert mail["Subject"] == "班次变更" and mail["List-Unsubscribe"] == f"<{stop}>"
    assert mail.get_content().rstrip().endswith(stop)


def test_the_wecom_robot_setting_is_masked_and_a_test_reaches_the_receiver(
        admin: tuple[TestClient, str], mail_app: FastAPI, webhook: Receiver) -> None:
    client, csrf = admin
    bad = client.post("/outbox/wecom", data={"csrf_token": csrf, "webhook": "ftp://x"})
    assert bad.status_code == 400 and 'id="e-webhook"' in bad.text
    assert client.post("/outbox/test", data={"csrf_token": csrf, "channel": "wecom"}).status_code == 400
    assert client.post("/outbox/wecom", data={"csrf_token": csrf, "webhook": webhook.url}).status_code == 303
    page = client.get("/outbox").text
    assert "test-key-1234" not in page and "…1234" in page
    assert client.post("/outbox/test", data={"csrf_token": csrf, "channel": "wecom"}).status_code == 303
    assert webhook.received.wait(10)
    assert webhook.bodies[0]["msgtype"] == "text" and "测试消息" in webhook.bodies[0]["text"]["content"]
    _until(lambda: _statuses(mail_app) == ["sent"])
    webhook.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    client.post("/outbox/test", data={"csrf_token": csrf, "channel": "wecom"})
    _until(lambda: _statuses(mail_app) == ["sent", "pending"] and len(webhook.bodies) == 2)
    with app_context(mail_app).sessions() as db:
        failed = db.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")).one()
        assert failed.last_error == "SendError: webhook errcode 93000: invalid webhook url"
    assert client.post("/outbox/wecom", data={"csrf_token": csrf, "webhook": ""}).status_code == 303
    assert stored_webhook(mail_app) is None


def stored_webhook(app: FastAPI) -> str | None:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        return community.wecom_webhook


def test_a_message_left_half_sent_is_delivered_once_after_a_restart(settings: Settings,
                                                                    smtp_server: SmtpServer) -> None:
    configured = _with_smtp(settings, smtp_server)
    first = create_app(configured, RecordingRunner(), out=io.StringIO())
    message_id = _enqueue(first, "alice", "k")
    with app_context(first).sessions.begin() as db:
        assert service.claim_due(db, app_context(first).clock()) == [message_id]  # claimed; then the server died
    app_context(first).engine.dispose()
    again = create_app(configured, RecordingRunner(), out=io.StringIO())
    context = app_context(again)
    context.clock = lambda: dt.datetime.now(dt.UTC) + service.STALE + dt.timedelta(seconds=5)
    with TestClient(again):
        assert smtp_server.sink.received.wait(10)
        _until(lambda: _statuses(again) == ["sent"])
        time.sleep(0.5)  # a few more passes: nothing is sent twice
    assert len(smtp_server.sink.envelopes) == 1


def test_coordinators_retry_and_cancel_viewers_only_read(mail_app: FastAPI) -> None:
    with app_context(mail_app).sessions.begin() as db:
        community = first_community(db)
        assert community is not None
        waiting = service.enqueue(db, community.id, channel="email", address="x@example.org", subject="s", body="b",
                                  kind="test", dedupe_key="w", now=app_context(mail_app).clock()
                                  + dt.timedelta(days=1))
        message_id = waiting.id
    with TestClient(mail_app, follow_redirects=False) as client:
        csrf = login(client)
        assert client.post(f"/outbox/{message_id}/retry", data={"csrf_token": csrf}).status_code == 303
        assert _statuses(mail_app) == ["pending"]  # pending: nothing to retry
        assert client.post(f"/outbox/{message_id}/cancel", data={"csrf_token": csrf}).status_code == 303
        assert _statuses(mail_app) == ["cancelled"]
        assert client.post("/outbox/999/cancel", data={"csrf_token": csrf}).status_code == 404
        page = client.get("/outbox", params={"status": "cancelled"}).text
        assert f'action="/outbox/{message_id}/retry"' in page
        assert client.get("/outbox", params={"status": "nonsense"}).status_code == 200


def test_the_person_form_takes_an_address_a_channel_and_quiet_hours(client: TestClient, app: FastAPI) -> None:
    csrf = login(client)
    base = {"csrf_token": csrf, "name": "Alice", "roles": ["vol"], "language": "zh"}
    for typed, field in (({"email": "alice@"}, "email"), ({"channel": "pigeon"}, "channel"),
                         ({"quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start"),
                         ({"quiet_start": "22:00"}, "quiet_end")):
        answer = client.post("/people/alice/edit", data=base | typed)
        assert answer.status_code == 400, typed
        assert f'id="e-{field}"' in answer.text, typed
    saved = client.post("/people/alice/edit", data=base | {
        "email": "alice@example.org", "channel": "email", "quiet_start": "22:00", "quiet_end": "7:00"})
    assert saved.status_code == 303
    added = client.post("/people/new", data=base | {"name": "Erin", "key": "erin", "email": "erin@example.org",
                                                    "channel": "none"})
    assert added.status_code == 303
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        alice, erin = person_row(db, community, "alice"), person_row(db, community, "erin")
        assert alice is not None and erin is not None
        assert (alice.email, alice.channel, alice.quiet_start, alice.quiet_end) == (
            "alice@example.org", "email", dt.time(22), dt.time(7))
        assert (erin.email, erin.channel) == ("erin@example.org", "none")
    form = client.get("/people/alice/edit").text
    assert 'value="alice@example.org"' in form and 'value="22:00"' in form


def test_the_stop_link_turns_messages_off_and_sets_quiet_hours(still_app: FastAPI) -> None:
    with TestClient(still_app, follow_redirects=False) as client:
        _stop_link(client, still_app)


def _stop_link(client: TestClient, app: FastAPI) -> None:
    message_id = _enqueue(app, "alice", "k")
    token = person_token(app, "alice")
    personal = client.get(f"/p/{token}")
    assert f'href="/p/{token}/notifications"' in personal.text
    page = client.get(f"/p/{token}/notifications")
    assert page.status_code == 200 and "alice@example.org" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    csrf = login(client)
    assert client.post(f"/p/{token}/notifications", data={"channel": "none"}).status_code == 403  # no CSRF token
    wrong = client.post(f"/p/{token}/notifications", data={"csrf_token": csrf, "quiet_start": "9"})
    assert wrong.status_code == 400 and 'id="e-quiet_start"' in wrong.text
    done = client.post(f"/p/{token}/notifications",
                       data={"csrf_token": csrf, "channel": "none", "quiet_start": "21:30", "quiet_end": "08:00"})
    assert done.status_code == 303
    assert _statuses(app) == ["cancelled"]
    with app_context(app).sessions() as db:
        message = db.get(OutboxMessage, message_id)
        assert message is not None and message.last_error == "stopped by the person"
    assert client.get("/p/not-a-token/notifications").status_code == 404


def test_one_click_unsubscribe(still_app: FastAPI) -> None:
    app = still_app
    token = person_token(app, "bob")
    _enqueue(app, "bob", "k")
    with TestClient(app, follow_redirects=False) as mailer:  # a mail program: no session, no CSRF token
        answer = mailer.post(f"/p/{token}/notifications", data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert _statuses(app) == ["cancelled"]
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        bob = person_row(db, community, "bob")
        assert bob is not None and bob.channel == "none"


def test_send_outbox_command(app: FastAPI, settings: Settings, smtp_server: SmtpServer,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    _enqueue(app, "carol", "k")
    for name in ("DATABASE_URL", "ROTA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    env = {"ROTA_DATA_DIR": str(settings.data_dir), "ROTA_SMTP_HOST": smtp_server.host,
           "ROTA_SMTP_PORT": str(smtp_server.port), "ROTA_SMTP_STARTTLS": "false", "ROTA_MAIL_FROM": "r@example.org"}
    result = CliRunner().invoke(cli, ["admin", "send-outbox"], env=env)
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert [e.rcpt_tos for e in smtp_server.sink.envelopes] == [["carol@example.org"]]


def test_the_outbox_and_the_stop_page_read_in_chinese_with_messages_of_every_status(still_app: FastAPI) -> None:
    from tests.web.test_chinese_pages import _english_words

    _enqueue(still_app, "alice", "a")
    with app_context(still_app).sessions.begin() as db:
        community = first_community(db)
        assert community is not None
        community.wecom_webhook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234"
        for n, status in enumerate(("sending", "sent", "failed", "cancelled")):
            message = service.enqueue_to_group(db, community, subject="今日排班", body="正文", kind="test",
                                               dedupe_key=f"g{n}", now=app_context(still_app).clock())
            assert message is not None
            message.status, message.last_error = status, "SendError: webhook errcode 93000: invalid webhook url"
    token = person_token(still_app, "alice")
    with TestClient(still_app, follow_redirects=False) as client:
        login(client)
        client.cookies.set("lang", "zh")
        for path in ("/outbox", "/outbox?status=failed", f"/p/{token}/notifications"):
            page = client.get(path)
            assert page.status_code == 200, path
            assert _english_words(page.text) == set(), path
        assert "abcd-1234" not in client.get("/outbox").text


def test_the_worker_wakes_when_a_message_is_stored(settings: Settings, smtp_server: SmtpServer) -> None:
    """An hour between passes: only the commit's wake-up can send the message this quickly."""
    app = create_app(_with_smtp(settings, smtp_server, outbox_interval=3600), RecordingRunner(), out=io.StringIO())
    with TestClient(app):
        time.sleep(0.3)  # the first pass, at start, finds nothing
        _enqueue(app, "alice", "wake")
        assert smtp_server.sink.received.wait(10)
        _until(lambda: _statuses(app) == ["sent"])

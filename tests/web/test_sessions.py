"""Server-side sessions: revoked at logout (a copied cookie is refused), log out everywhere, a password change ends the
other sessions, idle and absolute time-outs on a controllable clock."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import PASSWORD, app_context, csrf_of, login
from web.app import SESSION_COOKIE
from web.tables import AuditEntry, LoginSession

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    clock = Clock()
    app_context(app).clock = clock
    return clock


@pytest.fixture
def second(app: FastAPI) -> Iterator[TestClient]:
    """Another browser of the same coordinator."""
    with TestClient(app, follow_redirects=False) as other:
        login(other)
        yield other


def _refused(client: TestClient) -> None:
    response = client.get("/people")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert client.get("/api/people").status_code == 401


def _stored_sessions(app: FastAPI) -> list[LoginSession]:
    with app_context(app).sessions() as db:
        return list(db.scalars(select(LoginSession)))


def _actions(app: FastAPI) -> list[str]:
    with app_context(app).sessions() as db:
        return [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_a_cookie_copied_before_logout_is_refused_after_it(app: FastAPI, client: TestClient, logged_in: str) -> None:
    copied = client.cookies.get(SESSION_COOKIE)
    assert copied
    assert client.post("/logout", data={"csrf_token": logged_in}).status_code == 303
    _refused(client)
    with TestClient(app, follow_redirects=False, cookies={SESSION_COOKIE: copied}) as thief:
        _refused(thief)
    assert _stored_sessions(app) == []
    assert "logout" in _actions(app)


def test_the_cookie_holds_a_random_key_and_the_database_only_its_digest(
    app: FastAPI, client: TestClient, logged_in: str
) -> None:
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie
    payload = json.loads(base64.b64decode(cookie.split(".")[0] + "=="))
    assert set(payload) <= {"sid", "csrf", "flash"}  # no user id: who is logged in is known only server-side
    [row] = _stored_sessions(app)
    assert row.user_id == 1 and row.id != payload["sid"] and len(row.id) == 64


def test_log_out_everywhere(app: FastAPI, client: TestClient, logged_in: str, second: TestClient) -> None:
    assert len(_stored_sessions(app)) == 2
    page = client.get("/account/password")
    assert page.status_code == 200
    assert 'action="/account/sessions/end"' in page.text and "在所有设备上退出" in page.text
    assert "2 个浏览器或设备" in page.text
    response = client.post("/account/sessions/end", data={"csrf_token": logged_in})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    _refused(client)
    _refused(second)
    assert _stored_sessions(app) == []
    assert "logout.everywhere" in _actions(app)
    assert "已在所有设备" in client.get("/login").text


def test_the_account_page_is_linked_from_the_header(client: TestClient, logged_in: str) -> None:
    page = client.get("/people").text
    assert 'href="/account/password"' in page and "账户" in page
    page = client.get("/people", headers={"Accept-Language": "en"}).text
    assert "Account" in page


def test_a_password_change_needs_the_current_password_and_ends_the_other_sessions(
    app: FastAPI, client: TestClient, logged_in: str, second: TestClient
) -> None:
    new = "another long password"
    response = client.post(
        "/account/password",
        data={"current": "not it at all", "password": new, "repeat": new, "csrf_token": logged_in},
    )
    assert response.status_code == 400
    assert "当前密码不正确" in response.text and 'id="f-current"' in response.text
    assert second.get("/people").status_code == 200  # nothing changed
    same = {"current": PASSWORD, "password": PASSWORD, "repeat": PASSWORD, "csrf_token": logged_in}
    response = client.post("/account/password", data=same)
    assert response.status_code == 400 and "新密码不能与当前密码相同" in response.text
    response = client.post(
        "/account/password", data={"current": PASSWORD, "password": new, "repeat": new, "csrf_token": logged_in}
    )
    assert response.status_code == 303
    assert client.get("/people").status_code == 200  # this browser stays logged in
    _refused(second)  # the others are out
    assert len(_stored_sessions(app)) == 1
    with app_context(app).sessions() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "password.change")).one()
    assert entry.details == {"sessions_ended": 1}
    with TestClient(app, follow_redirects=False) as third:
        token = csrf_of(third)
        assert third.post(
            "/login", data={"username": "coord", "password": PASSWORD, "csrf_token": token}
        ).status_code == 400
        login(third, "coord", new)


def test_an_idle_session_ends(app: FastAPI, client: TestClient, clock: Clock) -> None:
    login(client)
    clock.advance(hours=11, minutes=59)
    assert client.get("/people").status_code == 200  # used in time: the idle clock starts again
    clock.advance(hours=11, minutes=59)
    assert client.get("/people").status_code == 200
    clock.advance(hours=12)
    _refused(client)
    assert _stored_sessions(app) == []


def test_a_session_ends_at_the_absolute_time_out_however_busy(app: FastAPI, client: TestClient, clock: Clock) -> None:
    login(client)
    for _ in range(28):  # used every 12 hours less a minute: 14 days less half an hour
        clock.advance(hours=11, minutes=59)
        assert client.get("/api/people").status_code == 200
    clock.advance(hours=11, minutes=59)  # not idle, but 14 days and some hours after the login
    _refused(client)


def test_time_outs_follow_the_settings(app: FastAPI, client: TestClient, clock: Clock) -> None:
    settings = app_context(app).settings
    app_context(app).settings = settings.model_copy(update={"session_idle_timeout": 600, "session_max_age": 3600})
    login(client)
    clock.advance(minutes=9)
    assert client.get("/people").status_code == 200
    clock.advance(minutes=11)
    _refused(client)

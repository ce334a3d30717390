"""Login throttling: 10 failures in 15 minutes for an account or from an address, then 429 (the right password
included) until the window passes; other accounts and addresses unaffected; every failure in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import PASSWORD, app_context, csrf_of
from tests.web.test_sessions import Clock
from web.auth import hash_password
from web.i18n import COOKIE
from web.tables import AuditEntry, Coordinator

OTHER_PASSWORD = "the other coordinator"


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    clock = Clock()
    app_context(app).clock = clock
    with app_context(app).sessions.begin() as db:
        db.add(Coordinator(username="other", password_hash=hash_password(OTHER_PASSWORD)))
    return clock


@contextmanager
def browser(app: FastAPI, address: str) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, client=(address, 50000)) as client:
        yield client


def attempt(app: FastAPI, address: str, username: str, password: str, lang: str = "zh") -> tuple[int, str]:
    """One login from a fresh browser at the address: (status, page or redirect target)."""
    with browser(app, address) as client:
        client.cookies.set(COOKIE, lang)
        token = csrf_of(client)
        response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        return response.status_code, response.headers.get("location") or response.text


def fail(app: FastAPI, address: str, username: str, times: int) -> None:
    for _ in range(times):
        assert attempt(app, address, username, "wrong password!")[0] == 400


def test_ten_failures_for_an_account_refuse_even_the_right_password(app: FastAPI, clock: Clock) -> None:
    for i in range(10):  # from ten addresses: the account's count, not an address's
        fail(app, f"10.0.0.{i}", "coord", 1)
        clock.advance(seconds=30)
    status, page = attempt(app, "10.0.1.1", "coord", PASSWORD)
    assert status == 429
    assert "登录失败次数过多" in page and 'name="username"' in page
    status, page = attempt(app, "10.0.1.1", "coord", PASSWORD, lang="en")
    assert status == 429 and "Too many failed logins" in page
    with browser(app, "10.0.1.2") as client:
        token = csrf_of(client)
        response = client.post("/login", data={"username": "Coord ", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 429
        assert 0 < int(response.headers["retry-after"]) <= 15 * 60
    # another account, from one of the same addresses, is not affected
    assert attempt(app, "10.0.0.1", "other", OTHER_PASSWORD) == (303, "/")
    # once the first failure is older than the window, the right password works again
    clock.advance(seconds=599)  # the first failure was 15 minutes less a second ago
    assert attempt(app, "10.0.1.1", "coord", PASSWORD)[0] == 429
    clock.advance(seconds=2)
    assert attempt(app, "10.0.1.1", "coord", PASSWORD) == (303, "/")


def test_refused_attempts_do_not_extend_the_refusal(app: FastAPI, clock: Clock) -> None:
    fail(app, "10.0.0.1", "coord", 10)
    for _ in range(14):
        clock.advance(minutes=1)
        assert attempt(app, "10.0.0.2", "coord", "wrong password!")[0] == 429
    clock.advance(minutes=1, seconds=1)
    assert attempt(app, "10.0.0.2", "coord", PASSWORD) == (303, "/")


def test_ten_failures_from_an_address_refuse_it_for_every_account(app: FastAPI, clock: Clock) -> None:
    for i in range(10):  # ten different names, one address
        fail(app, "192.0.2.7", f"guess{i}", 1)
    assert attempt(app, "192.0.2.7", "coord", PASSWORD)[0] == 429
    assert attempt(app, "192.0.2.7", "other", OTHER_PASSWORD)[0] == 429
    # the accounts themselves are fine from another address
    assert attempt(app, "192.0.2.8", "coord", PASSWORD) == (303, "/")
    clock.advance(minutes=15)
    assert attempt(app, "192.0.2.7", "other", OTHER_PASSWORD) == (303, "/")


def test_nine_failures_then_the_right_password_logs_in_and_resets_the_account(app: FastAPI, clock: Clock) -> None:
    fail(app, "10.0.0.1", "coord", 9)
    assert attempt(app, "10.0.0.2", "coord", PASSWORD) == (303, "/")
    fail(app, "10.0.0.2", "coord", 9)  # the earlier nine no longer count for the account
    assert attempt(app, "10.0.0.3", "coord", PASSWORD) == (303, "/")


def test_failures_and_refusals_are_in_the_audit_log(app: FastAPI, clock: Clock) -> None:
    fail(app, "198.51.100.4", "coord", 10)
    attempt(app, "198.51.100.4", "coord", PASSWORD)
    with app_context(app).sessions() as db:
        entries = list(db.scalars(select(AuditEntry).where(AuditEntry.action.like("login%")).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == ["login.failed"] * 10 + ["login.throttled"]
    assert all(e.actor == "coord" and e.details == {"address": "198.51.100.4"} for e in entries)

"""The personal page at a secret link: own coming shifts with breaks and teammates only, subscribe links and QR
code, print list, language, escaping, privacy headers, 404 without a hint."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tests.web.feeds_support import (
    BOB_PHONE,
    COORDINATOR,
    EVIL,
    WEEK,
    make_app,
    person_token,
    publish,
    session,
    week_one,
    week_two,
)
from web.i18n import Translator
from web.store import first_community, person_row


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _day(day: int, lang: str = "zh") -> str:
    return Translator("zh" if lang == "zh" else "en").day(WEEK + dt.timedelta(days=day))


def test_own_shifts_with_breaks_and_teammates_only(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    token = person_token(app, "alice")
    response = client.get(f"/p/{token}")
    assert response.status_code == 200
    page = response.text
    assert "张伟 的班次" in page
    assert page.count('class="shift"') == 2
    assert _day(0) in page and _day(2) in page and _day(1) not in page and _day(3) not in page
    assert "08:00–16:00" in page and "午饭 11:00–11:45" in page
    assert "王强 (保安)" in page  # the teammate on Monday
    assert "李娜" not in page and BOB_PHONE not in page  # never on a shift with alice: absent, phone too
    assert COORDINATOR in page
    assert f'href="/p/{token}/swaps"' in page and f'href="/p/{token}/print"' in page


def test_subscribe_links_and_qr_code(app: FastAPI, client: TestClient) -> None:
    token = person_token(app, "alice")
    page = client.get(f"/p/{token}").text
    assert f'href="webcal://testserver/p/{token}/calendar.ics"' in page
    assert f"http://testserver/p/{token}/calendar.ics" in page
    match = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', page)
    assert match and "%3Csvg" in match.group(1)
    assert "暂时没有为您发布的后续班次" in page


def test_privacy_headers_and_noindex(app: FastAPI, client: TestClient) -> None:
    token = person_token(app, "alice")
    for path in (f"/p/{token}", f"/p/{token}/print"):
        response = client.get(path)
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "private, no-store"
        assert '<meta name="robots" content="noindex">' in response.text
        assert "default-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/people").headers["referrer-policy"] == "same-origin"  # elsewhere unchanged


def test_only_the_latest_version_counts(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    publish(app, week_two())
    alice = client.get(f"/p/{person_token(app, 'alice')}").text
    assert alice.count('class="shift"') == 1 and _day(2) not in alice
    carol = client.get(f"/p/{person_token(app, 'carol')}").text
    assert carol.count('class="shift"') == 4 and _day(2) in carol and "第 2 版" not in carol


def test_unknown_revoked_and_inactive_are_404_alike(app: FastAPI, client: TestClient) -> None:
    token = person_token(app, "alice")
    fake = "y" * len(token)
    unknown = client.get(f"/p/{fake}")
    assert unknown.status_code == 404 and "张伟" not in unknown.text
    with session(app) as db, db.begin():
        community = first_community(db)
        assert community is not None
        row = person_row(db, community, "alice")
        assert row is not None
        row.active = False
    inactive = client.get(f"/p/{token}")
    assert inactive.status_code == 404 and inactive.text.replace(token, fake) == unknown.text
    assert client.get(f"/p/{token}/print").status_code == 404
    csrf = login(client)
    client.post("/people/alice/links/revoke", data={"csrf_token": csrf})
    assert client.get(f"/p/{token}").status_code == 404


def test_language_follows_the_person_then_the_switch(tmp_path: Path) -> None:
    app = make_app(tmp_path, alice={"language": "en"})
    with TestClient(app, follow_redirects=False) as client:
        publish(app, week_one())
        token = person_token(app, "alice")
        page = client.get(f"/p/{token}", headers={"Accept-Language": "zh-CN"}).text
        assert "张伟&#39;s shifts" in page and _day(0, "en") in page and "Lunch 11:00–11:45" in page
        assert "王强 (Guard)" in page and "Subscribe" in page
        switch = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert switch
        response = client.post("/lang", data={"csrf_token": switch.group(1), "lang": "zh", "next": f"/p/{token}"})
        assert response.status_code == 303 and response.headers["location"] == f"/p/{token}"
        assert "张伟 的班次" in client.get(f"/p/{token}").text
        assert "王强 (保安)" in client.get(f"/p/{person_token(app, 'alice')}").text


def test_a_script_name_is_escaped(tmp_path: Path) -> None:
    app = make_app(tmp_path, alice={"name": EVIL}, carol={"name": EVIL + "2"})
    with TestClient(app, follow_redirects=False) as client:
        publish(app, week_one())
        for path in (f"/p/{person_token(app, 'alice')}", f"/p/{person_token(app, 'alice')}/print"):
            page = client.get(path).text
            assert "<script>alert" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        csrf = login(client)
        client.post("/people/alice/links/renew", data={"csrf_token": csrf})
        page = client.get("/people/alice/links").text
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_printable_list(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    token = person_token(app, "alice")
    page = client.get(f"/p/{token}/print").text
    assert page.count('class="shift"') == 2 and "王强 (保安)" in page
    assert 'class="no-print' in page and "personal.js" in page
    assert "@media print" in client.get("/static/style.css").text

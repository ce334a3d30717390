"""The day's text for the WeChat group (`/rota/{week}/wechat`): the chosen rota's shifts of one day in the
community's language, a day chooser, a copy button for browsers that can copy, 404 for a day outside the rota."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tests.web.feeds_support import WEEK, make_app, publish, week_one, week_two

BASE = f"/rota/{WEEK.isoformat()}/wechat"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _text(page: str) -> str:
    found = re.search(r'<textarea id="wechat-text"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None, page
    return html.unescape(found.group(1))


def test_the_days_text_names_who_is_on_with_meal_times(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    login(client)
    response = client.get(BASE, params={"day": WEEK.isoformat()})
    assert response.status_code == 200
    text = _text(response.text)
    lines = text.splitlines()
    assert lines[0].startswith("【Tiny】") and "值班安排" in lines[0]
    assert "▶ 大门 · 白班 08:00–16:00" in lines
    assert "  张伟（志愿者） 午饭 11:00–11:45" in lines and "  王强（保安） 午饭 12:00–12:45" in lines
    assert "今日共 2 人次上岗" in lines and "协调人：协调员 王芳 13911112222" in lines
    assert 'data-copy="wechat-text"' in response.text and "/static/copy.js" in response.text
    # the other days are one click away, and the link keeps which rota is shown
    tuesday = (WEEK + dt.timedelta(days=1)).isoformat()
    assert f'href="{BASE}?day={tuesday}"' in response.text
    assert "李娜（保安）" in _text(client.get(BASE, params={"day": tuesday}).text)


def test_a_version_or_the_draft_and_days_outside_the_rota(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    publish(app, week_two())
    login(client)
    wednesday = (WEEK + dt.timedelta(days=2)).isoformat()
    assert "王强（志愿者）" in _text(client.get(BASE, params={"day": wednesday}).text)  # latest: version 2
    first = client.get(BASE, params={"day": wednesday, "version": "1"})
    assert "张伟（志愿者）" in _text(first.text) and "&amp;version=1" in first.text
    assert client.get(BASE, params={"day": wednesday, "draft": "1"}).status_code == 200
    for day in ((WEEK + dt.timedelta(days=7)).isoformat(), "2026-13-01", "x"):
        assert client.get(BASE, params={"day": day}).status_code == 404, day
    assert client.get(BASE, params={"version": "9"}).status_code == 404


def test_the_page_needs_a_login_and_is_linked_from_the_print_links(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    assert client.get(BASE).status_code == 303
    login(client)
    assert f'href="{BASE}?draft=1"' in client.get(f"/rota/{WEEK.isoformat()}").text

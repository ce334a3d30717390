"""Chinese and English: Accept-Language picks, the switch (cookie) overrides; localised dates; complete catalogue."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of
from web.i18n import MESSAGES, Translator, choose_language, parse_accept_language
from web.rendering import TEMPLATE_FOLDERS


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("en-GB,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr-FR, en;q=0.5, zh;q=0.7", "zh"),
        ("de, fr", None),
        ("en;q=0, zh-TW", "zh"),
        ("zh;q=0.4, EN;q=0.6", "en"),
        ("en;q=abc, zh;q=0.1", "zh"),
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert parse_accept_language(header) == expected


def test_cookie_overrides_the_browser() -> None:
    assert choose_language("en", "zh-CN") == "en"
    assert choose_language("zh", "en-US") == "zh"
    assert choose_language("xx", "en-US") == "en"
    assert choose_language(None, None) == "zh"


def test_browser_language_picks_the_page_language(client: TestClient) -> None:
    english = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert "Coordinator login" in english and '<html lang="en">' in english
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN"}).text
    assert "协调员登录" in chinese and '<html lang="zh-CN">' in chinese


def test_the_switch_sets_a_cookie_that_overrides(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post(
        "/lang", data={"csrf_token": token, "lang": "en", "next": "/login"}, headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "lang=en" in response.headers["set-cookie"]
    assert "Coordinator login" in client.get("/login", headers={"Accept-Language": "zh-CN"}).text
    client.post("/lang", data={"csrf_token": token, "lang": "zh", "next": "https://evil.example/"})
    assert "协调员登录" in client.get("/login", headers={"Accept-Language": "en"}).text


def test_dates_and_weekdays_are_localised() -> None:
    monday = dt.date(2026, 12, 7)
    assert Translator("zh").date(monday) == "2026年12月7日星期一"
    assert Translator("en").date(monday) == "Monday, 7 December 2026"
    assert Translator("zh").day(monday) == "12/7 周一"
    assert Translator("en").day(monday) == "Mon 7 Dec"
    assert Translator("zh").weekdays()[0] == "星期一"
    assert Translator("en").weekdays()[6] == "Sunday"


def test_messages_have_both_languages_and_placeholders_agree() -> None:
    for key, message in MESSAGES.items():
        assert message.en.strip() and message.zh.strip(), key
        assert set(re.findall(r"\{(\w+)\}", message.en)) == set(re.findall(r"\{(\w+)\}", message.zh)), key


def test_every_key_used_in_templates_exists() -> None:
    used: set[str] = set()
    for template in (path for folder in TEMPLATE_FOLDERS for path in folder.glob("*.html")):
        used |= set(re.findall(r"""\bt\(\s*['"]([\w.]*\w)['"]""", template.read_text(encoding="utf-8")))
        for prefix in re.findall(r"""\bt\(\s*['"]([\w.]+\.)['"]\s*~""", template.read_text(encoding="utf-8")):
            assert any(key.startswith(prefix) for key in MESSAGES), prefix
    assert len(used) > 40
    assert used <= set(MESSAGES), used - set(MESSAGES)
    for status in ("queued", "running", "finished", "failed", "cancelled", "interrupted"):
        assert f"job.status.{status}" in MESSAGES
    for result in ("optimal", "feasible", "infeasible", "unknown", "invalid"):
        assert f"job.result.{result}" in MESSAGES


def test_hours_read_to_the_half_hour() -> None:
    t = Translator("zh")
    assert [t.hours(v) for v in (8.0, 7.5, 23.3833, 15.2, 0.0, None)] == ["8", "7.5", "23.5", "15", "0", "—"]

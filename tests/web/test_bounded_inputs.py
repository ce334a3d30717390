"""Ids, versions and days from URLs and forms are bounded before the database or date arithmetic sees them (404
pages, 422 from the API, a field error on forms); error pages are rendered; downloads with Chinese file names."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tests.web.feeds_support import WEEK, make_app, publish, week_one
from web.dates import EARLIEST_DAY, LATEST_DAY, day_error, parse_day
from web.downloads import ascii_fallback, content_disposition
from web.i18n import Translator

HUGE = "9223372036854775808"  # 2**63: one past SQLite's largest integer
DIGITS_30 = "1" * 30
BASE = f"/rota/{WEEK.isoformat()}"
ZH = Translator("zh")


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    app = make_app(tmp_path)
    publish(app, week_one())  # version 1 and the draft, Chinese names
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", f"/api/jobs/{HUGE}", None),
    ("GET", f"/api/repairs/{DIGITS_30}", None),
    ("POST", f"/api/repairs/{DIGITS_30}/accept", {}),
    ("POST", f"/api/swaps/{DIGITS_30}/refuse", {"reason": "no"}),
    ("POST", f"/api/swaps/{DIGITS_30}/approve", {}),
    ("GET", f"/api/rota/{WEEK.isoformat()}/versions/{'1' * 23}", None),
    ("GET", "/api/jobs/-1", None),
    ("GET", "/api/jobs/²", None),
    ("POST", f"/api/rota/{WEEK.isoformat()}/draft", {"job_id": int(HUGE)}),
])
def test_the_api_refuses_ids_out_of_range(client: TestClient, method: str, path: str, body: object) -> None:
    login(client)
    response = client.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][0] in ("path", "body")


@pytest.mark.parametrize("week", ["9999-12-27", "0001-01-01", "not-a-date"])
def test_the_api_refuses_far_weeks(client: TestClient, week: str) -> None:
    login(client)
    for path in (f"/api/rota/{week}/draft", f"/api/rota/{week}/versions"):
        response = client.get(path)
        assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["path", "week_start"]


@pytest.mark.parametrize("path", [
    f"/jobs/{HUGE}", f"/repairs/{DIGITS_30}", f"{BASE}/versions/{'1' * 23}", f"{BASE}/versions/²", "/jobs/-1",
    f"{BASE}/print?version={'9' * 23}", f"{BASE}/print.pdf?version={'9' * 23}", f"{BASE}/print/gate.png?version={HUGE}",
    "/rota/9999-12-27", "/rota/9999-12-27/print.pdf", "/rota/0001-01-01/versions",
])
def test_pages_answer_404_for_ids_and_weeks_out_of_range(client: TestClient, path: str) -> None:
    login(client)
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert ZH("error.not_found") in response.text


@pytest.mark.parametrize("path", [
    f"/jobs/{HUGE}/cancel", f"/repairs/{DIGITS_30}/cancel", f"/swaps/{HUGE}/refuse", f"/setup/pairs/{DIGITS_30}/delete",
    f"/people/alice/availability/absences/{HUGE}/delete",
])
def test_forms_posted_to_ids_out_of_range_are_404(client: TestClient, path: str) -> None:
    csrf = login(client)
    response = client.post(path, data={"csrf_token": csrf})
    assert response.status_code == 404 and ZH("error.not_found") in response.text


@pytest.mark.parametrize("start", ["9999-12-27", "1999-12-27", "3000-01-06"])
def test_generate_refuses_a_far_week_on_its_field(client: TestClient, start: str) -> None:
    csrf = login(client)
    response = client.post("/generate", data={"start": start, "days": "7", "csrf_token": csrf})
    assert response.status_code == 400
    assert ZH("form.day_range", first="2000-01-01", last="2999-12-31") in response.text


def test_the_week_box_refuses_a_far_week(client: TestClient) -> None:
    login(client)
    response = client.get("/rota", params={"week": "9999-12-27"})
    assert response.status_code == 400
    assert ZH("form.day_range", first="2000-01-01", last="2999-12-31") in response.text


def test_a_form_a_page_cannot_read_is_a_rendered_400(client: TestClient) -> None:
    csrf = login(client)
    response = client.post("/generate", data={"start": "2" * 50, "days": "7", "csrf_token": csrf})
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert ZH("error.bad_request") in response.text


def test_an_unexpected_error_is_a_rendered_500_page_without_its_traceback(app: FastAPI) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    @app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("secret detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert ZH("error.server") in page.text
        assert "secret detail" not in page.text and "Traceback" not in page.text
        api = client.get("/api/boom")
        assert api.status_code == 500 and api.json() == {"detail": "internal server error"}


def test_the_pdf_of_a_chinese_draft_downloads(client: TestClient) -> None:
    login(client)
    response = client.get(f"{BASE}/print.pdf", params={"draft": "1"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    name = f"rota-{WEEK.isoformat()}-草稿.pdf"
    disposition = response.headers["content-disposition"]
    assert disposition == f"inline; filename=\"rota-{WEEK.isoformat()}-.pdf\"; filename*=UTF-8''{quote(name)}"


def test_downloads_name_their_files_in_ascii_and_utf8(client: TestClient) -> None:
    login(client)
    for path, name in (("/people/import/template.csv", "people-template.csv"),
                       ("/people/import/template.xlsx", "people-template.xlsx")):
        disposition = client.get(path).headers["content-disposition"]
        assert disposition == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"


def test_content_disposition() -> None:
    assert content_disposition("排班 v1.pdf", "inline") == (
        "inline; filename=\"v1.pdf\"; filename*=UTF-8''%E6%8E%92%E7%8F%AD%20v1.pdf"
    )
    assert content_disposition('a"b\r\n;c.ics') == (
        "attachment; filename=\"a_b_c.ics\"; filename*=UTF-8''a%22b%0D%0A%3Bc.ics"
    )
    assert ascii_fallback("Café.pdf") == "Cafe.pdf"
    assert ascii_fallback("草稿") == "download"
    content_disposition("草稿.pdf").encode("latin-1")  # a header value Starlette can send


def test_history_times_are_documented_with_or_without_an_offset(client: TestClient) -> None:
    """RFC 3339's `date-time` needs an offset; the set-up's history may be local times (the community's zone)."""
    login(client)
    schema = client.get("/openapi.json").json()
    past = schema["components"]["schemas"]["PastAssignment"]["properties"]
    pattern = re.compile(past["start"]["pattern"])
    assert "format" not in past["start"] and "format" not in past["end"]
    setup = client.get("/api/community/setup").json()
    setup["history"] = [
        {"person": "alice", "start": "2026-12-06T08:00:00", "end": "2026-12-06T16:00:00"},
        {"person": "bob", "start": "2026-12-06T00:00:00+08:00", "end": "2026-12-06T08:00:00Z"},
    ]
    assert client.put("/api/community/setup", json=setup).status_code == 200
    for item in client.get("/api/community/setup").json()["history"]:
        assert pattern.match(item["start"]) and pattern.match(item["end"]), item


def test_days_are_bounded() -> None:
    assert parse_day("2026-12-07") == dt.date(2026, 12, 7)
    assert parse_day("2000-01-01") == EARLIEST_DAY and parse_day("2999-12-31") == LATEST_DAY
    for text in ("1999-12-31", "3000-01-01", "9999-12-27", "0001-01-01", "not-a-date", "", "²"):
        assert parse_day(text) is None, text
    assert day_error(ZH, "soon") == ZH("form.invalid")
    assert day_error(ZH, "9999-12-27") == ZH("form.day_range", first="2000-01-01", last="2999-12-31")

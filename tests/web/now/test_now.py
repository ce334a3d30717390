"""The Now page and `GET /api/now` on a published week at a frozen clock: who is on, who is eating until when,
the next shift, gaps now and within 24 hours, the one to call, an empty state, both languages."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from scheduler.domain.rota import Assignment, Rota, SolveStatus
from tests.web.conftest import PASSWORD, RecordingRunner, login
from tests.web.feeds_support import (
    WEEK,
    ZONE,
    _community,
    _store_draft,
    community_data,
    make_app,
    session,
    week_one,
)
from tests.web.test_chinese_pages import _english_words
from web.app import create_app
from web.rota import drafts
from web.settings import Settings
from web.store import build_scenario

CAROL_PHONE = "13700000000"


def _publish_with_gaps(app: FastAPI) -> None:
    """Week one without Tuesday's and Wednesday's shifts (published with its coverage gaps confirmed)."""
    assignments: list[Assignment] = [a for a in week_one() if a.date.weekday() not in (1, 2)]
    with session(app) as db:
        community = _community(db)
        scenario = build_scenario(db, community, WEEK, 7)
        rota = Rota(
            community=scenario.community, start=WEEK, days=7, timezone=scenario.timezone,
            status=SolveStatus.FEASIBLE, objective=0.0, bound=0.0, assignments=assignments,
        )
        _store_draft(db, community, scenario, rota)
        drafts.publish(db, community, WEEK, "coord", confirm=True)


def _at(app: FastAPI, day: int, hour: int, minute: int = 0) -> None:
    moment = dt.datetime.combine(WEEK + dt.timedelta(days=day), dt.time(hour, minute), ZONE).astimezone(dt.UTC)
    app.state.rota.clock = lambda: moment


def _app(tmp_path: Path) -> FastAPI:
    app = make_app(tmp_path, carol={"phone": CAROL_PHONE})
    _publish_with_gaps(app)
    return app


def test_monday_lunch_who_is_on_eating_next_and_a_gap_within_a_day(tmp_path: Path) -> None:
    app = _app(tmp_path)
    _at(app, 0, 11, 10)
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        client.cookies.set("lang", "en")
        body = client.get("/api/now").json()
        assert body["timezone"] == "Asia/Shanghai"
        assert body["now"].startswith(f"{WEEK.isoformat()}T11:10:00+08:00")
        assert [v["version"] for v in body["versions"]] == [1]
        (gate,) = body["posts"]
        assert gate["id"] == "gate" and gate["name"] == "Gate"
        (current,) = gate["current"]
        assert current["start"].startswith(f"{WEEK.isoformat()}T08:00:00+08:00") and current["gaps"] == []
        people = {p["name"]: p for p in current["people"]}
        assert set(people) == {"张伟", "王强"}
        assert people["张伟"]["role"] == "Volunteer"
        assert people["张伟"]["eating_until"].startswith(f"{WEEK.isoformat()}T11:45:00+08:00")
        assert people["王强"]["eating_until"] is None and people["王强"]["role"] == "Guard"
        assert gate["call"]["name"] == "王强" and gate["call"]["phone"] == CAROL_PHONE
        tuesday = (WEEK + dt.timedelta(days=1)).isoformat()
        assert gate["next"]["start"].startswith(f"{tuesday}T08:00:00+08:00")
        assert gate["next"]["people"] == [] and gate["next"]["gaps"]
        (gap,) = gate["gaps"]
        assert gap["now"] is False and gap["start"].startswith(f"{tuesday}T08:00")
        page = client.get("/now")
        assert page.status_code == 200
        assert 'http-equiv="refresh"' in page.text
        assert "eating until 11:45" in page.text and "Gap soon" in page.text and f"tel:{CAROL_PHONE}" in page.text
        client.cookies.set("lang", "zh")
        page = client.get("/now")
        assert "当前在岗" in page.text and "用餐中，至 11:45" in page.text and "即将缺口" in page.text
        assert "志愿者" in page.text and "大门" in page.text
        assert client.get("/api/now").json()["posts"][0]["current"][0]["people"][0]["role"] in ("志愿者", "保安")
        assert _english_words(page.text) == set()


def test_a_gap_now_on_an_empty_shift(tmp_path: Path) -> None:
    app = _app(tmp_path)
    _at(app, 2, 10)
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        client.cookies.set("lang", "en")
        (gate,) = client.get("/api/now").json()["posts"]
        (current,) = gate["current"]
        assert current["people"] == [] and current["gaps"]
        assert gate["call"] is None
        assert [g["now"] for g in gate["gaps"]] == [True]
        assert [p["name"] for p in gate["next"]["people"]] == ["李娜"]  # Thursday: bob
        page = client.get("/now").text
        assert "Gap now" in page and "Nobody is on this shift." in page
        client.cookies.set("lang", "zh")
        page = client.get("/now").text
        assert "当前缺口" in page and _english_words(page) == set()


def test_nothing_published_is_a_helpful_empty_state(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    _at(app, 0, 9)
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        client.cookies.set("lang", "en")
        assert client.get("/api/now").json()["posts"] == []
        page = client.get("/now")
        assert page.status_code == 200 and "Nothing is published for today" in page.text
        client.cookies.set("lang", "zh")
        assert "今天没有已发布的排班" in client.get("/now").text


def test_home_leads_to_now_and_the_nav_links_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/api/now").status_code == 401
        login(client)
        assert client.get("/").headers["location"] == "/now"
        assert 'href="/now"' in client.get("/people").text


def test_the_schema_documents_the_response() -> None:
    from web.now.api import NowOut

    assert set(NowOut.model_fields) >= {"posts", "now", "timezone"}


def test_generate_proposes_the_next_week_in_the_community_zone(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    # Monday 01:30 in Shanghai is still Sunday in UTC: the week to plan is the next one, not the running one
    monday = WEEK + dt.timedelta(days=7)
    moment = dt.datetime.combine(monday, dt.time(1, 30), ZONE).astimezone(dt.UTC)
    assert moment.date() < monday
    app.state.rota.clock = lambda: moment
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        page = client.get("/generate").text
        assert f'value="{(monday + dt.timedelta(days=7)).isoformat()}"' in page


def test_the_one_to_call_holds_a_lead_role_when_the_data_has_one(tmp_path: Path) -> None:
    data = community_data(alice={"phone": "13600000000"}, carol={"phone": CAROL_PHONE})
    data["roles"][1]["lead"] = True  # the guard leads the shift
    path = tmp_path / "community.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password=PASSWORD, example_path=path,
        secret_key="k" * 40, database_url=None, public_url="http://testserver",
    )
    app = create_app(settings, RecordingRunner(), out=io.StringIO())
    _publish_with_gaps(app)
    _at(app, 0, 9)
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        (gate,) = client.get("/api/now").json()["posts"]
        assert gate["current"][0]["people"][0]["name"] == "张伟"  # alice is first, with a phone
        assert gate["call"]["name"] == "王强" and gate["call"]["phone"] == CAROL_PHONE  # but carol leads

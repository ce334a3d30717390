"""The bans set-up page: list by date (stored index kept for deletes), add, refuse on the right field, delete; the
ban reaches the week's scenario and the solver keeps the person off; escaped names, English, past bans."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from scheduler import Ban, Scenario
from tests.builders import solved
from tests.web.conftest import MONDAY, app_context, stored_community, tiny_community
from web.i18n import Translator
from web.store import build_scenario, first_community, setup_of
from web.tables import AuditEntry, PersonRow

EVIL = "<script>alert(1)</script>"
TUESDAY = "2026-12-08"


@pytest.fixture(autouse=True)
def before_the_week(app: FastAPI) -> None:
    """The page lists coming bans before past ones by the community's today: these tests run as on 1 December 2026,
    whatever the date (MONDAY and TUESDAY are coming then)."""
    app_context(app).clock = lambda: dt.datetime(2026, 12, 1, 4, tzinfo=dt.UTC)


@pytest.fixture
def community_file(tmp_path: Path) -> Path:
    """The tiny community with a second post, 'yard', whose only shift 'late' the gate does not have."""
    posts = tiny_community()["posts"] + [{"id": "yard", "name": {"zh": "后院", "en": "Yard"}, "shifts": [
        {"id": "late", "name": {"zh": "晚班", "en": "Late"}, "start": "16:00", "hours": 6},
    ]}]
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_community(posts=posts), ensure_ascii=False), encoding="utf-8")
    return path


def _scenario(app: FastAPI) -> Scenario:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        return build_scenario(db, community, dt.date.fromisoformat(MONDAY), 7)


def _actions(app: FastAPI) -> list[str]:
    with app_context(app).sessions() as db:
        return [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _add(client: TestClient, token: str, **fields: str) -> Any:
    data = {"csrf_token": token, "person": "", "date": "", "post": "", "shift": "", **fields}
    return client.post("/setup/bans/new", data=data)


def test_add_list_and_delete_bans(client: TestClient, app: FastAPI, logged_in: str) -> None:
    page = client.get("/setup/bans").text
    assert "禁排" in page and "可排班时间" in page and "暂无。" in page
    assert '<option value="alice">Alice</option>' in page and 'value="dave"' not in page  # active people only
    assert '<option value="yard">后院</option>' in page and "大门 · 白班 08:00–16:00" in page
    assert '<option value="">所有班次</option>' in page and 'type="date"' in page
    assert "禁排 <span" in client.get("/setup").text

    assert _add(client, logged_in, person="alice", date=TUESDAY, post="gate", shift="day").status_code == 303
    assert _add(client, logged_in, person="bob", date=MONDAY, post="gate").status_code == 303
    response = _add(client, logged_in, person="carol", date=TUESDAY, post="yard", shift="late")
    assert response.status_code == 303 and response.headers["location"] == "/setup/bans"
    stored = [(b.person, b.date.isoformat(), b.post, b.shift) for b in setup_of(stored_community(app)).bans]
    assert stored == [("alice", TUESDAY, "gate", "day"), ("bob", MONDAY, "gate", None),
                      ("carol", TUESDAY, "yard", "late")]
    assert _scenario(app).bans == setup_of(stored_community(app)).bans
    assert _actions(app)[-3:] == ["setup.bans.create"] * 3

    page = client.get("/setup/bans").text
    zh = Translator("zh")
    monday, tuesday = zh.date(dt.date.fromisoformat(MONDAY)), zh.date(dt.date.fromisoformat(TUESDAY))
    bob, alice, carol = (page.index(f"{monday} · 大门 · 所有班次"), page.index(f"{tuesday} · 大门 · 白班 08:00–16:00"),
                         page.index(f"{tuesday} · 后院 · 晚班 16:00–22:00"))
    assert bob < alice < carol  # by date, then by name
    # each row deletes by its stored index, not its place on the page
    assert bob < page.index('action="/setup/bans/1/delete"') < alice < page.index('action="/setup/bans/0/delete"')

    response = client.post("/setup/bans/1/delete", data={"csrf_token": logged_in})
    assert response.status_code == 303 and response.headers["location"] == "/setup/bans"
    assert [b.person for b in setup_of(stored_community(app)).bans] == ["alice", "carol"]
    assert [b.person for b in _scenario(app).bans] == ["alice", "carol"]
    assert _actions(app)[-1] == "setup.bans.delete"
    assert client.post("/setup/bans/7/delete", data={"csrf_token": logged_in}).status_code == 404
    assert [b.person for b in setup_of(stored_community(app)).bans] == ["alice", "carol"]


def test_what_cannot_be_a_ban_is_refused_on_its_field(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = setup_of(stored_community(app))
    audited = len(_actions(app))
    response = _add(client, logged_in, date=TUESDAY, post="gate")
    assert response.status_code == 400 and 'id="e-person"' in response.text and "必填" in response.text
    assert f'value="{TUESDAY}"' in response.text  # what was typed is kept
    response = _add(client, logged_in, person="alice", date="2026-13-45", post="gate")
    assert response.status_code == 400 and 'id="e-date"' in response.text and 'value="2026-13-45"' in response.text
    assert "日期格式如 2026-12-24" in response.text
    response = _add(client, logged_in, person="alice", date=TUESDAY)
    assert response.status_code == 400 and 'id="e-post"' in response.text
    response = _add(client, logged_in, person="alice", date=TUESDAY, post="nowhere")
    assert response.status_code == 400 and 'id="e-post"' in response.text and "nowhere" in response.text
    response = _add(client, logged_in, person="zed", date=TUESDAY, post="gate")
    assert response.status_code == 400 and 'id="e-person"' in response.text and "zed" in response.text
    response = _add(client, logged_in, person="alice", date=TUESDAY, post="gate", shift="late")
    assert response.status_code == 400 and 'id="e-shift"' in response.text
    # Named as the coordinator knows them: the person and the post by name.
    assert f"Alice 在 {TUESDAY} 的禁排：使用了岗位“大门”没有的班次“late”" in response.text
    assert '<option value="late" selected>后院 · 晚班' in response.text  # the typed shift stays chosen
    assert '<option value="gate" selected>' in response.text
    assert setup_of(stored_community(app)) == before and len(_actions(app)) == audited

    assert _add(client, logged_in, person="alice", date=TUESDAY, post="gate").status_code == 303
    for shift in ("", "day"):  # the whole post that day is already banned, so is each of its shifts
        response = _add(client, logged_in, person="alice", date=TUESDAY, post="gate", shift=shift)
        assert response.status_code == 400 and "此人当天已在此禁排" in response.text
    assert len(setup_of(stored_community(app)).bans) == 1 and len(_actions(app)) == audited + 1


def test_a_ban_where_the_person_is_pinned_is_refused(client: TestClient, app: FastAPI, logged_in: str) -> None:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        community.setup = {**community.setup, "pins": [
            {"person": "alice", "date": TUESDAY, "post": "gate", "shift": "day"}]}
        db.commit()
    response = _add(client, logged_in, person="alice", date=TUESDAY, post="gate")
    assert response.status_code == 400 and 'id="e-post"' in response.text and "请先取消固定排班" in response.text
    assert setup_of(stored_community(app)).bans == []


def test_names_are_escaped_english_and_past_bans_noted(client: TestClient, app: FastAPI, logged_in: str) -> None:
    with app_context(app).sessions() as db:
        row = db.scalars(select(PersonRow).where(PersonRow.key == "bob")).one()
        row.name = EVIL
        db.commit()
    assert _add(client, logged_in, person="bob", date=TUESDAY, post="yard").status_code == 303
    assert _add(client, logged_in, person="alice", date="2020-01-06", post="gate", shift="day").status_code == 303
    page = client.get("/setup/bans").text
    assert EVIL not in page and "&lt;script&gt;" in page
    client.cookies.set("lang", "en")
    page = client.get("/setup/bans").text
    en = Translator("en")
    assert "Kept off a shift" in page and "availability page" in page and "Gate · Day 08:00–16:00" in page
    assert f"{en.date(dt.date.fromisoformat(TUESDAY))} · Yard · every shift" in page
    note = page.index("Past dates: kept for the record")
    assert page.index(en.date(dt.date.fromisoformat(TUESDAY))) < note < page.index(en.date(dt.date(2020, 1, 6)))
    assert len(setup_of(stored_community(app)).bans) == 2  # a past ban is listed, never deleted by itself


def test_the_solver_keeps_banned_people_off(client: TestClient, app: FastAPI, logged_in: str) -> None:
    # Alice off Tuesday's day shift, Bob off the gate all Tuesday: only Carol is left to staff it.
    assert _add(client, logged_in, person="alice", date=TUESDAY, post="gate", shift="day").status_code == 303
    assert _add(client, logged_in, person="bob", date=TUESDAY, post="gate").status_code == 303
    scenario = _scenario(app)
    assert scenario.bans == [
        Ban(person="alice", date=dt.date.fromisoformat(TUESDAY), post="gate", shift="day"),
        Ban(person="bob", date=dt.date.fromisoformat(TUESDAY), post="gate"),
    ]
    result = solved(scenario)  # checked by scheduler.check, which knows the bans too
    assert result.rota is not None
    tuesday = [a.person for a in result.rota.assignments if a.date.isoformat() == TUESDAY and a.post == "gate"]
    assert tuesday == ["carol"]

"""Sign-up rounds end to end: the coordinator opens a week for sign-up, volunteers answer at their secret link
(only the shifts the engine finds them eligible for, per day or per weekday), the coordinator sees each shift's
count against the coverage minimum, and the solver honours sign-ups as wishes that call nobody out, or as pins."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scheduler.check import check
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings
from tests.web.conftest import login
from tests.web.feeds_support import WEEK, make_app, person_token, session
from web.store import build_scenario, first_community, signup_weight
from web.tables import Signup

ZONE = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime.combine(WEEK - dt.timedelta(days=4), dt.time(9), ZONE)
"""The Thursday before the week, 09:00."""
DEADLINE = (WEEK - dt.timedelta(days=2)).isoformat() + "T20:00"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    app = make_app(tmp_path)
    app.state.rota.clock = lambda: NOW
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _open(client: TestClient, **extra: str) -> str:
    csrf = login(client)
    form = {"csrf_token": csrf, "week": WEEK.isoformat(), "days": "7", "deadline": DEADLINE, **extra}
    answer = client.post("/signup", data=form)
    assert answer.status_code == 303 and answer.headers["location"] == f"/signup/{WEEK}", answer.text
    return csrf


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _day(n: int) -> str:
    return (WEEK + dt.timedelta(days=n)).isoformat()


def test_a_volunteer_signs_up_for_shifts_they_may_take(app: FastAPI, client: TestClient) -> None:
    _open(client)
    token = person_token(app, "alice")
    personal = client.get(f"/p/{token}")
    assert f"/p/{token}/signup/{WEEK}" in personal.text  # the banner on the personal page
    page = client.get(f"/p/{token}/signup/{WEEK}")
    assert page.status_code == 200
    assert page.text.count('class="signup-offer"') == 7  # the gate's day shift on each day of the week
    form = {"csrf_token": _csrf(page.text), f"s:gate|day|{_day(0)}": "yes", f"s:gate|day|{_day(1)}": "no",
            "s:gate|night|2099-01-01": "yes", "w:sat|gate|day": "yes", f"s:gate|day|{_day(5)}": ""}
    saved = client.post(f"/p/{token}/signup/{WEEK}", data=form)
    assert saved.status_code == 303, saved.text
    with session(app) as db:
        answers = {(a.date.isoformat(), a.choice) for a in db.query(Signup)}
    # a slot's own answer wins over the weekday's (Saturday left blank on its own line), unknown slots are ignored
    assert answers == {(_day(0), "yes"), (_day(1), "no")}
    form = {"csrf_token": _csrf(page.text), "w:sat|gate|day": "yes", "w:sun|gate|day": "no"}
    assert client.post(f"/p/{token}/signup/{WEEK}", data=form).status_code == 303
    with session(app) as db:
        answers = {(a.date.isoformat(), a.choice) for a in db.query(Signup)}
    assert answers == {(_day(0), "yes"), (_day(1), "no"), (_day(5), "yes"), (_day(6), "no")}
    again = client.get(f"/p/{token}/signup/{WEEK}").text
    assert re.search(rf'name="s:gate\|day\|{_day(0)}" value="yes" checked', again)


def test_the_coordinator_sees_counts_and_thin_shifts(app: FastAPI, client: TestClient) -> None:
    _open(client)
    for person in ("alice", "carol"):
        token = person_token(app, person)
        page = client.get(f"/p/{token}/signup/{WEEK}")
        client.post(f"/p/{token}/signup/{WEEK}", data={"csrf_token": _csrf(page.text), f"s:gate|day|{_day(0)}": "yes"})
    summary = client.get(f"/api/signup/{WEEK}").json()
    monday = next(s for s in summary["slots"] if s["date"] == _day(0))
    assert (monday["yes"], monday["need"], monday["thin"]) == (["张伟", "王强"], 1, False)
    tuesday = next(s for s in summary["slots"] if s["date"] == _day(1))
    assert (tuesday["yes"], tuesday["thin"]) == ([], True)
    assert summary["answered"] == 2 and summary["open"] is True and len(summary["slots"]) == 7
    page = client.get(f"/signup/{WEEK}").text
    assert "6 个班次人手不足" in page and "张伟、王强" in page


def test_sign_ups_are_strong_wishes_that_call_nobody_out(app: FastAPI, client: TestClient) -> None:
    _open(client)
    token = person_token(app, "alice")
    page = client.get(f"/p/{token}/signup/{WEEK}")
    form = {"csrf_token": _csrf(page.text), **{f"s:gate|day|{_day(d)}": "yes" for d in range(7)}}
    assert client.post(f"/p/{token}/signup/{WEEK}", data=form).status_code == 303
    with session(app) as db:
        community = first_community(db)
        assert community is not None
        scenario = build_scenario(db, community, WEEK)
    alice = next(p for p in scenario.people if p.id == "alice")
    wishes = [w for w in alice.preferences if w.kind == "wants" and w.shift == "day"]
    assert len(wishes) == 7 and {w.weight for w in wishes} == {signup_weight(scenario.weights, 8 * 60)}
    result = solve(scenario, SolveSettings(time_limit=10, workers=1))
    assert result.rota is not None and check(scenario, result.rota).ok
    # one person a day is all the gate needs: Alice, who signed up, takes every day, and nobody else is called out
    assert sorted(a.date.isoformat() for a in result.rota.assignments if a.person == "alice") == [
        _day(d) for d in range(7)
    ]
    assert len(result.rota.assignments) == 7


def test_a_wish_is_always_below_the_shifts_own_cost() -> None:
    from scheduler import ObjectiveWeights

    for minutes in (30, 60, 120, 480, 720):
        for staffing, preferences in ((3, 1), (1, 1), (3, 4), (1000, 1)):
            weights = ObjectiveWeights(staffing=staffing, preferences=preferences)
            weight = signup_weight(weights, minutes)
            # below the shift's own staffing cost, or the least a wish can weigh (a shift too short to cost more)
            assert preferences * weight * 60 < staffing * minutes or weight == 1


def test_as_pins_and_after_the_deadline(app: FastAPI, client: TestClient) -> None:
    _open(client, as_pins="1")
    token = person_token(app, "carol")
    page = client.get(f"/p/{token}/signup/{WEEK}")
    client.post(f"/p/{token}/signup/{WEEK}", data={"csrf_token": _csrf(page.text), f"s:gate|day|{_day(2)}": "yes"})
    with session(app) as db:
        community = first_community(db)
        assert community is not None
        pins = build_scenario(db, community, WEEK).pins
    assert [(p.person, p.date.isoformat(), p.post, p.shift) for p in pins] == [("carol", _day(2), "gate", "day")]
    app.state.rota.clock = lambda: NOW + dt.timedelta(days=3)  # past the deadline
    closed = client.get(f"/p/{token}/signup/{WEEK}")
    assert "报名已于" in closed.text and "disabled" in closed.text
    late = client.post(f"/p/{token}/signup/{WEEK}", data={"csrf_token": _csrf(page.text),
                                                           f"s:gate|day|{_day(3)}": "yes"})
    assert late.status_code == 409
    assert f"/p/{token}/signup/" not in client.get(f"/p/{token}").text  # no banner once closed


def test_refusals_name_the_problem(app: FastAPI, client: TestClient) -> None:
    csrf = _open(client)
    again = client.post("/signup", data={"csrf_token": csrf, "week": WEEK.isoformat(), "days": "7",
                                         "deadline": DEADLINE})
    assert again.status_code == 409 and "该时段已有报名轮次" in again.text
    later = (WEEK + dt.timedelta(days=7)).isoformat()
    for deadline, words in (((WEEK + dt.timedelta(days=8)).isoformat() + "T08:00", "截止时间必须早于该时段开始"),
                            ("2000-01-01T08:00", "截止时间必须晚于现在"), ("soon", "请填写日期和时间")):
        answer = client.post("/signup", data={"csrf_token": csrf, "week": later, "days": "7", "deadline": deadline})
        assert answer.status_code == 422 and words in answer.text, deadline
    assert client.get("/signup/2026-13-01").status_code == 404
    assert client.get(f"/p/not-a-token/signup/{WEEK}").status_code == 404
    close = client.post(f"/signup/{WEEK}/close", data={"csrf_token": csrf})
    assert close.status_code == 303 and client.get(f"/api/signup/{WEEK}").json()["open"] is False
    reopen = client.post(f"/signup/{WEEK}/reopen", data={"csrf_token": csrf, "deadline": DEADLINE})
    assert reopen.status_code == 303 and client.get(f"/api/signup/{WEEK}").json()["open"] is True
    assert client.post(f"/signup/{WEEK}/delete", data={"csrf_token": csrf}).status_code == 303
    assert client.get(f"/api/signup/{WEEK}").status_code == 200  # not without the tick
    assert client.post(f"/signup/{WEEK}/delete", data={"csrf_token": csrf, "confirm": "1"}).status_code == 303
    assert client.get(f"/api/signup/{WEEK}").status_code == 404


def test_the_pages_read_in_chinese(app: FastAPI, client: TestClient) -> None:
    from tests.web.test_chinese_pages import _english_words

    _open(client)
    client.cookies.set("lang", "zh")
    token = person_token(app, "alice")
    page = client.get(f"/p/{token}/signup/{WEEK}")
    client.post(f"/p/{token}/signup/{WEEK}", data={"csrf_token": _csrf(page.text), f"s:gate|day|{_day(0)}": "yes"})
    for path in ("/signup", f"/signup/{WEEK}", f"/p/{token}/signup/{WEEK}", f"/p/{token}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _english_words(response.text) == set(), path

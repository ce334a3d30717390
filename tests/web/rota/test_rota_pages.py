"""Rota pages: the week chooser, the week's draft (grid, per person, fairness, checks), adjust forms with
confirmation, publish, versions and their differences, the explanation of an infeasible week, escaping, zh and en."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import delete

from scheduler import person_loads
from scheduler.check import check
from scheduler.domain.rota import Assignment, Break, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from tests.web.conftest import InlineRunner, login, tiny_community
from web.app import ROUTERS, create_app
from web.i18n import Translator
from web.rota.views import fairness_summary
from web.settings import Settings
from web.tables import RotaDraft

WEEK = "2026-12-07"
EVIL = "<script>alert(1)</script>"


def _app(tmp_path: Path, **overrides: Any) -> FastAPI:
    path = tmp_path / "community.json"
    path.write_text(json.dumps(tiny_community(**overrides), ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password="correct horse battery", example_path=path,
        secret_key="k" * 40, solve_time_limit=10, solve_workers=1, database_url=None,
    )
    return create_app(settings, InlineRunner(settings.resolved_database_url()), out=io.StringIO())


def _limited() -> dict[str, Any]:
    """At most four shifts a week each, so the week is spread over several people."""
    return {"default_limits": {"max_shifts_per_week": 4}}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(_app(tmp_path, **_limited()), follow_redirects=False) as test_client:
        yield test_client


def _solve(client: TestClient, token: str) -> int:
    response = client.post("/generate", data={"csrf_token": token, "start": WEEK, "days": "7"})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _use(client: TestClient, token: str) -> int:
    job_id = _solve(client, token)
    page = client.get(f"/jobs/{job_id}").text
    assert "使用此排班" in page and f'action="/rota/{WEEK}/draft"' in page
    response = client.post(f"/rota/{WEEK}/draft", data={"csrf_token": token, "job_id": str(job_id)})
    assert response.status_code == 303 and response.headers["location"] == f"/rota/{WEEK}"
    return job_id


def _draft(client: TestClient) -> dict[str, Any]:
    response = client.get(f"/api/rota/{WEEK}/draft")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _fields(a: dict[str, Any]) -> dict[str, str]:
    return {"person": a["person"], "place": a["post"] or a["duty"], "shift": a["shift"] or "", "date": a["date"]}


def test_week_chooser_defaults_to_the_coming_week_and_lists_weeks(client: TestClient) -> None:
    token = login(client)
    page = client.get("/rota").text
    from web.dates import local_today, next_monday

    coming = next_monday(local_today("Asia/Shanghai", dt.datetime.now(dt.UTC)))  # the community's date, not UTC's
    assert f'value="{coming.isoformat()}"' in page and "还没有草稿" in page
    response = client.get("/rota", params={"week": WEEK})
    assert response.status_code == 303 and response.headers["location"] == f"/rota/{WEEK}"
    bad = client.get("/rota", params={"week": "soon"})
    assert bad.status_code == 400 and 'value="soon"' in bad.text and "值无效" in bad.text
    assert "本周还没有排班" in client.get(f"/rota/{WEEK}").text
    assert client.get("/rota/not-a-date").status_code == 404
    _use(client, token)
    page = client.get("/rota").text
    assert f'href="/rota/{WEEK}"' in page and "草稿" in page


def test_draft_page_shows_grid_people_fairness_and_checks(client: TestClient) -> None:
    token = login(client)
    job_id = _use(client, token)
    page = client.get(f"/rota/{WEEK}").text
    assert f"来自计算 #{job_id}" in page and "本草稿满足所有硬性规则" in page
    assert "大门" in page and "白班" in page and "12/7 周一" in page and "用餐 1" in page
    assert page.count('class="entry') == 7
    assert page.count("+ 添加") == 7  # one add link per day
    assert "没有违反硬性规则" in page and 'class="scroll"' in page
    # the per-person view and fairness are the week's second view, linked from the grid page
    assert page.count(f'href="/rota/{WEEK}/people"') == 2 and "按人员与公平性" in page
    people = client.get(f"/rota/{WEEK}/people").text
    assert "按人员" in people and "公平性" in people and "显示的是草稿" in people
    assert people.count('class="person-shifts"') == 3  # every active person of the tiny community
    assert people.count("<table class=\"fair\">") >= 1 and "12/7 周一" in people
    assert 'aria-current="page"' in people and 'class="grid"' not in people
    shifts = {a["person"]: 0 for a in _draft(client)["rota"]["assignments"]}
    for a in _draft(client)["rota"]["assignments"]:
        shifts[a["person"]] += 1
    for person, count in shifts.items():
        row = re.search(rf'<tr data-person="{person}">.*?<td class="n-shifts">(\d+)</td>', people)
        assert row and int(row.group(1)) == count, person
        hours = re.search(rf'<tr data-person="{person}">.*?<td class="n-hours">([^<]+)</td>', people)
        assert hours and hours.group(1) == str(8 * count), person  # whole hours, as people count them
    client.cookies.set("lang", "en")
    page = client.get(f"/rota/{WEEK}").text
    assert "By person and fairness" in page and "Mon 7 Dec" in page and "Publish" in page
    people = client.get(f"/rota/{WEEK}/people").text
    assert "By person" in people and "Fairness" in people and "Mon 7 Dec" in people


def test_the_grid_shows_a_shift_s_real_times_across_a_clock_change(tmp_path: Path) -> None:
    # Berlin springs forward on Sun 2027-03-28: Saturday's 8-hour night from 23:00 ends at 08:00, not 07:00.
    week = "2027-03-22"
    shifts = [{"id": "day", "name": {"zh": "白班", "en": "Day"}, "start": "08:00", "hours": 8},
              {"id": "night", "start": "23:00", "hours": 8}]
    app = _app(tmp_path, timezone="Europe/Berlin", posts=[{"id": "gate", "name": "Gate", "shifts": shifts}],
               coverage=[{"post": "gate", "shift": "day", "min": 1}, {"post": "gate", "shift": "night", "min": 1}])
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        response = client.post("/generate", data={"csrf_token": token, "start": week, "days": "7"})
        job_id = response.headers["location"].rsplit("/", 1)[1]
        response = client.post(f"/rota/{week}/draft", data={"csrf_token": token, "job_id": job_id})
        assert response.status_code == 303, response.text
        page = client.get(f"/rota/{week}").text
    assert "23:00–07:00" in page  # the row: the template's times
    assert page.count('<strong class="times">') == 1 and '<strong class="times">23:00–08:00</strong>' in page


def test_people_page_shows_the_draft_else_the_latest_version_else_nothing(client: TestClient) -> None:
    token = login(client)
    assert "本周还没有排班" in client.get(f"/rota/{WEEK}/people").text
    assert client.get("/rota/soon/people").status_code == 404
    _use(client, token)
    client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token})
    assert "显示的是草稿" in client.get(f"/rota/{WEEK}/people").text
    context = client.app.state.rota  # type: ignore[attr-defined]
    with context.sessions.begin() as db:  # a week with only a published version (its draft gone)
        db.execute(delete(RotaDraft))
    people = client.get(f"/rota/{WEEK}/people").text
    assert "显示的是第 1 版" in people and people.count('class="person-shifts"') == 3
    assert "第 1 版" in client.get(f"/rota/{WEEK}").text


def test_remove_asks_for_confirmation_then_saves_with_a_warning(client: TestClient) -> None:
    token = login(client)
    _use(client, token)
    first = _draft(client)["rota"]["assignments"][0]
    form = {"csrf_token": token, "action": "remove", **_fields(first)}
    page = client.get(f"/rota/{WEEK}/adjust", params=_fields(first)).text
    assert "移出此班次" in page and "固定" in page and "交给" in page and "与其交换" in page
    response = client.post(f"/rota/{WEEK}/adjust", data=form)
    assert response.status_code == 409
    assert "此调整违反硬性规则" in response.text and "仍然保存" in response.text
    assert 'name="confirm" value="1"' in response.text
    assert len(_draft(client)["rota"]["assignments"]) == 7  # not saved yet
    response = client.post(f"/rota/{WEEK}/adjust", data={**form, "confirm": "1"})
    assert response.status_code == 303
    page = client.get(f"/rota/{WEEK}").text
    assert "已保存，但违反" in page and "警告：本草稿违反" in page
    draft = _draft(client)
    assert draft["check"]["has_violations"] and len(draft["rota"]["assignments"]) == 6


def test_pin_move_swap_and_add_by_form(client: TestClient) -> None:
    token = login(client)
    _use(client, token)
    assignments = _draft(client)["rota"]["assignments"]
    first = assignments[0]
    response = client.post(f"/rota/{WEEK}/adjust", data={"csrf_token": token, "action": "pin", **_fields(first)})
    assert response.status_code == 303
    assert _draft(client)["rota"]["assignments"][0]["pinned"]
    page = client.get(f"/rota/{WEEK}").text
    assert 'class="entry pinned"' in page and "已固定" in page
    page = client.get(f"/rota/{WEEK}/adjust", params=_fields(first)).text
    assert "取消固定" in page and "移出此班次" not in page  # a pinned assignment is unpinned before moving
    response = client.post(f"/rota/{WEEK}/adjust", data={"csrf_token": token, "action": "remove", **_fields(first)})
    assert response.status_code == 400 and "请先取消固定" in response.text

    other = next(a for a in assignments if a["person"] != first["person"])
    response = client.post(
        f"/rota/{WEEK}/adjust",
        data={"csrf_token": token, "action": "move", "to_person": "nobody", **_fields(other)},
    )
    assert response.status_code == 400 and "未知人员 nobody" in response.text and 'aria-invalid="true"' in response.text

    third = next(a for a in assignments[1:] if a["person"] != other["person"])
    swap = "|".join([third["person"], third["post"], third["shift"], third["date"]])
    response = client.post(
        f"/rota/{WEEK}/adjust",
        data={"csrf_token": token, "action": "swap", "other": swap, "confirm": "1", **_fields(other)},
    )
    assert response.status_code == 303, response.text
    after = {(a["person"], a["date"]) for a in _draft(client)["rota"]["assignments"]}
    assert (third["person"], other["date"]) in after and (other["person"], third["date"]) in after

    slot = {"place": "gate", "shift": "day", "date": first["date"]}
    page = client.get(f"/rota/{WEEK}/adjust", params=slot).text
    assert "为 大门 白班" in page and 'name="role"' in page
    newcomer = "bob" if first["person"] != "bob" else "alice"
    role = "guard" if newcomer == "bob" else "vol"
    response = client.post(
        f"/rota/{WEEK}/adjust",
        data={"csrf_token": token, "action": "add", "person": newcomer, "role": role, "confirm": "1", **slot},
    )
    assert response.status_code == 303, response.text
    day = [a["person"] for a in _draft(client)["rota"]["assignments"] if a["date"] == first["date"]]
    assert sorted(day) == sorted([first["person"], newcomer])
    response = client.post(f"/rota/{WEEK}/adjust", data={"csrf_token": token, "action": "fly", **slot})
    assert response.status_code == 400 and "调整不完整" in response.text


def test_move_a_meal_break_by_form(client: TestClient) -> None:
    token = login(client)
    _use(client, token)
    first = _draft(client)["rota"]["assignments"][0]
    (lunch,) = first["breaks"]
    page = client.get(f"/rota/{WEEK}/adjust", params=_fields(first)).text
    assert "用餐开始时间" in page and "调整用餐时间" in page
    options = re.findall(r'<option value="([^"]+)"( selected)?>(\d\d:\d\d)</option>', page)
    assert [label for _, _, label in options] == ["11:00", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30",
                                                  "12:45"]
    assert [value for value, chosen, _ in options if chosen] == [lunch["start"]]
    new = next(value for value, chosen, _ in options if not chosen)
    form = {"csrf_token": token, "action": "break", "index": "0", "break_start": new, **_fields(first)}
    response = client.post(f"/rota/{WEEK}/adjust", data=form)
    assert response.status_code == 303, response.text
    (moved,) = _draft(client)["rota"]["assignments"][0]["breaks"]
    assert dt.datetime.fromisoformat(moved["start"]) == dt.datetime.fromisoformat(new)
    # A time outside the meal window needs the confirmation; a malformed one is a field error.
    late = new[:11] + "15:00:00+08:00"
    response = client.post(f"/rota/{WEEK}/adjust", data={**form, "break_start": late})
    assert response.status_code == 409 and "仍然保存" in response.text and f'value="{late}"' in response.text
    response = client.post(f"/rota/{WEEK}/adjust", data={**form, "break_start": "noon"})
    assert response.status_code == 400 and 'id="e-break_start"' in response.text
    assert _draft(client)["rota"]["assignments"][0]["breaks"] == [moved]
    # The JSON API takes the same change.
    ref = {"person": first["person"], "place": first["post"], "shift": first["shift"], "date": first["date"]}
    body = {"adjustment": {"kind": "break", "assignment": ref, "index": 0, "start": lunch["start"]}}
    response = client.post(f"/api/rota/{WEEK}/adjustments", json=body)
    assert response.status_code == 200, response.text
    assert _draft(client)["rota"]["assignments"][0]["breaks"] == [lunch]


def test_publish_twice_versions_and_their_difference(client: TestClient) -> None:
    token = login(client)
    _use(client, token)
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "note": "first week"})
    assert response.status_code == 303 and response.headers["location"] == f"/rota/{WEEK}/versions/1"
    page = client.get(f"/rota/{WEEK}/versions/1").text
    assert "第 1 版" in page and "首个发布版本" in page and "first week" in page
    first = _draft(client)["rota"]["assignments"][0]
    form = {"csrf_token": token, "action": "remove", "confirm": "1", **_fields(first)}
    assert client.post(f"/rota/{WEEK}/adjust", data=form).status_code == 303
    page = client.get(f"/rota/{WEEK}").text
    assert "相对第 1 版的变化" in page and "取消" in page
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "note": "typed"})
    assert response.status_code == 409 and "请确认后再发布" in response.text and 'value="typed"' in response.text
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "confirm": "1"})
    assert response.headers["location"] == f"/rota/{WEEK}/versions/2"
    page = client.get(f"/rota/{WEEK}/versions/2").text
    assert "相对第 1 版的变化" in page and 'class="change-removed"' in page
    names = {"alice": "Alice", "bob": "Bob", "carol": "Carol"}
    assert re.search(rf'class="change-removed"><strong>{names[first["person"]]}</strong> 取消', page)
    page = client.get(f"/rota/{WEEK}/versions").text
    assert page.index("第 2 版") < page.index("第 1 版")
    assert client.get(f"/rota/{WEEK}/versions/3").status_code == 404
    client.cookies.set("lang", "en")
    page = client.get(f"/rota/{WEEK}/versions/2").text
    assert "Changes against version 1" in page and "loses" in page


def test_no_route_changes_a_published_version() -> None:
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            if "/versions" in route.path:
                assert route.methods == {"GET"}, route.path


def test_an_infeasible_week_shows_the_explanation(tmp_path: Path) -> None:
    app = _app(tmp_path, coverage=[{"post": "gate", "shift": "day", "min": 5}])
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        job_id = _solve(client, token)
        assert "使用此排班" not in client.get(f"/jobs/{job_id}").text
        page = client.get(f"/rota/{WEEK}").text
        assert "本周最近一次计算未找到完整排班" in page and "原因" in page and "可行的调整建议" in page
        explanation = client.get(f"/jobs/{job_id}").text
        summary = re.search(r'<section class="explanation">\s*<h2>[^<]*</h2>\s*<p>([^<]{20})', explanation)
        assert summary and summary.group(1) in page
        response = client.post(f"/rota/{WEEK}/draft", data={"csrf_token": token, "job_id": str(job_id)})
        assert response.status_code == 303 and response.headers["location"] == f"/jobs/{job_id}"
        assert "此次计算没有完整排班" in client.get(f"/jobs/{job_id}").text


def test_a_script_name_is_escaped_in_every_view(tmp_path: Path) -> None:
    people = tiny_community()["people"]
    people[0]["name"] = EVIL
    app = _app(tmp_path, people=people, **_limited())
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        _use(client, token)
        evil_on = next(a for a in _draft(client)["rota"]["assignments"] if a["person"] == "alice")
        page = client.get(f"/rota/{WEEK}").text  # the grid names her while she is on the draft
        assert EVIL not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token})
        client.post(f"/rota/{WEEK}/adjust", data={"csrf_token": token, "action": "remove", "confirm": "1",
                                                  **_fields(evil_on)})
        client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "confirm": "1"})
        pages = [f"/rota/{WEEK}/people", f"/rota/{WEEK}/versions/1", f"/rota/{WEEK}/versions/2",
                 f"/rota/{WEEK}", f"/rota/{WEEK}/versions", "/rota"]
        pages.append(f"/rota/{WEEK}/adjust?" + "&".join(f"{k}={v}" for k, v in _fields(evil_on).items()))
        for path in pages:
            page = client.get(path).text
            assert EVIL not in page, path
        for path in pages[:3]:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(path).text, path


# --------------------------------------------------------------------------------- a hand-computed case


def _day(scenario: Scenario, person: str, day: int) -> Assignment:
    date = scenario.start + dt.timedelta(days=day)
    zone = scenario.zone

    def at(hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(date, dt.time(hour, minute), zone)

    return Assignment(person=person, post="gate", shift="day", role="vol", date=date, start=at(8), end=at(16),
                      breaks=[Break(start=at(11), end=at(11, 45))])


def test_person_view_and_fairness_against_a_hand_computed_case() -> None:
    """Alice works Wed-Sun (40 h, two weekend shifts), Carol Mon and Tue (16 h), Bob nothing.

    Vol group: capacity Alice 7 × 24 h = 10,080 min, Carol two 07:00-18:00 windows = 1,320 min; permille shares
    884 and 116. Total 3,360 min: Alice's share 884 × 3360 / 1000 = 2,970.24 min (49.504 h), the band from
    49.504 - 8 = 41.504 h to 57.504 h; her 40 h lie below it, which costs nothing. Carol's share 389.76 min, fair
    up to 869.76 min (14.496 h): 960 min is 90.24 min over, costed to the minute: 91/60. Weekends: total 2, Alice's
    share 1.768, rounded up 2 (fair), Carol's 0.232. Person-hours are free here (staffing 0): fairness alone.
    """
    data = tiny_community(weights={"fairness_hours": 1, "fairness_nights": 2, "fairness_weekends": 2, "staffing": 0})
    data["people"] = [p for p in data["people"] if p["id"] != "dave"]
    scenario = Scenario.model_validate(data)
    assignments = [_day(scenario, "carol", d) for d in (0, 1)] + [_day(scenario, "alice", d) for d in range(2, 7)]
    rota = Rota(community="Tiny", start=scenario.start, days=7, timezone=scenario.timezone,
                status=SolveStatus.FEASIBLE, objective=None, bound=None, assignments=assignments)
    result = check(scenario, rota)
    assert result.ok, result.violations
    t = Translator("en")
    loads = {load.person: load for load in person_loads(scenario, rota, t.lang)}
    assert (len(loads["alice"].shifts), loads["alice"].hours, loads["alice"].nights, loads["alice"].weekends) == (
        5, 40, 0, 2)
    assert (len(loads["carol"].shifts), loads["carol"].hours, loads["carol"].weekends) == (2, 16, 0)
    assert (len(loads["bob"].shifts), loads["bob"].hours) == (0, 0)
    groups = fairness_summary(scenario, rota, list(loads.values()), t)
    vol = next(g for g in groups if g.role == "Volunteer")
    alice, carol = (next(r for r in vol.rows if r.person == p) for p in ("alice", "carol"))
    assert alice.hours.value == 40
    assert (alice.hours.share, alice.hours.low, alice.hours.high) == pytest.approx((49.504, 41.504, 57.504))
    assert alice.hours.outside == 0 and alice.hours.fair and alice.cost == 0
    assert carol.hours.share == pytest.approx(389.76 / 60) and carol.hours.high == pytest.approx(869.76 / 60)
    assert carol.hours.outside == pytest.approx(90.24 / 60) and carol.cost == pytest.approx(91 / 60)
    assert (alice.weekends.share, alice.weekends.high, alice.weekends.fair) == (pytest.approx(1.768), 2, True)
    assert (carol.weekends.share, carol.weekends.fair) == (pytest.approx(0.232), True)
    assert result.objective == pytest.approx(91 / 60)
    guard = next(g for g in groups if g.role == "Guard")
    assert [(r.person, r.hours.value, r.hours.fair) for r in guard.rows] == [("bob", 0, True)]

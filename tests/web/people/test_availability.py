"""Availability: the grid conversion (round trips, midnight, merging), the page (grid, quick add, clear, errors
kept), absences added and removed, the API, escaping, and a valid scenario afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from scheduler import WeeklyWindow
from tests.web.conftest import MONDAY, app_context
from web.people import availability_grid as grid
from web.store import build_scenario, first_community, person_row
from web.tables import AuditEntry, PersonRow

XSS = "<script>alert(1)</script>"


def _windows(*items: tuple[list[str], str, str]) -> list[WeeklyWindow]:
    return [WeeklyWindow.model_validate({"days": d, "start": s, "end": e}) for d, s, e in items]


def _json(windows: list[WeeklyWindow]) -> list[dict[str, Any]]:
    return [w.model_dump(mode="json") for w in windows]


# ---------------------------------------------------------------------------------------------- the grid


@pytest.mark.parametrize(
    "windows",
    [
        _windows((["mon", "tue", "wed", "thu", "fri"], "07:00", "18:00")),
        _windows((["sat"], "22:00", "06:00")),  # crosses midnight
        _windows((["wed"], "00:00", "24:00"), (["sun"], "20:00", "08:30")),  # Sunday night into Monday
        _windows((["mon", "wed"], "06:30", "09:00"), (["mon", "wed"], "17:00", "21:30")),
        _windows((["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "00:00", "24:00")),
    ],
)
def test_round_trip(windows: list[WeeklyWindow]) -> None:
    slots = grid.windows_to_slots(windows)
    assert _json(grid.slots_to_windows(slots)) == _json(windows)
    assert grid.windows_to_slots(grid.slots_to_windows(slots)) == slots


def test_crossing_midnight_marks_the_next_morning() -> None:
    slots = grid.windows_to_slots(_windows((["sun"], "22:00", "06:00")))
    assert (6, 44) in slots and (6, 47) in slots  # Sunday 22:00-24:00
    assert (0, 0) in slots and (0, 11) in slots and (0, 12) not in slots  # Monday 00:00-06:00, around the week
    assert len(slots) == 16


def test_adjacent_slots_and_windows_merge() -> None:
    slots = grid.windows_to_slots(_windows((["mon"], "08:00", "12:00"), (["mon"], "12:00", "14:00")))
    assert _json(grid.slots_to_windows(slots)) == [{"days": ["mon"], "start": "08:00", "end": "14:00"}]
    evening_then_morning = {(0, s) for s in range(40, 48)} | {(1, s) for s in range(0, 12)}
    assert _json(grid.slots_to_windows(evening_then_morning)) == [{"days": ["mon"], "start": "20:00", "end": "06:00"}]


def test_runs_longer_than_a_day_are_cut_at_midnight() -> None:
    slots = {(0, s) for s in range(16, 48)} | {(1, s) for s in range(48)} | {(2, s) for s in range(0, 24)}
    assert _json(grid.slots_to_windows(slots)) == [
        {"days": ["wed"], "start": "00:00", "end": "12:00"},
        {"days": ["tue"], "start": "00:00", "end": "24:00"},
        {"days": ["mon"], "start": "08:00", "end": "24:00"},
    ]
    assert grid.windows_to_slots(grid.slots_to_windows(slots)) == slots


def test_empty_grid_is_any_time_and_off_grid_windows_widen() -> None:
    assert grid.slots_to_windows(set()) == []
    odd = _windows((["mon"], "07:15", "08:10"))
    assert not grid.on_grid(odd)
    assert _json(grid.slots_to_windows(grid.windows_to_slots(odd))) == [
        {"days": ["mon"], "start": "07:00", "end": "08:30"}
    ]


def test_slot_names() -> None:
    assert grid.parse_slot(grid.slot_name(6, 47)) == (6, 47)
    for bad in ("7-0", "0-48", "-1-2", "a-b", "3", ""):
        assert grid.parse_slot(bad) is None


# ---------------------------------------------------------------------------------------------- the page


def _row(app: FastAPI, key: str) -> PersonRow:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        row = person_row(db, community, key)
        assert row is not None
        return row


def _actions(app: FastAPI) -> list[str]:
    with app_context(app).sessions() as db:
        return [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _cells(day: int, first: int, last: int) -> list[str]:
    return [grid.slot_name(day, s) for s in range(first, last)]


def test_page_shows_the_grid_and_links(client: TestClient, logged_in: str) -> None:
    page = client.get("/people/carol/availability").text
    assert "Carol 的可排班时间" in page and "全部不勾表示任何时间都可以" in page
    assert 'value="0-14" aria-label="星期一 07:00–07:30" checked' in page  # Mon 07:00, from 07:00–18:00
    assert 'value="0-36" aria-label="星期一 18:00–18:30">' in page  # 18:00 not ticked
    assert 'value="2-14" aria-label="星期三 07:00–07:30">' in page
    assert page.count('name="slot"') == 7 * 48
    assert "星期一、星期二 07:00–18:00" in page
    assert "/people/carol/availability" in client.get("/people").text
    assert "/people/carol/availability" in client.get("/people/carol/edit").text
    assert "任何时间都可以。" in client.get("/people/alice/availability").text
    assert client.get("/people/nobody/availability").status_code == 404


def test_save_the_grid(client: TestClient, app: FastAPI, logged_in: str) -> None:
    slots = _cells(5, 44, 48) + _cells(6, 0, 12) + _cells(0, 16, 24) + _cells(2, 16, 24)
    response = client.post("/people/alice/availability", data={"csrf_token": logged_in, "slot": slots,
                                                               "action": "save"})
    assert response.status_code == 303 and response.headers["location"] == "/people/alice/availability"
    assert _row(app, "alice").availability == [
        {"days": ["mon", "wed"], "start": "08:00", "end": "12:00"},
        {"days": ["sat"], "start": "22:00", "end": "06:00"},
    ]
    assert "已保存 Alice 的可排班时间" in client.get("/people/alice/availability").text
    assert _actions(app)[-1] == "person.availability"


def test_quick_add_and_clear(client: TestClient, app: FastAPI, logged_in: str) -> None:
    data = {"csrf_token": logged_in, "slot": _cells(0, 16, 18), "quick_days": ["mon", "fri"],
            "quick_start": "09:00", "quick_end": "02:00", "action": "save"}
    assert client.post("/people/alice/availability", data=data).status_code == 303
    assert _row(app, "alice").availability == [
        {"days": ["mon"], "start": "08:00", "end": "02:00"},
        {"days": ["fri"], "start": "09:00", "end": "02:00"},
    ]
    response = client.post("/people/alice/availability", data={"csrf_token": logged_in, "action": "clear",
                                                               "slot": _cells(0, 0, 4)})
    assert response.status_code == 303
    assert _row(app, "alice").availability == []


def test_invalid_grid_input_is_shown_again(client: TestClient, app: FastAPI, logged_in: str) -> None:
    data = {"csrf_token": logged_in, "slot": _cells(3, 20, 22), "quick_days": [], "quick_start": "9am",
            "quick_end": "09:00", "action": "save"}
    response = client.post("/people/carol/availability", data=data)
    assert response.status_code == 400
    page = response.text
    assert "请至少勾选一天" in page and "请填写 07:30 这样的时间" in page
    assert 'value="9am"' in page and 'value="09:00"' in page
    assert 'value="3-20" aria-label="星期四 10:00–10:30" checked' in page  # the ticks are kept
    assert 'value="0-14" aria-label="星期一 07:00–07:30">' in page  # as sent, not as saved
    response = client.post("/people/carol/availability", data={**data, "quick_days": ["tue"], "quick_start": "09:00"})
    assert response.status_code == 400 and "开始和结束时间相同" in response.text
    response = client.post("/people/carol/availability", data={"csrf_token": logged_in, "slot": ["9-9"]})
    assert response.status_code == 400 and "表格提交了无效的格子" in response.text
    assert _row(app, "carol").availability == [{"days": ["mon", "tue"], "start": "07:00", "end": "18:00"}]


def test_absences_add_and_remove(client: TestClient, app: FastAPI, logged_in: str) -> None:
    url = "/people/bob/availability/absences"
    response = client.post(url, data={"csrf_token": logged_in, "date": "2026-12-10", "until": "2026-12-11",
                                      "start": "", "end": "", "reason": "手术陪护"})
    assert response.status_code == 303
    client.post(url, data={"csrf_token": logged_in, "date": "2026-12-08", "until": "", "start": "09:00",
                           "end": "12:30", "reason": ""})
    assert _row(app, "bob").absences == [
        {"date": "2026-12-08", "until": None, "start": "09:00", "end": "12:30", "reason": None},
        {"date": "2026-12-10", "until": "2026-12-11", "start": None, "end": None, "reason": "手术陪护"},
    ]
    page = client.get("/people/bob/availability").text
    assert "手术陪护" in page and "09:00–12:30" in page and "全天" in page
    # a stale remove form (the list changed) removes nothing
    response = client.post(url + "/0/delete", data={"csrf_token": logged_in, "entry": "{}"})
    assert response.status_code == 303 and len(_row(app, "bob").absences) == 2
    entry = '{"date":"2026-12-08","until":null,"start":"09:00","end":"12:30","reason":null}'
    assert f'value="{entry.replace(chr(34), "&#34;")}"' in page
    response = client.post(url + "/0/delete", data={"csrf_token": logged_in, "entry": entry})
    assert response.status_code == 303
    assert _row(app, "bob").absences == [
        {"date": "2026-12-10", "until": "2026-12-11", "start": None, "end": None, "reason": "手术陪护"}
    ]
    assert client.post(url + "/5/delete", data={"csrf_token": logged_in, "entry": entry}).status_code == 303
    assert "person.absence.add" in _actions(app) and _actions(app)[-1] == "person.absence.remove"


def test_invalid_absence_is_shown_again(client: TestClient, app: FastAPI, logged_in: str) -> None:
    url = "/people/bob/availability/absences"
    cases = [
        ({"date": "", "until": "", "start": "", "end": ""}, "必填"),
        ({"date": "12/08/2026", "until": "", "start": "", "end": ""}, "请填写 2026-12-07 这样的日期"),
        ({"date": "2026-12-08", "until": "2026-12-01", "start": "", "end": ""}, "结束日期早于开始日期"),
        ({"date": "2026-12-08", "until": "", "start": "09:00", "end": ""}, "请同时填写两个时间"),
        ({"date": "2026-12-08", "until": "", "start": "22:00", "end": "06:00"}, "跨午夜的请假请分成两条"),
        ({"date": "2026-12-08", "until": "", "start": "25:00", "end": "26:00"}, "请填写 07:30 这样的时间"),
    ]
    for fields, text in cases:
        response = client.post(url, data={"csrf_token": logged_in, "reason": "kept", **fields})
        assert response.status_code == 400, fields
        assert text in response.text, fields
        assert 'value="kept"' in response.text
        if fields["date"]:
            assert f'value="{fields["date"]}"' in response.text
    assert _row(app, "bob").absences == []


def test_escaping(client: TestClient, app: FastAPI, logged_in: str) -> None:
    response = client.post("/api/people", json={"id": "xss", "name": XSS, "roles": ["vol"]})
    assert response.status_code == 201
    client.post("/people/xss/availability/absences", data={"csrf_token": logged_in, "date": "2026-12-08",
                                                          "until": "", "start": "", "end": "", "reason": XSS})
    page = client.get("/people/xss/availability").text
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    response = client.post("/people/xss/availability/absences", data={"csrf_token": logged_in, "date": XSS,
                                                                      "until": "", "start": "", "end": ""})
    assert response.status_code == 400 and XSS not in response.text


def test_scenario_stays_valid(client: TestClient, app: FastAPI, logged_in: str) -> None:
    slots = _cells(6, 44, 48) + _cells(0, 0, 4)
    client.post("/people/alice/availability", data={"csrf_token": logged_in, "slot": slots})
    client.post("/people/alice/availability/absences", data={"csrf_token": logged_in, "date": MONDAY, "until": "",
                                                            "start": "", "end": "", "reason": ""})
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        alice = build_scenario(db, community, dt.date.fromisoformat(MONDAY)).person("alice")
    assert _json(alice.availability) == [{"days": ["sun"], "start": "22:00", "end": "02:00"}]
    assert alice.absences[0].date == dt.date.fromisoformat(MONDAY)


# ---------------------------------------------------------------------------------------------- API


def test_api_get_and_put(client: TestClient, app: FastAPI, logged_in: str) -> None:
    assert client.get("/api/people/carol/availability").json() == {
        "availability": [{"days": ["mon", "tue"], "start": "07:00", "end": "18:00"}], "absences": [],
    }
    body = {"availability": [{"days": ["sat"], "start": "22:00", "end": "06:00"}],
            "absences": [{"date": "2026-12-09", "reason": "exam"}]}
    response = client.put("/api/people/carol/availability", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["absences"][0] == {"date": "2026-12-09", "until": None, "start": None, "end": None,
                                              "reason": "exam"}
    assert _row(app, "carol").availability == body["availability"]
    assert _actions(app)[-1] == "person.availability"
    assert client.get("/api/people/nobody/availability").status_code == 404


def test_api_rejects_bad_input(client: TestClient, app: FastAPI, logged_in: str) -> None:
    bad = [
        ({"availability": [{"days": ["mon"], "start": "08:00", "end": "08:00"}]}, ["body", "availability", 0]),
        ({"availability": [{"days": ["funday"], "start": "08:00", "end": "09:00"}]},
         ["body", "availability", 0, "days", 0]),
        ({"availability": [], "absences": [{"date": "2026-12-09", "until": "2026-12-01"}]}, ["body", "absences", 0]),
        ({"availability": [], "colour": "blue"}, ["body", "colour"]),
    ]
    for body, loc in bad:
        response = client.put("/api/people/carol/availability", json=body)
        assert response.status_code == 422, body
        assert response.json()["detail"][0]["loc"] == loc, response.json()
    response = client.put("/api/people/carol/availability", content=b"availability=", headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert _row(app, "carol").availability == [{"days": ["mon", "tue"], "start": "07:00", "end": "18:00"}]


def test_api_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    path = schema["paths"]["/api/people/{key}/availability"]
    assert {"get", "put"} <= set(path) and "422" in path["put"]["responses"]
    assert "/people/{key}/availability" not in schema["paths"]

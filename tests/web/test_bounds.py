"""Bounded inputs on the web: names and labels refused on the field, stored values that break today's rules still
shown (repaired), request bodies past the limit answered 413 unread."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import RecordingRunner, app_context
from tests.web.people.forms import person_form
from web.app import MAX_BODY_BYTES, create_app
from web.settings import Settings
from web.store import first_community, person_from_row, person_row, setup_of
from web.tables import Community, PersonRow

RLO = "\u202e"


def test_the_person_form_refuses_bidi_and_long_names_on_the_field(client: TestClient, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    response = client.post("/people/new", data=person_form(logged_in, name=f"王{RLO}五"))
    assert response.status_code == 400
    assert 'id="e-name"' in response.text
    assert "Contains U+202E" in response.text
    response = client.post("/people/new", data=person_form(logged_in, name="x" * 65))
    assert response.status_code == 400 and "At most 64 characters" in response.text
    response = client.post("/people/new", data=person_form(logged_in, phone="138\x0b0000"))
    assert response.status_code == 400 and 'id="e-phone"' in response.text


def test_the_api_refuses_them_with_the_field(client: TestClient, logged_in: str) -> None:
    response = client.post("/api/people", json={"id": "frank", "name": f"Fr{RLO}ank", "roles": ["guard"]})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "name"] and error["type"] == "text_characters"


def test_the_general_settings_refuse_a_bidi_community_name(client: TestClient, logged_in: str) -> None:
    fields = {"name": f"Tiny{RLO}", "timezone": "Asia/Shanghai", "night_start": "23:00", "night_end": "05:00",
              "coordinator": "Wang 138", "nights_allowed": "", "max_hours_per_week": "", "max_shifts_per_week": "",
              "min_hours_total": "", "max_hours_total": "", "max_consecutive_days": "", "min_consecutive_days": "",
              "min_consecutive_days_off": "", "min_rest_hours": "", "max_nights_per_week": "", "max_weekends": ""}
    response = client.post("/setup/general", data={"csrf_token": logged_in, **fields})
    assert response.status_code == 400
    assert 'id="e-name"' in response.text


def test_stored_values_from_before_are_shown_repaired(
    client: TestClient, app: FastAPI, settings: Settings, runner: RecordingRunner, logged_in: str
) -> None:
    with app_context(app).sessions.begin() as db:
        community = first_community(db)
        assert community is not None
        row = person_row(db, community, "alice")
        assert row is not None
        row.name = f"Al{RLO}ice" + "e" * 90  # accepted by an earlier version (up to 100 characters, any)
        setup = dict(community.setup)
        roles = [dict(role) for role in setup["roles"]]
        roles[0]["name"] = {"zh": f"志{RLO}愿者", "en": "Vol\nunteer"}
        setup["roles"] = roles
        community.setup = setup
        community.name = "T" * 150
    for path in ("/people", "/people/alice/edit", "/setup", "/setup/general", "/generate", "/api/people"):
        assert client.get(path).status_code == 200, path  # read through the models: repaired, never refused
    # the next start rewrites them, so pages that show a stored column as it is show it repaired too
    again = create_app(settings, runner=runner, out=io.StringIO())
    with TestClient(again) as second:
        second.cookies = client.cookies  # the same secret key: the same session
        for path in ("/people", "/people/alice/edit", "/setup", "/setup/general", "/generate"):
            response = second.get(path)
            assert response.status_code == 200, path
            assert RLO not in response.text, path
        assert "Alice" + "e" * 59 + "<" in second.get("/people").text
    with app_context(app).sessions() as db:
        stored = db.get(Community, community.id)
        assert stored is not None
        assert setup_of(stored).roles[0].name.en == "Vol unteer"
        person = person_from_row(_only(db.query(PersonRow).filter_by(key="alice")))
        assert person.name == "Alice" + "e" * 59
        assert stored.name == "T" * 64
        assert _only(db.query(PersonRow).filter_by(key="alice")).name == "Alice" + "e" * 59


def _only(rows: Any) -> PersonRow:
    (row,) = list(rows)
    assert isinstance(row, PersonRow)
    return row


def test_a_body_past_the_limit_is_refused(client: TestClient, logged_in: str) -> None:
    big = json.dumps({"id": "frank", "name": "x" * (MAX_BODY_BYTES + 10), "roles": ["guard"]})
    response = client.post("/api/people", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413, response.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        data = big.encode()
        for start in range(0, len(data), 1024 * 1024):
            yield data[start:start + 1024 * 1024]

    response = client.post("/api/people", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    client.cookies.set("lang", "en")
    page = client.post("/people/new", data=person_form(logged_in, name="x" * (MAX_BODY_BYTES + 10)))
    assert page.status_code == 413 and "too large" in page.text


def test_a_body_under_the_limit_is_read(client: TestClient, logged_in: str) -> None:
    body = {"id": "frank", "name": "Frank", "roles": ["guard"], "phone": "1" * 41}
    response = client.post("/api/people", json=body)
    assert response.status_code == 422  # read, then refused on its field
    assert response.json()["detail"][0]["loc"] == ["body", "phone"]


def test_an_absence_reason_is_checked_on_its_field(client: TestClient, app: FastAPI, logged_in: str) -> None:
    url = "/people/bob/availability/absences"
    fields = {"csrf_token": logged_in, "date": "2026-12-08", "until": "", "start": "", "end": ""}
    response = client.post(url, data={**fields, "reason": f"手术{RLO}陪护"})
    assert response.status_code == 400 and "含有 U+202E" in response.text
    response = client.post(url, data={**fields, "reason": "x" * 201})
    assert response.status_code == 400 and "最多 200 个字符" in response.text
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        row = person_row(db, community, "bob")
        assert row is not None and row.absences == []


def test_absences_are_bounded(client: TestClient, app: FastAPI, logged_in: str) -> None:
    many = [{"date": (dt.date(2027, 1, 1) + dt.timedelta(days=i)).isoformat()} for i in range(401)]
    response = client.put("/api/people/bob/availability", json={"availability": [], "absences": many})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "absences"]
    response = client.put("/api/people/bob/availability", json={"availability": [], "absences": many[:400]})
    assert response.status_code == 200
    url = "/people/bob/availability/absences"
    fields = {"csrf_token": logged_in, "date": "2028-01-01", "until": "", "start": "", "end": "", "reason": ""}
    response = client.post(url, data=fields)
    assert response.status_code == 400 and "最多 400 条请假" in response.text


def test_a_role_and_a_post_name_are_checked_on_their_field(client: TestClient, logged_in: str) -> None:
    role = {"csrf_token": logged_in, "id": "medic", "name_zh": f"医{RLO}护", "name_en": "M" * 65, "mark": "医"}
    response = client.post("/setup/roles/new", data=role)
    assert response.status_code == 400
    assert 'id="e-name_zh"' in response.text and 'id="e-name_en"' in response.text
    assert "含有 U+202E" in response.text and "最多 64 个字符" in response.text

"""A role's default limits on the set-up pages and the set-up API: typed, stored, shown, applied to the week's
scenario (a person's own value still wins), and refused with the field named when a value is wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import MONDAY, app_context, stored_community
from web.store import CommunitySetup, build_scenario, first_community, setup_of

NO_LIMITS = {
    name: "" for name in (
        "max_hours_per_week", "max_shifts_per_week", "min_hours_total", "max_hours_total", "max_consecutive_days",
        "min_consecutive_days", "min_consecutive_days_off", "min_rest_hours", "max_nights_per_week", "max_weekends",
        "nights_allowed",
    )
}


def _setup(app: FastAPI) -> CommunitySetup:
    return setup_of(stored_community(app))


def _volunteers(token: str, **limits: str) -> dict[str, Any]:
    return {"csrf_token": token, "id": "vol", "name_zh": "志愿者", "name_en": "Volunteer", "mark": "志",
            **NO_LIMITS, **limits}


def _week_limits(app: FastAPI) -> dict[str, Any]:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        scenario = build_scenario(db, community, dt.date.fromisoformat(MONDAY), 7)
        return {p.id: scenario.limits_of(p) for p in scenario.people}


def test_role_limits_round_trip_and_apply(client: TestClient, app: FastAPI, logged_in: str) -> None:
    typed = {"max_nights_per_week": "2", "max_hours_per_week": "40.5", "max_shifts_per_week": "5",
             "nights_allowed": "yes"}
    response = client.post("/setup/roles/vol/edit", data=_volunteers(logged_in, **typed))
    assert response.status_code == 303, response.text
    role = _setup(app).role("vol")
    assert role is not None
    limits = role.limits
    assert (limits.max_nights_per_week, limits.max_hours_per_week, limits.max_shifts_per_week) == (2, 40.5, 5)
    assert limits.nights_allowed is True and limits.max_weekends is None
    form = client.get("/setup/roles/vol/edit").text
    assert "此角色的限制" in form and 'name="max_nights_per_week" type="text" value="2"' in form
    assert 'value="40.5"' in form and '<option value="yes" selected>' in form
    assert "每周最多夜班：2" in client.get("/setup/roles").text
    client.cookies.set("lang", "en")
    assert "Max nights per week: 2" in client.get("/setup/roles").text
    assert "Limits of this role" in client.get("/setup/roles/vol/edit").text
    # The week's scenario: Alice and Carol (volunteers) get 2 nights; Bob, a guard only, none.
    week = _week_limits(app)
    assert week["alice"].max_nights_per_week == 2 and week["carol"].max_nights_per_week == 2
    assert week["bob"].max_nights_per_week is None
    # Emptied again: no role limit.
    assert client.post("/setup/roles/vol/edit", data=_volunteers(logged_in)).status_code == 303
    role = _setup(app).role("vol")
    assert role is not None and role.limits.max_nights_per_week is None


def test_bad_role_limits_name_the_field_and_store_nothing(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _setup(app)
    typed = {"max_nights_per_week": "-1", "max_hours_per_week": "lots", "nights_allowed": "yes"}
    response = client.post("/setup/roles/vol/edit", data=_volunteers(logged_in, **typed))
    assert response.status_code == 400
    page = response.text
    assert 'id="e-max_nights_per_week"' in page and 'id="e-max_hours_per_week"' in page
    assert 'value="-1"' in page and 'value="lots"' in page
    assert _setup(app) == before


def test_role_limits_in_the_api(client: TestClient, app: FastAPI, logged_in: str) -> None:
    body = client.get("/api/community/setup").json()
    assert body["roles"][0]["limits"]["max_nights_per_week"] is None
    body["roles"][0]["limits"] = {"max_nights_per_week": 2}
    response = client.put("/api/community/setup", json=body)
    assert response.status_code == 200, response.text
    assert client.get("/api/community/setup").json()["roles"][0]["limits"]["max_nights_per_week"] == 2
    before = _setup(app)
    body["roles"][0]["limits"] = {"max_nights_per_week": -1, "nights": True}
    response = client.put("/api/community/setup", json=body)
    assert response.status_code == 422
    locs = [p["loc"] for p in response.json()["detail"]]
    assert ["body", "roles", 0, "limits", "max_nights_per_week"] in locs
    assert ["body", "roles", 0, "limits", "nights"] in locs
    assert _setup(app) == before


def test_the_person_form_says_where_an_empty_limit_comes_from(client: TestClient, logged_in: str) -> None:
    body = client.get("/api/community/setup").json()
    body["roles"][0]["limits"] = {"max_nights_per_week": 2, "nights_allowed": True}  # volunteers
    body["roles"][1]["limits"] = {"max_nights_per_week": 1}  # guards
    body["default_limits"] = {"max_hours_per_week": 40}
    assert client.put("/api/community/setup", json=body).status_code == 200
    alice = client.get("/people/alice/edit").text  # a volunteer
    assert "留空：2，来自角色志愿者。" in alice and "留空：40，社区默认值。" in alice and "留空：不限。" in alice
    assert "留空：可以，来自角色志愿者。" in alice
    client.cookies.set("lang", "en")
    carol = client.get("/people/carol/edit").text  # a volunteer and a guard: the stricter guards' limit
    assert "Empty: 1, from the role Guard." in carol and "Empty: 40, the community default." in carol
    assert "Empty: no limit." in client.get("/people/new").text

"""JSON API of the community set-up: read, replace whole, 422 with field paths (broken references included),
415 for non-JSON, 401 without a login, an audit entry per change, documented in OpenAPI."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import app_context, login
from web.store import first_community
from web.tables import AuditEntry


def _stored(app: FastAPI) -> dict[str, Any]:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        return dict(community.setup)


def _audit(app: FastAPI) -> list[AuditEntry]:
    with app_context(app).sessions() as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.action == "setup.replace")))


def test_get_returns_the_setup(client: TestClient, logged_in: str) -> None:
    response = client.get("/api/community/setup")
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["roles"]] == ["vol", "guard"]
    assert body["posts"][0]["shifts"][0] == {
        "id": "day", "name": {"zh": "白班", "en": "Day"}, "start": "08:00", "hours": 8.0, "end": None,
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "night": None,
    }
    assert body["meal_rules"][0]["windows"][0]["start"] == "11:00"


def test_put_replaces_the_whole_setup(client: TestClient, app: FastAPI, logged_in: str) -> None:
    body = client.get("/api/community/setup").json()
    body["roles"].append({"id": "medic", "name": {"zh": "医护", "en": "Medic"}})
    body["posts"][0]["shifts"].append({"id": "night", "start": "22:00", "hours": 10})
    body["coverage"].append({"post": "gate", "shift": "night", "role": "medic", "min": 0, "max": 1})
    body["team_duties"] = [{"id": "visits", "name": "Visits", "window": {"start": "09:00", "end": "12:00"},
                            "roles": ["vol", "guard"]}]
    body["successions"] = [{"from": "night", "to": "day", "post": "gate"}]
    response = client.put("/api/community/setup", json=body)
    assert response.status_code == 200, response.text
    again = client.get("/api/community/setup").json()
    assert again == response.json()
    assert [s["id"] for s in again["posts"][0]["shifts"]] == ["day", "night"]
    assert again["successions"] == [{"from": "night", "to": "day", "post": "gate"}]
    assert again["team_duties"][0]["name"] == {"zh": "Visits", "en": "Visits"}
    entries = _audit(app)
    assert len(entries) == 1 and entries[0].actor == "coord" and entries[0].details == {"via": "api"}
    # the people still make a valid scenario: the page starts a solve
    token = client.get("/generate").text.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/generate", data={"csrf_token": token, "start": "2026-12-07", "days": "7"}
                       ).status_code == 303


def test_broken_references_are_422_with_field_paths(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _stored(app)
    good = client.get("/api/community/setup").json()
    cases: list[tuple[dict[str, Any], list[Any], str]] = [
        ({**good, "coverage": [{"post": "moon", "min": 1}]}, ["body", "coverage", 0, "post"], "post “moon”"),
        ({**good, "coverage": [{"post": "gate", "shift": "night"}]}, ["body", "coverage", 0, "shift"], "night"),
        ({**good, "coverage": [{"post": "gate", "role": "wizard"}]}, ["body", "coverage", 0, "role"], "wizard"),
        ({**good, "meal_rules": [{**good["meal_rules"][0], "scarce_roles": ["wizard"]}]},
         ["body", "meal_rules", 0, "scarce_roles"], "wizard"),
        ({**good, "meal_rules": good["meal_rules"] * 2}, ["body", "meal_rules", 1, "post"], "already has"),
        ({**good, "roles": good["roles"][:1], "coverage": [], "meal_rules": []}, ["body", "roles"], "Bob (bob)"),
        ({**good, "posts": [], "coverage": [], "meal_rules": []}, ["body", "posts"], "at least one post"),
        ({**good, "pins": [{"person": "ghost", "date": "2026-12-08", "post": "gate", "shift": "day"}]},
         ["body", "pins", 0, "person"], "ghost"),
    ]
    for body, loc, words in cases:
        response = client.put("/api/community/setup", json=body)
        assert response.status_code == 422, (loc, response.text)
        detail = response.json()["detail"]
        assert any(p["loc"] == loc and words in p["msg"] for p in detail), (loc, detail)
    assert _stored(app) == before
    assert _audit(app) == []


def test_invalid_fields_are_422(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _stored(app)
    good = client.get("/api/community/setup").json()
    post = {**good["posts"][0], "shifts": [{"id": "day", "start": "25:00", "hours": -1}]}
    response = client.put("/api/community/setup", json={**good, "posts": [post]})
    assert response.status_code == 422
    locs = [p["loc"] for p in response.json()["detail"]]
    assert ["body", "posts", 0, "shifts", 0, "start"] in locs
    assert ["body", "posts", 0, "shifts", 0, "hours"] in locs
    assert client.put("/api/community/setup", json={**good, "colour": "blue"}).status_code == 422
    assert client.put("/api/community/setup", json={**good, "roles": []}).status_code == 422
    assert _stored(app) == before


def test_non_json_is_415_and_login_is_needed(client: TestClient, app: FastAPI) -> None:
    assert client.get("/api/community/setup").status_code == 401
    assert client.put("/api/community/setup", json={}).status_code == 401
    login(client)
    before = _stored(app)
    response = client.put("/api/community/setup", content=b"roles=x",
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert _stored(app) == before


def test_api_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "put"} <= set(paths["/api/community/setup"])
    put = paths["/api/community/setup"]["put"]
    assert {"200", "401", "415", "422"} <= set(put["responses"])
    assert "CommunitySetup" in schema["components"]["schemas"]
    assert not any(path.startswith("/setup") for path in paths)

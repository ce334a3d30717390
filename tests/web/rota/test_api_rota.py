"""JSON API of the rota: draft from a solve, adjustments (409 until confirmed, 422 with field paths), publish,
versions with their difference."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import login
from tests.web.rota.test_rota_pages import WEEK, _app, _limited, _solve


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(_app(tmp_path, **_limited()), follow_redirects=False) as test_client:
        yield test_client


def _ref(a: dict[str, Any]) -> dict[str, Any]:
    return {"person": a["person"], "place": a["post"] or a["duty"], "shift": a["shift"], "date": a["date"]}


def _drafted(client: TestClient) -> dict[str, Any]:
    token = login(client)
    job_id = _solve(client, token)
    assert client.get(f"/api/rota/{WEEK}/draft").status_code == 404
    response = client.post(f"/api/rota/{WEEK}/draft", json={"job_id": job_id})
    assert response.status_code == 201, response.text
    draft: dict[str, Any] = response.json()
    assert draft["job_id"] == job_id and draft["changes"] is None and draft["latest_version"] is None
    assert not draft["check"]["has_violations"] and len(draft["rota"]["assignments"]) == 7
    return draft


def test_draft_adjust_publish_and_versions(client: TestClient) -> None:
    draft = _drafted(client)
    assert client.get(f"/api/rota/{WEEK}/draft").json() == draft
    first = draft["rota"]["assignments"][0]
    remove = {"adjustment": {"kind": "remove", "assignment": _ref(first)}}
    response = client.post(f"/api/rota/{WEEK}/adjustments", json=remove)
    assert response.status_code == 409
    body = response.json()
    assert not body["saved"] and any(v["rule"] == "coverage" for v in body["new_violations"])
    assert len(client.get(f"/api/rota/{WEEK}/draft").json()["rota"]["assignments"]) == 7
    response = client.post(f"/api/rota/{WEEK}/adjustments", json={**remove, "confirm": True})
    assert response.status_code == 200 and response.json()["saved"]
    assert response.json()["check"]["has_violations"]

    response = client.post(f"/api/rota/{WEEK}/publish", json={})
    assert response.status_code == 409 and "confirm" in response.json()["detail"]
    response = client.post(f"/api/rota/{WEEK}/publish", json={"note": "v1", "confirm": True})
    assert response.status_code == 201
    v1 = response.json()
    assert v1["version"] == 1 and v1["changes"] is None and v1["note"] == "v1" and v1["published_by"] == "coord"

    add = {"kind": "add", "slot": {"place": "gate", "shift": "day", "date": first["date"]},
           "person": first["person"], "role": first["role"]}
    response = client.post(f"/api/rota/{WEEK}/adjustments", json={"adjustment": add})
    assert response.status_code == 200, response.text
    assert client.get(f"/api/rota/{WEEK}/draft").json()["changes"]["changes"][0]["kind"] == "added"
    v2 = client.post(f"/api/rota/{WEEK}/publish", json={}).json()
    assert v2["version"] == 2 and not v2["check"]["has_violations"]
    assert [(c["kind"], c["person"], c["date"]) for c in v2["changes"]["changes"]] == [
        ("added", first["person"], first["date"])
    ]
    listed = client.get(f"/api/rota/{WEEK}/versions").json()["versions"]
    assert [v["version"] for v in listed] == [2, 1]
    again = client.get(f"/api/rota/{WEEK}/versions/2").json()
    assert again["rota"] == v2["rota"] and again["changes"] == v2["changes"]
    assert client.get(f"/api/rota/{WEEK}/versions/1").json()["rota"] == v1["rota"]
    assert client.get(f"/api/rota/{WEEK}/versions/9").status_code == 404


def test_errors_name_the_field_path(client: TestClient) -> None:
    draft = _drafted(client)
    first = draft["rota"]["assignments"][0]
    move = {"adjustment": {"kind": "move", "assignment": _ref(first), "to_person": "zed"}}
    response = client.post(f"/api/rota/{WEEK}/adjustments", json=move)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "adjustment", "to_person"]
    assert response.json()["detail"][0]["msg"] == "Unknown person zed."
    missing = {"adjustment": {"kind": "remove", "assignment": {**_ref(first), "date": "2026-12-01"}}}
    response = client.post(f"/api/rota/{WEEK}/adjustments", json=missing)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "adjustment", "assignment"]
    response = client.post(f"/api/rota/{WEEK}/adjustments", json={"adjustment": {"kind": "fly"}})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][:2] == ["body", "adjustment"]
    response = client.post(f"/api/rota/{WEEK}/adjustments", json={"adjustment": {"kind": "move"}})
    locations = [e["loc"] for e in response.json()["detail"]]
    assert ["body", "adjustment", "move", "to_person"] in locations
    response = client.post(f"/api/rota/{WEEK}/adjustments", content="kind=remove",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert client.get("/api/rota/someday/draft").status_code == 422
    assert client.post("/api/rota/2026-12-14/publish", json={}).status_code == 404
    assert client.post("/api/rota/2026-12-14/adjustments", json=move).status_code == 404
    assert client.post(f"/api/rota/{WEEK}/draft", json={"job_id": 999}).status_code == 404


def test_api_needs_a_login(client: TestClient) -> None:
    assert client.get(f"/api/rota/{WEEK}/draft").status_code == 401
    assert client.post(f"/api/rota/{WEEK}/publish", json={}).status_code == 401

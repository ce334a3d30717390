"""Two coordinators on one draft: every action carries the draft revision its page showed, and a draft changed
since (by a page, the API, a repair or a concurrent save) is neither published, replaced nor adjusted unseen."""

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
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import InlineRunner, app_context, login, tiny_community
from web.app import create_app
from web.rota import drafts
from web.rota.adjust import AssignmentRef, PinAdjustment, RotaProblem
from web.settings import Settings
from web.store import first_community
from web.tables import RotaDraft, RotaVersion

WEEK = "2026-12-07"
CHANGED = "打开此页面后，草稿已被修改"


def _app(tmp_path: Path) -> FastAPI:
    path = tmp_path / "community.json"
    # At most four shifts a week each; Erin makes room to repair a week without Alice or Bob.
    people = [*tiny_community()["people"], {"id": "erin", "name": "Erin", "roles": ["vol"]}]
    community = tiny_community(start=WEEK, default_limits={"max_shifts_per_week": 4}, people=people)
    path.write_text(json.dumps(community, ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password="correct horse battery", example_path=path,
        secret_key="k" * 40, solve_time_limit=10, solve_workers=1, database_url=None,
    )
    return create_app(settings, InlineRunner(settings.resolved_database_url()), out=io.StringIO())


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return _app(tmp_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _solve(client: TestClient, token: str) -> str:
    response = client.post("/generate", data={"csrf_token": token, "start": WEEK, "days": "7"})
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


def _drafted(client: TestClient, token: str) -> dict[str, Any]:
    job_id = _solve(client, token)
    response = client.post(f"/rota/{WEEK}/draft", data={"csrf_token": token, "job_id": job_id, "revision": "0"})
    assert response.status_code == 303, response.text
    return _draft(client)


def _draft(client: TestClient) -> dict[str, Any]:
    response = client.get(f"/api/rota/{WEEK}/draft")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _revision_in(page: str, action: str) -> str:
    """The revision the form posting to `action` carries."""
    form = page[page.index(f'action="{action}"'):]
    found = re.search(r'name="revision" value="(\d+)"', form[: form.index("</form>")])
    assert found is not None, form[:400]
    return found.group(1)


def _pin_by_api(client: TestClient, draft: dict[str, Any], index: int = 0) -> None:
    """Another coordinator's change (through the API, without a revision)."""
    a = draft["rota"]["assignments"][index]
    body = {"adjustment": {"kind": "pin", "assignment": {
        "person": a["person"], "place": a["post"], "shift": a["shift"], "date": a["date"]}}}
    response = client.post(f"/api/rota/{WEEK}/adjustments", json=body)
    assert response.status_code == 200, response.text


def _versions(app: FastAPI) -> list[int]:
    with app_context(app).sessions() as db:
        return list(db.scalars(select(RotaVersion.version).order_by(RotaVersion.version)))


def test_each_saved_change_raises_the_revision_and_viewing_does_not(client: TestClient, app: FastAPI) -> None:
    token = login(client)
    draft = _drafted(client, token)
    assert draft["revision"] == 1
    for _ in range(3):  # views keep the checker's verdict on the row, which is not a change
        assert client.get(f"/rota/{WEEK}").status_code == 200
    assert _draft(client)["revision"] == 1
    _pin_by_api(client, draft)
    assert _draft(client)["revision"] == 2
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "revision": "2"})
    assert response.status_code == 303
    assert _draft(client)["revision"] == 3  # now based on version 1


def test_publishing_a_draft_changed_since_the_page_was_drawn_is_refused(client: TestClient, app: FastAPI) -> None:
    token = login(client)
    draft = _drafted(client, token)
    page = client.get(f"/rota/{WEEK}").text
    seen = _revision_in(page, f"/rota/{WEEK}/publish")
    assert seen == "1"
    _pin_by_api(client, draft)  # meanwhile, another coordinator pins a shift
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "revision": seen, "note": "kept"})
    assert response.status_code == 409 and CHANGED in response.text and "coord" in response.text
    assert 'value="kept"' in response.text  # what was typed stays
    assert _versions(app) == []
    # The page shown with the refusal is the current draft: publishing from it works.
    again = _revision_in(response.text, f"/rota/{WEEK}/publish")
    assert again == "2"
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "revision": again})
    assert response.status_code == 303 and _versions(app) == [1]
    # The same stale page cannot publish a second, identical version either.
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "revision": again})
    assert response.status_code == 409 and _versions(app) == [1]


def test_an_adjustment_from_a_stale_page_is_refused_and_the_page_shows_the_current_draft(client: TestClient) -> None:
    token = login(client)
    draft = _drafted(client, token)
    a = draft["rota"]["assignments"][1]
    fields = {"person": a["person"], "place": a["post"], "shift": a["shift"], "date": a["date"]}
    page = client.get(f"/rota/{WEEK}/adjust", params=fields).text
    seen = _revision_in(page, f"/rota/{WEEK}/adjust")
    _pin_by_api(client, draft, index=0)
    form = {"csrf_token": token, "action": "pin", "revision": seen, **fields}
    response = client.post(f"/rota/{WEEK}/adjust", data=form)
    assert response.status_code == 400 and CHANGED in response.text
    assert not _draft(client)["rota"]["assignments"][1]["pinned"]
    fresh = _revision_in(response.text, f"/rota/{WEEK}/adjust")
    assert fresh == str(_draft(client)["revision"])
    response = client.post(f"/rota/{WEEK}/adjust", data={**form, "revision": fresh})
    assert response.status_code == 303 and _draft(client)["rota"]["assignments"][1]["pinned"]


def test_use_this_rota_does_not_replace_a_draft_drawn_after_the_page(client: TestClient, app: FastAPI) -> None:
    token = login(client)
    first_job = _solve(client, token)
    page = client.get(f"/jobs/{first_job}").text
    assert _revision_in(page, f"/rota/{WEEK}/draft") == "0"  # no draft yet when the page was drawn
    draft = _drafted(client, token)  # another coordinator makes a second solve the draft, then adjusts it
    _pin_by_api(client, draft)
    response = client.post(f"/rota/{WEEK}/draft", data={"csrf_token": token, "job_id": first_job, "revision": "0"})
    assert response.status_code == 303 and response.headers["location"] == f"/jobs/{first_job}"
    assert CHANGED in client.get(f"/jobs/{first_job}").text
    kept = _draft(client)
    assert kept["job_id"] != int(first_job) and kept["rota"]["assignments"][0]["pinned"]
    page = client.get(f"/jobs/{first_job}").text
    response = client.post(f"/rota/{WEEK}/draft", data={
        "csrf_token": token, "job_id": first_job, "revision": _revision_in(page, f"/rota/{WEEK}/draft")})
    assert response.status_code == 303 and response.headers["location"] == f"/rota/{WEEK}"
    assert _draft(client)["job_id"] == int(first_job)


def test_edit_a_version_as_the_draft_checks_the_revision_too(client: TestClient) -> None:
    token = login(client)
    draft = _drafted(client, token)
    assert client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token}).status_code == 303
    page = client.get(f"/rota/{WEEK}/versions/1").text
    seen = _revision_in(page, f"/rota/{WEEK}/draft/from-version")
    _pin_by_api(client, draft)
    form = {"csrf_token": token, "version": "1", "revision": seen}
    response = client.post(f"/rota/{WEEK}/draft/from-version", data=form)
    assert response.status_code == 303 and response.headers["location"] == f"/rota/{WEEK}/versions/1"
    assert _draft(client)["rota"]["assignments"][0]["pinned"]  # the pin was not thrown away
    form["revision"] = str(_draft(client)["revision"])
    assert client.post(f"/rota/{WEEK}/draft/from-version", data=form).headers["location"] == f"/rota/{WEEK}"


def test_accepting_a_repair_does_not_replace_adjustments_made_after_its_page(client: TestClient) -> None:
    token = login(client)
    _drafted(client, token)
    assert client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token}).status_code == 303
    busiest = max(("alice", "bob"), key=lambda p: sum(a["person"] == p for a in _draft(client)["rota"]["assignments"]))
    response = client.post(f"/rota/{WEEK}/repair", data={"csrf_token": token, "person": busiest, "remove": "1"})
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    page = client.get(location).text
    seen = _revision_in(page, f"{location}/accept")
    _pin_by_api(client, _draft(client))  # meanwhile, the draft is adjusted by hand
    response = client.post(f"{location}/accept", data={"csrf_token": token, "revision": seen})
    assert response.status_code == 303 and response.headers["location"] == location
    assert CHANGED in client.get(location).text
    assert _draft(client)["rota"]["assignments"][0]["pinned"] and _draft(client)["job_id"] != int(location[9:])
    body = {"revision": int(seen)}
    response = client.post(f"/api/repairs/{location[9:]}/accept", json=body)
    assert response.status_code == 409 and "changed" in response.json()["detail"]
    body["revision"] = _draft(client)["revision"]
    assert client.post(f"/api/repairs/{location[9:]}/accept", json=body).status_code == 200
    assert _draft(client)["job_id"] == int(location[9:])


def test_the_api_takes_the_revision_and_answers_409(client: TestClient, app: FastAPI) -> None:
    token = login(client)
    draft = _drafted(client, token)
    a = draft["rota"]["assignments"][0]
    ref = {"person": a["person"], "place": a["post"], "shift": a["shift"], "date": a["date"]}
    body = {"adjustment": {"kind": "pin", "assignment": ref}, "revision": 7}
    response = client.post(f"/api/rota/{WEEK}/adjustments", json=body)
    assert response.status_code == 409 and "changed" in response.json()["detail"]
    body["revision"] = draft["revision"]
    assert client.post(f"/api/rota/{WEEK}/adjustments", json=body).status_code == 200
    response = client.post(f"/api/rota/{WEEK}/publish", json={"revision": draft["revision"]})
    assert response.status_code == 409 and _versions(app) == []
    response = client.post(f"/api/rota/{WEEK}/publish", json={"revision": draft["revision"] + 1})
    assert response.status_code == 201 and _versions(app) == [1]
    response = client.post(f"/api/rota/{WEEK}/publish", json={"revision": -1})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "revision"]


def test_two_sessions_saving_the_same_draft_state_cannot_both_succeed(client: TestClient, app: FastAPI) -> None:
    """The database-level guard: both requests read revision 1, the second save finds it moved."""
    token = login(client)
    draft = _drafted(client, token)
    refs = [
        AssignmentRef(person=a["person"], place=a["post"], shift=a["shift"], date=dt.date.fromisoformat(a["date"]))
        for a in draft["rota"]["assignments"][:2]
    ]
    week = dt.date.fromisoformat(WEEK)
    context = app_context(app)
    with context.sessions() as first, context.sessions() as second:
        community_a, community_b = first_community(first), first_community(second)
        assert community_a is not None and community_b is not None
        row_a, row_b = drafts.draft_row(first, community_a, week), drafts.draft_row(second, community_b, week)
        assert row_a is not None and row_b is not None and row_a.revision == row_b.revision == 1
        drafts.adjust(first, community_a, week, PinAdjustment(kind="pin", assignment=refs[0]), "ann", confirm=False)
        with pytest.raises(RotaProblem) as raised:
            drafts.adjust(second, community_b, week, PinAdjustment(kind="pin", assignment=refs[1]), "bo", confirm=False)
        assert raised.value.code == "draft_changed" and raised.value.status == 409
    with context.sessions() as db:
        row = db.scalars(select(RotaDraft)).one()
        pinned = [a["pinned"] for a in row.rota["assignments"][:2]]
        assert row.revision == 2 and row.updated_by == "ann" and pinned == [True, False]


def test_english_message(client: TestClient) -> None:
    token = login(client)
    draft = _drafted(client, token)
    _pin_by_api(client, draft)
    client.cookies.set("lang", "en")
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token, "revision": "1"})
    assert response.status_code == 409
    assert "The draft was changed (last by coord) after this page was opened" in response.text

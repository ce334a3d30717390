"""The JSON API of secret links: read, renew (the old token dies at once), revoke; login, JSON-only writes, no
caching, audit entries."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import login
from web.state import AppContext
from web.tables import AuditEntry


def _actions(app: FastAPI) -> list[tuple[str, str | None]]:
    context = app.state.rota
    assert isinstance(context, AppContext)
    with context.sessions() as db:
        return [(e.action, e.target) for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_a_person_link_is_read_renewed_and_revoked(client: TestClient, app: FastAPI, logged_in: str) -> None:
    response = client.get("/api/people/alice/link")
    assert response.status_code == 200 and response.json() == {
        "person": "alice", "active": False, "page": None, "calendar": None, "webcal": None, "created_at": None,
    }
    assert response.headers["cache-control"] == "no-store" and response.headers["referrer-policy"] == "no-referrer"

    first = client.post("/api/people/alice/link/renew", json={}).json()
    assert first["active"] and first["page"].startswith("http://testserver/p/")
    assert first["calendar"] == first["page"] + "/calendar.ics"
    assert first["webcal"] == "webcal://testserver" + first["page"].removeprefix("http://testserver") + "/calendar.ics"
    assert client.get("/api/people/alice/link").json() == first
    page = first["page"].removeprefix("http://testserver")
    assert client.get(page).status_code == 200 and "Alice" in client.get(page).text

    second = client.post("/api/people/alice/link/renew", json={}).json()
    assert second["page"] != first["page"]
    assert client.get(page).status_code == 404  # the old token died at once
    assert client.get(second["page"].removeprefix("http://testserver")).status_code == 200

    revoked = client.post("/api/people/alice/link/revoke", json={}).json()
    assert revoked["active"] is False and revoked["page"] is None
    assert client.get(second["page"].removeprefix("http://testserver")).status_code == 404
    assert client.get("/api/people/alice/link").json()["active"] is False
    assert _actions(app)[-3:] == [
        ("link.renew", "person:alice"), ("link.renew", "person:alice"), ("link.revoke", "person:alice"),
    ]


def test_post_feed_links(client: TestClient, app: FastAPI, logged_in: str) -> None:
    (gate,) = client.get("/api/feeds/posts").json()
    assert gate == {
        "post": "gate", "name": "大门", "active": False, "calendar": None, "webcal": None, "created_at": None,
    }
    renewed = client.post("/api/feeds/posts/gate/renew", json={}).json()
    assert renewed["active"] and renewed["calendar"].startswith("http://testserver/feeds/post/")
    feed = renewed["calendar"].removeprefix("http://testserver")
    assert client.get(feed).status_code == 200
    assert client.get("/api/feeds/posts").json() == [renewed]
    assert client.post("/api/feeds/posts/gate/revoke", json={}).json()["active"] is False
    assert client.get(feed).status_code == 404
    assert client.post("/api/feeds/posts/moon/renew", json={}).status_code == 404
    assert _actions(app)[-2:] == [("link.renew", "post:gate"), ("link.revoke", "post:gate")]


def test_login_json_writes_and_unknown_people(client: TestClient, app: FastAPI) -> None:
    for method, path in (("GET", "/api/people/alice/link"), ("POST", "/api/people/alice/link/renew"),
                         ("GET", "/api/feeds/posts"), ("POST", "/api/feeds/posts/gate/revoke")):
        assert client.request(method, path, json={}).status_code == 401, path
    login(client)
    # A cross-site form cannot send JSON: form posts are refused and change nothing.
    assert client.post("/api/people/alice/link/renew", data={"x": "1"}).status_code == 415
    assert client.post("/api/feeds/posts/gate/renew").status_code == 415
    assert client.get("/api/people/alice/link").json()["active"] is False
    assert client.get("/api/people/nobody/link").status_code == 404
    assert client.post("/api/people/nobody/link/revoke", json={}).status_code == 404
    assert not [a for a in _actions(app) if a[0].startswith("link.")]

"""Login, sessions, one-time passwords, CSRF, and authorisation on every route."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import PASSWORD, app_context, csrf_of, login
from web.app import ROUTERS, create_app
from web.settings import Settings
from web.tables import AuditEntry, Coordinator

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/lang")}
"""Routes an anonymous visitor may use; every other route is checked below."""
PUBLIC |= {
    ("GET", "/p/{token}"), ("GET", "/p/{token}/print"), ("GET", "/p/{token}/calendar.ics"),
    ("GET", "/feeds/post/{token}.ics"),
}
"""Secret links (a person's page and feed, a post's feed): public by design, 404 for any unknown token
(tests/web/test_feeds.py, test_personal_page.py)."""
PUBLIC |= {
    ("GET", "/p/{token}/swaps"), ("POST", "/p/{token}/swaps/offer"), ("POST", "/p/{token}/swaps/{swap_id}/accept"),
    ("POST", "/p/{token}/swaps/{swap_id}/withdraw"),
}
"""A volunteer's swaps at their secret link: no login, CSRF checked, 404 for any unknown token (test_swaps.py)."""
PUBLIC |= {
    ("POST", "/p/{token}/checkin/arrive"), ("POST", "/p/{token}/checkin/leave"), ("POST", "/p/{token}/checkin/team"),
    ("GET", "/c/{token}"),
}
"""Check-in at the post: the volunteer's buttons at their secret link (CSRF checked) and the post's QR, 404 for any
unknown token (tests/web/checkin)."""
PUBLIC |= {("GET", "/p/{token}/notifications"), ("POST", "/p/{token}/notifications")}
"""The stop link every message carries: the volunteer's channel and quiet hours at their secret link, CSRF checked
(a mail program's RFC 8058 one-click POST is the one exception), 404 for any unknown token
(tests/web/outbox)."""
PUBLIC |= {("GET", "/p/{token}/signup/{week_start}"), ("POST", "/p/{token}/signup/{week_start}")}
"""A volunteer's answers to a sign-up round at their secret link: CSRF checked, 404 for any unknown token or week
(tests/web/signup)."""
PUBLIC |= {("GET", "/invite/{token}"), ("POST", "/invite/{token}")}
"""An invitation's one-time link: no login, CSRF checked, a 404 or 410 page for an unknown, used, revoked or expired
token (test_accounts.py)."""
PUBLIC |= {("GET", "/healthz"), ("GET", "/metrics")}
"""Operations: the health check for probes, and the Prometheus figures, which need ROTA_METRICS_TOKEN as a bearer
token instead of a login (404 while it is not set; tests/web/ops)."""


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route the app's routers declare."""
    found = []
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            found.extend((method, route.path) for method in sorted(route.methods))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "1" if "id" in m.group(0) else "alice", path)


def test_every_route_needs_a_login(client: TestClient, app: FastAPI) -> None:
    routes = [r for r in _routes(app) if r not in PUBLIC]
    assert len(routes) >= 15  # pages and API: the list grows with the app, and every new route is covered
    token = csrf_of(client)
    for method, path in routes:
        url = _concrete(path)
        if path.startswith("/api/"):
            response = client.request(method, url, json={})
            assert response.status_code == 401, (method, path, response.status_code)
        else:
            response = client.request(method, url, data={"csrf_token": token})
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next="), (method, path)


def test_login_page_redirects_back_after_login(client: TestClient) -> None:
    response = client.get("/people/new")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fpeople%2Fnew"
    token = csrf_of(client, response.headers["location"])
    page = client.get(response.headers["location"]).text
    assert 'name="next" value="/people/new"' in page
    response = client.post(
        "/login", data={"username": "coord", "password": PASSWORD, "csrf_token": token, "next": "/people/new"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/people/new"
    assert client.get("/people/new").status_code == 200


def test_wrong_password_keeps_the_name_and_says_so(client: TestClient, app: FastAPI) -> None:
    token = csrf_of(client)
    response = client.post("/login", data={"username": "coord", "password": "nope", "csrf_token": token})
    assert response.status_code == 400
    assert 'value="coord"' in response.text
    assert "用户名或密码错误" in response.text
    assert client.get("/people").status_code == 303
    with app_context(app).sessions() as db:
        actions = [e.action for e in db.scalars(select(AuditEntry))]
    assert "login.failed" in actions


def test_unknown_user_is_refused(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post("/login", data={"username": "ghost", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 400


def test_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post("/login", data={"username": "coord", "password": PASSWORD, "csrf_token": token})
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("rota_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_password_is_stored_as_argon2(app: FastAPI) -> None:
    with app_context(app).sessions() as db:
        user = db.scalars(select(Coordinator)).one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert not user.must_change_password


def test_logout_ends_the_session(client: TestClient, logged_in: str) -> None:
    assert client.get("/people").status_code == 200
    response = client.post("/logout", data={"csrf_token": logged_in})
    assert response.status_code == 303
    assert client.get("/people").status_code == 303
    assert client.get("/api/people").status_code == 401


def test_login_rotates_the_csrf_token(client: TestClient) -> None:
    before = csrf_of(client)
    after = login(client)
    assert before != after


def test_no_open_redirect_after_login(client: TestClient) -> None:
    token = csrf_of(client)
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.post(
            "/login", data={"username": "coord", "password": PASSWORD, "csrf_token": token, "next": target}
        )
        assert response.headers["location"] == "/", target
        token = csrf_of(client, "/people")
        client.post("/logout", data={"csrf_token": token})
        token = csrf_of(client)


# ------------------------------------------------------------------------------------------------- CSRF


def test_login_form_needs_the_csrf_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "coord", "password": PASSWORD})
    assert response.status_code == 403
    response = client.post("/login", data={"username": "coord", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    assert client.get("/people").status_code == 303


def test_every_form_route_rejects_a_missing_or_wrong_token(client: TestClient, app: FastAPI, logged_in: str) -> None:
    posts = [path for method, path in _routes(app) if method == "POST" and not path.startswith("/api/")]
    assert {"/login", "/logout", "/lang", "/people/new", "/generate", "/jobs/{job_id}/cancel"} <= set(posts)
    for path in posts:
        url = _concrete(path)
        for data in ({}, {"csrf_token": "wrong"}, {"csrf_token": logged_in[:-1]}):
            response = client.post(url, data=data)
            assert response.status_code == 403, (path, data)
    # still logged in, nothing changed
    assert client.get("/people").status_code == 200


def test_a_token_from_another_session_is_refused(app: FastAPI, client: TestClient, logged_in: str) -> None:
    with TestClient(app, follow_redirects=False) as other:
        other_token = login(other)
    response = client.post("/people/alice/deactivate", data={"csrf_token": other_token})
    assert response.status_code == 403


def test_api_writes_accept_json_only(client: TestClient, logged_in: str) -> None:
    response = client.post("/api/people", data={"id": "x", "name": "X", "roles": "vol"})
    assert response.status_code == 415


# ---------------------------------------------------------------------------------------- first start


def test_one_time_password_is_printed_and_must_be_changed(tmp_path: Path, community_file: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", example_path=community_file, secret_key="k" * 40)
    out = io.StringIO()
    app = create_app(settings, out=out)
    match = re.search(r"as 'admin' with the one-time password (\S+)", out.getvalue())
    assert match, out.getvalue()
    one_time = match.group(1)
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client)
        response = client.post("/login", data={"username": "admin", "password": one_time, "csrf_token": token})
        assert response.headers["location"] == "/account/password"
        assert client.get("/people").headers["location"] == "/account/password"
        assert client.get("/api/people").status_code == 401
        token = csrf_of(client, "/account/password")
        current = {"current": one_time, "csrf_token": token}
        response = client.post("/account/password", data={"password": "short", "repeat": "short", **current})
        assert response.status_code == 400
        response = client.post("/account/password", data={"password": one_time, "repeat": one_time, **current})
        assert response.status_code == 400
        new = "a much better password"
        response = client.post("/account/password", data={"password": new, "repeat": new + "!", **current})
        assert response.status_code == 400
        response = client.post(
            "/account/password", data={"password": new, "repeat": new, "current": "wrong", "csrf_token": token}
        )
        assert response.status_code == 400  # the current password is asked for, even right after the login
        response = client.post("/account/password", data={"password": new, "repeat": new, **current})
        assert response.status_code == 303
        assert client.get("/people").status_code == 200
        client.post("/logout", data={"csrf_token": csrf_of(client, "/people")})
        login(client, "admin", new)
    # a second start prints nothing and keeps the coordinator
    out = io.StringIO()
    create_app(settings, out=out)
    assert out.getvalue() == ""


def test_admin_password_from_settings(app: FastAPI, client: TestClient) -> None:
    login(client)


@pytest.mark.parametrize(("path", "home"), [("/", "/now"), ("/now", None), ("/people", None)])
def test_home_goes_to_now(client: TestClient, logged_in: str, path: str, home: str | None) -> None:
    """After login the home is the Now page (who is on duty now); the pages themselves answer."""
    response = client.get(path)
    assert response.status_code == (303 if home else 200)
    if home:
        assert response.headers["location"] == home


def test_an_api_action_without_a_body_sends_an_empty_json_object(client: TestClient, logged_in: str) -> None:
    """The schema asks for `{}`: a request without a content type could come from elsewhere than a script."""
    assert client.post("/api/people/alice/link/renew").status_code == 415
    assert client.post("/api/people/alice/link/renew", json={}).status_code == 200
    body = client.get("/openapi.json").json()["paths"]["/api/people/{key}/link/renew"]["post"]["requestBody"]
    assert body["required"] is True and "application/json" in body["content"]


def test_a_wrong_method_names_every_method_the_path_answers(client: TestClient, logged_in: str) -> None:
    response = client.delete("/api/people")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    page = client.delete("/people")
    assert page.status_code == 405 and "GET" in page.headers["allow"]

"""The authorisation matrix: every route of the app × anonymous, viewer, coordinator, admin.

Each route is classified below by hand; a route the app declares but this file does not classify fails the test, so
a new route has to say who may use it. Anonymous visitors get the login redirect (pages) or 401 (API), but on the
public routes; a viewer gets 403 on every write; a coordinator 403 on the set-up's writes and on accounts; an admin
never 403. The requests carry no valid body: the role is decided before CSRF and body validation (web.deps), so a
refused role is 403 whatever the body, and an allowed one is anything but 403 (400, 404, 422 ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from starlette.routing import Mount, Route

from tests.web.conftest import PASSWORD, app_context, csrf_of, login
from web.accounts import service
from web.i18n import Translator


def _table(text: str) -> set[tuple[str, str]]:
    pairs = set()
    for line in text.strip().splitlines():
        method, path = line.split()
        pairs.add((method, path))
    return pairs


PUBLIC = _table("""
GET /login
POST /login
POST /lang
GET /invite/{token}
POST /invite/{token}
GET /p/{token}
GET /p/{token}/print
GET /p/{token}/calendar.ics
GET /feeds/post/{token}.ics
GET /p/{token}/swaps
POST /p/{token}/swaps/offer
POST /p/{token}/swaps/{swap_id}/accept
POST /p/{token}/swaps/{swap_id}/withdraw
POST /p/{token}/checkin/arrive
POST /p/{token}/checkin/leave
POST /p/{token}/checkin/team
GET /c/{token}
GET /p/{token}/notifications
POST /p/{token}/notifications
GET /p/{token}/signup/{week_start}
POST /p/{token}/signup/{week_start}
GET /openapi.json
GET /docs
GET /docs/oauth2-redirect
GET /redoc
GET /healthz
GET /metrics
""")
"""No login: the login page, the language switch, an invitation's one-time link, the volunteers' secret links, the
API's documentation (FastAPI's own pages; HEAD on those is the same route), the health check and the Prometheus
figures (a bearer token of their own: tests/web/ops)."""

OWN = _table("""
GET /
POST /logout
GET /account/password
POST /account/password
POST /account/sessions/end
POST /communities/{community_id}/choose
POST /api/communities/{community_id}/choose
""")
"""Every account, viewers included, looks after its own login and chooses among its communities."""

READ = _table("""
GET /setup
GET /setup/general
GET /setup/roles
GET /setup/roles/new
GET /setup/roles/{key}/edit
GET /setup/posts
GET /setup/posts/new
GET /setup/posts/{key}/edit
GET /setup/coverage
GET /setup/coverage/new
GET /setup/coverage/{key}/edit
GET /setup/meals
GET /setup/meals/new
GET /setup/meals/{key}/edit
GET /setup/duties
GET /setup/duties/new
GET /setup/duties/{key}/edit
GET /setup/successions
GET /setup/successions/new
GET /setup/successions/{key}/edit
GET /setup/posts/{post_id}/shifts/new
GET /setup/posts/{post_id}/shifts/{shift_id}/edit
GET /setup/pairs
GET /setup/bans
GET /people/import
GET /people/import/template.csv
GET /people/import/template.xlsx
GET /people/{key}/availability
GET /api/people/{key}/availability
GET /now
GET /api/now
GET /service-record
GET /service-record/coverage
GET /service-record.xlsx
GET /service-record/{person_key}/certificate.pdf
GET /api/service-record
GET /people
GET /people/new
GET /people/{key}/edit
GET /people/{key}/deactivate
GET /generate
GET /jobs/{job_id}
GET /rota
GET /rota/{week_start}
GET /rota/{week_start}/people
GET /rota/{week_start}/rota.xlsx
GET /rota/{week_start}/wechat
GET /rota/{week_start}/adjust
GET /rota/{week_start}/versions
GET /rota/{week_start}/versions/{number}
GET /people/{key}/links
GET /feeds
GET /rota/{week_start}/print
GET /rota/{week_start}/print.pdf
GET /rota/{week_start}/print/{post}.png
GET /print/sheet.css
GET /rota/{week_start}/repair
GET /repairs/{job_id}
GET /swaps
GET /api/repairs/{job_id}
GET /api/swaps
GET /api/community/setup
GET /api/people
GET /api/people/{key}
GET /api/jobs/{job_id}
GET /api/rota/{week_start}/draft
GET /api/rota/{week_start}/versions
GET /api/rota/{week_start}/versions/{number}
GET /api/people/{key}/link
GET /api/feeds/posts
GET /feeds/posts/{post}/checkin
GET /checkins
GET /api/checkins
GET /outbox
GET /api/outbox
GET /signup
GET /signup/{week_start}
GET /api/signup/{week_start}
GET /communities
GET /api/communities
""")
"""Reading: every account (a viewer sees all a coordinator sees)."""

EDIT = _table("""
POST /people/import
POST /people/import/confirm
POST /api/people/import
POST /people/{key}/availability
POST /people/{key}/availability/absences
POST /people/{key}/availability/absences/{number}/delete
PUT /api/people/{key}/availability
POST /people/new
POST /people/{key}/edit
POST /people/{key}/deactivate
POST /people/{key}/reactivate
GET /people/{key}/export.json
GET /people/{key}/erase
POST /people/{key}/erase
POST /generate
POST /jobs/{job_id}/cancel
POST /jobs/{job_id}/rerun
POST /api/jobs/{job_id}/rerun
POST /rota/{week_start}/draft
POST /rota/{week_start}/draft/from-version
POST /rota/{week_start}/publish
POST /rota/{week_start}/adjust
POST /people/{key}/links/renew
POST /people/{key}/links/revoke
POST /feeds/posts/{post}/renew
POST /feeds/posts/{post}/revoke
POST /rota/{week_start}/repair
POST /repairs/{job_id}/accept
POST /repairs/{job_id}/cancel
POST /swaps/{swap_id}/approve
POST /swaps/{swap_id}/refuse
POST /api/rota/{week_start}/repair
POST /api/repairs/{job_id}/accept
POST /api/swaps/{swap_id}/approve
POST /api/swaps/{swap_id}/refuse
POST /api/people
PUT /api/people/{key}
POST /api/rota/{week_start}/draft
POST /api/rota/{week_start}/adjustments
POST /api/rota/{week_start}/publish
POST /api/people/{key}/link/renew
POST /api/people/{key}/link/revoke
POST /api/feeds/posts/{post}/renew
POST /api/feeds/posts/{post}/revoke
POST /feeds/posts/{post}/checkin/renew
POST /feeds/posts/{post}/checkin/revoke
POST /checkins/correct
PUT /api/checkins
POST /outbox/{message_id}/retry
POST /outbox/{message_id}/cancel
POST /signup
POST /signup/{week_start}/close
POST /signup/{week_start}/reopen
POST /signup/{week_start}/delete
""")
"""Rotas and people: coordinators and admins."""

ADMIN = _table("""
GET /accounts
POST /accounts/invitations
POST /accounts/invitations/{invitation_id}/revoke
POST /accounts/{user_id}/role
POST /accounts/{user_id}/deactivate
POST /accounts/{user_id}/reactivate
POST /accounts/{user_id}/sessions/end
POST /setup/general
POST /setup/roles/new
POST /setup/roles/{key}/edit
POST /setup/roles/{key}/delete
POST /setup/posts/new
POST /setup/posts/{key}/edit
POST /setup/posts/{key}/delete
POST /setup/coverage/new
POST /setup/coverage/{key}/edit
POST /setup/coverage/{key}/delete
POST /setup/meals/new
POST /setup/meals/{key}/edit
POST /setup/meals/{key}/delete
POST /setup/duties/new
POST /setup/duties/{key}/edit
POST /setup/duties/{key}/delete
POST /setup/successions/new
POST /setup/successions/{key}/edit
POST /setup/successions/{key}/delete
POST /setup/posts/{post_id}/shifts/new
POST /setup/posts/{post_id}/shifts/{shift_id}/edit
POST /setup/posts/{post_id}/shifts/{shift_id}/delete
POST /setup/pairs/new
POST /setup/pairs/{index}/delete
POST /setup/bans/new
POST /setup/bans/{index}/delete
PUT /api/community/setup
POST /outbox/test
POST /outbox/wecom
POST /communities
POST /communities/{community_id}/members
""")
"""Accounts, communities and the community's set-up: admins only."""

CLASSES = {"public": PUBLIC, "own": OWN, "read": READ, "edit": EDIT, "admin": ADMIN}
ALLOWED = {
    "viewer": {"own", "read"},
    "coordinator": {"own", "read", "edit"},
    "admin": {"own", "read", "edit", "admin"},
}
ENDS_THE_SESSION = {("POST", "/logout"), ("POST", "/account/sessions/end")}
"""Called last for each role (test_sessions.py and test_auth.py check what they do)."""


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, the routers' and the framework's own (HEAD aside)."""
    found: set[tuple[str, str]] = set()

    def walk(routes: list[object]) -> None:
        for route in routes:
            original = getattr(route, "original_router", None)
            if original is not None:
                walk(list(original.routes))
            elif isinstance(route, Mount):
                assert route.path == "/static", route.path  # the app's only mount: its own files
            elif isinstance(route, Route):
                found.update((method, route.path) for method in route.methods or () if method != "HEAD")
            else:
                raise AssertionError(f"unexpected route {route!r}")

    walk(list(app.routes))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "1" if "id" in m.group(0) or "number" in m.group(0) else "alice", path)


def _call(client: TestClient, method: str, path: str, csrf: str) -> Response:
    url = _concrete(path)
    if method == "GET":
        return client.get(url)
    if path == "/api/people/import":
        return client.post(url, headers={"X-Requested-With": "test"})
    if path.startswith("/api/"):
        return client.request(method, url, json={})
    return client.request(method, url, data={"csrf_token": csrf})


def _to_login(response: Response) -> bool:
    return response.status_code == 303 and response.headers.get("location", "").startswith("/login?next=")


@pytest.fixture
def accounts(app: FastAPI) -> dict[str, str]:
    """Role -> user name: the first account ('coord') is the admin; a coordinator and a viewer besides."""
    with app_context(app).sessions.begin() as db:
        for name, role in (("cora", "coordinator"), ("vic", "viewer")):
            service.create_account(db, None, name, PASSWORD, role, t=Translator("en"))
    return {"admin": "coord", "coordinator": "cora", "viewer": "vic"}


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as client:
        yield client


def test_every_route_is_classified(app: FastAPI) -> None:
    classified = set().union(*CLASSES.values())
    assert sum(len(routes) for routes in CLASSES.values()) == len(classified)  # each route in one class only
    assert app_routes(app) - classified == set(), "classify the new routes above"
    assert classified - app_routes(app) == set(), "routes classified here that the app no longer has"
    assert len(classified) >= 150


def test_anonymous_gets_the_login_or_401(app: FastAPI, anonymous: TestClient) -> None:
    csrf = csrf_of(anonymous)
    for method, path in sorted(app_routes(app) - PUBLIC):
        response = _call(anonymous, method, path, csrf)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next="), (method, path)
    assert anonymous.get("/static/style.css").status_code == 200


@pytest.mark.parametrize("role", ["viewer", "coordinator", "admin"])
def test_each_role_gets_403_exactly_where_it_may_not(
    app: FastAPI, accounts: dict[str, str], role: str
) -> None:
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as client:
        csrf = login(client, accounts[role])
        wrong = []
        routes = sorted(app_routes(app) - PUBLIC - ENDS_THE_SESSION) + sorted(ENDS_THE_SESSION)
        for method, path in routes:
            kind = next(name for name, routes in CLASSES.items() if (method, path) in routes)
            if (method, path) in ENDS_THE_SESSION and client.get("/api/people").status_code == 401:
                csrf = login(client, accounts[role])  # the one before ended the session
            response = _call(client, method, path, csrf)
            status = response.status_code
            if kind in ALLOWED[role]:
                refused = status in (401, 403) or status >= 500 or _to_login(response)
            else:
                refused = status != 403
            if refused:
                wrong.append((method, path, kind, status))
            if (method, path) not in ENDS_THE_SESSION:
                assert client.get("/api/people").status_code == 200, (method, path)  # still logged in
        assert wrong == []


def test_forbidden_page_and_json_say_so(app: FastAPI, accounts: dict[str, str]) -> None:
    with TestClient(app, follow_redirects=False) as client:
        csrf = login(client, "vic")
        page = client.post("/people/new", data={"csrf_token": csrf}, headers={"accept-language": "en"})
        assert page.status_code == 403
        assert "role does not allow this" in page.text
        client.cookies.set("lang", "zh")
        assert "您的账户角色无权执行此操作" in client.post("/people/new", data={"csrf_token": csrf}).text
        api = client.post("/api/people", json={})
        assert api.status_code == 403
        assert api.json() == {"detail": "your account's role may not do this"}
        # 403 before the body is read: a wrong CSRF token, or none, still answers the role's refusal
        assert client.post("/setup/general", data={}).status_code == 403


def test_navigation_hides_what_a_role_cannot_do(app: FastAPI, accounts: dict[str, str]) -> None:
    pages, generate = {}, {}
    for role, name in accounts.items():
        with TestClient(app, follow_redirects=False) as client:
            login(client, name)
            pages[role] = client.get("/people").text
            generate[role] = client.get("/generate").text
    assert 'href="/setup"' in pages["admin"] and 'href="/accounts"' in pages["admin"]
    for role in ("coordinator", "viewer"):
        assert 'href="/setup"' not in pages[role] and 'href="/accounts"' not in pages[role]
    assert 'href="/people/new"' in pages["coordinator"] and 'href="/generate"' in pages["coordinator"]
    assert 'href="/people/new"' not in pages["viewer"] and 'href="/generate"' not in pages["viewer"]
    assert "/deactivate" not in pages["viewer"]
    assert 'action="/generate"' in generate["coordinator"] and 'action="/generate"' not in generate["viewer"]

"""No route answers 5xx: every route of the app, called by a logged-in coordinator with hostile values in each of
its path, query and form parameters in turn (huge ids, 30 digits, '²', negative, a far date, a non-date), the
others valid, on a community with a published week, a draft and secret links."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.checkin.support import checkin_token
from tests.web.conftest import login
from tests.web.feeds_support import WEEK, make_app, person_token, post_token, publish, week_one
from web.app import ROUTERS

HOSTILE = (
    "9223372036854775808", "1" * 30, "1" * 23, "²", "-1", "0", "9999-12-27", "0001-01-01", "not-a-date", "1e400",
)
"""Path values; query and form fields also get the empty string."""
SKIPPED = {("POST", "/logout"), ("POST", "/account/password"), ("POST", "/account/sessions/end"), ("POST", "/login")}
"""Routes that would end the session or change the password under the walk (tests/web/test_auth.py and
test_sessions.py have them)."""

Body = Callable[[TestClient], Any]


def _person(client: TestClient) -> Any:
    return client.get("/api/people/alice").json()


BODIES: dict[tuple[str, str], Body] = {
    ("PUT", "/api/community/setup"): lambda client: client.get("/api/community/setup").json(),
    ("POST", "/api/people"): lambda client: {**_person(client), "id": "zoe"},
    ("PUT", "/api/people/{key}"): _person,
    ("PUT", "/api/people/{key}/availability"): lambda client: client.get("/api/people/alice/availability").json(),
    ("POST", "/api/rota/{week_start}/draft"): lambda _client: {"job_id": 1},
    ("POST", "/api/rota/{week_start}/publish"): lambda _client: {"note": "", "confirm": False},
    ("POST", "/api/rota/{week_start}/adjustments"): lambda _client: {"adjustment": {"kind": "unpin", "assignment": {
        "person": "alice", "place": "gate", "shift": "day", "date": WEEK.isoformat()}}},
    ("POST", "/api/rota/{week_start}/repair"): lambda _client: {"person": "alice"},
    ("POST", "/api/repairs/{job_id}/accept"): lambda _client: {},
    ("POST", "/api/swaps/{swap_id}/approve"): lambda _client: {},
    ("POST", "/api/swaps/{swap_id}/refuse"): lambda _client: {"reason": "no"},
    ("PUT", "/api/checkins"): lambda _client: {"date": WEEK.isoformat(), "place": "gate", "shift": "day",
                                               "person": "alice", "status": "late", "arrived": "08:30"},
}
"""A valid JSON body for each API write, so that a hostile path value is what the route has to answer."""


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    app = make_app(tmp_path)
    publish(app, week_one())  # version 1 of the coming week, and its draft
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as test_client:
        yield test_client


def _routes() -> list[APIRoute]:
    found = []
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            found.append(route)
    return found


def _fields(dependant: Dependant) -> tuple[list[str], list[str]]:
    """The query and form (or body) parameters a route declares, its dependencies' included."""
    query = [param.alias for param in dependant.query_params]  # as the URL names it (`from`, not `from_`)
    form = [param.name for param in dependant.body_params]
    for sub in dependant.dependencies:
        more_query, more_form = _fields(sub)
        query += more_query
        form += more_form
    return query, form


def _valid(name: str, path: str, tokens: dict[str, str]) -> str:
    """A value that names something that exists (or a harmless choice) for the parameter `name` of `path`."""
    if name == "token":
        if path.startswith("/c/") and "checkin" in tokens:
            return tokens["checkin"]
        return tokens["post" if path.startswith("/feeds/") else "person"]
    if name in ("week_start", "week", "date", "start", "from", "to"):
        return WEEK.isoformat()
    if path.startswith("/setup/roles/"):
        return "vol"
    by_name = {
        "post": "gate", "post_id": "gate", "place": "gate", "shift_id": "day", "shift": "day", "job_id": "1",
        "swap_id": "1", "number": "1", "version": "1", "index": "0", "days": "7", "lang": "en", "draft": "",
    }
    return by_name.get(name, "gate" if path.startswith("/setup/posts/") else "alice")


def _call(client: TestClient, route: APIRoute, method: str, target: str, value: str, tokens: dict[str, str],
          csrf: str) -> int:
    """Call the route with `value` in parameter `target`, every other parameter valid; the status."""
    def pick(name: str) -> str:
        return value if name == target else _valid(name, route.path, tokens)

    url = re.sub(r"\{([^}]+)\}", lambda match: pick(match.group(1)), route.path)
    query, form = _fields(route.dependant)
    params = {name: pick(name) for name in query}
    if method == "GET":
        return client.get(url, params=params).status_code
    if route.path.startswith("/api/"):
        body = BODIES.get((method, route.path))
        if route.path == "/api/people/import":
            files = {"file": ("people.csv", value.encode(), "text/csv")}
            return client.request(method, url, params=params, files=files).status_code
        return client.request(method, url, params=params, json=body(client) if body else None).status_code
    data = {name: pick(name) for name in form} | {"csrf_token": csrf}
    return client.request(method, url, params=params, data=data).status_code


def test_no_route_answers_a_server_error(app: FastAPI, client: TestClient) -> None:
    csrf = login(client)
    tokens = {"person": person_token(app, "alice"), "post": post_token(app), "checkin": checkin_token(app)}
    routes = _routes()
    assert len(routes) >= 100  # every route the app declares, new ones included
    failures = []
    calls = 0
    for route in routes:
        query, form = _fields(route.dependant)
        path_names = re.findall(r"\{([^}]+)\}", route.path)
        for method in sorted(route.methods):
            if (method, route.path) in SKIPPED:
                continue
            targets = [(name, HOSTILE) for name in path_names]
            fields = query + (form if not route.path.startswith("/api/") else [])  # JSON bodies: tests below
            targets += [(name, (*HOSTILE, "")) for name in fields]
            if route.path == "/api/people/import":
                targets.append(("file", (*HOSTILE, "")))
            for name, values in targets or [("", ("",))]:
                for value in values:
                    status = _call(client, route, method, name, value, tokens, csrf)
                    calls += 1
                    if status >= 500:
                        failures.append((method, route.path, name, value, status))
    assert calls > 1000
    assert failures == []
    assert client.get("/api/people").status_code == 200  # still logged in: the walk reached every route's code

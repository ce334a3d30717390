"""Two real server processes (`python -m web`) on one database, as behind a load balancer: a login made on one is
valid on the other and a logout on one ends it on both; failed logins on both count together; a version published
meanwhile shows in the other's calendar feeds (new ETag); an erasure done on one leaves the old name in none of the
other's feeds and personal pages (its in-memory caches check the database).

SQLite always; PostgreSQL too when ROTA_TEST_POSTGRES_URL names a server (.ci/run sets it). The tests of a module
share the two servers and run in order: the throttling test blocks the address, so it comes last.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from fastapi import FastAPI

from tests.web.conftest import CSRF_RE, PASSWORD, RecordingRunner
from tests.web.conftest_db import fresh_postgres_database, postgres_server_url
from tests.web.feeds_support import WEEK, community_data, person_token, post_token, publish, week_one, week_two
from web.app import create_app
from web.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "two-processes-" + "k" * 40
NAME = "张伟"  # alice, carol's teammate on Monday
MAX_FAILURES = 3
DATABASES = ["sqlite"] + (["postgresql"] if postgres_server_url() else [])


@dataclass
class Servers:
    app: FastAPI
    """The test's own app on the same database, to publish from and to make links with."""
    first: str
    second: str


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def fetch(method: str, url: str, headers: dict[str, str] | None = None, body: bytes | None = None) -> Answer:
    """One request, redirects not followed, any status returned."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def get(url: str, if_none_match: str | None = None) -> Answer:
    return fetch("GET", url, {"If-None-Match": if_none_match} if if_none_match else {})


@dataclass
class Browser:
    """Plain HTTP with the cookies carried by hand, so one browser can talk to either process."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, url: str, form: dict[str, str] | None = None) -> Answer:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = fetch(method, url, headers, body)
        for line in answer.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, url: str) -> Answer:
        return self.request("GET", url)

    def post(self, url: str, form: dict[str, str]) -> Answer:
        return self.request("POST", url, form)

    def csrf(self, url: str) -> str:
        match = CSRF_RE.search(self.get(url).text)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def login(self, base: str, password: str = PASSWORD) -> Answer:
        token = self.csrf(base + "/login")
        return self.post(base + "/login", {"username": "coord", "password": password, "csrf_token": token})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(folder: Path, database_url: str, name: str, stack: ExitStack) -> str:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ROTA_DATABASE_URL"}}
    env.update(
        HOST="127.0.0.1", PORT=str(port), ROTA_DATA_DIR=str(folder / "data"), ROTA_DATABASE_URL=database_url,
        ROTA_ADMIN_USER="coord", ROTA_ADMIN_PASSWORD=PASSWORD, ROTA_EXAMPLE_PATH=str(folder / "community.json"),
        ROTA_SECRET_KEY=SECRET, ROTA_OUTBOX_WORKER="false", ROTA_LOGIN_MAX_FAILURES=str(MAX_FAILURES),
        ROTA_SOLVE_WORKERS="1", PYTHONUNBUFFERED="1",
    )
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "web"], cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    stack.callback(_stop, process)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} ended with code {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if get(url + "/login").status == 200:
                return url
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{name} did not answer within 60 s:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@pytest.fixture(scope="module", params=DATABASES)
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    folder = tmp_path_factory.mktemp(f"two-{request.param}")
    (folder / "community.json").write_text(json.dumps(community_data(), ensure_ascii=False), encoding="utf-8")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{folder / 'data' / 'rota.sqlite3'}"
        else:
            server = postgres_server_url()
            assert server is not None
            url = stack.enter_context(fresh_postgres_database(server))
        settings = Settings(
            data_dir=folder / "data", admin_user="coord", admin_password=PASSWORD,
            example_path=folder / "community.json", secret_key=SECRET, database_url=url, outbox_worker=False,
        )
        app = create_app(settings, RecordingRunner(), out=io.StringIO())  # makes the tables and the community
        stack.callback(app.state.rota.engine.dispose)
        publish(app, week_one())
        # one after the other: the first start finishes whatever a start does to the database
        first = _start(folder, url, "first", stack)
        second = _start(folder, url, "second", stack)
        yield Servers(app, first, second)


def test_a_login_on_one_process_is_valid_on_the_other_and_a_logout_ends_it_on_both(servers: Servers) -> None:
    browser = Browser()
    assert browser.get(servers.second + "/people").status == 303  # not logged in: to the login page
    assert browser.login(servers.first).status == 303
    people = browser.get(servers.second + "/people")
    assert people.status == 200 and NAME in people.text
    token = browser.csrf(servers.first + "/people")
    assert browser.post(servers.first + "/logout", {"csrf_token": token}).status == 303
    # the old cookie, replayed on the other process, no longer opens anything
    stale = Browser(dict(browser.cookies))
    assert stale.get(servers.second + "/people").status == 303


def _ok(response: Answer) -> Answer:
    assert response.status == 200, response.text[:500]
    return response


def test_a_version_published_meanwhile_shows_in_the_other_process_feeds(servers: Servers) -> None:
    carol = person_token(servers.app, "carol")
    gate = post_token(servers.app)
    person_feed, post_feed = f"/p/{carol}/calendar.ics", f"/feeds/post/{gate}.ics"
    before = {path: _ok(get(servers.second + path)) for path in (person_feed, post_feed)}
    for path, response in before.items():
        again = get(servers.second + path, response.headers["etag"])
        assert again.status == 304
        assert _ok(get(servers.first + path)).headers["etag"] == response.headers["etag"]
    assert publish(servers.app, week_two()) == 2  # carol takes alice's Wednesday
    after = {path: _ok(get(servers.second + path, response.headers["etag"])) for path, response in before.items()}
    for path, response in before.items():
        assert after[path].headers["etag"] != response.headers["etag"]
        assert after[path].content != response.content
        assert _ok(get(servers.first + path)).headers["etag"] == after[path].headers["etag"]
    # carol's feed has one shift more (her new Wednesday)
    assert before[person_feed].text.count("BEGIN:VEVENT") + 1 == after[person_feed].text.count("BEGIN:VEVENT")


def test_an_erasure_on_one_process_leaves_the_name_in_none_of_the_other_process_pages(servers: Servers) -> None:
    carol, gate = person_token(servers.app, "carol"), post_token(servers.app)
    shown = [f"/p/{carol}/calendar.ics", f"/feeds/post/{gate}.ics", f"/p/{carol}", f"/p/{carol}/print"]
    coordinator = Browser()
    assert coordinator.login(servers.first).status == 303
    week = f"{servers.second}/rota/{WEEK.isoformat()}/versions/1"
    for path in shown:  # the second process has them in memory, with the name
        assert NAME in _ok(get(servers.second + path)).text, path
    assert NAME in _ok(coordinator.get(week)).text
    token = coordinator.csrf(servers.first + "/people/alice/erase")
    assert coordinator.post(servers.first + "/people/alice/erase", {"csrf_token": token}).status == 303
    for path in shown:
        for base in (servers.first, servers.second):
            assert NAME not in _ok(get(base + path)).text, base + path
    assert NAME not in _ok(coordinator.get(week)).text


def test_failed_logins_on_both_processes_count_together(servers: Servers) -> None:
    browser = Browser()
    for attempt in range(MAX_FAILURES):
        base = servers.first if attempt % 2 == 0 else servers.second
        assert browser.login(base, "wrong password").status == 400
    assert browser.login(servers.second).status == 429  # the right password: refused all the same
    assert browser.login(servers.first).status == 429

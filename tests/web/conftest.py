"""An isolated app per test: its own data folder with a fresh SQLite database, a tiny community, fake runners."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from web.app import create_app
from web.db import make_engine, make_sessions
from web.settings import Settings
from web.solving.service import run_job
from web.state import AppContext
from web.store import first_community
from web.tables import Community

PASSWORD = "correct horse battery"
MONDAY = "2026-12-07"


def tiny_community(**overrides: Any) -> dict[str, Any]:
    """One post 'gate' with a day shift, three people, one person needed on every shift; lunch breaks."""
    data: dict[str, Any] = {
        "community": "Tiny",
        "timezone": "Asia/Shanghai",
        "start": MONDAY,
        "days": 7,
        "roles": [
            {"id": "vol", "name": {"zh": "志愿者", "en": "Volunteer"}, "mark": "志"},
            {"id": "guard", "name": {"zh": "保安", "en": "Guard"}, "mark": "安"},
        ],
        "posts": [{"id": "gate", "name": {"zh": "大门", "en": "Gate"}, "shifts": [
            {"id": "day", "name": {"zh": "白班", "en": "Day"}, "start": "08:00", "hours": 8},
        ]}],
        "people": [
            {"id": "alice", "name": "Alice", "roles": ["vol"]},
            {"id": "bob", "name": "Bob", "roles": ["guard"]},
            {"id": "carol", "name": "Carol", "roles": ["vol", "guard"], "availability": [
                {"days": ["mon", "tue"], "start": "07:00", "end": "18:00"}]},
            {"id": "dave", "name": "Dave", "roles": ["vol"], "active": False},
        ],
        "coverage": [{"post": "gate", "shift": "day", "min": 1}],
        "meal_rules": [{"post": "gate", "windows": [
            {"name": {"zh": "午饭", "en": "Lunch"}, "start": "11:00", "end": "13:30"}], "minutes": 45}],
        "weights": {"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0},
    }
    data.update(overrides)
    return data


def ended_process_owner() -> str:
    """The owner name a local runner had in a process that has ended (web.solving.owners)."""
    process = subprocess.Popen([sys.executable, "-c", "from web.solving.owners import this_process as t; print(t())"],
                               stdout=subprocess.PIPE, text=True)
    out, _ = process.communicate(timeout=60)
    return out.strip()


class RecordingRunner:
    """Starts nothing: records what was submitted and cancelled (jobs stay queued until a test moves them)."""

    def __init__(self) -> None:
        self.submitted: list[int] = []
        self.cancelled: list[int] = []
        self.stopped = False

    def submit(self, job_id: int) -> None:
        self.submitted.append(job_id)

    def cancel(self, job_id: int) -> None:
        self.cancelled.append(job_id)

    def position(self, job_id: int) -> int | None:
        """Submitted jobs wait in submission order until cancelled (this runner starts none)."""
        waiting = [j for j in self.submitted if j not in self.cancelled]
        return waiting.index(job_id) + 1 if job_id in waiting else None

    def shutdown(self) -> None:
        self.stopped = True


class InlineRunner:
    """Runs the real worker function at once, in this process: a real solve of a tiny scenario, no subprocess."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url

    def submit(self, job_id: int) -> None:
        engine = make_engine(self.url)
        try:
            run_job(make_sessions(engine), job_id)
        finally:
            engine.dispose()

    def cancel(self, job_id: int) -> None:
        """Inline jobs finish before they could be cancelled."""

    def position(self, job_id: int) -> int | None:
        """Nothing waits."""
        return None

    def shutdown(self) -> None:
        """Nothing runs in the background."""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def community_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_community(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def settings(data_dir: Path, community_file: Path) -> Settings:
    return Settings(
        data_dir=data_dir, admin_user="coord", admin_password=PASSWORD, example_path=community_file,
        secret_key="test-secret-key-" + "x" * 32, solve_time_limit=10, solve_workers=1, database_url=None,
        public_url="http://testserver",
    )


@pytest.fixture
def runner() -> RecordingRunner:
    return RecordingRunner()


def app_context(app: FastAPI) -> AppContext:
    """The app's storage and runner (what its routes use)."""
    context = app.state.rota
    assert isinstance(context, AppContext)
    return context


def stored_community(app: FastAPI) -> Community:
    """The app's community as stored now, detached from its session."""
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        db.expunge(community)
        return community


@pytest.fixture
def app(settings: Settings, runner: RecordingRunner) -> FastAPI:
    return create_app(settings, runner, out=io.StringIO())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    response = client.get(path)
    match = CSRF_RE.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, username: str = "coord", password: str = PASSWORD) -> str:
    """Log in; returns the session's CSRF token for later forms."""
    token = csrf_of(client)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.text
    return csrf_of(client, "/people")


@pytest.fixture
def logged_in(client: TestClient) -> str:
    return login(client)



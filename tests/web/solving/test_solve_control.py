"""Solves under control (issue 24): at most N at once with a queue and its positions, one solve per week (a second
request joins it), solver processes that end with their server however it ends, and running a failed or
interrupted job again."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import RecordingRunner, app_context, login
from tests.web.solving import solve_stand_ins
from tests.web.solving.queue_support import process_gone
from web.app import create_app
from web.db import make_engine, make_sessions
from web.settings import Settings, default_max_solves
from web.solving.service import JobWork, ProcessJobRunner
from web.tables import JobStatus, SolveJob

ROOT = Path(__file__).resolve().parents[3]
MONDAY, NEXT_MONDAY, THIRD_MONDAY = "2026-12-07", "2026-12-14", "2026-12-21"
PATIENCE = 90.0
"""Seconds a test waits for a solver process (spawning one is slow on a loaded machine)."""


def _start(client: TestClient, token: str, start: str = MONDAY, days: str = "7") -> int:
    response = client.post("/generate", data={"csrf_token": token, "start": start, "days": days})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _job(app: FastAPI, job_id: int) -> SolveJob:
    with app_context(app).sessions() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        db.expunge(job)
        return job


def _set_status(app: FastAPI, job_id: int, status: JobStatus) -> None:
    with app_context(app).sessions.begin() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        job.status = status.value


def _until(condition: Callable[[], bool], seconds: float = PATIENCE) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)


# ------------------------------------------------------------------------------------ settings


def test_the_limit_defaults_to_half_the_cores_and_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_max_solves() == max(1, (os.cpu_count() or 1) // 2)
    monkeypatch.delenv("ROTA_MAX_SOLVES", raising=False)
    assert Settings().max_solves == default_max_solves()
    monkeypatch.setenv("ROTA_MAX_SOLVES", "3")
    assert Settings().max_solves == 3


# ------------------------------------------------------------------------------------ joining, queue positions


def test_a_second_request_for_the_week_joins_the_first(
    client: TestClient, app: FastAPI, runner: RecordingRunner, logged_in: str
) -> None:
    first = _start(client, logged_in)
    assert _start(client, logged_in) == first  # no second job, no second process
    assert runner.submitted == [first]
    page = client.get(f"/jobs/{first}").text
    assert "本周已有排班计算在排队或进行中" in page
    client.cookies.set("lang", "en")
    assert _start(client, logged_in) == first
    assert "This week is already being solved" in client.get(f"/jobs/{first}").text
    assert "already being solved" not in client.get(f"/jobs/{first}").text  # said once
    # another length or another week is another solve; a running solve is joined as well
    shorter = _start(client, logged_in, days="3")
    other_week = _start(client, logged_in, start=NEXT_MONDAY)
    assert len({first, shorter, other_week}) == 3
    _set_status(app, first, JobStatus.RUNNING)
    assert _start(client, logged_in) == first
    # once it has ended, the week can be solved again
    client.post(f"/jobs/{first}/cancel", data={"csrf_token": logged_in})
    again = _start(client, logged_in)
    assert again not in (first, shorter, other_week)
    assert runner.submitted == [first, shorter, other_week, again]
    with app_context(app).sessions() as db:
        assert len(db.scalars(select(SolveJob)).all()) == 4


def test_queued_jobs_show_their_place(client: TestClient, app: FastAPI, logged_in: str) -> None:
    jobs = [_start(client, logged_in, start=week) for week in (MONDAY, NEXT_MONDAY, THIRD_MONDAY)]
    assert [client.get(f"/api/jobs/{job}").json()["queue_position"] for job in jobs] == [1, 2, 3]
    assert "排队中：下一个开始。" in client.get(f"/jobs/{jobs[0]}").text
    assert "排队中：前面还有 2 个。" in client.get(f"/jobs/{jobs[2]}").text
    client.cookies.set("lang", "en")
    page = client.get(f"/jobs/{jobs[1]}").text
    assert "Queued: 1 ahead." in page and 'data-queue="2"' in page
    client.post(f"/jobs/{jobs[0]}/cancel", data={"csrf_token": logged_in})
    assert [client.get(f"/api/jobs/{job}").json()["queue_position"] for job in jobs] == [None, 1, 2]
    _set_status(app, jobs[1], JobStatus.RUNNING)  # a job that runs is not in the queue
    assert client.get(f"/api/jobs/{jobs[1]}").json()["queue_position"] is None
    assert "Queued" not in client.get(f"/jobs/{jobs[1]}").text


def test_the_schema_documents_the_queue_position_and_rerun(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    job = schema["components"]["schemas"]["JobOut"]
    assert "queue_position" in job["properties"] and "queue_position" in job["required"]
    rerun = schema["paths"]["/api/jobs/{job_id}/rerun"]["post"]
    assert {"202", "401", "404", "409", "415", "422"} <= set(rerun["responses"])
    assert "joined" in schema["components"]["schemas"]["RerunOut"]["properties"]


# ------------------------------------------------------------------------------------ run again


def test_an_interrupted_job_runs_again_with_the_same_inputs(
    client: TestClient, app: FastAPI, runner: RecordingRunner, logged_in: str
) -> None:
    old = _start(client, logged_in, days="3")
    _set_status(app, old, JobStatus.INTERRUPTED)
    page = client.get(f"/jobs/{old}").text
    assert "再运行一次" in page and f'action="/jobs/{old}/rerun"' in page
    assert client.post(f"/jobs/{old}/rerun", data={}).status_code == 403  # CSRF
    response = client.post(f"/jobs/{old}/rerun", data={"csrf_token": logged_in})
    assert response.status_code == 303
    new = int(response.headers["location"].removeprefix("/jobs/"))
    assert new != old and runner.submitted == [old, new]
    before, after = _job(app, old), _job(app, new)
    assert after.status == JobStatus.QUEUED and before.status == JobStatus.INTERRUPTED
    assert (after.week_start, after.days, after.scenario, after.time_limit, after.workers, after.kind) == (
        before.week_start, before.days, before.scenario, before.time_limit, before.workers, before.kind
    )
    assert "再运行一次" not in client.get(f"/jobs/{new}").text  # only a failed or interrupted job
    # a job that did not fail is not run again
    response = client.post(f"/jobs/{new}/rerun", data={"csrf_token": logged_in})
    assert response.headers["location"] == f"/jobs/{new}"
    assert "只有失败或中断的计算可以再运行一次" in client.get(f"/jobs/{new}").text
    assert runner.submitted == [old, new]


def test_a_failed_job_runs_again_through_the_api(
    client: TestClient, app: FastAPI, runner: RecordingRunner, logged_in: str
) -> None:
    old = _start(client, logged_in)
    _set_status(app, old, JobStatus.FAILED)
    client.cookies.set("lang", "en")
    assert "Run again" in client.get(f"/jobs/{old}").text
    assert client.post(f"/api/jobs/{old}/rerun").status_code == 415  # API writes are JSON
    response = client.post(f"/api/jobs/{old}/rerun", json={})
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["id"] != old and body["joined"] is False and body["status"] == "queued"
    assert body["queue_position"] == 2  # the recording runner never started the first
    assert response.headers["location"] == f"/api/jobs/{body['id']}"
    assert runner.submitted == [old, body["id"]]
    # while the week's new solve is queued, running the failed one again joins it
    again = client.post(f"/api/jobs/{old}/rerun", json={})
    assert again.status_code == 202 and again.json()["id"] == body["id"] and again.json()["joined"] is True
    assert runner.submitted == [old, body["id"]]
    assert client.post(f"/api/jobs/{body['id']}/rerun", json={}).status_code == 409
    assert client.post("/api/jobs/999/rerun", json={}).status_code == 404


def test_a_failed_repair_runs_again_as_a_repair(
    client: TestClient, app: FastAPI, runner: RecordingRunner, logged_in: str
) -> None:
    old = _start(client, logged_in)
    params = {"version_id": 1, "version": 1, "unavailable": [{"person": "alice"}], "now": "2026-12-07T08:00:00+08:00"}
    with app_context(app).sessions.begin() as db:
        job = db.get(SolveJob, old)
        assert job is not None
        job.kind, job.params, job.status = "repair", params, JobStatus.FAILED.value
    response = client.post(f"/jobs/{old}/rerun", data={"csrf_token": logged_in})
    new = int(response.headers["location"].removeprefix("/repairs/"))
    again = _job(app, new)
    assert again.kind == "repair" and again.params == params and again.status == JobStatus.QUEUED
    assert runner.submitted == [old, new]


# ------------------------------------------------------------------------------------ real solver processes


@pytest.fixture
def gates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "gates"
    folder.mkdir()
    monkeypatch.setenv(solve_stand_ins.GATES, str(folder))  # the solver processes inherit it
    return folder


@contextmanager
def _process_app(settings: Settings, work: JobWork, max_solves: int = 1) -> Iterator[FastAPI]:
    url = settings.resolved_database_url()
    engine = make_engine(url)
    runner = ProcessJobRunner(url, make_sessions(engine), max_solves, work=work)
    try:
        yield create_app(settings, runner, out=io.StringIO())
    finally:
        runner.shutdown()
        engine.dispose()


def test_one_solve_at_a_time_the_next_waits_its_turn(settings: Settings, gates: Path) -> None:
    with _process_app(settings, solve_stand_ins.held_job, max_solves=1) as app:
        runner = app_context(app).runner
        assert isinstance(runner, ProcessJobRunner)
        with TestClient(app, follow_redirects=False) as client:
            token = login(client)
            first = _start(client, token)
            second = _start(client, token, start=NEXT_MONDAY)
            _until(lambda: runner.running() == [first])
            assert runner.waiting() == [second]
            assert client.get(f"/api/jobs/{second}").json()["queue_position"] == 1
            assert "排队中：下一个开始。" in client.get(f"/jobs/{second}").text
            assert client.get(f"/api/jobs/{first}").json()["queue_position"] is None
            (gates / str(first)).touch()
            _until(lambda: _job(app, first).status == JobStatus.FINISHED)
            _until(lambda: runner.running() == [second])
            assert runner.waiting() == []
            assert client.get(f"/api/jobs/{second}").json()["queue_position"] is None
            (gates / str(second)).touch()
            _until(lambda: _job(app, second).status == JobStatus.FINISHED)
        done = [_job(app, first), _job(app, second)]
        assert [job.result_status for job in done] == ["optimal", "optimal"]
        assert done[0].finished_at is not None and done[1].started_at is not None
        assert done[1].started_at >= done[0].finished_at  # never two at once


def test_shutdown_interrupts_running_and_queued_solves(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(solve_stand_ins.SLOW, "60")
    with _process_app(settings, solve_stand_ins.slow_job, max_solves=1) as app:
        runner = app_context(app).runner
        assert isinstance(runner, ProcessJobRunner)
        with TestClient(app, follow_redirects=False) as client:
            token = login(client)
            first = _start(client, token)
            second = _start(client, token, start=NEXT_MONDAY)
            _until(lambda: _job(app, first).status == JobStatus.RUNNING)
            pid = _job(app, first).pid
            assert pid is not None
        # leaving the client ran the app's shutdown
        assert _job(app, first).status == JobStatus.INTERRUPTED
        assert _job(app, second).status == JobStatus.INTERRUPTED
        assert runner.running() == [] and runner.waiting() == []
        _until(lambda: process_gone(pid), 10)


SERVER = """
import sys, time
from web.db import make_engine, make_sessions
from web.solving.service import ProcessJobRunner
from tests.web.solving.solve_stand_ins import slow_job
url, job_id, death_signal = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
runner = ProcessJobRunner(url, make_sessions(make_engine(url)), 1, work=slow_job, death_signal=death_signal)
runner.submit(job_id)
time.sleep(600)
"""
"""A server in miniature: a job runner that starts a solve, in a process the test kills with SIGKILL."""


@pytest.mark.parametrize("death_signal", [True, False], ids=["parent-death-signal", "watchdog-only"])
def test_a_solve_ends_when_its_server_is_killed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, death_signal: bool
) -> None:
    slow = 10.0  # long enough that the test sees it running before it would write itself finished, even when slow
    app = create_app(settings, RecordingRunner(), out=io.StringIO())
    with TestClient(app, follow_redirects=False) as client:
        job_id = _start(client, login(client))
    env = {**os.environ, "PYTHONPATH": str(ROOT), solve_stand_ins.SLOW: str(slow)}
    url = settings.resolved_database_url()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, url, str(job_id), "1" if death_signal else "0"], cwd=ROOT, env=env
    )
    try:
        _until(lambda: _job(app, job_id).status == JobStatus.RUNNING)
        pid = _job(app, job_id).pid
        assert pid is not None and pid != server.pid
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(30)
    _until(lambda: process_gone(pid), 15)  # gone: it can no longer write itself finished
    assert _job(app, job_id).status == JobStatus.RUNNING
    # the next start marks what the dead server left unfinished as interrupted
    restarted = create_app(settings, RecordingRunner(), out=io.StringIO())
    assert _job(restarted, job_id).status == JobStatus.INTERRUPTED

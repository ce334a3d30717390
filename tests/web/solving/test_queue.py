"""Queue mode (ROTA_QUEUE=procrastinate): solves on the task queue in PostgreSQL, run by real `rota worker`
processes. A solve started on the page is solved by a worker and checked; progress reaches the page; a cancel
stops the worker's solver; a killed worker's job goes to another worker (or fails after too many); a stopping
worker gives its job back; a worker runs at most its concurrency; a job the queue lost is queued again; a web
process that restarts leaves the queue's jobs alone.

The PostgreSQL tests run under scripts/with-postgres.sh (.ci/run) and are skipped without a server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError
from sqlalchemy import text
from typer.testing import CliRunner

from scheduler import Rota, Scenario, check
from tests.web.conftest import login
from tests.web.conftest_db import postgres_url  # noqa: F401  (fixture)
from tests.web.solving.queue_support import Rows, Workers, process_gone, queue_settings, stop, until
from web.app import create_app
from web.commands import app as rota_command
from web.settings import Settings
from web.solving.queue import QueueJobRunner, ensure_schema
from web.solving.queue_worker import WorkerSetup, build, lost_jobs, recover_once
from web.state import AppContext
from web.store import first_community
from web.tables import QUEUE_RUNNER, JobStatus, SolveJob, utcnow

MONDAY = "2026-12-14"


def _context(app: FastAPI) -> AppContext:
    context = app.state.rota
    assert isinstance(context, AppContext)
    return context


def _start(client: TestClient, token: str, start: str = MONDAY) -> int:
    response = client.post("/generate", data={"csrf_token": token, "start": start, "days": "7"})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


@pytest.fixture
def queue_app(settings: Settings, postgres_url: str) -> Iterator[FastAPI]:  # noqa: F811
    app = create_app(queue_settings(settings, postgres_url), out=io.StringIO())
    yield app
    _context(app).runner.shutdown()
    _context(app).engine.dispose()


@pytest.fixture
def workers(postgres_url: str, tmp_path: Path) -> Iterator[Workers]:  # noqa: F811
    started = Workers(postgres_url, tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def rows(postgres_url: str) -> Iterator[Rows]:  # noqa: F811
    reader = Rows(postgres_url)
    yield reader
    reader.close()


def test_queue_mode_needs_postgresql(settings: Settings) -> None:
    with pytest.raises(ValidationError, match="DATABASE_URL=postgresql"):
        Settings(data_dir=settings.data_dir, queue="procrastinate")
    with pytest.raises(ValidationError, match="STALLED_AFTER"):
        Settings(data_dir=settings.data_dir, worker_heartbeat=30, worker_stalled_after=10)


def test_rota_worker_refuses_without_the_queue(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ROTA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ROTA_QUEUE", raising=False)
    result = CliRunner().invoke(rota_command, ["worker"])
    assert result.exit_code == 2
    assert "ROTA_QUEUE=procrastinate" in result.output
    monkeypatch.setenv("ROTA_QUEUE", "procrastinate")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(rota_command, ["worker"])
    assert result.exit_code == 2 and "DATABASE_URL=postgresql" in result.output
    result = CliRunner().invoke(rota_command, ["worker", "--lang", "zh"])
    assert result.exit_code == 2 and "设置有误" in result.output
    monkeypatch.delenv("ROTA_QUEUE")
    result = CliRunner().invoke(rota_command, ["worker", "--lang", "zh"])
    assert result.exit_code == 2 and "只计算队列中的任务" in result.output


def test_a_solve_runs_on_a_worker_and_its_progress_reaches_the_page(
    queue_app: FastAPI, rows: Rows, workers: Workers
) -> None:
    with TestClient(queue_app, follow_redirects=False) as client:
        token = login(client)
        job_id = _start(client, token)
        job = rows.job(job_id)
        assert (job.status, job.runner) == ("queued", QUEUE_RUNNER)
        assert client.get(f"/api/jobs/{job_id}").json()["queue_position"] == 1  # no worker yet: it waits
        page = client.get(f"/jobs/{job_id}").text
        assert "排队" in page and "目前没有计算进程在运行" in page  # no worker alive: the page says so
        worker = workers.start("worker")  # the real `rota worker`
        until(lambda: rows.workers() == 1, what="the worker registers")
        assert "目前没有计算进程在运行" not in client.get(f"/jobs/{job_id}").text
        until(lambda: rows.status(job_id) == "finished", what="the worker solves the job")
        stop(worker)
        assert worker.returncode == 0  # SIGTERM: a clean stop
        job = rows.job(job_id)
        assert job.solutions >= 1 and job.objective is not None and job.attempts == 1 and job.owner
        assert check(Scenario.model_validate(job.scenario), Rota.model_validate(job.rota)).ok
        progress = client.get(f"/api/jobs/{job_id}").json()
        assert progress["status"] == "finished" and progress["queue_position"] is None


def test_cancel_reaches_the_worker(queue_app: FastAPI, rows: Rows, workers: Workers) -> None:
    with TestClient(queue_app, follow_redirects=False) as client:
        token = login(client)
        waiting = _start(client, token, start="2026-12-21")
        assert client.post(f"/jobs/{waiting}/cancel", data={"csrf_token": token}).status_code == 303
        worker = workers.start("worker", slow=120)
        job_id = _start(client, token)
        until(lambda: rows.job(job_id).pid is not None, what="the worker's solver runs")
        solver = rows.job(job_id).pid
        assert solver is not None and solver != worker.pid
        response = client.post(f"/jobs/{job_id}/cancel", data={"csrf_token": token})
        assert response.status_code == 303
        until(lambda: process_gone(solver), 15, "the solver process stops")
        assert rows.status(job_id) == "cancelled"
        assert worker.poll() is None  # the worker goes on serving
        # the job cancelled while it waited was skipped: never begun
        assert rows.status(waiting) == "cancelled" and rows.job(waiting).attempts == 0


def test_a_killed_workers_job_goes_to_another_worker(queue_app: FastAPI, rows: Rows, workers: Workers) -> None:
    first = workers.start("first", slow=3)
    with TestClient(queue_app, follow_redirects=False) as client:
        job_id = _start(client, login(client))
    until(lambda: rows.status(job_id) == "running", what="the first worker runs it")
    solver = rows.job(job_id).pid
    assert solver is not None
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    until(lambda: process_gone(solver), 15, "the solver dies with its worker")
    assert rows.status(job_id) == "running"  # nobody has noticed yet
    workers.start("second", slow=3)
    until(lambda: rows.status(job_id) == "finished", 90, "another worker solves it")
    assert rows.job(job_id).attempts == 2


def test_a_job_whose_workers_keep_dying_fails_saying_so(queue_app: FastAPI, rows: Rows, workers: Workers) -> None:
    once = {"ROTA_WORKER_ATTEMPTS": "1"}
    first = workers.start("first", slow=60, **once)
    with TestClient(queue_app, follow_redirects=False) as client:
        token = login(client)
        job_id = _start(client, token)
        until(lambda: rows.status(job_id) == "running", what="the first worker runs it")
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        workers.start("second", slow=60, **once)
        until(lambda: rows.status(job_id) == "failed", 90, "the job fails")
        job = rows.job(job_id)
        assert job.error is not None and job.error.startswith("worker_lost")
        assert job.finished_at is not None
        page = client.get(f"/jobs/{job_id}").text
        assert "负责计算的工作进程中途停止了 1 次" in page and "worker_lost" not in page
        assert "再运行一次" in page  # a failed job may run again


def test_a_stopping_worker_gives_its_job_back(queue_app: FastAPI, rows: Rows, workers: Workers) -> None:
    first = workers.start("first", slow=60)
    with TestClient(queue_app, follow_redirects=False) as client:
        job_id = _start(client, login(client))
    until(lambda: rows.status(job_id) == "running", what="the first worker runs it")
    solver = rows.job(job_id).pid
    assert solver is not None
    first.send_signal(signal.SIGTERM)  # a deployment stops it (grace 0 in these tests)
    assert first.wait(60) == 0
    assert process_gone(solver)
    back = rows.job(job_id)
    assert back.status == "queued" and back.attempts == 0  # back, not counted
    assert back.pid is None and back.started_at is None and back.owner is None  # from the start
    workers.start("second", slow=1)
    until(lambda: rows.status(job_id) == "finished", 90, "another worker solves it")
    assert rows.job(job_id).attempts == 1


def test_a_worker_runs_at_most_its_concurrency(queue_app: FastAPI, rows: Rows, workers: Workers) -> None:
    with TestClient(queue_app, follow_redirects=False) as client:
        token = login(client)
        jobs = [_start(client, token, start=f"2026-12-{day}") for day in (14, 21, 28)]
        queued = [client.get(f"/api/jobs/{job}").json()["queue_position"] for job in jobs]
    assert queued == [1, 2, 3]
    workers.start("worker", concurrency=2, slow=2)
    most = 0

    def all_finished() -> bool:
        nonlocal most
        statuses = [rows.status(job) for job in jobs]
        most = max(most, statuses.count("running"))
        return statuses == ["finished"] * 3

    until(all_finished, 90, "the worker drains the queue")
    assert most == 2


def test_a_job_the_queue_lost_is_queued_again(queue_app: FastAPI, rows: Rows, postgres_url: str) -> None:  # noqa: F811
    settings = _context(queue_app).settings
    sessions = _context(queue_app).sessions
    with sessions.begin() as db:
        community = first_community(db)
        assert community is not None
        lost = SolveJob(
            community_id=community.id, week_start=dt.date(2026, 12, 14), days=7, status=JobStatus.QUEUED.value,
            scenario={}, time_limit=1.0, runner=QUEUE_RUNNER, created_at=utcnow() - dt.timedelta(minutes=5),
        )
        db.add(lost)
        db.flush()
        lost_id = lost.id
    setup = WorkerSetup(settings, postgres_url, sessions)
    assert lost_jobs(setup) == [lost_id]

    async def recover() -> int:
        app = build(setup)
        async with app.open_async():
            return await recover_once(setup, app)

    assert asyncio.run(recover()) == 1
    assert lost_jobs(setup) == []  # its task waits in the queue now
    with sessions() as db:
        waiting = db.execute(text("SELECT status FROM procrastinate_jobs WHERE lock = :lock"),
                             {"lock": f"rota-solve-{lost_id}"}).scalars().all()
    assert waiting == ["todo"]


def test_a_restarting_web_process_leaves_the_queues_jobs_alone(
    settings: Settings, queue_app: FastAPI, rows: Rows, postgres_url: str  # noqa: F811
) -> None:
    with TestClient(queue_app, follow_redirects=False) as client:
        job_id = _start(client, login(client))
    again = create_app(queue_settings(settings, postgres_url), out=io.StringIO())
    try:
        assert rows.status(job_id) == "queued"
        assert isinstance(_context(again).runner, QueueJobRunner)
    finally:
        _context(again).runner.shutdown()
        _context(again).engine.dispose()
    assert ensure_schema(postgres_url) is False  # made once, by the first process



def test_metrics_count_the_live_workers_and_the_jobs_they_lost(
    settings: Settings, postgres_url: str, rows: Rows, workers: Workers  # noqa: F811
) -> None:
    token = "metrics-token-" + "q" * 24
    app = create_app(queue_settings(settings, postgres_url).model_copy(update={"metrics_token": token}),
                     out=io.StringIO())
    with _context(app).sessions.begin() as db:
        community = first_community(db)
        assert community is not None
        db.add(SolveJob(
            community_id=community.id, week_start=dt.date(2026, 12, 14), days=7, status=JobStatus.FAILED.value,
            scenario={}, time_limit=1.0, runner=QUEUE_RUNNER, error="worker_lost: stopped 2 times",
        ))

    def scrape(client: TestClient) -> dict[tuple[str, str], float]:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        return {(s.name, s.labels.get("reason", "")): s.value
                for family in text_string_to_metric_families(response.text) for s in family.samples}

    worker = workers.start("worker", slow=1)
    try:
        with TestClient(app) as client:
            assert scrape(client)[("rota_solve_failures_total", "worker_lost")] == 1
            assert scrape(client)[("rota_solve_failures_total", "error")] == 0
            until(lambda: rows.workers() == 1, what="the worker registers")
            assert scrape(client)[("rota_queue_workers", "")] == 1
    finally:
        stop(worker)
        _context(app).runner.shutdown()
        _context(app).engine.dispose()
    assert rows.workers() == 0  # a worker that stops unregisters itself

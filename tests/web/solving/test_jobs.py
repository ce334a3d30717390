"""Solve jobs: start, progress, cancel, result grid or explanation, interrupted on restart, a real solver process."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import InlineRunner, RecordingRunner, app_context, ended_process_owner, login, tiny_community
from web.app import create_app
from web.dates import local_today, next_monday
from web.db import make_engine, make_sessions
from web.settings import Settings
from web.solving.service import ProcessJobRunner
from web.tables import JobStatus, SolveJob

MONDAY = "2026-12-07"


def _job(app: FastAPI, job_id: int) -> SolveJob:
    with app_context(app).sessions() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        return job


def _start(client: TestClient, token: str, start: str = MONDAY, days: str = "7") -> int:
    response = client.post("/generate", data={"csrf_token": token, "start": start, "days": days})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_generate_page_defaults_to_next_monday(client: TestClient, logged_in: str) -> None:
    import datetime as dt

    page = client.get("/generate").text
    coming = next_monday(local_today("Asia/Shanghai", dt.datetime.now(dt.UTC)))  # the community's date, not UTC's
    assert f'value="{coming.isoformat()}"' in page
    assert next_monday(dt.date(2026, 11, 28)) == dt.date(2026, 11, 30)
    assert next_monday(dt.date(2026, 11, 30)) == dt.date(2026, 12, 7)


def test_start_shows_progress_and_can_be_cancelled(
    client: TestClient, app: FastAPI, runner: RecordingRunner, logged_in: str
) -> None:
    job_id = _start(client, logged_in)
    assert runner.submitted == [job_id]
    job = _job(app, job_id)
    assert job.status == JobStatus.QUEUED
    assert job.week_start.isoformat() == MONDAY and job.days == 7
    assert [p["id"] for p in job.scenario["people"]] == ["alice", "bob", "carol"]  # active people only
    page = client.get(f"/jobs/{job_id}").text
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page  # works without JavaScript
    assert 'src="/static/progress.js"' in page and 'data-url="/api/jobs/' in page
    assert "window.location.reload" in client.get("/static/progress.js").text
    assert "等待开始" in page and "取消计算" in page
    progress = client.get(f"/api/jobs/{job_id}").json()
    assert progress["status"] == "queued" and progress["objective"] is None
    assert "等待开始" in client.get("/generate").text

    response = client.post(f"/jobs/{job_id}/cancel", data={"csrf_token": logged_in})
    assert response.status_code == 303
    assert runner.cancelled == [job_id]
    assert _job(app, job_id).status == JobStatus.CANCELLED
    page = client.get(f"/jobs/{job_id}").text
    assert "已取消" in page and "http-equiv" not in page and "progress.js" not in page
    client.post(f"/jobs/{job_id}/cancel", data={"csrf_token": logged_in})
    assert runner.cancelled == [job_id]  # a finished job is not cancelled again


def test_running_progress_is_shown(client: TestClient, app: FastAPI, logged_in: str) -> None:
    job_id = _start(client, logged_in)
    with app_context(app).sessions.begin() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        job.status, job.objective, job.bound, job.first_found_at, job.solutions = "running", 10.0, 5.0, 0.8, 2
        import datetime as dt

        job.started_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=3)
    client.cookies.set("lang", "en")
    page = client.get(f"/jobs/{job_id}").text
    assert "Running" in page and "10.00" in page and "5.00" in page and "50.0 %" in page
    assert "First complete rota found after 0.8 s." in page
    # plain words first; the solver's figures behind a toggle
    assert page.index("A rota is found · it may still improve") < page.index("<details") < page.index("50.0 %")
    client.cookies.set("lang", "zh")
    assert "已找到排班 · 可能还能更好" in client.get(f"/jobs/{job_id}").text
    progress = client.get(f"/api/jobs/{job_id}").json()
    assert progress["gap"] == pytest.approx(0.5) and progress["elapsed"] >= 3


def test_bad_week_input_is_a_field_error(client: TestClient, runner: RecordingRunner, logged_in: str) -> None:
    response = client.post("/generate", data={"csrf_token": logged_in, "start": "next week", "days": "99"})
    assert response.status_code == 400
    assert 'value="next week"' in response.text and "不能大于 28" in response.text
    assert runner.submitted == []


def test_other_communitys_or_unknown_job_is_404(client: TestClient, logged_in: str) -> None:
    assert client.get("/jobs/999").status_code == 404
    assert client.get("/api/jobs/999").status_code == 404


@pytest.fixture
def inline_app(settings: Settings) -> FastAPI:
    return create_app(settings, InlineRunner(settings.resolved_database_url()), out=io.StringIO())


def test_solved_week_is_shown_as_a_grid(inline_app: FastAPI) -> None:
    with TestClient(inline_app, follow_redirects=False) as client:
        token = login(client)
        job_id = _start(client, token)
        job = _job(inline_app, job_id)
        assert job.status == JobStatus.FINISHED, job.error
        assert job.result_status == "optimal"
        assert job.rota is not None and len(job.rota["assignments"]) == 7
        page = client.get(f"/jobs/{job_id}").text
        assert "最优排班" in page and "http-equiv" not in page
        assert "大门" in page and "白班" in page and "08:00–16:00" in page
        assert "12/7 周一" in page and "12/13 周日" in page
        assert page.count('class="entry') == 7
        assert 'class="mark"' in page
        assert "用餐 1" in page  # a lunch break time such as "用餐 11:00–11:45"
        # One person a day for the week is the fewest the rules allow, and the page says so.
        assert "岗位共 7 个班次、56 人时：已是最少。" in page
        client.cookies.set("lang", "en")
        page = client.get(f"/jobs/{job_id}").text
        assert "Mon 7 Dec" in page and "Gate" in page and "meal 1" in page
        assert "7 shifts, 56 person-hours at the posts: the fewest possible." in page
        assert client.get(f"/api/jobs/{job_id}").json()["result_status"] == "optimal"


def test_infeasible_week_shows_the_explanation(tmp_path: Path) -> None:
    path = tmp_path / "short.json"
    path.write_text(json.dumps(tiny_community(coverage=[{"post": "gate", "shift": "day", "min": 5}])))
    settings = Settings(
        data_dir=tmp_path / "d", admin_user="coord", admin_password="correct horse battery", example_path=path,
        secret_key="k" * 40, solve_time_limit=10, solve_workers=1,
    )
    app = create_app(settings, InlineRunner(settings.resolved_database_url()), out=io.StringIO())
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        job_id = _start(client, token, days="1")
        job = _job(app, job_id)
        assert job.status == JobStatus.FINISHED and job.result_status == "infeasible"
        assert job.explanation is not None
        page = client.get(f"/jobs/{job_id}").text
        assert "没有能满足所有硬性规则的排班" in page
        # The engine's explanation in the reader's language, rendered from its message codes (not the stored English).
        assert "原因" in page and "具备资格、能到岗的人少于规则要求" in page
        assert job.explanation["summary"][:20] not in page


def test_invalid_community_data_is_reported_not_solved(client: TestClient, app: FastAPI, logged_in: str) -> None:
    with app_context(app).sessions.begin() as db:
        from web.store import first_community

        community = first_community(db)
        assert community is not None
        community.setup = {**community.setup, "coverage": [{"post": "nowhere", "min": 1}]}
    response = client.post("/generate", data={"csrf_token": logged_in, "start": MONDAY, "days": "7"})
    assert response.status_code == 400
    assert "社区规则与人员数据有误" in response.text and "nowhere" in response.text


def test_unfinished_jobs_are_interrupted_on_restart(settings: Settings) -> None:
    runner = RecordingRunner()
    app = create_app(settings, runner, out=io.StringIO())
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        queued = _start(client, token)
        running = _start(client, token, start="2026-12-14")  # another week: the same week's would join the first
        done = _start(client, token, start="2026-12-21")
    gone = ended_process_owner()
    with app_context(app).sessions.begin() as db:
        for job_id, status in ((queued, "queued"), (running, "running"), (done, "finished")):
            job = db.get(SolveJob, job_id)
            assert job is not None
            job.status, job.owner = status, gone  # held by a server process that has ended
    assert runner.stopped  # the app's shutdown stops its runner
    restarted = create_app(settings, RecordingRunner(), out=io.StringIO())
    assert _job(restarted, queued).status == JobStatus.INTERRUPTED
    assert _job(restarted, running).status == JobStatus.INTERRUPTED
    assert _job(restarted, done).status == JobStatus.FINISHED
    with TestClient(restarted, follow_redirects=False) as client:
        login(client)
        assert "因服务器重启而中断" in client.get(f"/jobs/{running}").text


def _wait(sessions_url: str, job_id: int, until: set[str], seconds: float = 120) -> SolveJob:
    engine = make_engine(sessions_url)
    sessions = make_sessions(engine)
    deadline = time.monotonic() + seconds
    try:
        while True:
            with sessions() as db:
                job = db.get(SolveJob, job_id)
                assert job is not None
                if job.status in until or time.monotonic() > deadline:
                    return job
            time.sleep(0.2)
    finally:
        engine.dispose()


def test_a_real_solver_process(settings: Settings) -> None:
    """The default runner: the solve runs in a spawned process and writes its result to the database."""
    app = create_app(settings, out=io.StringIO())
    runner = app_context(app).runner
    assert isinstance(runner, ProcessJobRunner)
    url = settings.resolved_database_url()
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        job_id = _start(client, token)
        job = _wait(url, job_id, {"finished", "failed"})
        assert job.status == JobStatus.FINISHED, job.error
        assert job.result_status == "optimal" and job.pid is not None and job.started_at is not None
        assert "最优排班" in client.get(f"/jobs/{job_id}").text
        # cancelling a running process: the process ends and the job stays cancelled
        second = _start(client, token)
        client.post(f"/jobs/{second}/cancel", data={"csrf_token": token})
        job = _wait(url, second, {"cancelled", "finished", "failed"})
        assert job.status == JobStatus.CANCELLED
        assert second not in runner.running()
    with app_context(app).sessions() as db:
        statuses = [j.status for j in db.scalars(select(SolveJob).order_by(SolveJob.id))]
    assert statuses == ["finished", "cancelled"]

"""Queue mode with the workers .ci/run starts: scripts/with-workers.sh runs two real `rota worker` processes on
the PostgreSQL database of scripts/with-postgres.sh, as a street office runs them. Several communities start a
solve at once from their pages: the two workers share them, never more than two run at once, and every rota is
stored and passes the independent checker. Skipped where no workers were started for the tests."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from scheduler import Rota, Scenario, check
from tests.web.conftest import csrf_of, login, tiny_community
from tests.web.solving.queue_support import Rows, until
from web.app import create_app
from web.settings import Settings
from web.state import AppContext
from web.store import import_scenario
from web.tables import Community, SolveJob

COMMUNITIES = 6
WEEK = "2026-12-14"

pytestmark = pytest.mark.skipif(
    not os.environ.get("ROTA_TEST_WORKERS"), reason="no workers started for the tests (scripts/with-workers.sh)"
)


@pytest.fixture
def ci_app(settings: Settings, tmp_path: Path) -> Iterator[FastAPI]:
    url = os.environ["ROTA_TEST_WORKERS_URL"]
    queue_settings = settings.model_copy(update={
        "database_url": url, "queue": "procrastinate", "queue_name": os.environ["ROTA_TEST_WORKERS_QUEUE"],
        "solve_time_limit": 5.0,
    })
    app = create_app(queue_settings, out=io.StringIO())
    yield app
    context = app.state.rota
    assert isinstance(context, AppContext)
    context.runner.shutdown()
    context.engine.dispose()


def test_the_ci_workers_share_the_communities_solves(ci_app: FastAPI) -> None:
    context = ci_app.state.rota
    assert isinstance(context, AppContext)
    with context.sessions.begin() as db:
        for n in range(COMMUNITIES - len(db.scalars(select(Community)).all())):
            import_scenario(db, Scenario.model_validate(tiny_community(community=f"Tiny {n + 2}")))
        communities = [c.id for c in db.scalars(select(Community).order_by(Community.id)).all()][:COMMUNITIES]
    rows = Rows(os.environ["ROTA_TEST_WORKERS_URL"])
    jobs: list[int] = []
    with TestClient(ci_app, follow_redirects=False) as client:
        login(client)
        for community_id in communities:
            token = csrf_of(client, "/communities")
            assert client.post(f"/communities/{community_id}/choose", data={"csrf_token": token}).status_code == 303
            token = csrf_of(client, "/generate")
            response = client.post("/generate", data={"csrf_token": token, "start": WEEK, "days": "7"})
            assert response.status_code == 303, response.text
            jobs.append(int(response.headers["location"].rsplit("/", 1)[1]))
    until(lambda: all(rows.status(job) == "finished" for job in jobs), 300, "the workers drain the queue")
    try:
        finished = [rows.job(job) for job in jobs]
        assert len({job.community_id for job in finished}) == COMMUNITIES
        for job in finished:
            assert check(Scenario.model_validate(job.scenario), Rota.model_validate(job.rota)).ok
            assert job.attempts == 1
        workers = int(os.environ["ROTA_TEST_WORKERS"])
        most = _most_at_once(finished)  # from the rows' own times: a tiny solve is quicker than any sampling
        assert len({job.owner for job in finished}) == workers  # each worker took some
        assert 1 <= most <= workers  # bounded: one at a time per worker
    finally:
        rows.close()


def _most_at_once(jobs: list[SolveJob]) -> int:
    """The most jobs running at one moment, from their recorded start and finish."""
    edges = sorted([(job.started_at, 1) for job in jobs if job.started_at and job.finished_at]
                   + [(job.finished_at, -1) for job in jobs if job.started_at and job.finished_at],
                   key=lambda edge: (edge[0], edge[1]))  # an end before a start at the same moment
    running = most = 0
    for _, step in edges:
        running += step
        most = max(most, running)
    return most

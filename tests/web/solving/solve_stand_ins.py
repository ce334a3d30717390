"""Stand-ins for a solver process's work, run by tests in real solver processes (`ProcessJobRunner(work=...)`):
the real solve held until the test lets it go, and a slow job that would write itself finished after a while."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from web.solving.jobstate import transition
from web.solving.service import run_job
from web.tables import JobStatus, utcnow

GATES = "ROTA_TEST_GATES"
"""Folder where the test creates a file named by a job's id to let its held solve go."""
SLOW = "ROTA_TEST_SLOW_SECONDS"
"""How long the slow job runs before it writes itself finished."""


def held_job(sessions: sessionmaker[Session], job_id: int) -> None:
    """The real solve, once the file <ROTA_TEST_GATES>/<job id> exists (at most two minutes later)."""
    gate = Path(os.environ[GATES]) / str(job_id)
    deadline = time.monotonic() + 120
    while not gate.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    run_job(sessions, job_id)


def slow_job(sessions: sessionmaker[Session], job_id: int) -> None:
    """Running for ROTA_TEST_SLOW_SECONDS, then finished: an orphan that lived on would write exactly this."""
    with sessions.begin() as db:
        transition(db, job_id, [JobStatus.QUEUED], status=JobStatus.RUNNING.value, started_at=utcnow(),
                   pid=os.getpid())
    time.sleep(float(os.environ.get(SLOW, "5")))
    with sessions.begin() as db:
        transition(db, job_id, [JobStatus.RUNNING], status=JobStatus.FINISHED.value, finished_at=utcnow(),
                   result_status="optimal")

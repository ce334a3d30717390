"""A solve job's state in its row: conditional status changes and progress writes, shared by solves and repairs.

Status changes are conditional updates (`queued -> running -> finished/failed`, `queued/running -> cancelled/
interrupted`), so a late worker never overwrites a cancellation and a cancellation never undoes a finished rota.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler import relative_gap
from web.solving.owners import alive
from web.tables import LOCAL_RUNNER, UNFINISHED, JobStatus, SolveJob, utcnow

WORKER_LOST = "worker_lost"
"""The error of a queue job that failed because its workers kept stopping under it (its first word: a code)."""
PROGRESS_INTERVAL = 0.5
"""Seconds between two progress writes (the last progress is always written with the result)."""


def transition(db: Session, job_id: int, allowed: Iterable[JobStatus], **values: Any) -> bool:
    """Set fields of a job only if its status is one of `allowed`; True when the row changed."""
    statement = (
        update(SolveJob)
        .where(SolveJob.id == job_id, SolveJob.status.in_([s.value for s in allowed]))
        .values(**values)
    )
    return bool(cast(CursorResult[Any], db.execute(statement)).rowcount)


UNSUBMITTED_GRACE = dt.timedelta(minutes=1)
"""A local job with no owner yet was just created by a request that is about to hand it to its runner; one older
than this was created by a process that ended first (or before jobs had owners)."""


def mark_interrupted(sessions: sessionmaker[Session], now: dt.datetime | None = None) -> int:
    """At start: local jobs left queued or running by a web process that is gone are marked interrupted, never
    silently lost. Another live process's jobs are its own, and the queue's workers recover theirs."""
    now = now or utcnow()
    with sessions.begin() as db:
        rows = db.execute(
            select(SolveJob.id, SolveJob.owner, SolveJob.created_at).where(
                SolveJob.status.in_([s.value for s in UNFINISHED]), SolveJob.runner == LOCAL_RUNNER
            )
        ).all()
        gone = [
            job_id for job_id, owner, created in rows
            if (owner is None and created < now - UNSUBMITTED_GRACE) or (owner is not None and not alive(owner))
        ]
        for job_id in gone:
            transition(db, job_id, UNFINISHED, status=JobStatus.INTERRUPTED.value, finished_at=now)
        return len(gone)


def record_failure(sessions: sessionmaker[Session], job_id: int, error: Exception) -> None:
    """A running job failed: keep the error and the end of its traceback (call it where the error is caught)."""
    with sessions.begin() as db:
        transition(
            db, job_id, [JobStatus.RUNNING], status=JobStatus.FAILED.value, finished_at=utcnow(),
            error=f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=5)}",
        )


class ProgressWriter:
    """Writes a running job's progress to its row: every improving rota counts, the row is written at most every
    PROGRESS_INTERVAL seconds (solves and repairs alike)."""

    def __init__(self, sessions: sessionmaker[Session], job_id: int) -> None:
        self.sessions, self.job_id = sessions, job_id
        self.solutions = 0
        self.first: float | None = None
        self._last_write = 0.0

    def record(self, elapsed: float, objective: float | None, bound: float | None, **extra: Any) -> None:
        self.solutions += 1
        if self.first is None:
            self.first = elapsed
        now = time.monotonic()
        if now - self._last_write < PROGRESS_INTERVAL:
            return
        self._last_write = now
        with self.sessions.begin() as db:
            transition(
                db, self.job_id, [JobStatus.RUNNING], elapsed=elapsed, objective=objective, bound=bound,
                solutions=self.solutions, first_found_at=self.first, **extra,
            )


def job_elapsed(job: SolveJob) -> float | None:
    """Seconds the solve has run: from the clock while it runs, as recorded once it ended."""
    if job.status == JobStatus.RUNNING and job.started_at is not None:
        started = job.started_at if job.started_at.tzinfo else job.started_at.replace(tzinfo=dt.UTC)
        return (utcnow() - started).total_seconds()
    return job.elapsed


def job_gap(job: SolveJob) -> float | None:
    """The job's relative gap between its best rota and its bound, when it has both."""
    if job.objective is None or job.bound is None:
        return None
    return relative_gap(job.objective, job.bound)

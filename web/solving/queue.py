"""Solves on a distributed task queue: procrastinate, whose queue is a few tables in the app's own PostgreSQL.

Why procrastinate: the app already needs PostgreSQL to serve from several processes, and procrastinate needs no
other server (Celery and Dramatiq need Redis or RabbitMQ: one more service to run, back up and watch). Its
workers send heartbeats, so a job whose worker was killed is found and handed to another; it is typed, maintained
and runs on psycopg 3, which the app already uses. The reasoning in full is in docs/web.md.

The web side only hands jobs over: `QueueJobRunner.submit` marks the job's row as the queue's and defers task
`rota.solve(job_id)`. The row stays the one truth the pages read; `web.solving.queue_worker` (the `rota worker`
command) runs the task in a solver process, writes progress and the result to the row, and watches it for a
cancellation. Each job is deferred under a lock named after it, so two procrastinate jobs for one solve never run
at once (a retry after a stalled worker and a re-sent job cannot race).
"""

from __future__ import annotations

import threading
from typing import Any, cast

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import JobDeferrer
from procrastinate.schema import SchemaManager
from sqlalchemy import CursorResult, case, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from web.settings import Settings
from web.solving.jobstate import transition
from web.tables import QUEUE_RUNNER, UNFINISHED, JobStatus, SolveJob, utcnow

TASK = "rota.solve"
"""The task's name in the queue (the worker registers the function under it)."""
_SCHEMA_LOCK = 7_340_217
"""PostgreSQL advisory lock held while the queue's tables are created: two processes starting at once do it once."""


def conninfo(database_url: str) -> str:
    """The libpq address of a SQLAlchemy PostgreSQL URL (procrastinate connects with psycopg directly)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


LOCK_PREFIX = "rota-solve-"
"""A solve job's task carries the lock (and queueing lock) LOCK_PREFIX + its id: one at a time per job, one
waiting at most."""


def job_lock(job_id: int) -> str:
    return f"{LOCK_PREFIX}{job_id}"


def ensure_schema(database_url: str) -> bool:
    """Create procrastinate's tables and functions unless they exist; True when it created them."""
    with psycopg.connect(conninfo(database_url), autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            row = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
            if row is not None and row[0] is not None:
                return False
            schema = SchemaManager.get_schema()
            with connection.transaction():
                connection.execute(cast(Any, schema))  # many statements, no parameters: one simple query
            return True
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


def solve_task(app: procrastinate.App, queue: str, job_id: int) -> JobDeferrer:
    """The task of a solve job, under its lock, ready to defer (`.defer` here, `.defer_async` in a worker; either
    raises AlreadyEnqueued when one already waits for the job, which is no error)."""
    lock = job_lock(job_id)
    return app.configure_task(TASK, queue=queue, lock=lock, queueing_lock=lock)


def defer(app: procrastinate.App, queue: str, job_id: int) -> None:
    """Queue the task of a solve job (no-op when one already waits for it)."""
    try:
        solve_task(app, queue, job_id).defer(job_id=job_id)
    except AlreadyEnqueued:
        return


class QueueJobRunner:
    """The web side of queue mode: submits jobs to the queue and answers a waiting job's place in it. Solves run
    in `rota worker` processes, on this machine or others; cancelling is the row's status, which the worker that
    runs the job watches."""

    def __init__(self, database_url: str, sessions: sessionmaker[Session], queue: str) -> None:
        self._sessions = sessions
        self._queue = queue
        self._app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo(database_url)))
        self._open = False
        self._opening = threading.Lock()  # request threads submit at once; the pool opens once

    def submit(self, job_id: int) -> None:
        with self._sessions.begin() as db:
            transition(db, job_id, UNFINISHED, runner=QUEUE_RUNNER, owner=None)
        try:
            with self._opening:
                if not self._open:
                    self._app.open()
                    self._open = True
            defer(self._app, self._queue, job_id)
        except Exception as error:  # the database refused: say so on the job rather than leave it waiting
            with self._sessions.begin() as db:
                transition(db, job_id, UNFINISHED, status=JobStatus.FAILED.value, finished_at=utcnow(),
                           error=f"the job could not be queued: {error}")

    def cancel(self, job_id: int) -> None:
        """Nothing to do here: the caller has set the row cancelled, and the worker running it stops its solve."""

    def position(self, job_id: int) -> int | None:
        """1 + the queue's jobs waiting before this one (every community's: the workers serve them in order)."""
        with self._sessions.begin() as db:
            job = db.get(SolveJob, job_id)
            if job is None or job.status != JobStatus.QUEUED or job.runner != QUEUE_RUNNER:
                return None
            ahead = db.scalar(select(func.count()).select_from(SolveJob).where(
                SolveJob.runner == QUEUE_RUNNER, SolveJob.status == JobStatus.QUEUED.value, SolveJob.id < job_id,
            ))
            return int(ahead or 0) + 1

    def shutdown(self) -> None:
        """The web process stops; the queue's jobs go on in the workers."""
        with self._opening:
            if self._open:
                self._app.close()
                self._open = False


FRESH: dict[str, Any] = {
    "pid": None, "started_at": None, "elapsed": None, "objective": None, "bound": None, "solutions": 0,
    "first_found_at": None,
}
"""A job's progress as before any attempt: a job queued again starts over, and its page must not show the stopped
attempt's figures as its own."""


def forget_progress(job: SolveJob) -> None:
    for name, value in FRESH.items():
        setattr(job, name, value)


def live_workers(db: Session, stalled_after: float) -> int:
    """Workers that sent a heartbeat within `stalled_after` seconds (the others have stopped or are gone)."""
    query = text(
        "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - make_interval(secs => :seconds)"
    )
    return int(db.scalar(query, {"seconds": stalled_after}) or 0)


def unattended(db: Session, settings: Settings, job: SolveJob) -> bool:
    """Queue mode: the job waits and no worker is alive to take it (the page says so, for the administrator)."""
    if settings.queue != "procrastinate" or job.status != JobStatus.QUEUED or job.runner != QUEUE_RUNNER:
        return False
    return live_workers(db, settings.worker_stalled_after) == 0


def requeue(sessions: sessionmaker[Session], job_id: int) -> bool:
    """A stopping worker gives its running job back: queued again, from the start, the attempt not counted."""
    with sessions.begin() as db:
        statement = (
            update(SolveJob)
            .where(SolveJob.id == job_id, SolveJob.status.in_([s.value for s in UNFINISHED]))
            .values(status=JobStatus.QUEUED.value, owner=None, **FRESH,
                    attempts=case((SolveJob.attempts > 0, SolveJob.attempts - 1), else_=0))
        )
        return bool(cast(CursorResult[Any], db.execute(statement)).rowcount)

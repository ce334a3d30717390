"""`rota worker`: solves the queue's jobs (queue mode, `ROTA_QUEUE=procrastinate`), on any machine that reaches
the database.

Each job runs in its own solver process, as in the app's local runner (`web.solving.service`): the same
`run_job` writes progress and the result to the job's row, and the process dies with its worker (Linux's
parent-death signal, the watchdog elsewhere). While it runs, the worker reads the row twice a second: a
coordinator's cancel (the row says cancelled) stops the solver process at once.

Nothing is lost when a worker dies:
- killed (SIGKILL, a machine gone): its heartbeats stop; every worker looks for jobs of workers silent for longer
  than `worker_stalled_after` and puts them back in the queue. The next worker to begin one counts an attempt; past
  `worker_attempts` the job fails, saying its workers stopped, instead of going round for ever.
- stopped (SIGTERM, a deployment): it lets its solves run for `worker_shutdown_grace` seconds, then stops their
  processes and queues them again, uncounted, for another worker.
- a job row the queue lost sight of (the web process died between marking it and queueing it) is queued again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing
import os
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from web.db import make_engine, make_sessions, upgrade
from web.settings import Settings
from web.solving.jobstate import WORKER_LOST, transition
from web.solving.owners import this_process
from web.solving.queue import LOCK_PREFIX, TASK, conninfo, ensure_schema, forget_progress, requeue, solve_task
from web.solving.service import JobWork, lower_priority, process_main, run_job
from web.tables import QUEUE_RUNNER, UNFINISHED, JobStatus, SolveJob, utcnow

log = logging.getLogger("rota.worker")

POLL = 0.5
"""Seconds between two looks at a running job's row (a cancel reaches the solver within this)."""
LOST_AFTER = dt.timedelta(seconds=30)
"""A queue job's row older than this with no task waiting or running for it is queued again."""


@dataclass
class WorkerSetup:
    settings: Settings
    database_url: str
    sessions: sessionmaker[Session]
    name: str = field(default_factory=this_process)
    work: JobWork = run_job
    """What the solver process runs (tests give stand-ins)."""
    poll: float = POLL


def build(setup: WorkerSetup) -> procrastinate.App:
    """The queue app of a worker, with the solve task registered under its name."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(setup.database_url)))

    async def solve(job_id: int) -> None:
        await run_queued(setup, app, job_id)

    app.task(name=TASK, queue=setup.settings.queue_name)(solve)
    return app


def begin(setup: WorkerSetup, job_id: int) -> bool:
    """Take a queued job for this worker and count the attempt; False when there is nothing to solve (finished,
    cancelled, or failed now because its workers kept stopping)."""
    with setup.sessions.begin() as db:
        job = db.scalars(select(SolveJob).where(SolveJob.id == job_id).with_for_update()).first()
        if job is None or job.status not in UNFINISHED:
            return False
        if job.status == JobStatus.RUNNING:
            # the task's lock lets one worker at a time hold this job, so a running row is a stopped worker's
            if job.attempts >= setup.settings.worker_attempts:
                job.status, job.finished_at = JobStatus.FAILED.value, utcnow()
                job.error = f"{WORKER_LOST}: the worker solving it stopped {job.attempts} times"
                log.warning("job %s failed: its workers stopped %s times", job_id, job.attempts)
                return False
            job.status = JobStatus.QUEUED.value
            forget_progress(job)
        job.attempts += 1
        job.owner, job.runner = setup.name, QUEUE_RUNNER
        return True


STOPPED = (JobStatus.CANCELLED, JobStatus.INTERRUPTED)
"""Statuses that someone else gave the job while it ran: its solver must stop. (Finished and failed are written by
the solver itself, which then ends on its own.)"""


def _stopped(sessions: sessionmaker[Session], job_id: int) -> bool:
    with sessions.begin() as db:
        status = db.scalar(select(SolveJob.status).where(SolveJob.id == job_id))
    return status is None or status in STOPPED


async def _asked_to_stop(setup: WorkerSetup, job_id: int) -> bool:
    """Whether the job's row says stop; a database away for a moment says nothing (the solve goes on)."""
    try:
        return await asyncio.to_thread(_stopped, setup.sessions, job_id)
    except Exception:
        log.warning("job %s: its row could not be read; looking again shortly", job_id, exc_info=True)
        return False


def _stop(process: BaseProcess) -> None:
    process.terminate()
    process.join(5)
    if process.exitcode is None:
        process.kill()
        process.join(5)


def _failed(sessions: sessionmaker[Session], job_id: int, error: str) -> None:
    with sessions.begin() as db:
        transition(db, job_id, UNFINISHED, status=JobStatus.FAILED.value, finished_at=utcnow(), error=error)


async def run_queued(setup: WorkerSetup, app: procrastinate.App, job_id: int) -> None:
    """The task: solve one job in a solver process, watching its row for a cancel."""
    # started from the event loop's thread, which lives as long as the worker: the parent-death signal is tied
    # to the thread that starts a process
    process = multiprocessing.get_context("spawn").Process(
        target=process_main, args=(setup.database_url, job_id, os.getpid(), setup.work, True),
        name=f"rota-solve-{job_id}", daemon=True,
    )
    try:
        if not await asyncio.to_thread(begin, setup, job_id):
            return
        try:
            process.start()
        except Exception as error:  # the job says why rather than wait for ever
            await asyncio.to_thread(_failed, setup.sessions, job_id, f"the solver process could not start: {error}")
            return
        if process.pid is not None:
            lower_priority(process.pid)
        while process.exitcode is None:
            await asyncio.sleep(setup.poll)
            if process.exitcode is None and await _asked_to_stop(setup, job_id):
                log.info("job %s cancelled: stopping its solver", job_id)
                await asyncio.to_thread(_stop, process)
    except asyncio.CancelledError:  # the worker stops: the job goes back to the queue for another worker
        if process.pid is not None:
            await asyncio.to_thread(_stop, process)
        if await asyncio.to_thread(requeue, setup.sessions, job_id):
            await _defer(app, setup.settings.queue_name, job_id)
            log.info("job %s queued again: this worker stops", job_id)
        raise
    if process.exitcode != 0:
        await asyncio.to_thread(
            _failed, setup.sessions, job_id, f"the solver process ended with exit code {process.exitcode}"
        )


async def _defer(app: procrastinate.App, queue: str, job_id: int) -> None:
    try:
        await solve_task(app, queue, job_id).defer_async(job_id=job_id)
    except AlreadyEnqueued:
        return


def lost_jobs(setup: WorkerSetup, now: dt.datetime | None = None) -> list[int]:
    """Unfinished queue jobs with no task waiting or running for them (the web process stopped between marking a
    job and queueing it; a task that ended without ending its job)."""
    before = (now or utcnow()) - LOST_AFTER
    query = text(
        "SELECT s.id FROM solve_job s WHERE s.runner = :runner AND s.status IN ('queued', 'running') "
        "AND s.created_at < :before AND NOT EXISTS (SELECT 1 FROM procrastinate_jobs p "
        "WHERE p.lock = :prefix || s.id AND p.status IN ('todo', 'doing')) ORDER BY s.id"
    )
    with setup.sessions.begin() as db:
        found = db.execute(query, {"runner": QUEUE_RUNNER, "before": before, "prefix": LOCK_PREFIX})
        return [int(row[0]) for row in found]


async def recover_once(setup: WorkerSetup, app: procrastinate.App) -> int:
    """Put back in the queue the jobs of stopped workers and the jobs the queue lost; how many."""
    settings = setup.settings
    count = 0
    stalled = await app.job_manager.get_stalled_jobs(
        queue=settings.queue_name, task_name=TASK, seconds_since_heartbeat=settings.worker_stalled_after
    )
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except Exception as error:  # another worker retried it first
            log.debug("stalled job %s not retried here: %s", job.id, error)
            continue
        log.warning("solve job %s of a stopped worker: queued again", job.task_kwargs.get("job_id"))
        count += 1
    for job_id in await asyncio.to_thread(lost_jobs, setup):
        await _defer(app, settings.queue_name, job_id)
        log.warning("solve job %s had no task in the queue: queued again", job_id)
        count += 1
    return count


async def _recover(setup: WorkerSetup, app: procrastinate.App) -> None:
    while True:
        await asyncio.sleep(setup.settings.worker_heartbeat)
        try:
            await recover_once(setup, app)
        except Exception:  # the database may be away for a moment: look again at the next beat
            log.exception("looking for stopped workers' jobs failed")


async def serve(setup: WorkerSetup, concurrency: int) -> None:
    """Run the worker until SIGINT or SIGTERM."""
    settings = setup.settings
    app = build(setup)
    async with app.open_async():
        recovery = asyncio.create_task(_recover(setup, app), name="rota-recover")
        try:
            options: dict[str, Any] = {
                "queues": [settings.queue_name], "concurrency": concurrency, "name": setup.name,
                "update_heartbeat_interval": settings.worker_heartbeat,
                "stalled_worker_timeout": settings.worker_stalled_after,
                "shutdown_graceful_timeout": settings.worker_shutdown_grace,
                "delete_jobs": "successful",  # the job rows are the record; the queue keeps only what went wrong
            }
            await app.run_worker_async(**options)
        finally:
            recovery.cancel()


def run_worker(settings: Settings, concurrency: int | None = None, work: JobWork = run_job) -> None:
    """`rota worker`: migrate, make sure the queue's tables exist, then serve until stopped."""
    if settings.queue != "procrastinate":
        raise ValueError("rota worker serves the queue: set ROTA_QUEUE=procrastinate and a PostgreSQL DATABASE_URL")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = settings.resolved_database_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
        ensure_schema(url)
        setup = WorkerSetup(settings, url, make_sessions(engine), work=work)
        log.info("worker %s serves queue %s, %s at once", setup.name, settings.queue_name,
                 concurrency or settings.worker_concurrency)
        asyncio.run(serve(setup, concurrency or settings.worker_concurrency))
    finally:
        engine.dispose()

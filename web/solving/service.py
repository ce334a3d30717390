"""Solve jobs: the `JobRunner` interface, a runner that solves in its own process, and the worker function.

A job row holds the scenario snapshot taken when the coordinator pressed Generate. The worker reads it, solves,
and writes progress and the result back to the database; the page only reads the row. So the solve does not
depend on the request or the browser, and another runner (a task queue) can replace this one by implementing
`submit` and `cancel` around the same `run_job`. (A job of kind 'repair' holds a published version's snapshot and
the repair's inputs in `params`; `run_job` hands it to `web.changes.repair.run_repair`.) The job's row states and
progress writes are `web.solving.jobstate`, which repairs share.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.process import BaseProcess
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from scheduler import STORED, Progress, Scenario, SolveResult, SolveSettings, solve
from web.changes.repair import REPAIR_KIND, run_repair
from web.solving.jobstate import ProgressWriter, record_failure, transition
from web.tables import UNFINISHED, JobStatus, SolveJob, utcnow


class JobRunner(Protocol):
    """Runs solve jobs outside the request. `submit` returns at once; `cancel` stops a job that runs."""

    def submit(self, job_id: int) -> None: ...

    def cancel(self, job_id: int) -> None: ...

    def shutdown(self) -> None: ...


def run_job(sessions: sessionmaker[Session], job_id: int) -> None:
    """Solve one job and store its progress and result. Runs in the solver process (or inline in tests)."""
    with sessions.begin() as db:
        job = db.get(SolveJob, job_id)
        if job is None:
            return
        started = transition(
            db, job_id, [JobStatus.QUEUED], status=JobStatus.RUNNING.value, started_at=utcnow(), pid=os.getpid()
        )
        if not started:
            return  # cancelled before it started
        scenario_data, time_limit, workers, kind = job.scenario, job.time_limit, job.workers, job.kind
    if kind == REPAIR_KIND:
        run_repair(sessions, job_id)
        return
    writer = ProgressWriter(sessions, job_id)

    def on_progress(progress: Progress) -> None:
        writer.record(progress.elapsed, progress.objective, progress.bound)

    try:
        scenario = Scenario.model_validate(scenario_data, context=STORED)
        result = solve(scenario, SolveSettings(time_limit=time_limit, workers=workers), on_progress)
    except Exception as error:  # the job records any failure; the process must not die silently
        record_failure(sessions, job_id, error)
        return
    _store_result(sessions, job_id, result, writer)


def _store_result(sessions: sessionmaker[Session], job_id: int, result: SolveResult, writer: ProgressWriter) -> None:
    with sessions.begin() as db:
        transition(
            db, job_id, [JobStatus.RUNNING],
            status=JobStatus.FINISHED.value, finished_at=utcnow(), result_status=result.status.value,
            elapsed=result.stats.wall_time, objective=result.objective, bound=result.bound,
            solutions=max(writer.solutions, result.stats.solutions),
            first_found_at=writer.first if writer.first is not None else result.stats.first_solution_time,
            rota=result.rota.model_dump(mode="json") if result.rota is not None else None,
            explanation=result.explanation.model_dump(mode="json") if result.explanation is not None else None,
        )


SOLVER_NICENESS = 10
"""How much lower the solver process's CPU priority is than the web server's: a solve keeps every core busy, and
the pages must stay quick meanwhile (issue 5: within 2x of idle). The environment variable ROTA_SOLVER_NICENESS
overrides it (0: the same priority as the server)."""


def _lower_priority() -> None:
    """Lower this process's priority before the solver starts its threads (they inherit it)."""
    try:
        os.nice(int(os.environ.get("ROTA_SOLVER_NICENESS", SOLVER_NICENESS)))
    except (OSError, ValueError):  # not permitted or not a number: solve at the normal priority
        return


def _process_main(database_url: str, job_id: int) -> None:
    """Entry point of a spawned solver process: its own engine and sessions, at a lower priority."""
    from web.db import make_engine, make_sessions

    _lower_priority()
    engine = make_engine(database_url)
    try:
        run_job(make_sessions(engine), job_id)
    finally:
        engine.dispose()


class ProcessJobRunner:
    """Each job in its own process (multiprocessing 'spawn'), watched by a thread that records a crash.

    Only the watching thread waits for (reaps) a process: two threads waiting for the same child race, and the
    loser sees a finished process as still alive. The others ask the watcher, through its `done` event.
    """

    def __init__(self, database_url: str, sessions: sessionmaker[Session]) -> None:
        self._url = database_url
        self._sessions = sessions
        self._context = multiprocessing.get_context("spawn")
        self._processes: dict[int, BaseProcess] = {}
        self._done: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        self._stopping = False

    def submit(self, job_id: int) -> None:
        process = self._context.Process(
            target=_process_main, args=(self._url, job_id), name=f"rota-solve-{job_id}", daemon=True
        )
        done = threading.Event()
        with self._lock:
            process.start()
            self._processes[job_id] = process
            self._done[job_id] = done
        watcher = threading.Thread(
            target=self._watch, args=(job_id, process, done), name=f"rota-watch-{job_id}", daemon=True
        )
        watcher.start()

    def _watch(self, job_id: int, process: BaseProcess, done: threading.Event) -> None:
        process.join()
        with self._lock:
            self._processes.pop(job_id, None)
            self._done.pop(job_id, None)
        try:
            if process.exitcode != 0:
                self._record_end(job_id, process.exitcode)
        finally:
            done.set()

    def _record_end(self, job_id: int, exitcode: int | None) -> None:
        status = JobStatus.INTERRUPTED if self._stopping else JobStatus.FAILED
        try:
            with self._sessions.begin() as db:
                transition(
                    db, job_id, UNFINISHED, status=status.value, finished_at=utcnow(),
                    error=f"the solver process ended with exit code {exitcode}",
                )
        except Exception:  # the database may be gone at shutdown; the next start marks the job interrupted
            return

    def cancel(self, job_id: int) -> None:
        with self._lock:
            process, done = self._processes.get(job_id), self._done.get(job_id)
        if process is None or done is None:
            return
        process.terminate()
        if not done.wait(5):
            process.kill()
            done.wait(5)

    def running(self) -> list[int]:
        """Jobs whose process has not ended (been reaped by its watcher) yet."""
        with self._lock:
            return list(self._processes)

    def shutdown(self) -> None:
        """Stop every solve (server shutdown): their jobs become interrupted."""
        self._stopping = True
        for job_id in self.running():
            with self._sessions.begin() as db:
                transition(db, job_id, UNFINISHED, status=JobStatus.INTERRUPTED.value, finished_at=utcnow())
            self.cancel(job_id)

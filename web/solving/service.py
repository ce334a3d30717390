"""Solve jobs: the `JobRunner` interface, a runner that solves each job in its own process (at most N at once, the
others queued; the processes end with the server), and the worker function.

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
from collections import deque
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from scheduler import STORED, Progress, Scenario, SolveResult, SolveSettings, solve
from web.changes.repair import REPAIR_KIND, run_repair
from web.solving.jobstate import ProgressWriter, record_failure, transition
from web.solving.lifeline import exit_if_orphaned, hold_to_parent
from web.solving.owners import this_process
from web.tables import LOCAL_RUNNER, UNFINISHED, JobStatus, SolveJob, utcnow


class JobRunner(Protocol):
    """Runs solve jobs outside the request. `submit` returns at once; `cancel` stops a job that runs or waits;
    `position` is a waiting job's place in the queue (1: next), None when it does not wait for a slot."""

    def submit(self, job_id: int) -> None: ...

    def cancel(self, job_id: int) -> None: ...

    def position(self, job_id: int) -> int | None: ...

    def shutdown(self) -> None: ...


JobWork = Callable[[sessionmaker[Session], int], None]
"""What a solver process runs: `run_job` (tests give stand-ins)."""


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
    exit_if_orphaned()
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


def solver_priority(parent: int | None = None) -> int:
    """The nice value of a solver process: its server's (or worker's), plus ROTA_SOLVER_NICENESS, at most 19."""
    try:
        niceness = int(os.environ.get("ROTA_SOLVER_NICENESS", SOLVER_NICENESS))
        base = os.getpriority(os.PRIO_PROCESS, parent if parent is not None else os.getpid())
    except (OSError, ValueError):  # no such process, or not a number: the normal priority
        return 0
    return min(19, base + max(0, niceness))


def lower_priority(pid: int, parent: int | None = None) -> None:
    """Give process `pid` a solver's priority unless it already has it (or a lower one). The server calls it on a
    solver process it has just started, so that the process's start-up (a fresh Python importing OR-Tools, seconds
    of CPU) already yields to the pages; the process calls it once more itself, in case that came too late."""
    target = solver_priority(parent)
    try:
        if os.getpriority(os.PRIO_PROCESS, pid) < target:
            os.setpriority(os.PRIO_PROCESS, pid, target)
    except OSError:  # gone already, or not permitted: it solves at the normal priority
        return


def process_main(database_url: str, job_id: int, parent: int, work: JobWork, death_signal: bool) -> None:
    """Entry point of a spawned solver process: tied to its server's life, its own engine and sessions, at a lower
    priority."""
    hold_to_parent(parent, death_signal=death_signal)
    lower_priority(os.getpid(), parent)  # before the solver starts its threads (they inherit it)
    from web.db import make_engine, make_sessions

    engine = make_engine(database_url)
    try:
        work(make_sessions(engine), job_id)
    finally:
        engine.dispose()


class ProcessJobRunner:
    """Each job in its own process (multiprocessing 'spawn'); at most `max_solves` at once, the others wait in a
    first-come queue.

    One launcher thread starts every process, for the runner's whole life: Linux sends a child its parent-death
    signal when the *thread* that started it ends, so a request's worker thread (which may end when idle) must not
    start one. The launcher sleeps on a condition until a job is queued and a slot is free; a watcher thread per
    process waits for it to end, records a crash, frees the slot and wakes the launcher. Only that watcher waits
    for (reaps) its process: two threads waiting for the same child race, and the loser sees a finished process
    as still alive. The others ask the watcher, through its `done` event.

    `work` is what a solver process runs (tests give a slow or gated stand-in); `death_signal=False` leaves only
    the watchdog (tests of the portable fallback).
    """

    def __init__(
        self, database_url: str, sessions: sessionmaker[Session], max_solves: int = 1, work: JobWork = run_job,
        *, death_signal: bool = True,
    ) -> None:
        self._url = database_url
        self._sessions = sessions
        self.max_solves = max(1, max_solves)
        self._work = work
        self._death_signal = death_signal
        self._context = multiprocessing.get_context("spawn")
        self._processes: dict[int, BaseProcess] = {}
        self._done: dict[int, threading.Event] = {}
        self._waiting: deque[int] = deque()
        self._changed = threading.Condition()
        self._launcher: threading.Thread | None = None
        self._stopping = False

    def submit(self, job_id: int) -> None:
        self._hold(job_id)
        with self._changed:
            stopping = self._stopping
            if not stopping:
                self._waiting.append(job_id)
                if self._launcher is None:
                    self._launcher = threading.Thread(target=self._launch, name="rota-solve-launcher", daemon=True)
                    self._launcher.start()
                self._changed.notify_all()
        if stopping:  # the server is shutting down: the job will not run here
            self._end(job_id, JobStatus.INTERRUPTED, None)

    def _hold(self, job_id: int) -> None:
        """Write this process as the job's owner: another web process that starts leaves it alone."""
        with self._sessions.begin() as db:
            transition(db, job_id, UNFINISHED, runner=LOCAL_RUNNER, owner=this_process())

    def position(self, job_id: int) -> int | None:
        """1 for the next job to start, 2 for the one after...; None when the job is not waiting for a slot."""
        with self._changed:
            try:
                return self._waiting.index(job_id) + 1
            except ValueError:
                return None

    def _launch(self) -> None:
        while True:
            with self._changed:
                while not self._may_start() and not (self._stopping and not self._processes):
                    self._changed.wait()
                if self._stopping:
                    return  # every process has ended: none is left to be killed with this thread
                job_id = self._waiting.popleft()
                try:
                    self._start(job_id)
                except Exception as error:  # a process that cannot start fails its job, not the launcher
                    failure: Exception | None = error
                else:
                    failure = None
            if failure is not None:
                self._end(job_id, JobStatus.FAILED, f"the solver process could not start: {failure}")

    def _may_start(self) -> bool:
        return not self._stopping and bool(self._waiting) and len(self._processes) < self.max_solves

    def _start(self, job_id: int) -> None:
        """Start a job's process and its watcher (the caller holds the lock)."""
        process = self._context.Process(
            target=process_main, args=(self._url, job_id, os.getpid(), self._work, self._death_signal),
            name=f"rota-solve-{job_id}", daemon=True,
        )
        process.start()
        if process.pid is not None:
            lower_priority(process.pid)
        done = threading.Event()
        self._processes[job_id] = process
        self._done[job_id] = done
        watcher = threading.Thread(
            target=self._watch, args=(job_id, process, done), name=f"rota-watch-{job_id}", daemon=True
        )
        watcher.start()

    def _watch(self, job_id: int, process: BaseProcess, done: threading.Event) -> None:
        process.join()
        with self._changed:
            self._processes.pop(job_id, None)
            self._done.pop(job_id, None)
            self._changed.notify_all()  # a slot is free
        try:
            if process.exitcode != 0:
                status = JobStatus.INTERRUPTED if self._stopping else JobStatus.FAILED
                self._end(job_id, status, f"the solver process ended with exit code {process.exitcode}")
        finally:
            done.set()

    def _end(self, job_id: int, status: JobStatus, error: str | None) -> None:
        try:
            with self._sessions.begin() as db:
                transition(db, job_id, UNFINISHED, status=status.value, finished_at=utcnow(), error=error)
        except Exception:  # the database may be gone at shutdown; the next start marks the job interrupted
            return

    def cancel(self, job_id: int) -> None:
        with self._changed:
            if job_id in self._waiting:
                self._waiting.remove(job_id)
                return
            process, done = self._processes.get(job_id), self._done.get(job_id)
        if process is None or done is None:
            return
        process.terminate()
        if not done.wait(5):
            process.kill()
            done.wait(5)

    def running(self) -> list[int]:
        """Jobs whose process has not ended (been reaped by its watcher) yet."""
        with self._changed:
            return list(self._processes)

    def waiting(self) -> list[int]:
        """Jobs waiting for a slot, the next to start first."""
        with self._changed:
            return list(self._waiting)

    def shutdown(self) -> None:
        """Stop every solve (server shutdown): running and waiting jobs become interrupted."""
        with self._changed:
            self._stopping = True
            waiting = list(self._waiting)
            self._waiting.clear()
            self._changed.notify_all()
        for job_id in [*waiting, *self.running()]:
            self._end(job_id, JobStatus.INTERRUPTED, None)
        for job_id in self.running():
            self.cancel(job_id)
        launcher = self._launcher
        if launcher is not None:
            launcher.join(5)

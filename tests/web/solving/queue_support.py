"""Queue mode in tests: the app's settings for it, and real worker processes (`rota worker`, or one that runs a
stand-in solve) on a PostgreSQL database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from tests.web.solving import solve_stand_ins
from web.db import make_engine, make_sessions
from web.settings import Settings
from web.tables import SolveJob

ROOT = Path(__file__).resolve().parents[3]
QUICK = {"ROTA_WORKER_HEARTBEAT": "0.5", "ROTA_WORKER_STALLED_AFTER": "2", "ROTA_WORKER_SHUTDOWN_GRACE": "0"}
"""Worker timings for tests: a killed worker is noticed within seconds, a stopping one gives its jobs back at once."""
STAND_IN_WORKER = """
import sys
from tests.web.solving.solve_stand_ins import slow_job
from web.settings import Settings
from web.solving.queue_worker import run_worker
run_worker(Settings(), int(sys.argv[1]), work=slow_job)
"""
"""A worker whose solver processes run the slow stand-in (running for ROTA_TEST_SLOW_SECONDS, then finished)."""
ROTA_WORKER = "from web.commands import app; app()"
"""The `rota` command, run as `rota worker`."""


def queue_settings(settings: Settings, database_url: str) -> Settings:
    return settings.model_copy(update={"database_url": database_url, "queue": "procrastinate"})


def worker_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ, "PYTHONPATH": str(ROOT), "ROTA_QUEUE": "procrastinate", "DATABASE_URL": database_url,
        "ROTA_DATA_DIR": str(data_dir), **QUICK, **extra,
    }


def start_worker(
    database_url: str, data_dir: Path, *, concurrency: int = 1, slow: float | None = None, **extra: str
) -> subprocess.Popen[bytes]:
    """A worker process: the real `rota worker`, or (with `slow`) one whose solves are the slow stand-in."""
    env = worker_env(database_url, data_dir, **extra)
    if slow is None:
        command = [sys.executable, "-c", ROTA_WORKER, "worker", "--concurrency", str(concurrency)]
    else:
        env[solve_stand_ins.SLOW] = str(slow)
        command = [sys.executable, "-c", STAND_IN_WORKER, str(concurrency)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


class Workers:
    """The worker processes a test starts on its database, each in a data folder of its own; `stop_all` at the end
    stops those still running (SIGTERM, as systemd would)."""

    def __init__(self, database_url: str, root: Path) -> None:
        self.database_url, self.root = database_url, root
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *, concurrency: int = 1, slow: float | None = None, **extra: str
              ) -> subprocess.Popen[bytes]:
        worker = start_worker(self.database_url, self.root / name, concurrency=concurrency, slow=slow, **extra)
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            stop(worker)


def process_gone(pid: int) -> bool:
    """Whether the process has ended (a zombie nobody reaped yet counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def until(condition: Callable[[], bool], seconds: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.1)


class Rows:
    """Reads job rows of a database from outside the app (as the page does)."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url)
        self.sessions = make_sessions(self.engine)

    def job(self, job_id: int) -> SolveJob:
        with self.sessions() as db:
            job = db.get(SolveJob, job_id)
            assert job is not None
            return job

    def status(self, job_id: int) -> str:
        return self.job(job_id).status

    def workers(self) -> int:
        """Workers registered in the queue now (each sends heartbeats)."""
        with self.sessions() as db:
            return int(db.scalar(text("SELECT count(*) FROM procrastinate_workers")) or 0)

    def close(self) -> None:
        self.engine.dispose()

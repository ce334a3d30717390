"""Queue load benchmark (issue 27): 20 communities solve a week at once on the queue; the pages stay quick.

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.queue_load --out benchmarks/results/queue_load.md
    ... -m benchmarks.queue_load --requests 30 --repeats 1 --time-limit 3          # a quick look

A fresh database on the PostgreSQL server of ROTA_TEST_POSTGRES_URL (or --database-url) is migrated by the app
itself (create_app in queue mode, which also creates the queue's tables) and gets 20 communities, each the seed
(examples/checkpoint.yaml) under its own name. The real app (`python -m web`, ROTA_QUEUE=procrastinate) and two
real `rota worker --concurrency 1` processes run beside this one. A coordinator (the admin, who sees every
community) logs in twice: one login session times the pages, the other starts the solves through the pages
(choose the community, press Generate), as coordinators would.

Per repeat: idle, the timing session sends N rounds of the pages (one GET each per round, after 10 warm-up
rounds); then the same week is started in all 20 communities (one press after the other, in a thread) and the
pages are timed from the first press until the workers have drained them (N rounds at least). A thread reads the
job rows every 0.2 s: the most solves running at once (target: at most workers × concurrency), the solver
processes' niceness; afterwards every job must have finished with a rota the independent checker accepts.
Target: every page's busy p95 ≤ 2× its idle p95. Two figures say where the time goes: the busy requests sent
during a solver process's start-up apart from the others, and the app process's CPU time and run-queue wait per
request (Linux schedstat). `--worker-sessions own` starts each worker in a session of its own, as a service of its
own runs: Linux shares the CPU between sessions (autogroups) before niceness counts within one.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from benchmarks import appserver
from benchmarks.queue_load_report import ENDED, Repeat, Setup, Span, render
from benchmarks.web_latency import Client
from scheduler import Rota, Scenario, check, load_scenario
from web.app import create_app
from web.settings import Settings
from web.state import AppContext
from web.store import first_community, import_scenario

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "checkpoint.yaml"
SERVER_ENV = "ROTA_TEST_POSTGRES_URL"
ROTA_WORKER = "from web.commands import app; app()"
"""The `rota` command, run as `rota worker`."""
SAMPLE_EVERY = 0.2
WARM_UP = 10

app = typer.Typer(add_completion=False)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new database on the server; dropped afterwards, even with connections left."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"rota_bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _settings(url: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir, database_url=url, queue="procrastinate", admin_user="coord",
        admin_password=appserver.PASSWORD, secret_key=appserver.SECRET, example_path=SEED,
    )


def prepare(url: str, data_dir: Path, communities: int) -> list[int]:
    """Migrate with the app itself (the seed becomes the first community), then import the seed again under
    other names; the communities' ids."""
    context = create_app(_settings(url, data_dir), out=io.StringIO()).state.rota
    assert isinstance(context, AppContext)
    seed = load_scenario(SEED)
    try:
        with context.sessions.begin() as db:
            first = first_community(db)
            assert first is not None, "the seed was not loaded"
            ids = [first.id]
            for number in range(2, communities + 1):
                named = seed.model_copy(update={"community": f"{seed.community} {number}"})
                ids.append(import_scenario(db, named).id)
    finally:
        context.runner.shutdown()
        context.engine.dispose()
    return ids


def _environment(
    url: str, data_dir: Path, time_limit: float, niceness: int | None, solve_workers: int | None
) -> dict[str, str]:
    """The settings of the app and the workers (environment variables)."""
    settings = {
        "DATABASE_URL": url, "ROTA_QUEUE": "procrastinate", "ROTA_ADMIN_USER": "coord",
        "ROTA_ADMIN_PASSWORD": appserver.PASSWORD, "ROTA_SECRET_KEY": appserver.SECRET,
        "ROTA_SOLVE_TIME_LIMIT": str(time_limit), "ROTA_DATA_DIR": str(data_dir),
        "ROTA_WORKER_SHUTDOWN_GRACE": "0",  # at the end nothing runs; after a failure, stop at once
    }
    if niceness is not None:
        settings["ROTA_SOLVER_NICENESS"] = str(niceness)
    if solve_workers is not None:
        settings["ROTA_SOLVE_WORKERS"] = str(solve_workers)
    return settings


@contextmanager
def workers(
    settings: dict[str, str], data_dir: Path, count: int, concurrency: int, own_session: bool
) -> Iterator[None]:
    """`count` real `rota worker` processes, logging to files in the data folder; stopped afterwards. With
    `own_session` each runs in a session of its own, as a service of its own would (Linux's scheduler shares the
    CPU fairly between sessions, autogroups, before niceness counts within one), else in this one, the app's."""
    skipped = {"DATABASE_URL", "ROTA_DATABASE_URL", "ROTA_SOLVER_NICENESS", "ROTA_SOLVE_WORKERS"}
    env = {k: v for k, v in os.environ.items() if k not in skipped} | settings | {"PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", ROTA_WORKER, "worker", "--concurrency", str(concurrency)]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for number in range(count):
            with (data_dir / f"worker-{number + 1}.log").open("wb") as log:
                processes.append(subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=own_session
                ))
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"not within {seconds:g} s: {what}")
        time.sleep(0.2)


def _count(engine: Engine, query: str, **parameters: object) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(query), parameters).scalar() or 0)


# ------------------------------------------------------------------------------------------------ the pages


def choose(client: Client, token: str, community_id: int) -> None:
    status, _, body = client.request("POST", f"/communities/{community_id}/choose", {"csrf_token": token})
    assert status == 303, (community_id, status, body[:300])


def generate(client: Client, week: dt.date) -> int:
    """Open the Generate page of the chosen community and press Generate for the week; the new job's id. (Its
    form's token names the community it was drawn for: a form drawn before choosing another one is refused.)"""
    form = {"csrf_token": client.csrf("/generate"), "start": week.isoformat(), "days": "7"}
    status, location, body = client.request("POST", "/generate", form)
    assert status == 303 and location.startswith("/jobs/"), (status, location, body[:300])
    return int(location.rsplit("/", 1)[1])


def rounds(
    client: Client, pages: dict[str, str], count: int, *, warm_up: int = 0, busy: threading.Event | None = None,
    deadline: float = float("inf"),
) -> tuple[dict[str, list[float]], dict[str, list[float]], int]:
    """Rounds of one GET per page, each timed from sending to the last byte: `count` of them, and more for as long
    as `busy` is set (until the monotonic `deadline`). Per page the milliseconds and when each was sent (Unix
    time); how many requests were sent while `busy` was set."""
    for _ in range(warm_up):
        for path in pages.values():
            client.request("GET", path)
    samples: dict[str, list[float]] = {name: [] for name in pages}
    sent: dict[str, list[float]] = {name: [] for name in pages}
    overlapping = done = 0
    while done < count or (busy is not None and busy.is_set() and time.monotonic() < deadline):
        for name, path in pages.items():
            overlapping += busy is not None and busy.is_set()
            sent[name].append(time.time())
            started = time.perf_counter()
            status, _, _ = client.request("GET", path)
            samples[name].append((time.perf_counter() - started) * 1000)
            assert status == 200, (path, status)
        done += 1
    return samples, sent, overlapping


def server_pid() -> int | None:
    """The app's process (`python -m web`, a child of this one)."""
    for entry in Path("/proc").iterdir():
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == os.getpid() and b"-m\x00web\x00" in (entry / "cmdline").read_bytes():
                return int(entry.name)
        except (OSError, ValueError, IndexError):
            continue
    return None


def schedstat(pid: int | None) -> dict[int, tuple[int, int]]:
    """Per thread of the process: nanoseconds on a CPU and waiting for one (Linux's /proc/PID/task/TID/schedstat)."""
    threads: dict[int, tuple[int, int]] = {}
    for task in Path(f"/proc/{pid}/task").glob("*") if pid else []:
        try:
            ran, waited, _ = (task / "schedstat").read_text().split()
        except (OSError, ValueError):
            continue
        threads[int(task.name)] = (int(ran), int(waited))
    return threads


def cpu_per_request(before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]], requests: int) -> tuple[
    float, float
]:
    """The server's milliseconds on a CPU and waiting for one, per request, between two readings."""
    ran = sum(r - before.get(tid, (0, 0))[0] for tid, (r, _) in after.items())
    waited = sum(w - before.get(tid, (0, 0))[1] for tid, (_, w) in after.items())
    return ran / 1e6 / requests, waited / 1e6 / requests


# ------------------------------------------------------------------------------------------------ the solves


def _niceness(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[16])


class Sampler(threading.Thread):
    """Reads the rows of the jobs after `after` every 0.2 s until `expected` of them have ended."""

    def __init__(self, engine: Engine, after: int, expected: int) -> None:
        super().__init__(name="job-sampler", daemon=True)
        self.engine, self.after, self.expected = engine, after, expected
        self.solving = threading.Event()
        self.solving.set()
        self.most_running = 0
        self.niceness: set[int] = set()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while True:
                with self.engine.connect() as connection:
                    rows = connection.execute(
                        text("SELECT status, pid FROM solve_job WHERE id > :after"), {"after": self.after}
                    ).all()
                running = [pid for status, pid in rows if status == "running"]
                self.most_running = max(self.most_running, len(running))
                self.niceness |= {n for n in map(_niceness, filter(None, running)) if n is not None}
                if len(rows) >= self.expected and all(status in ENDED for status, _ in rows):
                    break
                time.sleep(SAMPLE_EVERY)
        except BaseException as error:  # reported by the caller
            self.error = error
        finally:
            self.solving.clear()


def spans(engine: Engine, job_ids: list[int]) -> list[Span]:
    """The jobs as their rows tell it, each rota checked by the independent checker."""
    query = text("SELECT id, created_at, started_at, finished_at, status, scenario, rota, result_status "
                 "FROM solve_job WHERE id = ANY(:ids) ORDER BY id")
    with engine.connect() as connection:
        rows = connection.execute(query, {"ids": job_ids}).all()
    result = []
    for job_id, created, started, finished, status, scenario, rota, solver_status in rows:
        checked = rota is not None and check(Scenario.model_validate(scenario), Rota.model_validate(rota)).ok
        result.append(Span(job_id, created, started, finished, status, checked, solver_status))
    return result


class Submitter(threading.Thread):
    """A coordinator starting the week's solve in every community, one after the other, as fast as the pages go."""

    def __init__(self, client: Client, token: str, communities: list[int], week: dt.date) -> None:
        super().__init__(name="submitter", daemon=True)
        self.client, self.token, self.communities, self.week = client, token, communities, week
        self.job_ids: list[int] = []
        self.seconds = 0.0
        self.error: BaseException | None = None

    def run(self) -> None:
        began = time.monotonic()
        try:
            for community_id in self.communities:
                choose(self.client, self.token, community_id)
                self.job_ids.append(generate(self.client, self.week))
        except BaseException as error:  # reported by the caller
            self.error = error
        self.seconds = time.monotonic() - began


def busy_repeat(
    timing: Client, starter: tuple[Client, str], engine: Engine, communities: list[int], pages: dict[str, str],
    week: dt.date, requests: int, time_limit: float,
) -> Repeat:
    """Idle rounds; then the week started in every community and the pages timed from the first press until the
    workers have drained every solve (at least as many rounds as idle)."""
    pid = server_pid()
    for _ in range(WARM_UP):  # warm-up rounds, then idle rounds measured with the server's CPU time
        for path in pages.values():
            timing.request("GET", path)
    before = schedstat(pid)
    idle, _, _ = rounds(timing, pages, requests)
    idle_cpu = cpu_per_request(before, schedstat(pid), requests * len(pages))
    after = _count(engine, "SELECT coalesce(max(id), 0) FROM solve_job")
    sampler = Sampler(engine, after, len(communities))
    submitter = Submitter(*starter, communities, week)
    limit = 120 + 10 * time_limit * len(communities)
    sampler.start()
    submitter.start()
    deadline = time.monotonic() + limit
    before = schedstat(pid)
    busy, busy_sent, overlapping = rounds(timing, pages, requests, busy=sampler.solving, deadline=deadline)
    submitter.join(60)
    sampler.join(limit)
    if submitter.error is not None or submitter.is_alive():
        raise RuntimeError(f"starting the solves failed: {submitter.error!r}")
    if sampler.is_alive() or sampler.error is not None:
        raise RuntimeError(f"the solves did not drain: {sampler.error!r}")
    sent = sum(len(samples) for samples in busy.values())
    busy_cpu = cpu_per_request(before, schedstat(pid), sent)
    return Repeat(week, idle, busy, spans(engine, submitter.job_ids), submitter.seconds, sampler.most_running,
                  overlapping / sent, sampler.niceness, busy_sent, {"idle": idle_cpu, "busy": busy_cpu})


def run(
    server_url: str, folder: Path, *, communities: int, worker_count: int, concurrency: int, requests: int,
    repeats: int, time_limit: float, niceness: int | None, solve_workers: int | None, own_session: bool,
    logs: Path | None,
) -> tuple[dict[str, str], list[Repeat]]:
    with ExitStack() as stack:
        url = stack.enter_context(fresh_database(server_url))
        data_dir = folder / "data"
        if logs is not None:  # once the processes have stopped
            stack.callback(lambda: [shutil.copy(log, logs) for log in data_dir.glob("*.log")])
            logs.mkdir(parents=True, exist_ok=True)
        ids = prepare(url, data_dir, communities)
        stack.push(_show_logs(data_dir))
        engine = create_engine(url)
        stack.callback(engine.dispose)
        settings = _environment(url, data_dir, time_limit, niceness, solve_workers)
        drop = ("ROTA_SOLVER_NICENESS", "ROTA_SOLVE_WORKERS")
        port = stack.enter_context(appserver.serving(data_dir, settings, drop=drop))
        stack.enter_context(workers(settings, data_dir, worker_count, concurrency, own_session))
        _until(lambda: _count(engine, "SELECT count(*) FROM procrastinate_workers") >= worker_count, 120,
               f"{worker_count} workers registered (logs in {data_dir})")
        timing, starter = Client(port), Client(port)
        for client in (timing, starter):
            client.log_in()
        token = starter.csrf("/generate")
        choose(timing, timing.csrf("/generate"), ids[0])
        # one finished solve of the first community: the job page and the progress API show it
        first_week = load_scenario(SEED).start
        choose(starter, token, ids[0])
        job_id = generate(starter, first_week)
        _until(lambda: _count(engine, "SELECT count(*) FROM solve_job WHERE id = :id AND status = ANY(:ended)",
                              id=job_id, ended=list(ENDED)) == 1, 120 + 10 * time_limit, "the first solve")
        pages = {"now": "/now", "people": "/people", "job": f"/jobs/{job_id}", "progress": f"/api/jobs/{job_id}"}
        results = []
        for number in range(repeats):
            week = first_week + dt.timedelta(days=7 * (number + 1))
            results.append(busy_repeat(timing, (starter, token), engine, ids, pages, week, requests, time_limit))
            print(f"repeat {number + 1}/{repeats} done", file=sys.stderr, flush=True)
        return pages, results
    raise AssertionError("unreachable")  # ExitStack does not swallow exceptions


def _show_logs(data_dir: Path) -> Callable[..., bool]:
    """On failure, the ends of the app's and the workers' logs (they go with the temporary folder)."""

    def show(kind: type[BaseException] | None, *_: object) -> bool:
        if kind is not None and not issubclass(kind, (KeyboardInterrupt, SystemExit)):
            for log in sorted(data_dir.glob("*.log")):
                tail = log.read_text(errors="replace").splitlines()[-30:]
                print(f"--- {log.name} (last lines)", *tail, sep="\n", file=sys.stderr)
        return False

    return show


def _load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


@app.command()
def main(
    requests: Annotated[int, typer.Option(min=20, help="Rounds of the pages per condition.")] = 200,
    repeats: Annotated[int, typer.Option(min=1, help="Each a fresh set of solves (the next week).")] = 3,
    time_limit: Annotated[float, typer.Option(min=1, help="ROTA_SOLVE_TIME_LIMIT of the solves (s).")] = 10,
    communities: Annotated[int, typer.Option(min=1, max=100)] = 20,
    worker_count: Annotated[int, typer.Option("--workers", min=1, max=8, help="`rota worker` processes.")] = 2,
    concurrency: Annotated[int, typer.Option(min=1, max=8, help="Solves per worker at once.")] = 1,
    solver_niceness: Annotated[
        int | None, typer.Option(min=0, max=19, help="ROTA_SOLVER_NICENESS (default: the app's own).")
    ] = None,
    solve_workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="ROTA_SOLVE_WORKERS: threads per solve (default: automatic).")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help=f"A PostgreSQL server to create the database on (default: ${SERVER_ENV}).")
    ] = None,
    worker_sessions: Annotated[
        str, typer.Option(help="'app': the workers in the app's session (one autogroup); 'own': each in its own.")
    ] = "app",
    out: Annotated[Path | None, typer.Option(help="Also write the summary as Markdown here.")] = None,
    logs: Annotated[Path | None, typer.Option(help="Keep the app's and the workers' logs in this folder.")] = None,
) -> None:
    if worker_sessions not in ("app", "own"):
        raise typer.BadParameter("'app' or 'own'", param_hint="--worker-sessions")
    server_url = database_url or os.environ.get(SERVER_ENV)
    if not server_url:
        typer.echo(f"queue_load needs a PostgreSQL server: set {SERVER_ENV}=postgresql+psycopg://... or pass "
                   "--database-url, or run it under scripts/with-postgres.sh", err=True)
        raise typer.Exit(2)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a terminated run still stops its processes
    load_before = _load_average()
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="rota-queue-load-") as folder:
        pages, results = run(
            server_url, Path(folder), communities=communities, worker_count=worker_count, concurrency=concurrency,
            requests=requests, repeats=repeats, time_limit=time_limit, niceness=solver_niceness,
            solve_workers=solve_workers, own_session=worker_sessions == "own", logs=logs,
        )
    from web.solving.service import SOLVER_NICENESS

    setup = Setup(
        command=" ".join(["python -m benchmarks.queue_load", *sys.argv[1:]]),
        date=started.strftime("%Y-%m-%d %H:%M UTC"),
        machine=f"{os.cpu_count()} cores (shared), {platform.machine()}, Python {platform.python_version()}",
        communities=communities, workers=worker_count, concurrency=concurrency, requests=requests,
        time_limit=time_limit, niceness=str(SOLVER_NICENESS if solver_niceness is None else solver_niceness),
        solve_workers="automatic" if solve_workers is None else str(solve_workers),
        worker_sessions="each worker its own" if worker_sessions == "own" else "the app's",
        pages=pages, load_before=load_before, load_after=_load_average(),
    )
    summary = render(setup, results)
    print(summary)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(summary, encoding="utf-8")


if __name__ == "__main__":
    app()

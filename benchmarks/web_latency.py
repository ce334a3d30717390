"""Web latency benchmark: the rota pages and the people page of the 120-person example, idle and while a solve runs.

    python -m benchmarks.web_latency                                        # 200 requests per page, 3 repeats
    python -m benchmarks.web_latency --out benchmarks/results/web_latency.md

A fresh data folder gets the grid example (examples/grid.yaml, 120 people, imported by `web.store`) and one solved
week: the real worker (`web.solving.service.run_job`) stores it as a finished job, and, when the rota pages exist
(`web.rota.drafts.draft_from_job`), as that week's draft. Then the real app runs in its own process (`python -m web`,
uvicorn) and one client on a kept-alive HTTP connection logs in and times N sequential requests per page:

- idle: nothing else runs;
- busy: a solve of the next 28 days runs in the app's process runner all along (long time limit, the engine's
  worker choice; a new one starts if one ends), started through the Generate form like a coordinator would, and
  cancelled afterwards.

Per repeat and page: p50, p95 and max; the summary is the median over repeats and the busy/idle ratio of p95.
Pages: the week's rota page `/rota/{week}` (the grid per post, checks, publishing), its per-person and fairness
page `/rota/{week}/people`, and the people list `/people`. A profile of the rota page's parts, measured in this
process, says where its time goes. Targets (issue 5): rota page p95 <= 150 ms; busy p95 <= 2x idle p95.
"""

from __future__ import annotations

import datetime as dt
import http.client
import io
import json
import os
import platform
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from benchmarks import appserver
from scheduler import Rota, Scenario, check, load_scenario
from web.app import create_app
from web.i18n import Translator
from web.rota import pages as rota_pages
from web.rota.views import week_grids, with_adjust_links
from web.settings import Settings
from web.solving.service import SOLVER_NICENESS, run_job
from web.state import AppContext
from web.store import build_scenario, first_community
from web.tables import Community, JobStatus, RotaDraft, SolveJob

ROOT = Path(__file__).resolve().parents[1]
GRID = ROOT / "examples" / "grid.yaml"
PASSWORD, SECRET = appserver.PASSWORD, appserver.SECRET
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TARGET_P95_MS = 150.0
TARGET_RATIO = 2.0

app = typer.Typer(add_completion=False)



@dataclass
class Prepared:
    """The data folder with the grid community and its solved week, and the pages to time."""

    data_dir: Path
    week_start: dt.date
    job_id: int
    rota_path: str
    draft: bool


def _settings(data_dir: Path, solve_seconds: float, workers: int | None = None) -> Settings:
    return Settings(
        data_dir=data_dir, admin_user="coord", admin_password=PASSWORD, example_path=GRID, secret_key=SECRET,
        solve_time_limit=solve_seconds, solve_workers=workers,
    )


def _context(data_dir: Path, solve_seconds: float = 30) -> AppContext:
    context = create_app(_settings(data_dir, solve_seconds), appserver.NoRunner(), out=io.StringIO()).state.rota
    assert isinstance(context, AppContext)
    return context


def _community(db: Session) -> Community:
    community = first_community(db)
    assert community is not None, "the example was not loaded"
    return community


def _store_draft(context: AppContext, job_id: int) -> bool:
    """The solved week as the week's draft, when the rota pages exist (web.rota.drafts); False otherwise."""
    try:
        from web.rota import drafts
    except ImportError:
        return False
    with context.sessions.begin() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        drafts.draft_from_job(db, _community(db), job, "benchmark")
    return True


def _rota_page_exists() -> bool:
    """The week's rota page (web/rota/pages.py) once it is built; the finished job's page until then."""
    return "/rota/{week_start}" in {getattr(route, "path", "") for route in rota_pages.router.routes}


def prepare(data_dir: Path, solve_seconds: float) -> Prepared:
    """Import the grid example and solve its week with the real worker (a finished job, and the draft)."""
    context = _context(data_dir, solve_seconds)
    week_start = load_scenario(GRID).start
    with context.sessions.begin() as db:
        scenario = build_scenario(db, _community(db), week_start, 7)
        job = SolveJob(
            community_id=_community(db).id, week_start=week_start, days=7, status=JobStatus.QUEUED.value,
            scenario=scenario.model_dump(mode="json", by_alias=True), time_limit=solve_seconds, created_by="coord",
        )
        db.add(job)
        db.flush()
        job_id = job.id
    run_job(context.sessions, job_id)
    with context.sessions() as db:
        done = db.get(SolveJob, job_id)
        assert done is not None and done.rota is not None, f"the week was not solved: {done and done.error}"
        assert check(Scenario.model_validate(done.scenario), Rota.model_validate(done.rota)).violations == []
    draft = _rota_page_exists() and _store_draft(context, job_id)
    context.engine.dispose()
    rota_path = f"/rota/{week_start.isoformat()}" if draft else f"/jobs/{job_id}"
    return Prepared(data_dir, week_start, job_id, rota_path, draft)


def _pages(prepared: Prepared) -> dict[str, str]:
    """The pages timed: the week's rota page (its grid), its per-person and fairness page, the people list."""
    if not prepared.draft:
        return {"rota": prepared.rota_path, "people": "/people"}
    return {"rota": prepared.rota_path, "rota people": f"{prepared.rota_path}/people", "people": "/people"}


# ------------------------------------------------------------------------------------------- server and client


def serving(
    prepared: Prepared, busy_seconds: float, workers: int | None, niceness: int | None = None
) -> AbstractContextManager[int]:
    """`python -m web` on a free port (uvicorn, the process job runner); stopped afterwards. `niceness` overrides
    how much lower the solver process's priority is (web.solving.service.SOLVER_NICENESS; 0: the server's own)."""
    settings = {
        "ROTA_ADMIN_USER": "coord", "ROTA_ADMIN_PASSWORD": PASSWORD, "ROTA_SECRET_KEY": SECRET,
        "ROTA_SOLVE_TIME_LIMIT": str(busy_seconds), "ROTA_EXAMPLE_PATH": str(GRID),
    }
    if workers is not None:
        settings["ROTA_SOLVE_WORKERS"] = str(workers)
    if niceness is not None:
        settings["ROTA_SOLVER_NICENESS"] = str(niceness)
    return appserver.serving(prepared.data_dir, settings, drop=("ROTA_SOLVER_NICENESS",))


@dataclass
class Client:
    """One coordinator's browser, reduced to a kept-alive connection and its cookies."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Status, Location header and body of one request (the connection is reopened if the server closed it:
        uvicorn closes a connection idle for 5 s; the warm-up requests absorb that before any timing)."""
        try:
            return self._request(method, path, form)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            return self._request(method, path, form)

    def _request(self, method: str, path: str, form: dict[str, str] | None) -> tuple[int, str, str]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Language": "zh-CN"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, response.getheader("Location", ""), text

    def csrf(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        match = CSRF_RE.search(text)
        assert status == 200 and match, f"no form on {path} ({status})"
        return match.group(1)

    def log_in(self) -> None:
        token = self.csrf("/login")
        status, location, _ = self.request("POST", "/login", {"csrf_token": token, "username": "coord",
                                                              "password": PASSWORD, "next": "/people"})
        assert status == 303 and location == "/people", (status, location)


# ------------------------------------------------------------------------------------------------ measuring


@dataclass
class Timing:
    """Milliseconds of N requests of one page in one condition."""

    page: str
    condition: str
    ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.ms, n=20, method="inclusive")[18]

    @property
    def max(self) -> float:
        return max(self.ms)


def time_page(client: Client, path: str, requests: int, warm_up: int = 10) -> list[float]:
    """Sequential GETs, each timed from sending to the last byte read; every answer must be the full page."""
    for _ in range(warm_up):
        client.request("GET", path)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _, text = client.request("GET", path)
        samples.append((time.perf_counter() - started) * 1000)
        assert status == 200 and "</html>" in text, (path, status)
    return samples


def _job_status(client: Client, job_id: int) -> dict[str, object]:
    status, _, text = client.request("GET", f"/api/jobs/{job_id}")
    assert status == 200, text
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def _start_solve(client: Client, week_start: dt.date, days: int) -> int:
    """Press Generate for a week (as a coordinator would); the job's id."""
    form = {"csrf_token": client.csrf("/generate"), "start": week_start.isoformat(), "days": str(days)}
    status, location, text = client.request("POST", "/generate", form)
    assert status == 303, text[:500]
    return int(location.rsplit("/", 1)[1])


class SolveKeeper(threading.Thread):
    """Keeps a solve running in the app for as long as the busy measurement lasts, on a connection of its own.

    A solve of 28 days of the grid; should one end (proven optimal) a new one is started at once. It polls the
    progress API once a second, like the job page's script does every two seconds.
    """

    def __init__(self, port: int, week_start: dt.date, days: int = 28) -> None:
        super().__init__(name="solve-keeper", daemon=True)
        self.client = Client(port)
        self.client.log_in()
        self.week_start, self.days = week_start, days
        self.running = threading.Event()
        self.stop = threading.Event()
        self.started_jobs: list[int] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                job_id = _start_solve(self.client, self.week_start, self.days)
                self.started_jobs.append(job_id)
                while not self.stop.wait(1.0):
                    status = _job_status(self.client, job_id)["status"]
                    if status == "running":
                        self.running.set()
                    elif status != "queued":
                        break  # ended: start another
            self.client.request("POST", f"/jobs/{self.started_jobs[-1]}/cancel",
                                {"csrf_token": self.client.csrf("/generate")})
        except BaseException as error:  # reported by `solving`
            self.error = error
            self.running.set()


@contextmanager
def solving(port: int, week_start: dt.date, settle: float = 2.0) -> Iterator[SolveKeeper]:
    """A solve runs in the app's process runner during the block (started through the Generate form)."""
    keeper = SolveKeeper(port, week_start + dt.timedelta(days=7))
    keeper.start()
    assert keeper.running.wait(120), "the solve did not start"
    time.sleep(settle)  # past the model build, into the search
    try:
        yield keeper
    finally:
        keeper.stop.set()
        keeper.join(60)
    if keeper.error is not None:
        raise RuntimeError("the solve keeper failed") from keeper.error


def measure_repeat(client: Client, pages: dict[str, str], prepared: Prepared, requests: int) -> list[Timing]:
    timings = [Timing(name, "idle", time_page(client, path, requests)) for name, path in pages.items()]
    with solving(client.port, prepared.week_start):
        timings += [Timing(name, "busy", time_page(client, path, requests)) for name, path in pages.items()]
    return timings


# --------------------------------------------------------------------------------------------- rota page profile


def _median_ms(work: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _draft_parts(prepared: Prepared, runs: int) -> list[tuple[str, float]]:
    """The rota page's parts before rendering: reading the draft, its kept verdict, the grid's view model."""
    from web.rota import drafts

    context = _context(prepared.data_dir)
    t = Translator("zh")
    with context.sessions() as db:
        community = _community(db)

        def read_row() -> RotaDraft:
            db.expire_all()
            row = drafts.draft_row(db, community, prepared.week_start)
            assert row is not None
            return row

        row = read_row()
        draft = drafts.load_draft(row)
        assert drafts.kept_result(row) is not None, "the draft has no kept verdict"

        def grids() -> None:
            dates, grids = week_grids(draft.scenario, draft.rota, t)
            with_adjust_links(dates, grids, prepared.week_start)

        parts = [
            ("first view of a draft state: read the draft row (JSON columns included)", _median_ms(read_row, runs)),
            ("first view of a draft state: validate scenario and rota, reuse the kept verdict (fingerprint)",
             _median_ms(lambda: drafts.load_draft(row), runs)),
            ("first view of a draft state: grid view model (week_grids + with_adjust_links)",
             _median_ms(grids, runs)),
            ("no longer per view (only when the draft changes): validator check(scenario, rota)",
             _median_ms(lambda: check(draft.scenario, draft.rota), runs)),
            ("every view, from memory: viewed_draft (a recently viewed, unchanged draft)",
             _median_ms(lambda: drafts.viewed_draft(db, row), runs)),
        ]
    context.engine.dispose()
    return parts


def profile_rota_page(prepared: Prepared, runs: int = 30) -> list[tuple[str, float]]:
    """Where the rota page's time goes, measured in this process: each part alone, then the whole page, with the
    Jinja rendering (TemplateResponse) of each page timed apart."""
    from fastapi.testclient import TestClient

    from web import rendering

    parts = _draft_parts(prepared, runs) if prepared.draft else []
    app_ = create_app(_settings(prepared.data_dir, 30), appserver.NoRunner(), out=io.StringIO())
    render_ms: list[float] = []
    original = rendering.TEMPLATES.TemplateResponse

    def timed_render(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        response = original(*args, **kwargs)
        render_ms.append((time.perf_counter() - started) * 1000)
        return response

    with TestClient(app_) as test_client:
        token = CSRF_RE.search(test_client.get("/login").text)
        assert token
        test_client.post("/login", data={"csrf_token": token.group(1), "username": "coord", "password": PASSWORD})
        for path in _pages(prepared).values():
            size = len(test_client.get(path).content)
            render_ms.clear()
            rendering.TEMPLATES.TemplateResponse = timed_render  # type: ignore[method-assign]
            try:
                page_ms = _median_ms(lambda url=path: test_client.get(url), runs)  # type: ignore[misc]
            finally:
                rendering.TEMPLATES.TemplateResponse = original  # type: ignore[method-assign]
            parts.append((f"whole page in-process (TestClient) `{path}`, {size / 1000:.0f} kB", page_ms))
            parts.append(("… of which Jinja rendering", statistics.median(render_ms)))
        if prepared.draft:
            parts.append((f"whole page in-process `{prepared.rota_path}`, first view of a draft state (as after "
                          "an adjustment: nothing in memory)", _median_ms(lambda: _first_view(test_client, prepared),
                                                                         runs)))
    return parts


def _first_view(test_client: Any, prepared: Prepared) -> None:
    """The rota page with the server's memory of viewed drafts and their sections emptied first."""
    from web.rota import service as rotas

    rotas.forget_viewed()
    rota_pages.forget_sections()
    test_client.get(prepared.rota_path)


# ---------------------------------------------------------------------------------------------------- report


def _summary(repeats: list[list[Timing]], page: str, condition: str) -> tuple[float, float, float]:
    chosen = [t for timings in repeats for t in timings if t.page == page and t.condition == condition]
    return (statistics.median(t.p50 for t in chosen), statistics.median(t.p95 for t in chosen),
            statistics.median(t.max for t in chosen))


def _ratio(repeats: list[list[Timing]], page: str) -> float:
    ratios = []
    for timings in repeats:
        p95 = {t.condition: t.p95 for t in timings if t.page == page}
        ratios.append(p95["busy"] / p95["idle"])
    return statistics.median(ratios)


def report(
    repeats: list[list[Timing]], prepared: Prepared, pages: dict[str, str], requests: int, workers: int | None,
    profile: list[tuple[str, float]], niceness: int | None = None,
) -> str:
    command = "python -m benchmarks.web_latency " + " ".join(sys.argv[1:])
    lines = [
        "# Web latency benchmark",
        "",
        f"Command: `{command}`  ",
        f"Date: {dt.date.today().isoformat()}; machine: {os.cpu_count()} cores (shared with other work), "
        f"{platform.machine()}, Python {platform.python_version()}; SQLite; `python -m web` (uvicorn, one process).",
        "",
        f"Community: examples/grid.yaml (120 people, 8 posts); the solved week {prepared.week_start} is "
        + ("the week's draft (rota page `/rota/{week}`)." if prepared.draft else "a finished job (`/jobs/{id}`)."),
        f"Pages: {', '.join(f'{name} `{path}`' for name, path in pages.items())}. {requests} sequential requests per "
        f"page and condition on one kept-alive connection, after 10 warm-up requests; {len(repeats)} repeats. "
        f"Busy: a solve of the next 28 days runs in the process runner all along (workers: {workers or 'automatic'}; "
        f"solver process niceness: {SOLVER_NICENESS if niceness is None else niceness}).",
        f"Machine load (`uptime` before / after): {LOAD['before']} / {LOAD['after']}.",
        "",
        "Median over repeats (ms):",
        "",
        "| page | condition | p50 | p95 | max | busy/idle p95 | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for page in pages:
        ratio = _ratio(repeats, page)
        for condition in ("idle", "busy"):
            p50, p95, worst = _summary(repeats, page, condition)
            target = _target(page, condition, p95, ratio)
            shown = f"{ratio:.2f}" if condition == "busy" else ""
            lines.append(f"| {page} | {condition} | {p50:.1f} | {p95:.1f} | {worst:.1f} | {shown} | {target} |")
    lines += ["", "Every repeat (ms, p50 / p95 / max):", "", "| repeat | " + " | ".join(
        f"{t.page} {t.condition}" for t in repeats[0]) + " |", "|---|" + "---|" * len(repeats[0])]
    for number, timings in enumerate(repeats, 1):
        cells = " | ".join(f"{t.p50:.0f} / {t.p95:.0f} / {t.max:.0f}" for t in timings)
        lines.append(f"| {number} | {cells} |")
    lines += ["", "Where the rota page's time goes (in this process, median of 30, ms):", "",
              "| part | ms |", "|---|---|"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in profile]
    return "\n".join(lines) + "\n"


def _target(page: str, condition: str, p95: float, ratio: float) -> str:
    verdicts = []
    if page == "rota" and condition == "idle":
        verdicts.append(f"p95 ≤ {TARGET_P95_MS:g} ms: {'met' if p95 <= TARGET_P95_MS else 'MISSED'}")
    if condition == "busy":
        verdicts.append(f"≤ {TARGET_RATIO:g}× idle: {'met' if ratio <= TARGET_RATIO else 'MISSED'}")
        if page == "rota":
            verdicts.append(f"p95 ≤ {TARGET_P95_MS:g} ms: {'met' if p95 <= TARGET_P95_MS else 'MISSED'}")
    return "; ".join(verdicts)


LOAD = {"before": "?", "after": "?"}
"""The machine's load averages (1, 5, 15 minutes) when the run started and ended: other work skews timings."""


def _load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


@app.command()
def main(
    requests: Annotated[int, typer.Option(min=20, help="Requests per page and condition.")] = 200,
    repeats: Annotated[int, typer.Option(min=1)] = 3,
    workers: Annotated[int | None, typer.Option(min=1, help="Solver threads of the busy solve.")] = None,
    solve_seconds: Annotated[
        float, typer.Option(help="Time limit of the stored week's solve (it stops when proven optimal).")
    ] = 60,
    out: Annotated[Path | None, typer.Option(help="Also write the results as Markdown here.")] = None,
    solver_niceness: Annotated[
        int | None,
        typer.Option(min=0, max=19, help="Solver process niceness (default: web.solving.service.SOLVER_NICENESS)."),
    ] = None,
) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a terminated run still stops its server
    LOAD["before"] = _load_average()
    with tempfile.TemporaryDirectory(prefix="rota-web-latency-") as folder:
        prepared = prepare(Path(folder) / "data", solve_seconds)
        pages = _pages(prepared)
        results = []
        with serving(prepared, busy_seconds=3600, workers=workers, niceness=solver_niceness) as port:
            client = Client(port)
            client.log_in()
            for number in range(repeats):
                results.append(measure_repeat(client, pages, prepared, requests))
                print(f"repeat {number + 1}/{repeats} done", file=sys.stderr, flush=True)
        profile = profile_rota_page(prepared)
        LOAD["after"] = _load_average()
        text = report(results, prepared, pages, requests, workers, profile, solver_niceness)
    print(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    app()

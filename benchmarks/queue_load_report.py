"""The queue load benchmark's figures and summary (benchmarks.queue_load): pure, so tests render made-up runs."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field

TARGET_RATIO = 2.0
"""Issue 27: the pages' p95 while the solves drain stays within this many times the idle p95."""
ENDED = ("finished", "failed", "cancelled", "interrupted")


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18] if len(samples) > 1 else samples[0]


@dataclass
class Span:
    """One solve job as its row tells it: when it began and ended (UTC), how it ended, whether its rota checked."""

    job_id: int
    created: dt.datetime
    started: dt.datetime | None
    finished: dt.datetime | None
    status: str
    checked: bool
    result: str | None = None
    """The solver's status (optimal, feasible; infeasible or unknown: no rota)."""


def most_at_once(spans: list[Span]) -> int:
    """The most jobs whose [started, finished] intervals overlap at one instant (an end before a start at a tie)."""
    events = [(s.started, 1) for s in spans if s.started is not None]
    events += [(s.finished, -1) for s in spans if s.started is not None and s.finished is not None]
    running = most = 0
    for _, step in sorted(events, key=lambda event: (event[0], event[1])):
        running += step
        most = max(most, running)
    return most


@dataclass
class Repeat:
    """One repeat: per page the idle and busy milliseconds, and what the solves did meanwhile."""

    week: dt.date
    idle: dict[str, list[float]]
    busy: dict[str, list[float]]
    spans: list[Span]
    submit_seconds: float
    """From the first Generate press to the last one's answer."""
    sampled_most_running: int
    """The most rows saying `running` at one look (every 0.2 s)."""
    busy_overlap: float
    """The share of busy requests sent while some solve was still unfinished."""
    niceness: set[int] = field(default_factory=set)
    """The solver processes' niceness as seen in /proc while they ran."""
    busy_sent: dict[str, list[float]] = field(default_factory=dict)
    """Per page, when each busy request was sent (Unix time)."""
    server_cpu: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Idle and busy: the app's process's milliseconds on a CPU and waiting for one, per request (Linux schedstat;
    the busy ones include the submitting coordinator's requests)."""

    @property
    def drain_seconds(self) -> float:
        """From the first job's creation to the last one's end."""
        ends = [s.finished for s in self.spans if s.finished is not None]
        if not ends:
            return float("nan")
        return (max(ends) - min(s.created for s in self.spans)).total_seconds()

    @property
    def solve_seconds(self) -> list[float]:
        """Each job's time as running (its solver process's start-up before that is not in it)."""
        return [(s.finished - s.started).total_seconds() for s in self.spans if s.started and s.finished]

    def slot_use(self, bound: int) -> float:
        """The share of the workers' solve slots spent running a job, over the drain."""
        return sum(self.solve_seconds) / (self.drain_seconds * bound)

    @property
    def interval_most_running(self) -> int:
        return most_at_once(self.spans)

    @property
    def finished_ok(self) -> int:
        return sum(1 for s in self.spans if s.status == "finished" and s.checked)

    @property
    def outcomes(self) -> str:
        """How many ended how: `finished/optimal 18, finished/unknown 2` (the rota's check apart)."""
        counts = Counter(f"{s.status}/{s.result or 'none'}" + ("" if s.checked else " (no checked rota)")
                         for s in self.spans)
        return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


@dataclass
class Setup:
    """What the report says about how it was run."""

    command: str
    date: str
    machine: str
    communities: int
    workers: int
    concurrency: int
    requests: int
    time_limit: float
    niceness: str
    solve_workers: str
    worker_sessions: str
    pages: dict[str, str]
    load_before: str
    load_after: str


def _ms(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class PageRow:
    """One page's medians over repeats (ms)."""

    page: str
    idle_p50: float
    idle_p95: float
    idle_max: float
    busy_p50: float
    busy_p95: float
    busy_max: float

    @property
    def ratio(self) -> float:
        return self.busy_p95 / self.idle_p95


def page_rows(repeats: list[Repeat], pages: list[str]) -> list[PageRow]:
    """Per page: medians over repeats of idle p50/p95/max and busy p50/p95/max."""
    rows = []
    for page in pages:
        figures: list[float] = []
        for samples in ([r.idle[page] for r in repeats], [r.busy[page] for r in repeats]):
            figures += [statistics.median(statistics.median(s) for s in samples),
                        statistics.median(p95(s) for s in samples), statistics.median(max(s) for s in samples)]
        rows.append(PageRow(page, *figures))
    return rows


def most_running(repeats: list[Repeat]) -> int:
    """The most solves running at once in any repeat, by the sampled rows or by the rows' intervals."""
    return max(max(r.sampled_most_running, r.interval_most_running) for r in repeats)


def verdicts(repeats: list[Repeat], pages: list[str], bound: int) -> dict[str, bool]:
    """Whether each target was met: every page's busy p95 ≤ 2× idle; at most workers × concurrency solving at once;
    every solve finished with a rota the checker accepts."""
    return {
        "ratio": all(row.ratio <= TARGET_RATIO for row in page_rows(repeats, pages)),
        "bounded": most_running(repeats) <= bound,
        "all_finished": all(r.finished_ok == len(r.spans) for r in repeats),
    }


STARTUP = 3.0
"""Seconds before a job's row says running that count as its solver process's start-up (a new interpreter importing
the app and the engine, before it lowers its own priority)."""


def startup_split(repeats: list[Repeat], page: str) -> tuple[list[float], list[float]]:
    """The page's busy milliseconds sent during some solver's start-up, and the others (every repeat's)."""
    during: list[float] = []
    other: list[float] = []
    for r in repeats:
        starts = [s.started.timestamp() for s in r.spans if s.started is not None]
        for sent, ms in zip(r.busy_sent.get(page, []), r.busy[page], strict=False):
            (during if any(0 <= start - sent <= STARTUP for start in starts) else other).append(ms)
    return during, other


def render(setup: Setup, repeats: list[Repeat]) -> str:
    pages = list(setup.pages)
    bound = setup.workers * setup.concurrency
    most = most_running(repeats)
    ok = verdicts(repeats, pages, bound)
    lines = [
        "# Queue load benchmark", "",
        f"Command: `{setup.command}`  ",
        f"Date: {setup.date}; machine: {setup.machine}; PostgreSQL (scripts/with-postgres.sh); `python -m web` "
        f"(uvicorn, one process, ROTA_QUEUE=procrastinate) and {setup.workers} `rota worker --concurrency "
        f"{setup.concurrency}` processes (sessions: {setup.worker_sessions}).", "",
        f"{setup.communities} communities, each the seed (examples/checkpoint.yaml) under its own name. Per repeat a "
        f"coordinator presses Generate for the same new week in every community, one after the other (time limit "
        f"{setup.time_limit:g} s; threads per solve: {setup.solve_workers}; solver process niceness: "
        f"{setup.niceness}); another coordinator's kept-alive "
        f"connection times {setup.requests} sequential rounds of the pages (one request each per round, "
        f"after 10 warm-up rounds) idle, then from the first press until the last solve ended (at least as many "
        f"rounds). A thread reads the job rows every 0.2 s.  ",
        "Pages: " + ", ".join(f"{name} `{path}`" for name, path in setup.pages.items()) + ".  ",
        f"Machine load (`uptime` before / after): {setup.load_before} / {setup.load_after}.", "",
        f"Median over {len(repeats)} repeats (ms):", "",
        "| page | idle p50 | idle p95 | idle max | busy p50 | busy p95 | busy max | busy/idle p95 | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in page_rows(repeats, pages):
        verdict = "met" if row.ratio <= TARGET_RATIO else "not met"
        figures = (row.idle_p50, row.idle_p95, row.idle_max, row.busy_p50, row.busy_p95, row.busy_max)
        lines.append(f"| {row.page} | " + " | ".join(_ms(f) for f in figures)
                     + f" | {row.ratio:.2f} | ≤ {TARGET_RATIO:g}× idle: {verdict} |")
    lines += [
        "", "The solves, per repeat:", "",
        f"| repeat | week | busy rounds | submitting {setup.communities} (s) | drain (s) | one job running "
        "(median s) | slots running a job | most running (rows sampled / intervals) | finished and checked | "
        "busy requests while solving | solver niceness seen | outcomes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for number, r in enumerate(repeats, 1):
        nice = ", ".join(str(n) for n in sorted(r.niceness)) or "?"
        lines.append(
            f"| {number} | {r.week.isoformat()} | {len(next(iter(r.busy.values())))} | {r.submit_seconds:.1f} | "
            f"{r.drain_seconds:.1f} | "
            f"{statistics.median(r.solve_seconds or [float('nan')]):.1f} | {r.slot_use(bound):.0%} | "
            f"{r.sampled_most_running} / {r.interval_most_running} | {r.finished_ok} of {len(r.spans)} | "
            f"{r.busy_overlap:.0%} | {nice} | {r.outcomes} |"
        )
    drain = statistics.median(r.drain_seconds for r in repeats)
    lines += [
        "", "Targets:", "",
        f"- busy p95 ≤ {TARGET_RATIO:g}× idle p95 on every page: {'met' if ok['ratio'] else 'not met'}",
        f"- bounded concurrency, at most {setup.workers} workers × {setup.concurrency} = {bound} solving at once: "
        f"{'met' if ok['bounded'] else 'not met'} (most seen: {most})",
        f"- every solve finished and its rota passes the checker: {'met' if ok['all_finished'] else 'not met'}",
        f"- drain time (first job created to last finished), median: {drain:.1f} s",
        "", "Every repeat (ms, p50 / p95 / max):", "",
        "| repeat | " + " | ".join(f"{p} idle | {p} busy" for p in pages) + " |",
        "|---|" + "---|" * (2 * len(pages)),
    ]
    for number, r in enumerate(repeats, 1):
        cells = []
        for page in pages:
            for samples in (r.idle[page], r.busy[page]):
                cells.append(f"{statistics.median(samples):.0f} / {p95(samples):.0f} / {max(samples):.0f}")
        lines.append(f"| {number} | " + " | ".join(cells) + " |")
    if any(r.busy_sent for r in repeats):
        lines += [
            "", f"Busy requests sent during a solver process's start-up (the {STARTUP:g} s before its job's row says "
            "running) and the others, every repeat's together (ms):", "",
            "| page | start-up: requests | start-up: p95 | others: requests | others: p95 |", "|---|---|---|---|---|",
        ]
        for page in pages:
            during, other = startup_split(repeats, page)
            cells = [f"{len(during)}", _ms(p95(during)) if during else "", f"{len(other)}",
                     _ms(p95(other)) if other else ""]
            lines.append(f"| {page} | " + " | ".join(cells) + " |")
    if all(r.server_cpu for r in repeats):
        lines += [
            "", "The app's process (`python -m web`, every thread), per request, median over repeats (ms; Linux "
            "schedstat; the busy figures include the Generate presses):", "",
            "| condition | on a CPU | waiting for a CPU |", "|---|---|---|",
        ]
        for condition in ("idle", "busy"):
            ran = statistics.median(r.server_cpu[condition][0] for r in repeats)
            waited = statistics.median(r.server_cpu[condition][1] for r in repeats)
            lines.append(f"| {condition} | {_ms(ran)} | {_ms(waited)} |")
    return "\n".join(lines) + "\n"

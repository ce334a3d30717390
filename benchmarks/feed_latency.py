"""Feed latency benchmark: calendar feeds and personal pages of the 120-person example, served by the real app.

    python -m benchmarks.feed_latency                                           # 3 repeats
    python -m benchmarks.feed_latency --out benchmarks/results/feed_latency.md
    python -m benchmarks.feed_latency --rota /tmp/grid-week.json               # reuse a solved week

A fresh data folder gets the grid example (examples/grid.yaml, 120 people, 8 posts and a team duty) and the coming
week solved by the engine (30 s, or `--rota`), published as **three versions** (v1 as solved, v2 without every
tenth assignment, v3 with every break of v2 moved by 15 minutes), plus the previous week published once, so every
feed follows four versions over two weeks. Every person and post gets a secret link.

Each repeat starts the app afresh (`python -m web`, uvicorn, one process; empty in-memory caches) and one client on
a kept-alive connection times, in this order:

1. every person's feed once, right after the start (**person feed, first fetch**): the first request builds its
   feed and starts prebuilding everyone else's in a background thread (`web.feeds.prebuild_people`), so the
   following first fetches either find their feed built or build it themselves while that thread competes;
2. every person's feed again (**person feed, full**: a subscriber refreshing; built feeds are cached by ETag);
3. every person's feed with If-None-Match (**person feed, 304**);
4. every post's feed, first fetch then again (**post feed, first fetch** / **post feed**);
5. every person's page (**personal page**).

One personal page is fetched before the timings (it reads the four versions into the version cache, as the
server's first request of the day would). Per repeat p50, p95 and max; the summary is the median over repeats.
Target (issue 6): a person's feed p95 <= 20 ms.
"""

from __future__ import annotations

import datetime as dt
import http.client
import io
import os
import platform
import statistics
import sys
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from benchmarks import appserver
from scheduler import Assignment, Break, Rota, Scenario, SolveSettings, check, load_rota, solve
from web.app import create_app
from web.dates import next_monday
from web.feeds import links
from web.rota import drafts
from web.settings import Settings
from web.state import AppContext
from web.store import build_scenario, first_community, people_rows, setup_of, transaction
from web.tables import Community, LinkKind, RotaDraft

ROOT = Path(__file__).resolve().parents[1]
GRID = ROOT / "examples" / "grid.yaml"
PASSWORD, SECRET = appserver.PASSWORD, appserver.SECRET
TARGET_P95_MS = 20.0

app = typer.Typer(add_completion=False)



# ------------------------------------------------------------------------------------------------ preparing


@dataclass
class Prepared:
    data_dir: Path
    week: dt.date
    assignments: int
    person_tokens: list[str]
    post_tokens: list[str]


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, admin_user="coord", admin_password=PASSWORD, example_path=GRID,
                    secret_key=SECRET)


def _community(db: Session) -> Community:
    community = first_community(db)
    assert community is not None, "the example was not loaded"
    return community


def solved_week(scenario: Scenario, cached: Path | None) -> Rota:
    """A rota of the scenario's week meeting every hard rule: from `cached` when it is of that week, else solved."""
    if cached is not None and cached.exists():
        rota = load_rota(cached)
        if rota.start == scenario.start:
            return rota
    result = solve(scenario, SolveSettings(time_limit=30, workers=2, relative_gap=0.05))
    if result.rota is None or not check(scenario, result.rota).ok:
        raise SystemExit("the grid week did not solve to a valid rota")
    if cached is not None:
        cached.write_text(result.rota.model_dump_json(indent=2), encoding="utf-8")
    return result.rota


def later_versions(rota: Rota) -> list[Rota]:
    """v2 without every tenth assignment; v3 with every break of v2 moved by 15 minutes."""
    fewer = rota.model_copy(update={"assignments": [a for i, a in enumerate(rota.assignments) if i % 10]})
    quarter = dt.timedelta(minutes=15)
    moved = [
        a.model_copy(update={"breaks": [Break(start=b.start + quarter, end=b.end + quarter) for b in a.breaks]})
        for a in fewer.assignments
    ]
    return [fewer, fewer.model_copy(update={"assignments": moved})]


def week_earlier(rota: Rota) -> Rota:
    """The same rota one week earlier (the previous week's published rota)."""
    week = dt.timedelta(days=7)

    def shifted(a: Assignment) -> Assignment:
        breaks = [Break(start=b.start - week, end=b.end - week) for b in a.breaks]
        return a.model_copy(update={"date": a.date - week, "start": a.start - week, "end": a.end - week,
                                    "breaks": breaks})

    return rota.model_copy(update={"start": rota.start - week, "assignments": [shifted(a) for a in rota.assignments]})


def _publish(db: Session, community: Community, scenario: Scenario, rota: Rota) -> None:
    """Through the draft, as the rota pages do (confirmed: v2 and v3 break coverage on purpose)."""
    with transaction(db):
        row = drafts.draft_row(db, community, rota.start)
        if row is None:
            row = RotaDraft(community_id=community.id, week_start=rota.start, days=rota.days)
            db.add(row)
        row.rota = rota.model_dump(mode="json", by_alias=True)
        row.scenario = scenario.model_dump(mode="json", by_alias=True)
    drafts.publish(db, community, rota.start, "benchmark", confirm=True)


def _make_links(db: Session, community: Community) -> tuple[list[str], list[str]]:
    with transaction(db):
        people = [links.ensure_link(db, community, LinkKind.PERSON, person_id=row.id).token
                  for row in people_rows(db, community, active_only=True)]
        posts = [links.ensure_link(db, community, LinkKind.POST, post=place).token
                 for place, _zh, _en in setup_of(community).places()]
    return people, posts


def prepare(data_dir: Path, cached: Path | None) -> Prepared:
    context = create_app(_settings(data_dir), appserver.NoRunner(), out=io.StringIO()).state.rota
    assert isinstance(context, AppContext)
    week = next_monday(dt.date.today())
    with context.sessions() as db:
        community = _community(db)
        scenario = build_scenario(db, community, week, 7)
        rota = solved_week(scenario, cached)
        previous = build_scenario(db, community, week - dt.timedelta(days=7), 7)
        _publish(db, community, previous, week_earlier(rota))
        for version in [rota, *later_versions(rota)]:
            _publish(db, community, scenario, version)
        people, posts = _make_links(db, community)
    context.engine.dispose()
    return Prepared(data_dir, week, len(rota.assignments), people, posts)


# ------------------------------------------------------------------------------------------- server and client


def serving(data_dir: Path) -> AbstractContextManager[int]:
    """`python -m web` on a free port; stopped afterwards."""
    return appserver.serving(data_dir, {
        "ROTA_ADMIN_USER": "coord", "ROTA_ADMIN_PASSWORD": PASSWORD, "ROTA_SECRET_KEY": SECRET,
        "ROTA_EXAMPLE_PATH": str(GRID),
    })


@dataclass
class Answer:
    status: int
    etag: str
    body: bytes


class Client:
    """A calendar app or a phone browser, reduced to one kept-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        try:
            return self._get(path, headers or {})
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.close()
            return self._get(path, headers or {})

    def _get(self, path: str, headers: dict[str, str]) -> Answer:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        return Answer(response.status, response.getheader("ETag", ""), body)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None


# ------------------------------------------------------------------------------------------------ measuring


@dataclass
class Timing:
    """Milliseconds of the requests of one kind in one repeat."""

    what: str
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


def timed(client: Client, paths: list[str], status: int, headers: list[dict[str, str]] | None = None,
          marker: bytes = b"") -> tuple[list[float], list[str]]:
    """Sequential GETs, each timed from sending to the last byte read; the ETags of the answers."""
    samples, etags = [], []
    for index, path in enumerate(paths):
        started = time.perf_counter()
        answer = client.get(path, headers[index] if headers else None)
        samples.append((time.perf_counter() - started) * 1000)
        assert answer.status == status and marker in answer.body, (path, answer.status)
        etags.append(answer.etag)
    return samples, etags


def measure_repeat(prepared: Prepared) -> list[Timing]:
    people = [f"/p/{token}/calendar.ics" for token in prepared.person_tokens]
    pages = [f"/p/{token}" for token in prepared.person_tokens]
    posts = [f"/feeds/post/{token}.ics" for token in prepared.post_tokens]
    with serving(prepared.data_dir) as port:
        client = Client(port)
        timed(client, pages[:1], 200, marker=b"</html>")  # the version cache, as the day's first request fills it
        first, etags = timed(client, people, 200, marker=b"BEGIN:VCALENDAR")
        full, _ = timed(client, people, 200, marker=b"BEGIN:VCALENDAR")
        not_modified, _ = timed(client, people, 304, [{"If-None-Match": tag} for tag in etags])
        post_first, _ = timed(client, posts, 200, marker=b"BEGIN:VEVENT")
        post_again, _ = timed(client, posts * 5, 200, marker=b"BEGIN:VEVENT")
        personal, _ = timed(client, pages, 200, marker=b"</html>")
        client.close()
    return [
        Timing("person feed, first fetch (built or prebuilt)", first),
        Timing("person feed, full (cached by ETag)", full),
        Timing("person feed, 304 (If-None-Match)", not_modified), Timing("post feed, first fetch (built)", post_first),
        Timing("post feed, full (cached)", post_again), Timing("personal page", personal),
    ]


# ---------------------------------------------------------------------------------------------------- report


def _target(what: str, p95: float) -> str:
    if not what.startswith("person feed"):
        return "–"
    return f"p95 ≤ {TARGET_P95_MS:.0f} ms: {'met' if p95 <= TARGET_P95_MS else 'MISSED'}"


def report(repeats: list[list[Timing]], prepared: Prepared) -> str:
    command = "python -m benchmarks.feed_latency " + " ".join(sys.argv[1:])
    lines = [
        "# Feed latency benchmark",
        "",
        f"Command: `{command}`  ",
        f"Date: {dt.date.today().isoformat()}; machine: {os.cpu_count()} cores (shared with other work, noisy), "
        f"{platform.machine()}, Python {platform.python_version()}; SQLite; `python -m web` (uvicorn, one process). "
        f"Load average (1 min) at the end: {os.getloadavg()[0]:.1f}.",
        "",
        f"Community: examples/grid.yaml ({len(prepared.person_tokens)} active people, {len(prepared.post_tokens)} "
        f"posts and duties); the week of {prepared.week} solved ({prepared.assignments} assignments) and published "
        "three times, the week before once: every feed follows four versions. Sequential requests on one kept-alive "
        f"connection, timed to the last byte; the app restarted for each of {len(repeats)} repeats (cold caches).",
        "",
        "Median over repeats (ms):",
        "",
        "| request | requests per repeat | p50 | p95 | max | target |",
        "|---|---|---|---|---|---|",
    ]
    for index, timing in enumerate(repeats[0]):
        chosen = [timings[index] for timings in repeats]
        p50 = statistics.median(t.p50 for t in chosen)
        p95 = statistics.median(t.p95 for t in chosen)
        worst = statistics.median(t.max for t in chosen)
        lines.append(f"| {timing.what} | {len(timing.ms)} | {p50:.1f} | {p95:.1f} | {worst:.1f} | "
                     f"{_target(timing.what, p95)} |")
    lines += ["", "Every repeat (ms, p50 / p95 / max):", "",
              "| repeat | " + " | ".join(t.what for t in repeats[0]) + " |", "|---|" + "---|" * len(repeats[0])]
    for number, timings in enumerate(repeats, 1):
        lines.append(f"| {number} | " + " | ".join(f"{t.p50:.1f} / {t.p95:.1f} / {t.max:.0f}" for t in timings) + " |")
    return "\n".join(lines) + "\n"


@app.command()
def main(
    repeats: Annotated[int, typer.Option(min=1, help="Server starts, each timing every request kind.")] = 3,
    rota: Annotated[Path | None, typer.Option(help="A solved week's rota.json to reuse (written if absent).")] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the results as Markdown here.")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data folder to use (default: a temporary one).")] = None,
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="feed-latency-") as temporary:
        folder = data_dir or Path(temporary) / "data"
        prepared = prepare(folder, rota)
        results = [measure_repeat(prepared) for _ in range(repeats)]
    text = report(results, prepared)
    print(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    app()

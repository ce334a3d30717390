"""Calendars and print-outs benchmark: time to build a person's and a post's feed, and the grid week's PDF and PNGs.

    python -m benchmarks.printing --repeats 5 --out benchmarks/results/printing.md
    python -m benchmarks.printing --rota /tmp/grid-rota.json      # reuse a solved grid rota (else solved first)

Targets (issue 6): a person's feed served in ≤ 20 ms at the 95th percentile (generation is measured here, the web
layer adds its own), the PDF of the 120-person week (examples/grid.yaml) in ≤ 5 s. Feeds are built from a history
of three published versions (the second takes shifts away, the third moves meal breaks), as a live feed would be.
The machine is small and shared: read medians and the spread, not one number.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from scheduler import Break, Rota, Scenario, SolveSettings, check, load_rota, load_scenario, solve
from scheduler.reports.ical import PublishedRota, people_with_shifts, person_calendar, post_calendar
from scheduler.reports.printing import print_html, print_pdf, print_png

ROOT = Path(__file__).resolve().parents[1]
GRID = ROOT / "examples" / "grid.yaml"
PRINTED = dt.datetime(2026, 12, 6, 10, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Sample:
    """Timings of one measured thing, in milliseconds."""

    name: str
    target: str
    timings: list[tuple[float, float]]
    """(wall, CPU) milliseconds of each sample: CPU time says more than wall time on a crowded machine."""

    @property
    def millis(self) -> list[float]:
        return [wall for wall, _ in self.timings]

    def percentile(self, share: float) -> float:
        ordered = sorted(self.millis)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    def row(self) -> str:
        p50, p95 = statistics.median(self.millis), self.percentile(0.95)
        cpu = [c for _, c in self.timings]
        cpu_p95 = sorted(cpu)[min(len(cpu) - 1, round(0.95 * (len(cpu) - 1)))]
        return (
            f"| {self.name} | {self.target} | {len(self.millis)} | {p50:.1f} | {p95:.1f} | "
            f"{min(self.millis):.1f}–{max(self.millis):.1f} | {statistics.median(cpu):.1f} | {cpu_p95:.1f} |"
        )


def grid_rota(scenario: Scenario, cached: Path | None) -> Rota:
    """A rota of the grid week meeting every hard rule: read from `cached` if given and present, else solved."""
    if cached is not None and cached.exists():
        return load_rota(cached)
    result = solve(scenario, SolveSettings(time_limit=30, workers=2, relative_gap=0.05))
    if result.rota is None or not check(scenario, result.rota).ok:
        raise SystemExit("the grid example did not solve to a valid rota")
    if cached is not None:
        cached.write_text(result.rota.model_dump_json(indent=2), encoding="utf-8")
    return result.rota


def three_versions(rota: Rota) -> list[PublishedRota]:
    """v1 as solved; v2 without every tenth assignment; v3 with every break of v2 moved by 15 minutes."""
    fewer = rota.model_copy(update={"assignments": [a for i, a in enumerate(rota.assignments) if i % 10]})
    quarter = dt.timedelta(minutes=15)
    moved = [
        a.model_copy(update={"breaks": [Break(start=b.start + quarter, end=b.end + quarter) for b in a.breaks]})
        for a in fewer.assignments
    ]
    later = fewer.model_copy(update={"assignments": moved})
    start = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    return [
        PublishedRota(rota=r, version=i + 1, published_at=start + dt.timedelta(days=i))
        for i, r in enumerate((rota, fewer, later))
    ]


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call (this process's CPU: WeasyPrint and pdfium run in it)."""
    started, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def measure_feeds(scenario: Scenario, history: list[PublishedRota], repeats: int) -> list[Sample]:
    people = people_with_shifts(history[0].rota)
    places = [p.id for p in scenario.posts] + [d.id for d in scenario.team_duties]
    person_calendar(scenario, history, people[0])  # the zone's VTIMEZONE is built once per process, then cached
    persons = [timed(partial(person_calendar, scenario, history, p)) for _ in range(repeats) for p in people]
    posts = [timed(partial(post_calendar, scenario, history, p)) for _ in range(repeats) for p in places]
    return [
        Sample(f"person feed ({len(people)} people, 3 versions)", "p95 ≤ 20 ms", persons),
        Sample(f"post feed ({len(places)} posts and duties, 3 versions)", "–", posts),
    ]


def measure_print(scenario: Scenario, rota: Rota, repeats: int) -> list[Sample]:
    arguments = (scenario, rota, "zh", "v1", PRINTED)
    html = [timed(partial(print_html, *arguments)) for _ in range(repeats)]
    pdf = [timed(partial(print_pdf, *arguments)) for _ in range(repeats)]
    png = [timed(partial(print_png, *arguments)) for _ in range(repeats)]
    pages = len(scenario.posts) + len(scenario.team_duties)
    return [
        Sample("print HTML, grid week", "–", html),
        Sample(f"PDF, grid week ({pages} pages, {len(scenario.people)} people)", "≤ 5000 ms", pdf),
        Sample(f"PNGs, grid week ({pages} images 1080 px wide)", "–", png),
    ]


def report(samples: list[Sample], repeats: int, rota: Rota) -> str:
    lines = [
        "# Calendars and print-outs benchmark",
        "",
        f"Command: `python -m benchmarks.printing --repeats {repeats} --out benchmarks/results/printing.md`  ",
        f"Date: {dt.date.today()}; machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, icalendar {version('icalendar')}, WeasyPrint {version('weasyprint')}, "
        f"pypdfium2 {version('pypdfium2')}; shared with other sessions (noisy): load average "
        f"{os.getloadavg()[0]:.1f} when the run ended.  ",
        f"Input: examples/grid.yaml solved ({len(rota.assignments)} assignments); feeds from three published "
        "versions. Feed rows pool every person (post) times every repeat; print rows are whole documents. "
        "Wall time includes waiting for a core; CPU time is this process's own (closer to a quiet machine).",
        "",
        "| what | target | samples | p50 ms | p95 ms | min–max ms | CPU p50 ms | CPU p95 ms |",
        "|---|---|---|---|---|---|---|---|",
        *(sample.row() for sample in samples),
        "",
    ]
    return "\n".join(lines)


def main(
    repeats: Annotated[int, typer.Option(min=1, help="Repeats of every measurement.")] = 5,
    out: Annotated[Path | None, typer.Option(help="Write the markdown table here.")] = None,
    rota: Annotated[Path | None, typer.Option(help="A solved grid rota.json to reuse (written if absent).")] = None,
) -> None:
    scenario = load_scenario(GRID)
    solved = grid_rota(scenario, rota)
    samples = measure_feeds(scenario, three_versions(solved), repeats) + measure_print(scenario, solved, repeats)
    text = report(samples, repeats, solved)
    typer.echo(text)
    if out is not None:
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    typer.run(main)

"""The queue load benchmark's pure parts: overlapping solves counted from their rows, the summary rendered from
made-up runs (targets met and missed), and the refusal without a PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from typer.testing import CliRunner

from benchmarks.queue_load import app, cpu_per_request, schedstat
from benchmarks.queue_load_report import (
    Repeat,
    Setup,
    Span,
    most_at_once,
    page_rows,
    render,
    startup_split,
    verdicts,
)

T0 = dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)


def _span(job_id: int, start: float | None, end: float | None, status: str = "finished", checked: bool = True) -> Span:
    def at(seconds: float | None) -> dt.datetime | None:
        return None if seconds is None else T0 + dt.timedelta(seconds=seconds)

    return Span(job_id, T0, at(start), at(end), status, checked, "optimal" if checked else None)


def test_most_at_once_counts_overlapping_intervals_an_end_before_a_start_at_a_tie() -> None:
    assert most_at_once([]) == 0
    assert most_at_once([_span(1, 0, 10), _span(2, 10, 20), _span(3, 20, 30)]) == 1
    assert most_at_once([_span(1, 0, 10), _span(2, 1, 5), _span(3, 2, 12), _span(4, 11, 13)]) == 3
    assert most_at_once([_span(1, 0, None, "running"), _span(2, None, None, "queued"), _span(3, 1, 2)]) == 2


def _repeat(busy_factor: float, spans: list[Span], sampled: int = 2) -> Repeat:
    idle = {"now": [10.0 + i % 10 for i in range(40)], "job": [20.0 + i % 5 for i in range(40)]}
    busy = {page: [ms * busy_factor for ms in samples] for page, samples in idle.items()}
    return Repeat(dt.date(2026, 12, 14), idle, busy, spans, 2.5, sampled, 0.9, {10})


def _setup() -> Setup:
    return Setup(
        command="python -m benchmarks.queue_load", date="2026-12-07 15:10 UTC", machine="2 cores", communities=3,
        workers=2, concurrency=1, requests=40, time_limit=10, niceness="10", solve_workers="automatic",
        worker_sessions="the app's",
        pages={"now": "/now", "job": "/jobs/1"}, load_before="0.5", load_after="2.0",
    )


def test_the_summary_of_runs_within_the_targets() -> None:
    spans = [_span(1, 1, 11), _span(2, 1, 12), _span(3, 11, 21)]
    repeats = [_repeat(1.5, spans), _repeat(1.2, spans)]
    assert [row.page for row in page_rows(repeats, ["now", "job"])] == ["now", "job"]
    assert page_rows(repeats, ["now"])[0].ratio == pytest.approx(1.35)
    assert verdicts(repeats, ["now", "job"], 2) == {"ratio": True, "bounded": True, "all_finished": True}
    assert repeats[0].drain_seconds == 21
    assert repeats[0].slot_use(2) == pytest.approx(31 / 42)
    text = render(_setup(), repeats)
    assert "| now | 14.5 | 19.0 | 19.0 | 19.6 | 25.6 | 25.6 | 1.35 | ≤ 2× idle: met |" in text
    assert "- busy p95 ≤ 2× idle p95 on every page: met" in text
    assert "2 solving at once: met (most seen: 2)" in text
    assert "passes the checker: met" in text
    assert "| 1 | 2026-12-14 | 40 | 2.5 | 21.0 | 10.0 | 74% | 2 / 2 | 3 of 3 | 90% | 10 | finished/optimal 3 |" in text
    assert text.count("\n| 2 | ") == 2  # both repeats, in both per-repeat tables


def test_the_summary_says_what_was_missed() -> None:
    spans = [_span(1, 1, 11), _span(2, 2, 12), _span(3, 3, 13, "failed", checked=False)]
    repeats = [_repeat(2.5, spans, sampled=3)]
    assert verdicts(repeats, ["now", "job"], 2) == {"ratio": False, "bounded": False, "all_finished": False}
    text = render(_setup(), repeats)
    assert "| 2.50 | ≤ 2× idle: not met |" in text
    assert "- busy p95 ≤ 2× idle p95 on every page: not met" in text
    assert "2 solving at once: not met (most seen: 3)" in text
    assert "passes the checker: not met" in text
    assert "| failed/none (no checked rota) 1, finished/optimal 2 |" in text


def test_busy_requests_during_a_solver_start_up_are_told_apart() -> None:
    repeat = _repeat(1.0, [_span(1, 10, 20), _span(2, 30, 40)])
    repeat.busy["now"] = [1.0, 2.0, 3.0, 4.0, 5.0]
    at = T0.timestamp()
    repeat.busy_sent = {"now": [at + 5, at + 8, at + 10.5, at + 27, at + 30]}
    assert startup_split([repeat], "now") == ([2.0, 4.0, 5.0], [1.0, 3.0])
    assert "| now | 3 | 4.9 | 2 | 2.9 |" in render(_setup(), [repeat])


def test_the_app_process_cpu_per_request_from_schedstat_readings() -> None:
    before = {1: (1_000_000, 500_000), 2: (0, 0)}
    after = {1: (21_000_000, 2_500_000), 2: (10_000_000, 0), 3: (10_000_000, 1_500_000)}  # thread 3 is new
    assert cpu_per_request(before, after, 10) == (4.0, 0.35)
    assert schedstat(None) == {}
    assert all(ran >= 0 and waited >= 0 for ran, waited in schedstat(os.getpid()).values())
    repeat = _repeat(1.0, [_span(1, 1, 2)])
    repeat.server_cpu = {"idle": (4.0, 0.5), "busy": (5.0, 3.25)}
    text = render(_setup(), [repeat])
    assert "| idle | 4.0 | 0.5 |" in text and "| busy | 5.0 | 3.2 |" in text


def test_without_a_postgresql_server_it_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROTA_TEST_POSTGRES_URL", raising=False)
    result = CliRunner().invoke(app, ["--requests", "20"])
    assert result.exit_code == 2
    assert "ROTA_TEST_POSTGRES_URL" in result.output

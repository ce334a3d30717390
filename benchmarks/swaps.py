"""Swaps benchmark (issue 7): what a volunteer's swap page and a coordinator's approval cost on the 120-person grid.

    python -m benchmarks.swaps                                          # 5 repeats, table on stdout
    python -m benchmarks.swaps --repeats 5 --out benchmarks/results/swaps.md

The grid example (examples/grid.yaml) is loaded into a fresh app database (`web.app.create_app`, no solver
process), its week solved once in this process and published as version 1 (`web.rota.drafts.publish`). Then
`--offers` people (the first with a coming shift, by id) each offer their first coming shift
(`web.changes.swaps.offer_shift`). With
`now` the day before the week (so the timings do not depend on the date the benchmark runs), per repeat:

- *hand-over check*: one offered shift handed to another volunteer of its role and checked by the validator
  (`web.changes.swaps.handover` with the version's baseline already known): what deciding one offer costs;
- *volunteer page data*: a volunteer's coming shifts and the open offers they may take (`coming_shifts` +
  `open_offers`: every offer read, checked, filtered): what `/p/{token}/swaps` computes before rendering;
- *coordinator list*: the pending swaps with their current shifts (`swap_lines`), what `/swaps` computes;
- *publish*: version 1 with its notices (everyone's week) and reminders, once;
- *offer*: each offer, telling the people the engine finds may take it (`scheduler.slot_candidates`);
- *approve*: one accepted swap checked again and published as the next version, the draft brought along
  (`approve_swap`, one transaction); each repeat approves another offer, taken by the first volunteer (by name)
  the validator lets take it (offers nobody may take are left out).

The machine is small and shared: medians and spreads over the repeats are reported, never single timings.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from benchmarks import appserver
from scheduler import Assignment, SolveSettings, solve
from web.app import create_app
from web.changes import problems
from web.changes import swaps as swap_service
from web.i18n import Translator
from web.rota import drafts
from web.rota import service as rotas
from web.rota.adjust import AssignmentRef
from web.settings import Settings
from web.state import AppContext
from web.store import build_scenario, first_community, people_rows
from web.tables import Community, OutboxMessage, PersonRow, RotaDraft, SwapRequest, SwapStatus

ROOT = Path(__file__).resolve().parents[1]
GRID = ROOT / "examples/grid.yaml"


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _publish_grid(db: Session, community: Community, time_limit: float) -> tuple[dt.date, float, float]:
    """Solve the grid's week and publish it as version 1; its first day, the solve's and the publication's
    seconds (the publication stores its notices and reminders, everyone having an e-mail address)."""
    start = dt.date(2026, 12, 7)
    scenario = build_scenario(db, community, start, 7)
    started = time.perf_counter()
    rota = solve(scenario, SolveSettings(time_limit=time_limit)).rota
    seconds = time.perf_counter() - started
    assert rota is not None, "the grid example has a rota"
    db.add(RotaDraft(community_id=community.id, week_start=start, days=7, updated_by="bench",
                     rota=rota.model_dump(mode="json"), scenario=scenario.model_dump(mode="json", by_alias=True)))
    for row in people_rows(db, community, active_only=True):
        row.email = f"{row.key}@example.org"
    db.commit()
    publishing = _timed(lambda: drafts.publish(db, community, start, "bench", confirm=True))
    return start, seconds, publishing


def _offer_all(
    db: Session, community: Community, week: dt.date, count: int, now: dt.datetime
) -> tuple[list[SwapRequest], list[float]]:
    """Offer the first coming shift of `count` people (by id); the offers and the seconds each took (each tells
    the people who may take it)."""
    rows = {row.key: row for row in people_rows(db, community, active_only=True)}
    latest = rotas.latest_version(db, community.id, week)
    assert latest is not None
    offered: list[SwapRequest] = []
    times: list[float] = []
    for key in sorted(rows):
        first = next((a for a in latest.rota.assignments if a.person == key and not a.pinned), None)
        if first is None:
            continue
        ref = AssignmentRef(place=first.place, shift=first.shift, date=first.date, person=key)
        started = time.perf_counter()
        offered.append(swap_service.offer_shift(db, community, rows[key], week, ref, now))
        times.append(time.perf_counter() - started)
        if len(offered) == count:
            break
    return offered, times


def _taker(db: Session, community: Community, week: dt.date, a: Assignment) -> PersonRow | None:
    """The first volunteer (by name) who may take the shift: the validator finds nothing new when handed over."""
    latest = rotas.latest_version(db, community.id, week)
    assert latest is not None
    baseline = swap_service.baseline_of(latest)
    for row in people_rows(db, community, active_only=True):
        if a.role not in row.roles or row.key == a.person:
            continue
        try:
            if not swap_service.handover(latest, a, row.key, baseline).new_violations:
                return row
        except problems.ChangeProblem:
            continue
    return None  # a tight week: nobody else may work that shift


def _spread(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{statistics.median(ms):.0f} ({min(ms):.0f}–{max(ms):.0f})"


def main(
    repeats: Annotated[int, typer.Option(min=1, help="Repeats of each measurement.")] = 5,
    offers: Annotated[int, typer.Option(min=1, help="Open offers in the week.")] = 10,
    time_limit: Annotated[float, typer.Option(min=1, help="Time limit of the one solve, seconds.")] = 60.0,
    out: Annotated[Path | None, typer.Option(help="Write the Markdown report here.")] = None,
) -> None:
    """Publish the grid's week, open some offers, and time the swap pages' work and an approval."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), example_path=GRID, admin_password="benchmark password",
                            secret_key="b" * 40, database_url=None)
        app = create_app(settings, appserver.NoRunner(), out=io.StringIO())
        context = app.state.rota
        assert isinstance(context, AppContext)
        with context.sessions() as db:
            community = first_community(db)
            assert community is not None
            week, solve_seconds, publishing = _publish_grid(db, community, time_limit)
            published = db.scalar(select(func.count()).select_from(OutboxMessage))
            now = dt.datetime.combine(week - dt.timedelta(days=1), dt.time(12), dt.UTC)
            swaps, offer_times = _offer_all(db, community, week, offers, now)
            told = db.scalar(select(func.count()).where(OutboxMessage.kind == "swap"))
            rows = [
                (f"publish version 1 (stores {published} notices and reminders; once)", [publishing]),
                (f"offer a shift (tells those who may take it: {told} messages for {len(swaps)} offers)",
                 offer_times),
                *_measure(db, community, week, swaps, repeats, now),
            ]
        context.engine.dispose()
    text = _report(rows, repeats, len(swaps), solve_seconds, load, time_limit)
    typer.echo(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def _measure(
    db: Session, community: Community, week: dt.date, swaps: list[SwapRequest], repeats: int, now: dt.datetime,
) -> list[tuple[str, list[float]]]:
    """Time the four measurements; approvals go to the first offers someone may take (one per repeat)."""
    latest = rotas.latest_version(db, community.id, week)
    assert latest is not None
    takers = _takers(db, community, week, swaps)
    assert takers, "someone may take one of the offered shifts"
    swap, offered, taker = takers[0]
    baseline = swap_service.baseline_of(latest)
    check_times = [_timed(lambda: swap_service.handover(latest, offered, taker.key, baseline)) for _ in range(repeats)]

    def volunteer_page() -> None:
        swap_service.coming_shifts(db, community, taker, now)
        swap_service.open_offers(db, community, taker, now)

    page_times = [_timed(volunteer_page) for _ in range(repeats)]
    list_times = [_timed(lambda: swap_service.swap_lines(db, community, pending=True)) for _ in range(repeats)]
    approve_times = []
    approved = 0
    for swap, _a, person in takers[:repeats]:
        swap.status, swap.to_person_id = SwapStatus.ACCEPTED.value, person.id
        db.commit()
        swap_id = swap.id
        started = time.perf_counter()
        decision = swap_service.approve_swap(db, community, swap_id, "bench", Translator("en"), now=now)
        approve_times.append(time.perf_counter() - started)
        approved += decision.version is not None
    return [("hand-over check", check_times), ("volunteer page data", page_times),
            ("coordinator list", list_times),
            (f"approve (new version; {approved} of {len(approve_times)} approved)", approve_times)]


def _takers(
    db: Session, community: Community, week: dt.date, swaps: list[SwapRequest]
) -> list[tuple[SwapRequest, Assignment, PersonRow]]:
    """The offers someone may take, each with its shift in version 1 and its first possible taker."""
    latest = rotas.latest_version(db, community.id, week)
    assert latest is not None
    found = []
    for swap in swaps:
        holder = db.get(PersonRow, swap.from_person_id)
        assert holder is not None
        a = next(b for b in latest.rota.assignments if swap_service.offer_matches(b, swap, holder.key))
        person = _taker(db, community, week, a)
        if person is not None:
            found.append((swap, a, person))
    return found


def _report(
    rows: list[tuple[str, list[float]]], repeats: int, offers: int, solve_seconds: float, load: float,
    time_limit: float,
) -> str:
    lines = [
        "# Swaps benchmark",
        "",
        f"Command: `python -m benchmarks.swaps --repeats {repeats} --offers {offers} --time-limit {time_limit:g} "
        "--out <this file>`  ",
        f"Date: {dt.date.today()}; machine: {os.cpu_count()} cores shared with other work, {platform.machine()}, "
        f"Python {platform.python_version()}; load average {load:.1f} at the start.",
        "",
        "Published rota: `examples/grid.yaml` (120 people, each with an e-mail address) solved once "
        f"({solve_seconds:.1f} s), version 1; "
        f"{offers} open offers in the week. Milliseconds, median (min–max) of {repeats}.",
        "",
        "| measurement | ms |",
        "|---|---|",
        *(f"| {name} | {_spread(values)} |" for name, values in rows),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    typer.run(main)

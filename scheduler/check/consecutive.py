"""Consecutive days: runs of worked days and of days off over the history window and the period.
docs/rules.md, "consecutive"."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from scheduler.check.context import DAY, Context, Index, dates
from scheduler.domain.messages import Param
from scheduler.domain.people import Person, PersonLimits
from scheduler.domain.rota import Violation


def _runs(flags: list[bool]) -> Iterator[tuple[bool, int, int]]:
    """(value, first index, last index) of each maximal run of equal flags."""
    begin = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[begin]:
            yield flags[begin], begin, i - 1
            begin = i


def violations(ctx: Context, index: Index) -> list[Violation]:
    """Runs of worked days and days off over the history window followed by the period."""
    history_days: dict[str, set[dt.date]] = defaultdict(set)
    for past in ctx.scenario.history:
        start = past.start if past.start.tzinfo is not None else past.start.replace(tzinfo=ctx.zone)
        history_days[past.person].add(start.astimezone(ctx.zone).date())
    earliest = min((d for days in history_days.values() for d in days), default=ctx.first)
    sequence = list(dates(min(earliest, ctx.first), ctx.last))
    offset = len(sequence) - len(ctx.period)  # index of the first period day
    found: list[Violation] = []
    for person in ctx.scenario.people:
        before = history_days.get(person.id, set())
        during = {w.inst.date for w in index.of(person.id)}
        flags = [day in (before if i < offset else during) for i, day in enumerate(sequence)]
        for value, begin, end in _runs(flags):
            if end < offset:
                continue  # a run wholly in the history window is not this rota's doing
            inner = begin > 0 and end < len(flags) - 1  # runs touching either end of the sequence are exempt
            problem = _run_problem(ctx.limits[person.id], value, end - begin + 1, inner)
            if problem is not None:
                found.append(_run_violation(ctx, person, problem, sequence[begin], sequence[end]))
    return found


def _run_violation(
    ctx: Context, person: Person, problem: tuple[str, int, int], first: dt.date, last: dt.date
) -> Violation:
    code, length, limit = problem
    params: dict[str, Param] = {
        "person": person.id, "count": length, "limit": limit, "first": first.isoformat(), "last": last.isoformat(),
    }
    return ctx.violation("consecutive", code, params, person=person.id, span=(ctx.at(first, 0), ctx.at(last + DAY, 0)))


def _run_problem(limits: PersonLimits, worked: bool, length: int, inner: bool) -> tuple[str, int, int] | None:
    """What is wrong with one run, if anything (code, length, limit); `inner` runs have a neighbouring day on
    both sides."""
    if worked and limits.max_consecutive_days is not None and length > limits.max_consecutive_days:
        return "consecutive.max_days", length, limits.max_consecutive_days
    if worked and inner and limits.min_consecutive_days is not None and length < limits.min_consecutive_days:
        return "consecutive.min_days", length, limits.min_consecutive_days
    off = limits.min_consecutive_days_off
    if not worked and inner and off is not None and length < off:
        return "consecutive.min_days_off", length, off
    return None

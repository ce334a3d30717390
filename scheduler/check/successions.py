"""Successions: no shift of template `then` the day after one of template `first`. docs/rules.md, "successions"."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from scheduler.check.context import DAY, Context, Index, Work
from scheduler.domain.rota import Violation


def violations(ctx: Context, index: Index) -> list[Violation]:
    found: list[Violation] = []
    for works in index.by_person.values():
        by_date: dict[dt.date, list[Work]] = defaultdict(list)
        for work in works:
            by_date[work.inst.date].append(work)
        for rule in ctx.scenario.successions:
            for first in works:
                if first.inst.shift != rule.first or rule.post not in (None, first.inst.place):
                    continue
                for then in by_date.get(first.inst.date + DAY, []):
                    if then.inst.shift == rule.then and rule.post in (None, then.inst.place):
                        found.append(_succession_violation(ctx, first, then))
    return found


def _succession_violation(ctx: Context, first: Work, then: Work) -> Violation:
    return ctx.on_work(
        "succession", then, "succession.forbidden", then_shift=then.inst.shift, **ctx.slot(first.inst, "first_")
    )

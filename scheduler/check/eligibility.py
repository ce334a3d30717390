"""Eligibility: who may take which shift (roles, posts, nights, shift limits of 0, bans; availability windows
and absences). docs/rules.md, "eligibility"."""

from __future__ import annotations

from collections.abc import Iterator

from scheduler.check.context import Context, Index, Work
from scheduler.domain.messages import Param
from scheduler.domain.rota import Violation


def _ineligible(ctx: Context, work: Work) -> Iterator[tuple[str, dict[str, Param]]]:
    """Why the person may not be on this instance, as message codes (availability and team roles are checked
    elsewhere)."""
    person = ctx.people[work.person]
    inst = work.inst
    if not person.active:
        yield "eligibility.inactive", {}
    if work.role not in person.roles:
        yield "eligibility.role", {"role": work.role}
    if person.posts is not None and inst.place not in person.posts:
        yield "eligibility.post", {}
    if inst.night and ctx.limits[person.id].nights_allowed is False:
        yield "eligibility.no_nights", {}
    for limit in person.shift_limits:
        if limit.max == 0 and limit.shift == inst.shift and limit.post in (None, inst.place):
            yield "eligibility.shift_never", {"never_shift": inst.shift}
    for ban in ctx.scenario.bans:
        if (ban.person, ban.date, ban.post) == (person.id, inst.date, inst.place) and ban.shift in (
            None,
            inst.shift,
        ):
            yield "eligibility.banned", {}


def _eligibility(ctx: Context, index: Index) -> list[Violation]:
    return [
        ctx.on_work("eligibility", work, code, **params)
        for work in index.works
        for code, params in _ineligible(ctx, work)
    ]


def _availability(ctx: Context, index: Index) -> list[Violation]:
    violations: list[Violation] = []
    for work in index.works:
        person, inst = ctx.people[work.person], work.inst
        windows = ctx.available(person)
        if windows is not None and not windows.contains(inst.start, inst.end):
            violations.append(ctx.on_work("availability", work, "availability.outside"))
        if ctx.absent(person).overlaps(inst.start, inst.end):
            violations.append(ctx.on_work("availability", work, "availability.absent"))
    return violations


def violations(ctx: Context, index: Index) -> list[Violation]:
    return _eligibility(ctx, index) + _availability(ctx, index)

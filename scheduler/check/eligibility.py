"""Eligibility: who may take which shift (roles, posts, nights, shift limits of 0, bans; availability windows
and absences). docs/rules.md, "eligibility"."""

from __future__ import annotations

from collections.abc import Iterator

from scheduler.check.context import Context, Index, Work
from scheduler.domain.rota import Violation


def _ineligible(ctx: Context, work: Work) -> Iterator[str]:
    """Why the person may not be on this instance (availability and team roles are checked elsewhere)."""
    person = ctx.people[work.person]
    inst = work.inst
    if not person.active:
        yield "the person is inactive"
    if work.role not in person.roles:
        yield f"does not hold the role {ctx.role_name(work.role)}"
    if person.posts is not None and inst.place not in person.posts:
        yield f"may not be put on {ctx.place_name(inst.place)}"
    if inst.night and ctx.limits[person.id].nights_allowed is False:
        yield "may not work night shifts"
    for limit in person.shift_limits:
        if limit.max == 0 and limit.shift == inst.shift and limit.post in (None, inst.place):
            yield f"may never work the {inst.shift} shift"
    for ban in ctx.scenario.bans:
        if (ban.person, ban.date, ban.post) == (person.id, inst.date, inst.place) and ban.shift in (
            None,
            inst.shift,
        ):
            yield "the coordinator has kept them off it that day"


def _eligibility(ctx: Context, index: Index) -> list[Violation]:
    return [
        ctx.on_work("eligibility", work, f"{ctx.who(work.person)} on {ctx.shift_text(work.inst)}: {reason}")
        for work in index.works
        for reason in _ineligible(ctx, work)
    ]


def _availability(ctx: Context, index: Index) -> list[Violation]:
    violations: list[Violation] = []
    for work in index.works:
        person, inst = ctx.people[work.person], work.inst
        windows = ctx.available(person)
        text = f"{person.name} on {ctx.shift_text(inst)}"
        if windows is not None and not windows.contains(inst.start, inst.end):
            violations.append(ctx.on_work("availability", work, f"{text}: outside their availability windows"))
        if ctx.absent(person).overlaps(inst.start, inst.end):
            violations.append(ctx.on_work("availability", work, f"{text}: overlaps an absence"))
    return violations



def violations(ctx: Context, index: Index) -> list[Violation]:
    return _eligibility(ctx, index) + _availability(ctx, index)

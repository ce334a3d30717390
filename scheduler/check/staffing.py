"""Staffing: every person-hour on duty at a post costs `weights.staffing`. docs/rules.md, "staffing"."""

from __future__ import annotations

from fractions import Fraction

from scheduler.check.context import Context, Cost, Index


def person_hours(ctx: Context, index: Index) -> dict[str, Fraction]:
    """Person-hours on duty at each post (team duties left out), in the order of the posts."""
    hours = {post.id: Fraction(0) for post in ctx.scenario.posts}
    for work in index.works:
        if work.inst.place in hours:
            hours[work.inst.place] += Fraction(work.inst.end - work.inst.start, 60)
    return hours


def costs(ctx: Context, index: Index) -> list[Cost]:
    weight = ctx.scenario.weights.staffing
    if not weight:
        return []
    return [
        ctx.cost("staffing", f"staffing:{place}", "staffing.post", {"place": place, "person_minutes": int(hours * 60)},
                 hours, hours * weight)
        for place, hours in person_hours(ctx, index).items() if hours
    ]

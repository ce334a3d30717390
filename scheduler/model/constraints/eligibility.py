"""Eligibility: who may take which shift at all (availability, absences, bans, posts, roles, nights, limits of 0).

The rule is applied by leaving variables out: `RotaVariables` creates a choice (person, shift, role) only when
`block_reason` finds nothing and `roles_for` offers the role, so an ineligible assignment cannot even be stated.
Pruning the domain is the cheapest encoding; this module is the rule, the explanation (scheduler.solve.explain)
quotes its reasons. It adds no constraints and no penalty terms, so it is not in the registry.
"""

from __future__ import annotations

import bisect

from scheduler.model.timeline import Interval, PersonInfo, ShiftInstance


def _contained(interval: Interval, merged: list[Interval]) -> bool:
    """Whether the interval lies inside one of the sorted, merged intervals."""
    position = bisect.bisect_right(merged, interval.start, key=lambda part: part.start) - 1
    return position >= 0 and interval.end <= merged[position].end


def _meets(interval: Interval, merged: list[Interval]) -> bool:
    """Whether the interval overlaps one of the sorted, merged intervals (the last one starting before its end)."""
    position = bisect.bisect_left(merged, interval.end, key=lambda part: part.start) - 1
    return position >= 0 and merged[position].end > interval.start


def block_reason(info: PersonInfo, shift: ShiftInstance) -> str | None:
    """Why the person can never take this shift, or None if they may."""
    person, limits = info.person, info.limits
    if not person.active:
        return "inactive"
    if person.posts is not None and shift.place not in person.posts:
        return f"not assigned to {shift.place}"
    if shift.roles is not None and not shift.roles & set(person.roles):
        return "does not hold a role of this team"
    if shift.night and limits.nights_allowed is False:
        return "does not do night shifts"
    interval = Interval(shift.start, shift.end)
    if info.available is not None and not _contained(interval, info.available):
        return "outside their availability"
    if _meets(interval, info.away):
        # Rare: only then look for the first listed absence it meets, for its reason.
        for absent, reason in info.absent:
            if absent.overlaps(interval):
                return f"away ({reason})" if reason else "away"
    if (shift.date, shift.place, shift.template) in info.bans or (shift.date, shift.place, None) in info.bans:
        return "banned from this shift by the coordinator"
    if (shift.place, shift.template) in info.never or (None, shift.template) in info.never:
        return f"never works shift {shift.template}"
    return None


def roles_for(info: PersonInfo, shift: ShiftInstance, relevant: set[str]) -> list[str]:
    """Roles the person may fill on the shift.

    On a post, roles no rule of that post counts are interchangeable, so only one of them is offered:
    this keeps the model free of symmetric copies.
    """
    held = list(info.person.roles)
    if shift.roles is not None:
        return [role for role in held if role in shift.roles]
    counted = [role for role in held if role in relevant]
    uncounted = [role for role in held if role not in relevant]
    return counted + uncounted[:1]

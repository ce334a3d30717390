"""Pins: the pinned person is on that instance (in that role, if given). docs/rules.md, "pins"."""

from __future__ import annotations

from scheduler.check.context import Context, Index
from scheduler.domain.rota import Violation


def violations(ctx: Context, index: Index) -> list[Violation]:
    found: list[Violation] = []
    for pin in ctx.scenario.pins:
        inst = ctx.instance(pin.post, pin.shift, pin.date)
        as_role = f" as {ctx.role_name(pin.role)}" if pin.role else ""
        if inst is None:
            what = f"{ctx.place_name(pin.post)} {pin.shift or ''} on {ctx.day_text(pin.date)}".replace("  ", " ")
            message = f"{ctx.who(pin.person)} is pinned to {what}{as_role}, which does not run that day"
            found.append(Violation(rule="pins", message=message, person=pin.person, place=pin.post))
            continue
        on = index.by_instance.get(inst.key, [])
        if not any(w.person == pin.person and pin.role in (None, w.role) for w in on):
            message = f"{ctx.who(pin.person)} is pinned to {ctx.shift_text(inst)}{as_role} but is not on it"
            found.append(
                Violation(
                    rule="pins",
                    message=message,
                    person=pin.person,
                    place=pin.post,
                    start=ctx.local(inst.start),
                    end=ctx.local(inst.end),
                )
            )
    return found

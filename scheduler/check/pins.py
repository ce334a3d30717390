"""Pins: the pinned person is on that instance (in that role, if given). docs/rules.md, "pins"."""

from __future__ import annotations

from scheduler.check.context import Context, Index
from scheduler.domain.messages import Param
from scheduler.domain.rota import Violation


def violations(ctx: Context, index: Index) -> list[Violation]:
    found: list[Violation] = []
    for pin in ctx.scenario.pins:
        inst = ctx.instance(pin.post, pin.shift, pin.date)
        if inst is None:
            params: dict[str, Param] = {
                "person": pin.person, "place": pin.post, "pinned_shift": pin.shift, "day": pin.date.isoformat(),
                "role": pin.role,
            }
            found.append(ctx.violation("pins", "pins.not_running", params, person=pin.person, place=pin.post))
            continue
        on = index.by_instance.get(inst.key, [])
        if not any(w.person == pin.person and pin.role in (None, w.role) for w in on):
            params = {"person": pin.person, **ctx.slot(inst), "role": pin.role}
            found.append(ctx.violation(
                "pins", "pins.missing", params, person=pin.person, place=pin.post, span=(inst.start, inst.end)
            ))
    return found

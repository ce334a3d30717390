"""The rota's references: its period matches the scenario's, every assignment names a real person and a shift
instance that runs, at that instance's times, at most once; breaks lie inside their shift.

Structurally broken assignments are reported here and left out of every rule's check."""

from __future__ import annotations

from scheduler.check.context import Context, Instance, InstanceKey, Work
from scheduler.domain.messages import Param
from scheduler.domain.rota import Assignment, Rota, Violation


def _header(ctx: Context, rota: Rota) -> list[Violation]:
    scenario = ctx.scenario
    expected = (scenario.start, scenario.days, scenario.timezone)
    if (rota.start, rota.days, rota.timezone) == expected:
        return []
    params: dict[str, Param] = {
        "rota_days": rota.days, "rota_start": rota.start.isoformat(), "rota_zone": rota.timezone,
        "days": scenario.days, "start_day": scenario.start.isoformat(), "zone": scenario.timezone,
    }
    return [ctx.violation("structure", "structure.period", params)]


def _resolve(ctx: Context, a: Assignment) -> Instance | tuple[str, dict[str, Param]]:
    """The assignment's instance, or what is structurally wrong with it (a code and its parameters)."""
    where: dict[str, Param] = {"person": a.person, "id_place": a.place, "id_shift": a.shift, "date": a.date.isoformat()}
    if a.person not in ctx.people:
        return "structure.unknown_person", {**where, "id_person": a.person}
    inst = ctx.instance(a.place, a.shift, a.date)
    right_kind = a.post in ctx.posts if a.post is not None else a.duty in ctx.duties  # a duty id in `post` is wrong
    if inst is not None and right_kind and a.start == inst.start_time and a.end == inst.end_time:
        return inst
    return _wrong_reference(ctx, a, inst, where)


def _wrong_reference(
    ctx: Context, a: Assignment, inst: Instance | None, where: dict[str, Param]
) -> tuple[str, dict[str, Param]]:
    if a.post is not None and a.post not in ctx.posts:
        return "structure.no_post", where
    if a.duty is not None and a.duty not in ctx.duties:
        return "structure.no_duty", where
    if a.post is not None and a.shift is None:
        return "structure.post_needs_shift", {**where, "place": a.post}
    if a.duty is not None and a.shift is not None:
        return "structure.duty_no_shift", {**where, "place": a.duty}
    if a.post is not None and all(t.id != a.shift for t in ctx.posts[a.post].shifts):
        return "structure.no_shift", {**where, "place": a.post}
    if not ctx.in_period(a.date):
        return "structure.outside_period", {
            **where, "place": a.place, "first": ctx.first.isoformat(), "last": ctx.last.isoformat()
        }
    if inst is None:
        return "structure.not_running", {**where, "place": a.place, "day": a.date.isoformat()}
    given = {
        "given_start": a.start.astimezone(ctx.zone).isoformat(), "given_end": a.end.astimezone(ctx.zone).isoformat()
    }
    return "structure.times_differ", {**where, **ctx.slot(inst), **given}


def check(ctx: Context, rota: Rota) -> tuple[list[Violation], list[Work]]:
    """Structural problems, and the sound, de-duplicated assignments every other check works on."""
    violations = _header(ctx, rota)
    works: list[Work] = []
    seen: set[tuple[str, InstanceKey]] = set()
    for a in rota.assignments:
        resolved = _resolve(ctx, a)
        if not isinstance(resolved, Instance):
            code, params = resolved
            violations.append(
                ctx.violation("structure", code, params, person=a.person, place=a.place, moments=(a.start, a.end))
            )
            continue
        work = Work(a.person, a.role, resolved, a)
        if (a.person, resolved.key) in seen:
            violations.append(ctx.on_work("structure", work, "structure.twice"))
            continue
        seen.add((a.person, resolved.key))
        works.append(work)
        for pause in a.breaks:
            if not (a.start <= pause.start < pause.end <= a.end):
                violations.append(ctx.on_work("structure", work, "structure.break_outside"))
    return violations, works

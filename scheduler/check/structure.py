"""The rota's references: its period matches the scenario's, every assignment names a real person and a shift
instance that runs, at that instance's times, at most once; breaks lie inside their shift.

Structurally broken assignments are reported here and left out of every rule's check."""

from __future__ import annotations

from scheduler.check.context import Context, Instance, InstanceKey, Work
from scheduler.domain.rota import Assignment, Rota, Violation


def _header(ctx: Context, rota: Rota) -> list[Violation]:
    scenario = ctx.scenario
    expected = (scenario.start, scenario.days, scenario.timezone)
    if (rota.start, rota.days, rota.timezone) == expected:
        return []
    message = (
        f"the rota is for {rota.days} days from {rota.start} in {rota.timezone}, but the scenario is for "
        f"{scenario.days} days from {scenario.start} in {scenario.timezone}"
    )
    return [Violation(rule="structure", message=message)]


def _resolve(ctx: Context, a: Assignment) -> Instance | str:
    """The assignment's instance, or what is structurally wrong with it."""
    if a.person not in ctx.people:
        return f"assignment to {a.place} on {a.date} names an unknown person {a.person!r}"
    inst = ctx.instance(a.place, a.shift, a.date)
    right_kind = a.post in ctx.posts if a.post is not None else a.duty in ctx.duties  # a duty id in `post` is wrong
    if inst is not None and right_kind and a.start == inst.start_time and a.end == inst.end_time:
        return inst
    where = f"{ctx.who(a.person)} on {a.place} {a.shift or ''} {a.date}".replace("  ", " ")
    return f"{where}: {_wrong_reference(ctx, a, inst)}"


def _wrong_reference(ctx: Context, a: Assignment, inst: Instance | None) -> str:
    if a.post is not None and a.post not in ctx.posts:
        return f"there is no post {a.post!r}"
    if a.duty is not None and a.duty not in ctx.duties:
        return f"there is no team duty {a.duty!r}"
    if a.post is not None and a.shift is None:
        return "an assignment to a post needs a shift"
    if a.duty is not None and a.shift is not None:
        return "a team duty has no shifts"
    if a.post is not None and all(t.id != a.shift for t in ctx.posts[a.post].shifts):
        return f"post {ctx.place_name(a.post)} has no shift {a.shift!r}"
    if not ctx.in_period(a.date):
        return f"{a.date} is outside the period {ctx.first} – {ctx.last}"
    if inst is None:
        return f"that shift does not run on {ctx.day_text(a.date)}"
    return (
        f"times {a.start.isoformat()} – {a.end.isoformat()} differ from the shift's "
        f"{ctx.span_text(inst.start, inst.end)}"
    )


def check(ctx: Context, rota: Rota) -> tuple[list[Violation], list[Work]]:
    """Structural problems, and the sound, de-duplicated assignments every other check works on."""
    violations = _header(ctx, rota)
    works: list[Work] = []
    seen: set[tuple[str, InstanceKey]] = set()
    for a in rota.assignments:
        resolved = _resolve(ctx, a)
        if isinstance(resolved, str):
            violations.append(
                Violation(
                    rule="structure",
                    message=resolved,
                    person=a.person,
                    place=a.place,
                    start=a.start,
                    end=a.end,
                )
            )
            continue
        work = Work(a.person, a.role, resolved, a)
        if (a.person, resolved.key) in seen:
            message = f"{ctx.who(a.person)} is assigned twice to {ctx.shift_text(resolved)}"
            violations.append(ctx.on_work("structure", work, message))
            continue
        seen.add((a.person, resolved.key))
        works.append(work)
        for pause in a.breaks:
            if not (a.start <= pause.start < pause.end <= a.end):
                message = f"{ctx.who(a.person)}'s break on {ctx.shift_text(resolved)} lies outside the shift"
                violations.append(ctx.on_work("structure", work, message))
    return violations, works

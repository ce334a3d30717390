"""Team duties: exactly `teams` people per listed role on each duty instance, nobody else. docs/rules.md, "teams"."""

from __future__ import annotations

from scheduler.check.context import Context, Index, Instance, Work
from scheduler.domain.community import TeamDuty
from scheduler.domain.rota import Violation


def violations(ctx: Context, index: Index) -> list[Violation]:
    found: list[Violation] = []
    for duty in ctx.scenario.team_duties:
        for day in ctx.period:
            inst = ctx.instance(duty.id, None, day)
            if inst is not None:
                found += _team_on(ctx, duty, inst, index.by_instance.get(inst.key, []))
    return found


def _team_on(ctx: Context, duty: TeamDuty, inst: Instance, works: list[Work]) -> list[Violation]:
    found: list[str] = []
    for role in duty.roles:
        count = sum(w.role == role for w in works)
        if count != duty.teams:
            found.append(f"{count} {ctx.role_name(role)} on duty, exactly {duty.teams} needed")
    for work in works:
        if work.role not in duty.roles:
            found.append(f"{ctx.who(work.person)} is on it as {ctx.role_name(work.role)}, which the duty does not need")
    start, end = ctx.local(inst.start), ctx.local(inst.end)
    return [
        Violation(rule="teams", message=f"{ctx.shift_text(inst)}: {m}", place=duty.id, start=start, end=end)
        for m in found
    ]

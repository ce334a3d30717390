"""Team duties: exactly `teams` people per listed role on each duty instance, nobody else. docs/rules.md, "teams"."""

from __future__ import annotations

from scheduler.check.context import Context, Index, Instance, Work
from scheduler.domain.community import TeamDuty
from scheduler.domain.messages import Param
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
    found: list[tuple[str, dict[str, Param]]] = []
    for role in duty.roles:
        count = sum(w.role == role for w in works)
        if count != duty.teams:
            found.append(("teams.count", {"role": role, "count": count, "need": duty.teams}))
    for work in works:
        if work.role not in duty.roles:
            found.append(("teams.role", {"person": work.person, "role": work.role}))
    return [
        ctx.violation("teams", code, {**ctx.slot(inst), **params}, place=duty.id, span=(inst.start, inst.end))
        for code, params in found
    ]

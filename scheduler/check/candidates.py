"""Who could take one shift instance of a rota: the checker's own per-person rules (eligibility, availability,
rest, workload, consecutive days, successions) asked for each person as if they were added to it.

For pick-lists (the web's adjust page): cheap, one pass over the people. Rules between people (pairs, teams,
coverage, meal breaks) are left to the full check after the change.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from scheduler.check import consecutive, eligibility, rest, structure, successions, workload
from scheduler.check.context import Context, Index, Instance, Work
from scheduler.domain.people import PastAssignment, Person
from scheduler.domain.rota import Assignment, Rota, Violation
from scheduler.domain.scenario import Scenario

REASONS = ("role", "post", "time", "busy", "limits")
"""Why a person may not take the slot, in the order a page lists them: no fitting role, not one of their posts,
outside their availability or away, already on this shift or on another then, over a limit (nights, rest,
hours, shifts, consecutive days, a ban, a shift they never work)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One active person and why they may not take the slot (empty: they may)."""

    person: str
    role: str | None
    """The role they would fill: the slot's when they hold it, else their first role the place takes."""
    reasons: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons


_ELIGIBILITY_REASON = {"eligibility.role": "role", "eligibility.post": "post"}
_LIMIT_RULES = (rest.violations, workload.violations, consecutive.violations, successions.violations)


def slot_candidates(
    scenario: Scenario, rota: Rota, place: str, shift: str | None, date: dt.date, role: str | None = None,
) -> list[Candidate]:
    """Every active person, in the scenario's order, with why they may not be added to the shift instance
    (`place`, `shift`, `date`) in `role` (None: any role the place takes). Empty when the instance does not run."""
    ctx = Context(scenario)
    inst = ctx.instance(place, shift or None, date)
    if inst is None:
        return []
    _, works = structure.check(ctx, rota)
    by_person: dict[str, list[Work]] = defaultdict(list)
    for work in works:
        by_person[work.person].append(work)
    history: dict[str, list[PastAssignment]] = defaultdict(list)
    for past in scenario.history:
        history[past.person].append(past)
    duty = ctx.duties.get(place)
    allowed = set(duty.roles) if duty is not None else None
    found = []
    for person in scenario.people:
        if not person.active:
            continue
        taken = _role(person, role, allowed)
        reasons: set[str] = set()
        if taken is None:
            reasons.add("role")
            taken = person.roles[0]
        own = by_person.get(person.id, [])
        if any(w.inst.key == inst.key for w in own):
            reasons.add("busy")
        else:
            reasons |= _added(ctx, person, inst, taken, own, history.get(person.id, []))
        found.append(Candidate(person.id, taken if "role" not in reasons else None,
                               tuple(r for r in REASONS if r in reasons)))
    return found


def _role(person: Person, role: str | None, allowed: set[str] | None) -> str | None:
    if role is not None:
        return role if role in person.roles and (allowed is None or role in allowed) else None
    return next((r for r in person.roles if allowed is None or r in allowed), None)


def _added(
    ctx: Context, person: Person, inst: Instance, role: str, own: list[Work], history: list[PastAssignment]
) -> set[str]:
    """The reasons the checker's per-person rules find against the person once on `inst` and not before."""
    source = Assignment(
        person=person.id, post=inst.place if inst.place in ctx.posts else None,
        duty=inst.place if inst.place in ctx.duties else None, shift=inst.shift, role=role, date=inst.date,
        start=inst.start_time, end=inst.end_time,
    )
    new = Work(person.id, role, inst, source)
    reasons: set[str] = set()
    for code, _ in eligibility._ineligible(ctx, new):
        reasons.add(_ELIGIBILITY_REASON.get(code, "limits"))
    windows = ctx.available(person)
    if (windows is not None and not windows.contains(inst.start, inst.end)) or ctx.absent(person).overlaps(
        inst.start, inst.end
    ):
        reasons.add("time")
    # The rules walk the scenario's people and history: a shallow copy of the context narrowed to this person
    # keeps them to one person (the caches are shared) and makes the check per person cheap.
    narrow = copy.copy(ctx)
    narrow.scenario = ctx.scenario.model_copy(update={"people": [person], "history": history})
    before = _codes(narrow, Index(list(own)))
    for code in _codes(narrow, Index([*own, new])) - before:
        reasons.add("busy" if code.startswith("overlap.") else "limits")
    return reasons


def _codes(ctx: Context, index: Index) -> set[str]:
    found: list[Violation] = []
    for rule in _LIMIT_RULES:
        found += rule(ctx, index)
    # A total below its minimum only shrinks with one more shift: it never keeps anyone off.
    return {v.code + repr(sorted(v.params.items())) if not v.code.startswith("overlap.") else v.code + str(v.start)
            for v in found if v.code != "workload.total_min"}

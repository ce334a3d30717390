"""Hand adjustments of a rota: what a coordinator may ask for (pin, move, remove, add, swap, a meal break's time)
and how each changes the scenario and rota. Pure: nothing is stored or checked here (`web.rota.drafts` does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scheduler import Assignment, Break, Pin, Rota, Scenario, quiet_breaks, shift_slots

# ------------------------------------------------------------------------------------------------ errors


class RotaProblem(Exception):
    """A request that cannot be carried out, with the field it concerns and a message key (web/rota/messages.py).

    `field` is a dotted path inside the adjustment ('assignment.person', 'to_person', 'role', ...), or '' when it
    concerns the week as a whole. `code` names the message `rota.problem.<code>`; `values` fill it in.
    """

    def __init__(self, code: str, field: str = "", status: int = 422, **values: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.status = status
        self.values = values


# ------------------------------------------------------------------------------------------- adjustments


class Slot(BaseModel):
    """One shift instance: a post's shift (or a team duty) on a date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    place: str = Field(min_length=1, max_length=64, description="Post or team duty id.")
    shift: str | None = Field(default=None, max_length=64, description="Shift template id; omit for a team duty.")
    date: dt.date = Field(description="Local date the shift starts.")


class AssignmentRef(Slot):
    """One person on one shift instance (a person is on an instance at most once)."""

    person: str = Field(min_length=1, max_length=64, description="Person id.")


class PinAdjustment(BaseModel):
    """Pin an assignment (the validator then requires it) or unpin it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["pin", "unpin"] = Field(description="'pin' or 'unpin'.")
    assignment: AssignmentRef = Field(description="The assignment.")


class MoveAdjustment(BaseModel):
    """Give an assignment to another person: same shift and meal-break time; the same role when they hold it,
    else their own first role (the checker tells whether coverage needed the old one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["move"] = Field(description="'move'.")
    assignment: AssignmentRef = Field(description="The assignment to hand over.")
    to_person: str = Field(min_length=1, max_length=64, description="Person id who takes it.")


class RemoveAdjustment(BaseModel):
    """Take a person off a shift."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["remove"] = Field(description="'remove'.")
    assignment: AssignmentRef = Field(description="The assignment to remove.")


class AddAdjustment(BaseModel):
    """Put a person on a shift instance in a role; their meal breaks are placed where fewest others are away."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["add"] = Field(description="'add'.")
    slot: Slot = Field(description="The shift instance.")
    person: str = Field(min_length=1, max_length=64, description="Person id.")
    role: str = Field(min_length=1, max_length=64, description="Role id the person fills.")


class SwapAdjustment(BaseModel):
    """Two people exchange assignments: each takes the other's shift (roles as for a move)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["swap"] = Field(description="'swap'.")
    first: AssignmentRef = Field(description="One assignment.")
    second: AssignmentRef = Field(description="The other assignment (another person's).")


class BreakAdjustment(BaseModel):
    """Move one of an assignment's meal breaks to another start, keeping its length (the checker tells whether the
    new time fits the meal window and leaves the post staffed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["break"] = Field(description="'break'.")
    assignment: AssignmentRef = Field(description="The assignment whose break moves.")
    index: int = Field(default=0, ge=0, le=9, description="Which of its breaks, 0 = the earliest.")
    start: dt.datetime = Field(description="The break's new start, ISO 8601 with offset; within the shift.")

    @field_validator("start")
    @classmethod
    def _aware(cls, start: dt.datetime) -> dt.datetime:
        if start.tzinfo is None:
            raise ValueError("give the start with its UTC offset, e.g. 2026-12-07T12:00:00+08:00")
        return start


Adjustment = Annotated[
    PinAdjustment | MoveAdjustment | RemoveAdjustment | AddAdjustment | SwapAdjustment | BreakAdjustment,
    Field(discriminator="kind"),
]
"""One hand change to a draft, told apart by `kind`."""


# ----------------------------------------------------------------------------------- applying a change


def apply_adjustment(scenario: Scenario, rota: Rota, adjustment: Adjustment) -> tuple[Scenario, Rota]:
    """The scenario and rota after one adjustment (pure: nothing is stored). Raises RotaProblem."""
    match adjustment:
        case PinAdjustment():
            return _pin(scenario, rota, adjustment)
        case MoveAdjustment():
            return scenario, _move(scenario, rota, adjustment)
        case RemoveAdjustment():
            index = _find(rota, adjustment.assignment, "assignment", unpinned=True)
            return scenario, _replace(rota, {index: None})
        case AddAdjustment():
            return scenario, _add(scenario, rota, adjustment)
        case SwapAdjustment():
            return scenario, _swap(scenario, rota, adjustment)
        case BreakAdjustment():
            return scenario, _retime(rota, adjustment)


def _find(rota: Rota, ref: AssignmentRef, field: str, *, unpinned: bool = False) -> int:
    for index, a in enumerate(rota.assignments):
        if (a.person, a.place, a.shift, a.date) == (ref.person, ref.place, ref.shift or None, ref.date):
            if unpinned and a.pinned:
                raise RotaProblem("pinned", field)
            return index
    raise RotaProblem("no_assignment", field)


def _replace(rota: Rota, changes: dict[int, Assignment | None], extra: Iterable[Assignment] = ()) -> Rota:
    kept = [changes.get(i, a) for i, a in enumerate(rota.assignments)]
    assignments = [a for a in kept if a is not None] + list(extra)
    assignments.sort(key=lambda a: (a.start, a.place, a.person))
    return rota.model_copy(update={"assignments": assignments})


def _person_known(scenario: Scenario, person_id: str, field: str) -> None:
    if all(p.id != person_id for p in scenario.people):
        raise RotaProblem("unknown_person", field, person=person_id)


def _not_on(rota: Rota, person_id: str, a: Assignment, field: str) -> None:
    if any((b.person, b.place, b.shift, b.date) == (person_id, a.place, a.shift, a.date) for b in rota.assignments):
        raise RotaProblem("already_on", field, person=person_id)


def _pin(scenario: Scenario, rota: Rota, change: PinAdjustment) -> tuple[Scenario, Rota]:
    index = _find(rota, change.assignment, "assignment")
    a = rota.assignments[index]
    same = [p for p in scenario.pins if (p.person, p.date, p.post, p.shift) == (a.person, a.date, a.place, a.shift)]
    others = [p for p in scenario.pins if p not in same]
    pins = [*others, Pin(person=a.person, date=a.date, post=a.place, shift=a.shift, role=a.role)]
    if change.kind == "unpin":
        pins = others
    new_scenario = scenario.model_copy(update={"pins": pins})
    return new_scenario, _replace(rota, {index: a.model_copy(update={"pinned": change.kind == "pin"})})


def _meal_length(scenario: Scenario, a: Assignment, person_id: str) -> int | None:
    rule = next((r for r in scenario.meal_rules if r.post == a.place), None)
    if rule is None:
        return None
    person = next((p for p in scenario.people if p.id == person_id), None)
    meal_minutes = person.meal_minutes if person is not None else None
    return meal_minutes if meal_minutes is not None else rule.minutes  # the engine's break length


def _role_for(scenario: Scenario, a: Assignment, person_id: str) -> str:
    """The slot's role when the person holds it; else the first role they hold that the place takes."""
    person = next((p for p in scenario.people if p.id == person_id), None)
    if person is None or a.role in person.roles:
        return a.role
    duty = next((d for d in scenario.team_duties if d.id == a.duty), None)
    allowed = [r for r in person.roles if duty is None or r in duty.roles]
    return allowed[0] if allowed else a.role


def _handed_over(scenario: Scenario, a: Assignment, person_id: str) -> Assignment:
    """The assignment given to another person: same slot and break starts, breaks as long as theirs, and the
    slot's role when they hold it (else a role of theirs: the checker then tells whether the role mattered)."""
    length = _meal_length(scenario, a, person_id)
    breaks = a.breaks
    if length is not None:
        breaks = [Break(start=b.start, end=b.start + dt.timedelta(minutes=length)) for b in a.breaks]
    role = _role_for(scenario, a, person_id)
    return a.model_copy(update={"person": person_id, "breaks": breaks, "pinned": False, "role": role})


def _move(scenario: Scenario, rota: Rota, change: MoveAdjustment) -> Rota:
    index = _find(rota, change.assignment, "assignment", unpinned=True)
    _person_known(scenario, change.to_person, "to_person")
    a = rota.assignments[index]
    _not_on(rota, change.to_person, a, "to_person")
    return _replace(rota, {index: _handed_over(scenario, a, change.to_person)})


def _swap(scenario: Scenario, rota: Rota, change: SwapAdjustment) -> Rota:
    first = _find(rota, change.first, "first", unpinned=True)
    second = _find(rota, change.second, "second", unpinned=True)
    a, b = rota.assignments[first], rota.assignments[second]
    if a.person == b.person:
        raise RotaProblem("same_person", "second")
    _not_on(rota, a.person, b, "second")
    _not_on(rota, b.person, a, "first")
    return _replace(rota, {first: _handed_over(scenario, a, b.person), second: _handed_over(scenario, b, a.person)})


def _retime(rota: Rota, change: BreakAdjustment) -> Rota:
    index = _find(rota, change.assignment, "assignment")
    a = rota.assignments[index]
    breaks = sorted(a.breaks, key=lambda b: b.start)
    if change.index >= len(breaks):
        raise RotaProblem("no_break", "index")
    old = breaks[change.index]
    new = Break(start=change.start, end=change.start + (old.end - old.start))
    if new.start < a.start or new.end > a.end:
        raise RotaProblem("break_outside", "start")
    breaks[change.index] = new
    return _replace(rota, {index: a.model_copy(update={"breaks": sorted(breaks, key=lambda b: b.start)})})


def _add(scenario: Scenario, rota: Rota, change: AddAdjustment) -> Rota:
    _person_known(scenario, change.person, "person")
    if all(r.id != change.role for r in scenario.roles):
        raise RotaProblem("unknown_role", "role", role=change.role)
    slot = change.slot
    shift = next(
        (s for s in shift_slots(scenario) if (s.place, s.shift, s.date) == (slot.place, slot.shift or None, slot.date)),
        None,
    )
    if shift is None:
        raise RotaProblem("no_shift", "slot")
    a = Assignment(
        person=change.person, post=None if shift.is_duty else shift.place, duty=shift.place if shift.is_duty else None,
        shift=shift.shift, role=change.role, date=shift.date, start=shift.start, end=shift.end,
    )
    _not_on(rota, change.person, a, "person")
    return _replace(rota, {}, [a.model_copy(update={"breaks": quiet_breaks(scenario, rota, a)})])

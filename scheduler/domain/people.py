"""People, their limits, availability, absences and wishes; pairs, successions, pins and bans."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Literal, Self

from pydantic import ConfigDict, Field, field_validator, model_validator

from scheduler.domain import limits as L
from scheduler.domain.base import Day, Identifier, StrictModel, _check_days_unique
from scheduler.domain.clock import ClockTime, LocalDateTime, Weekday
from scheduler.domain.problems import problem
from scheduler.domain.text import Label, Note, Phone


class PersonLimits(StrictModel):
    """Working-time limits of a person, of a role's holders, or of everyone (the scenario's `default_limits`).

    A person's unset fields come from their roles' limits (the strictest, when several roles set one field), else
    from the scenario's `default_limits`: see `Scenario.limits_of`.
    """

    max_hours_per_week: float | None = Field(default=None, ge=0, description="Max hours in each 7-day week.")
    max_shifts_per_week: int | None = Field(default=None, ge=0, description="Max shifts in each 7-day week.")
    min_hours_total: float | None = Field(default=None, ge=0, description="Min hours over the whole period.")
    max_hours_total: float | None = Field(default=None, ge=0, description="Max hours over the whole period.")
    max_consecutive_days: int | None = Field(default=None, ge=1, description="Max working days in a row.")
    min_consecutive_days: int | None = Field(
        default=None, ge=1, description="Min working days in a row (a run cut by the period's ends is exempt)."
    )
    min_consecutive_days_off: int | None = Field(
        default=None, ge=1, description="Min days off in a row between two working days."
    )
    min_rest_hours: float | None = Field(
        default=None, ge=0, le=72, description="Min hours between the end of one shift and the start of the next."
    )
    max_nights_per_week: int | None = Field(default=None, ge=0, description="Max night shifts in each week.")
    max_weekends: int | None = Field(
        default=None, ge=0, description="Max weekends worked in the period (a weekend counts if Sat or Sun is)."
    )
    nights_allowed: bool | None = Field(default=None, description="False: never give this person night shifts.")


def strictest(limits: Iterable[PersonLimits]) -> PersonLimits:
    """Each field's strictest value among `limits` (unset where none sets it): the smallest `max_*`, the largest
    `min_*`, and nights not allowed when any says so."""
    merged: dict[str, object] = {}
    for item in limits:
        for name, value in item.model_dump(exclude_none=True).items():
            old = merged.get(name)
            merged[name] = value if old is None else _stricter(name, old, value)
    return PersonLimits.model_validate(merged)


def _stricter(name: str, a: Any, b: Any) -> Any:
    if name.startswith("max_"):
        return min(a, b)
    if name.startswith("min_"):
        return max(a, b)
    if name == "nights_allowed":
        return a and b
    raise AssertionError(f"no strictness order for the limit {name!r}")


class ShiftCountLimit(StrictModel):
    """At most `max` shifts of one kind over the period (0 forbids that shift to the person)."""

    shift: Identifier = Field(description="Shift template id.")
    post: Identifier | None = Field(default=None, description="Post of the shift; omit to match any post.")
    max: int = Field(ge=0, description="Max number of these shifts in the period.")


class WeeklyWindow(StrictModel):
    """A recurring window of availability, e.g. Mon–Fri 07:00–18:00."""

    days: list[Weekday] = Field(
        min_length=1, json_schema_extra={"uniqueItems": True}, description="Weekdays on which the window opens."
    )
    start: ClockTime = Field(description="Local start, 'HH:MM'.")
    end: ClockTime = Field(description="Local end, 'HH:MM'; at or before start means the next day.")

    _check_days = field_validator("days")(_check_days_unique)

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.start == self.end:
            raise problem("window_empty", "window is empty: start equals end")
        return self


class Absence(StrictModel):
    """A dated exception: the person is unavailable on a day, a range of days, or part of each such day."""

    date: Day = Field(description="First day of the absence.")
    until: Day | None = Field(default=None, description="Last day (inclusive); omit for one day.")
    start: ClockTime | None = Field(default=None, description="Start time on each day; omit for all day.")
    end: ClockTime | None = Field(default=None, description="End time on each day; omit for all day.")
    reason: Note | None = Field(
        default=None, description="Shown to the coordinator, never to others (at most 200 characters)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.until is not None and self.until < self.date:
            raise problem(
                "until_before_date", "'until' ({until}) is before 'date' ({date})", until=str(self.until),
                date=str(self.date),
            )
        if (self.start is None) != (self.end is None):
            raise problem("absence_times", "give both 'start' and 'end', or neither for the whole day")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise problem("absence_order", "'end' must be after 'start' (split an absence across midnight into two)")
        return self


class PreferenceKind(StrEnum):
    WANTS = "wants"
    AVOIDS = "avoids"


class Preference(StrictModel):
    """A wish, weighted: wants or avoids a particular shift, a date, a weekday, or night shifts.

    Exactly one of `date` (optionally with `shift`), `weekday` or `nights` is given. Costs, times `weight`:
    a wanted shift or date not worked, 1; an avoided shift or date worked, 1; a wanted weekday: each such day in
    the period not worked; an avoided weekday: each such day worked; avoided nights: each night shift worked;
    wanted nights: each shift worked that is not a night shift.
    """

    kind: PreferenceKind = Field(description="'wants' or 'avoids'.")
    date: Day | None = Field(default=None, description="The date (with 'shift': that shift on that date).")
    shift: Identifier | None = Field(default=None, description="Shift template id; needs 'date'.")
    post: Identifier | None = Field(default=None, description="Post of the shift; omit to match any post.")
    weekday: Weekday | None = Field(default=None, description="A weekday, every week.")
    nights: bool = Field(default=False, description="True: the wish is about night shifts.")
    weight: int = Field(default=1, ge=1, le=1000, description="Cost of each unmet wish.")

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        targets = [self.date is not None, self.weekday is not None, self.nights]
        if sum(targets) != 1:
            raise problem("wish_kind", "give exactly one of: 'date' (optionally with 'shift'), 'weekday', 'nights'")
        if self.shift is not None and self.date is None:
            raise problem("wish_shift_needs_date", "'shift' needs a 'date'")
        if self.post is not None and self.shift is None:
            raise problem("wish_post_needs_shift", "'post' goes with 'shift'")
        return self


class Person(StrictModel):
    """A volunteer, party member or staff member who can be put on the rota."""

    id: Identifier = Field(description="Id used in pins, pairs and history.")
    name: Label = Field(min_length=1, description="Display name (at most 64 characters).")
    roles: list[Identifier] = Field(
        max_length=L.MAX_PERSON_ITEMS, min_length=1, description="Roles held; on a shift a person fills one of them."
    )
    phone: Phone | None = Field(default=None, description="Phone number for the coordinator.")
    language: Literal["zh", "en"] = Field(default="zh", description="Language of the person's calendar.")
    posts: list[Identifier] | None = Field(
        max_length=L.MAX_PERSON_ITEMS, default=None,
        description="Posts and duties this person may be put on; omit for all."
    )
    limits: PersonLimits = Field(
        default_factory=PersonLimits,
        description="The person's own limits, overriding their roles' and the scenario's defaults.",
    )
    shift_limits: list[ShiftCountLimit] = Field(
        max_length=L.MAX_PERSON_ITEMS, default_factory=list, description="Per-shift-kind maximums."
    )
    availability: list[WeeklyWindow] = Field(
        max_length=L.MAX_PERSON_ITEMS, default_factory=list,
        description="Weekly windows when the person can work; empty means any time."
    )
    absences: list[Absence] = Field(
        max_length=L.MAX_PERSON_ITEMS, default_factory=list, description="Dated exceptions when unavailable."
    )
    preferences: list[Preference] = Field(
        max_length=L.MAX_PERSON_ITEMS, default_factory=list, description="Weighted wishes."
    )
    active: bool = Field(default=True, description="False: kept on file but never scheduled.")
    meal_minutes: int | None = Field(
        default=None, ge=5, le=240,
        description="Own meal-break length (travel home and back plus eating); overrides the meal rule's.",
    )


class PairKind(StrEnum):
    APART = "apart"
    TOGETHER = "together"


class PairRule(StrictModel):
    """Two people who must never be on duty at the same time, or who should work together.

    `apart` is hard (two parents of one child). `together` is soft: each shift the first person works without
    the second on the same shift costs `weight` (a newcomer with an experienced member).
    """

    kind: PairKind = Field(description="'apart' or 'together'.")
    people: tuple[Identifier, Identifier] = Field(description="The two person ids.")
    weight: int = Field(default=10, ge=1, le=10000, description="Cost per shift apart (for 'together').")

    @model_validator(mode="after")
    def _different(self) -> Self:
        if self.people[0] == self.people[1]:
            raise problem("pair_two_people", "a pair needs two different people")
        return self


class Succession(StrictModel):
    """Shift `to` may not be worked the day after shift `from` (e.g. no early shift after a late one)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    first: Identifier = Field(alias="from", description="Shift template id worked on one day.")
    then: Identifier = Field(alias="to", description="Shift template id that may not follow on the next day.")
    post: Identifier | None = Field(default=None, description="Post of both shifts; omit to match any post.")


class Pin(StrictModel):
    """The coordinator puts a person on a shift (post or team duty) on a date."""

    person: Identifier = Field(description="Person id.")
    date: Day = Field(description="Date the shift starts.")
    post: Identifier = Field(description="Post or team duty id.")
    shift: Identifier | None = Field(default=None, description="Shift template id (omit for a team duty).")
    role: Identifier | None = Field(default=None, description="Role to fill; omit to let the engine choose.")


class Ban(StrictModel):
    """The coordinator keeps a person off a post (or one of its shifts) on a date."""

    person: Identifier = Field(description="Person id.")
    date: Day = Field(description="Date.")
    post: Identifier = Field(description="Post or team duty id.")
    shift: Identifier | None = Field(default=None, description="Shift template id; omit for every shift.")


class PastAssignment(StrictModel):
    """A shift from the previous rota, so rest and consecutive-day rules hold across the boundary."""

    person: Identifier = Field(description="Person id.")
    start: LocalDateTime = Field(description="Start, ISO 8601; without an offset it is read in the scenario's zone.")
    end: LocalDateTime = Field(description="End, ISO 8601, with an offset when the start has one.")
    post: Identifier | None = Field(default=None, description="Post, for the record.")
    night: bool = Field(default=False, description="Whether it counted as a night shift.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        start, end = self.start, self.end
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise problem("history_offsets", "give an offset on both 'start' and 'end', or on neither")
        if end <= start:
            raise problem("end_after_start", "'end' must be after 'start'")
        return self

"""The scenario a coordinator describes, and the rota the engine returns.

Everything a scenario file may say is defined here, with a description on every field: these models are the
documentation of the file format, and `rota schema` prints them as JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Collection
from enum import StrEnum
from functools import partial
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from scheduler.timeutil import ALL_WEEKDAYS, MINUTES_PER_DAY, ClockTime, Weekday, format_clock

Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\s:/,]+$"),
]
"""An id used to refer to a thing elsewhere in the scenario: no spaces, colons, commas or slashes."""

MAX_PERIOD_DAYS = 366


class StrictModel(BaseModel):
    """Unknown fields are errors: a typo in a scenario file must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(StrictModel):
    """A display name in Chinese and English. A plain string is accepted and used for both."""

    zh: str = Field(min_length=1, description="Chinese text.")
    en: str = Field(min_length=1, description="English text.")

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: object) -> object:
        if isinstance(value, str):
            return {"zh": value, "en": value}
        return value

    def text(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


def _check_days_unique(days: list[Weekday]) -> list[Weekday]:
    if len(set(days)) != len(days):
        raise ValueError("a weekday is listed twice")
    return days


# --------------------------------------------------------------------------------------------- community


class Role(StrictModel):
    """A role people hold (party member, security officer, health officer...)."""

    id: Identifier = Field(description="Id used in people, coverage rules and team duties.")
    name: LocalizedText = Field(description="Display name in Chinese and English.")
    mark: str | None = Field(
        default=None, max_length=4, description="Short mark shown beside names on the printed rota (e.g. '安')."
    )
    lead: bool = Field(
        default=False,
        description="Holders lead their shift: the printed rota names them as the one to call. Without any lead "
        "role, a role named like a lead (组长, 班长, leader...) counts, else the security officer, else the party "
        "member.",
    )


class ShiftTemplate(StrictModel):
    """A shift that repeats on given weekdays at a post, e.g. 08:00 for 8 hours."""

    id: Identifier = Field(description="Id of the shift, unique within its post (e.g. 'day').")
    name: LocalizedText | None = Field(default=None, description="Display name; defaults to the times.")
    start: ClockTime = Field(description="Local start time, 'HH:MM'.")
    hours: float = Field(gt=0, le=24, description="Length in hours (up to 24); the shift may cross midnight.")
    days: list[Weekday] = Field(
        default_factory=lambda: list(ALL_WEEKDAYS), min_length=1, description="Weekdays on which the shift runs."
    )
    night: bool | None = Field(
        default=None,
        description="Whether this counts as a night shift. Default: it overlaps the scenario's night window.",
    )

    _check_days = field_validator("days")(_check_days_unique)

    @field_validator("hours")
    @classmethod
    def _whole_minutes(cls, hours: float) -> float:
        if abs(hours * 60 - round(hours * 60)) > 1e-9:
            raise ValueError("shift length must be a whole number of minutes")
        return hours

    @property
    def minutes(self) -> int:
        return round(self.hours * 60)

    def label(self) -> str:
        end = (self.start + self.minutes) % MINUTES_PER_DAY
        return f"{format_clock(self.start)}–{format_clock(end if end else MINUTES_PER_DAY)}"


class Post(StrictModel):
    """A place that is staffed: the checkpoint at the entrance, a grid post, a gate."""

    id: Identifier = Field(description="Id of the post.")
    name: LocalizedText = Field(description="Display name.")
    location: str | None = Field(default=None, description="Address or description shown in calendars.")
    shifts: list[ShiftTemplate] = Field(min_length=1, description="The shifts worked at this post.")

    @field_validator("shifts")
    @classmethod
    def _unique_shift_ids(cls, shifts: list[ShiftTemplate]) -> list[ShiftTemplate]:
        seen: set[str] = set()
        for shift in shifts:
            if shift.id in seen:
                raise ValueError(f"shift id {shift.id!r} is used twice in this post")
            seen.add(shift.id)
        return shifts


class TimeWindow(StrictModel):
    """A daily time window 'start'–'end'; an end at or before the start means it runs past midnight."""

    start: ClockTime = Field(description="Local start time, 'HH:MM'.")
    end: ClockTime = Field(description="Local end time, 'HH:MM' (24:00 allowed; before start = next day).")

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.start == self.end % MINUTES_PER_DAY and self.start == self.end:
            raise ValueError("window is empty: start equals end")
        return self

    @property
    def minutes(self) -> int:
        """Length of the window in minutes."""
        return (self.end - self.start) if self.end > self.start else self.end + MINUTES_PER_DAY - self.start

    def label(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end)}"


class CoverageRule(StrictModel):
    """How many people a post needs, in a daily time window or on one of its shifts.

    With `window`, the count must hold at every minute of the window (costs are per missing person-hour).
    With `shift`, it counts the people on that shift (costs are per missing person).
    """

    id: str | None = Field(default=None, description="Optional name used in penalties and explanations.")
    post: Identifier = Field(description="The post this rule is for.")
    days: list[Weekday] = Field(default_factory=lambda: list(ALL_WEEKDAYS), min_length=1, description="Weekdays.")
    dates: list[dt.date] | None = Field(
        default=None, description="Only on these dates (a window starting on them); the weekdays must match too."
    )
    window: TimeWindow | None = Field(default=None, description="Daily window; omit to cover the whole day.")
    shift: Identifier | None = Field(default=None, description="Count the people on this shift instead.")
    role: Identifier | None = Field(default=None, description="Count only people filling this role.")
    min: int = Field(default=0, ge=0, le=1000, description="Minimum number of people.")
    max: int | None = Field(default=None, ge=0, le=1000, description="Maximum number of people.")
    min_cost: int | None = Field(
        default=None,
        ge=1,
        description="Makes the minimum soft: cost per missing person-hour (window) or person (shift). "
        "Omit for a hard minimum.",
    )
    max_cost: int | None = Field(
        default=None, ge=1, description="Makes the maximum soft: cost per extra person-hour or person."
    )

    _check_days = field_validator("days")(_check_days_unique)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.window is not None and self.shift is not None:
            raise ValueError("give either 'window' or 'shift', not both")
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        if self.max_cost is not None and self.max is None:
            raise ValueError("max_cost needs a max")
        return self

    def label(self) -> str:
        if self.id:
            return self.id
        where = f"shift {self.shift}" if self.shift else (self.window.label() if self.window else "all day")
        return f"{self.post} {self.role or 'people'} {where}"


class TeamDuty(StrictModel):
    """A daily duty done by teams, each made of exactly one person of each listed role.

    For example screening visits 09:00–22:00 by one team of a community secretary, a health officer and a
    police officer.
    """

    id: Identifier = Field(description="Id of the duty.")
    name: LocalizedText = Field(description="Display name.")
    location: str | None = Field(default=None, description="Where the team meets.")
    days: list[Weekday] = Field(default_factory=lambda: list(ALL_WEEKDAYS), min_length=1, description="Weekdays.")
    window: TimeWindow = Field(description="Daily duty window; the team is on duty for all of it.")
    roles: list[Identifier] = Field(min_length=1, description="One team member of each of these roles.")
    teams: int = Field(default=1, ge=1, le=100, description="Number of teams needed each day.")

    _check_days = field_validator("days")(_check_days_unique)

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, roles: list[str]) -> list[str]:
        if len(set(roles)) != len(roles):
            raise ValueError("a role is listed twice; a team has exactly one person per role")
        return roles


class MealWindow(StrictModel):
    """A daily meal window, e.g. lunch 11:00–13:30, on one day (the end is after the start)."""

    name: LocalizedText = Field(description="Display name, e.g. {zh: 午饭, en: Lunch}.")
    start: ClockTime = Field(description="Local start time, 'HH:MM'.")
    end: ClockTime = Field(description="Local end time, 'HH:MM', after the start on the same day (24:00 allowed).")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("a meal window ends after it starts, on the same day")
        return self

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def label(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end)}"


class MealRule(StrictModel):
    """Staggered meal breaks at one post or team duty: people go home to eat in turns while on duty.

    A shift instance gets one break per meal window it *contains wholly* (a window occurrence on the local date
    it runs), when its template is in `shifts` (or `shifts` is omitted). The break lies inside the window, starts
    on the window's grid (window start + a multiple of `grid_minutes`) and lasts the person's `meal_minutes`, or
    `minutes`. During the break the person counts for no window coverage rule. See docs/rules.md.
    """

    post: Identifier = Field(description="Post or team duty id.")
    windows: list[MealWindow] = Field(min_length=1, description="Meal windows, e.g. lunch and dinner.")
    shifts: list[Identifier] | None = Field(
        default=None,
        description="Shift templates that get breaks; omit for every shift (or the duty) containing a window.",
    )
    minutes: int = Field(default=45, ge=5, le=240, description="Break length, unless the person says otherwise.")
    grid_minutes: Literal[5, 10, 15] = Field(default=15, description="Breaks start on this grid from window start.")
    max_away: int | None = Field(
        default=None, ge=1, description="At most this many people of the post on a break at once; omit: no limit."
    )
    scarce_roles: list[Identifier] = Field(
        default_factory=list, description="Roles of which never two people (filling them) are on a break at once."
    )
    middle_cost: int = Field(
        default=0, ge=0, le=1000,
        description="Cost per grid step the break start lies away from the middle of its possible starts.",
    )
    late_cost: int = Field(
        default=0, ge=0, le=1000,
        description="Cost per break in the latest possible slot beyond a person's first one per window.",
    )

    @model_validator(mode="after")
    def _fits(self) -> Self:
        for window in self.windows:
            if self.minutes > window.minutes:
                raise ValueError(f"a {self.minutes}-minute break does not fit in the window {window.label()}")
        ordered = sorted(self.windows, key=lambda w: w.start)
        for first, then in itertools.pairwise(ordered):
            if then.start < first.end:
                raise ValueError(f"meal windows {first.label()} and {then.label()} overlap")
        return self


# ------------------------------------------------------------------------------------------------ people


class PersonLimits(StrictModel):
    """Working-time limits of a person. Unset fields inherit the scenario's `default_limits`."""

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


class ShiftCountLimit(StrictModel):
    """At most `max` shifts of one kind over the period (0 forbids that shift to the person)."""

    shift: Identifier = Field(description="Shift template id.")
    post: Identifier | None = Field(default=None, description="Post of the shift; omit to match any post.")
    max: int = Field(ge=0, description="Max number of these shifts in the period.")


class WeeklyWindow(StrictModel):
    """A recurring window of availability, e.g. Mon–Fri 07:00–18:00."""

    days: list[Weekday] = Field(min_length=1, description="Weekdays on which the window opens.")
    start: ClockTime = Field(description="Local start, 'HH:MM'.")
    end: ClockTime = Field(description="Local end, 'HH:MM'; at or before start means the next day.")

    _check_days = field_validator("days")(_check_days_unique)

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.start == self.end:
            raise ValueError("window is empty: start equals end")
        return self


class Absence(StrictModel):
    """A dated exception: the person is unavailable on a day, a range of days, or part of each such day."""

    date: dt.date = Field(description="First day of the absence.")
    until: dt.date | None = Field(default=None, description="Last day (inclusive); omit for one day.")
    start: ClockTime | None = Field(default=None, description="Start time on each day; omit for all day.")
    end: ClockTime | None = Field(default=None, description="End time on each day; omit for all day.")
    reason: str | None = Field(default=None, description="Shown to the coordinator, never to others.")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.until is not None and self.until < self.date:
            raise ValueError(f"'until' ({self.until}) is before 'date' ({self.date})")
        if (self.start is None) != (self.end is None):
            raise ValueError("give both 'start' and 'end', or neither for the whole day")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("'end' must be after 'start' (split an absence across midnight into two)")
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
    date: dt.date | None = Field(default=None, description="The date (with 'shift': that shift on that date).")
    shift: Identifier | None = Field(default=None, description="Shift template id; needs 'date'.")
    post: Identifier | None = Field(default=None, description="Post of the shift; omit to match any post.")
    weekday: Weekday | None = Field(default=None, description="A weekday, every week.")
    nights: bool = Field(default=False, description="True: the wish is about night shifts.")
    weight: int = Field(default=1, ge=1, le=1000, description="Cost of each unmet wish.")

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        targets = [self.date is not None, self.weekday is not None, self.nights]
        if sum(targets) != 1:
            raise ValueError("give exactly one of: 'date' (optionally with 'shift'), 'weekday', 'nights'")
        if self.shift is not None and self.date is None:
            raise ValueError("'shift' needs a 'date'")
        if self.post is not None and self.shift is None:
            raise ValueError("'post' goes with 'shift'")
        return self


class Person(StrictModel):
    """A volunteer, party member or staff member who can be put on the rota."""

    id: Identifier = Field(description="Id used in pins, pairs and history.")
    name: str = Field(min_length=1, max_length=100, description="Display name.")
    roles: list[Identifier] = Field(min_length=1, description="Roles held; on a shift a person fills one of them.")
    phone: str | None = Field(default=None, max_length=40, description="Phone number for the coordinator.")
    language: Literal["zh", "en"] = Field(default="zh", description="Language of the person's calendar.")
    posts: list[Identifier] | None = Field(
        default=None, description="Posts and duties this person may be put on; omit for all."
    )
    limits: PersonLimits = Field(default_factory=PersonLimits, description="Overrides of the default limits.")
    shift_limits: list[ShiftCountLimit] = Field(default_factory=list, description="Per-shift-kind maximums.")
    availability: list[WeeklyWindow] = Field(
        default_factory=list, description="Weekly windows when the person can work; empty means any time."
    )
    absences: list[Absence] = Field(default_factory=list, description="Dated exceptions when unavailable.")
    preferences: list[Preference] = Field(default_factory=list, description="Weighted wishes.")
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
            raise ValueError("a pair needs two different people")
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
    date: dt.date = Field(description="Date the shift starts.")
    post: Identifier = Field(description="Post or team duty id.")
    shift: Identifier | None = Field(default=None, description="Shift template id (omit for a team duty).")
    role: Identifier | None = Field(default=None, description="Role to fill; omit to let the engine choose.")


class Ban(StrictModel):
    """The coordinator keeps a person off a post (or one of its shifts) on a date."""

    person: Identifier = Field(description="Person id.")
    date: dt.date = Field(description="Date.")
    post: Identifier = Field(description="Post or team duty id.")
    shift: Identifier | None = Field(default=None, description="Shift template id; omit for every shift.")


class PastAssignment(StrictModel):
    """A shift from the previous rota, so rest and consecutive-day rules hold across the boundary."""

    person: Identifier = Field(description="Person id.")
    start: dt.datetime = Field(description="Start, ISO 8601; without an offset it is read in the scenario's zone.")
    end: dt.datetime = Field(description="End, ISO 8601.")
    post: Identifier | None = Field(default=None, description="Post, for the record.")
    night: bool = Field(default=False, description="Whether it counted as a night shift.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        start, end = self.start, self.end
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise ValueError("give an offset on both 'start' and 'end', or on neither")
        if end <= start:
            raise ValueError("'end' must be after 'start'")
        return self


class ObjectiveWeights(StrictModel):
    """How much each soft goal counts. Coverage costs live on each coverage rule, wishes on each preference."""

    fairness_hours: int = Field(
        default=1, ge=0, description="Cost per hour a person's total is away from their fair share."
    )
    fairness_nights: int = Field(default=2, ge=0, description="Cost per night shift away from the fair share.")
    fairness_weekends: int = Field(default=2, ge=0, description="Cost per weekend shift away from the fair share.")
    preferences: int = Field(default=1, ge=0, description="Multiplier on every preference weight.")


class CommunityRules(StrictModel):
    """A community's roles, posts, duties and rules: everything of a scenario but its people and its period.

    The web app stores exactly this for a community; with people and a week it becomes a `Scenario`.
    """

    night_window: TimeWindow = Field(
        default_factory=lambda: TimeWindow.model_validate({"start": "00:00", "end": "06:00"}),
        description="A shift overlapping this window is a night shift (unless the shift says otherwise).",
    )
    coordinator: str | None = Field(default=None, description="Coordinator's name and phone, for calendars.")
    roles: list[Role] = Field(min_length=1, description="Roles people can hold.")
    posts: list[Post] = Field(default_factory=list, description="Posts and their shifts.")
    team_duties: list[TeamDuty] = Field(default_factory=list, description="Daily team duties.")
    default_limits: PersonLimits = Field(default_factory=PersonLimits, description="Limits for everyone.")
    coverage: list[CoverageRule] = Field(default_factory=list, description="Staffing rules.")
    meal_rules: list[MealRule] = Field(default_factory=list, description="Staggered meal breaks, per post.")
    successions: list[Succession] = Field(default_factory=list, description="Forbidden next-day successions.")
    pairs: list[PairRule] = Field(default_factory=list, description="Pairs apart or together.")
    pins: list[Pin] = Field(default_factory=list, description="Dated assignments fixed by the coordinator.")
    bans: list[Ban] = Field(default_factory=list, description="Dated assignments forbidden by the coordinator.")
    history: list[PastAssignment] = Field(default_factory=list, description="Shifts worked before the period.")
    weights: ObjectiveWeights = Field(default_factory=ObjectiveWeights, description="Objective weights.")


class ScenarioPeriod(StrictModel):
    """Which community, and which days, a scenario is for (first in a scenario file)."""

    community: str = Field(min_length=1, description="Name of the community.")
    timezone: str = Field(default="Asia/Shanghai", description="IANA time zone of all local times.")
    start: dt.date = Field(description="First day of the period.")
    days: int = Field(default=7, ge=1, le=MAX_PERIOD_DAYS, description="Number of days in the period.")


class Scenario(CommunityRules, ScenarioPeriod):
    """Everything the engine needs to build a rota: who, where, when, and by which rules."""

    people: list[Person] = Field(min_length=1, description="The people.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r} (use an IANA name such as 'Asia/Shanghai')") from None
        return name

    @model_validator(mode="after")
    def _references(self) -> Self:
        _check_references(self)
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def end(self) -> dt.date:
        """The day after the last day of the period."""
        return self.start + dt.timedelta(days=self.days)

    def person(self, person_id: str) -> Person:
        for person in self.people:
            if person.id == person_id:
                return person
        raise KeyError(person_id)

    def limits_of(self, person: Person) -> PersonLimits:
        """The person's limits with unset fields taken from the scenario defaults."""
        merged = self.default_limits.model_dump()
        merged.update(person.limits.model_dump(exclude_none=True))
        return PersonLimits.model_validate(merged)

    def is_night(self, shift: ShiftTemplate) -> bool:
        """Whether a shift counts as a night shift (its own flag, or overlap with the night window)."""
        if shift.night is not None:
            return shift.night
        return self.overlaps_night(shift.start, shift.minutes)

    def overlaps_night(self, start: int, minutes: int) -> bool:
        """Whether `minutes` from clock time `start` overlap the night window (of that day, before or after)."""
        window = self.night_window
        for offset in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
            w_start = window.start + offset
            if start < w_start + window.minutes and w_start < start + minutes:
                return True
        return False


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{kind} id {item!r} is used twice")
        seen.add(item)


def _check_references(scenario: Scenario) -> None:
    """Every id used must be defined, with a message that names where it is used.

    Each item is checked on its own and every problem is reported (one per line), so a coordinator fixes a file in
    one pass instead of one error at a time.
    """
    roles = {r.id for r in scenario.roles}
    posts = {p.id: p for p in scenario.posts}
    duties = {d.id: d for d in scenario.team_duties}
    people = {p.id for p in scenario.people}
    places = {*posts, *duties}
    if not scenario.posts and not scenario.team_duties:
        raise ValueError("the scenario has no posts and no team duties: there is nothing to staff")
    problems: list[str] = []

    def collect(check: Callable[[], None]) -> None:
        try:
            check()
        except ValueError as error:
            problems.append(str(error))

    def shift_ids(post_id: str | None) -> set[str]:
        if post_id is None:
            return {s.id for p in scenario.posts for s in p.shifts}
        return {s.id for s in posts[post_id].shifts}

    def need(kind: str, value: str, known: Collection[str], where: str) -> None:
        if value not in known:
            raise ValueError(f"{where}: unknown {kind} {value!r}")

    def person_refs(i: int, person: Person) -> None:
        where = f"people[{i}] ({person.id})"
        for role in person.roles:
            need("role", role, roles, where + ".roles")
        for post in person.posts or []:
            need("post or duty", post, places, where + ".posts")
        for j, limit in enumerate(person.shift_limits):
            if limit.post is not None:
                need("post", limit.post, posts, f"{where}.shift_limits[{j}]")
            need("shift", limit.shift, shift_ids(limit.post), f"{where}.shift_limits[{j}]")
        for j, pref in enumerate(person.preferences):
            if pref.post is not None:
                need("post", pref.post, posts, f"{where}.preferences[{j}]")
            if pref.shift is not None:
                need("shift", pref.shift, shift_ids(pref.post), f"{where}.preferences[{j}]")

    def coverage_refs(i: int, rule: CoverageRule) -> None:
        where = f"coverage[{i}]"
        need("post", rule.post, posts, where + ".post")
        if rule.role is not None:
            need("role", rule.role, roles, where + ".role")
        if rule.shift is not None:
            need("shift", rule.shift, shift_ids(rule.post), where + ".shift")

    def duty_refs(i: int, duty: TeamDuty) -> None:
        for role in duty.roles:
            need("role", role, roles, f"team_duties[{i}].roles")

    def succession_refs(i: int, succession: Succession) -> None:
        if succession.post is not None:
            need("post", succession.post, posts, f"successions[{i}].post")
        need("shift", succession.first, shift_ids(succession.post), f"successions[{i}].from")
        need("shift", succession.then, shift_ids(succession.post), f"successions[{i}].to")

    def pair_refs(i: int, pair: PairRule) -> None:
        for person_id in pair.people:
            need("person", person_id, people, f"pairs[{i}].people")

    def fixed_refs(where: str, item: Pin | Ban) -> None:
        need("person", item.person, people, where + ".person")
        need("post or duty", item.post, places, where + ".post")
        if not scenario.start <= item.date < scenario.end:
            raise ValueError(f"{where}.date: {item.date} is outside the period {scenario.start}–{scenario.end}")
        if item.post in posts:
            if item.shift is None and isinstance(item, Pin):
                raise ValueError(f"{where}.shift: a pin on a post needs a shift")
            if item.shift is not None:
                need("shift", item.shift, shift_ids(item.post), where + ".shift")
        elif item.shift is not None:
            raise ValueError(f"{where}.shift: {item.post!r} is a team duty, which has no shifts")
        if isinstance(item, Pin) and item.role is not None:
            need("role", item.role, roles, where + ".role")

    collect(partial(_unique, "role", [r.id for r in scenario.roles]))
    collect(partial(_unique, "post or duty", [p.id for p in scenario.posts] + [d.id for d in scenario.team_duties]))
    collect(partial(_unique, "person", [p.id for p in scenario.people]))
    for i, person in enumerate(scenario.people):
        collect(partial(person_refs, i, person))
    for i, rule in enumerate(scenario.coverage):
        collect(partial(coverage_refs, i, rule))
    for i, duty in enumerate(scenario.team_duties):
        collect(partial(duty_refs, i, duty))
    for i, succession in enumerate(scenario.successions):
        collect(partial(succession_refs, i, succession))
    for i, pair in enumerate(scenario.pairs):
        collect(partial(pair_refs, i, pair))
    for i, pin in enumerate(scenario.pins):
        collect(partial(fixed_refs, f"pins[{i}]", pin))
    for i, ban in enumerate(scenario.bans):
        collect(partial(fixed_refs, f"bans[{i}]", ban))
    for i, past in enumerate(scenario.history):
        collect(partial(need, "person", past.person, people, f"history[{i}].person"))
    collect(partial(_check_meal_rules, scenario, roles, posts, duties))
    if problems:
        raise ValueError("\n".join(problems))


def _check_meal_rules(
    scenario: Scenario, roles: set[str], posts: dict[str, Post], duties: dict[str, TeamDuty]
) -> None:
    seen: set[str] = set()
    for i, rule in enumerate(scenario.meal_rules):
        where = f"meal_rules[{i}]"
        if rule.post not in posts and rule.post not in duties:
            raise ValueError(f"{where}.post: unknown post or duty {rule.post!r}")
        if rule.post in seen:
            raise ValueError(f"{where}.post: {rule.post!r} already has a meal rule (one rule per post)")
        seen.add(rule.post)
        if rule.shifts is not None:
            if rule.post in duties:
                raise ValueError(f"{where}.shifts: {rule.post!r} is a team duty, which has no shifts")
            known = {s.id for s in posts[rule.post].shifts}
            for shift in rule.shifts:
                if shift not in known:
                    raise ValueError(f"{where}.shifts: unknown shift {shift!r}")
        for role in rule.scarce_roles:
            if role not in roles:
                raise ValueError(f"{where}.scarce_roles: unknown role {role!r}")
        for person in scenario.people:
            if person.meal_minutes is None or (person.posts is not None and rule.post not in person.posts):
                continue
            for window in rule.windows:
                if person.meal_minutes > window.minutes:
                    raise ValueError(
                        f"people ({person.id}).meal_minutes: a {person.meal_minutes}-minute break does not fit in "
                        f"{where}'s window {window.label()} at {rule.post!r}"
                    )


# ------------------------------------------------------------------------------------------------ results


class Break(StrictModel):
    """A meal break within an assignment."""

    start: dt.datetime = Field(description="Start, ISO 8601 with offset.")
    end: dt.datetime = Field(description="End, ISO 8601 with offset.")


class Assignment(StrictModel):
    """One person on one shift of a post, or on a team duty, filling one role."""

    person: str = Field(description="Person id.")
    post: str | None = Field(default=None, description="Post id (absent for a team duty).")
    duty: str | None = Field(default=None, description="Team duty id (absent for a post shift).")
    shift: str | None = Field(default=None, description="Shift template id (absent for a team duty).")
    role: str = Field(description="The role the person fills on this shift.")
    date: dt.date = Field(description="Local date the shift starts.")
    start: dt.datetime = Field(description="Start, ISO 8601 with UTC offset.")
    end: dt.datetime = Field(description="End, ISO 8601 with UTC offset.")
    breaks: list[Break] = Field(default_factory=list, description="Meal breaks.")
    pinned: bool = Field(default=False, description="Fixed by the coordinator.")

    @model_validator(mode="after")
    def _post_or_duty(self) -> Self:
        if (self.post is None) == (self.duty is None):
            raise ValueError("an assignment has either a post or a duty")
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("start and end need a UTC offset")
        return self

    @property
    def place(self) -> str:
        return self.post if self.post is not None else str(self.duty)


class Penalty(StrictModel):
    """One reason the rota is not perfect, with its cost."""

    rule: str = Field(description="Constraint family, e.g. 'coverage', 'preferences', 'fairness'.")
    name: str = Field(description="Stable name of the penalised term.")
    cause: str = Field(description="What happened, in words.")
    amount: float = Field(description="How much: missing person-hours, shifts, hours away from the share ...")
    cost: float = Field(description="Contribution to the objective.")
    person: str | None = Field(default=None, description="The person concerned, if any.")


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"
    INVALID = "invalid"


class Rota(StrictModel):
    """The published contract of `rota.json`."""

    community: str = Field(description="Community name.")
    start: dt.date = Field(description="First day of the period.")
    days: int = Field(description="Number of days.")
    timezone: str = Field(description="IANA time zone.")
    status: SolveStatus = Field(description="'optimal' or 'feasible' for a rota meeting every hard rule.")
    objective: float | None = Field(description="Total cost of the soft penalties (lower is better).")
    bound: float | None = Field(description="Best proven lower bound on the objective.")
    assignments: list[Assignment] = Field(description="Who works where and when.")
    penalties: list[Penalty] = Field(default_factory=list, description="Every nonzero soft penalty.")


class Violation(StrictModel):
    """A broken hard rule found by the checker."""

    rule: str = Field(description="Constraint family.")
    message: str = Field(description="What is wrong, in words.")
    person: str | None = Field(default=None, description="Person concerned, if any.")
    place: str | None = Field(default=None, description="Post or duty concerned, if any.")
    start: dt.datetime | None = Field(default=None, description="Start of the affected time, if any.")
    end: dt.datetime | None = Field(default=None, description="End of the affected time, if any.")


class Blocker(StrictModel):
    """Why one person who could in principle fill a gap does not."""

    person: str = Field(description="Person id.")
    name: str = Field(description="Person's name.")
    reasons: list[str] = Field(description="What keeps them off, in the coordinator's words.")


class Shortage(StrictModel):
    """A place and time that cannot be staffed as the rules demand."""

    place: str = Field(description="Post or team duty id.")
    role: str | None = Field(default=None, description="Role that is short, or none for people in general.")
    start: dt.datetime = Field(description="Start of the short time.")
    end: dt.datetime = Field(description="End of the short time.")
    needed: int = Field(description="People needed there then.")
    short_by: int = Field(description="How many people are missing at best.")
    blockers: list[Blocker] = Field(default_factory=list, description="Qualified people and what blocks them.")
    message: str = Field(description="The shortage in words.")


class Suggestion(StrictModel):
    """A small change to the rules that would make a rota possible."""

    message: str = Field(description="The change in words, e.g. 'one more security officer for Tue 00:00–08:00'.")
    place: str | None = Field(default=None, description="Post or duty concerned.")
    role: str | None = Field(default=None, description="Role concerned.")
    start: dt.datetime | None = Field(default=None, description="Start of the time concerned.")
    end: dt.datetime | None = Field(default=None, description="End of the time concerned.")
    extra_people: int = Field(default=0, description="People to add for that time.")


class Explanation(StrictModel):
    """Why no rota meets every hard rule, and what would fix it."""

    summary: str = Field(description="One paragraph for the coordinator.")
    shortages: list[Shortage] = Field(default_factory=list, description="Places and times that cannot be staffed.")
    conflicts: list[str] = Field(default_factory=list, description="Rules that contradict each other directly.")
    suggestions: list[Suggestion] = Field(default_factory=list, description="Smallest relaxations found.")

"""A community's roles, posts, shifts, coverage rules, team duties and meal rules."""

from __future__ import annotations

import itertools
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from scheduler.domain import limits as L
from scheduler.domain.base import Day, Identifier, LocalizedText, StrictModel, _check_days_unique
from scheduler.domain.clock import ALL_WEEKDAYS, MINUTES_PER_DAY, ClockTime, Weekday, format_clock
from scheduler.domain.people import PersonLimits
from scheduler.domain.problems import problem
from scheduler.domain.text import Label, Mark, Note


class Role(StrictModel):
    """A role people hold (party member, security officer, health officer...)."""

    id: Identifier = Field(description="Id used in people, coverage rules and team duties.")
    name: LocalizedText = Field(description="Display name in Chinese and English.")
    mark: Mark | None = Field(
        default=None, description="Short mark shown beside names on the printed rota (e.g. '安')."
    )
    lead: bool = Field(
        default=False,
        description="Holders lead their shift: the printed rota names them as the one to call. Without any lead "
        "role, a role named like a lead (组长, 班长, leader...) counts, else the security officer, else the party "
        "member.",
    )
    limits: PersonLimits = Field(
        default_factory=PersonLimits,
        description="Default limits of the role's holders (e.g. volunteers: at most 2 nights a week). A person's own "
        "limits override them; a person holding several roles gets the strictest of their roles' values; fields no "
        "role sets come from the scenario's default_limits.",
    )


class ShiftTemplate(StrictModel):
    """A shift that repeats on given weekdays at a post: from a start time for some hours (08:00 for 8 hours),
    or from a start to an end clock time (23:00 to 07:00).

    With `hours` every instance lasts exactly that long (absolute time); with `end` each instance ends at that
    local clock time, so a night across a clock change is an hour shorter or longer.
    """

    id: Identifier = Field(description="Id of the shift, unique within its post (e.g. 'day').")
    name: LocalizedText | None = Field(default=None, description="Display name; defaults to the times.")
    start: ClockTime = Field(description="Local start time, 'HH:MM'.")
    hours: float | None = Field(
        default=None, gt=0, le=24,
        description="Length in hours (up to 24; the shift may cross midnight). Give either this or 'end'.",
    )
    end: ClockTime | None = Field(
        default=None,
        description="Local end time, 'HH:MM' (24:00 allowed; at or before the start: on the next day). Give "
        "either this or 'hours'; each instance then ends at this clock time, whatever its length that day.",
    )
    days: list[Weekday] = Field(
        default_factory=lambda: list(ALL_WEEKDAYS), min_length=1, json_schema_extra={"uniqueItems": True},
        description="Weekdays on which the shift runs.",
    )
    night: bool | None = Field(
        default=None,
        description="Whether this counts as a night shift. Default: it overlaps the scenario's night window.",
    )

    _check_days = field_validator("days")(_check_days_unique)

    @field_validator("hours")
    @classmethod
    def _whole_minutes(cls, hours: float | None) -> float | None:
        if hours is not None and abs(hours * 60 - round(hours * 60)) > 1e-9:
            raise problem("shift_whole_minutes", "shift length must be a whole number of minutes")
        return hours

    @model_validator(mode="after")
    def _hours_or_end(self) -> Self:
        if self.hours is None and self.end is None:
            raise problem("shift_length_missing", "give the shift's 'hours' (its length) or its 'end' (clock time)")
        if self.hours is not None and self.end is not None:
            raise problem("shift_length_both", "give either 'hours' or 'end', not both")
        if self.end is not None and self.end == self.start:
            raise problem("shift_end_is_start", "'end' equals 'start': for a 24-hour shift give 'hours: 24'")
        return self

    @property
    def minutes(self) -> int:
        """The nominal length: `hours`, or start to end on the clock (a day without a clock change)."""
        if self.end is not None:
            return (self.end - self.start) % MINUTES_PER_DAY or MINUTES_PER_DAY
        assert self.hours is not None  # one of the two is given (checked above)
        return round(self.hours * 60)

    @property
    def follows_clock(self) -> bool:
        """Whether instances end at a local clock time (`end` given) rather than after fixed hours."""
        return self.end is not None

    def label(self) -> str:
        """Nominal times, '23:00–07:00'; an instance across a clock change may differ (see reports/labels.py)."""
        end = (self.start + self.minutes) % MINUTES_PER_DAY
        return f"{format_clock(self.start)}–{format_clock(end if end else MINUTES_PER_DAY)}"


class Post(StrictModel):
    """A place that is staffed: the checkpoint at the entrance, a grid post, a gate."""

    id: Identifier = Field(description="Id of the post.")
    name: LocalizedText = Field(description="Display name.")
    location: Note | None = Field(
        default=None, description="Address or description shown in calendars (at most 200 characters)."
    )
    shifts: list[ShiftTemplate] = Field(
        min_length=1, max_length=L.MAX_SHIFTS_PER_POST, description="The shifts worked at this post."
    )

    @field_validator("shifts")
    @classmethod
    def _unique_shift_ids(cls, shifts: list[ShiftTemplate]) -> list[ShiftTemplate]:
        seen: set[str] = set()
        for shift in shifts:
            if shift.id in seen:
                raise problem("shift_id_twice", "shift id {id} is used twice in this post", id=repr(shift.id))
            seen.add(shift.id)
        return shifts


class TimeWindow(StrictModel):
    """A daily time window 'start'–'end'; an end at or before the start means it runs past midnight."""

    start: ClockTime = Field(description="Local start time, 'HH:MM'.")
    end: ClockTime = Field(description="Local end time, 'HH:MM' (24:00 allowed; before start = next day).")

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.start == self.end % MINUTES_PER_DAY and self.start == self.end:
            raise problem("window_empty", "window is empty: start equals end")
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

    id: Label | None = Field(
        default=None, description="Optional name used in penalties and explanations (at most 64 characters)."
    )
    post: Identifier = Field(description="The post this rule is for.")
    days: list[Weekday] = Field(
        default_factory=lambda: list(ALL_WEEKDAYS), min_length=1, json_schema_extra={"uniqueItems": True},
        description="Weekdays.",
    )
    dates: list[Day] | None = Field(
        default=None, max_length=L.MAX_DATES,
        description="Only on these dates (a window starting on them); the weekdays must match too.",
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
            raise problem("window_or_shift", "give either 'window' or 'shift', not both")
        if self.max is not None and self.max < self.min:
            raise problem("max_below_min", "max ({max}) is below min ({min})", max=self.max, min=self.min)
        if self.max_cost is not None and self.max is None:
            raise problem("max_cost_needs_max", "max_cost needs a max")
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
    location: Note | None = Field(default=None, description="Where the team meets (at most 200 characters).")
    days: list[Weekday] = Field(
        default_factory=lambda: list(ALL_WEEKDAYS), min_length=1, json_schema_extra={"uniqueItems": True},
        description="Weekdays.",
    )
    window: TimeWindow = Field(description="Daily duty window; the team is on duty for all of it.")
    roles: list[Identifier] = Field(
        min_length=1, max_length=L.MAX_ROLES, description="One team member of each of these roles."
    )
    teams: int = Field(default=1, ge=1, le=100, description="Number of teams needed each day.")

    _check_days = field_validator("days")(_check_days_unique)

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, roles: list[str]) -> list[str]:
        if len(set(roles)) != len(roles):
            raise problem("team_role_twice", "a role is listed twice; a team has exactly one person per role")
        return roles


class MealWindow(StrictModel):
    """A daily meal window, e.g. lunch 11:00–13:30, on one day (the end is after the start)."""

    name: LocalizedText = Field(description="Display name, e.g. {zh: 午饭, en: Lunch}.")
    start: ClockTime = Field(description="Local start time, 'HH:MM'.")
    end: ClockTime = Field(description="Local end time, 'HH:MM', after the start on the same day (24:00 allowed).")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise problem("meal_window_order", "a meal window ends after it starts, on the same day")
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
    windows: list[MealWindow] = Field(
        min_length=1, max_length=L.MAX_MEAL_WINDOWS, description="Meal windows, e.g. lunch and dinner."
    )
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
                raise problem(
                    "break_does_not_fit", "a {length}-minute break does not fit in the window {window}",
                    length=self.minutes, window=window.label(),
                )
        ordered = sorted(self.windows, key=lambda w: w.start)
        for first, then in itertools.pairwise(ordered):
            if then.start < first.end:
                raise problem(
                    "meal_windows_overlap", "meal windows {window_a} and {window_b} overlap", window_a=first.label(),
                    window_b=then.label(),
                )
        return self

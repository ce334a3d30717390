"""The scenario a coordinator describes, and the rota the engine returns.

Everything a scenario file may say is defined here, with a description on every field: these models are the
documentation of the file format, and `rota schema` prints them as JSON Schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from functools import partial
from typing import Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from scheduler.domain import limits as L
from scheduler.domain.base import MAX_PERIOD_DAYS, Day, StrictModel
from scheduler.domain.clock import MINUTES_PER_DAY
from scheduler.domain.community import (
    CoverageRule,
    MealRule,
    Post,
    Role,
    ShiftTemplate,
    TeamDuty,
    TimeWindow,
)
from scheduler.domain.people import (
    Ban,
    PairRule,
    PastAssignment,
    Person,
    PersonLimits,
    Pin,
    Succession,
    strictest,
)
from scheduler.domain.problems import PREFIX, coded, problem
from scheduler.domain.text import Label, Note


class ObjectiveWeights(StrictModel):
    """How much each soft goal counts. Coverage costs live on each coverage rule, wishes on each preference.

    The defaults follow the order a coordinator expects (docs/rules.md, "The objective"): soft coverage, then no
    unneeded person-hours, then fairness, then wishes. An unneeded 8-hour shift costs 24, more than any fairness it
    could buy.
    """

    staffing: int = Field(
        default=3, ge=0, le=1000,
        description="Cost per person-hour on duty at a post: the rota calls out nobody it does not need. Keep it "
        "below the cost per person-hour short of soft coverage rules that should call people out.",
    )
    fairness_hours: int = Field(
        default=1, ge=0, le=1000, description="Cost per hour a person's total is above their fair share."
    )
    fairness_nights: int = Field(
        default=2, ge=0, le=1000, description="Cost per night shift above the fair share."
    )
    fairness_weekends: int = Field(
        default=2, ge=0, le=1000, description="Cost per weekend shift above the fair share."
    )
    preferences: int = Field(default=1, ge=0, le=1000, description="Multiplier on every preference weight.")
    fairness_weeks: int = Field(
        default=4, ge=0, le=52,
        description="Weeks before the period whose shifts (the scenario's history) count towards fairness: who "
        "served more recently gets less now. 0 compares this period alone.",
    )


class CommunityRules(StrictModel):
    """A community's roles, posts, duties and rules: everything of a scenario but its people and its period.

    The web app stores exactly this for a community; with people and a week it becomes a `Scenario`.
    """

    night_window: TimeWindow = Field(
        default_factory=lambda: TimeWindow.model_validate({"start": "00:00", "end": "06:00"}),
        description="A shift overlapping this window is a night shift (unless the shift says otherwise).",
    )
    coordinator: Note | None = Field(
        default=None, description="Coordinator's name and phone, for calendars (at most 200 characters)."
    )
    language: Literal["zh", "en"] = Field(
        default="zh", description="The community's language: its print-outs (a person's calendar follows the "
        "person's own language).",
    )
    roles: list[Role] = Field(max_length=L.MAX_ROLES, min_length=1, description="Roles people can hold.")
    posts: list[Post] = Field(max_length=L.MAX_POSTS, default_factory=list, description="Posts and their shifts.")
    team_duties: list[TeamDuty] = Field(
        max_length=L.MAX_TEAM_DUTIES, default_factory=list, description="Daily team duties."
    )
    default_limits: PersonLimits = Field(
        default_factory=PersonLimits,
        description="Limits for everyone; a role's limits and then a person's own override them, field by field.",
    )
    coverage: list[CoverageRule] = Field(
        max_length=L.MAX_COVERAGE_RULES, default_factory=list, description="Staffing rules."
    )
    meal_rules: list[MealRule] = Field(
        max_length=L.MAX_MEAL_RULES, default_factory=list, description="Staggered meal breaks, per post."
    )
    successions: list[Succession] = Field(
        max_length=L.MAX_SUCCESSIONS, default_factory=list, description="Forbidden next-day successions."
    )
    pairs: list[PairRule] = Field(max_length=L.MAX_PAIRS, default_factory=list, description="Pairs apart or together.")
    pins: list[Pin] = Field(
        max_length=L.MAX_PINS, default_factory=list, description="Dated assignments fixed by the coordinator."
    )
    bans: list[Ban] = Field(
        max_length=L.MAX_BANS, default_factory=list, description="Dated assignments forbidden by the coordinator."
    )
    history: list[PastAssignment] = Field(
        max_length=L.MAX_HISTORY, default_factory=list, description="Shifts worked before the period."
    )
    weights: ObjectiveWeights = Field(default_factory=ObjectiveWeights, description="Objective weights.")

    def role_limits(self, role_ids: Collection[str]) -> PersonLimits:
        """The default limits of someone holding these roles: each field's strictest value among the roles' limits
        (unset where none of them sets it)."""
        return strictest(role.limits for role in self.roles if role.id in role_ids)


class ScenarioPeriod(StrictModel):
    """Which community, and which days, a scenario is for (first in a scenario file)."""

    community: Label = Field(min_length=1, description="Name of the community (at most 64 characters).")
    timezone: str = Field(default="Asia/Shanghai", description="IANA time zone of all local times.")
    start: Day = Field(description="First day of the period.")
    days: int = Field(default=7, ge=1, le=MAX_PERIOD_DAYS, description="Number of days in the period.")


class Scenario(CommunityRules, ScenarioPeriod):
    """Everything the engine needs to build a rota: who, where, when, and by which rules."""

    people: list[Person] = Field(max_length=L.MAX_PEOPLE, min_length=1, description="The people.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise problem(
                "unknown_zone", "unknown time zone {name} (use an IANA name such as 'Asia/Shanghai')", name=repr(name)
            ) from None
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
        """The person's limits: each field is the person's own value, else the strictest value of their roles'
        limits, else the scenario's `default_limits` (docs/rules.md, "Limits")."""
        merged = self.default_limits.model_dump()
        merged.update(self.role_limits(set(person.roles)).model_dump(exclude_none=True))
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


_KINDS = {"role": "role", "post": "post", "shift": "shift", "person": "person", "post or duty": "place"}
"""The kinds of thing an id names, by the word the English uses: each has its own code (its own words in Chinese)."""


def _coded(error: ValueError) -> dict[str, object]:
    """One reference problem as data: its code and parameters (`input.text` with its words when it has no code)."""
    found = coded(error.type, error.context) if isinstance(error, PydanticCustomError) else None
    if found is None:
        return {"code": "input.text", "params": {"problem": str(error)}}
    return {"code": found[0], "params": found[1]}


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise problem(f"id_twice_{_KINDS[kind]}", "{kind} id {id} is used twice", kind=kind, id=repr(item))
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
        raise problem("nothing_to_staff", "the scenario has no posts and no team duties: there is nothing to staff")
    problems: list[ValueError] = []

    def collect(check: Callable[[], None]) -> None:
        try:
            check()
        except ValueError as error:
            problems.append(error)

    def shift_ids(post_id: str | None) -> set[str]:
        if post_id is None:
            return {s.id for p in scenario.posts for s in p.shifts}
        return {s.id for s in posts[post_id].shifts}

    def need(kind: str, value: str, known: Collection[str], where: str) -> None:
        if value not in known:
            raise problem(f"unknown_{_KINDS[kind]}", "{where}: unknown {kind} {value}", where=where, kind=kind,
                          value=repr(value))

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
            raise problem(
                "outside_period", "{where}: {date} is outside the period {period_from}–{period_to}",
                where=where + ".date", date=str(item.date), period_from=str(scenario.start),
                period_to=str(scenario.end),
            )
        if item.post in posts:
            if item.shift is None and isinstance(item, Pin):
                raise problem("pin_needs_shift", "{where}: a pin on a post needs a shift", where=where + ".shift")
            if item.shift is not None:
                need("shift", item.shift, shift_ids(item.post), where + ".shift")
        elif item.shift is not None:
            raise problem(
                "duty_has_no_shifts", "{where}: {duty} is a team duty, which has no shifts", where=where + ".shift",
                duty=repr(item.post),
            )
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
        # every problem a line; each one's code and parameters too, for a refused file explained in any language
        found = [_coded(error) for error in problems]
        raise PydanticCustomError(
            PREFIX + "references", "{text}", {"text": "\n".join(str(error) for error in problems), "problems": found}
        )


def _check_meal_rules(
    scenario: Scenario, roles: set[str], posts: dict[str, Post], duties: dict[str, TeamDuty]
) -> None:
    seen: set[str] = set()
    for i, rule in enumerate(scenario.meal_rules):
        where = f"meal_rules[{i}]"
        if rule.post not in posts and rule.post not in duties:
            raise problem("unknown_place", "{where}: unknown {kind} {value}", where=where + ".post",
                          kind="post or duty", value=repr(rule.post))
        if rule.post in seen:
            raise problem("meal_rule_twice", "{where}: {place_id} already has a meal rule (one rule per post)",
                          where=where + ".post", place_id=repr(rule.post))
        seen.add(rule.post)
        if rule.shifts is not None:
            if rule.post in duties:
                raise problem("duty_has_no_shifts", "{where}: {duty} is a team duty, which has no shifts",
                              where=where + ".shifts", duty=repr(rule.post))
            known = {s.id for s in posts[rule.post].shifts}
            for shift in rule.shifts:
                if shift not in known:
                    raise problem("unknown_shift", "{where}: unknown {kind} {value}", where=where + ".shifts",
                                  kind="shift", value=repr(shift))
        for role in rule.scarce_roles:
            if role not in roles:
                raise problem("unknown_role", "{where}: unknown {kind} {value}", where=where + ".scarce_roles",
                              kind="role", value=repr(role))
        for person in scenario.people:
            if person.meal_minutes is None or (person.posts is not None and rule.post not in person.posts):
                continue
            for window in rule.windows:
                if person.meal_minutes > window.minutes:
                    raise problem(
                        "person_break_does_not_fit",
                        "{where}: a {length}-minute break does not fit in {rule}'s window {window} at {place_id}",
                        where=f"people ({person.id}).meal_minutes", length=person.meal_minutes, rule=where,
                        window=window.label(), place_id=repr(rule.post),
                    )

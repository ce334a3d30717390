"""The example scenarios and the benchmark generator: they load, and a simple count says they can be staffed.

Nothing here solves: the feasibility checks are an independent head count (for every coverage rule and every
half hour, enough people exist who hold the role, may work at the post and could work some shift covering that
time), plus a person-hours comparison. They catch an impossible example early, before any solver is involved.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
import yaml

from benchmarks.generator import generate, generate_small
from scheduler.domain.community import Post
from scheduler.domain.people import Person
from scheduler.domain.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DAY = 24 * 60
STEP = 30  # minutes between the instants checked


def load(path: Path) -> Scenario:
    return Scenario.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


# ------------------------------------------------------------------------------------- independent count


def minute(scenario: Scenario, date: dt.date, clock: int) -> int:
    """Minutes from the period start to a local date and clock time."""
    return (date - scenario.start).days * DAY + clock


def free(scenario: Scenario, person: Person, begin: int, end: int, night: bool) -> bool:
    """May the person work [begin, end) (minutes from the period start)? Availability, absences, nights."""
    if not person.active:
        return False
    if night and scenario.limits_of(person).nights_allowed is False:
        return False
    if person.availability:
        intervals = []
        for day in range(begin // DAY - 1, end // DAY + 1):
            weekday = (scenario.start + dt.timedelta(days=day)).strftime("%a").lower()
            for w in person.availability:
                if weekday in w.days:
                    w_end = w.end if w.end > w.start else w.end + DAY
                    intervals.append((day * DAY + w.start, day * DAY + w_end))
        reach = None  # extend a run of touching windows from the one containing `begin`
        for a, b in sorted(intervals):
            if reach is None and a <= begin < b:
                reach = b
            elif reach is not None and a <= reach:
                reach = max(reach, b)
        if reach is None or reach < end:
            return False
    for absence in person.absences:
        day = absence.date
        while day <= (absence.until or absence.date):
            a = minute(scenario, day, absence.start if absence.start is not None else 0)
            b = minute(scenario, day, absence.end if absence.end is not None else DAY)
            if a < end and begin < b:
                return False
            day += dt.timedelta(days=1)
    return True


def can_cover(scenario: Scenario, person: Person, post: Post, instant: int) -> bool:
    """Could the person be on some shift of the post that is running at this instant?"""
    if person.posts is not None and post.id not in person.posts:
        return False
    day0 = instant // DAY
    for day in (day0 - 1, day0):
        if not 0 <= day < scenario.days:
            continue
        date = scenario.start + dt.timedelta(days=day)
        weekday = date.strftime("%a").lower()
        for shift in post.shifts:
            begin = day * DAY + shift.start
            if weekday not in shift.days or not begin <= instant < begin + shift.minutes:
                continue
            if any(b.person == person.id and b.date == date and b.post == post.id and b.shift in (None, shift.id)
                   for b in scenario.bans):  # fmt: skip
                continue
            if any(
                lim.max == 0 and lim.shift == shift.id and lim.post in (None, post.id) for lim in person.shift_limits
            ):
                continue
            if free(scenario, person, begin, begin + shift.minutes, scenario.is_night(shift)):
                return True
    return False


def shortages(scenario: Scenario) -> list[str]:
    """Every (rule, instant) where fewer people could be there than the hard minimum asks, and every short duty."""
    problems: list[str] = []
    posts = {p.id: p for p in scenario.posts}
    for rule in scenario.coverage:
        if rule.min == 0 or rule.min_cost is not None:
            continue
        post = posts[rule.post]
        horizon = min(s.start for s in post.shifts)
        horizon_end = horizon + scenario.days * DAY
        people = [p for p in scenario.people if rule.role is None or rule.role in p.roles]
        for day in range(-1, scenario.days):
            weekday = (scenario.start + dt.timedelta(days=day)).strftime("%a").lower()
            if weekday not in rule.days:
                continue
            if rule.shift is not None:
                continue  # shift rules are counted through the window check of the same hours below
            w_start, w_len = (rule.window.start, rule.window.minutes) if rule.window else (0, DAY)
            for instant in range(day * DAY + w_start, day * DAY + w_start + w_len, STEP):
                if not horizon <= instant < horizon_end:
                    continue
                count = sum(can_cover(scenario, p, post, instant) for p in people)
                if count < rule.min:
                    problems.append(f"{rule.label()} at minute {instant}: {count} eligible < {rule.min}")
    for duty in scenario.team_duties:
        for day in range(scenario.days):
            date = scenario.start + dt.timedelta(days=day)
            if date.strftime("%a").lower() not in duty.days:
                continue
            begin = day * DAY + duty.window.start
            eligible: set[str] = set()
            for role in duty.roles:
                holders = [
                    p.id
                    for p in scenario.people
                    if role in p.roles
                    and (p.posts is None or duty.id in p.posts)
                    and not any(b.person == p.id and b.date == date and b.post == duty.id for b in scenario.bans)
                    and free(scenario, p, begin, begin + duty.window.minutes, False)
                ]
                eligible.update(holders)
                if len(holders) < duty.teams:
                    problems.append(f"{duty.id} {date} {role}: {len(holders)} eligible < {duty.teams}")
            if len(eligible) < duty.teams * len(duty.roles):
                problems.append(f"{duty.id} {date}: {len(eligible)} people for {duty.teams * len(duty.roles)} places")
    return problems


def person_hours(scenario: Scenario) -> tuple[float, float]:
    """(needed, supplied) person-hours over the period: hard minimums vs everyone's weekly hour limits."""
    needed = 0.0
    for post in scenario.posts:
        for instant in range(0, scenario.days * DAY, STEP):
            day, clock = divmod(instant, DAY)
            overall, by_role = 0, 0
            for rule in scenario.coverage:
                if rule.post != post.id or rule.min_cost is not None or rule.shift is not None:
                    continue
                w_start, w_len = (rule.window.start, rule.window.minutes) if rule.window else (0, DAY)
                for offset in (0, DAY):  # a window from the day before may run past midnight
                    rule_day = (scenario.start + dt.timedelta(days=day - offset // DAY)).strftime("%a").lower()
                    if rule_day in rule.days and w_start <= clock + offset < w_start + w_len:
                        if rule.role is None:
                            overall = max(overall, rule.min)
                        else:
                            by_role += rule.min
                        break
            needed += max(overall, by_role) * STEP / 60
    for duty in scenario.team_duties:
        needed += duty.teams * len(duty.roles) * duty.window.minutes / 60 * scenario.days
    supplied = 0.0
    for person in scenario.people:
        if person.active:
            weekly = scenario.limits_of(person).max_hours_per_week or 7 * 24.0
            for week in range(0, scenario.days, 7):  # weekly limits hold per 7-day block from the start
                block = min(7, scenario.days - week)
                supplied += min(weekly, 16 * block)
    return needed, supplied


# ---------------------------------------------------------------------------------------------- examples


def test_examples_exist() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"checkpoint.yaml", "checkpoint-short.yaml", "grid.yaml"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_loads(path: Path) -> None:
    scenario = load(path)
    assert scenario.start == dt.date(2026, 12, 7)
    assert scenario.start.weekday() == 0
    assert scenario.days == 7
    assert scenario.timezone == "Asia/Shanghai"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_can_be_staffed_hour_by_hour(path: Path) -> None:
    assert shortages(load(path)) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_has_person_hours_to_spare(path: Path) -> None:
    needed, supplied = person_hours(load(path))
    assert supplied >= 1.8 * needed, (needed, supplied)


def test_checkpoint_situations() -> None:
    s = load(ROOT / "examples" / "checkpoint.yaml")
    assert 38 <= len(s.people) <= 46
    assert [p.id for p in s.posts] == ["gate"]
    assert [(sh.start, sh.minutes) for sh in s.posts[0].shifts] == [(0, 480), (480, 480), (960, 480)]
    assert {r.id for r in s.roles} == {"party", "volunteer", "security", "secretary", "health", "police"}
    assert all(r.mark for r in s.roles)
    assert all(rule.min_cost is None for rule in s.coverage if rule.id != "gate-evening-peak")
    assert any(p.limits.nights_allowed is False and p.availability for p in s.people)
    assert any(a.date == dt.date(2026, 12, 8) and a.reason for p in s.people for a in p.absences)
    assert any(a.start is not None for p in s.people for a in p.absences)
    assert {pair.kind for pair in s.pairs} == {"apart", "together"}
    assert len(s.pins) == 1 and len(s.bans) == 1
    assert any(h.night and h.start.date() == dt.date(2026, 12, 6) for h in s.history)
    # a screening member works 13 h; the default limits must allow it and more than one duty a week
    limits = s.default_limits
    assert limits.max_hours_per_week is not None and limits.max_hours_per_week >= 3 * 13
    # volunteers' nights: their role's limit, which one of them overrides
    assert next(r for r in s.roles if r.id == "volunteer").limits.max_nights_per_week == 2
    assert [s.limits_of(s.person(p)).max_nights_per_week for p in ("jiang-xin", "su-peng", "wang-jianguo")] == [2, 3, 3]


def test_grid_matches_its_script() -> None:
    spec = importlib.util.spec_from_file_location("make_grid", ROOT / "examples" / "make_grid.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build()
    assert built == load(ROOT / "examples" / "grid.yaml"), "grid.yaml is stale: run examples/make_grid.py"
    assert len(built.posts) == 8 and 110 <= len(built.people) <= 130
    assert all(p.posts and 1 <= len([x for x in p.posts if x != "screening"]) <= 3 for p in built.people)
    assert {s.hours for post in built.posts for s in post.shifts} == {8, 12}
    assert built.team_duties[0].teams == 2


# --------------------------------------------------------------------------------------------- generator


def test_generator_is_deterministic() -> None:
    a = generate(300, 6, 14, seed=7)
    assert a == generate(300, 6, 14, seed=7)
    assert a != generate(300, 6, 14, seed=8)
    assert generate_small(3) == generate_small(3)


@pytest.mark.parametrize(("people", "posts", "days", "seed"), [(120, 3, 7, 0), (300, 6, 14, 1), (200, 5, 3, 2)])
def test_generated_scenario_validates_and_can_be_staffed(people: int, posts: int, days: int, seed: int) -> None:
    scenario = generate(people, posts, days, seed)
    again = Scenario.model_validate(scenario.model_dump(mode="json", by_alias=True))
    assert again == scenario
    assert len(scenario.people) == people and len(scenario.posts) == posts and scenario.days == days
    assert all(p.posts and 1 <= len(p.posts) <= 3 for p in scenario.people)
    assert shortages(scenario) == []
    needed, supplied = person_hours(scenario)
    assert supplied >= 2 * needed, (needed, supplied)


def test_large_generated_scenario_validates() -> None:
    scenario = generate(1000, 20, 28, seed=0)
    assert len(scenario.people) == 1000
    assert Scenario.model_validate(scenario.model_dump(mode="json", by_alias=True)) == scenario


def test_generator_refuses_too_few_people() -> None:
    with pytest.raises(ValueError, match="too few"):
        generate(20, 5, 7, seed=0)


@pytest.mark.parametrize("seed", range(50))
def test_small_scenarios_validate(seed: int) -> None:
    scenario = generate_small(seed)
    assert 2 <= len(scenario.people) <= 6
    assert len(scenario.posts) == 1
    assert 1 <= scenario.days <= 3
    assert Scenario.model_validate(scenario.model_dump(mode="json", by_alias=True)) == scenario

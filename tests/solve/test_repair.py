"""repair(): the fewest changes after a drop-out, checked against a brute-force minimum on small generated cases.

Every repaired rota is checked by the independent checker against the scenario with the new absences, and its
change count is recomputed here from the two rotas.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from scheduler.check import check
from scheduler.domain.diff import assignment_key
from scheduler.domain.people import Absence
from scheduler.domain.rota import Assignment, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.solve.repair import (
    RepairInputError,
    RepairProgress,
    RepairResult,
    RepairSettings,
    Unavailability,
    parse_unavailability,
    repair,
)
from tests.builders import MONDAY, cover, day, person, pin, solved, tiny_scenario

ZONE = tiny_scenario().zone
SETTINGS = RepairSettings(time_limit=20, workers=1, seed=0)


def at(offset: int, clock: str = "00:00") -> dt.datetime:
    """Local time on period day `offset` from MONDAY."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day(offset), dt.time(hours, minutes), ZONE)


def away(pid: str, first: int, last: int) -> Unavailability:
    """The person cannot work period days first … last (whole days)."""
    return Unavailability(person=pid, start=at(first), end=at(last + 1))


def published_rota(scenario: Scenario, **settings: Any) -> Rota:
    result = solved(scenario, **settings)
    assert result.rota is not None
    return result.rota


def weight_of(start: dt.datetime, now: dt.datetime, near_weight: int = 2, near_hours: float = 24) -> int:
    return near_weight if now <= start < now + dt.timedelta(hours=near_hours) else 1


def weighted_changes(old: Rota, new: Rota, now: dt.datetime, near_weight: int = 2) -> int:
    """Recomputed from the two rotas: each lost or gained assignment, weighted by how soon it starts."""
    before = {assignment_key(a): a for a in old.assignments}
    after = {assignment_key(a): a for a in new.assignments}
    changed = [a for k, a in before.items() if k not in after] + [a for k, a in after.items() if k not in before]
    return sum(weight_of(a.start, now, near_weight) for a in changed)


def checked_repair(
    scenario: Scenario, published: Rota, unavailable: list[Unavailability], now: dt.datetime,
    settings: RepairSettings = SETTINGS,
) -> RepairResult:
    """repair(), with its rota checked by the checker and its change counts recomputed from the rotas."""
    result = repair(scenario, published, unavailable, settings, now)
    if result.rota is None:
        return result
    checked = check(result.scenario, result.rota)
    assert checked.ok, [v.message for v in checked.violations]
    assert result.objective is not None
    assert checked.objective == pytest.approx(result.objective, abs=1e-6)
    assert result.change_count == len(result.changes.added) + len(result.changes.removed)
    assert result.weighted_changes == weighted_changes(published, result.rota, now, settings.near_weight)
    past_before = [a for a in published.assignments if a.start < now]
    past_after = [a for a in result.rota.assignments if a.start < now]
    assert sorted(map(assignment_key, past_after)) == sorted(map(assignment_key, past_before)), "the past is frozen"
    return result


def slots(rota: Rota) -> set[tuple[str, int, str | None, str]]:
    """(person, day offset, shift, role) of every assignment."""
    return {(a.person, (a.date - rota.start).days, a.shift, a.role) for a in rota.assignments}


# ------------------------------------------------------------------------------------- brute force


@dataclass
class Case:
    scenario: Scenario
    expected: Scenario
    """The scenario with the absence written by hand: what the repaired rota must be valid for."""
    published: Rota
    unavailable: Unavailability
    now: dt.datetime


SHIFTS = {"a": ("08:00", 8), "b": ("16:00", 8)}


def random_people(rng: random.Random) -> list[dict[str, Any]]:
    people = []
    for i in range(rng.choice([4, 5])):
        limits: dict[str, Any] = {}
        if rng.random() < 0.4:
            limits["max_shifts_per_week"] = rng.choice([1, 2])
        if rng.random() < 0.4:
            limits["min_rest_hours"] = 12  # no "a" the morning after a "b"
        extra: dict[str, Any] = {"limits": limits}
        if rng.random() < 0.25:
            extra["availability"] = [{"days": ["mon", "tue"], "start": "06:00", "end": "17:00"}]
        people.append(person(f"p{i}", **extra))
    return people


def random_scenario(rng: random.Random) -> Scenario:
    coverage = [cover(s, rng.choice([1, 1, 2]), 2) for s in SHIFTS]
    extra: dict[str, Any] = {}
    if rng.random() < 0.3:
        extra["pins"] = [pin("p0", rng.choice(list(SHIFTS)), rng.choice([0, 1]))]
    return tiny_scenario(random_people(rng), days=2, shifts=SHIFTS, coverage=coverage, **extra)


def with_absence(scenario: Scenario, pid: str, offset: int) -> Scenario:
    absence = Absence(date=day(offset), until=day(offset))
    people = [
        p.model_copy(update={"absences": [*p.absences, absence]}) if p.id == pid else p for p in scenario.people
    ]
    return scenario.model_copy(update={"people": people})


def random_case(seed: int) -> Case:
    rng = random.Random(seed)
    while True:
        scenario = random_scenario(rng)
        try:
            published = published_rota(scenario)
        except AssertionError:
            continue  # no rota for this draw: draw again
        now = rng.choice([at(-1, "23:00"), at(0, "12:00"), at(0, "20:00")])
        offset = 1 if now >= at(0) else rng.choice([0, 1])
        working = sorted({a.person for a in published.assignments if a.date == day(offset)})
        pid = rng.choice(working)
        return Case(scenario, with_absence(scenario, pid, offset), published, away(pid, offset, offset), now)


Instance = tuple[dt.date, str, dt.datetime]


def instances_of(scenario: Scenario) -> list[Instance]:
    result = []
    for offset in range(scenario.days):
        for shift_id, (clock, _) in SHIFTS.items():
            result.append((day(offset), shift_id, at(offset, clock)))
    return result


def assignment(scenario: Scenario, pid: str, instance: Instance) -> Assignment:
    date, shift_id, start = instance
    return Assignment(
        person=pid, post="gate", shift=shift_id, role="vol", date=date, start=start,
        end=start + dt.timedelta(hours=SHIFTS[shift_id][1]),
    )


def rota_of(scenario: Scenario, assignments: list[Assignment]) -> Rota:
    return Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=SolveStatus.FEASIBLE, objective=None, bound=None, assignments=assignments,
    )


def may_work(scenario: Scenario, pid: str, instance: Instance) -> bool:
    """The checker finds no eligibility or availability problem with this one assignment."""
    alone = rota_of(scenario, [assignment(scenario, pid, instance)])
    return not any(v.rule in ("eligibility", "availability") for v in check(scenario, alone).violations)


def options(case: Case, instance: Instance) -> list[tuple[int, frozenset[str]]]:
    """Who may be on an instance, each set with its weighted change cost against the published rota."""
    date, shift_id, start = instance
    before = frozenset(a.person for a in case.published.assignments if a.date == date and a.shift == shift_id)
    if start < case.now:
        return [(0, before)]
    rule = next(r for r in case.scenario.coverage if r.shift == shift_id)
    people = [p.id for p in case.scenario.people if may_work(case.expected, p.id, instance)]
    sets = [frozenset(c) for n in range(rule.min, (rule.max or 0) + 1) for c in itertools.combinations(people, n)]
    return [(weight_of(start, case.now) * len(before ^ s), s) for s in sets]


def candidates(case: Case) -> Iterator[tuple[int, list[frozenset[str]]]]:
    instances = instances_of(case.scenario)
    per_instance = [options(case, i) for i in instances]
    for combination in itertools.product(*per_instance):
        yield sum(cost for cost, _ in combination), [people for _, people in combination]


def brute_force_minimum(case: Case) -> int | None:
    """The fewest weighted changes of any rota the checker accepts, trying every staffing in order of cost."""
    instances = instances_of(case.scenario)
    for cost, staffing in sorted(candidates(case), key=lambda c: c[0]):
        assignments = [
            assignment(case.scenario, pid, inst) for inst, people in zip(instances, staffing, strict=True)
            for pid in sorted(people)
        ]
        if check(case.expected, rota_of(case.scenario, assignments)).ok:
            return cost
    return None


@pytest.mark.parametrize("seed", range(24))
def test_the_fewest_changes_match_a_brute_force_minimum(seed: int) -> None:
    case = random_case(seed)
    result = checked_repair(case.scenario, case.published, [case.unavailable], case.now)
    assert result.scenario == case.expected
    minimum = brute_force_minimum(case)
    if minimum is None:
        assert result.status is SolveStatus.INFEASIBLE and result.explanation is not None
        return
    assert result.rota is not None, result.explanation
    assert result.proven_minimal
    assert result.weighted_changes == minimum


# ------------------------------------------------------------------------------------- behaviour


def three_days() -> Scenario:
    """One 08:00 shift a day for three days, exactly one person on it; everyone works at most one shift."""
    return tiny_scenario(
        ["alice", "bob", "carol", person("dave", availability=[{"days": ["mon", "wed"], "start": "00:00",
                                                                "end": "24:00"}])],
        days=3, coverage=[cover("day", 1, 1)], default_limits={"max_shifts_per_week": 1},
        pins=[pin("alice", "day", 0), pin("bob", "day", 1), pin("carol", "day", 2)],
    )


def unpinned(scenario: Scenario) -> Scenario:
    return scenario.model_copy(update={"pins": []})


def test_a_withdrawal_changes_only_what_is_needed() -> None:
    scenario = tiny_scenario(["alice", "bob", "carol"], days=3, coverage=[cover("day", 1, 1)],
                             pins=[pin("alice", "day", 0), pin("bob", "day", 1), pin("alice", "day", 2)])
    published = published_rota(scenario)
    result = checked_repair(unpinned(scenario), published, [away("bob", 1, 1)], at(-1))
    assert result.status is SolveStatus.OPTIMAL and result.proven_minimal
    assert result.rota is not None
    assert result.change_count == 2  # bob loses Tuesday, somebody else gains it
    assert [(c.kind.value, c.person, c.date) for c in result.changes.removed] == [("removed", "bob", day(1))]
    assert [c.date for c in result.changes.added] == [day(1)]
    assert slots(result.rota) - slots(published) == {(result.changes.added[0].person, 1, "day", "vol")}


def test_changes_within_24_hours_weigh_more_so_later_shifts_change_instead() -> None:
    # Bob drops Tuesday. Only alice (Monday) or carol (Wednesday) can take it, each leaving her own day to dave.
    # Four changes either way; with now on Monday 06:00, moving Monday's shift costs double.
    published = published_rota(three_days())
    now = at(0, "06:00")
    result = checked_repair(unpinned(three_days()), published, [away("bob", 1, 1)], now)
    assert result.rota is not None
    assert result.change_count == 4
    assert result.weighted_changes == 4
    assert ("carol", 1, "day", "vol") in slots(result.rota) and ("dave", 2, "day", "vol") in slots(result.rota)
    assert ("alice", 0, "day", "vol") in slots(result.rota)
    unweighted = checked_repair(unpinned(three_days()), published, [away("bob", 1, 1)], now,
                                SETTINGS.model_copy(update={"near_weight": 1}))
    assert unweighted.weighted_changes == unweighted.change_count == 4


def test_among_repairs_with_the_fewest_changes_the_usual_objective_decides() -> None:
    # Bob drops Tuesday: two changes whoever takes it. Carol wants Tuesdays (weight 3), dave too (weight 1):
    # stage 3 gives it to carol.
    wish = [{"kind": "wants", "weekday": "tue", "weight": 3}]
    scenario = tiny_scenario(
        ["alice", "bob", person("carol", preferences=wish),
         person("dave", preferences=[{"kind": "wants", "weekday": "tue", "weight": 1}])],
        days=2, coverage=[cover("day", 1, 1)], pins=[pin("alice", "day", 0), pin("bob", "day", 1)],
    )
    published = published_rota(scenario)
    result = checked_repair(unpinned(scenario), published, [away("bob", 1, 1)], at(-1))
    assert result.rota is not None and result.change_count == 2 and result.status is SolveStatus.OPTIMAL
    assert ("carol", 1, "day", "vol") in slots(result.rota)


def test_pinned_assignments_never_move() -> None:
    # The only repair moves alice from Monday to Tuesday; pinned on Monday she stays, and no repair exists.
    scenario = tiny_scenario(
        ["alice", "bob", person("carol", availability=[{"days": ["mon"], "start": "00:00", "end": "24:00"}])],
        days=2, coverage=[cover("day", 1, 1)], default_limits={"max_shifts_per_week": 1},
        pins=[pin("alice", "day", 0), pin("bob", "day", 1)],
    )
    published = published_rota(scenario)
    free = checked_repair(unpinned(scenario), published, [away("bob", 1, 1)], at(-1))
    assert free.rota is not None and free.change_count == 4
    assert ("alice", 1, "day", "vol") in slots(free.rota)
    kept = scenario.model_copy(update={"pins": scenario.pins[:1]})
    result = checked_repair(kept, published, [away("bob", 1, 1)], at(-1))
    assert result.status is SolveStatus.INFEASIBLE and result.rota is None
    assert result.explanation is not None and result.explanation.summary


def test_assignments_before_now_are_frozen_and_an_absence_starts_after_work_in_progress() -> None:
    scenario = tiny_scenario(["alice", "bob"], days=2, coverage=[cover("day", 1, 1)],
                             pins=[pin("alice", "day", 0), pin("alice", "day", 1)])
    published = published_rota(scenario)
    now = at(0, "10:00")  # alice's Monday shift (08:00–16:00) is under way
    result = checked_repair(unpinned(scenario), published, [away("alice", 0, 1)], now)
    assert result.rota is not None
    assert slots(result.rota) == {("alice", 0, "day", "vol"), ("bob", 1, "day", "vol")}
    absences = result.scenario.person("alice").absences
    assert [(a.date, a.until, a.start, a.end) for a in absences] == [
        (day(0), None, 16 * 60, 24 * 60), (day(1), day(1), None, None)
    ]


def test_a_shift_that_started_seconds_ago_is_frozen() -> None:
    scenario = tiny_scenario(["alice", "bob"], days=2, coverage=[cover("day", 1, 1)],
                             pins=[pin("alice", "day", 0), pin("alice", "day", 1)])
    published = published_rota(scenario)
    result = checked_repair(unpinned(scenario), published, [Unavailability(person="alice")],
                            at(0, "08:00") + dt.timedelta(seconds=30))
    assert result.rota is not None
    assert slots(result.rota) == {("alice", 0, "day", "vol"), ("bob", 1, "day", "vol")}


def test_the_past_is_kept_even_when_changing_it_would_be_cheaper() -> None:
    # Bob (Tuesdays only) drops Tuesday evening. Alice, on Monday evening, may not work two evenings running;
    # carol may work one shift and has Monday morning; dave works mornings only. Only moving carol from Monday
    # morning (dave taking it) repairs the rota: possible from Sunday, not once Monday morning has started.
    scenario = tiny_scenario(
        ["alice", person("bob", availability=[{"days": ["tue"], "start": "00:00", "end": "24:00"}]),
         person("carol", limits={"max_shifts_per_week": 1}),
         person("dave", availability=[{"days": ["mon", "tue"], "start": "06:00", "end": "17:00"}])],
        days=2, shifts=SHIFTS, coverage=[cover("a", 1, 1), cover("b", 1, 1)],
        successions=[{"from": "b", "to": "b"}],
        pins=[pin("carol", "a", 0), pin("alice", "b", 0), pin("alice", "a", 1), pin("bob", "b", 1)],
    )
    published = published_rota(scenario)
    before = checked_repair(unpinned(scenario), published, [away("bob", 1, 1)], at(-1))
    assert before.rota is not None and before.change_count == 4
    assert ("carol", 1, "b", "vol") in slots(before.rota) and ("dave", 0, "a", "vol") in slots(before.rota)
    after = checked_repair(unpinned(scenario), published, [away("bob", 1, 1)], at(0, "12:00"))
    assert after.status is SolveStatus.INFEASIBLE and after.explanation is not None


def test_removing_someone_takes_all_their_future_shifts_and_gives_them_none() -> None:
    scenario = tiny_scenario(["alice", "bob", "carol"], days=3, coverage=[cover("day", 1, 1)],
                             pins=[pin("alice", "day", 0), pin("alice", "day", 1), pin("alice", "day", 2)])
    published = published_rota(scenario)
    result = checked_repair(unpinned(scenario), published, [Unavailability(person="alice", reason="moved away")],
                            at(0, "12:00"))
    assert result.rota is not None
    assert {a.person for a in result.rota.assignments if a.date > day(0)} <= {"bob", "carol"}
    assert ("alice", 0, "day", "vol") in slots(result.rota)
    assert result.change_count == 4
    assert all(a.reason == "moved away" for a in result.scenario.person("alice").absences)


def test_no_qualified_replacement_gives_the_explanation() -> None:
    scenario = tiny_scenario(["alice", person("bob", roles=["other"])], days=1, roles=["vol", "other"],
                             coverage=[cover("day", 1, 1, role="vol")])
    published = published_rota(scenario)
    result = checked_repair(scenario, published, [away("alice", 0, 0)], at(-1))
    assert result.status is SolveStatus.INFEASIBLE and result.rota is None
    assert result.explanation is not None
    assert result.explanation.shortages and "alice" in str(result.explanation.shortages[0].blockers)


def meal_scenario(extra_people: Sequence[dict[str, Any]]) -> Scenario:
    """Two people on the day shift, lunch 11:00–13:00 (45 min, 15-min grid), one person away at a time."""
    meal = {"post": "gate", "windows": [{"name": "Lunch", "start": "11:00", "end": "13:00"}], "max_away": 1,
            "middle_cost": 1}
    return tiny_scenario([person("alice"), person("bob"), *extra_people], coverage=[cover("day", 2, 2)],
                         meal_rules=[meal], pins=[pin("alice", "day", 0), pin("bob", "day", 0)])


def times(rota: Rota, pid: str) -> list[tuple[dt.datetime, dt.datetime, list[Any]]]:
    return [(a.start, a.end, list(a.breaks)) for a in rota.assignments if a.person == pid]


def test_kept_assignments_keep_their_meal_breaks_when_they_can() -> None:
    # Whatever alice's break, a 45-minute break for carol fits beside it; the middle cost alone would move it.
    scenario = meal_scenario([person("carol")])
    published = published_rota(scenario)
    result = checked_repair(unpinned(scenario), published, [away("bob", 0, 0)], at(-1))
    assert result.rota is not None and result.retimed_breaks == 0 and not result.changes.retimed
    assert times(result.rota, "alice") == times(published, "alice")


def test_meal_breaks_move_when_the_newcomer_needs_the_time_and_that_is_no_change() -> None:
    # Carol's 75-minute lunch fits in the 2-hour window only beside a break at either end of it: whoever of alice
    # and bob has a break inside the window stays, the other drops out, and the stayer's break must move.
    scenario = meal_scenario([person("carol", meal_minutes=75)])
    published = published_rota(scenario)
    inside = [
        a.person for a in published.assignments
        if at(0, "11:00") < a.breaks[0].start and a.breaks[0].end < at(0, "13:00")
    ]
    stayer = inside[0]
    leaver = "bob" if stayer == "alice" else "alice"
    result = checked_repair(unpinned(scenario), published, [away(leaver, 0, 0)], at(-1))
    assert result.rota is not None
    assert result.change_count == 2 and result.retimed_breaks == 1
    assert [c.person for c in result.changes.retimed] == [stayer]


def test_progress_reports_both_stages_in_order() -> None:
    published = published_rota(three_days())
    reports: list[RepairProgress] = []
    result = repair(unpinned(three_days()), published, [away("bob", 1, 1)], SETTINGS, at(-1), reports.append)
    assert result.rota is not None
    stages = [r.stage for r in reports]
    assert stages == sorted(stages) and stages[0] == "changes" and stages[-1] == "objective"
    assert result.stats.changes_time > 0 and result.stats.objective_time > 0
    assert result.stats.wall_time >= result.stats.build_time + result.stats.changes_time


def test_inputs_that_do_not_fit_are_refused_with_the_field_named() -> None:
    published = published_rota(three_days())
    with pytest.raises(RepairInputError, match=r"unavailable\[0\]\.person: unknown person 'zoe'"):
        repair(three_days(), published, [away("zoe", 0, 0)], SETTINGS, at(-1))
    with pytest.raises(RepairInputError, match=r"unavailable\[0\]\.end"):
        repair(three_days(), published, [Unavailability(person="bob", start=at(2), end=at(1))], SETTINGS, at(-1))
    other_week = published.model_copy(update={"start": MONDAY + dt.timedelta(days=7)})
    with pytest.raises(RepairInputError, match="published"):
        repair(three_days(), other_week, [], SETTINGS, at(-1))


def test_unavailability_text_reads_dates_and_date_times_in_the_scenario_zone() -> None:
    whole = parse_unavailability("bob:2026-12-08/2026-12-09", ZONE)
    assert (whole.person, whole.start, whole.end) == ("bob", at(1), at(3))
    timed = parse_unavailability("bob:2026-12-08T14:30/2026-12-09T08:00", ZONE)
    assert (timed.start, timed.end) == (at(1, "14:30"), at(2, "08:00"))
    assert parse_unavailability("bob:/", ZONE) == Unavailability(person="bob")
    for bad in ("bob", "bob:2026-12-08", "bob:tomorrow/2026-12-09", "bob:2026-12-09/2026-12-08"):
        with pytest.raises(ValueError):
            parse_unavailability(bad, ZONE)

"""Property-based agreement of the solver and the independent checker.

Whatever rota the solver returns must pass the checker with no violation, and the checker's objective and
per-rule penalty totals (recomputed from scratch) must equal the solver's. When no rota exists, an explanation
with a summary must come back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, example, given, note, settings
from hypothesis import strategies as st

from benchmarks.generator import generate_small
from scheduler.check import check
from scheduler.domain.rota import Penalty, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings

SETTINGS = SolveSettings(time_limit=5, workers=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def totals(penalties: Iterable[Penalty]) -> dict[str, float]:
    by_rule: dict[str, float] = defaultdict(float)
    for penalty in penalties:
        by_rule[penalty.rule] += penalty.cost
    return {rule: cost for rule, cost in by_rule.items() if abs(cost) > 1e-9}


def record(text: str) -> None:
    """A note shown with a failing example (outside a Hypothesis test the assertion messages have to do)."""
    if currently_in_test_context():
        note(text)


def assert_agreement(scenario: Scenario, via_json: bool = False) -> SolveStatus:
    """Solve; a rota must pass the checker at the same cost, no rota must come with an explanation.

    With `via_json` the checker sees the rota as `rota check` does: written to rota.json and read back.
    """
    result = solve(scenario, SETTINGS)
    record(f"status {result.status}, objective {result.objective}")
    if currently_in_test_context():
        event(f"status {result.status.value}")
    if result.rota is None:
        assert result.status is SolveStatus.INFEASIBLE, f"no rota and no proof of infeasibility: {result.status}"
        assert result.explanation is not None
        assert result.explanation.summary.strip()
        return result.status
    rota = Rota.model_validate_json(result.rota.model_dump_json()) if via_json else result.rota
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert rota.objective is not None
    assert result.objective == rota.objective
    checked = check(scenario, rota)
    record(f"assignments {[(a.person, a.place, a.shift, a.date.isoformat(), a.role) for a in rota.assignments]}")
    record(f"solver penalties {[(p.name, p.cost) for p in rota.penalties]}")
    record(f"checker penalties {[(p.name, p.cost) for p in checked.penalties]}")
    assert [v.message for v in checked.violations] == []
    assert checked.objective == pytest.approx(rota.objective, abs=1e-6)
    solver_totals, checker_totals = totals(rota.penalties), totals(checked.penalties)
    assert set(solver_totals) == set(checker_totals), (solver_totals, checker_totals)
    for rule, cost in solver_totals.items():
        assert checker_totals[rule] == pytest.approx(cost, abs=1e-5), rule
    assert sum(p.cost for p in rota.penalties) == pytest.approx(rota.objective, abs=1e-5)
    if result.status is SolveStatus.OPTIMAL and result.bound is not None:
        assert result.bound == pytest.approx(rota.objective, abs=1e-5)
    for a in rota.assignments:
        assert a.start.utcoffset() is not None and a.end.utcoffset() is not None
        assert a.start < a.end
    return result.status


# ------------------------------------------------------------------------------------ generate_small


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000))
def test_generated_small_scenarios_agree(seed: int) -> None:
    assert_agreement(generate_small(seed))


# --------------------------------------------------------------------------------- own random scenarios

MONDAYS = (dt.date(2026, 12, 7), dt.date(2027, 3, 22), dt.date(2026, 10, 19))
"""A plain week, and weeks whose Sunday is a European daylight-saving change (2027-03-28, 2026-10-25)."""
ZONES = ("Asia/Shanghai", "Europe/Berlin", "UTC")
ROLES = ("guard", "helper", "medic")


def clock(draw: st.DrawFn, hours: Iterable[int] = range(24)) -> str:
    hour = draw(st.sampled_from(tuple(hours)))
    minute = draw(st.sampled_from((0, 0, 30)))
    return f"{hour:02d}:{minute:02d}"


def weekdays(draw: st.DrawFn) -> list[str]:
    return draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))


def maybe(draw: st.DrawFn, values: st.SearchStrategy[Any], chance_of_none: float = 0.5) -> Any:
    return None if draw(st.floats(0, 1)) < chance_of_none else draw(values)


def limits(draw: st.DrawFn) -> dict[str, Any]:
    fields: dict[str, st.SearchStrategy[Any]] = {
        "max_hours_per_week": st.sampled_from((8, 12, 16, 24, 40)),
        "max_shifts_per_week": st.integers(0, 4),
        "min_hours_total": st.sampled_from((4, 8, 12)),
        "max_hours_total": st.sampled_from((8, 16, 24)),
        "max_consecutive_days": st.integers(1, 3),
        "min_consecutive_days": st.integers(1, 3),
        "min_consecutive_days_off": st.integers(1, 2),
        "min_rest_hours": st.sampled_from((0, 8, 11.5, 12, 16)),
        "max_nights_per_week": st.integers(0, 2),
        "max_weekends": st.integers(0, 1),
        "nights_allowed": st.booleans(),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True))
    return {name: draw(fields[name]) for name in chosen}


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A small scenario touching most rule families; ids always resolve, so it always validates."""
    monday = draw(st.sampled_from(MONDAYS))
    start = monday + dt.timedelta(days=draw(st.integers(0, 6)))
    days = draw(st.integers(1, 4))
    roles = ROLES[: draw(st.integers(1, 3))]

    posts: list[dict[str, Any]] = []
    shift_ids: dict[str, list[str]] = {}
    for p in range(draw(st.integers(1, 2))):
        shifts = []
        for s in range(draw(st.integers(1, 3))):
            shift: dict[str, Any] = {
                "id": f"s{s}",
                "start": clock(draw, (0, 6, 7, 8, 12, 14, 16, 20, 22)),
                "hours": draw(st.sampled_from((4, 6, 7.5, 8, 12))),
            }
            if draw(st.booleans()):
                shift["days"] = weekdays(draw)
            night = maybe(draw, st.booleans(), 0.8)
            if night is not None:
                shift["night"] = night
            shifts.append(shift)
        posts.append({"id": f"p{p}", "name": f"Post {p}", "shifts": shifts})
        shift_ids[f"p{p}"] = [s["id"] for s in shifts]
    duties: list[dict[str, Any]] = []
    if draw(st.integers(0, 3)) == 0:
        duties.append(
            {
                "id": "team",
                "name": "Team",
                "window": {"start": clock(draw, (8, 9, 10)), "end": clock(draw, (12, 14, 17))},
                "roles": draw(st.lists(st.sampled_from(roles), min_size=1, max_size=2, unique=True)),
                "days": weekdays(draw),
            }
        )
    places = [p["id"] for p in posts] + [d["id"] for d in duties]

    def a_date(spill: int = 0) -> str:
        return (start + dt.timedelta(days=draw(st.integers(-spill, days - 1 + spill)))).isoformat()

    def a_shift() -> tuple[str, str]:
        post = draw(st.sampled_from(sorted(shift_ids)))
        return post, draw(st.sampled_from(shift_ids[post]))

    people: list[dict[str, Any]] = []
    for i in range(draw(st.integers(2, 6))):
        person: dict[str, Any] = {
            "id": f"u{i}",
            "name": f"User {i}",
            "roles": draw(st.lists(st.sampled_from(roles), min_size=1, max_size=len(roles), unique=True)),
            "limits": limits(draw),
        }
        if draw(st.integers(0, 3)) == 0:
            person["posts"] = draw(st.lists(st.sampled_from(places), max_size=len(places), unique=True))
        for _ in range(draw(st.integers(0, 2)) if draw(st.booleans()) else 0):
            w_start = clock(draw)
            w_end = clock(draw, range(25))
            if w_end in (w_start, "24:30"):
                continue
            person.setdefault("availability", []).append({"days": weekdays(draw), "start": w_start, "end": w_end})
        for _ in range(draw(st.integers(0, 2)) if draw(st.booleans()) else 0):
            absence: dict[str, Any] = {"date": a_date(spill=1)}
            if draw(st.booleans()):
                absence["until"] = (dt.date.fromisoformat(absence["date"]) + dt.timedelta(days=1)).isoformat()
            if draw(st.booleans()):
                a, b = sorted(draw(st.lists(st.integers(0, 48), min_size=2, max_size=2, unique=True)))
                absence["start"], absence["end"] = f"{a // 2:02d}:{a % 2 * 30:02d}", f"{b // 2:02d}:{b % 2 * 30:02d}"
            person.setdefault("absences", []).append(absence)
        for _ in range(draw(st.integers(0, 2))):
            pref: dict[str, Any] = {
                "kind": draw(st.sampled_from(("wants", "avoids"))),
                "weight": draw(st.integers(1, 5)),
            }
            target = draw(st.sampled_from(("date", "shift", "weekday", "nights")))
            if target == "date":
                pref["date"] = a_date()
            elif target == "shift":
                post, shift_id = a_shift()
                pref.update(date=a_date(), shift=shift_id)
                if draw(st.booleans()):
                    pref["post"] = post
            elif target == "weekday":
                pref["weekday"] = draw(st.sampled_from(WEEKDAYS))
            else:
                pref["nights"] = True
            person.setdefault("preferences", []).append(pref)
        if draw(st.integers(0, 4)) == 0:
            post, shift_id = a_shift()
            person["shift_limits"] = [{"shift": shift_id, "post": post, "max": draw(st.integers(0, 1))}]
        if draw(st.integers(0, 9)) == 0:
            person["active"] = False
        people.append(person)
    person_ids = [p["id"] for p in people]

    coverage: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 3))):
        post, shift_id = a_shift()
        rule: dict[str, Any] = {"post": post, "min": draw(st.integers(0, 2))}
        kind = draw(st.sampled_from(("day", "window", "shift")))
        if kind == "window":
            w_start = clock(draw)
            w_end = clock(draw, range(25))
            if w_end not in (w_start, "24:30"):
                rule["window"] = {"start": w_start, "end": w_end}
        elif kind == "shift":
            rule["shift"] = shift_id
        if draw(st.booleans()):
            rule["role"] = draw(st.sampled_from(roles))
        if draw(st.booleans()):
            rule["days"] = weekdays(draw)
        if draw(st.booleans()):
            rule["min_cost"] = draw(st.integers(1, 5))
        if draw(st.integers(0, 2)) == 0:
            rule["max"] = rule["min"] + draw(st.integers(0, 1))
            if draw(st.booleans()):
                rule["max_cost"] = draw(st.integers(1, 3))
        coverage.append(rule)

    data: dict[str, Any] = {
        "community": "Property",
        "timezone": draw(st.sampled_from(ZONES)),
        "start": start.isoformat(),
        "days": days,
        "roles": [{"id": r, "name": r.title()} for r in roles],
        "posts": posts,
        "team_duties": duties,
        "people": people,
        "default_limits": limits(draw),
        "coverage": coverage,
        "weights": {
            "fairness_hours": draw(st.integers(0, 2)),
            "fairness_nights": draw(st.integers(0, 3)),
            "fairness_weekends": draw(st.integers(0, 3)),
            "preferences": draw(st.integers(0, 2)),
        },
    }
    if draw(st.booleans()):
        data["night_window"] = {"start": clock(draw, (22, 23, 0)), "end": clock(draw, (5, 6, 7))}
    if draw(st.integers(0, 3)) == 0:
        post, shift_id = a_shift()
        other = draw(st.sampled_from(shift_ids[post]))
        data["successions"] = [{"from": shift_id, "to": other, "post": post}]
    if draw(st.integers(0, 2)) == 0:
        pair = draw(st.lists(st.sampled_from(person_ids), min_size=2, max_size=2, unique=True))
        data["pairs"] = [{"kind": draw(st.sampled_from(("apart", "together"))), "people": pair}]
    if draw(st.integers(0, 3)) == 0:
        place = draw(st.sampled_from(places))
        pin: dict[str, Any] = {"person": draw(st.sampled_from(person_ids)), "date": a_date(), "post": place}
        if place in shift_ids:
            pin["shift"] = draw(st.sampled_from(shift_ids[place]))
        if draw(st.booleans()):
            pin["role"] = draw(st.sampled_from(roles))
        data["pins"] = [pin]
    if draw(st.integers(0, 3)) == 0:
        place = draw(st.sampled_from(places))
        ban: dict[str, Any] = {"person": draw(st.sampled_from(person_ids)), "date": a_date(), "post": place}
        if place in shift_ids and draw(st.booleans()):
            ban["shift"] = draw(st.sampled_from(shift_ids[place]))
        data["bans"] = [ban]
    history = []
    for _ in range(draw(st.integers(0, 2))):
        end = dt.datetime.combine(start, dt.time()) - dt.timedelta(hours=draw(st.integers(0, 30)))
        length = dt.timedelta(hours=draw(st.sampled_from((4, 8, 12))))
        history.append(
            {
                "person": draw(st.sampled_from(person_ids)),
                "start": (end - length).isoformat(),
                "end": end.isoformat(),
                "night": draw(st.booleans()),
            }
        )
    if history:
        data["history"] = history
    note(f"scenario {data}")
    return Scenario.model_validate(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_agree(scenario: Scenario) -> None:
    """The checker sees the rota as `rota check` does, read back from rota.json."""
    assert_agreement(scenario, via_json=True)


# ------------------------------------------------------------------ a shift ending in the repeated DST hour


def dst_fall_back_scenario() -> Scenario:
    """Minimal disagreement: in Europe/Berlin clocks go back from 03:00 to 02:00 on Sun 2026-10-25.

    The Saturday shift 14:00 + 12 h (absolute) ends at 00:00 UTC = 02:00+02:00, the first of the two 02:00s.
    """
    return Scenario.model_validate(
        {
            "community": "DST",
            "timezone": "Europe/Berlin",
            "start": "2026-10-24",
            "days": 1,
            "roles": [{"id": "guard", "name": "Guard"}],
            "posts": [{"id": "p0", "name": "Post", "shifts": [{"id": "s0", "start": "14:00", "hours": 12}]}],
            "people": [{"id": "u0", "name": "User", "roles": ["guard"]}],
            "coverage": [{"post": "p0", "shift": "s0", "min": 1}],
        }
    )




def test_dst_fall_back_rota_times_are_right() -> None:
    result = solve(dst_fall_back_scenario(), SETTINGS)
    assert result.rota is not None
    [a] = result.rota.assignments
    assert a.start.astimezone(dt.UTC) == dt.datetime(2026, 10, 24, 12, 0, tzinfo=dt.UTC)
    assert a.end.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 0, tzinfo=dt.UTC)  # 12 real hours
    assert a.end.isoformat() == "2026-10-25T02:00:00+02:00"


def test_dst_fall_back_agrees_via_json() -> None:
    assert assert_agreement(dst_fall_back_scenario(), via_json=True) is SolveStatus.OPTIMAL


def test_dst_fall_back_agrees_in_memory() -> None:
    assert_agreement(dst_fall_back_scenario())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
@example(dst_fall_back_scenario())
def test_random_scenarios_agree_in_memory(scenario: Scenario) -> None:
    """The checker sees the very rota objects `solve` returned (as a Python caller does)."""
    assert_agreement(scenario)

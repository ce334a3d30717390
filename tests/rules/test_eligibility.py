"""eligibility: weekly windows, absences, bans, nights, posts, roles, shift limits of 0, active flag.

The rule is applied by leaving out variables (scheduler/model/constraints/eligibility.py): a blocked person is never
on the shift. Each case: the restriction makes a shift impossible for Alice alone (infeasible, with an
explanation), the same shift without the restriction is fine, and a shift the restriction allows is still worked.
"""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import eligibility as eligibility_check
from scheduler.model.constraints.eligibility import block_reason
from scheduler.model.timeline import Instances
from tests.builders import cover, days_of, infeasible, person, solved, tiny_scenario, worked
from tests.handwritten import assert_ok, make_scenario, only, run, shift, sound
from tests.handwritten import person as hand_person
from tests.rules.alone import verdict

SHIFTS = {"day": ("08:00", 8), "late": ("16:00", 8), "night": ("00:00", 8)}

# (id, Alice's extra fields, scenario extras, blocked shift, allowed shift or None)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str | None]] = [
    ("window", {"availability": [{"days": ["mon"], "start": "08:00", "end": "16:00"}]}, {}, "late", "day"),
    ("window-one-minute-short", {"availability": [{"days": ["mon"], "start": "08:00", "end": "15:59"}]}, {}, "day",
     None),
    ("window-wrong-weekday", {"availability": [{"days": ["tue"], "start": "00:00", "end": "24:00"}]}, {}, "day",
     None),
    ("touching-windows-join", {"availability": [{"days": ["mon"], "start": "08:00", "end": "12:00"},
                                                {"days": ["mon"], "start": "12:00", "end": "16:00"}]}, {},
     "late", "day"),
    # A window ending before its start runs into the next day; Sunday's window covers Monday 00:00–08:00.
    ("overnight-window", {"availability": [{"days": ["sun"], "start": "22:00", "end": "08:00"}]}, {}, "day",
     "night"),
    ("absence-whole-day", {"absences": [{"date": "2026-12-07"}]}, {}, "day", None),
    ("absence-part-of-day", {"absences": [{"date": "2026-12-07", "start": "10:00", "end": "11:00"}]}, {}, "day",
     "late"),
    ("absence-touching-end", {"absences": [{"date": "2026-12-07", "start": "16:00", "end": "18:00"}]}, {}, "late",
     "day"),
    ("ban-post", {}, {"bans": [{"person": "alice", "date": "2026-12-07", "post": "gate"}]}, "day", None),
    ("ban-shift", {}, {"bans": [{"person": "alice", "date": "2026-12-07", "post": "gate", "shift": "late"}]},
     "late", "day"),
    ("nights-not-allowed", {"limits": {"nights_allowed": False}}, {}, "night", "day"),
    ("nights-not-allowed-by-default", {}, {"default_limits": {"nights_allowed": False}}, "night", "day"),
    ("nights-not-allowed-by-role", {}, {"roles": [{"id": "vol", "name": "Vol", "limits": {"nights_allowed": False}}]},
     "night", "day"),
    ("no-posts", {"posts": []}, {}, "day", None),
    ("shift-limit-zero", {"shift_limits": [{"shift": "late", "max": 0}]}, {}, "late", "day"),
    ("inactive", {"active": False}, {}, "day", None),
]


@pytest.mark.parametrize(("fields", "extra", "blocked", "allowed"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_restriction_blocks_a_shift(
    fields: dict[str, Any], extra: dict[str, Any], blocked: str, allowed: str | None
) -> None:
    alice = person("alice", **fields)
    # Without the restriction the shift is fine.
    plain = solved(tiny_scenario(["alice"], shifts=SHIFTS, coverage=[cover(blocked, 1, 1)]))
    assert worked(plain) == {("alice", blocked, 0)}
    # With it, Alice cannot take the shift.
    infeasible(tiny_scenario([alice], shifts=SHIFTS, coverage=[cover(blocked, 1)], **extra))
    # Bob (nights allowed whatever the defaults say) takes it instead.
    bob = person("bob", limits={"nights_allowed": True})
    result = solved(tiny_scenario([alice, bob], shifts=SHIFTS, coverage=[cover(blocked, 1)], **extra))
    assert ("bob", blocked, 0) in worked(result)
    assert ("alice", blocked, 0) not in worked(result)
    if allowed is not None:
        kept = solved(tiny_scenario([alice], shifts=SHIFTS, coverage=[cover(allowed, 1)], **extra))
        assert ("alice", allowed, 0) in worked(kept)


def test_absence_range_covers_every_day() -> None:
    alice = person("alice", absences=[{"date": "2026-12-08", "until": "2026-12-09"}])
    wishes = [{"kind": "wants", "weekday": d} for d in ("mon", "tue", "wed", "thu")]
    result = solved(tiny_scenario([{**alice, "preferences": wishes}], days=4))
    assert days_of(result, "alice") == [0, 3]
    assert result.objective == pytest.approx(2.0)  # Tue and Wed wishes cannot be met


def test_night_window_decides_night_shifts() -> None:
    # With the night window moved to 20:00–22:00, the 00:00 shift is no night but a 16:00–24:00 one is.
    alice = person("alice", limits={"nights_allowed": False})
    night_window = {"start": "20:00", "end": "22:00"}
    solved(tiny_scenario([alice], shifts=SHIFTS, coverage=[cover("night", 1)], night_window=night_window))
    infeasible(tiny_scenario([alice], shifts=SHIFTS, coverage=[cover("late", 1)], night_window=night_window))


def test_explicit_night_flag_overrides_the_window() -> None:
    shifts = {"night": {"start": "00:00", "hours": 8, "night": False}}
    alice = person("alice", limits={"nights_allowed": False})
    result = solved(tiny_scenario([alice], shifts=shifts, coverage=[cover("night", 1)]))
    assert worked(result) == {("alice", "night", 0)}


def test_team_duty_overlapping_the_night_window_is_a_night() -> None:
    duty = {"id": "patrol", "name": "Patrol", "window": {"start": "22:00", "end": "02:00"}, "roles": ["vol"]}
    alice = person("alice", limits={"nights_allowed": False})
    infeasible(tiny_scenario([alice], posts=[], team_duties=[duty]))
    day_duty = {**duty, "window": {"start": "09:00", "end": "12:00"}}
    assert worked(solved(tiny_scenario([alice], posts=[], team_duties=[day_duty]))) == {("alice", "patrol", 0)}


def test_window_ending_at_midnight() -> None:
    alice = person("alice", availability=[{"days": ["mon"], "start": "16:00", "end": "24:00"}])
    result = solved(tiny_scenario([alice], shifts=SHIFTS, coverage=[cover("late", 1)]))
    assert worked(result) == {("alice", "late", 0)}



# -------------------------------------------------------------------------------------------- eligibility


def test_role_must_be_held() -> None:
    assert_ok(run(make_scenario(), shift("alice", "day", role="sec")))
    only(run(make_scenario(), shift("bob", "day", role="sec")), "eligibility", "bob")


def test_inactive_person() -> None:
    people = [hand_person("alice", ["vol", "sec"]), hand_person("bob", active=False)]
    only(run(make_scenario(people=people), shift("bob", "day")), "eligibility", "bob")


def test_allowed_posts() -> None:
    scenario = make_scenario(people=[hand_person("bob", posts=["desk"])])
    assert_ok(run(scenario, shift("bob", "am")))
    only(run(scenario, shift("bob", "day")), "eligibility", "bob")


def test_nights_not_allowed() -> None:
    scenario = make_scenario(people=[hand_person("bob", limits={"nights_allowed": False})])
    assert_ok(run(scenario, shift("bob", "day")))
    result = run(scenario, shift("bob", "night"))
    only(result, "eligibility", "bob")
    assert "night" in result.violations[0].message


def test_default_night_window_is_not_hit_by_a_day_shift_ending_at_midnight() -> None:
    scenario = make_scenario(people=[hand_person("bob", limits={"nights_allowed": False})])
    assert_ok(run(scenario, shift("bob", "late")))  # 16:00–24:00 only touches 00:00–06:00


def test_shift_limit_zero() -> None:
    scenario = make_scenario(people=[hand_person("bob", shift_limits=[{"shift": "late", "max": 0}])])
    assert_ok(run(scenario, shift("bob", "day")))
    only(run(scenario, shift("bob", "late")), "eligibility", "bob")


def test_bans() -> None:
    bans = [
        {"person": "bob", "date": "2026-12-07", "post": "gate", "shift": "late"},
        {"person": "bob", "date": "2026-12-08", "post": "gate"},
    ]
    scenario = make_scenario(bans=bans)
    assert_ok(run(scenario, shift("bob", "day", 0), shift("bob", "am", 1)))
    only(run(scenario, shift("bob", "late", 0)), "eligibility", "bob")
    only(run(scenario, shift("bob", "night", 1)), "eligibility", "bob")


# ------------------------------------------------------------------------------------------- availability


def test_availability_windows() -> None:
    windows = [{"days": ["mon", "tue"], "start": "07:00", "end": "18:00"}]
    scenario = make_scenario(people=[hand_person("bob", availability=windows)])
    assert_ok(run(scenario, shift("bob", "day")))
    only(run(scenario, shift("bob", "late")), "availability", "bob")


def test_window_of_the_day_before_counts_and_windows_join() -> None:
    # Mon 22:00 runs into Tuesday; Tue 06:00–08:00 joins it, so the Tue night shift 00:00–08:00 fits.
    windows = [{"days": ["mon"], "start": "22:00", "end": "06:00"}, {"days": ["tue"], "start": "06:00", "end": "09:00"}]
    scenario = make_scenario(people=[hand_person("bob", availability=windows)])
    assert_ok(run(scenario, shift("bob", "night", 1)))
    only(run(scenario, shift("bob", "night", 0)), "availability", "bob")


def test_absences() -> None:
    absences = [
        {"date": "2026-12-07", "start": "16:00", "end": "18:00"},
        {"date": "2026-12-08", "until": "2026-12-08"},
    ]
    scenario = make_scenario(people=[hand_person("bob", absences=absences)])
    assert_ok(run(scenario, shift("bob", "day", 0)))  # ends 16:00 exactly: touches, no overlap
    only(run(scenario, shift("bob", "late", 0)), "availability", "bob")
    only(run(scenario, shift("bob", "am", 1)), "availability", "bob")



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


BANNED_MONDAY = [{"person": "alice", "date": "2026-12-07", "post": "gate"}]


def test_eligibility_alone_on_the_model() -> None:
    # No family at all: the rule is in which variables exist, so a banned shift cannot even be stated.
    scenario = tiny_scenario(["alice"], days=2, bans=BANNED_MONDAY)
    assert not verdict(scenario, [], [("alice", "day", 0)]).feasible
    assert verdict(scenario, [], [("alice", "day", 1)]).feasible


def test_block_reason_is_the_rule_and_the_timeline_asks_it() -> None:
    instances = Instances(tiny_scenario(["alice"], days=2, bans=BANNED_MONDAY))
    info = instances.by_id["alice"]
    reasons = [block_reason(info, s) for s in instances.shifts]
    assert reasons == ["banned from this shift by the coordinator", None]
    assert [instances.block_reason(info, s) for s in instances.shifts] == reasons


def test_eligibility_alone_in_the_checker() -> None:
    people = [hand_person("bob"), hand_person("carol", absences=[{"date": "2026-12-07"}])]
    scenario = make_scenario(people=people, bans=[{"person": "bob", "date": "2026-12-07", "post": "gate"}])
    broken = eligibility_check.violations(*sound(scenario, shift("bob", "day", 0), shift("carol", "day", 0)))
    assert [(v.rule, v.person) for v in broken] == [("eligibility", "bob"), ("availability", "carol")]
    assert eligibility_check.violations(*sound(scenario, shift("bob", "day", 1), shift("carol", "day", 1))) == []

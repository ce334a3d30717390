"""Availability (eligibility): weekly windows, absences, bans, nights, posts, shift limits of 0, active flag.

These rules are applied by leaving out variables (`Instances.block_reason`): a blocked person is simply never
on the shift. Each case: the restriction makes a shift impossible for Alice alone (infeasible, with an
explanation), the same shift without the restriction is fine, and a shift the restriction allows is still worked.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import cover, days_of, infeasible, person, solved, tiny_scenario, worked

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

"""slot_candidates: who may be added to one shift instance, and why the others may not (the checker's rules)."""

from __future__ import annotations

from scheduler import slot_candidates
from tests.handwritten import MONDAY, make_scenario, person, rota_for, shift


def _reasons(scenario_kw: dict[str, object], *assignments: object, role: str | None = "vol",
             place: str = "gate", name: str = "day") -> dict[str, tuple[str, ...]]:
    scenario = make_scenario(**scenario_kw)
    rota = rota_for(scenario, *assignments)  # type: ignore[arg-type]
    return {c.person: c.reasons for c in slot_candidates(scenario, rota, place, name, MONDAY, role)}


def test_everyone_holding_the_role_may_take_a_free_shift() -> None:
    found = _reasons({})
    assert found == {"alice": (), "bob": (), "carol": (), "dave": ("role",)}


def test_any_role_when_none_is_named() -> None:
    assert _reasons({}, role=None)["dave"] == ()


def test_posts_availability_absences_and_inactive_people() -> None:
    people = [
        person("alice", ["vol"], posts=["desk"]),
        person("bob", availability=[{"days": ["mon"], "start": "16:00", "end": "24:00"}]),
        person("carol", absences=[{"date": MONDAY.isoformat(), "reason": "doctor"}]),
        person("dave", active=False),
    ]
    found = _reasons({"people": people})
    assert found == {"alice": ("post",), "bob": ("time",), "carol": ("time",)}


def test_already_on_the_shift_or_another_at_the_time() -> None:
    found = _reasons({}, shift("alice", "day"), shift("bob", "am"))
    assert found["alice"] == ("busy",)
    assert found["bob"] == ("busy",)
    assert found["carol"] == ()


def test_limits_rest_nights_and_bans() -> None:
    people = [
        person("alice", limits={"max_shifts_per_week": 1}),
        person("bob", limits={"min_rest_hours": 12}),
        person("carol"),
    ]
    bans = [{"person": "carol", "date": MONDAY.isoformat(), "post": "gate"}]
    found = _reasons({"people": people, "bans": bans}, shift("alice", "late", 1), shift("bob", "night"))
    assert found == {"alice": ("limits",), "bob": ("limits",), "carol": ("limits",)}


def test_a_shift_that_does_not_run_has_no_candidates() -> None:
    assert _reasons({}, name="nope") == {}


def test_a_total_below_its_minimum_keeps_nobody_off() -> None:
    people = [person("alice", limits={"min_hours_total": 40}), person("bob"), person("carol")]
    assert _reasons({"people": people})["alice"] == ()

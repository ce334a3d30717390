"""The scenario types (scheduler/domain/scenario.py and the types it is made of): what a scenario file may say,
and how a mistake in one is reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from scheduler.domain.base import LocalizedText
from scheduler.domain.community import ShiftTemplate
from scheduler.domain.people import Person, PersonLimits, strictest
from scheduler.domain.scenario import CommunityRules, Scenario, ScenarioPeriod
from tests.builders import MONDAY, cover, person, pin, scenario_data


def invalid(people: Any = ("alice", "bob"), **overrides: Any) -> str:
    """The message of the validation error of a tiny scenario with these fields changed."""
    with pytest.raises(ValidationError) as caught:
        Scenario.model_validate(scenario_data(people, days=overrides.pop("days", 7), **overrides))
    return str(caught.value)


def error_locations(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as caught:
        Scenario.model_validate(data)
    return [error["loc"] for error in caught.value.errors()]


# ------------------------------------------------------------------------------------------ field errors


def test_a_field_error_names_the_field_path() -> None:
    data = scenario_data(("alice",), days=7)
    data["people"][0]["limits"] = {"max_hours_per_week": -1}
    assert error_locations(data) == [("people", 0, "limits", "max_hours_per_week")]
    data = scenario_data(("alice",), days=0)
    assert error_locations(data) == [("days",)]
    data = scenario_data(("alice",), shifts={"day": {"start": "08:00", "hours": 8, "days": ["mon", "funday"]}})
    assert error_locations(data) == [("posts", 0, "shifts", 0, "days", 1)]


def test_an_unknown_field_is_an_error_not_ignored() -> None:
    data = scenario_data(("alice",))
    data["poeple"] = []
    assert error_locations(data) == [("poeple",)]
    data = scenario_data(("alice",))
    data["people"][0]["rolse"] = ["vol"]
    assert error_locations(data) == [("people", 0, "rolse")]


def test_the_period_is_checked() -> None:
    assert "unknown time zone 'Mars/Olympus'" in invalid(timezone="Mars/Olympus")
    assert "less than or equal to 366" in invalid(days=367)
    data = scenario_data(("alice",))
    data["people"] = []
    assert error_locations(data) == [("people",)]


def test_a_shift_is_whole_minutes_and_lists_each_weekday_once() -> None:
    assert "whole number of minutes" in invalid(shifts={"day": {"start": "08:00", "hours": 8.001}})
    twice = {"day": {"start": "08:00", "hours": 8, "days": ["mon", "mon"]}}
    assert "a weekday is listed twice" in invalid(shifts=twice)
    assert "the number 8" in invalid(shifts={"day": {"start": 8, "hours": 8}})


# ------------------------------------------------------------------------------------------ references


def test_every_reference_names_where_it_is_used() -> None:
    message = invalid(coverage=[cover("night")])
    assert "coverage[0].shift: unknown shift 'night'" in message
    message = invalid(coverage=[{"post": "gat", "shift": "day", "min": 1}])
    assert "coverage[0].post: unknown post 'gat'" in message
    message = invalid(people=[person("alice", roles=["medic"])])
    assert "people[0] (alice).roles: unknown role 'medic'" in message
    message = invalid(pins=[pin("carol", "day", 0)])
    assert "pins[0].person: unknown person 'carol'" in message
    message = invalid(pairs=[{"people": ["alice", "zoe"], "kind": "apart"}])
    assert "pairs[0].people: unknown person 'zoe'" in message
    message = invalid(successions=[{"from": "day", "to": "late"}])
    assert "successions[0].to: unknown shift 'late'" in message


def test_every_broken_reference_is_reported_at_once() -> None:
    message = invalid(coverage=[cover("night")], pins=[pin("carol", "day", 0)], bans=[pin("alice", "late", 1)])
    assert message.count("unknown") == 3
    for where in ("coverage[0].shift", "pins[0].person", "bans[0].shift"):
        assert where in message


def test_pins_and_bans_lie_in_the_period_and_fit_their_place() -> None:
    message = invalid(pins=[pin("alice", "day", 7)])
    assert f"pins[0].date: {MONDAY + dt.timedelta(days=7)} is outside the period" in message
    assert "pins[0].shift: a pin on a post needs a shift" in invalid(pins=[pin("alice", None, 0)])


def test_ids_are_unique() -> None:
    assert "person id 'alice' is used twice" in invalid(people=[person("alice"), person("alice")])
    assert "role id 'vol' is used twice" in invalid(roles=("vol", "vol"))


def test_a_scenario_needs_something_to_staff() -> None:
    assert "nothing to staff" in invalid(posts=[])


def test_an_id_has_no_spaces_colons_commas_or_slashes() -> None:
    for bad in ("al ice", "al:ice", "al,ice", "al/ice", ""):
        data = scenario_data((person(bad, name="Someone"),))
        assert error_locations(data) == [("people", 0, "id")], bad
    assert Scenario.model_validate(scenario_data((person("  alice "),))).people[0].id == "alice"


# ------------------------------------------------------------------------------------------ texts in two languages


def test_a_plain_string_is_the_same_text_in_both_languages() -> None:
    plain = LocalizedText.model_validate("Gate")
    assert (plain.zh, plain.en) == ("Gate", "Gate")
    both = LocalizedText.model_validate({"zh": "大门", "en": "Gate"})
    assert (both.text("zh"), both.text("zh-Hans"), both.text("en"), both.text("fr")) == ("大门", "大门", "Gate", "Gate")
    scenario = Scenario.model_validate(scenario_data(("alice",)))
    assert scenario.posts[0].name == LocalizedText(zh="Gate", en="Gate")
    assert scenario.roles[0].name.text("zh") == "Vol"
    with pytest.raises(ValidationError):
        LocalizedText.model_validate({"zh": "大门"})
    with pytest.raises(ValidationError):
        LocalizedText.model_validate("")


# ------------------------------------------------------------------------------------------ what a scenario derives


def test_the_period_and_the_people() -> None:
    scenario = Scenario.model_validate(scenario_data(("alice", "bob"), days=7))
    assert scenario.end == MONDAY + dt.timedelta(days=7)
    assert scenario.zone.key == "Asia/Shanghai"
    assert scenario.person("bob").name == "Bob"
    with pytest.raises(KeyError):
        scenario.person("carol")


def test_a_persons_limits_fill_in_from_the_defaults() -> None:
    data = scenario_data(
        (person("alice", limits={"max_hours_per_week": 20}), "bob"),
        default_limits={"max_hours_per_week": 40, "min_rest_hours": 11},
    )
    scenario = Scenario.model_validate(data)
    alice, bob = scenario.people
    assert (scenario.limits_of(alice).max_hours_per_week, scenario.limits_of(alice).min_rest_hours) == (20, 11)
    assert (scenario.limits_of(bob).max_hours_per_week, scenario.limits_of(bob).min_rest_hours) == (40, 11)


def test_a_persons_limits_come_from_their_own_then_their_roles_then_the_defaults() -> None:
    roles = [
        {"id": "vol", "name": "Volunteer", "limits": {"max_nights_per_week": 2, "min_rest_hours": 10}},
        {"id": "sec", "name": "Security", "limits": {"max_nights_per_week": 1, "min_rest_hours": 12,
                                                     "nights_allowed": True}},
        {"id": "med", "name": "Medic", "limits": {"nights_allowed": False}},
    ]
    people = (
        person("alice", limits={"max_nights_per_week": 3}), "bob", person("carol", roles=("vol", "sec")),
        person("dave", roles=("sec", "med")), person("erin", roles=("med",), limits={"nights_allowed": True}),
    )
    data = scenario_data(people, roles=roles, default_limits={"max_nights_per_week": 4, "max_hours_per_week": 40})
    scenario = Scenario.model_validate(data)
    limits = {p.id: scenario.limits_of(p) for p in scenario.people}
    # The person's own value, even looser than their role's; else their role's; else the scenario's.
    assert (limits["alice"].max_nights_per_week, limits["alice"].min_rest_hours) == (3, 10)
    assert (limits["bob"].max_nights_per_week, limits["bob"].max_hours_per_week) == (2, 40)
    # Several roles: the smallest max, the largest min, and no nights when any role says so.
    assert (limits["carol"].max_nights_per_week, limits["carol"].min_rest_hours) == (1, 12)
    assert limits["dave"].nights_allowed is False and limits["erin"].nights_allowed is True


def test_every_limit_has_a_strictest_value() -> None:
    loose = PersonLimits.model_validate({name: 5 for name in PersonLimits.model_fields} | {"nights_allowed": True})
    tight = PersonLimits.model_validate({name: 2 for name in PersonLimits.model_fields} | {"nights_allowed": False})
    merged = strictest([loose, tight])
    for name in PersonLimits.model_fields:
        expected = {"max": 2, "min": 5}.get(name[:3], False)
        assert getattr(merged, name) == expected, name
    assert strictest([]) == PersonLimits()


def test_a_night_shift_overlaps_the_night_window_unless_it_says_otherwise() -> None:
    scenario = Scenario.model_validate(scenario_data(("alice",), night_window={"start": "22:00", "end": "06:00"}))

    def shift(start: str, hours: float, night: bool | None = None) -> ShiftTemplate:
        return ShiftTemplate.model_validate({"id": "s", "start": start, "hours": hours, "night": night})

    assert scenario.is_night(shift("23:00", 2))
    assert scenario.is_night(shift("04:00", 4))  # in the window that began the evening before
    assert scenario.is_night(shift("18:00", 5))  # runs into it
    assert not scenario.is_night(shift("06:00", 16))  # ends as it begins
    assert not scenario.is_night(shift("23:00", 2, night=False))
    assert scenario.is_night(shift("08:00", 8, night=True))


def test_a_scenario_is_its_community_rules_and_its_period() -> None:
    scenario = Scenario.model_validate(scenario_data(("alice",), days=3, coverage=[cover("day")]))
    rules = CommunityRules.model_validate(scenario.model_dump(include=set(CommunityRules.model_fields)))
    period = ScenarioPeriod.model_validate(scenario.model_dump(include=set(ScenarioPeriod.model_fields)))
    rebuilt = Scenario.model_validate({**rules.model_dump(), **period.model_dump(), "people": scenario.people})
    assert rebuilt == scenario
    assert isinstance(scenario.people[0], Person)
    with pytest.raises(ValidationError):
        scenario.days = 4  # type: ignore[misc]  # frozen: a validated scenario cannot become invalid

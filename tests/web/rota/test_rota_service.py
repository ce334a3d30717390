"""web.rota: a draft from a finished solve, every adjustment with and without violations, publishing versions."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler import meal_break_starts
from scheduler.check import check
from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from tests.web.conftest import InlineRunner
from web.app import create_app
from web.rota import drafts
from web.rota import service as rotas
from web.rota.adjust import (
    AddAdjustment,
    AssignmentRef,
    BreakAdjustment,
    MoveAdjustment,
    PinAdjustment,
    RemoveAdjustment,
    RotaProblem,
    Slot,
    SwapAdjustment,
)
from web.settings import Settings
from web.state import AppContext
from web.store import build_scenario, first_community
from web.tables import AuditEntry, Community, JobStatus, RotaVersion, SolveJob

WEEK = dt.date(2026, 12, 7)


@pytest.fixture
def inline_app(settings: Settings) -> FastAPI:
    return create_app(settings, InlineRunner(settings.resolved_database_url()), out=io.StringIO())


@pytest.fixture
def db(inline_app: FastAPI) -> Iterator[Session]:
    context = inline_app.state.rota
    assert isinstance(context, AppContext)
    with context.sessions() as session:
        yield session


def solved_job(db: Session, app: FastAPI, **scenario_changes: Any) -> SolveJob:
    """A finished solve of the tiny community's week (solved inline, checked by the validator)."""
    community = _community(db)
    scenario = build_scenario(db, community, WEEK, 7)
    data = scenario.model_dump(mode="json", by_alias=True) | scenario_changes
    job = SolveJob(
        community_id=community.id, week_start=WEEK, days=7, status=JobStatus.QUEUED.value, scenario=data,
        time_limit=10, workers=1, created_by="coord",
    )
    db.add(job)
    db.commit()
    context = app.state.rota
    assert isinstance(context, AppContext)
    context.runner.submit(job.id)
    db.refresh(job)
    assert job.status == JobStatus.FINISHED, job.error
    if job.rota is not None:
        assert check(Scenario.model_validate(job.scenario), Rota.model_validate(job.rota)).ok
    return job


def _community(db: Session) -> Community:
    community = first_community(db)
    assert community is not None
    return community


def _draft(db: Session) -> rotas.CheckedRota:
    row = drafts.draft_row(db, _community(db), WEEK)
    assert row is not None
    return drafts.load_draft(row)


def _ref(rota: Rota, index: int) -> AssignmentRef:
    a = rota.assignments[index]
    return AssignmentRef(person=a.person, place=a.place, shift=a.shift, date=a.date)


def _on(rota: Rota, day: dt.date) -> list[str]:
    return sorted(a.person for a in rota.assignments if a.date == day)


def test_draft_from_a_finished_job(db: Session, inline_app: FastAPI) -> None:
    job = solved_job(db, inline_app)
    row = drafts.draft_from_job(db, _community(db), job, "coord")
    assert row.job_id == job.id and row.week_start == WEEK and row.days == 7
    draft = _draft(db)
    assert draft.rota == Rota.model_validate(job.rota) and not draft.has_violations
    assert draft.scenario == Scenario.model_validate(job.scenario)
    again = drafts.draft_from_job(db, _community(db), job, "coord")
    assert again.id == row.id  # one draft per week: replaced, not duplicated
    actions = [e.details for e in db.scalars(select(AuditEntry).where(AuditEntry.action == "rota.draft"))]
    assert [a["replaced"] for a in actions] == [False, True]


def test_a_job_without_a_rota_makes_no_draft(db: Session, inline_app: FastAPI) -> None:
    job = solved_job(db, inline_app, coverage=[{"post": "gate", "shift": "day", "min": 5}])
    assert job.rota is None and job.explanation is not None
    with pytest.raises(RotaProblem) as raised:
        drafts.draft_from_job(db, _community(db), job, "coord")
    assert raised.value.code == "no_rota"
    assert drafts.draft_row(db, _community(db), WEEK) is None


MAX_SHIFTS = 4
"""Weekly shift limit in the drafted week, so the seven day shifts are spread over several people."""


@pytest.fixture
def drafted(db: Session, inline_app: FastAPI) -> rotas.CheckedRota:
    job = solved_job(db, inline_app, default_limits={"max_shifts_per_week": MAX_SHIFTS})
    drafts.draft_from_job(db, _community(db), job, "coord")
    return _draft(db)


def _free_move(rota: Rota) -> tuple[AssignmentRef, str]:
    """An assignment and a person who may take it without breaking a rule (under the limit, free that day,
    available: Carol works Mondays and Tuesdays only)."""
    for index, a in enumerate(rota.assignments):
        for person in ("alice", "bob", "carol"):
            count = sum(1 for b in rota.assignments if b.person == person)
            if person in _on(rota, a.date) or count >= MAX_SHIFTS or (person == "carol" and a.date.weekday() > 1):
                continue
            return _ref(rota, index), person
    raise AssertionError(f"no free move in {rota.assignments}")


def test_pin_and_unpin(db: Session, drafted: rotas.CheckedRota) -> None:
    ref = _ref(drafted.rota, 0)
    outcome = drafts.adjust(db, _community(db), WEEK, PinAdjustment(kind="pin", assignment=ref), "coord", confirm=False)
    assert outcome.saved and not outcome.new_violations
    draft = _draft(db)
    assert draft.rota.assignments[0].pinned
    assert [(p.person, p.date) for p in draft.scenario.pins] == [(ref.person, ref.date)]
    with pytest.raises(RotaProblem) as raised:  # a pinned assignment cannot be moved or removed
        drafts.adjust(db, _community(db), WEEK, RemoveAdjustment(kind="remove", assignment=ref), "coord", confirm=True)
    assert raised.value.code == "pinned"
    drafts.adjust(db, _community(db), WEEK, PinAdjustment(kind="unpin", assignment=ref), "coord", confirm=False)
    draft = _draft(db)
    assert not draft.rota.assignments[0].pinned and draft.scenario.pins == []


def test_remove_breaks_coverage_and_needs_confirmation(db: Session, drafted: rotas.CheckedRota) -> None:
    ref = _ref(drafted.rota, 0)
    change = RemoveAdjustment(kind="remove", assignment=ref)
    outcome = drafts.adjust(db, _community(db), WEEK, change, "coord", confirm=False)
    assert not outcome.saved and outcome.new_violations
    assert any(v.rule == "coverage" for v in outcome.new_violations)
    assert _draft(db).rota == drafted.rota  # nothing written
    outcome = drafts.adjust(db, _community(db), WEEK, change, "coord", confirm=True)
    assert outcome.saved
    draft = _draft(db)
    assert draft.has_violations and len(draft.rota.assignments) == 6
    assert draft.rota.status == "invalid"
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "rota.adjust.remove")).one()
    assert entry.actor == "coord" and entry.details["new_violations"]


def test_move_to_a_free_person_keeps_the_rota_valid(db: Session, drafted: rotas.CheckedRota) -> None:
    ref, person = _free_move(drafted.rota)
    change = MoveAdjustment(kind="move", assignment=ref, to_person=person)
    outcome = drafts.adjust(db, _community(db), WEEK, change, "coord", confirm=False)
    assert outcome.saved and not outcome.new_violations, outcome.new_violations
    after = _draft(db).rota
    assert person in _on(after, ref.date) and ref.person not in _on(after, ref.date)
    moved = next(a for a in after.assignments if a.person == person and a.date == ref.date)
    assert moved.role == {"alice": "vol", "bob": "guard", "carol": "vol"}[person]  # a role the person holds
    assert after.status == "feasible" and check(_draft(db).scenario, after).ok


def test_move_outside_availability_is_a_violation(db: Session, drafted: rotas.CheckedRota) -> None:
    index = next(i for i, a in enumerate(drafted.rota.assignments) if a.date.weekday() > 1)
    change = MoveAdjustment(kind="move", assignment=_ref(drafted.rota, index), to_person="carol")
    outcome = drafts.adjust(db, _community(db), WEEK, change, "coord", confirm=False)
    assert not outcome.saved
    assert any(v.rule == "availability" and v.person == "carol" for v in outcome.new_violations)


def test_unknown_person_or_assignment_is_a_problem_with_its_field(db: Session, drafted: rotas.CheckedRota) -> None:
    ref = _ref(drafted.rota, 0)
    with pytest.raises(RotaProblem) as raised:
        drafts.preview(db, _community(db), WEEK, MoveAdjustment(kind="move", assignment=ref, to_person="zed"))
    assert (raised.value.code, raised.value.field) == ("unknown_person", "to_person")
    missing = ref.model_copy(update={"date": dt.date(2026, 12, 1)})
    with pytest.raises(RotaProblem) as raised:
        drafts.preview(db, _community(db), WEEK, RemoveAdjustment(kind="remove", assignment=missing))
    assert (raised.value.code, raised.value.field) == ("no_assignment", "assignment")


def test_add_places_the_meal_break_and_checks(db: Session, drafted: rotas.CheckedRota) -> None:
    monday = drafted.rota.assignments[0]
    newcomer = next(p for p in ("alice", "bob", "carol") if p != monday.person)
    role = {"alice": "vol", "bob": "guard", "carol": "vol"}[newcomer]
    change = AddAdjustment(kind="add", slot=Slot(place="gate", shift="day", date=WEEK), person=newcomer, role=role)
    outcome = drafts.adjust(db, _community(db), WEEK, change, "coord", confirm=True)
    added = next(a for a in outcome.checked.rota.assignments if a.person == newcomer and a.date == WEEK)
    assert len(added.breaks) == 1 and added.breaks[0].end - added.breaks[0].start == dt.timedelta(minutes=45)
    assert added.breaks[0].start != monday.breaks[0].start  # the quietest time: not when the other is away
    # Nothing breaks a hard rule with two on the gate (no maximum), unless the newcomer's week gets too long.
    assert not [v for v in outcome.new_violations if v.rule in ("structure", "meal_breaks")]
    with pytest.raises(RotaProblem) as raised:
        drafts.preview(db, _community(db), WEEK, change)
    assert raised.value.code == "already_on"
    bad_day = change.model_copy(update={"slot": Slot(place="gate", shift="day", date=dt.date(2026, 12, 20))})
    with pytest.raises(RotaProblem) as raised:
        drafts.preview(db, _community(db), WEEK, bad_day)
    assert raised.value.code == "no_shift"


def test_add_outside_availability_is_a_violation(db: Session, drafted: rotas.CheckedRota) -> None:
    friday = WEEK + dt.timedelta(days=4)
    if "carol" in _on(drafted.rota, friday):
        pytest.fail("carol is available on Mondays and Tuesdays only")
    change = AddAdjustment(kind="add", slot=Slot(place="gate", shift="day", date=friday), person="carol", role="vol")
    outcome = drafts.preview(db, _community(db), WEEK, change)
    assert any(v.rule == "availability" and v.person == "carol" for v in outcome.new_violations)


def test_swap_two_people(db: Session, drafted: rotas.CheckedRota) -> None:
    rota = drafted.rota
    pairs = [
        (i, j) for i, a in enumerate(rota.assignments) for j, b in enumerate(rota.assignments)
        if i < j and a.person != b.person
    ]
    assert pairs, rota.assignments
    i, j = pairs[0]
    first, second = rota.assignments[i], rota.assignments[j]
    change = SwapAdjustment(kind="swap", first=_ref(rota, i), second=_ref(rota, j))
    outcome = drafts.adjust(db, _community(db), WEEK, change, "coord", confirm=True)
    assert outcome.saved
    after = _draft(db).rota
    assert second.person in _on(after, first.date) and first.person in _on(after, second.date)
    assert first.person not in _on(after, first.date) or first.date == second.date
    assert len(after.assignments) == len(rota.assignments)
    with pytest.raises(RotaProblem) as raised:
        same = SwapAdjustment(kind="swap", first=_ref(rota, i), second=_ref(rota, i))
        drafts.preview(db, _community(db), WEEK, same)
    assert raised.value.code in ("same_person", "no_assignment")


def test_retime_a_meal_break(db: Session, drafted: rotas.CheckedRota) -> None:
    a = drafted.rota.assignments[0]
    (lunch,) = a.breaks
    zone = ZoneInfo("Asia/Shanghai")
    (choices,) = meal_break_starts(drafted.scenario, a)
    # Lunch window 11:00-13:30, 45 minutes, on the 15-minute grid: 11:00 ... 12:45.
    assert [f"{c.astimezone(zone):%H:%M}" for c in choices] == [
        "11:00", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30", "12:45",
    ]
    assert lunch.start in choices
    new = next(c for c in choices if c != lunch.start)
    change = BreakAdjustment(kind="break", assignment=_ref(drafted.rota, 0), start=new)
    outcome = drafts.adjust(db, _community(db), WEEK, change, "coord", confirm=False)
    assert outcome.saved and not outcome.new_violations
    (moved,) = _draft(db).rota.assignments[0].breaks
    assert (moved.start, moved.end - moved.start) == (new, dt.timedelta(minutes=45))

    # Outside the meal window: the checker objects, so it is saved only when confirmed.
    late = dt.datetime.combine(a.date, dt.time(15, 0), zone)
    outcome = drafts.adjust(db, _community(db), WEEK, change.model_copy(update={"start": late}), "coord", confirm=False)
    assert not outcome.saved and any(v.rule == "meal_breaks" for v in outcome.new_violations)
    assert _draft(db).rota.assignments[0].breaks == [moved]

    for bad, code in ((change.model_copy(update={"index": 1}), "no_break"),
                      (change.model_copy(update={"start": late + dt.timedelta(hours=1)}), "break_outside")):
        with pytest.raises(RotaProblem) as raised:
            drafts.adjust(db, _community(db), WEEK, bad, "coord", confirm=True)
        assert raised.value.code == code
    with pytest.raises(ValidationError):
        BreakAdjustment(kind="break", assignment=_ref(drafted.rota, 0), start=dt.datetime(2026, 12, 7, 12, 0))


def test_publish_twice_gives_versions_1_and_2_with_the_diff(db: Session, drafted: rotas.CheckedRota) -> None:
    community = _community(db)
    first = drafts.publish(db, community, WEEK, "coord", note="first")
    assert first.version == 1 and first.scenario == drafted.scenario.model_dump(mode="json", by_alias=True)
    draft = drafts.draft_row(db, community, WEEK)
    assert draft is not None and rotas.draft_changes(db, draft) is not None
    ref, person = _free_move(drafted.rota)
    outcome = drafts.adjust(db, community, WEEK, MoveAdjustment(kind="move", assignment=ref, to_person=person),
                           "coord", confirm=False)
    assert outcome.saved
    row = drafts.draft_row(db, community, WEEK)
    assert row is not None
    draft_diff = rotas.draft_changes(db, row)
    assert draft_diff is not None
    assert sorted((c.kind.value, c.person) for c in draft_diff.changes) == [("added", person), ("removed", ref.person)]
    second = drafts.publish(db, community, WEEK, "coord")
    assert second.version == 2
    assert [v.version for v in rotas.versions(db, community.id, WEEK)] == [2, 1]
    assert rotas.version_changes(db, first) is None
    changes = rotas.version_changes(db, second)
    assert changes is not None
    assert [(c.person, c.date) for c in changes.added] == [(person, ref.date)]
    assert [(c.person, c.date) for c in changes.removed] == [(ref.person, ref.date)]
    latest = rotas.latest_version(db, community.id, WEEK)
    assert latest is not None and latest.version == 2 and person in _on(latest.rota, ref.date)
    assert latest.scenario.people[0].name == "Alice"
    assert check(latest.scenario, latest.rota).ok
    assert len(db.scalars(select(AuditEntry).where(AuditEntry.action == "rota.publish")).all()) == 2


def test_a_draft_with_violations_is_published_only_when_confirmed(db: Session, drafted: rotas.CheckedRota) -> None:
    community = _community(db)
    drafts.adjust(db, community, WEEK, RemoveAdjustment(kind="remove", assignment=_ref(drafted.rota, 0)), "coord",
                 confirm=True)
    with pytest.raises(RotaProblem) as raised:
        drafts.publish(db, community, WEEK, "coord")
    assert raised.value.code == "violations" and raised.value.status == 409
    assert rotas.versions(db, community.id, WEEK) == []
    assert drafts.publish(db, community, WEEK, "coord", confirm=True).version == 1


def test_versions_are_immutable(db: Session, drafted: rotas.CheckedRota) -> None:
    version = drafts.publish(db, _community(db), WEEK, "coord")
    version.note = "changed"
    with pytest.raises(ValueError, match="cannot change"):
        db.commit()
    db.rollback()
    stored = db.scalars(select(RotaVersion)).one()
    assert stored.note is None


def test_week_list(db: Session, drafted: rotas.CheckedRota) -> None:
    community = _community(db)
    assert rotas.weeks(db, community.id) == [rotas.WeekSummary(WEEK, True, 0)]
    drafts.publish(db, community, WEEK, "coord")
    assert rotas.weeks(db, community.id) == [rotas.WeekSummary(WEEK, True, 1)]
    assert rotas.latest_version(db, community.id, WEEK + dt.timedelta(days=7)) is None

"""The validator's verdict kept with the draft (RotaDraft.check_result): stored by every change, reused while it
matches what is stored, checked again when missing or stale, and the rota page shows the right violations after
each kind of adjustment."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from scheduler import Words
from scheduler.check import CheckResult, check
from scheduler.domain.rota import Rota, Violation
from scheduler.domain.scenario import Scenario
from tests.web.conftest import InlineRunner, login
from tests.web.rota.test_rota_service import MAX_SHIFTS, solved_job
from web.app import create_app
from web.rota import drafts
from web.rota.adjust import (
    AddAdjustment,
    Adjustment,
    AssignmentRef,
    MoveAdjustment,
    PinAdjustment,
    RemoveAdjustment,
    Slot,
    SwapAdjustment,
)
from web.settings import Settings
from web.state import AppContext
from web.store import first_community
from web.tables import Community, RotaDraft

WEEK = dt.date(2026, 12, 7)
ROLE = {"alice": "vol", "bob": "guard", "carol": "vol"}


@pytest.fixture
def inline_app(settings: Settings) -> FastAPI:
    return create_app(settings, InlineRunner(settings.resolved_database_url()), out=io.StringIO())


def _sessions(app: FastAPI) -> sessionmaker[Session]:
    context = app.state.rota
    assert isinstance(context, AppContext)
    return context.sessions


@pytest.fixture
def db(inline_app: FastAPI) -> Iterator[Session]:
    with _sessions(inline_app)() as session:
        yield session


def _community(db: Session) -> Community:
    community = first_community(db)
    assert community is not None
    return community


@pytest.fixture
def row(db: Session, inline_app: FastAPI) -> RotaDraft:
    job = solved_job(db, inline_app, default_limits={"max_shifts_per_week": MAX_SHIFTS})
    return drafts.draft_from_job(db, _community(db), job, "coord")


def _fresh(row: RotaDraft) -> CheckResult:
    """The checker's verdict on what the row stores now, computed from scratch."""
    return check(Scenario.model_validate(row.scenario), Rota.model_validate(row.rota))


def _reloaded(db: Session) -> RotaDraft:
    db.expire_all()
    found = drafts.draft_row(db, _community(db), WEEK)
    assert found is not None
    return found


def _ref(rota: Rota, index: int) -> AssignmentRef:
    a = rota.assignments[index]
    return AssignmentRef(person=a.person, place=a.place, shift=a.shift, date=a.date)


def _each_kind(rota: Rota) -> list[Adjustment]:
    """One adjustment of every kind, in an order where each still applies to the draft the previous ones left."""
    first = rota.assignments[0]
    other = next(i for i, a in enumerate(rota.assignments) if a.person != first.person)
    newcomer = next(p for p in ROLE if p not in {a.person for a in rota.assignments if a.date == first.date})
    second_day = rota.assignments[other]
    taker = next(p for p in ROLE if p not in {a.person for a in rota.assignments if a.date == second_day.date})
    return [
        PinAdjustment(kind="pin", assignment=_ref(rota, 0)),
        PinAdjustment(kind="unpin", assignment=_ref(rota, 0)),
        SwapAdjustment(kind="swap", first=_ref(rota, 0), second=_ref(rota, other)),
        MoveAdjustment(
            kind="move", to_person=taker,
            assignment=AssignmentRef(person=first.person, place=second_day.place, shift=second_day.shift,
                                     date=second_day.date),
        ),
        AddAdjustment(kind="add", slot=Slot(place="gate", shift="day", date=first.date), person=newcomer,
                      role=ROLE[newcomer]),
        RemoveAdjustment(kind="remove", assignment=AssignmentRef(person=newcomer, place="gate", shift="day",
                                                                 date=first.date)),
    ]


def test_a_new_draft_keeps_the_verdict_on_what_it_stores(db: Session, row: RotaDraft) -> None:
    row = _reloaded(db)
    assert row.check_result is not None
    assert row.check_result["fingerprint"] == drafts.check_fingerprint(row.rota, row.scenario)
    kept = drafts.kept_result(row)
    assert kept is not None and kept == _fresh(row) and kept.ok


def test_every_adjustment_kind_stores_the_verdict_on_the_new_draft(db: Session, row: RotaDraft) -> None:
    community = _community(db)
    kinds = []
    for change in _each_kind(Rota.model_validate(row.rota)):
        outcome = drafts.adjust(db, community, WEEK, change, "coord", confirm=True)
        assert outcome.saved, change
        stored = _reloaded(db)
        kept = drafts.kept_result(stored)
        assert kept is not None, change.kind  # stored with the change: the next view does not check again
        assert kept == _fresh(stored) == outcome.checked.result, change.kind
        kinds.append(change.kind)
    assert kinds == ["pin", "unpin", "swap", "move", "add", "remove"]


def test_a_draft_written_elsewhere_is_checked_again(db: Session, row: RotaDraft, inline_app: FastAPI) -> None:
    row = _reloaded(db)
    kept = drafts.kept_result(row)
    assert kept is not None and kept.ok
    # as other code may do (repairs, swaps): write the rota without knowing about the kept verdict
    rota = dict(row.rota)
    rota["assignments"] = rota["assignments"][1:]
    row.rota = rota
    db.commit()
    row = _reloaded(db)
    assert drafts.kept_result(row) is None  # stale: the fingerprint no longer matches
    viewed = drafts.viewed_draft(db, row)
    assert viewed.has_violations and viewed.result == _fresh(row)
    with _sessions(inline_app)() as other:  # the verdict checked afresh was saved for the next view
        saved = drafts.draft_row(other, _community(other), WEEK)
        assert saved is not None and drafts.kept_result(saved) == viewed.result


def test_a_missing_verdict_or_a_changed_checker_means_checking_again(
    db: Session, row: RotaDraft, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = _reloaded(db)
    kept = drafts.kept_result(row)
    monkeypatch.setattr(drafts, "checker_fingerprint", lambda: "another checker")
    assert drafts.kept_result(row) is None
    monkeypatch.undo()
    assert drafts.kept_result(row) == kept
    row.check_result = None
    assert drafts.kept_result(row) is None
    assert drafts.load_draft(row).result == kept and drafts.kept_result(row) == kept  # kept again on the row
    row.check_result = {"fingerprint": drafts.check_fingerprint(row.rota, row.scenario), "result": {"bad": 1}}
    assert drafts.kept_result(row) is None  # unreadable: checked again


# ------------------------------------------------------------------------------------------------ pages


@pytest.fixture
def client(inline_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(inline_app, follow_redirects=False) as test_client:
        yield test_client


def _shown_violations(page: str) -> list[str]:
    section = re.search(r'<section class="checks">(.*?)</section>', page, re.S)
    assert section, "no checks section"
    return [html.unescape(text) for text in re.findall(r'<li class="error">(.*?)</li>', section.group(1), re.S)]


def _form(change: Adjustment) -> dict[str, str]:
    """The adjust form's fields for an adjustment."""
    data = change.model_dump(mode="json")
    if "slot" in data:
        slot = data["slot"]
        return {"action": "add", "place": slot["place"], "shift": slot["shift"] or "", "date": slot["date"],
                "person": data["person"], "role": data["role"]}
    first = data.get("assignment") or data["first"]
    fields = {"action": data["kind"], "person": first["person"], "place": first["place"],
              "shift": first["shift"] or "", "date": first["date"]}
    if "to_person" in data:
        fields["to_person"] = data["to_person"]
    if "second" in data:
        second = data["second"]
        fields["other"] = "|".join([second["person"], second["place"], second["shift"] or "", second["date"]])
    return fields


def test_the_page_shows_the_right_violations_after_each_adjustment_kind(
    db: Session, row: RotaDraft, client: TestClient, inline_app: FastAPI
) -> None:
    token = login(client)
    assert _shown_violations(client.get(f"/rota/{WEEK}").text) == []
    seen_violations = False
    for change in _each_kind(Rota.model_validate(row.rota)):
        response = client.post(f"/rota/{WEEK}/adjust", data={"csrf_token": token, "confirm": "1", **_form(change)})
        assert response.status_code == 303, (change.kind, response.text[-2000:])
        page = client.get(f"/rota/{WEEK}").text
        stored = _reloaded(db)
        words = Words(Scenario.model_validate(stored.scenario), "zh")  # the page's language
        expected = [words.text(v) for v in _fresh(stored).violations]
        assert _shown_violations(page) == expected, change.kind
        assert ("警告：本草稿违反" in page) == bool(expected), change.kind
        # the grid and the per-person page (both kept in memory per draft state) show the changed draft
        assignments = Rota.model_validate(stored.rota).assignments
        assert page.count('class="entry') == len(assignments), change.kind
        assert page.count('class="entry pinned"') == sum(a.pinned for a in assignments), change.kind
        people = client.get(f"/rota/{WEEK}/people").text
        for person in ROLE:
            line = re.search(rf'<tr data-person="{person}">.*?<td class="n-shifts">(\d+)</td>', people)
            assert line and int(line.group(1)) == sum(a.person == person for a in assignments), (change.kind, person)
        seen_violations = seen_violations or bool(expected)
    assert seen_violations  # the sequence did break a rule somewhere, so the comparison meant something


def test_views_use_the_kept_verdict_while_it_is_fresh_and_never_once_stale(
    db: Session, row: RotaDraft, client: TestClient
) -> None:
    login(client)
    row = _reloaded(db)
    marker = Violation(rule="coverage", message="kept verdict marker")
    invented = CheckResult(violations=[*_fresh(row).violations, marker], penalties=[], objective=0)
    row.check_result = {"fingerprint": drafts.check_fingerprint(row.rota, row.scenario),
                        "result": invented.model_dump(mode="json")}
    db.commit()
    assert "kept verdict marker" in client.get(f"/rota/{WEEK}").text  # reused, not checked again
    row = _reloaded(db)
    rota = dict(row.rota)
    rota["assignments"] = rota["assignments"][1:]
    row.rota = rota  # written without a new verdict: the kept one is stale now
    db.commit()
    page = client.get(f"/rota/{WEEK}").text
    assert "kept verdict marker" not in page
    words = Words(Scenario.model_validate(row.scenario), "zh")
    assert _shown_violations(page) == [words.text(v) for v in _fresh(_reloaded(db)).violations] != []


def test_a_draft_viewed_again_unchanged_is_not_read_again_but_a_change_is_seen(db: Session, row: RotaDraft) -> None:
    first = drafts.viewed_draft(db, _reloaded(db))
    assert drafts.viewed_draft(db, _reloaded(db)) is first  # the same checked draft, from memory
    rota = Rota.model_validate(_reloaded(db).rota)
    change = RemoveAdjustment(kind="remove", assignment=_ref(rota, 0))
    drafts.adjust(db, _community(db), WEEK, change, "coord", confirm=True)
    after = drafts.viewed_draft(db, _reloaded(db))
    assert after is not first and len(after.rota.assignments) == len(rota.assignments) - 1
    assert after.has_violations and after.result == _fresh(_reloaded(db))

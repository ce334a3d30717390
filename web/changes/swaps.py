"""Swaps between volunteers. No HTTP here: the pages and the JSON API (`web.changes.pages`, `web.changes.api`).

A volunteer at their secret link offers one of their coming published shifts (`offer_shift`); another volunteer,
eligible for it (same role, and the validator finds no new hard-rule violation when the shift is handed over),
accepts it (`accept_offer`); the coordinator approves (`approve_swap`): the hand-over is checked again against the
latest version, and either becomes a new published version (the old one stays) or is refused with its reason. The
week's draft, when it still holds the shift, gets the same hand-over, so publishing the draft later does not undo
the swap.

Every change is one transaction with an audit entry whose target is the week's first day (`web.changes.audit`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from scheduler import (
    Assignment,
    Rota,
    Scenario,
    Violation,
    Words,
    check,
    language_of,
    plain_remark,
    slot_candidates,
)
from web.catalog import Message
from web.changes.problems import ChangeProblem
from web.i18n import Translator
from web.outbox import notices
from web.outbox import service as outbox
from web.rota import drafts
from web.rota.adjust import AssignmentRef, MoveAdjustment, RotaProblem, apply_adjustment
from web.rota.service import (
    PublishedVersion,
    RecentlyUsed,
    checked_version,
    database_of,
    latest_version,
    weeks,
)
from web.store import audit, dump, store_json, transaction
from web.tables import (
    Community,
    PersonRow,
    RotaVersion,
    SwapRequest,
    SwapStatus,
    utcnow,
)

OPEN_SWAPS = (SwapStatus.OFFERED.value, SwapStatus.ACCEPTED.value)


@dataclass(frozen=True)
class OwnShift:
    """A coming shift of the volunteer, and their open offer of it, if any."""

    week: dt.date
    assignment: Assignment
    offer: SwapRequest | None


@dataclass(frozen=True)
class OpenOffer:
    """Another volunteer's offered shift that this volunteer may take."""

    swap: SwapRequest
    week: dt.date
    assignment: Assignment
    giver: str
    """The giver's name."""


@dataclass(frozen=True)
class SwapLine:
    """A swap request as the coordinator's list shows it."""

    swap: SwapRequest
    week: dt.date
    giver: str
    taker: str | None
    assignment: Assignment | None
    """The shift in the latest version (None when it changed since the offer)."""


@dataclass(frozen=True)
class Handover:
    """The latest version with one shift handed over, and what the validator says about it."""

    latest: PublishedVersion
    rota: Rota
    scenario: Scenario
    new_violations: list[Violation]


def _week_of(db: Session, swap: SwapRequest) -> dt.date:
    version = db.get(RotaVersion, swap.version_id)
    assert version is not None, "a swap's version is deleted with it"
    return version.week_start


def offer_matches(a: Assignment, swap: SwapRequest, person: str) -> bool:
    """Whether `a` is the offered shift held by `person` (a team duty has no shift: stored as '')."""
    return (a.person, a.date, a.post, a.duty, a.shift or "", a.role) == (
        person, swap.date, swap.post, swap.duty, swap.shift or "", swap.role
    )


def _person_key(db: Session, person_id: int | None) -> PersonRow | None:
    return db.get(PersonRow, person_id) if person_id is not None else None


def _current(
    db: Session, swap: SwapRequest, weeks: dict[dt.date, PublishedVersion | None] | None = None
) -> tuple[PublishedVersion, Assignment] | None:
    """The week's latest version and the offered shift in it (None when the shift changed since the offer).

    `weeks` keeps the latest versions already read, for a page listing many swaps.
    """
    giver = _person_key(db, swap.from_person_id)
    week = _week_of(db, swap)
    weeks = weeks if weeks is not None else {}
    if week not in weeks:
        weeks[week] = latest_version(db, swap.community_id, week)
    latest = weeks[week]
    if giver is None or latest is None:
        return None
    found = next((a for a in latest.rota.assignments if offer_matches(a, swap, giver.key)), None)
    return (latest, found) if found is not None else None


def published_weeks(db: Session, community: Community, today: dt.date) -> list[PublishedVersion]:
    """The latest version of every published week not over yet, earliest week first."""
    found = []
    for summary in reversed(weeks(db, community.id)):
        if not summary.versions:
            continue
        latest = latest_version(db, community.id, summary.week_start)
        if latest is not None and latest.rota.start + dt.timedelta(days=latest.rota.days) >= today:
            found.append(latest)
    return found


def coming_shifts(db: Session, community: Community, person: PersonRow, now: dt.datetime) -> list[OwnShift]:
    """The volunteer's published shifts that have not started, with their open offer of each."""
    offers = list(db.scalars(select(SwapRequest).where(
        SwapRequest.community_id == community.id, SwapRequest.from_person_id == person.id,
        SwapRequest.status.in_(OPEN_SWAPS),
    )))
    shifts = []
    for latest in published_weeks(db, community, now.date()):
        for a in latest.rota.assignments:
            if a.person == person.key and a.start > now:
                offer = next((s for s in offers if offer_matches(a, s, person.key)), None)
                shifts.append(OwnShift(latest.week_start, a, offer))
    return shifts


def my_requests(db: Session, community: Community, person: PersonRow) -> list[SwapRequest]:
    """Swaps the volunteer offered or took, newest first."""
    query = select(SwapRequest).where(
        SwapRequest.community_id == community.id,
        (SwapRequest.from_person_id == person.id) | (SwapRequest.to_person_id == person.id),
    )
    return list(db.scalars(query.order_by(SwapRequest.id.desc()).limit(50)))


def offer_shift(
    db: Session, community: Community, person: PersonRow, week: dt.date, ref: AssignmentRef, now: dt.datetime,
) -> SwapRequest:
    """Offer one of the volunteer's own coming shifts; raises ChangeProblem (someone else's shift, started,
    pinned, already offered)."""
    latest = latest_version(db, community.id, week)
    found = None
    if latest is not None and ref.person == person.key:
        found = next(
            (a for a in latest.rota.assignments
             if (a.person, a.place, a.shift, a.date) == (person.key, ref.place, ref.shift or None, ref.date)),
            None,
        )
    if latest is None or found is None:
        raise ChangeProblem("changes.problem.not_your_shift", status=404)
    if found.start <= now:
        raise ChangeProblem("changes.problem.started", status=409)
    if found.pinned:
        raise ChangeProblem("changes.problem.pinned", status=409)
    existing = [s for s in _open_of(db, community, person) if offer_matches(found, s, person.key)]
    if existing:
        raise ChangeProblem("changes.problem.already_offered", status=409)
    # Told by the engine's per-person rules in one pass (role, post, time, busy, limits): a full check per person
    # would cost a request seconds; accepting checks the hand-over in full.
    eligible = {c.person for c in slot_candidates(latest.scenario, latest.rota, found.place, found.shift, found.date,
                                                  found.role) if c.eligible}
    may_take = [
        p for p in db.scalars(select(PersonRow).where(PersonRow.community_id == community.id,
                                                      PersonRow.active.is_(True), PersonRow.id != person.id))
        if p.key in eligible and outbox.reachable(p)
    ]
    with transaction(db):
        swap = SwapRequest(
            community_id=community.id, version_id=latest.id, date=found.date, post=found.post, duty=found.duty,
            shift=found.shift or "", role=found.role, from_person_id=person.id, status=SwapStatus.OFFERED.value,
        )
        db.add(swap)
        db.flush()
        notices.swap_offered(db, community, swap.id, latest, found, person, may_take, now)
        audit(db, f"person:{person.key}", "swap.offer", week.isoformat(), swap_id=swap.id,
              community_id=swap.community_id,
              **_swap_details(found, person.name, None))
    return swap


def _open_of(db: Session, community: Community, person: PersonRow) -> list[SwapRequest]:
    return list(db.scalars(select(SwapRequest).where(
        SwapRequest.community_id == community.id, SwapRequest.from_person_id == person.id,
        SwapRequest.status.in_(OPEN_SWAPS),
    )))


def _swap_details(a: Assignment, giver: str, taker: str | None) -> dict[str, Any]:
    return {"date": a.date.isoformat(), "place": a.place, "shift": a.shift, "role": a.role, "giver": giver,
            "taker": taker}


Baseline = set[tuple[str, str]]
"""The (rule, message) of every violation a version already has: a hand-over is judged by what it adds."""


def baseline_of(latest: PublishedVersion) -> Baseline:
    return {(v.rule, v.message) for v in check(latest.scenario, latest.rota).violations}


def handover(latest: PublishedVersion, a: Assignment, taker: str, baseline: Baseline | None = None) -> Handover:
    """The latest version with `a` handed to `taker` (same slot, role and break starts), checked by the validator.

    Raises ChangeProblem when the hand-over cannot be made at all (the taker lacks the role, is on that shift
    already, the shift is pinned...). `new_violations` are the hard rules broken that the version did not break.
    """
    person = next((p for p in latest.scenario.people if p.id == taker), None)
    if person is None or not person.active:
        raise ChangeProblem("changes.problem.not_in_week", "to_person", status=409)
    if a.role not in person.roles:
        role = next((r for r in latest.scenario.roles if r.id == a.role), None)
        role_name = Message(role.name.text("en"), role.name.text("zh")) if role else a.role
        raise ChangeProblem("changes.problem.lacks_role", "to_person", 409, name=person.name, role=role_name)
    move = MoveAdjustment(
        kind="move", assignment=AssignmentRef(place=a.place, shift=a.shift, date=a.date, person=a.person),
        to_person=taker,
    )
    try:
        scenario, rota = apply_adjustment(latest.scenario, latest.rota, move)
    except RotaProblem as problem:
        raise ChangeProblem.of(problem, "to_person") from None
    before = baseline if baseline is not None else baseline_of(latest)
    result = check(scenario, rota)
    new = [v for v in result.violations if (v.rule, v.message) not in before]
    return Handover(latest, drafts.with_result(rota, result), scenario, new)


TakeKey = tuple[str, int, str, str | None, dt.date, str, str, str]
"""(database, version id, place, shift, date, giver, role, taker): one hand-over judged against one version."""
_takeable: RecentlyUsed[TakeKey, bool] = RecentlyUsed(4096)
"""Whether a volunteer may take an offered shift: published versions never change, so the answer for a version
stays true; kept so that reloading the swaps page does not check every offer again (a whole-rota check each)."""


def _may_take(db: Session, latest: PublishedVersion, a: Assignment, taker: str) -> bool:
    database = database_of(db)
    key = (database, latest.id, a.place, a.shift, a.date, a.person, a.role, taker)
    known = _takeable.get(key)
    if known is not None:
        return known
    baseline = {(v.rule, v.message) for v in checked_version(db, latest).result.violations}
    try:
        takeable = not handover(latest, a, taker, baseline).new_violations
    except ChangeProblem:
        takeable = False
    _takeable.put(key, takeable)
    return takeable


def open_offers(db: Session, community: Community, person: PersonRow, now: dt.datetime) -> list[OpenOffer]:
    """Others' offers, still current and not started, that the volunteer may take without breaking a hard rule."""
    query = select(SwapRequest).where(
        SwapRequest.community_id == community.id, SwapRequest.status == SwapStatus.OFFERED.value,
        SwapRequest.from_person_id != person.id,
    )
    offers = []
    weeks: dict[dt.date, PublishedVersion | None] = {}
    for swap in db.scalars(query.order_by(SwapRequest.date, SwapRequest.id)):
        current = _current(db, swap, weeks)
        if current is None or current[1].start <= now:
            continue
        latest, a = current
        if not _may_take(db, latest, a, person.key):
            continue
        giver = latest.scenario.person(a.person).name
        offers.append(OpenOffer(swap, latest.week_start, a, giver))
    return offers


def _swap_or_problem(db: Session, community: Community, swap_id: int) -> SwapRequest:
    swap = db.get(SwapRequest, swap_id)
    if swap is None or swap.community_id != community.id:
        raise ChangeProblem("changes.problem.no_swap", status=404)
    return swap


def accept_offer(
    db: Session, community: Community, person: PersonRow, swap_id: int, now: dt.datetime, lang: str = "zh",
) -> SwapRequest:
    """Take another volunteer's offered shift (the coordinator approves later); raises ChangeProblem with the
    reason when the volunteer may not take it."""
    swap = _swap_or_problem(db, community, swap_id)
    if swap.from_person_id == person.id:
        raise ChangeProblem("changes.problem.own_offer", status=409)
    if swap.status != SwapStatus.OFFERED.value:
        raise ChangeProblem("changes.problem.not_open", status=409)
    current = _current(db, swap)
    if current is None or current[1].start <= now:
        raise ChangeProblem("changes.problem.stale_swap", status=409)
    latest, a = current
    outcome = handover(latest, a, person.key)
    if outcome.new_violations:
        words = Words(latest.scenario, language_of(lang))
        raise ChangeProblem("changes.problem.breaks_rules", status=409,
                            reasons="; ".join(words.text(v) for v in outcome.new_violations))
    with transaction(db):
        swap.status, swap.to_person_id, swap.updated_at = SwapStatus.ACCEPTED.value, person.id, utcnow()
        notices.swap_closed(db, community, swap.id)  # taken: no longer offered to the others
        audit(db, f"person:{person.key}", "swap.accept", latest.week_start.isoformat(), swap_id=swap.id,
              community_id=swap.community_id,
              **_swap_details(a, latest.scenario.person(a.person).name, person.name))
    return swap


def withdraw_offer(db: Session, community: Community, person: PersonRow, swap_id: int) -> SwapRequest:
    """The giver withdraws their open offer (also once accepted, until the coordinator decides)."""
    swap = _swap_or_problem(db, community, swap_id)
    if swap.from_person_id != person.id:
        raise ChangeProblem("changes.problem.no_swap", status=404)
    if swap.status not in OPEN_SWAPS:
        raise ChangeProblem("changes.problem.not_open", status=409)
    with transaction(db):
        swap.status, swap.updated_at = SwapStatus.WITHDRAWN.value, utcnow()
        notices.swap_closed(db, community, swap.id)
        audit(db, f"person:{person.key}", "swap.withdraw", _week_of(db, swap).isoformat(), swap_id=swap.id,
              community_id=swap.community_id,
              giver=person.name, date=swap.date.isoformat(), place=swap.post or swap.duty, shift=swap.shift or None)
    return swap


def swap_lines(db: Session, community: Community, *, pending: bool) -> list[SwapLine]:
    """Open swaps (pending=True: offered or awaiting approval) or decided ones (the latest 30)."""
    query = select(SwapRequest).where(SwapRequest.community_id == community.id)
    if pending:
        query = query.where(SwapRequest.status.in_(OPEN_SWAPS)).order_by(SwapRequest.date, SwapRequest.id)
    else:
        query = query.where(SwapRequest.status.not_in(OPEN_SWAPS)).order_by(SwapRequest.updated_at.desc()).limit(30)
    lines = []
    weeks: dict[dt.date, PublishedVersion | None] = {}
    for swap in db.scalars(query):
        giver, taker = _person_key(db, swap.from_person_id), _person_key(db, swap.to_person_id)
        current = _current(db, swap, weeks) if pending else None
        lines.append(SwapLine(
            swap, _week_of(db, swap), giver.name if giver else "?", taker.name if taker else None,
            current[1] if current is not None else None,
        ))
    return lines


@dataclass(frozen=True)
class Decision:
    """What the coordinator's approval did: a new version, or a refusal with its reasons."""

    swap: SwapRequest
    version: RotaVersion | None
    reasons: list[str]
    problem: ChangeProblem | None = None


def approve_swap(
    db: Session, community: Community, swap_id: int, actor: str, t: Translator, now: dt.datetime | None = None,
) -> Decision:
    """Check the accepted swap against the latest version; publish it as the next version, or refuse it with
    its reason (the swap is then marked refused). Raises ChangeProblem for a swap not awaiting approval."""
    now = now or dt.datetime.now(dt.UTC)
    swap = _swap_or_problem(db, community, swap_id)
    if swap.status != SwapStatus.ACCEPTED.value or swap.to_person_id is None:
        raise ChangeProblem("changes.problem.not_accepted", status=409)
    taker = _person_key(db, swap.to_person_id)
    current = _current(db, swap)
    if current is None or taker is None:
        problem = ChangeProblem("changes.problem.stale_swap", status=409)
        return _refuse(db, swap, actor, [problem.text(t)], problem)
    latest, a = current
    if a.start <= now:
        problem = ChangeProblem("changes.problem.started", status=409)
        return _refuse(db, swap, actor, [problem.text(t)], problem)
    try:
        outcome = handover(latest, a, taker.key)
    except ChangeProblem as problem:
        return _refuse(db, swap, actor, [problem.text(t)], problem)
    if outcome.new_violations:
        words = Words(latest.scenario, t.lang)
        return _refuse(db, swap, actor, [words.text(v) for v in outcome.new_violations], None)
    version = _publish_swap(db, community, swap, outcome, a, taker, actor)
    return Decision(swap, version, [])


def _refuse(
    db: Session, swap: SwapRequest, actor: str, reasons: list[str], problem: ChangeProblem | None
) -> Decision:
    """Mark the swap refused with its reasons (the validator's words, or the problem in the coordinator's language)."""
    reason = "; ".join(reasons)
    with transaction(db):
        swap.status, swap.decided_by, swap.updated_at = SwapStatus.REFUSED.value, actor, utcnow()
        swap.reason = reason or None
        audit(db, actor, "swap.refuse", _week_of(db, swap).isoformat(), swap_id=swap.id,
              community_id=swap.community_id, reasons=reasons,
              problem=problem.key if problem else None, date=swap.date.isoformat(), place=swap.post or swap.duty)
    return Decision(swap, None, reasons, problem)


def refuse_swap(db: Session, community: Community, swap_id: int, actor: str, reason: str) -> SwapRequest:
    """The coordinator refuses an open swap, with an optional reason of their own."""
    swap = _swap_or_problem(db, community, swap_id)
    if swap.status not in OPEN_SWAPS:
        raise ChangeProblem("changes.problem.not_open", status=409)
    reason = plain_remark(reason)
    with transaction(db):
        notices.swap_closed(db, community, swap.id)
        swap.status, swap.decided_by, swap.updated_at = SwapStatus.REFUSED.value, actor, utcnow()
        swap.reason = reason or None
        audit(db, actor, "swap.refuse", _week_of(db, swap).isoformat(), swap_id=swap.id,
              community_id=swap.community_id, reasons=[reason],
              date=swap.date.isoformat(), place=swap.post or swap.duty)
    return swap


def _publish_swap(
    db: Session, community: Community, swap: SwapRequest, outcome: Handover, a: Assignment, taker: PersonRow,
    actor: str,
) -> RotaVersion:
    """The hand-over as the week's next version, the draft brought along, the swap approved: one transaction."""
    latest = outcome.latest
    giver = latest.scenario.person(a.person).name
    try:
        with transaction(db):
            number = (db.scalar(select(func.max(RotaVersion.version)).where(
                RotaVersion.community_id == community.id, RotaVersion.week_start == latest.week_start)) or 0) + 1
            version = RotaVersion(
                community_id=community.id, week_start=latest.week_start, days=latest.rota.days, version=number,
                rota=dump(outcome.rota), scenario=dump(outcome.scenario),
                note=f"swap #{swap.id}: {giver} → {taker.name}", published_by=actor, published_at=utcnow(),
            )
            db.add(version)
            db.flush()
            notices.published(db, community, version, version.published_at)
            notices.swap_closed(db, community, swap.id)
            _bring_draft_along(db, community, latest, version, a, taker.key)
            swap.status, swap.decided_by, swap.updated_at = SwapStatus.APPROVED.value, actor, utcnow()
            swap.reason = None
            details = _swap_details(a, giver, taker.name)
            audit(db, actor, "swap.approve", latest.week_start.isoformat(), swap_id=swap.id,
                  community_id=swap.community_id, version=number,
                  **details)
            audit(db, actor, "rota.publish", latest.week_start.isoformat(), version=number, swap_id=swap.id,
                  community_id=swap.community_id,
                  violations=0, objective=outcome.rota.objective)
    except (IntegrityError, StaleDataError):  # another publication, or a save of the draft, at the same moment
        raise ChangeProblem("rota.problem.publish_race", status=409) from None
    return version


def _bring_draft_along(
    db: Session, community: Community, latest: PublishedVersion, version: RotaVersion, a: Assignment, taker: str
) -> None:
    """The week's draft gets the same hand-over when it still holds the shift (else it is left as it is: its
    changes view then shows the swap as undone, for the coordinator to see before publishing)."""
    row = drafts.draft_row(db, community, latest.week_start)
    if row is None:
        return
    draft = drafts.load_draft(row)
    move = MoveAdjustment(
        kind="move", assignment=AssignmentRef(place=a.place, shift=a.shift, date=a.date, person=a.person),
        to_person=taker,
    )
    try:
        scenario, rota = apply_adjustment(draft.scenario, draft.rota, move)
    except RotaProblem:
        return
    store_json(row, "rota", drafts.with_result(rota, check(scenario, rota)))
    row.base_version_id = version.id
    row.updated_at = utcnow()

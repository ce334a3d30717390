"""Sign-up rounds: the coordinator opens a period for sign-up until a deadline; each volunteer marks the shifts they
may take "I'll do it" or "I'd rather not"; the coordinator sees per shift how many signed up and where it is thin.

No HTTP here. The shifts a person is offered are those the engine finds them eligible for on an empty rota
(`scheduler.slot_candidates`: role, posts, availability, absences, limits), so nobody signs up for what the rules
would refuse. The answers reach the solver through `web.store.build_scenario` (`signup_wishes`): strong wishes that
never call anyone out who is not needed, or pins of the shifts signed up for when the round says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scheduler import Language, Rota, Scenario, SolveStatus, shift_slots, slot_candidates, slot_labels
from web.store import build_scenario, people_rows
from web.tables import Community, PersonRow, Signup, SignupChoice, SignupRound

MAX_DAYS = 31
"""The longest period a round may open (like a solve's)."""
MAX_ANSWERS = 2000
"""Answers taken from one form: far more than a month of shifts at every post."""


class SignupProblem(Exception):
    """Something a coordinator or volunteer asked that cannot be done: `key` names the message, `status` the HTTP
    status a page answers with."""

    def __init__(self, key: str, status: int = 400, **params: object) -> None:
        super().__init__(key)
        self.key, self.status, self.params = key, status, params


@dataclass(frozen=True)
class Slot:
    """One shift instance of the round's period, in the community's local time."""

    place: str
    shift: str
    """The shift template id, or the duty id again for a team duty (as `Signup.shift` stores it)."""
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    night: bool
    is_duty: bool

    @property
    def key(self) -> str:
        """'gate|day|2026-12-14': a form field's name for this slot."""
        return f"{self.place}|{self.shift}|{self.date.isoformat()}"


@dataclass
class Offer:
    """A slot a person may sign up for, and what they answered (None: nothing yet)."""

    slot: Slot
    label: str
    """'大门 · 白班': the place and the shift's name, in the reader's language."""
    choice: str | None


@dataclass
class SlotSummary:
    """What a slot drew: who said yes, how many said no, how many the coverage rules ask for at least."""

    slot: Slot
    label: str
    need: int
    yes: list[str] = field(default_factory=list)
    """Names of those who will do it, in the order they answered."""
    no: int = 0

    @property
    def thin(self) -> bool:
        return len(self.yes) < self.need


def is_open(round_: SignupRound, now: dt.datetime) -> bool:
    return round_.closed_at is None and now < round_.deadline


def rounds(db: Session, community: Community) -> list[SignupRound]:
    query = select(SignupRound).where(SignupRound.community_id == community.id)
    return list(db.scalars(query.order_by(SignupRound.week_start.desc())))


def round_for(db: Session, community: Community, week: dt.date) -> SignupRound | None:
    query = select(SignupRound).where(SignupRound.community_id == community.id, SignupRound.week_start == week)
    return db.scalars(query).first()


def open_rounds(db: Session, community: Community, now: dt.datetime) -> list[SignupRound]:
    """The rounds a volunteer can answer now, soonest period first."""
    return sorted((r for r in rounds(db, community) if is_open(r, now)), key=lambda r: r.week_start)


def open_round(
    db: Session, community: Community, week: dt.date, days: int, deadline: dt.datetime, as_pins: bool, by: str,
    now: dt.datetime,
) -> SignupRound:
    """A new round; refused when the period has one already, or the deadline has passed or is after the period
    has begun."""
    if round_for(db, community, week) is not None:
        raise SignupProblem("signup.problem.exists", 409)
    if not 1 <= days <= MAX_DAYS:
        raise SignupProblem("signup.problem.days", 422, max=MAX_DAYS)
    starts = dt.datetime.combine(week, dt.time(), ZoneInfo(community.timezone))
    if deadline <= now:
        raise SignupProblem("signup.problem.deadline_past", 422)
    if deadline > starts:
        raise SignupProblem("signup.problem.deadline_late", 422)
    row = SignupRound(community_id=community.id, week_start=week, days=days, deadline=deadline, as_pins=as_pins,
                      opened_by=by, opened_at=now)
    db.add(row)
    db.flush()
    return row


def close_round(round_: SignupRound, now: dt.datetime) -> None:
    round_.closed_at = round_.closed_at or now


def reopen_round(round_: SignupRound, deadline: dt.datetime, now: dt.datetime, zone: ZoneInfo) -> None:
    if deadline <= now:
        raise SignupProblem("signup.problem.deadline_past", 422)
    if deadline > dt.datetime.combine(round_.week_start, dt.time(), zone):
        raise SignupProblem("signup.problem.deadline_late", 422)
    round_.closed_at, round_.deadline = None, deadline


def scenario_of(db: Session, community: Community, round_: SignupRound) -> Scenario:
    return build_scenario(db, community, round_.week_start, round_.days)


def slots(scenario: Scenario) -> list[Slot]:
    """The post shifts of the period. Team duties are not signed up for: their teams are set by role."""
    return [
        Slot(s.place, s.shift or s.place, s.date, s.start, s.end, s.night, s.is_duty)
        for s in shift_slots(scenario) if not s.is_duty
    ]


def _labels(scenario: Scenario, lang: str) -> dict[tuple[str, str], str]:
    """'大门 · 白班' per (place, shift as stored); a duty's name alone."""
    language: Language = "zh" if lang == "zh" else "en"
    names = {p.id: p.name.text(language) for p in scenario.posts}
    names |= {d.id: d.name.text(language) for d in scenario.team_duties}
    found: dict[tuple[str, str], str] = {}
    for (place, shift), (label, _hours) in slot_labels(scenario, language).items():
        stored = shift or place
        found[(place, stored)] = names.get(place, place) if shift is None else f"{names.get(place, place)} · {label}"
    return found


def _empty(scenario: Scenario) -> Rota:
    return Rota(community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
                status=SolveStatus.FEASIBLE, objective=None, bound=None, assignments=[])


def eligible_slots(scenario: Scenario, person: str) -> list[Slot]:
    """The slots of the period the person could be put on, as the engine sees it on an empty rota."""
    rota = _empty(scenario)
    found = []
    for slot in slots(scenario):
        for candidate in slot_candidates(scenario, rota, slot.place, slot.shift, slot.date):
            if candidate.person == person and candidate.eligible:
                found.append(slot)
    return found


def _answers(db: Session, round_: SignupRound, person: PersonRow) -> dict[tuple[str, str, dt.date], Signup]:
    rows = db.scalars(select(Signup).where(Signup.round_id == round_.id, Signup.person_id == person.id))
    return {(r.place, r.shift, r.date): r for r in rows}


def offers(db: Session, community: Community, round_: SignupRound, person: PersonRow, lang: str) -> list[Offer]:
    """What the person may sign up for in the round, each with their answer so far."""
    scenario = scenario_of(db, community, round_)
    labels = _labels(scenario, lang)
    answers = _answers(db, round_, person)
    found = []
    for slot in eligible_slots(scenario, person.key):
        answer = answers.get((slot.place, slot.shift, slot.date))
        found.append(Offer(slot, labels.get((slot.place, slot.shift), slot.place), answer.choice if answer else None))
    return found


def save_answers(
    db: Session, community: Community, round_: SignupRound, person: PersonRow, answers: dict[str, str],
    patterns: dict[tuple[int, str, str], str], now: dt.datetime,
) -> int:
    """Store the person's answers: `answers` by slot key ('yes', 'no', or '' to take an answer back), and
    `patterns` by (weekday, place, shift) applied to every such slot offered (a slot's own answer wins). Keys of
    slots not offered to the person are ignored. Returns how many answers the person now has."""
    if not is_open(round_, now):
        raise SignupProblem("signup.problem.closed", 409)
    if len(answers) + len(patterns) > MAX_ANSWERS:
        raise SignupProblem("signup.problem.too_many", 413)
    offered = {o.slot.key: o.slot for o in offers(db, community, round_, person, "zh")}
    wanted: dict[str, str] = {}
    for slot in offered.values():
        pattern = patterns.get((slot.date.weekday(), slot.place, slot.shift))
        if pattern is not None:
            wanted[slot.key] = pattern
    wanted |= {key: value for key, value in answers.items() if key in offered}
    existing = _answers(db, round_, person)
    for key, value in wanted.items():
        slot = offered[key]
        row = existing.get((slot.place, slot.shift, slot.date))
        if value not in (SignupChoice.YES, SignupChoice.NO):
            if row is not None:
                db.delete(row)
                del existing[(slot.place, slot.shift, slot.date)]
            continue
        if row is None:
            row = Signup(round_id=round_.id, person_id=person.id, place=slot.place, shift=slot.shift, date=slot.date,
                         choice=value, updated_at=now)
            db.add(row)
            existing[(slot.place, slot.shift, slot.date)] = row
        elif row.choice != value:
            row.choice, row.updated_at = value, now
    db.flush()
    return len(existing)


def delete_round(db: Session, round_: SignupRound) -> None:
    db.execute(delete(Signup).where(Signup.round_id == round_.id))
    db.delete(round_)


def coverage_need(scenario: Scenario, slot: Slot) -> int:
    """At least how many people the coverage rules ask for on this slot: per rule that applies on its day and meets
    it (its shift, or a window it overlaps), the rule's minimum; rules for one role add up, and a rule for anyone
    asks at least its own minimum. A hint for the coordinator, not the solver's count (meal breaks may ask more)."""
    day = slot.date
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    by_role: dict[str, int] = defaultdict(int)
    anyone = 0
    for rule in scenario.coverage:
        if rule.post != slot.place or rule.min == 0 or weekday not in rule.days:
            continue
        if rule.dates is not None and day not in rule.dates:
            continue
        if rule.shift is not None:
            if rule.shift != slot.shift:
                continue
        elif rule.window is not None and not _overlaps(rule.window.start, rule.window.minutes, slot):
            continue
        if rule.role is None:
            anyone = max(anyone, rule.min)
        else:
            by_role[rule.role] = max(by_role[rule.role], rule.min)
    return max(anyone, sum(by_role.values()))


def _overlaps(start: int, minutes: int, slot: Slot) -> bool:
    """Whether a daily window (from `start` minutes after midnight, `minutes` long) meets the slot."""
    midnight = dt.datetime.combine(slot.date, dt.time(), slot.start.tzinfo)
    for offset in (-1, 0, 1):
        begin = midnight + dt.timedelta(days=offset, minutes=start)
        if begin < slot.end and slot.start < begin + dt.timedelta(minutes=minutes):
            return True
    return False


def summary(db: Session, community: Community, round_: SignupRound, lang: str) -> list[SlotSummary]:
    """Per slot of the period: who signed up, how many would rather not, and the coverage minimum."""
    scenario = scenario_of(db, community, round_)
    labels = _labels(scenario, lang)
    found = {
        s.key: SlotSummary(s, labels.get((s.place, s.shift), s.place), coverage_need(scenario, s))
        for s in slots(scenario)
    }
    names = {row.id: row.name for row in people_rows(db, community)}
    answers = db.scalars(select(Signup).where(Signup.round_id == round_.id).order_by(Signup.updated_at, Signup.id))
    for answer in answers:
        entry = found.get(f"{answer.place}|{answer.shift}|{answer.date.isoformat()}")
        if entry is None:
            continue  # the set-up changed since: a shift the period no longer has
        if answer.choice == SignupChoice.YES:
            entry.yes.append(names.get(answer.person_id, "?"))
        else:
            entry.no += 1
    return list(found.values())


def answered_people(db: Session, round_: SignupRound) -> int:
    return len(set(db.scalars(select(Signup.person_id).where(Signup.round_id == round_.id))))

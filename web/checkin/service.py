"""Check-in at the post: who came to their shift and when, as recorded by the volunteer, the shift's lead or a
coordinator. Only times and who recorded them are kept: never a location, never an address.

The shifts are those of the latest published version of each week (`web.now.service.published_around`); a shift
of a published rota without a `CheckIn` row is "not recorded yet", not a no-show. A status is computed when a time
is recorded: arrived (at most `GRACE` after the planned start), late (later), left early (left more than `GRACE`
before the planned end); a lead or a coordinator may also record a no-show. Times come from the caller's clock (the
app's `AppContext.clock`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler import Assignment, Language, places, role_name, shift_times
from web.checkin.records import key_of, rows_by_instance, shift_key
from web.now.service import published_around
from web.rota import service as rotas
from web.store import audit, person_row, transaction
from web.tables import CheckIn, CheckInStatus, Community, PersonRow, utcnow

GRACE = dt.timedelta(minutes=10)
"""Arriving at most this long after the planned start is on time; leaving earlier than this before the end is early."""
OPENS_BEFORE = dt.timedelta(minutes=60)
"""A shift's check-in opens this long before its planned start."""
CLOSES_AFTER = dt.timedelta(minutes=60)
"""... and stays open this long after its planned end (to tap 离岗 a little late)."""
SELF = "self"


class CheckInProblem(Exception):
    """A refusal with a catalogue key (web.checkin.messages) and the HTTP status the API answers."""

    def __init__(self, key: str, status: int = 409) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


@dataclass(frozen=True)
class Member:
    """One person on a shift instance, with what is recorded of them (None: nothing yet)."""

    person: str
    name: str
    role: str
    role_name: str
    lead: bool
    start: dt.datetime
    end: dt.datetime
    record: CheckIn | None

    @property
    def status(self) -> str | None:
        return self.record.status if self.record is not None else None


@dataclass(frozen=True)
class Slot:
    """One shift instance of a published rota (local times), with everyone on it."""

    version_id: int
    place: str
    place_name: str
    is_duty: bool
    shift: str
    shift_name: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    members: list[Member]

    @property
    def ref(self) -> str:
        """What a form posts to name this instance: 'place|shift|date'."""
        return f"{self.place}|{self.shift}|{self.date.isoformat()}"

    def member(self, person: str) -> Member | None:
        return next((m for m in self.members if m.person == person), None)

    def may_lead(self, person: str) -> bool:
        """A lead on the shift checks the team in; a shift without a lead lets anyone on it do so."""
        me = self.member(person)
        if me is None:
            return False
        return me.lead or not any(m.lead for m in self.members)


def parse_ref(text: str) -> tuple[str, str, dt.date] | None:
    parts = text.split("|")
    if len(parts) != 3 or not parts[0] or not parts[1] or len(text) > 200:
        return None
    try:
        return parts[0], parts[1], dt.date.fromisoformat(parts[2])
    except ValueError:
        return None


def _slots(db: Session, community: Community, versions: list[rotas.PublishedVersion], lang: Language,
           keep: Callable[[Assignment], bool]) -> list[Slot]:
    """The shift instances of `versions` whose assignments `keep` accepts, with their check-in rows."""
    zone = ZoneInfo(community.timezone)
    groups: dict[tuple[int, str, str, dt.date], list[Assignment]] = defaultdict(list)
    scenarios = {}
    for version in versions:
        scenarios[version.id] = version
        for a in version.rota.assignments:
            if keep(a):
                groups[(version.id, a.place, shift_key(a), a.date)].append(a)
    records = rows_by_instance(db, community.id, {date for _, _, _, date in groups})
    slots = []
    for (version_id, place_id, shift, date), team in groups.items():
        scenario = scenarios[version_id].scenario
        roles = {r.id: r for r in scenario.roles}
        leads = {r.id for r in scenario.roles if r.lead}
        people = {p.id: p for p in scenario.people}
        place = places(scenario).get(place_id)
        start, end = min(a.start for a in team), max(a.end for a in team)
        times = shift_times(start, end, zone)
        members = []
        for a in team:
            person = people.get(a.person)
            members.append(Member(
                a.person, person.name if person is not None else a.person, a.role, role_name(roles, a.role, lang),
                a.role in leads or (person is not None and bool(leads & set(person.roles))),
                a.start.astimezone(zone), a.end.astimezone(zone), records.get(key_of(a)),
            ))
        members.sort(key=lambda m: (not m.lead, m.start, m.name))
        slots.append(Slot(
            version_id, place_id, place.name(lang) if place is not None else place_id,
            a.duty is not None, shift,
            place.slot_name(a.shift, lang, times) if place is not None else shift, date,
            start.astimezone(zone), end.astimezone(zone), members,
        ))
    return sorted(slots, key=lambda s: (s.start, s.place_name, s.shift))


def open_slots(db: Session, community: Community, person: str, now: dt.datetime, lang: Language) -> list[Slot]:
    """The person's shift instances open for check-in at `now`: running, or starting within `OPENS_BEFORE`."""
    today = now.astimezone(ZoneInfo(community.timezone)).date()
    versions = published_around(db, community.id, today)

    def keep(a: Assignment) -> bool:
        return a.start - OPENS_BEFORE <= now < a.end + CLOSES_AFTER

    return [s for s in _slots(db, community, versions, lang, keep) if s.member(person) is not None]


def day_slots(db: Session, community: Community, day: dt.date, lang: Language) -> list[Slot]:
    """Every shift instance of the published rota starting on the local date `day`."""
    versions = published_around(db, community.id, day)
    return _slots(db, community, versions, lang, lambda a: a.date == day)


def find_slot(slots: list[Slot], ref: str) -> Slot | None:
    parsed = parse_ref(ref)
    if parsed is None:
        return None
    place, shift, date = parsed
    return next((s for s in slots if (s.place, s.shift, s.date) == (place, shift, date)), None)


# ----------------------------------------------------------------------------------------------- recording


def arrival_status(member: Member, at: dt.datetime) -> CheckInStatus:
    return CheckInStatus.ARRIVED if at <= member.start + GRACE else CheckInStatus.LATE


def _row(db: Session, community: Community, slot: Slot, member: Member) -> CheckIn:
    """The member's check-in row (made, not yet flushed, when there is none)."""
    person = person_row(db, community, member.person)
    if person is None:
        raise CheckInProblem("checkin.problem.no_person", 404)
    row = db.scalars(select(CheckIn).where(
        CheckIn.community_id == community.id, CheckIn.person_id == person.id, CheckIn.place == slot.place,
        CheckIn.shift == slot.shift, CheckIn.date == slot.date,
    )).first()
    if row is None:
        row = CheckIn(
            community_id=community.id, person_id=person.id, version_id=slot.version_id, place=slot.place,
            is_duty=slot.is_duty, shift=slot.shift, role=member.role, date=slot.date,
            planned_start=member.start.astimezone(dt.UTC), planned_end=member.end.astimezone(dt.UTC),
            status=CheckInStatus.ARRIVED.value, recorded_by=SELF,
        )
        db.add(row)
    return row


def arrive(db: Session, community: Community, slot: Slot, person: str, at: dt.datetime, by: str = SELF) -> CheckIn:
    """Record the person's arrival at `at` (arriving twice keeps the first time)."""
    member = slot.member(person)
    if member is None:
        raise CheckInProblem("checkin.problem.not_on_shift", 404)
    with transaction(db):
        row = _row(db, community, slot, member)
        if row.arrived_at is None or row.status == CheckInStatus.NO_SHOW:
            row.arrived_at, row.left_at = at, None
            row.status = arrival_status(member, at).value
            row.recorded_by = by
    return row


def leave(db: Session, community: Community, slot: Slot, person: str, at: dt.datetime, by: str = SELF) -> CheckIn:
    """Record the person's departure at `at`; refused before an arrival (leaving twice keeps the first time)."""
    member = slot.member(person)
    if member is None:
        raise CheckInProblem("checkin.problem.not_on_shift", 404)
    record = member.record
    if record is None or record.arrived_at is None or record.status == CheckInStatus.NO_SHOW:
        raise CheckInProblem("checkin.problem.not_arrived")
    with transaction(db):
        row = _row(db, community, slot, member)
        if row.left_at is None:
            row.left_at = at
            if at < member.end - GRACE:
                row.status = CheckInStatus.LEFT_EARLY.value
            row.recorded_by = by
    return row


def lead_marks(db: Session, community: Community, slot: Slot, lead: PersonRow, person: str, status: str,
               at: dt.datetime) -> CheckIn:
    """The shift's lead records a team member as arrived (now) or as a no-show."""
    if not slot.may_lead(lead.key):
        raise CheckInProblem("checkin.problem.not_lead", 403)
    if person == lead.key or slot.member(person) is None:
        raise CheckInProblem("checkin.problem.not_on_shift", 404)
    by = f"lead:{lead.id}"
    if status == CheckInStatus.ARRIVED:
        return arrive(db, community, slot, person, at, by)
    if status != CheckInStatus.NO_SHOW:
        raise CheckInProblem("checkin.problem.status", 400)
    member = slot.member(person)
    assert member is not None
    with transaction(db):
        row = _row(db, community, slot, member)
        row.status, row.arrived_at, row.left_at, row.recorded_by = CheckInStatus.NO_SHOW.value, None, None, by
    return row


# ------------------------------------------------------------------------------------------- corrections


def clock_time(text: str) -> dt.time | None:
    """'HH:MM' as a time; None for anything else."""
    if len(text) != 5 or text[2] != ":":
        return None
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        return None


def place_time(member: Member, clock: dt.time) -> dt.datetime:
    """The first moment with this local clock time from 12 hours before the planned start: a night shift's
    departure at 07:00 falls on the next morning."""
    zone = member.start.tzinfo
    assert isinstance(zone, ZoneInfo)
    earliest = member.start - dt.timedelta(hours=12)
    moment = dt.datetime.combine(earliest.date(), clock, zone)
    while moment < earliest:
        moment = dt.datetime.combine(moment.date() + dt.timedelta(days=1), clock, zone)
    return moment


def _snapshot(row: CheckIn | None) -> dict[str, str | None]:
    if row is None:
        return {"status": None, "arrived_at": None, "left_at": None, "recorded_by": None}
    return {
        "status": row.status, "recorded_by": row.recorded_by,
        "arrived_at": row.arrived_at.isoformat() if row.arrived_at is not None else None,
        "left_at": row.left_at.isoformat() if row.left_at is not None else None,
    }


@dataclass(frozen=True)
class Correction:
    """A coordinator's correction: the status ('' to clear the record) and local clock times ('HH:MM' or '')."""

    status: str
    arrived: str = ""
    left: str = ""


def correct(db: Session, community: Community, actor: str, slot: Slot, person: str, change: Correction) -> None:
    """Set what a coordinator says happened; audited with the values before and after. Errors name the field."""
    member = slot.member(person)
    if member is None:
        raise CheckInProblem("checkin.problem.not_on_shift", 404)
    statuses = {s.value for s in CheckInStatus}
    if change.status and change.status not in statuses:
        raise CheckInProblem("checkin.problem.status", 400)
    arrived = clock_time(change.arrived) if change.arrived else None
    left = clock_time(change.left) if change.left else None
    if change.arrived and arrived is None:
        raise CheckInProblem("checkin.problem.arrived", 400)
    if change.left and left is None:
        raise CheckInProblem("checkin.problem.left", 400)
    arrived_at = place_time(member, arrived) if arrived is not None else None
    left_at = place_time(member, left) if left is not None else None
    if arrived_at is not None and left_at is not None and left_at <= arrived_at:
        raise CheckInProblem("checkin.problem.order", 400)
    if change.status == CheckInStatus.NO_SHOW and (arrived_at is not None or left_at is not None):
        raise CheckInProblem("checkin.problem.no_show_times", 400)
    if change.status in (CheckInStatus.ARRIVED, CheckInStatus.LATE, CheckInStatus.LEFT_EARLY) and arrived_at is None:
        raise CheckInProblem("checkin.problem.arrived", 400)
    if change.status == CheckInStatus.LEFT_EARLY and left_at is None:
        raise CheckInProblem("checkin.problem.left", 400)
    if not change.status and (arrived_at is not None or left_at is not None):
        raise CheckInProblem("checkin.problem.status", 400)
    with transaction(db):
        before = _snapshot(member.record)
        row: CheckIn | None = None
        if change.status:
            row = _row(db, community, slot, member)
            row.status, row.arrived_at, row.left_at = change.status, arrived_at, left_at
            row.recorded_by = f"coordinator:{actor}"
            row.updated_at = utcnow()
        elif member.record is not None:
            existing = db.get(CheckIn, member.record.id)
            if existing is not None:
                db.delete(existing)
        db.flush()
        audit(
            db, actor, "checkin.correct", f"checkin:{slot.date.isoformat()}", person=person, place=slot.place,
            shift=slot.shift, before=before, after=_snapshot(row),
        )

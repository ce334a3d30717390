"""Who is on duty now: per post (and team duty) the shift running now and the next one, who is on with their role,
the one to call, who is away eating and until when, and the gaps now and in the next 24 hours.

No HTTP here: the page (`web.now.pages`) and the JSON (`web.now.api`) show the same `Now`. The source is the latest
published version of each week whose period reaches from yesterday (a night shift that started yesterday may
still run) to the end of the look-ahead; drafts are never shown. Who has checked in comes from the check-in rows
(`web.checkin`): a person without one is "not recorded yet", which is not a no-show.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler import Assignment, Language, Words, places, role_name, shift_slots, shift_times
from web.checkin.records import InstanceKey, key_of, rows_by_instance
from web.rota import service as rotas
from web.tables import CheckIn, Community, RotaVersion

LOOK_AHEAD = dt.timedelta(hours=24)
"""Gaps starting within this time from now are highlighted."""
LONGEST_PERIOD = 35
"""Days back to look for a week that may still run now (a published period is at most this long)."""


@dataclass(frozen=True)
class OnDuty:
    """One person on a shift."""

    name: str
    role: str
    phone: str | None
    eating_until: dt.datetime | None
    """The end of the meal break they are on now (local time), or None when they are at the post."""
    checkin: str | None = None
    """Their check-in status on this shift (a `CheckInStatus` value), or None when nothing is recorded yet."""
    arrived_at: dt.datetime | None = None
    """When they checked in (local time)."""


@dataclass(frozen=True)
class ShiftNow:
    """One shift instance of a post (or a team duty's day), in local time."""

    name: str
    start: dt.datetime
    end: dt.datetime
    people: list[OnDuty]
    gaps: list[str]
    """What the checker finds missing on this shift (coverage below the hard minimum), in the reader's words."""


@dataclass(frozen=True)
class Gap:
    """A time when fewer people are on than the hard coverage minimum."""

    start: dt.datetime
    end: dt.datetime
    text: str
    now: bool
    """True when the gap is open at this moment (else it opens within the next 24 hours)."""


@dataclass(frozen=True)
class PostNow:
    id: str
    name: str
    current: list[ShiftNow]
    next: ShiftNow | None
    call: OnDuty | None
    """The one to call now: the holder of a lead role on a current shift, else the first person on with a phone."""
    gaps: list[Gap]


@dataclass(frozen=True)
class Now:
    moment: dt.datetime
    """Now, in the community's time zone."""
    timezone: str
    posts: list[PostNow]
    versions: list[tuple[dt.date, int]] = field(default_factory=list)
    """(week, version) of each published version read."""

    @property
    def gap_count(self) -> int:
        return sum(len(p.gaps) for p in self.posts)


def published_around(db: Session, community_id: int, today: dt.date) -> list[rotas.PublishedVersion]:
    """The latest version of each week whose period may overlap yesterday to tomorrow, oldest week first (check-in
    reads the same versions)."""
    query = (
        select(RotaVersion.week_start, func.max(RotaVersion.version))
        .where(
            RotaVersion.community_id == community_id,
            RotaVersion.week_start >= today - dt.timedelta(days=LONGEST_PERIOD),
            RotaVersion.week_start <= today + dt.timedelta(days=2),
        )
        .group_by(RotaVersion.week_start)
        .order_by(RotaVersion.week_start)
    )
    found = []
    for week, number in db.execute(query).all():
        row = rotas.version_row(db, community_id, week, number)
        if row is None:
            continue
        version = rotas.published(row)
        last_day = version.rota.start + dt.timedelta(days=version.rota.days)
        if last_day >= today - dt.timedelta(days=1):
            found.append(version)
    return found


def _lead_roles(version: rotas.PublishedVersion) -> set[str]:
    return {r.id for r in version.scenario.roles if r.lead}


def _on_duty(version: rotas.PublishedVersion, a: Assignment, now: dt.datetime, lang: Language,
             zone: ZoneInfo, records: dict[InstanceKey, CheckIn]) -> OnDuty:
    scenario = version.scenario
    person = next((p for p in scenario.people if p.id == a.person), None)
    roles = {r.id: r for r in scenario.roles}
    eating = next((b.end.astimezone(zone) for b in a.breaks if b.start <= now < b.end), None)
    record = records.get(key_of(a))
    return OnDuty(
        name=person.name if person is not None else a.person, role=role_name(roles, a.role, lang),
        phone=person.phone if person is not None else None, eating_until=eating,
        checkin=record.status if record is not None else None,
        arrived_at=record.arrived_at.astimezone(zone) if record is not None and record.arrived_at else None,
    )


def _call(version: rotas.PublishedVersion, on: list[tuple[Assignment, OnDuty]]) -> OnDuty | None:
    leads = _lead_roles(version)
    for assignment, person in on:
        if assignment.role in leads and person.phone:
            return person
    return next((person for _, person in on if person.phone), None)


@dataclass
class _Building:
    """A post's state while the versions are read."""

    name: str
    version: rotas.PublishedVersion
    current: list[ShiftNow] = field(default_factory=list)
    next: ShiftNow | None = None
    on: list[tuple[Assignment, OnDuty]] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def now_of(db: Session, community: Community, now: dt.datetime, lang: Language) -> Now:
    """What is going on at `now` (aware) for the community, in `lang`."""
    zone = ZoneInfo(community.timezone)
    local = now.astimezone(zone)
    versions = published_around(db, community.id, local.date())
    horizon = now + LOOK_AHEAD
    records = rows_by_instance(db, community.id, [local.date() + dt.timedelta(days=d) for d in (-1, 0, 1, 2)])
    posts: dict[str, _Building] = {}
    for version in versions:
        scenario = version.scenario
        words = Words(scenario, lang)
        names = places(scenario)
        coverage = [
            (v, v.place, v.start, v.end) for v in rotas.checked_version(db, version).result.violations
            if v.rule == "coverage" and v.place is not None and v.start is not None and v.end is not None
        ]
        people: dict[tuple[str, dt.date, str | None], list[Assignment]] = defaultdict(list)
        for a in version.rota.assignments:
            people[(a.place, a.date, a.shift)].append(a)
        for slot in shift_slots(scenario):
            if slot.end <= now:
                continue
            place = names.get(slot.place)
            post = posts.setdefault(slot.place, _Building(place.name(lang) if place else slot.place, version))
            post.version = version
            on = [
                (a, _on_duty(version, a, now, lang, zone, records)) for a in people[(slot.place, slot.date, slot.shift)]
            ]
            gaps = [words.text(v) for v, where, start, end in coverage
                    if where == slot.place and start < slot.end and end > slot.start]
            label = place.slot_name(slot.shift, lang, shift_times(slot.start, slot.end, zone)) if place else slot.place
            shift = ShiftNow(label, slot.start.astimezone(zone), slot.end.astimezone(zone), [p for _, p in on], gaps)
            if slot.start <= now:
                post.current.append(shift)
                post.on.extend(on)
            elif post.next is None or shift.start < post.next.start:
                post.next = shift
        for v, where, start, end in coverage:
            if end > now and start < horizon and where in posts:
                posts[where].gaps.append(
                    Gap(start.astimezone(zone), end.astimezone(zone), words.text(v), start <= now)
                )
    return Now(
        local, community.timezone,
        [
            PostNow(place_id, p.name, p.current, p.next, _call(p.version, p.on), sorted(p.gaps, key=lambda g: g.start))
            for place_id, p in posts.items()
        ],
        [(v.week_start, v.version) for v in versions],
    )

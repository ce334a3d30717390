"""The volunteer service record: who served which shift, for how long, as recorded at the post or as published.

`served` is the one reading of it: the pages, the JSON API, the spreadsheet, the certificate and the solver's
fairness over past weeks all take its list. The summaries (`summarise`) count turns, hours and nights per person
and per week, month or year. No HTTP here.

What counts (China's Order No. 67 asks records to be true, accurate and complete):

- the latest published version of each period (what people were told), shift by shift, once the shift has ended;
- a check-in row (web.tables.CheckIn) for the person and shift gives the times actually served; a shift of the
  published rota that nobody recorded counts as planned and is marked `source="rota"` wherever it shows;
- a no-show is not a turn served; a recorded shift that was later taken off the rota still is (the person came);
- meal breaks do not count: the person is off the post while eating (the published breaks, wherever they fall in
  the time served).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from scheduler import MAX_PERIOD_DAYS, Assignment, LocalizedText, Scenario
from web.people.names import sort_key
from web.store import setup_of, stored_rota, stored_scenario
from web.tables import CheckIn, CheckInStatus, Community, PersonRow, RotaVersion

Source = Literal["checkin", "rota"]
Grouping = Literal["week", "month", "year"]
GROUPINGS: tuple[Grouping, ...] = ("week", "month", "year")
MAX_RANGE_DAYS = 366
"""The longest range a page, the API or a file covers (a year, leap day included)."""


@dataclass(frozen=True)
class ServedShift:
    """One shift a person served (or is taken to have served: `source="rota"`), with its times in the community's
    zone."""

    person_id: int | None
    """The person's row id (`PersonRow.id`); None when the row no longer exists."""
    person_key: str
    name: str
    place: str
    """The post or team duty id."""
    is_duty: bool
    place_name: LocalizedText
    shift: str
    """The shift template id, or the duty id again for a team duty."""
    shift_name: LocalizedText
    role: str
    role_name: LocalizedText
    date: dt.date
    """The local date the shift starts (a night shift belongs to the day it starts)."""
    start: dt.datetime
    """When the service began: the recorded arrival (never before the planned start), else the planned start."""
    end: dt.datetime
    """When it ended: the recorded departure (never after the planned end), else the planned end."""
    planned_start: dt.datetime
    planned_end: dt.datetime
    hours: float
    """`end - start` less the meal breaks within it."""
    night: bool
    """A night shift under the rules it was published with (web.store's `_was_night`)."""
    weekend: bool
    """Its local date is a Saturday or a Sunday."""
    source: Source
    """'checkin': a CheckIn row recorded it; 'rota': nobody recorded it, the published times are taken."""
    status: str | None
    """The CheckInStatus value (None when nobody recorded it)."""
    recorded_by: str | None
    """CheckIn.recorded_by ('self', 'lead:<person id>', 'coordinator:<username>'); None when nobody recorded it."""
    week_start: dt.date | None
    """The published period it comes from (None for a recorded shift no longer on the latest version)."""
    version: int | None


def served(db: Session, community: Community, start: dt.date, end: dt.date, now: dt.datetime) -> list[ServedShift]:
    """Every shift served in the community from local date `start` up to, not including, `end`, that ended by `now`
    (an aware moment: the app's clock).

    Read from the latest published version of each period and from the check-in table, one query per table.
    Each published assignment is one `ServedShift`:

    - with a CheckIn row (`source="checkin"`): from the arrival (or the planned start when none is recorded) to the
      departure (or the planned end: an arrival without a departure counts until the planned end), both kept
      within the planned shift; a no-show, or a record with no time left, is not a turn served and is left out;
    - without one (`source="rota"`, `status` and `recorded_by` None): the planned times, as published;
    - a CheckIn row whose shift is no longer on the latest version still counts, as recorded (the person came;
      no meal break is known for it, `week_start` and `version` are None).

    Hours leave out the published meal breaks within the time served: the person is off the post while eating.
    A shift belongs to the local date it starts on (a night from Sunday 23:00 is Sunday's). `night` follows the
    rules the period was published with; `weekend` is a Saturday or Sunday start. Sorted by start, then name.
    The solver's fairness over past weeks reads this list: keep its signature.
    """
    zone = ZoneInfo(community.timezone)
    periods = _latest_versions(db, community, start, end)
    people = {row.key: row for row in db.scalars(select(PersonRow).where(PersonRow.community_id == community.id))}
    by_id = {row.id: row for row in people.values()}
    records: dict[tuple[int | None, str, str, dt.date], CheckIn] = {
        (row.person_id, row.place, row.shift, row.date): row
        for row in db.scalars(select(CheckIn).where(
            CheckIn.community_id == community.id, CheckIn.date >= start, CheckIn.date < end,
        ))
    }
    found: dict[tuple[str, str, str, dt.date], ServedShift] = {}
    snapshots: list[tuple[RotaVersion, Scenario]] = []
    used: set[tuple[int | None, str, str, dt.date]] = set()
    for version in periods:  # the earliest period first: a later one covering the same day replaces it
        scenario = stored_scenario(version) if version.scenario is not None else None
        if scenario is not None:
            snapshots.append((version, scenario))
        for a in stored_rota(version).assignments:
            if not (start <= a.date < end) or a.end > now:
                continue
            row = people.get(a.person)
            shift = a.shift if a.shift is not None else a.place
            record_key = (row.id if row is not None else None, a.place, shift, a.date)
            record = records.get(record_key) if row is not None else None
            used.add(record_key)
            item = _from_assignment(a, shift, row, scenario, record, version, zone)
            key = (a.person, a.place, shift, a.date)
            found.pop(key, None)
            if item is not None:
                found[key] = item
    setup = setup_of(community)
    for record_key, record in records.items():  # came, though the shift is no longer on the rota
        row = by_id.get(record.person_id)
        if row is None or record_key in used or record.planned_end > now:
            continue
        scenario = _covering(snapshots, record.date)
        item = _from_record(record, row, scenario, setup.places(), zone)
        key = (row.key, record.place, record.shift, record.date)
        if item is not None and key not in found:
            found[key] = item
    return sorted(found.values(), key=lambda s: (s.start, sort_key(s.name), s.place))


def _latest_versions(db: Session, community: Community, start: dt.date, end: dt.date) -> list[RotaVersion]:
    """The latest version of every period that may hold a day in [start, end), earliest period first."""
    latest = (
        select(RotaVersion.week_start, func.max(RotaVersion.version).label("number"))
        .where(
            RotaVersion.community_id == community.id, RotaVersion.week_start < end,
            RotaVersion.week_start >= start - dt.timedelta(days=MAX_PERIOD_DAYS),
        )
        .group_by(RotaVersion.week_start)
        .subquery()
    )
    query = (
        select(RotaVersion)
        .join(latest, and_(RotaVersion.week_start == latest.c.week_start, RotaVersion.version == latest.c.number))
        .where(RotaVersion.community_id == community.id)
        .order_by(RotaVersion.week_start)
    )
    return list(db.scalars(query))


def _covering(snapshots: list[tuple[RotaVersion, Scenario]], day: dt.date) -> Scenario | None:
    for version, scenario in reversed(snapshots):
        if version.week_start <= day < version.week_start + dt.timedelta(days=version.days):
            return scenario
    return None


def _from_assignment(
    a: Assignment, shift: str, row: PersonRow | None, scenario: Scenario | None, record: CheckIn | None,
    version: RotaVersion, zone: ZoneInfo,
) -> ServedShift | None:
    place_name, shift_name, role_name = _names(scenario, a.place, shift, a.role)
    name = row.name if row is not None else _snapshot_name(scenario, a.person)
    begin, finish = _times(a.start, a.end, record)
    if finish <= begin:
        return None
    breaks = [(b.start, b.end) for b in a.breaks]
    return ServedShift(
        person_id=row.id if row is not None else None, person_key=a.person, name=name, place=a.place,
        is_duty=a.duty is not None, place_name=place_name, shift=shift, shift_name=shift_name, role=a.role,
        role_name=role_name, date=a.date, start=begin.astimezone(zone), end=finish.astimezone(zone),
        planned_start=a.start.astimezone(zone), planned_end=a.end.astimezone(zone),
        hours=_hours(begin, finish, breaks), night=_night(scenario, a.place, a.duty is not None, shift),
        weekend=a.date.weekday() >= 5, source="checkin" if record is not None else "rota",
        status=record.status if record is not None else None,
        recorded_by=record.recorded_by if record is not None else None,
        week_start=version.week_start, version=version.version,
    )


def _from_record(
    record: CheckIn, row: PersonRow, scenario: Scenario | None, places: list[tuple[str, str, str]], zone: ZoneInfo,
) -> ServedShift | None:
    begin, finish = _times(record.planned_start, record.planned_end, record)
    if finish <= begin:
        return None
    place_name, shift_name, role_name = _names(scenario, record.place, record.shift, record.role)
    if scenario is None:  # no published period covers the day any more: the community's names
        names = {place: LocalizedText(zh=zh, en=en) for place, zh, en in places}
        place_name = names.get(record.place, place_name)
    return ServedShift(
        person_id=row.id, person_key=row.key, name=row.name, place=record.place, is_duty=record.is_duty,
        place_name=place_name, shift=record.shift, shift_name=shift_name, role=record.role, role_name=role_name,
        date=record.date, start=begin.astimezone(zone), end=finish.astimezone(zone),
        planned_start=record.planned_start.astimezone(zone), planned_end=record.planned_end.astimezone(zone),
        hours=_hours(begin, finish, []), night=_night(scenario, record.place, record.is_duty, record.shift),
        weekend=record.date.weekday() >= 5, source="checkin", status=record.status,
        recorded_by=record.recorded_by, week_start=None, version=None,
    )


def _times(
    planned_start: dt.datetime, planned_end: dt.datetime, record: CheckIn | None
) -> tuple[dt.datetime, dt.datetime]:
    """The time served: the recorded arrival and departure kept within the planned shift; a no-show: none."""
    if record is None:
        return planned_start, planned_end
    if record.status == CheckInStatus.NO_SHOW.value:
        return planned_start, planned_start
    begin = max(record.arrived_at, planned_start) if record.arrived_at is not None else planned_start
    finish = min(record.left_at, planned_end) if record.left_at is not None else planned_end
    return begin, finish


def _hours(begin: dt.datetime, finish: dt.datetime, breaks: Iterable[tuple[dt.datetime, dt.datetime]]) -> float:
    seconds = (finish - begin).total_seconds()
    for meal_start, meal_end in breaks:
        overlap = (min(finish, meal_end) - max(begin, meal_start)).total_seconds()
        seconds -= max(0.0, overlap)
    return max(0.0, seconds) / 3600


def _names(
    scenario: Scenario | None, place: str, shift: str, role: str
) -> tuple[LocalizedText, LocalizedText, LocalizedText]:
    """The place's, shift's and role's names in the published scenario (their ids when it does not have them)."""
    place_name = LocalizedText(zh=place, en=place)
    shift_name = LocalizedText(zh=shift, en=shift)
    role_name = LocalizedText(zh=role, en=role)
    if scenario is None:
        return place_name, shift_name, role_name
    for post in scenario.posts:
        if post.id == place:
            place_name = post.name
            template = next((s for s in post.shifts if s.id == shift), None)
            if template is not None:
                label = template.label()
                shift_name = template.name or LocalizedText(zh=label, en=label)
    for duty in scenario.team_duties:
        if duty.id == place:
            place_name = shift_name = duty.name
    found = next((r for r in scenario.roles if r.id == role), None)
    if found is not None:
        role_name = found.name
    return place_name, shift_name, role_name


def _night(scenario: Scenario | None, place: str, is_duty: bool, shift: str) -> bool:
    """As web.store's `_was_night`: the shift's own flag or the night window of the rules it was published with."""
    if scenario is None:
        return False
    if not is_duty:
        for post in scenario.posts:
            if post.id == place:
                template = next((s for s in post.shifts if s.id == shift), None)
                return template is not None and scenario.is_night(template)
        return False
    for duty in scenario.team_duties:
        if duty.id == place:
            return scenario.overlaps_night(duty.window.start, duty.window.minutes)
    return False


def _snapshot_name(scenario: Scenario | None, key: str) -> str:
    if scenario is not None:
        for person in scenario.people:
            if person.id == key:
                return person.name
    return key


# ------------------------------------------------------------------------------------------------ summaries


@dataclass
class Tally:
    """Turns served, hours and nights (and where they come from) of one person in one period or in all."""

    turns: int = 0
    hours: float = 0.0
    nights: int = 0
    weekends: int = 0
    checkin_turns: int = 0
    rota_turns: int = 0
    checkin_hours: float = 0.0
    rota_hours: float = 0.0

    def add(self, shift: ServedShift) -> None:
        self.turns += 1
        self.hours += shift.hours
        self.nights += shift.night
        self.weekends += shift.weekend
        if shift.source == "checkin":
            self.checkin_turns += 1
            self.checkin_hours += shift.hours
        else:
            self.rota_turns += 1
            self.rota_hours += shift.hours


@dataclass
class PersonRecord:
    """One person's service in a range: the totals and one tally per period (week, month or year)."""

    person_id: int | None
    key: str
    name: str
    total: Tally = field(default_factory=Tally)
    periods: dict[dt.date, Tally] = field(default_factory=dict)
    shifts: list[ServedShift] = field(default_factory=list)


def period_of(day: dt.date, by: Grouping) -> dt.date:
    """The first day of the week (Monday), month or year `day` falls in."""
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def periods_between(start: dt.date, end: dt.date, by: Grouping) -> list[dt.date]:
    """The first days of every period that holds a day of [start, end), in order."""
    found: list[dt.date] = []
    first = period_of(start, by)
    while first < end:
        found.append(first)
        first = _next_period(first, by)
    return found


def _next_period(first: dt.date, by: Grouping) -> dt.date:
    if by == "month":
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if by == "year":
        return first.replace(year=first.year + 1)
    return first + dt.timedelta(days=7)


def summarise(shifts: Iterable[ServedShift], by: Grouping = "week") -> list[PersonRecord]:
    """Per person (in pinyin order of their names): the totals and a tally per period of `by`."""
    people: dict[str, PersonRecord] = {}
    for shift in shifts:
        record = people.get(shift.person_key)
        if record is None:
            record = people[shift.person_key] = PersonRecord(shift.person_id, shift.person_key, shift.name)
        record.total.add(shift)
        record.periods.setdefault(period_of(shift.date, by), Tally()).add(shift)
        record.shifts.append(shift)
    return sorted(people.values(), key=lambda r: (sort_key(r.name), r.key))


def grand_total(records: Iterable[PersonRecord]) -> Tally:
    total = Tally()
    for record in records:
        for shift in record.shifts:
            total.add(shift)
    return total


def by_week(shifts: Iterable[ServedShift]) -> dict[str, dict[dt.date, float]]:
    """Hours per person key and week (Monday): what the hours chart draws."""
    hours: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for shift in shifts:
        hours[shift.person_key][period_of(shift.date, "week")] += shift.hours
    return hours

"""iCalendar (RFC 5545) files of a rota: one per person, one per post or team duty.

Both builders are pure functions of the scenario (names, places, roles, time zone, coordinator) and the **history
of published versions** of the rota, oldest first, so that a phone that subscribed to a feed updates its events
instead of duplicating them:

- every event has a UID derived from what the event *is* (community, person, date, place, shift, role for a
  person's shift; community, place, date, shift for a post's shift), so it survives re-solves and new versions;
- SEQUENCE counts how often the event's content (times, breaks, crew, and its text: names, places, roles,
  coordinator) changed from one version to the next;
- an event present in an earlier version and gone from the latest is kept, with STATUS:CANCELLED and a raised
  SEQUENCE, so calendars remove it instead of keeping a stale shift;
- DTSTAMP and LAST-MODIFIED are the publish time of the version in which the event last changed, CREATED the one
  in which it first appeared: the same inputs give the same bytes (usable as an ETag).

Versions of different periods (weeks) may be mixed in one history: they are grouped by the rota's first day, and
each group is followed on its own, so a new week never cancels last week's shifts.
Each version's text (names, places, roles, coordinator) comes from the scenario it was published with, when the
version carries it, else from the scenario given: a rename reaches subscribers with the next published version,
as a change. The calendar's own name, time zone and the person's language come from the scenario given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from icalendar import Alarm, Calendar, Event, Timezone, vText
from pydantic import Field, field_validator

from scheduler.domain.base import StrictModel
from scheduler.domain.community import Role
from scheduler.domain.rota import Assignment, Break, Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.labels import (
    WORDS,
    Language,
    Place,
    break_label,
    date_label,
    language_of,
    places,
    role_mark,
    role_name,
    shift_times,
)

PRODID = "-//rota//volunteer rota//EN"


class PublishedRota(StrictModel):
    """One published version of a rota: what the calendars follow from version to version."""

    rota: Rota = Field(description="The rota as published.")
    version: int = Field(ge=1, description="Version number within its period (1 for the first publication).")
    published_at: dt.datetime = Field(description="When it was published (timezone-aware).")
    scenario: Scenario | None = Field(
        default=None,
        description="The scenario it was published with: its names, places and roles make that version's event "
        "text. None: the scenario given to the calendar builder.",
    )

    @field_validator("published_at")
    @classmethod
    def _aware(cls, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("published_at needs a time zone")
        return moment


class CalendarOptions(StrictModel):
    """How calendars are written."""

    alarm_minutes: int = Field(
        default=60, ge=0, le=7 * 24 * 60, description="Reminder this many minutes before each shift; 0: none."
    )
    domain: str = Field(
        default="rota.localhost", min_length=1, description="Right-hand side of every UID ('…@domain')."
    )
    refresh_minutes: int = Field(
        default=60, ge=5, le=7 * 24 * 60, description="How often subscribers should refetch the feed."
    )


DEFAULT_OPTIONS = CalendarOptions()

History = Sequence[PublishedRota] | Rota
"""Published versions, oldest first; a bare rota counts as version 1 published at the start of its period."""


def single_version(rota: Rota, published_at: dt.datetime | None = None) -> list[PublishedRota]:
    """A history of one version. Without a time, the period's first midnight (UTC) keeps the output stable."""
    moment = published_at or dt.datetime.combine(rota.start, dt.time(), tzinfo=dt.UTC)
    return [PublishedRota(rota=rota, version=1, published_at=moment)]


def _versions(history: History) -> list[PublishedRota]:
    return single_version(history) if isinstance(history, Rota) else list(history)


# ------------------------------------------------------------------------------------------ version tracking

K = TypeVar("K", bound=Hashable)
F = TypeVar("F", bound=Hashable)


@dataclass
class Tracked(Generic[F]):
    """An event followed through the versions: its latest content and when and how often it changed."""

    facts: F
    created: dt.datetime
    stamp: dt.datetime
    sequence: int
    cancelled: bool
    version: int


def track(states: Sequence[tuple[PublishedRota, Mapping[K, F]]]) -> dict[K, Tracked[F]]:
    """Follow every event key through the versions (oldest first); see the module docstring for the rules."""
    tracked: dict[K, Tracked[F]] = {}
    for published, facts_by_key in states:
        moment = published.published_at
        for key, facts in facts_by_key.items():
            known = tracked.get(key)
            if known is None:
                tracked[key] = Tracked(facts, moment, moment, 0, False, published.version)
            elif known.cancelled or known.facts != facts:
                known.facts, known.cancelled = facts, False
                known.sequence, known.stamp, known.version = known.sequence + 1, moment, published.version
        for key, known in tracked.items():
            if key not in facts_by_key and not known.cancelled:
                known.cancelled = True
                known.sequence, known.stamp, known.version = known.sequence + 1, moment, published.version
    return tracked


def track_by_period(
    history: History, facts_of: Callable[[PublishedRota], Mapping[K, F]]
) -> dict[K, Tracked[F]]:
    """`track` applied to each period (rota start) of the history on its own."""
    periods: dict[dt.date, list[PublishedRota]] = defaultdict(list)
    for published in _versions(history):
        periods[published.rota.start].append(published)
    result: dict[K, Tracked[F]] = {}
    for versions in periods.values():
        result.update(track([(v, facts_of(v)) for v in versions]))
    return result


# ---------------------------------------------------------------------------------------------- event facts

SlotKey = tuple[str, dt.date, str | None]
"""(place, date, shift): one shift of a post, or one day of a team duty."""


def slot_of(a: Assignment) -> SlotKey:
    return (a.place, a.date, a.shift)


@dataclass(frozen=True)
class PersonShift:
    """What a person's event shows; two versions with equal facts are the same event content."""

    place: str
    date: dt.date
    shift: str | None
    role: str
    start: dt.datetime
    end: dt.datetime
    breaks: tuple[Break, ...]
    crew: tuple[tuple[str, str], ...]
    """The others on the same slot: (person id, role), sorted."""


PersonKey = tuple[str, dt.date, str, str | None, str]
"""(person, date, place, shift, role)."""


def person_facts(rota: Rota, person_id: str) -> dict[PersonKey, PersonShift]:
    crews: dict[SlotKey, list[tuple[str, str]]] = defaultdict(list)
    for a in rota.assignments:
        crews[slot_of(a)].append((a.person, a.role))
    facts: dict[PersonKey, PersonShift] = {}
    for a in rota.assignments:
        if a.person != person_id:
            continue
        crew = tuple(sorted(member for member in crews[slot_of(a)] if member[0] != person_id))
        facts[(a.person, a.date, a.place, a.shift, a.role)] = PersonShift(
            a.place, a.date, a.shift, a.role, a.start, a.end, tuple(a.breaks), crew
        )
    return facts


@dataclass(frozen=True)
class CrewMember:
    person: str
    role: str
    breaks: tuple[Break, ...]


@dataclass(frozen=True)
class PostShift:
    """What a post's event shows: one shift (or duty day) with everyone on it."""

    place: str
    date: dt.date
    shift: str | None
    start: dt.datetime
    end: dt.datetime
    crew: tuple[CrewMember, ...]


def post_facts(rota: Rota, place_id: str) -> dict[SlotKey, PostShift]:
    slots: dict[SlotKey, list[Assignment]] = defaultdict(list)
    for a in rota.assignments:
        if a.place == place_id:
            slots[slot_of(a)].append(a)
    facts: dict[SlotKey, PostShift] = {}
    for key, members in slots.items():
        ordered = sorted(members, key=lambda a: (a.role, a.person))
        crew = tuple(CrewMember(a.person, a.role, tuple(a.breaks)) for a in ordered)
        facts[key] = PostShift(
            place_id, key[1], key[2], min(a.start for a in members), max(a.end for a in members), crew
        )
    return facts


def event_uid(parts: Iterable[object], options: CalendarOptions) -> str:
    """A UID that depends only on what the event is: the same shift keeps it across versions and re-solves."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}@{options.domain}"


# ------------------------------------------------------------------------------------------------ texts


@dataclass(frozen=True)
class Texts:
    """What the text of one calendar's events is made from."""

    scenario: Scenario
    lang: Language
    places: dict[str, Place]
    roles: dict[str, Role]
    names: dict[str, str]

    @classmethod
    def of(cls, scenario: Scenario, lang: Language) -> Texts:
        roles = {r.id: r for r in scenario.roles}
        return cls(scenario, lang, places(scenario), roles, {p.id: p.name for p in scenario.people})

    def name(self, person_id: str) -> str:
        return self.names.get(person_id, person_id)

    def member(self, person_id: str, role: str) -> str:
        mark = role_mark(self.roles, role, self.lang)
        return f"{self.name(person_id)}（{mark}）" if self.lang == "zh" else f"{self.name(person_id)} ({mark})"

    def role(self, role_id: str) -> str:
        return role_name(self.roles, role_id, self.lang)

    def place(self, place_id: str) -> Place:
        return self.places[place_id]

    def heading(self, place_id: str, shift: str | None, start: dt.datetime, end: dt.datetime) -> str:
        """'小区入口卡口 白班' / 'Entrance checkpoint, Day' (a duty by its name alone); an unnamed shift by the
        instance's real times from `start` to `end`, which a clock change makes differ from the template's."""
        place = self.place(place_id)
        if place.post is None:
            return place.name(self.lang)
        separator = " " if self.lang == "zh" else ", "
        times = shift_times(start, end, self.scenario.zone)
        return f"{place.name(self.lang)}{separator}{place.slot_name(shift, self.lang, times)}"

    def coordinator_line(self) -> str | None:
        if not self.scenario.coordinator:
            return None
        colon = "：" if self.lang == "zh" else ": "
        return f"{WORDS[self.lang]['coordinator']}{colon}{self.scenario.coordinator}"

    def when(self, date: dt.date, start: dt.datetime, end: dt.datetime) -> str:
        return f"{date_label(date, self.lang)} {shift_times(start, end, self.scenario.zone)}"

    def first_line(self, place_id: str, shift: str | None, date: dt.date, start: dt.datetime, end: dt.datetime) -> str:
        """'小区入口卡口 白班 12月7日 周一 08:00–16:00' / 'Entrance checkpoint, Day, Mon 7 Dec 08:00–16:00'."""
        separator = " " if self.lang == "zh" else ", "
        return f"{self.heading(place_id, shift, start, end)}{separator}{self.when(date, start, end)}"

    def role_order(self, role_id: str) -> int:
        return list(self.roles).index(role_id) if role_id in self.roles else len(self.roles)

    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "

    def joined(self, items: Sequence[str]) -> str:
        return ("、" if self.lang == "zh" else ", ").join(items)

    def cancelled(self, summary: str, cancelled: bool) -> str:
        return f"{WORDS[self.lang]['cancelled']}{self.colon()}{summary}" if cancelled else summary


def person_summary(texts: Texts, shift: PersonShift) -> str:
    role = texts.role(shift.role)
    heading = texts.heading(shift.place, shift.shift, shift.start, shift.end)
    return f"{heading}（{role}）" if texts.lang == "zh" else f"{heading} ({role})"


def person_description(texts: Texts, shift: PersonShift, version: int) -> str:
    words, colon = WORDS[texts.lang], texts.colon()
    lines = [texts.first_line(shift.place, shift.shift, shift.date, shift.start, shift.end)]
    lines.append(f"{words['role']}{colon}{texts.role(shift.role)}")
    lines += [f"{words['break']}{colon}{break_label(texts.scenario, shift.place, b, texts.lang)}" for b in shift.breaks]
    if shift.crew:
        lines.append(f"{words['crew']}{colon}{texts.joined([texts.member(p, r) for p, r in shift.crew])}")
    else:
        lines.append(words["crew_none"])
    coordinator = texts.coordinator_line()
    if coordinator:
        lines.append(coordinator)
    lines.append(f"{words['version']} {version}")
    return "\n".join(lines)


def post_summary(texts: Texts, shift: PostShift) -> str:
    count = len(shift.crew)
    people = f"{count}{WORDS['zh']['people']}" if texts.lang == "zh" else f"{count} {WORDS['en']['people']}"
    return f"{texts.heading(shift.place, shift.shift, shift.start, shift.end)} · {people}"


def post_description(texts: Texts, shift: PostShift, version: int) -> str:
    lines = [texts.first_line(shift.place, shift.shift, shift.date, shift.start, shift.end)]
    for member in sorted(shift.crew, key=lambda m: (texts.role_order(m.role), texts.name(m.person), m.person)):
        meals = [break_label(texts.scenario, shift.place, b, texts.lang) for b in member.breaks]
        lines.append(" ".join([f"• {texts.member(member.person, member.role)}", *meals]))
    coordinator = texts.coordinator_line()
    if coordinator:
        lines.append(coordinator)
    lines.append(f"{WORDS[texts.lang]['version']} {version}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------- building


@dataclass(frozen=True)
class EventText:
    uid: str
    summary: str
    description: str
    location: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Rendered(Generic[F]):
    """An event's facts with its text as one version shows it: a text change is a change like any other."""

    facts: F
    summary: str
    location: str
    body: str
    """The description without its last line, the version that last changed the event (known only after
    tracking)."""


class TextsByVersion:
    """The texts of each version: from the scenario it was published with, else the one given (built once each)."""

    def __init__(self, scenario: Scenario, lang: Language) -> None:
        self._latest = Texts.of(scenario, lang)
        self._made: dict[int, Texts] = {}

    @property
    def latest(self) -> Texts:
        return self._latest

    def of(self, published: PublishedRota) -> Texts:
        if published.scenario is None:
            return self._latest
        key = id(published.scenario)
        if key not in self._made:
            self._made[key] = Texts.of(published.scenario, self._latest.lang)
        return self._made[key]


def _without_version(description: str) -> str:
    return description.rsplit("\n", 1)[0]


def _with_version(body: str, texts: Texts, version: int) -> str:
    return f"{body}\n{WORDS[texts.lang]['version']} {version}"


def make_event(text: EventText, tracked: Tracked[F], texts: Texts, options: CalendarOptions) -> Event:
    """One VEVENT: times in the scenario's zone (TZID), stamps in UTC, an alarm unless cancelled."""
    zone = texts.scenario.zone
    event = Event()
    event.add("uid", text.uid)
    event.add("dtstamp", tracked.stamp.astimezone(dt.UTC))
    event.add("created", tracked.created.astimezone(dt.UTC))
    event.add("last-modified", tracked.stamp.astimezone(dt.UTC))
    event.add("sequence", tracked.sequence)
    event.add("status", "CANCELLED" if tracked.cancelled else "CONFIRMED")
    event.add("summary", texts.cancelled(text.summary, tracked.cancelled))
    event.add("location", text.location)
    event.add("description", text.description)
    event.add("dtstart", text.start.astimezone(zone))
    event.add("dtend", text.end.astimezone(zone))
    event.add("transp", "TRANSPARENT" if tracked.cancelled else "OPAQUE")
    if options.alarm_minutes and not tracked.cancelled:
        event.add_component(make_alarm(text.summary, options.alarm_minutes))
    return event


def make_alarm(summary: str, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(minutes=-minutes))
    return alarm


@lru_cache(maxsize=64)
def zone_component(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of a zone for whole years (cached: building it is the slowest part of a small feed)."""
    return Timezone.from_tzid(tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year + 1, 1, 1))


def calendar_bytes(name: str, scenario: Scenario, events: list[Event], options: CalendarOptions) -> bytes:
    """The VCALENDAR around the events, with the VTIMEZONE of the scenario's zone and refresh hints."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Both are TEXT but unknown to icalendar, which would not escape them: wrap them as text explicitly.
    calendar.add("x-wr-calname", vText(name))
    calendar.add("name", vText(name))
    calendar.add("x-wr-timezone", scenario.timezone)
    calendar.add("refresh-interval", dt.timedelta(minutes=options.refresh_minutes), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", f"PT{options.refresh_minutes}M")
    years = [e.decoded(edge).year for e in events for edge in ("dtstart", "dtend")] or [scenario.start.year]
    calendar.add_component(zone_component(scenario.timezone, min(years), max(years)))
    for event in sorted(events, key=lambda e: (e.decoded("dtstart"), str(e["uid"]))):
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


ShiftFacts = TypeVar("ShiftFacts", bound=PersonShift | PostShift)


def _events(
    scenario: Scenario, tracked: Iterable[tuple[tuple[object, ...], Tracked[Rendered[ShiftFacts]]]], latest: Texts,
    options: CalendarOptions,
) -> list[Event]:
    """An event per tracked shift, its description ending with the version that last changed it."""
    events = []
    for key, item in tracked:
        text = EventText(
            uid=event_uid((scenario.community, *key), options),
            summary=item.facts.summary,
            description=_with_version(item.facts.body, latest, item.version),
            location=item.facts.location,
            start=item.facts.facts.start,
            end=item.facts.facts.end,
        )
        events.append(make_event(text, item, latest, options))
    return events


def person_calendar(
    scenario: Scenario, history: History, person_id: str, options: CalendarOptions = DEFAULT_OPTIONS
) -> bytes:
    """The .ics of one person's shifts and team duties, in the person's language (Person.language).

    `history` is every published version (of one or several periods), oldest first, or a single rota.
    Raises KeyError if the person is not in the scenario.
    """
    person = scenario.person(person_id)
    texts = TextsByVersion(scenario, language_of(person.language))

    def rendered(published: PublishedRota) -> dict[PersonKey, Rendered[PersonShift]]:
        version_texts = texts.of(published)
        result = {}
        for key, shift in person_facts(published.rota, person_id).items():
            shown = version_texts if shift.place in version_texts.places else texts.latest
            if shift.place not in shown.places:
                continue  # a place known to neither scenario has no name to show
            result[key] = Rendered(
                shift, person_summary(shown, shift), shown.place(shift.place).location(shown.lang),
                _without_version(person_description(shown, shift, published.version)),
            )
        return result

    events = _events(scenario, track_by_period(history, rendered).items(), texts.latest, options)
    return calendar_bytes(f"{scenario.community} · {person.name}", scenario, events, options)


def post_calendar(
    scenario: Scenario,
    history: History,
    place_id: str,
    lang: str = "zh",
    options: CalendarOptions = DEFAULT_OPTIONS,
) -> bytes:
    """The .ics of one post (or team duty): an event per shift (duty day) listing everyone on it with breaks.

    `history` as for `person_calendar`; `lang` 'zh' or 'en'. Raises KeyError for an unknown post or duty.
    """
    texts = TextsByVersion(scenario, language_of(lang))
    place = texts.latest.place(place_id)

    def rendered(published: PublishedRota) -> dict[SlotKey, Rendered[PostShift]]:
        version_texts = texts.of(published)
        shown = version_texts if place_id in version_texts.places else texts.latest
        return {
            key: Rendered(
                shift, post_summary(shown, shift), shown.place(place_id).location(shown.lang),
                _without_version(post_description(shown, shift, published.version)),
            )
            for key, shift in post_facts(published.rota, place_id).items()
        }

    events = _events(scenario, track_by_period(history, rendered).items(), texts.latest, options)
    return calendar_bytes(f"{scenario.community} · {place.name(texts.latest.lang)}", scenario, events, options)


def people_with_shifts(rota: Rota) -> list[str]:
    """Person ids that have at least one assignment, in first-appearance order."""
    return list(dict.fromkeys(a.person for a in rota.assignments))

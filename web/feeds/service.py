"""Calendar feeds and personal pages at secret links, built from published rota versions. No HTTP here.

A feed is built from **every published version of every week** in a window (the past `FEED_PAST_WEEKS` weeks and
all later ones), oldest first, so `scheduler.reports.ical` can raise SEQUENCE and mark removed shifts CANCELLED across
versions. Versions never change (`web.rota.service`), so:

- the ETag of a feed is a hash of what it is made of: the versions' ids and publish times, the person's row (its
  last change and language) and the calendar options. It is computed from one light query, so a conditional
  request (If-None-Match / If-Modified-Since) is answered 304 without building anything;
- parsed versions are kept in memory by row id, and built feeds by ETag (`FeedCache`, one per app), so a second
  subscriber's refresh of an unchanged feed costs a query and a hash;
- the first time a new set of versions is asked for (after a publication), every other active person's feed is
  built in a background thread (`prebuild_people`), so their phones' next refresh is served from memory too.

The personal page shows the person's coming shifts from the *latest* version of each week, with meal breaks and
the names (never phones) of the others on the same shift.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from functools import partial

from icalendar import Calendar, vText
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler import (
    PRODID,
    Assignment,
    CalendarOptions,
    Language,
    PublishedRota,
    Scenario,
    break_label,
    language_of,
    person_calendar,
    places,
    post_calendar,
    role_name,
    shift_times,
)
from web.rota import service as rotas
from web.settings import Settings
from web.store import person_from_row
from web.tables import PersonRow, RotaVersion

FEED_PAST_WEEKS = 8
"""A feed keeps this many weeks of past shifts (older events drop out of subscribed calendars)."""
PERSONAL_PAGE_DAYS_BACK = 1
"""The personal page looks at weeks that started up to this many days before their end (multi-day periods)."""
_VERSION_CACHE_SIZE = 256
_FEED_CACHE_SIZE = 1024
_GENERATIONS_KEPT = 16
LOG = logging.getLogger(__name__)


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


# ------------------------------------------------------------------------------------------ version stamps


@dataclass(frozen=True)
class VersionStamp:
    """What identifies a published version without loading its JSON."""

    id: int
    week_start: dt.date
    days: int
    version: int
    published_at: dt.datetime
    erased: str = ""
    """The community's `web.rota.service.erasure_mark`: the stored versions are scrubbed when someone is erased
    (web.people.privacy), so every feed's ETag changes and the parsed versions kept in memory, in every server
    process, are read again: no calendar keeps the old names."""

    @property
    def end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=self.days)


def version_stamps(db: Session, community_id: int, since: dt.date) -> list[VersionStamp]:
    """Every version of every week that ends after `since`, by week then version (one light query)."""
    query = (
        select(RotaVersion.id, RotaVersion.week_start, RotaVersion.days, RotaVersion.version,
               RotaVersion.published_at)
        .where(RotaVersion.community_id == community_id, RotaVersion.week_start >= since - dt.timedelta(days=366))
        .order_by(RotaVersion.week_start, RotaVersion.version)
    )
    mark = rotas.erasure_mark(db, community_id)
    stamps = [VersionStamp(i, w, d, v, aware(p), mark) for i, w, d, v, p in db.execute(query)]
    return [s for s in stamps if s.end > since]


def feed_window_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(weeks=FEED_PAST_WEEKS)


def latest_of_each_week(stamps: Iterable[VersionStamp]) -> list[VersionStamp]:
    latest: dict[dt.date, VersionStamp] = {}
    for stamp in stamps:
        if stamp.week_start not in latest or stamp.version > latest[stamp.week_start].version:
            latest[stamp.week_start] = stamp
    return [latest[week] for week in sorted(latest)]


# ------------------------------------------------------------------------------------------------ caches


class FeedCache:
    """Parsed versions by row id and built feeds by ETag, bounded (least recently used out), thread-safe.

    One per app (`cache_of`): row ids are only unique within one database. Each server process has its own; they
    stay right because every key holds what the database says now (versions never change but for an erasure,
    whose mark is part of the keys; feeds are kept by ETag).
    """

    def __init__(self, versions: int = _VERSION_CACHE_SIZE, feeds: int = _FEED_CACHE_SIZE) -> None:
        self._versions: OrderedDict[tuple[int, str], rotas.PublishedVersion] = OrderedDict()
        self._feeds: OrderedDict[str, bytes] = OrderedDict()
        self._sizes = (versions, feeds)
        self._lock = threading.Lock()
        self._generations: OrderedDict[str, None] = OrderedDict()

    def first_time(self, generation: str) -> bool:
        """True once per generation key (a set of versions and options): prebuilding starts only once."""
        with self._lock:
            if generation in self._generations:
                return False
            self._generations[generation] = None
            while len(self._generations) > _GENERATIONS_KEPT:
                self._generations.popitem(last=False)
            return True

    def version(self, db: Session, stamp: VersionStamp) -> rotas.PublishedVersion:
        """The parsed version, by row id and erasure mark (an erasure rewrites the row, whichever process did it)."""
        key = stamp.id, stamp.erased
        with self._lock:
            found = self._versions.get(key)
            if found is not None:
                self._versions.move_to_end(key)
                return found
        row = db.get(RotaVersion, stamp.id)
        if row is None:
            raise LookupError(f"rota version {stamp.id} is gone")
        loaded = rotas.published(row)
        with self._lock:
            self._versions[key] = loaded
            while len(self._versions) > self._sizes[0]:
                self._versions.popitem(last=False)
        return loaded

    def feed(self, etag: str, build: Callable[[], bytes]) -> bytes:
        with self._lock:
            found = self._feeds.get(etag)
            if found is not None:
                self._feeds.move_to_end(etag)
                return found
        body = build()
        with self._lock:
            self._feeds[etag] = body
            while len(self._feeds) > self._sizes[1]:
                self._feeds.popitem(last=False)
        return body


# -------------------------------------------------------------------------------------- conditional requests


@dataclass(frozen=True)
class Validators:
    """ETag (quoted) and Last-Modified of a feed, known before it is built."""

    etag: str
    last_modified: dt.datetime

    def headers(self) -> dict[str, str]:
        return {"ETag": self.etag, "Last-Modified": format_datetime(self.last_modified.astimezone(dt.UTC), True)}

    def not_modified(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        """RFC 9110: If-None-Match decides when present; else If-Modified-Since (second precision)."""
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or self.etag in tags
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return self.last_modified.replace(microsecond=0) <= since


def validators(kind: str, stamps: Sequence[VersionStamp], extra: Iterable[object],
               changed: Iterable[dt.datetime]) -> Validators:
    """An ETag hashing the versions and whatever else the feed depends on; Last-Modified the latest change."""
    parts = [kind, *(f"{s.id}:{s.published_at.isoformat()}{s.erased}" for s in stamps), *(str(e) for e in extra)]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:40]
    moments = [s.published_at for s in stamps] + [aware(m) for m in changed]
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return Validators(f'"{digest}"', max(moments, default=epoch))


def person_validators(stamps: Sequence[VersionStamp], person: PersonRow, options: CalendarOptions) -> Validators:
    extra = (person.id, person.key, person.language, aware(person.updated_at).isoformat(), options.model_dump_json())
    return validators("person", stamps, extra, [person.updated_at])


def post_validators(
    stamps: Sequence[VersionStamp], community_id: int, post: str, lang: str, options: CalendarOptions
) -> Validators:
    """The community is part of the key: two communities' posts may share an id, and the feed cache is shared."""
    return validators("post", stamps, (community_id, post, lang, options.model_dump_json()), [])


# -------------------------------------------------------------------------------------------------- feeds


def history(cache: FeedCache, db: Session, stamps: Sequence[VersionStamp]) -> list[rotas.PublishedVersion]:
    return [cache.version(db, stamp) for stamp in stamps]


def _engine_history(versions: Sequence[rotas.PublishedVersion]) -> list[PublishedRota]:
    return [
        PublishedRota(rota=v.rota, version=v.version, published_at=aware(v.published_at), scenario=v.scenario)
        for v in versions
    ]


def scenario_for_person(versions: Sequence[rotas.PublishedVersion], person: PersonRow) -> Scenario | None:
    """The newest snapshot that knows the person, with their current language (they may have changed it since);
    a snapshot without them gets them added (they joined after it). None without any version."""
    if not versions:
        return None
    newest = versions[-1].scenario
    known = next((v.scenario for v in reversed(versions) if any(p.id == person.key for p in v.scenario.people)), None)
    if known is None:
        return newest.model_copy(update={"people": [*newest.people, person_from_row(person)]})
    people = [p.model_copy(update={"language": person.language}) if p.id == person.key else p for p in known.people]
    return known.model_copy(update={"people": people})


def empty_calendar(name: str) -> bytes:
    """A valid calendar without events (nothing published yet), so a subscription works from the first day."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(name))
    data: bytes = calendar.to_ical()
    return data


def person_feed(
    cache: FeedCache, db: Session, stamps: Sequence[VersionStamp], person: PersonRow, options: CalendarOptions
) -> bytes:
    """The person's .ics from the versions of `stamps` (see the module docstring)."""
    versions = history(cache, db, stamps)
    scenario = scenario_for_person(versions, person)
    if scenario is None:
        return empty_calendar(person.name)
    return person_calendar(scenario, _engine_history(versions), person.key, options)


def post_feed(
    cache: FeedCache, db: Session, stamps: Sequence[VersionStamp], post: str, lang: str,
    options: CalendarOptions,
) -> bytes | None:
    """The post's (or team duty's) .ics; None when no version in the window knows the place."""
    versions = history(cache, db, stamps)
    known = [v for v in versions if post in places(v.scenario)]
    if not known:
        return None
    return post_calendar(known[-1].scenario, _engine_history(versions), post, lang, options)


def prebuild_people(
    cache: FeedCache, sessions: sessionmaker[Session], community_id: int, stamps: Sequence[VersionStamp],
    options: CalendarOptions,
) -> threading.Thread | None:
    """Build every active person's feed of these versions in a background thread, once per set of versions.

    Called when a request had to build a feed: the versions are new (just published), so every subscriber's phone
    will ask soon. Returns the thread (None when this set was already prebuilt or is being prebuilt).
    """
    generation = validators("generation", stamps, (community_id, options.model_dump_json()), []).etag
    if not cache.first_time(generation):
        return None
    thread = threading.Thread(
        target=_prebuild, args=(cache, sessions, community_id, list(stamps), options), name="feed-prebuild",
        daemon=True,
    )
    thread.start()
    return thread


def _prebuild(
    cache: FeedCache, sessions: sessionmaker[Session], community_id: int, stamps: list[VersionStamp],
    options: CalendarOptions,
) -> None:
    try:
        with sessions() as db:
            query = select(PersonRow).where(PersonRow.community_id == community_id, PersonRow.active.is_(True))
            for person in db.scalars(query):
                etag = person_validators(stamps, person, options).etag
                cache.feed(etag, partial(person_feed, cache, db, stamps, person, options))
    except Exception:  # a background nicety: a failure only means later requests build their own feeds
        LOG.exception("prebuilding calendar feeds failed")


def cache_of(state: object) -> FeedCache:
    """The app's feed cache (`app.state.feed_cache`), made on first use: one per app, since version ids are per
    database."""
    cache = getattr(state, "feed_cache", None)
    if not isinstance(cache, FeedCache):
        cache = FeedCache()
        setattr(state, "feed_cache", cache)  # noqa: B010  (Starlette's State takes attributes)
    return cache


def options_of(settings: Settings) -> CalendarOptions:
    return CalendarOptions(alarm_minutes=settings.calendar_alarm_minutes)


def warm_after_publishing(
    cache: FeedCache, sessions: sessionmaker[Session], community_id: int, options: CalendarOptions,
    today: dt.date,
) -> None:
    """Build every active person's feed of the versions now published, before any phone asks.

    Called right after a publication (hand-published, repair, swap): all subscribers' phones will refresh soon,
    and a feed built now is served from memory (about 3 ms each, so a 125-person community adds ~0.4 s to the
    publishing request). Synchronous on purpose: no thread outlives the request.
    """
    with sessions() as db:
        stamps = version_stamps(db, community_id, feed_window_start(today))
    generation = validators("generation", stamps, (community_id, options.model_dump_json()), []).etag
    if cache.first_time(generation):
        _prebuild(cache, sessions, community_id, stamps, options)


# ---------------------------------------------------------------------------------------- personal page


@dataclass(frozen=True)
class Teammate:
    name: str
    role: str


@dataclass(frozen=True)
class ComingShift:
    """One of the person's coming shifts, as the personal page shows it."""

    start: dt.datetime
    end: dt.datetime
    place: str
    slot: str
    location: str | None
    role: str
    breaks: list[str]
    teammates: list[Teammate]
    version: int


def _teammates(
    scenario: Scenario, assignments: Sequence[Assignment], mine: Assignment, lang: Language
) -> list[Teammate]:
    roles = {r.id: r for r in scenario.roles}
    names = {p.id: p.name for p in scenario.people}
    slot = (mine.place, mine.date, mine.shift)
    return sorted(
        (Teammate(names.get(a.person, a.person), role_name(roles, a.role, lang)) for a in assignments
         if (a.place, a.date, a.shift) == slot and a.person != mine.person),
        key=lambda m: (m.role, m.name),
    )


def coming_shift(
    version: rotas.PublishedVersion, mine: Assignment, lang: Language, shift_mates: Sequence[Assignment] | None = None,
) -> ComingShift:
    """One assignment as a person reads it. `shift_mates`: the assignments of its shift instance when the caller
    has them grouped (else the whole rota is searched for the teammates)."""
    scenario = version.scenario
    place = places(scenario).get(mine.place)
    roles = {r.id: r for r in scenario.roles}
    thing = place.post or place.duty if place is not None else None
    return ComingShift(
        start=mine.start.astimezone(scenario.zone), end=mine.end.astimezone(scenario.zone),
        place=place.name(lang) if place is not None else mine.place,
        slot=(
            place.slot_name(mine.shift, lang, shift_times(mine.start, mine.end, scenario.zone))
            if place is not None and place.post is not None else ""
        ),
        location=thing.location if thing is not None else None,
        role=role_name(roles, mine.role, lang),
        breaks=[break_label(scenario, mine.place, b, lang) for b in mine.breaks],
        teammates=_teammates(scenario, version.rota.assignments if shift_mates is None else shift_mates, mine, lang),
        version=version.version,
    )


def coming_shifts(
    cache: FeedCache, db: Session, community_id: int, person: PersonRow, lang: str, now: dt.datetime
) -> list[ComingShift]:
    """The person's shifts that have not ended by `now`, from the latest version of each week, soonest first."""
    language = language_of(lang)
    since = now.date() - dt.timedelta(days=PERSONAL_PAGE_DAYS_BACK)
    latest = [cache.version(db, s) for s in latest_of_each_week(version_stamps(db, community_id, since))]
    shifts = [
        coming_shift(version, a, language)
        for version in latest for a in version.rota.assignments if a.person == person.key and a.end > now
    ]
    shifts.sort(key=lambda s: (s.start, s.place))
    return shifts

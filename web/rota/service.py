"""The rota of a week as stored: published versions, the checked rotas pages show, and the stored JSON.

No HTTP here: the pages (`web.rota.pages`) and the JSON API (`web.rota.api`) call these functions, and so do
calendar feeds, print-outs, repairs and swaps. The draft and its changes are `web.rota.drafts`; hand adjustments
`web.rota.adjust`.

- `RotaVersion`: a published draft, immutable (an ORM guard below refuses updates). Versions are numbered 1, 2, ...
  per community and week; each stores its rota and its scenario snapshot, so a version can always be re-checked,
  printed or repaired exactly as it was published.
- Stored rotas and scenarios (drafts, versions, solve jobs) are read through `web.store.stored_rota` /
  `stored_scenario`: each row's JSON is validated once, however many functions of a request read it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, defer

from scheduler import CheckResult, Rota, RotaChanges, Scenario, check, diff_rotas
from web.store import stored_rota, stored_scenario
from web.tables import Community, JobStatus, PersonRow, RotaDraft, RotaVersion, SolveJob

# ------------------------------------------------------------------------------------------ loaded state


@dataclass(frozen=True)
class CheckedRota:
    """A rota with the scenario it belongs to and the checker's verdict on it."""

    scenario: Scenario
    rota: Rota
    result: CheckResult

    @property
    def has_violations(self) -> bool:
        return bool(self.result.violations)


@dataclass(frozen=True)
class PublishedVersion:
    """A published version of a week (a `RotaVersion` row, validated), as calendars, print-outs and repairs read
    it. The engine's `scheduler.PublishedRota` is what its calendars take of it."""

    id: int
    """RotaVersion row id (SwapRequest.version_id refers to it)."""
    community_id: int
    week_start: dt.date
    version: int
    rota: Rota
    scenario: Scenario
    """The scenario the rota was checked against when published (people's names, posts, shifts, rules)."""
    published_at: dt.datetime
    published_by: str
    note: str | None


@dataclass(frozen=True)
class WeekSummary:
    """A week with a draft or published versions (the week chooser lists these)."""

    week_start: dt.date
    has_draft: bool
    versions: int


def checked(scenario: Scenario, rota: Rota) -> CheckedRota:
    return CheckedRota(scenario, rota, check(scenario, rota))


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RecentlyUsed(Generic[K, V]):
    """A small thread-safe memo of the last `size` values used (the server's threads share it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (benchmarks time a first view with it)."""
        with self._lock:
            self._values.clear()


RotaKey = tuple[str, int, str]
"""A stored rota's state: (database, draft row id, when the row last changed) from `draft_key`, or (database,
version row id, 'published' and the community's `erasure_mark`) from `version_key`."""

_recent: RecentlyUsed[RotaKey, CheckedRota] = RecentlyUsed(8)
"""The last checked drafts and versions viewed in this server process (a few MB each at most)."""


def recent_checked() -> RecentlyUsed[RotaKey, CheckedRota]:
    """This process's memory of viewed drafts and versions (`web.rota.drafts.viewed_draft` shares it)."""
    return _recent


def forget_viewed() -> None:
    """Empty this process's memory of viewed drafts and versions (for benchmarks of a first view)."""
    _recent.clear()


def version_key(db: Session, row: RotaVersion) -> RotaKey:
    """A published version's key: versions never change, but for an erasure (scrubbed in place)."""
    return database_of(db), row.id, "published" + erasure_mark(db, row.community_id)


def erasure_mark(db: Session, community_id: int) -> str:
    """Changes whenever someone of the community is erased (web.people.privacy scrubs the stored versions then).

    Read from the database, so every server process's memory of versions (here, and web.feeds' FeedCache) keys on
    it and none keeps an erased name, whichever process erased. Erased people are never deleted, so the count
    only grows; one light query.
    """
    count, last = db.execute(select(func.count(), func.max(PersonRow.updated_at)).where(
        PersonRow.community_id == community_id, PersonRow.key.like("erased-%")
    )).one()
    return f":{count}:{last.isoformat()}" if count else ""


def database_of(db: Session) -> str:
    """Which database a session reads (row ids are unique only within one)."""
    return db.get_bind().engine.url.render_as_string(hide_password=True)


def checked_version(db: Session, version: PublishedVersion) -> CheckedRota:
    """A published version with the checker's verdict, checked once per server process (`viewed_version`'s memory)."""
    key = database_of(db), version.id, "published" + erasure_mark(db, version.community_id)
    found = _recent.get(key)
    if found is None:
        found = checked(version.scenario, version.rota)
        _recent.put(key, found)
    return found


def viewed_version(db: Session, row: RotaVersion) -> CheckedRota:
    """A published version, checked, for a page view: checked once per server process, as it never changes."""
    key = version_key(db, row)
    found = _recent.get(key)
    return found if found is not None else checked_version(db, published(row))


def latest_number(db: Session, community_id: int, week_start: dt.date) -> int | None:
    query = select(func.max(RotaVersion.version)).where(
        RotaVersion.community_id == community_id, RotaVersion.week_start == week_start
    )
    return db.scalar(query)


def latest_row(db: Session, community_id: int, week_start: dt.date) -> RotaVersion | None:
    query = (
        select(RotaVersion)
        .where(RotaVersion.community_id == community_id, RotaVersion.week_start == week_start)
        .order_by(RotaVersion.version.desc())
        .limit(1)
    )
    return db.scalars(query).first()


def versions(db: Session, community_id: int, week_start: dt.date) -> list[RotaVersion]:
    """The week's published versions, newest first (each one's rota and scenario are read only when used)."""
    query = (
        select(RotaVersion)
        .where(RotaVersion.community_id == community_id, RotaVersion.week_start == week_start)
        .order_by(RotaVersion.version.desc())
        .options(defer(RotaVersion.rota), defer(RotaVersion.scenario))
    )
    return list(db.scalars(query))


def version_row(db: Session, community_id: int, week_start: dt.date, number: int) -> RotaVersion | None:
    query = select(RotaVersion).where(
        RotaVersion.community_id == community_id, RotaVersion.week_start == week_start,
        RotaVersion.version == number,
    )
    return db.scalars(query).first()


def published(row: RotaVersion) -> PublishedVersion:
    """A version row, validated. Versions published by this module always carry their scenario snapshot."""
    if row.scenario is None:
        raise ValueError(f"rota version {row.id} has no scenario snapshot")
    return PublishedVersion(
        id=row.id, community_id=row.community_id, week_start=row.week_start, version=row.version, rota=stored_rota(row),
        scenario=stored_scenario(row), published_at=row.published_at,
        published_by=row.published_by, note=row.note,
    )


def latest_version(db: Session, community_id: int, week_start: dt.date) -> PublishedVersion | None:
    """The rota in force for a week: its latest published version, or None when nothing is published yet.

    For calendar feeds, print-outs and repairs: use `.rota` (who works where and when, with meal breaks and pins)
    with `.scenario` (the names, posts, shifts and rules it was checked against when published; the people of that
    week, even if someone was renamed or deactivated since). `.version` and `.published_at` identify what a person
    was told; a newer publication is always a higher version, never a changed one. The draft (work in progress)
    is never returned here.
    """
    row = latest_row(db, community_id, week_start)
    return published(row) if row is not None else None


def version_changes(db: Session, row: RotaVersion) -> RotaChanges | None:
    """What version n changed against version n - 1 (None for the first version)."""
    previous = version_row(db, row.community_id, row.week_start, row.version - 1)
    if previous is None:
        return None
    return diff_rotas(stored_rota(previous), stored_rota(row))


def draft_changes(db: Session, row: RotaDraft) -> RotaChanges | None:
    """What publishing the draft would change against the latest version (None when nothing is published yet)."""
    latest = latest_row(db, row.community_id, row.week_start)
    if latest is None:
        return None
    return diff_rotas(stored_rota(latest), stored_rota(row))


def weeks(db: Session, community_id: int) -> list[WeekSummary]:
    """Every week with a draft or a published version, latest week first."""
    drafts = set(db.scalars(select(RotaDraft.week_start).where(RotaDraft.community_id == community_id)))
    counts = db.execute(
        select(RotaVersion.week_start, func.count())
        .where(RotaVersion.community_id == community_id)
        .group_by(RotaVersion.week_start)
    ).all()
    published_counts: dict[dt.date, int] = {week: count for week, count in counts}
    found = drafts | published_counts.keys()
    return [WeekSummary(w, w in drafts, published_counts.get(w, 0)) for w in sorted(found, reverse=True)]


def latest_job(db: Session, community: Community, week_start: dt.date) -> SolveJob | None:
    """The newest finished solve of the week (its explanation is shown when it found no rota); its scenario and
    rota are read only when asked for."""
    query = (
        select(SolveJob)
        .where(
            SolveJob.community_id == community.id, SolveJob.week_start == week_start,
            SolveJob.status == JobStatus.FINISHED.value, SolveJob.kind == "solve",
        )
        .order_by(SolveJob.id.desc())
        .limit(1)
        .options(defer(SolveJob.scenario), defer(SolveJob.rota))  # ~160 KB of JSON the rota page does not read
    )
    return db.scalars(query).first()


def _refuse_update(_mapper: Mapper[Any], _connection: Connection, target: RotaVersion) -> None:
    raise ValueError(f"rota version {target.version} of {target.week_start} is published and cannot change")


event.listen(RotaVersion, "before_update", _refuse_update)

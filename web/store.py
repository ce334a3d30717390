"""Reading and writing the stored state: the community, its people, a week's Scenario, the example on first start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.io import load_scenario
from scheduler.models import Person, Scenario
from web.setup import CommunitySetup
from web.tables import AuditEntry, Community, PersonRow

HISTORY_DAYS = 14
"""A week's scenario carries the shifts of this many days before it (rest and consecutive-day rules)."""

_PERSON_JSON = ("limits", "shift_limits", "availability", "absences", "preferences")


def audit(db: Session, actor: str | None, action: str, target: str | None, **details: Any) -> None:
    """Record a change in the same transaction as the change itself."""
    db.add(AuditEntry(actor=actor, action=action, target=target, details=details))


def first_community(db: Session) -> Community | None:
    return db.scalars(select(Community).order_by(Community.id).limit(1)).first()


def setup_of(community: Community) -> CommunitySetup:
    return CommunitySetup.model_validate(community.setup)


def person_from_row(row: PersonRow) -> Person:
    data: dict[str, Any] = {
        "id": row.key, "name": row.name, "roles": row.roles, "phone": row.phone, "language": row.language,
        "posts": row.posts, "meal_minutes": row.meal_minutes, "active": row.active,
    }
    data.update({field: getattr(row, field) for field in _PERSON_JSON})
    return Person.model_validate(data)


def apply_person(row: PersonRow, person: Person) -> None:
    """Copy a validated Person onto a row (the key included)."""
    data = person.model_dump(mode="json", by_alias=True)
    row.key = person.id
    row.name = person.name
    row.roles = data["roles"]
    row.phone = person.phone
    row.language = person.language
    row.posts = data["posts"]
    row.meal_minutes = person.meal_minutes
    row.active = person.active
    for field in _PERSON_JSON:
        setattr(row, field, data[field])


def people_rows(db: Session, community: Community, *, active_only: bool = False) -> list[PersonRow]:
    query = select(PersonRow).where(PersonRow.community_id == community.id)
    if active_only:
        query = query.where(PersonRow.active.is_(True))
    return list(db.scalars(query.order_by(PersonRow.active.desc(), PersonRow.name, PersonRow.key)))


def person_row(db: Session, community: Community, key: str) -> PersonRow | None:
    query = select(PersonRow).where(PersonRow.community_id == community.id, PersonRow.key == key)
    return db.scalars(query).first()


def build_scenario(db: Session, community: Community, start: dt.date, days: int = 7) -> Scenario:
    """The Scenario for a period: the community's set-up, its active people, and the dated items that concern it.

    Raises pydantic.ValidationError when the stored set-up and people do not make a valid scenario.
    """
    setup = setup_of(community)
    people = [person_from_row(row) for row in people_rows(db, community, active_only=True)]
    active = {p.id for p in people}
    end = start + dt.timedelta(days=days)
    zone_start = dt.datetime.combine(start - dt.timedelta(days=HISTORY_DAYS), dt.time())
    period_start = dt.datetime.combine(start, dt.time())

    def naive(moment: dt.datetime) -> dt.datetime:
        return moment.replace(tzinfo=None)

    data = setup.model_dump(mode="json", by_alias=True)
    data.update(
        community=community.name, timezone=community.timezone, start=start.isoformat(), days=days,
        people=[p.model_dump(mode="json", by_alias=True) for p in people],
        pairs=[r.model_dump(mode="json") for r in setup.pairs if set(r.people) <= active],
        pins=[p.model_dump(mode="json") for p in setup.pins if p.person in active and start <= p.date < end],
        bans=[b.model_dump(mode="json") for b in setup.bans if b.person in active and start <= b.date < end],
        history=[
            h.model_dump(mode="json") for h in setup.history
            if h.person in active and zone_start <= naive(h.start) and naive(h.end) <= period_start
        ],
    )
    return Scenario.model_validate(data)


def import_scenario(db: Session, scenario: Scenario) -> Community:
    """A new community from a scenario: its set-up, and its people (inactive ones too)."""
    data = scenario.model_dump(mode="json", by_alias=True)
    setup = CommunitySetup.model_validate({key: data[key] for key in CommunitySetup.model_fields})
    community = Community(
        name=scenario.community, timezone=scenario.timezone, setup=setup.model_dump(mode="json", by_alias=True)
    )
    db.add(community)
    db.flush()
    for person in scenario.people:
        row = PersonRow(community_id=community.id)
        apply_person(row, person)
        db.add(row)
    return community


def load_example_if_empty(db: Session, path: Path | None) -> Community | None:
    """On first start (no community yet) load the example scenario file; None when nothing was loaded."""
    if path is None or db.scalar(select(func.count()).select_from(Community)):
        return None
    community = import_scenario(db, load_scenario(path))
    audit(db, None, "community.import", community.name, file=path.name)
    return community


@contextmanager
def transaction(db: Session) -> Iterator[Session]:
    """One change, all or nothing: commit at the end, roll back on any error (reads before it included)."""
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise

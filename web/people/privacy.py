"""One person's data under PIPL, with no HTTP: everything kept about them as one JSON document (`export_person`),
and erasure (`erase_person`): their personal data removed, their service record kept under an anonymous label.

Erasure replaces the name with a label ("已删除的志愿者 7"), the id with `erased-7`, clears phone, availability,
absences, wishes and limits, deactivates the person, revokes their links, clears the reasons of their swaps, and
scrubs the old name, phone and id from every stored text and JSON value (set-up, solve jobs, drafts, published
versions and their scenario snapshots, kept checks, audit entries, check-ins, group messages in the outbox), and
deletes their e-mail address, quiet hours, sign-ups and the messages addressed to them. Published shifts and
check-ins stay, now naming the label. The audit entry of the erasure names only the new label.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import JSON, Select, String, Table, Text, delete, or_, select, update
from sqlalchemy.orm import Session

from web.i18n import Translator
from web.store import audit, person_from_row, setup_of, transaction
from web.tables import (
    AccessLink,
    AuditEntry,
    Base,
    CheckIn,
    Community,
    OutboxMessage,
    PersonRow,
    RotaDraft,
    RotaVersion,
    Signup,
    SolveJob,
    SwapRequest,
    utcnow,
)

ERASED_PREFIX = "erased-"
_NOT_PEOPLE = frozenset({
    "id", "post", "duty", "shift", "place", "role", "roles", "posts", "first", "then", "counted_shift", "never_shift",
    "id_place", "id_shift", "weekday", "days", "kind", "rule", "code", "status", "timezone", "community",
})
"""JSON fields that hold ids of other things than people: an id there equal to the person's is left alone."""
_KEPT = ("roles", "posts", "active", "meal_minutes")
"""A person's fields kept in the stored scenarios: not personal, and what the check of a stored rota reads."""
_SKIPPED_COLUMNS = frozenset({"token", "token_hash", "password_hash"})


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _iso_time(value: dt.time | None) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


# ------------------------------------------------------------------------------------------------- export


def export_person(db: Session, community: Community, row: PersonRow) -> dict[str, Any]:
    """Everything kept about one person: record (availability, absences with reasons, wishes), published shifts
    (the latest version of each week), sign-ups, swap requests, check-ins, how messages reach them and the messages sent
    to them, links (never their tokens), audit entries."""
    return {
        "exported_at": utcnow().isoformat(),
        "community": community.name,
        "person": person_from_row(row).model_dump(mode="json", by_alias=True),
        "messages_settings": {
            "email": row.email, "channel": row.channel,
            "quiet_hours": [_iso_time(row.quiet_start), _iso_time(row.quiet_end)],
        },
        "messages": [
            {"created_at": _iso(m.created_at), "sent_at": _iso(m.sent_at), "channel": m.channel, "kind": m.kind,
             "status": m.status, "subject": m.subject, "body": m.body}
            for m in db.scalars(
                select(OutboxMessage).where(OutboxMessage.person_id == row.id).order_by(OutboxMessage.id)
            )
        ],
        "signups": [
            {"date": _iso(s.date), "place": s.place, "shift": s.shift, "choice": s.choice,
             "updated_at": _iso(s.updated_at)}
            for s in db.scalars(select(Signup).where(Signup.person_id == row.id).order_by(Signup.date, Signup.id))
        ],
        "published_shifts": _published_shifts(db, community, row.key),
        "swap_requests": [_swap(s, row.id) for s in db.scalars(select(SwapRequest).where(
            SwapRequest.community_id == community.id,
            or_(SwapRequest.from_person_id == row.id, SwapRequest.to_person_id == row.id),
        ).order_by(SwapRequest.id))],
        "check_ins": [_check_in(c) for c in db.scalars(
            select(CheckIn).where(CheckIn.person_id == row.id).order_by(CheckIn.planned_start)
        )],
        "links": [{"kind": link.kind, "created_at": _iso(link.created_at), "revoked_at": _iso(link.revoked_at)}
                  for link in db.scalars(select(AccessLink).where(AccessLink.person_id == row.id))],
        "audit": [{"at": _iso(e.at), "actor": e.actor, "action": e.action, "target": e.target, "details": e.details}
                  for e in _audit_about(db, row)],
    }


def _latest_versions(db: Session, community: Community) -> list[RotaVersion]:
    latest: dict[dt.date, RotaVersion] = {}
    for version in db.scalars(select(RotaVersion).where(RotaVersion.community_id == community.id)):
        if version.week_start not in latest or version.version > latest[version.week_start].version:
            latest[version.week_start] = version
    return [latest[week] for week in sorted(latest)]


def _published_shifts(db: Session, community: Community, key: str) -> list[dict[str, Any]]:
    shifts = []
    for version in _latest_versions(db, community):
        for a in version.rota.get("assignments", []):
            if a.get("person") == key:
                place = a.get("post") or a.get("duty")
                shifts.append({"week": version.week_start.isoformat(), "version": version.version, "place": place,
                               **{k: a.get(k) for k in ("shift", "role", "date", "start", "end", "breaks")}})
    return shifts


def _swap(swap: SwapRequest, person_id: int) -> dict[str, Any]:
    return {
        "offered_by_them": swap.from_person_id == person_id, "date": _iso(swap.date),
        "place": swap.post or swap.duty, "shift": swap.shift, "role": swap.role, "status": swap.status,
        "reason": swap.reason, "created_at": _iso(swap.created_at), "updated_at": _iso(swap.updated_at),
    }


def _check_in(c: CheckIn) -> dict[str, Any]:
    return {
        "place": c.place, "shift": c.shift, "role": c.role, "date": _iso(c.date),
        "planned_start": _iso(c.planned_start), "planned_end": _iso(c.planned_end),
        "arrived_at": _iso(c.arrived_at), "left_at": _iso(c.left_at), "status": c.status,
        "recorded_by": c.recorded_by,
    }


def _audit_about(db: Session, row: PersonRow) -> list[AuditEntry]:
    """Entries whose target is the person, that they made at their link, or whose details name them."""
    pattern = _key_pattern(row.key)
    found = []
    for entry in db.scalars(_audit_of(row.community_id).order_by(AuditEntry.at, AuditEntry.id)):
        if entry.target == row.key or entry.actor == f"person:{row.key}" or _mentions(entry.details, pattern):
            found.append(entry)
    return found


def _mentions(value: Any, pattern: re.Pattern[str]) -> bool:
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, dict):
        return any(_mentions(v, pattern) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, pattern) for v in value)
    return False


# -------------------------------------------------------------------------------------------------- erase


def _key_pattern(key: str) -> re.Pattern[str]:
    """The id as a whole word of an id-like text: 'alice', 'person:alice', 'meal_breaks:middle:alice:...'."""
    return re.compile(rf"(?<![^:]){re.escape(key)}(?![^:])")


class _Scrubber:
    """Replaces the person's old name, phone and id in texts and JSON values."""

    def __init__(self, name: str, phone: str | None, key: str, label: str, new_key: str, record: dict[str, Any]):
        self.key, self.new_key, self.record = key, new_key, record
        self.words = [(w, r) for w, r in ((name, label), (phone or "", "")) if w]
        self.pattern = _key_pattern(key)

    def text(self, value: str, field: str = "") -> str:
        for word, replacement in self.words:
            value = value.replace(word, replacement)
        if field not in _NOT_PEOPLE:
            value = self.pattern.sub(self.new_key, value)
        return value

    def json(self, value: Any, field: str = "") -> Any:
        if isinstance(value, str):
            return self.text(value, field)
        if isinstance(value, list):
            return [self.json(item, field) for item in value]
        if isinstance(value, dict):
            if value.get("id") == self.key and "roles" in value and "name" in value:  # the person's own record
                # What a stored rota's check reads stays as it was (roles, posts, active, meal length), so an old
                # version breaks no new rule; everything personal goes.
                kept = {k: value[k] for k in _KEPT if k in value}
                return {**kept, **self.record}
            owner = value.get("id") if "roles" in value else value.get("person")
            if isinstance(owner, str) and owner != self.key:  # someone else's record: their name may be the same
                return {k: v if k in ("name", "phone") else self.json(v, k) for k, v in value.items()}
            return {k: self.json(v, k) for k, v in value.items()}
        return value


def erased_label(community: Community, number: int) -> str:
    """The anonymous name in the community's language (its print-outs' language)."""
    return Translator(setup_of(community).language)("people.erased_name", n=number)


def erase_person(db: Session, community: Community, row: PersonRow, actor: str) -> str:
    """Erase one person's personal data (see the module's docstring); returns the new label."""
    label, new_key = erased_label(community, row.id), f"{ERASED_PREFIX}{row.id}"
    taken = set(db.scalars(select(PersonRow.key).where(PersonRow.community_id == community.id)))
    while new_key in taken:  # someone typed such an id: another, never theirs
        new_key += "-x"
    record: dict[str, Any] = {"id": new_key, "name": label}
    scrub = _Scrubber(row.name, row.phone, row.key, label, new_key, record)
    with transaction(db):
        now = utcnow()
        for link in db.scalars(select(AccessLink).where(AccessLink.person_id == row.id)):
            link.revoked_at = link.revoked_at or now
        for swap in db.scalars(select(SwapRequest).where(
            or_(SwapRequest.from_person_id == row.id, SwapRequest.to_person_id == row.id)
        )):
            swap.reason = None
        # Messages addressed to them hold their address and their shifts: not part of the service record.
        db.execute(delete(OutboxMessage).where(OutboxMessage.person_id == row.id))
        db.execute(delete(Signup).where(Signup.person_id == row.id))  # wishes, like the ones below
        db.flush()  # the changes above first: scrubbing expires the rows it rewrites
        for query in _scrubbed(community):
            for stored in db.scalars(query):
                _scrub_row(db, stored, scrub)
        row.key, row.name, row.phone, row.active, row.meal_minutes = new_key, label, None, False, None
        row.availability, row.absences, row.preferences, row.limits, row.shift_limits = [], [], [], {}, []
        row.email, row.channel, row.quiet_start, row.quiet_end = None, "none", None, None
        audit(db, actor, "person.erase", new_key, name=label)
    return label


def _scrubbed(community: Community) -> list[Select[Any]]:
    """The rows that may name the person: the community's own, and the audit log (the app's)."""
    return [
        select(Community).where(Community.id == community.id),
        select(SolveJob).where(SolveJob.community_id == community.id),
        select(RotaVersion).where(RotaVersion.community_id == community.id),
        select(RotaDraft).where(RotaDraft.community_id == community.id),
        select(CheckIn).where(CheckIn.community_id == community.id),
        select(OutboxMessage).where(OutboxMessage.community_id == community.id),
        select(SwapRequest).where(SwapRequest.community_id == community.id),
        select(AccessLink).where(AccessLink.community_id == community.id),
        _audit_of(community.id),
    ]


def _audit_of(community_id: int) -> Select[AuditEntry]:
    """The community's audit entries and the deployment's own (accounts): never another community's."""
    return select(AuditEntry).where(or_(AuditEntry.community_id == community_id, AuditEntry.community_id.is_(None)))


def _scrub_row(db: Session, row: Base, scrub: _Scrubber) -> None:
    """Scrub one row's texts and JSON. Written with a Core UPDATE: a published version refuses every change
    through the ORM (web.rota.service), and erasure is the one change the law asks of it."""
    table = row.__table__
    assert isinstance(table, Table)
    changes: dict[str, Any] = {}
    for column in table.columns:
        if column.primary_key or column.foreign_keys or column.name in _SKIPPED_COLUMNS:
            continue
        value = getattr(row, column.key)
        if value is None:
            continue
        if isinstance(column.type, JSON):
            new = scrub.json(value)
        elif isinstance(column.type, String | Text) and isinstance(value, str):
            new = scrub.text(value, column.name)
        else:
            continue
        if new != value:
            changes[column.name] = new
    if changes:
        key = next(iter(table.primary_key.columns))
        db.execute(update(table).where(key == getattr(row, key.key)).values(**changes))
        db.expire(row)

"""The week's audit list: who changed what and when (drafts, adjustments, publications, repairs, swaps)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from web.i18n import MESSAGES, Translator
from web.tables import (
    AuditEntry,
)

AUDIT_PREFIXES = ("rota.", "repair.", "swap.")
AUDIT_LIMIT = 100


@dataclass(frozen=True)
class AuditLine:
    """One entry of the week's audit list."""

    at: dt.datetime
    actor: str
    action: str
    details: dict[str, Any]


def week_audit(db: Session, community_id: int, week: dt.date, limit: int = AUDIT_LIMIT) -> list[AuditLine]:
    """Who changed what and when for the community's week (drafts, adjustments, publications, repairs, swaps),
    newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.target == week.isoformat(), AuditEntry.community_id == community_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        AuditLine(_utc(entry.at), entry.actor or "—", entry.action, dict(entry.details or {}))
        for entry in db.scalars(query) if entry.action.startswith(AUDIT_PREFIXES)
    ]


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class AuditRow:
    """An audit entry as the rota page lists it, in the reader's language."""

    at: dt.datetime
    actor: str
    text: str


def audit_text(line: AuditLine, t: Translator) -> str:
    """What an entry did, in words (missing details shown as '?', unknown actions by their name)."""
    key = f"changes.audit.{line.action}"
    if key not in MESSAGES:
        return line.action
    message = MESSAGES[key]
    values: dict[str, Any] = dict.fromkeys(("version", "name", "changes", "giver", "taker"), "?")
    values.update({name: value for name, value in line.details.items() if value is not None})
    return (message.zh if t.lang == "zh" else message.en).format_map(values)


def audit_rows(db: Session, community_id: int, week: dt.date, t: Translator) -> list[AuditRow]:
    """The community's week's audit list for the rota page; volunteers (acting at their link) are named as such."""
    rows = []
    for line in week_audit(db, community_id, week):
        actor = line.actor
        if actor.startswith("person:"):
            actor = f"{t('changes.audit.volunteer')} {actor.removeprefix('person:')}"
        rows.append(AuditRow(line.at, actor, audit_text(line, t)))
    return rows

"""Reading check-in rows by shift instance: what the Now page, the day sheet and the personal page look up.

Kept apart from `web.checkin.service` so that `web.now` can read statuses without importing the check-in service
(which reads the published rota through `web.now.service`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler import Assignment
from web.tables import CheckIn, PersonRow

InstanceKey = tuple[str, str, str, dt.date]
"""(person key, place, shift key, local date): one person's shift instance."""


def shift_key(a: Assignment) -> str:
    """The `CheckIn.shift` of an assignment: the shift template id, or the duty id for a team duty."""
    return a.shift if a.shift is not None else a.place


def key_of(a: Assignment) -> InstanceKey:
    return (a.person, a.place, shift_key(a), a.date)


def rows_by_instance(db: Session, community_id: int, dates: Iterable[dt.date]) -> dict[InstanceKey, CheckIn]:
    """The community's check-in rows of these local dates, by person key and shift instance."""
    days = sorted(set(dates))
    if not days:
        return {}
    query = (
        select(CheckIn, PersonRow.key)
        .join(PersonRow, PersonRow.id == CheckIn.person_id)
        .where(CheckIn.community_id == community_id, CheckIn.date.in_(days))
    )
    return {(key, row.place, row.shift, row.date): row for row, key in db.execute(query).all()}

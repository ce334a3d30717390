"""`GET /api/outbox`: the community's stored notifications, newest first (what the Outbox page shows)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from web.deps import ApiViewer, CurrentCommunity, DbSession
from web.outbox import service
from web.store import people_rows

router = APIRouter(prefix="/api", tags=["outbox"])
Status = Literal["pending", "sending", "sent", "failed", "cancelled"]


class ErrorOut(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut, "description": "Not logged in."}}


class MessageOut(BaseModel):
    id: int
    person: str | None = Field(description="The person's id, or null for a group message or a test.")
    channel: Literal["email", "wecom"]
    address: str = Field(description="The e-mail address, or 'group' for the community's WeCom robot.")
    subject: str
    kind: str = Field(description="publication, reminder, swap, signup, test ...")
    status: Status
    attempts: int
    next_attempt_at: dt.datetime = Field(description="When it is (or was) next due, in UTC.")
    sent_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime


class OutboxOut(BaseModel):
    counts: dict[str, int] = Field(description="How many messages are in each status.")
    messages: list[MessageOut]


@router.get("/outbox", response_model=OutboxOut, responses=_ERRORS)
def outbox_json(
    db: DbSession, user: ApiViewer, community: CurrentCommunity,
    status: Annotated[Status | None, Query(description="Only the messages in this status.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> OutboxOut:
    keys = {row.id: row.key for row in people_rows(db, community)}
    rows = service.messages_of(db, community, status, limit)
    return OutboxOut(
        counts=service.counts_of(db, community),
        messages=[
            MessageOut(
                id=m.id, person=keys.get(m.person_id) if m.person_id is not None else None,
                channel="wecom" if m.channel == "wecom" else "email", address=m.address, subject=m.subject,
                kind=m.kind, status=_status(m.status), attempts=m.attempts, next_attempt_at=m.next_attempt_at,
                sent_at=m.sent_at, last_error=m.last_error, created_at=m.created_at,
            )
            for m in rows
        ],
    )


_STATUSES: tuple[Status, ...] = ("pending", "sending", "sent", "failed", "cancelled")


def _status(value: str) -> Status:
    for known in _STATUSES:
        if value == known:
            return known
    return "failed"

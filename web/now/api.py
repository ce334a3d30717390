"""`GET /api/now`: who is on duty now, as the Now page shows it, for scripts and wall displays."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from scheduler import language_of
from web.deps import ApiViewer, CurrentCommunity, DbSession, T, app_context
from web.now.service import OnDuty, ShiftNow, now_of

router = APIRouter(prefix="/api", tags=["now"])


class ErrorOut(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut, "description": "Not logged in."}}


class PersonOut(BaseModel):
    name: str
    role: str = Field(description="The role they fill on the shift, in the reader's language.")
    phone: str | None
    eating_until: dt.datetime | None = Field(
        description="End of the meal break they are on now (local time), or null when they are at the post."
    )
    checkin: Literal["arrived", "late", "no_show", "left_early"] | None = Field(
        default=None, description="Their check-in on this shift, or null when nothing is recorded yet (not a no-show)."
    )
    arrived_at: dt.datetime | None = Field(default=None, description="When they checked in (local time).")


class ShiftOut(BaseModel):
    name: str = Field(description="The shift's name (a team duty's name), in the reader's language.")
    start: dt.datetime = Field(description="Local time with the community's UTC offset.")
    end: dt.datetime
    people: list[PersonOut]
    gaps: list[str] = Field(description="Coverage below the hard minimum on this shift, in the reader's words.")


class GapOut(BaseModel):
    start: dt.datetime
    end: dt.datetime
    text: str
    now: bool = Field(description="True when the gap is open now; false when it opens within the next 24 hours.")


class PostOut(BaseModel):
    id: str = Field(description="Post or team duty id.")
    name: str
    current: list[ShiftOut] = Field(description="The shifts running now (usually one).")
    next: ShiftOut | None = Field(description="The next shift to start, or null when none is published.")
    call: PersonOut | None = Field(
        description="The one to call: a lead role's holder on a current shift, else the first person on with a phone."
    )
    gaps: list[GapOut] = Field(description="Gaps now and in the next 24 hours, soonest first.")


class VersionOut(BaseModel):
    week_start: dt.date
    version: int


class NowOut(BaseModel):
    now: dt.datetime = Field(description="Now, in the community's time zone.")
    timezone: str
    posts: list[PostOut] = Field(description="Every post and team duty with a shift not yet ended; empty when "
                                             "nothing is published for today.")
    versions: list[VersionOut] = Field(description="The published versions read.")


def _person(p: OnDuty) -> PersonOut:
    return PersonOut(
        name=p.name, role=p.role, phone=p.phone, eating_until=p.eating_until,
        checkin=p.checkin,
        arrived_at=p.arrived_at,
    )


def _shift(s: ShiftNow) -> ShiftOut:
    return ShiftOut(name=s.name, start=s.start, end=s.end, people=[_person(p) for p in s.people], gaps=s.gaps)


@router.get("/now", response_model=NowOut, responses=_ERRORS)
def now_json(request: Request, t: T, db: DbSession, user: ApiViewer, community: CurrentCommunity) -> NowOut:
    now = now_of(db, community, app_context(request).clock(), language_of(t.lang))
    return NowOut(
        now=now.moment, timezone=now.timezone,
        posts=[
            PostOut(
                id=p.id, name=p.name, current=[_shift(s) for s in p.current],
                next=_shift(p.next) if p.next is not None else None,
                call=_person(p.call) if p.call is not None else None,
                gaps=[GapOut(start=g.start, end=g.end, text=g.text, now=g.now) for g in p.gaps],
            )
            for p in now.posts
        ],
        versions=[VersionOut(week_start=week, version=number) for week, number in now.versions],
    )

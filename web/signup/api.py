"""Sign-up rounds as JSON: `GET /api/signup/{week}`, what the coordinator's round page shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from web.deps import ApiViewer, CurrentCommunity, DbSession, T, app_context
from web.rota.urls import parse_week
from web.signup import service

router = APIRouter(prefix="/api", tags=["sign-up"])


class ErrorOut(BaseModel):
    detail: str

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not logged in."},
    404: {"model": ErrorOut, "description": "No sign-up round for this week, or not a week."},
}


class SlotOut(BaseModel):
    place: str
    shift: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    label: str = Field(description="The post and shift in the reader's language.")
    need: int = Field(description="At least this many people by the coverage rules (a hint: meal breaks may ask more).")
    yes: list[str] = Field(description="Names of those who will do it, in the order they answered.")
    no: int = Field(description="How many would rather not.")
    thin: bool = Field(description="Fewer signed up than needed.")


class RoundOut(BaseModel):
    week_start: dt.date
    days: int
    deadline: dt.datetime
    open: bool
    as_pins: bool = Field(description="Sign-ups become fixed shifts (pins) instead of strong wishes.")
    answered: int = Field(description="People who answered.")
    slots: list[SlotOut]


@router.get("/signup/{week_start}", response_model=RoundOut, responses=_ERRORS)
def signup_round(
    request: Request, week_start: str, t: T, db: DbSession, user: ApiViewer, community: CurrentCommunity,
) -> RoundOut:
    """The round of the period starting on `week_start`: per shift who signed up and how many are needed."""
    found = service.round_for(db, community, parse_week(week_start))
    if found is None:
        raise HTTPException(404, "no sign-up round for this week")
    slots = [
        SlotOut(place=e.slot.place, shift=e.slot.shift, date=e.slot.date, start=e.slot.start, end=e.slot.end,
                label=e.label, need=e.need, yes=e.yes, no=e.no, thin=e.thin)
        for e in service.summary(db, community, found, t.lang)
    ]
    return RoundOut(
        week_start=found.week_start, days=found.days, deadline=found.deadline,
        open=service.is_open(found, app_context(request).clock()), as_pins=found.as_pins,
        answered=service.answered_people(db, found), slots=slots,
    )

"""`GET /api/checkins?date=`: every person on the published rota of a day with their check-in; `PUT /api/checkins`:
a coordinator's correction (audited with the values before and after). Times only, never a location."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from scheduler import EARLIEST_DAY, LATEST_DAY, language_of
from web.checkin import service
from web.checkin.pages import chosen_day
from web.checkin.service import CheckInProblem, Correction, Slot
from web.deps import ApiEditor, ApiViewer, CurrentCommunity, DbSession, JsonOnly, T, app_context

router = APIRouter(prefix="/api", tags=["check-in"])


class ErrorOut(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut, "description": "Not logged in."}}
_PUT_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    404: {"model": ErrorOut, "description": "No such shift or person on the published rota of that day."},
}
_FIELDS = {
    "checkin.problem.arrived": "arrived", "checkin.problem.no_show_times": "arrived", "checkin.problem.left": "left",
    "checkin.problem.order": "left",
}
"""The body field a refusal is about (422, as pydantic's own)."""
CLOCK = r"^(([01][0-9]|2[0-3]):[0-5][0-9])?$"
"""HH:MM (00:00 to 23:59) or empty."""
Status = Literal["arrived", "late", "no_show", "left_early"]


class PersonOut(BaseModel):
    person: str = Field(description="Person id.")
    name: str
    role: str = Field(description="The role they fill, in the reader's language.")
    lead: bool
    planned_start: dt.datetime
    planned_end: dt.datetime
    status: Status | None = Field(description="Null when nothing is recorded yet (which is not a no-show).")
    arrived_at: dt.datetime | None = Field(description="Local time with the community's UTC offset.")
    left_at: dt.datetime | None
    recorded_by: str | None = Field(description="'self', 'lead:<person row id>' or 'coordinator:<username>'.")


class ShiftOut(BaseModel):
    place: str = Field(description="Post or team duty id.")
    place_name: str
    shift: str = Field(description="Shift id (the duty id for a team duty).")
    shift_name: str
    start: dt.datetime
    end: dt.datetime
    people: list[PersonOut]


class DayOut(BaseModel):
    date: dt.date
    timezone: str
    shifts: list[ShiftOut]


class CorrectionIn(BaseModel):
    date: dt.date = Field(description="The local date the shift starts (a day without a published rota: 404).")
    place: str = Field(max_length=64)
    shift: str = Field(max_length=64, description="Shift id (the duty id for a team duty).")
    person: str = Field(max_length=64)
    status: Status | None = Field(description="Null clears the record (back to 'not recorded yet').")
    arrived: str = Field(default="", pattern=CLOCK, description="Local clock time HH:MM, or empty.")
    left: str = Field(default="", pattern=CLOCK, description="Local clock time HH:MM, or empty.")


def _shift(slot: Slot) -> ShiftOut:
    zone = slot.start.tzinfo

    def local(moment: dt.datetime | None) -> dt.datetime | None:
        return moment.astimezone(zone) if moment is not None else None

    return ShiftOut(
        place=slot.place, place_name=slot.place_name, shift=slot.shift, shift_name=slot.shift_name,
        start=slot.start, end=slot.end,
        people=[
            PersonOut(
                person=m.person, name=m.name, role=m.role_name, lead=m.lead, planned_start=m.start,
                planned_end=m.end, status=m.status,
                arrived_at=local(m.record.arrived_at) if m.record else None,
                left_at=local(m.record.left_at) if m.record else None,
                recorded_by=m.record.recorded_by if m.record else None,
            )
            for m in slot.members
        ],
    )


def _day(slots: list[Slot], day: dt.date, timezone: str) -> DayOut:
    return DayOut(date=day, timezone=timezone, shifts=[_shift(s) for s in slots])


@router.get("/checkins", response_model=DayOut, responses=_ERRORS)
def day_json(request: Request, t: T, db: DbSession, user: ApiViewer, community: CurrentCommunity,
             date: Annotated[str, Query(max_length=20)] = "") -> DayOut:
    """Every person on the published rota of the day (default: the community's today), with their check-in."""
    day = chosen_day(community, date, app_context(request).clock())
    return _day(service.day_slots(db, community, day, language_of(t.lang)), day, community.timezone)


@router.put("/checkins", response_model=ShiftOut, responses=_PUT_ERRORS)
def correct_json(
    request: Request, t: T, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly,
    body: CorrectionIn,
) -> ShiftOut:
    """Correct one person's check-in on one shift; answers the shift as it is afterwards."""
    lang = language_of(t.lang)
    ref = f"{body.place}|{body.shift}|{body.date.isoformat()}"
    planned = EARLIEST_DAY <= body.date <= LATEST_DAY  # no rota is published outside the days the app plans
    slot = service.find_slot(service.day_slots(db, community, body.date, lang), ref) if planned else None
    try:
        if slot is None:
            raise CheckInProblem("checkin.problem.no_slot", 404)
        service.correct(
            db, community, user.username, slot, body.person, Correction(body.status or "", body.arrived, body.left)
        )
    except CheckInProblem as problem:
        if problem.status == 404:
            raise HTTPException(404, t(problem.key)) from None
        field = _FIELDS.get(problem.key, "status")
        raise HTTPException(422, [{"loc": ["body", field], "msg": t(problem.key), "type": "value_error"}]) from None
    after = service.find_slot(service.day_slots(db, community, body.date, lang), ref)
    assert after is not None  # the same published rota as a moment ago
    return _shift(after)

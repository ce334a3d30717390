"""`GET /api/service-record?from=&to=`: the service record of a range as JSON (every shift served, each person's
totals), as the service-record page and its spreadsheet show it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from web.dates import WEEK_PROBLEM, local_today
from web.deps import ApiViewer, CurrentCommunity, DbSession, T, app_context
from web.record.pages import recorder, recorder_names
from web.record.ranges import RangeProblem, parse_range
from web.record.service import MAX_RANGE_DAYS, ServedShift, Tally, served, summarise
from web.record.spreadsheet import service_content

router = APIRouter(prefix="/api", tags=["service record"])

_DAY = {"format": "date"}
_PATTERN = r"^2\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
"""A day from 2000-01-01 to 2999-12-31 (web.dates.parse_day takes those); the range itself is checked in the route."""
FromQuery = Annotated[str, Query(
    alias="from", pattern=_PATTERN, json_schema_extra=_DAY, examples=["2026-11-02"],
    description="First day, YYYY-MM-DD (local date of the community). Default: the Monday four weeks before this "
    "week's.",
)]
ToQuery = Annotated[str, Query(
    pattern=_PATTERN, json_schema_extra=_DAY, examples=["2026-11-29"],
    description=f"Last day, included, YYYY-MM-DD; at most {MAX_RANGE_DAYS} days from `from`. Default: today.",
)]


class ErrorOut(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut, "description": "Not logged in."}}


class ShiftOut(BaseModel):
    person: str = Field(description="The person's id (key).")
    name: str
    place: str = Field(description="Post or team duty id.")
    place_name: str = Field(description="In the reader's language.")
    shift: str = Field(description="Shift template id (a team duty's id for a team duty).")
    shift_name: str
    role: str
    role_name: str
    content: str = Field(description="Service content: the role and the shift, in the reader's language.")
    date: dt.date = Field(description="Local date the shift starts on.")
    start: dt.datetime = Field(description="Service start with the community's UTC offset.")
    end: dt.datetime
    planned_start: dt.datetime
    planned_end: dt.datetime
    hours: float = Field(description="Hours served, meal breaks not counted.")
    night: bool
    weekend: bool
    source: Literal["checkin", "rota"] = Field(
        description="checkin: recorded at the post; rota: nobody recorded it, the published times are taken."
    )
    status: str | None = Field(description="arrived, late or left_early; null when nobody recorded it.")
    recorded_by: str | None = Field(description="Who recorded it, in the reader's words; null for the rota.")
    week_start: dt.date | None = Field(description="The published period it is on (null: no longer on the rota).")
    version: int | None


class TallyOut(BaseModel):
    turns: int
    hours: float
    nights: int
    weekends: int
    checkin_turns: int
    rota_turns: int
    checkin_hours: float
    rota_hours: float


class PersonOut(BaseModel):
    person: str = Field(description="The person's id (key).")
    name: str
    total: TallyOut


class RecordOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first: dt.date = Field(alias="from", description="First day of the range.")
    to: dt.date = Field(description="Last day of the range, included.")
    timezone: str
    organisation: str = Field(description="The community's name.")
    total: TallyOut
    people: list[PersonOut] = Field(description="In pinyin order of their names.")
    shifts: list[ShiftOut] = Field(description="Every shift served and ended in the range, by start.")


def _tally(tally: Tally) -> TallyOut:
    return TallyOut(
        turns=tally.turns, hours=round(tally.hours, 4), nights=tally.nights, weekends=tally.weekends,
        checkin_turns=tally.checkin_turns, rota_turns=tally.rota_turns, checkin_hours=round(tally.checkin_hours, 4),
        rota_hours=round(tally.rota_hours, 4),
    )


def _problem(problem: RangeProblem) -> HTTPException:
    words = {
        "date": WEEK_PROBLEM, "order": "the last day is before the first",
        "long": f"at most {MAX_RANGE_DAYS} days from the first day",
    }
    return HTTPException(422, [{"loc": ["query", problem.field], "msg": words[problem.kind], "type": "value_error"}])


@router.get("/service-record", response_model=RecordOut, response_model_by_alias=True, responses=_ERRORS)
def record_json(
    request: Request, t: T, db: DbSession, user: ApiViewer, community: CurrentCommunity, from_: FromQuery = "",
    to: ToQuery = "",
) -> RecordOut:
    now = app_context(request).clock()
    chosen = parse_range(from_, to, local_today(community.timezone, now))
    if isinstance(chosen, RangeProblem):
        raise _problem(chosen)
    shifts = served(db, community, chosen.first, chosen.end, now)
    names = recorder_names(db, community)
    lang = t.lang
    total = Tally()
    for shift in shifts:
        total.add(shift)

    def out(s: ServedShift) -> ShiftOut:
        return ShiftOut(
            person=s.person_key, name=s.name, place=s.place, place_name=s.place_name.text(lang), shift=s.shift,
            shift_name=s.shift_name.text(lang), role=s.role, role_name=s.role_name.text(lang),
            content=service_content(t, s), date=s.date, start=s.start, end=s.end, planned_start=s.planned_start,
            planned_end=s.planned_end, hours=round(s.hours, 4), night=s.night, weekend=s.weekend, source=s.source,
            status=s.status, recorded_by=recorder(t, s, names) if s.recorded_by is not None else None,
            week_start=s.week_start, version=s.version,
        )

    return RecordOut(
        first=chosen.first, to=chosen.last, timezone=community.timezone, organisation=community.name,
        total=_tally(total),
        people=[PersonOut(person=r.key, name=r.name, total=_tally(r.total)) for r in summarise(shifts)],
        shifts=[out(s) for s in shifts],
    )

"""A person's availability: weekly windows on a grid, plus dated exceptions (absences).

The grid is 7 weekdays x 48 half-hours of checkboxes (works without JavaScript); saving turns the ticks into
`WeeklyWindow` entries (web.people.availability_grid). An empty grid means available at any time (docs/rules.md,
rule 1).
Absences are listed with add and remove. Every change is one transaction with an audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from babel.dates import get_day_names
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import FormData

from scheduler import (
    ALL_WEEKDAYS,
    MAX_PERSON_ITEMS,
    MINUTES_PER_DAY,
    Absence,
    Person,
    Weekday,
    WeeklyWindow,
    format_clock,
    parse_clock,
)
from web.dates import parse_day
from web.deps import (
    ApiEditor,
    ApiViewer,
    CsrfChecked,
    CurrentCommunity,
    DbSession,
    Editor,
    JsonOnly,
    T,
    Viewer,
    person_row_or_404,
)
from web.i18n import Translator
from web.people import availability_grid as grid
from web.people.service import replace_availability
from web.rendering import flash, render
from web.store import person_from_row
from web.tables import Coordinator
from web.validation import Index, field_message

router = APIRouter()


# ------------------------------------------------------------------------------------------------ forms


@dataclass
class WeeklyForm:
    """The grid's ticks and the quick-add window as typed, with field errors."""

    ticked: set[grid.Slot] = field(default_factory=set)
    quick_days: list[str] = field(default_factory=list)
    quick_start: str = ""
    quick_end: str = ""
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class AbsenceForm:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


ABSENCE_FIELDS = ("date", "until", "start", "end", "reason")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def weekly_form(form: FormData, t: Translator) -> WeeklyForm:
    result = WeeklyForm(
        quick_days=[v for v in form.getlist("quick_days") if isinstance(v, str)],
        quick_start=_text(form, "quick_start"), quick_end=_text(form, "quick_end"),
    )
    for value in form.getlist("slot"):
        slot = grid.parse_slot(value) if isinstance(value, str) else None
        if slot is None:
            result.errors["grid"] = t("avail.bad_slot")
        else:
            result.ticked.add(slot)
    return result


def _clock(value: str) -> int | None:
    try:
        return parse_clock(value)
    except ValueError:
        return None


def quick_slots(form: WeeklyForm, t: Translator) -> set[grid.Slot]:
    """The quick-add window's slots (none when left empty); problems go to form.errors."""
    if not (form.quick_days or form.quick_start or form.quick_end):
        return set()
    days = [Weekday(d) for d in form.quick_days if d in {w.value for w in ALL_WEEKDAYS}]
    if not days or len(days) != len(form.quick_days):
        form.errors["quick_days"] = t("avail.need_days")
    start, end = _clock(form.quick_start), _clock(form.quick_end)
    for name, typed, value in (("quick_start", form.quick_start, start), ("quick_end", form.quick_end, end)):
        if not typed:
            form.errors[name] = t("avail.need_times")
        elif value is None:
            form.errors[name] = t("avail.bad_time")
    if start is not None and end is not None and start % MINUTES_PER_DAY == end % MINUTES_PER_DAY:
        form.errors["quick_end"] = t("avail.same_time")
    if form.errors or start is None or end is None:
        return set()
    return grid.window_slots(days, start, end)


def _date(value: str) -> dt.date | None:
    return parse_day(value)


def build_absence(form: AbsenceForm, t: Translator) -> Absence | None:
    """A validated Absence, or None with field errors."""
    v, errors = form.values, form.errors
    first, last = _date(v["date"]), _date(v["until"]) if v["until"] else None
    if not v["date"]:
        errors["date"] = t("form.required")
    elif first is None:
        errors["date"] = t("avail.bad_date")
    if v["until"] and last is None:
        errors["until"] = t("avail.bad_date")
    elif first and last and last < first:
        errors["until"] = t("avail.until_before")
    start, end = (_clock(v["start"]) if v["start"] else None), (_clock(v["end"]) if v["end"] else None)
    for name, value in (("start", start), ("end", end)):
        if v[name] and value is None:
            errors[name] = t("avail.bad_time")
    if bool(v["start"]) != bool(v["end"]):
        errors.setdefault("end" if v["start"] else "start", t("avail.both_times"))
    elif start is not None and end is not None and end <= start:
        errors["end"] = t("avail.end_before_start")
    if errors:
        return None
    data: dict[str, Any] = {"date": v["date"], "until": v["until"] or None, "reason": v["reason"] or None}
    if start is not None and end is not None:
        data.update(start=format_clock(start), end=format_clock(end))
    try:
        return Absence.model_validate(data)
    except ValidationError as error:  # the reason: too long, or a control or bidi character
        for item in error.errors(include_url=False):
            name = str(item["loc"][0]) if item["loc"] else "reason"
            errors.setdefault(name if name in v else "reason", field_message(item, t) or t("form.invalid"))
        return None


# ------------------------------------------------------------------------------------------------ views


@dataclass(frozen=True)
class AbsenceView:
    number: int
    when: str
    hours: str
    reason: str
    fingerprint: str


def _window_text(window: WeeklyWindow, t: Translator) -> str:
    names = t.weekdays()
    days = "、".join(names[d.index] for d in window.days) if t.lang == "zh" else ", ".join(
        names[d.index] for d in window.days
    )
    return f"{days} {format_clock(window.start)}–{format_clock(window.end)}"


def _absence_view(number: int, absence: Absence, t: Translator) -> AbsenceView:
    when = t.date(absence.date) + (f" – {t.date(absence.until)}" if absence.until else "")
    hours = (
        f"{format_clock(absence.start)}–{format_clock(absence.end)}"
        if absence.start is not None and absence.end is not None else t("avail.whole_day")
    )
    return AbsenceView(number, when, hours, absence.reason or "", fingerprint(absence))


def fingerprint(absence: Absence) -> str:
    """Identifies an absence in a remove form, so a list changed meanwhile never loses the wrong entry."""
    return absence.model_dump_json()


def _page(
    request: Request, t: Translator, user: Coordinator, person: Person, *, weekly: WeeklyForm | None = None,
    absence: AbsenceForm | None = None, status_code: int = 200,
) -> Response:
    weekly = weekly or WeeklyForm(ticked=grid.windows_to_slots(person.availability))
    absence = absence or AbsenceForm(values=dict.fromkeys(ABSENCE_FIELDS, ""))
    names = get_day_names("abbreviated", locale=t.locale)  # short column heads: the grid fits a phone
    return render(
        request, t, "availability.html", status_code, user=user, person=person, weekly=weekly, absence=absence,
        days=[(i, day.value, names[i], t.weekdays()[i]) for i, day in enumerate(ALL_WEEKDAYS)],
        slots=[(s, grid.slot_label(s)) for s in range(grid.SLOTS_PER_DAY)], slot_name=grid.slot_name,
        windows=[_window_text(w, t) for w in person.availability], off_grid=not grid.on_grid(person.availability),
        absences=[_absence_view(i, a, t) for i, a in enumerate(person.absences)],
        times=[format_clock(m) for m in range(0, MINUTES_PER_DAY, grid.SLOT_MINUTES)],
    )


def _page_url(key: str) -> str:
    return f"/people/{quote(key, safe='')}/availability"



# ------------------------------------------------------------------------------------------------ pages


@router.get("/people/{key}/availability", response_class=HTMLResponse, include_in_schema=False)
def availability_page(
    request: Request, key: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity
) -> Response:
    return _page(request, t, user, person_from_row(person_row_or_404(db, community, key)))


@router.post("/people/{key}/availability", response_class=HTMLResponse, include_in_schema=False)
async def save_weekly(
    request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    row = person_row_or_404(db, community, key)
    form = await request.form()
    weekly = weekly_form(form, t)
    if _text(form, "action") == "clear":
        weekly = WeeklyForm()
    ticked = weekly.ticked | quick_slots(weekly, t)
    if weekly.errors:
        return _page(request, t, user, person_from_row(row), weekly=weekly, status_code=400)
    windows = grid.slots_to_windows(ticked)
    person = replace_availability(db, row, user.username, "person.availability", "page", availability=windows)
    flash(request, t("avail.saved", name=person.name))
    return RedirectResponse(_page_url(key), status_code=303)


@router.post("/people/{key}/availability/absences", response_class=HTMLResponse, include_in_schema=False)
async def add_absence(
    request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    row = person_row_or_404(db, community, key)
    form = await request.form()
    typed = AbsenceForm(values={name: _text(form, name) for name in ABSENCE_FIELDS})
    absence = build_absence(typed, t)
    person = person_from_row(row)
    if absence is not None and len(person.absences) >= MAX_PERSON_ITEMS:
        typed.errors["date"] = t("avail.too_many", n=MAX_PERSON_ITEMS)
        absence = None
    if absence is None:
        return _page(request, t, user, person, absence=typed, status_code=400)
    absences = sorted([*person.absences, absence], key=lambda a: (a.date, a.start or 0))
    replace_availability(db, row, user.username, "person.absence.add", "page", absences=absences)
    flash(request, t("avail.absence_added"))
    return RedirectResponse(_page_url(key) + "#absences", status_code=303)


@router.post("/people/{key}/availability/absences/{number}/delete", include_in_schema=False)
async def remove_absence(
    request: Request, key: str, number: Index, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    row = person_row_or_404(db, community, key)
    person = person_from_row(row)
    expected = _text(await request.form(), "entry")
    if not 0 <= number < len(person.absences) or fingerprint(person.absences[number]) != expected:
        flash(request, t("avail.absence_gone"), "error")
    else:
        remaining = [a for i, a in enumerate(person.absences) if i != number]
        replace_availability(db, row, user.username, "person.absence.remove", "page", absences=remaining)
        flash(request, t("avail.absence_removed"))
    return RedirectResponse(_page_url(key) + "#absences", status_code=303)


# ------------------------------------------------------------------------------------------------ API


class Availability(BaseModel):
    """When a person can work: weekly windows (empty: any time) and dated absences."""

    model_config = ConfigDict(extra="forbid")

    availability: list[WeeklyWindow] = Field(
        max_length=MAX_PERSON_ITEMS, description="Weekly windows; empty means available at any time."
    )
    absences: list[Absence] = Field(
        default_factory=list, max_length=MAX_PERSON_ITEMS, description="Dated exceptions when unavailable."
    )


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong.")


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not logged in."},
    404: {"model": ErrorOut, "description": "No such person or no community."},
}


def _availability_of(person: Person) -> Availability:
    return Availability(availability=list(person.availability), absences=list(person.absences))


@router.get("/api/people/{key}/availability", response_model=Availability, tags=["people"], responses=_ERRORS)
def get_availability(key: str, db: DbSession, user: ApiViewer, community: CurrentCommunity) -> Availability:
    return _availability_of(person_from_row(person_row_or_404(db, community, key)))


@router.put(
    "/api/people/{key}/availability", response_model=Availability, tags=["people"],
    responses={**_ERRORS, 415: {"model": ErrorOut, "description": "Send application/json."}},
)
def put_availability(
    key: str, body: Availability, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly
) -> Availability:
    """Replace a person's weekly windows and absences (422 names the field path of anything invalid)."""
    row = person_row_or_404(db, community, key)
    person = replace_availability(
        db, row, user.username, "person.availability", "api", availability=body.availability, absences=body.absences
    )
    return _availability_of(person)

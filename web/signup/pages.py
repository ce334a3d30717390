"""Sign-up rounds: the coordinator's pages (`/signup`, `/signup/{week}`) and the volunteer's sign-up page at their
secret link (`/p/{token}/signup/{week}`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from web.dates import local_today, next_monday, parse_day
from web.deps import CsrfChecked, CurrentCommunity, DbSession, Editor, T, Viewer, app_context
from web.i18n import Translator
from web.outbox import notices
from web.personal import volunteer as _volunteer
from web.rendering import flash, render
from web.rota.urls import parse_week
from web.signup import service
from web.signup.service import SignupProblem
from web.store import audit, transaction
from web.tables import Community, Coordinator, SignupChoice, SignupRound
from web.validation import whole_number

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=40)]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _zone(community: Community) -> ZoneInfo:
    return ZoneInfo(community.timezone)


def _deadline(text: str, zone: ZoneInfo) -> dt.datetime:
    """A form's local date and time ('2026-12-12T20:00') as a moment; SignupProblem when it is not one."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SignupProblem("signup.problem.deadline_format", 422) from None
    if moment.tzinfo is not None or parse_day(moment.date().isoformat()) is None:
        raise SignupProblem("signup.problem.deadline_format", 422)
    return moment.replace(tzinfo=zone)


def _local(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _round_or_404(db: DbSession, community: Community, week_start: str) -> SignupRound:
    found = service.round_for(db, community, parse_week(week_start))
    if found is None:
        raise HTTPException(404, "no sign-up round for this week")
    return found


def _list_page(
    request: Request, t: Translator, db: DbSession, user: Coordinator, community: Community,
    values: dict[str, str] | None = None, error: str | None = None, status_code: int = 200,
) -> Response:
    zone = _zone(community)
    now = app_context(request).clock()
    today = local_today(community.timezone, now)
    week = next_monday(today)
    defaults = {
        "week": week.isoformat(), "days": "7",
        "deadline": dt.datetime.combine(week - dt.timedelta(days=2), dt.time(20)).strftime("%Y-%m-%dT%H:%M"),
        "as_pins": "",
    }
    found = service.rounds(db, community)
    return render(
        request, t, "signup_rounds.html", status_code, user=user, rounds=found, values=values or defaults,
        error=error, now=now, is_open=service.is_open, local=lambda m: _local(m, zone),
        answered={r.id: service.answered_people(db, r) for r in found},
    )


@router.get("/signup", response_class=HTMLResponse)
def rounds_page(request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity) -> Response:
    return _list_page(request, t, db, user, community)


@router.post("/signup")
def open_round(
    request: Request, t: T, db: DbSession, user: Editor, community: CurrentCommunity, _csrf: CsrfChecked,
    week: Text = "", days: Text = "7", deadline: Text = "", as_pins: Text = "",
) -> Response:
    values = {"week": week, "days": days, "deadline": deadline, "as_pins": as_pins}
    now = app_context(request).clock()
    start = parse_day(week)
    try:
        if start is None:
            raise SignupProblem("signup.problem.deadline_format", 422)
        count = whole_number(days) or 0
        with transaction(db):
            found = service.open_round(db, community, start, count, _deadline(deadline, _zone(community)),
                                       bool(as_pins), user.username, now)
            notices.signup_opened(db, community, found, now)
            audit(db, user.username, "signup.open", f"week {found.week_start}",
                  days=found.days, deadline=found.deadline.isoformat(), as_pins=found.as_pins)
    except SignupProblem as problem:
        return _list_page(request, t, db, user, community, values, t(problem.key, **problem.params), problem.status)
    flash(request, t("signup.opened"))
    return RedirectResponse(f"/signup/{start}", status_code=303)


@router.get("/signup/{week_start}", response_class=HTMLResponse)
def round_page(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
) -> Response:
    found = _round_or_404(db, community, week_start)
    zone = _zone(community)
    now = app_context(request).clock()
    slots = service.summary(db, community, found, t.lang)
    days: dict[dt.date, list[service.SlotSummary]] = {}
    for entry in slots:
        days.setdefault(entry.slot.date, []).append(entry)
    return render(
        request, t, "signup_round.html", user=user, round=found, days=days, open=service.is_open(found, now),
        deadline=_local(found.deadline, zone), thin=sum(entry.thin for entry in slots),
        answered=service.answered_people(db, found), clock=lambda m: m.astimezone(zone).strftime("%H:%M"),
        reopen_value=(now.astimezone(zone) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    )


@router.post("/signup/{week_start}/close")
def close_round(
    request: Request, week_start: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    found = _round_or_404(db, community, week_start)
    with transaction(db):
        service.close_round(found, app_context(request).clock())
        notices.signup_closed(db, community, found.id)
        audit(db, user.username, "signup.close", f"week {found.week_start}")
    flash(request, t("signup.closed_now"))
    return RedirectResponse(f"/signup/{found.week_start}", status_code=303)


@router.post("/signup/{week_start}/reopen")
def reopen_round(
    request: Request, week_start: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, deadline: Text = "",
) -> Response:
    found = _round_or_404(db, community, week_start)
    try:
        with transaction(db):
            moment = _deadline(deadline, _zone(community))
            now = app_context(request).clock()
            service.reopen_round(found, moment, now, _zone(community))
            notices.signup_closed(db, community, found.id)  # the warning of the old deadline
            notices.signup_opened(db, community, found, now)  # told once only: the opening is kept (same key)
            audit(db, user.username, "signup.reopen", f"week {found.week_start}", deadline=moment.isoformat())
    except SignupProblem as problem:
        flash(request, t(problem.key, **problem.params), "error")
        return RedirectResponse(f"/signup/{found.week_start}", status_code=303)
    flash(request, t("signup.reopened"))
    return RedirectResponse(f"/signup/{found.week_start}", status_code=303)


@router.post("/signup/{week_start}/delete")
def delete_round(
    request: Request, week_start: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, confirm: Text = "",
) -> Response:
    found = _round_or_404(db, community, week_start)
    if confirm != "1":
        flash(request, t("signup.delete_unconfirmed"), "error")
        return RedirectResponse(f"/signup/{found.week_start}", status_code=303)
    with transaction(db):
        notices.signup_closed(db, community, found.id)
        service.delete_round(db, found)
        audit(db, user.username, "signup.delete", f"week {found.week_start}")
    flash(request, t("signup.deleted"))
    return RedirectResponse("/signup", status_code=303)


# ------------------------------------------------------------------------------------- the volunteer's page


def _volunteer_page(
    request: Request, t: Translator, db: DbSession, token: str, week_start: str, status_code: int = 200,
    error: str | None = None,
) -> Response:
    person, community = _volunteer(db, token)
    found = _round_or_404(db, community, week_start)
    zone = _zone(community)
    now = app_context(request).clock()
    offers = service.offers(db, community, found, person, t.lang)
    days: dict[dt.date, list[service.Offer]] = {}
    patterns: dict[tuple[int, str, str], str] = {}
    for offer in offers:
        days.setdefault(offer.slot.date, []).append(offer)
        patterns.setdefault((offer.slot.date.weekday(), offer.slot.place, offer.slot.shift), offer.label)
    response = render(
        request, t, "signup_person.html", status_code, person=person, token=token, round=found, days=days,
        patterns=sorted(patterns.items()), open=service.is_open(found, now), deadline=_local(found.deadline, zone),
        clock=lambda m: m.astimezone(zone).strftime("%H:%M"), weekdays=WEEKDAYS, error=error,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/p/{token}/signup/{week_start}", response_class=HTMLResponse)
def volunteer_signup(request: Request, token: str, week_start: str, t: T, db: DbSession) -> Response:
    return _volunteer_page(request, t, db, token, week_start)


@router.post("/p/{token}/signup/{week_start}", response_class=HTMLResponse)
async def volunteer_answer(
    request: Request, token: str, week_start: str, t: T, db: DbSession, _csrf: CsrfChecked,
) -> Response:
    """Radio groups named `s:<place>|<shift>|<date>` and `w:<weekday>|<place>|<shift>`, each 'yes', 'no' or ''."""
    form = await request.form()
    answers: dict[str, str] = {}
    patterns: dict[tuple[int, str, str], str] = {}
    for name, value in form.multi_items():
        if not isinstance(value, str) or value not in ("", SignupChoice.YES, SignupChoice.NO):
            continue
        if name.startswith("s:"):
            answers[name[2:]] = value
        elif name.startswith("w:"):
            parts = name[2:].split("|")
            if len(parts) == 3 and parts[0] in WEEKDAYS:
                patterns[(WEEKDAYS.index(parts[0]), parts[1], parts[2])] = value
    return await run_in_threadpool(_save, request, t, db, token, week_start, answers, patterns)


def _save(
    request: Request, t: Translator, db: DbSession, token: str, week_start: str, answers: dict[str, str],
    patterns: dict[tuple[int, str, str], str],
) -> Response:
    person, community = _volunteer(db, token)
    found = _round_or_404(db, community, week_start)
    try:
        with transaction(db):
            count = service.save_answers(db, community, found, person, answers, patterns, app_context(request).clock())
    except SignupProblem as problem:
        return _volunteer_page(request, t, db, token, week_start, problem.status, t(problem.key, **problem.params))
    flash(request, t("signup.saved", n=count))
    return RedirectResponse(f"/p/{token}/signup/{found.week_start}", status_code=303)

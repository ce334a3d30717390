"""Changes after publishing: repair after a drop-out, swaps between volunteers.

Pages: `/rota/{week}/repair` (someone dropped out: the form, then a repair job run by the job runner),
`/repairs/{id}` (live progress, then the changes and Accept / Accept and publish), `/swaps` (the coordinator's
pending swaps: approve or refuse), and `/p/{token}/swaps` (a volunteer at their secret link: offer a coming shift,
take someone else's, withdraw). The JSON API is `web.changes.api`; the service functions are
`web.changes.repair`, `web.changes.swaps` and `web.changes.audit`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from scheduler import Assignment, Explanation, Scenario, parse_moment, shift_times
from web.changes import repair, swaps
from web.changes.problems import ChangeProblem
from web.changes.repair import RepairRequest
from web.dates import parse_day
from web.deps import (
    AppSettings,
    CsrfChecked,
    CurrentCommunity,
    DbSession,
    Editor,
    FeedWarmer,
    Runner,
    SeenRevision,
    T,
    Viewer,
)
from web.i18n import Translator
from web.personal import person_or_404 as _volunteer
from web.reasons import explanation_words
from web.rendering import flash, render
from web.rota import drafts
from web.rota import service as rotas
from web.rota.adjust import AssignmentRef
from web.rota.urls import parse_week
from web.rota.views import change_lines, week_grids
from web.solving.jobstate import job_elapsed, transition
from web.solving.queue import unattended
from web.store import audit, people_rows, stored, transaction
from web.tables import UNFINISHED, Community, Coordinator, JobStatus, PersonRow, SolveJob, SwapRequest, utcnow
from web.validation import DbId

router = APIRouter()
REFRESH_SECONDS = 2
_EN = Translator("en")
Text = Annotated[str, Form(max_length=200)]


# ------------------------------------------------------------------------------------------ shift labels


def _place_name(scenario: Scenario, place: str, t: Translator) -> str:
    post = next((p for p in scenario.posts if p.id == place), None)
    if post is not None:
        return post.name.text(t.lang)
    duty = next((d for d in scenario.team_duties if d.id == place), None)
    return duty.name.text(t.lang) if duty is not None else place


def _shift_name(scenario: Scenario, a: Assignment, t: Translator) -> str:
    return _named_shift(scenario, a.place, a.shift, t) or ""  # an unnamed shift goes by its times, which follow


def _named_shift(scenario: Scenario, place: str, shift_id: str | None, t: Translator) -> str | None:
    """The shift's name; its nominal times when it has none; None when the post has no such shift."""
    post = next((p for p in scenario.posts if p.id == place), None)
    shift = next((s for s in post.shifts if s.id == shift_id), None) if post is not None else None
    if shift is None:
        return None
    return shift.name.text(t.lang) if shift.name is not None else ""


def _swap_slot(scenario: Scenario | None, swap: SwapRequest, t: Translator) -> str:
    """'12月8日 周二 · 大门 夜班' for a swap whose shift is no longer on the rota: names, never ids."""
    place = swap.post or swap.duty or ""
    if scenario is None:
        return t.day(swap.date)
    shift = _named_shift(scenario, place, swap.shift, t)
    return f"{t.day(swap.date)} · {_place_name(scenario, place, t)} {shift or ''}".strip()


def _role_name(scenario: Scenario, role_id: str, t: Translator) -> str:
    role = next((r for r in scenario.roles if r.id == role_id), None)
    return role.name.text(t.lang) if role is not None else role_id


def shift_label(scenario: Scenario, a: Assignment, t: Translator) -> str:
    """'Tue 8 Dec · Gate Day 08:00–16:00 · Volunteer' in the reader's language."""
    hours = shift_times(a.start, a.end, scenario.zone)  # the real ones, not the template's, across a clock change
    place = " ".join(part for part in (_place_name(scenario, a.place, t), _shift_name(scenario, a, t)) if part)
    return f"{t.day(a.date)} · {place} {hours} · {_role_name(scenario, a.role, t)}"


# ------------------------------------------------------------------------------------------------ repair


def _local_input(moment: dt.datetime, scenario: Scenario) -> str:
    return moment.astimezone(scenario.zone).strftime("%Y-%m-%dT%H:%M")


def _repair_defaults(latest: rotas.PublishedVersion) -> dict[str, str]:
    """From now (or the week's start, if later) to the end of the week."""
    scenario = latest.scenario
    first = dt.datetime.combine(scenario.start, dt.time(), scenario.zone)
    end = first + dt.timedelta(days=scenario.days)
    start = max(dt.datetime.now(scenario.zone), first)
    return {"person": "", "start": _local_input(start, scenario), "end": _local_input(end, scenario), "remove": ""}


def _latest_or_404(db: DbSession, community: Community, week: dt.date) -> rotas.PublishedVersion:
    latest = rotas.latest_version(db, community.id, week)
    if latest is None:
        raise HTTPException(404, "nothing published this week")
    return latest


def _repair_form(
    request: Request, t: Translator, user: Coordinator, week: dt.date, latest: rotas.PublishedVersion,
    values: dict[str, str], errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:
    people = sorted((p for p in latest.scenario.people if p.active), key=lambda p: (p.name, p.id))
    return render(
        request, t, "repair_form.html", status_code, user=user, week=week, version=latest, people=people,
        values=values, errors=errors or {},
    )


@router.get("/rota/{week_start}/repair", response_class=HTMLResponse, include_in_schema=False)
def repair_page(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    person: str = "",
) -> Response:
    week = parse_week(week_start)
    latest = _latest_or_404(db, community, week)
    values = _repair_defaults(latest) | {"person": person}
    return _repair_form(request, t, user, week, latest, values)


def _parse_repair_form(values: dict[str, str], scenario: Scenario, t: Translator) -> RepairRequest | dict[str, str]:
    """The request, or field errors."""
    errors: dict[str, str] = {}
    if not values["person"]:
        errors["person"] = t("form.required")
    moments: dict[str, dt.datetime | None] = {"start": None, "end": None}
    if not values["remove"]:
        for name in ("start", "end"):
            if values[name].strip():
                try:
                    moments[name] = parse_moment(values[name], scenario.zone, end=name == "end")
                except ValueError:
                    errors[name] = t("form.invalid")
    if errors:
        return errors
    return RepairRequest(person=values["person"], start=moments["start"], end=moments["end"],
                         remove=bool(values["remove"]))


@router.post("/rota/{week_start}/repair", response_class=HTMLResponse, include_in_schema=False)
def start_repair(
    request: Request, week_start: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    runner: Runner, settings: AppSettings, _csrf: CsrfChecked, person: Text = "", start: Text = "",
    end: Text = "", remove: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    week = parse_week(week_start)
    latest = _latest_or_404(db, community, week)
    values = {"person": person, "start": start, "end": end, "remove": remove}
    parsed = _parse_repair_form(values, latest.scenario, t)
    if isinstance(parsed, dict):
        return _repair_form(request, t, user, week, latest, values, parsed, 400)
    try:
        job = repair.start_repair(db, community, week, parsed, user.username,
                                   time_limit=settings.solve_time_limit, workers=settings.solve_workers)
    except ChangeProblem as problem:
        errors = {problem.field or "form": problem.text(t)}
        return _repair_form(request, t, user, week, latest, values, errors, 400)
    runner.submit(job.id)
    return RedirectResponse(f"/repairs/{job.id}", status_code=303)


def _repair_or_404(db: DbSession, community: Community, job_id: int) -> SolveJob:
    job = repair.repair_job(db, community, job_id)
    if job is None:
        raise HTTPException(404, "no such repair")
    return job


def _who(view: repair.RepairView, t: Translator) -> list[str]:
    """'Alice unavailable from … until …' for each unavailability, in the reader's language."""
    scenario = view.scenario
    lines = []
    for item in view.params.unavailable:
        name = next((p.name for p in scenario.people if p.id == item.person), item.person)
        start = t.moment(item.start.astimezone(scenario.zone)) if item.start else t("changes.now")
        end = t.moment(item.end.astimezone(scenario.zone)) if item.end else t("changes.week_end")
        lines.append(t("changes.for_whom", name=name, start=start, end=end))
    return lines


@router.get("/repairs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def repair_job_page(
    request: Request, job_id: DbId, t: T, db: DbSession, user: Viewer, community: CurrentCommunity, runner: Runner,
    settings: AppSettings,
) -> Response:
    job = _repair_or_404(db, community, job_id)
    view = repair.repair_view(job)
    context: dict[str, Any] = {"dates": [], "grids": [], "lines": None, "explanation": None}
    if view.rota is not None and view.outcome is not None:
        context["dates"], context["grids"] = week_grids(view.scenario, view.rota, t)
        context["lines"] = change_lines(view.scenario, view.outcome.changes, t)
    if job.explanation is not None:
        context["explanation"] = stored(job, "explanation", Explanation)
        context["words"] = explanation_words(view.scenario, t.lang, user)
    latest = rotas.latest_version(db, community.id, job.week_start)
    draft = drafts.draft_row(db, community, job.week_start, lazy=True)
    return render(
        request, t, "repair_job.html", user=user, job=job, view=view, who=_who(view, t),
        elapsed=job_elapsed(job), refresh=REFRESH_SECONDS if view.unfinished else None,
        stale=latest is None or latest.id != view.params.version_id, revision=drafts.draft_revision(draft),
        queue=runner.position(job.id) if job.status == JobStatus.QUEUED else None,
        unattended=unattended(db, settings, job), **context,
    )


@router.post("/repairs/{job_id}/accept", include_in_schema=False)
def accept_repair(
    request: Request, job_id: DbId, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, warm: FeedWarmer, revision: SeenRevision, publish: Annotated[str, Form(max_length=5)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    job = _repair_or_404(db, community, job_id)
    try:
        accepted = repair.accept_repair(db, community, job, user.username, publish=publish == "1",
                                         note=note.strip() or None, revision=revision)
    except ChangeProblem as problem:
        flash(request, problem.text(t), "error")
        return RedirectResponse(f"/repairs/{job.id}", status_code=303)
    flash(request, t("changes.accepted"))
    if accepted.version is not None:
        warm(community.id)
        flash(request, t("changes.published", n=accepted.version.version))
        return RedirectResponse(f"/rota/{job.week_start.isoformat()}/versions/{accepted.version.version}", 303)
    return RedirectResponse(f"/rota/{job.week_start.isoformat()}", status_code=303)


@router.post("/repairs/{job_id}/cancel", include_in_schema=False)
def cancel_repair(
    request: Request, job_id: DbId, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    runner: Runner, _csrf: CsrfChecked,
) -> Response:
    job = _repair_or_404(db, community, job_id)
    with transaction(db):
        changed = transition(db, job.id, UNFINISHED, status=JobStatus.CANCELLED.value, finished_at=utcnow())
        if changed:
            audit(db, user.username, "repair.cancel", job.week_start.isoformat(), job_id=job.id,
                  community_id=community.id)
    if changed:
        runner.cancel(job.id)
        flash(request, t("job.cancelled"))
    return RedirectResponse(f"/repairs/{job.id}", status_code=303)


# ------------------------------------------------------------------------------------ coordinator swaps


@router.get("/swaps", response_class=HTMLResponse, include_in_schema=False)
def swaps_page(
    request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity
) -> Response:
    pending = swaps.swap_lines(db, community, pending=True)
    decided = swaps.swap_lines(db, community, pending=False)
    weeks = [w.week_start for w in rotas.weeks(db, community.id) if w.versions]
    latest: dict[dt.date, rotas.PublishedVersion | None] = {}

    def label(line: swaps.SwapLine) -> str:
        if line.week not in latest:
            latest[line.week] = rotas.latest_version(db, community.id, line.week)
        return _line_label(latest[line.week], line, t)

    return render(
        request, t, "swaps.html", user=user, pending=pending, decided=decided, weeks=weeks[:4], label=label,
    )


def _line_label(latest: rotas.PublishedVersion | None, line: swaps.SwapLine, t: Translator) -> str:
    swap = line.swap
    if latest is not None and line.assignment is not None:
        return shift_label(latest.scenario, line.assignment, t)
    return _swap_slot(latest.scenario if latest is not None else None, swap, t)


@router.post("/swaps/{swap_id}/approve", include_in_schema=False)
def approve_swap(
    request: Request, swap_id: DbId, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, warm: FeedWarmer,
) -> Response:
    try:
        decision = swaps.approve_swap(db, community, swap_id, user.username, t)
    except ChangeProblem as problem:
        if problem.status == 404:
            raise HTTPException(404, "no such swap") from None
        flash(request, problem.text(t), "error")
        return RedirectResponse("/swaps", status_code=303)
    if decision.version is not None:
        warm(community.id)
        flash(request, t("changes.approved", n=decision.version.version))
    else:
        flash(request, t("changes.refused", reason=decision.swap.reason or ""), "error")
    return RedirectResponse("/swaps", status_code=303)


@router.post("/swaps/{swap_id}/refuse", include_in_schema=False)
def refuse_swap(
    request: Request, swap_id: DbId, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        swaps.refuse_swap(db, community, swap_id, user.username, reason.strip())
    except ChangeProblem as problem:
        if problem.status == 404:
            raise HTTPException(404, "no such swap") from None
        flash(request, problem.text(t), "error")
        return RedirectResponse("/swaps", status_code=303)
    flash(request, t("changes.refused_plain"))
    return RedirectResponse("/swaps", status_code=303)


# ------------------------------------------------------------------------------------- volunteer swaps


def _community_of(db: DbSession, person: PersonRow) -> Community:
    community = db.get(Community, person.community_id)
    assert community is not None, "a person belongs to a community"
    return community


def _volunteer_page(
    request: Request, t: Translator, db: DbSession, token: str, person: PersonRow, error: str | None = None,
    status_code: int = 200,
) -> Response:
    community = _community_of(db, person)
    now = dt.datetime.now(dt.UTC)
    latest = {v.week_start: v for v in swaps.published_weeks(db, community, now.date())}

    def label(week: dt.date, a: Assignment) -> str:
        return shift_label(latest[week].scenario, a, t)

    def swap_label(swap: SwapRequest) -> str:
        return _swap_slot(next(iter(latest.values())).scenario if latest else None, swap, t)

    names = {row.id: row.name for row in _people(db, community)}
    return render(
        request, t, "swaps_person.html", status_code, person=person, token=token, error=error,
        shifts=swaps.coming_shifts(db, community, person, now),
        offers=swaps.open_offers(db, community, person, now),
        requests=swaps.my_requests(db, community, person), names=names, label=label,
        swap_label=swap_label,
    )


def _people(db: DbSession, community: Community) -> list[PersonRow]:
    return people_rows(db, community)


@router.get("/p/{token}/swaps", response_class=HTMLResponse, include_in_schema=False)
def volunteer_swaps(request: Request, token: str, t: T, db: DbSession) -> Response:
    person = _volunteer(db, token)
    return _volunteer_page(request, t, db, token, person)


def _volunteer_problem(
    request: Request, t: Translator, db: DbSession, token: str, person: PersonRow, problem: ChangeProblem
) -> Response:
    if problem.status == 404 and problem.key == "changes.problem.no_swap":
        raise HTTPException(404, "no such swap")
    status_code = problem.status if problem.status != 422 else 400
    return _volunteer_page(request, t, db, token, person, problem.text(t), status_code)


@router.post("/p/{token}/swaps/offer", response_class=HTMLResponse, include_in_schema=False)
def volunteer_offer(
    request: Request, token: str, t: T, db: DbSession, _csrf: CsrfChecked, week: Text = "", place: Text = "",
    shift: Text = "", date: Text = "",
) -> Response:
    person = _volunteer(db, token)
    community = _community_of(db, person)
    try:
        day, week_start = parse_day(date), parse_day(week)
        if day is None or week_start is None:
            raise ValueError("not a day this app plans")
        ref = AssignmentRef(person=person.key, place=place, shift=shift or None, date=day)
        swaps.offer_shift(db, community, person, week_start, ref, dt.datetime.now(dt.UTC))
    except (ValidationError, ValueError):
        problem = ChangeProblem("changes.problem.not_your_shift", status=404)
        return _volunteer_problem(request, t, db, token, person, problem)
    except ChangeProblem as problem:
        return _volunteer_problem(request, t, db, token, person, problem)
    flash(request, t("changes.did_offer"))
    return RedirectResponse(f"/p/{token}/swaps", status_code=303)


@router.post("/p/{token}/swaps/{swap_id}/accept", response_class=HTMLResponse, include_in_schema=False)
def volunteer_accept(
    request: Request, token: str, swap_id: DbId, t: T, db: DbSession, _csrf: CsrfChecked
) -> Response:
    person = _volunteer(db, token)
    try:
        swaps.accept_offer(db, _community_of(db, person), person, swap_id, dt.datetime.now(dt.UTC), t.lang)
    except ChangeProblem as problem:
        return _volunteer_problem(request, t, db, token, person, problem)
    flash(request, t("changes.did_accept"))
    return RedirectResponse(f"/p/{token}/swaps", status_code=303)


@router.post("/p/{token}/swaps/{swap_id}/withdraw", response_class=HTMLResponse, include_in_schema=False)
def volunteer_withdraw(
    request: Request, token: str, swap_id: DbId, t: T, db: DbSession, _csrf: CsrfChecked
) -> Response:
    person = _volunteer(db, token)
    try:
        swaps.withdraw_offer(db, _community_of(db, person), person, swap_id)
    except ChangeProblem as problem:
        return _volunteer_problem(request, t, db, token, person, problem)
    flash(request, t("changes.did_withdraw"))
    return RedirectResponse(f"/p/{token}/swaps", status_code=303)

"""Generate a rota for a chosen week: start a solve, watch its progress, cancel it, see the result."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from scheduler import Explanation, staffing_summary
from web.dates import day_error, local_today, next_monday, parse_day
from web.deps import AppSettings, CsrfChecked, CurrentCommunity, DbSession, Editor, Runner, T, Viewer, app_context
from web.reasons import explanation_words
from web.rendering import flash, render
from web.rota import drafts
from web.rota.views import PostGrid, week_grids
from web.solving import starting
from web.solving.jobstate import job_elapsed, job_gap, transition
from web.solving.queue import unattended
from web.store import audit, build_scenario, dump, job_rota, stored, stored_scenario, transaction
from web.tables import UNFINISHED, Community, Coordinator, JobStatus, SolveJob, utcnow
from web.validation import DbId, error_messages

router = APIRouter(include_in_schema=False)
RECENT = 10
REFRESH_SECONDS = 2


def _page(
    request: Request, t: T, db: DbSession, user: Coordinator, community: Community, start: str, days: str,
    errors: dict[str, str] | None = None, problems: list[str] | None = None, status_code: int = 200,
) -> Response:
    query = select(SolveJob).where(SolveJob.community_id == community.id).order_by(SolveJob.id.desc()).limit(RECENT)
    return render(
        request, t, "generate.html", status_code, user=user, jobs=list(db.scalars(query)), start=start, days=days,
        errors=errors or {}, problems=problems or [],
    )


@router.get("/generate", response_class=HTMLResponse)
def generate_page(request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity) -> Response:
    today = local_today(community.timezone, app_context(request).clock())
    return _page(request, t, db, user, community, next_monday(today).isoformat(), "7")


@router.post("/generate", response_class=HTMLResponse)
def start_solve(
    request: Request, t: T, db: DbSession, user: Editor, community: CurrentCommunity, runner: Runner,
    settings: AppSettings, _csrf: CsrfChecked,
    start: Annotated[str, Form(max_length=20)] = "", days: Annotated[str, Form(max_length=5)] = "7",
) -> Response:
    errors: dict[str, str] = {}
    first_day = parse_day(start)
    if first_day is None:
        errors["start"] = t("form.required") if not start else day_error(t, start)
    try:
        length = int(days)
        if not 1 <= length <= 28:
            errors["days"] = t("form.min", n=1) if length < 1 else t("form.max", n=28)
    except ValueError:
        errors["days"] = t("form.not_number")
    if errors or first_day is None:
        return _page(request, t, db, user, community, start, days, errors, status_code=400)
    try:
        scenario = build_scenario(db, community, first_day, length)
    except ValidationError as error:
        problems = error_messages(error)
        return _page(request, t, db, user, community, start, days, problems=problems, status_code=400)
    started = starting.start_solve(
        db, community, first_day, length, dump(scenario), time_limit=settings.solve_time_limit,
        workers=settings.solve_workers, actor=user.username,
    )
    return _go_to(request, t, runner, started)


def _go_to(request: Request, t: T, runner: Runner, started: starting.Started) -> Response:
    """Submit a new job, or say that the week's solve was joined; then show the job."""
    if started.joined:
        flash(request, t("solves.joined"))
    else:
        runner.submit(started.job.id)
    page = "repairs" if started.job.kind == "repair" else "jobs"
    return RedirectResponse(f"/{page}/{started.job.id}", status_code=303)


def _job_or_404(db: DbSession, community: Community, job_id: int) -> SolveJob:
    job = db.get(SolveJob, job_id)
    if job is None or job.community_id != community.id:
        raise HTTPException(404, "no such solve")
    return job


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request, job_id: DbId, t: T, db: DbSession, user: Viewer, community: CurrentCommunity, runner: Runner,
    settings: AppSettings,
) -> Response:
    job = _job_or_404(db, community, job_id)
    if job.kind == "repair":  # a repair has its own page: its changes, and accepting it (web.changes.pages)
        return RedirectResponse(f"/repairs/{job.id}", status_code=303)
    unfinished = job.status in UNFINISHED
    dates: list[dt.date] = []
    grids: list[PostGrid] = []
    explanation = None
    words = None
    staffing = None
    rota = job_rota(job)
    if rota is not None:
        dates, grids = week_grids(stored_scenario(job), rota, t)
        staffing = staffing_summary(stored_scenario(job), rota)
    if job.explanation is not None:
        explanation = stored(job, "explanation", Explanation)
        words = explanation_words(stored_scenario(job), t.lang, user)
    draft = drafts.draft_row(db, community, job.week_start, lazy=True)
    return render(
        request, t, "job.html", user=user, job=job, unfinished=unfinished, elapsed=job_elapsed(job), gap=job_gap(job),
        dates=dates, grids=grids, explanation=explanation, words=words,
        refresh=REFRESH_SECONDS if unfinished else None,
        staffing=staffing, queue=runner.position(job.id) if job.status == JobStatus.QUEUED else None,
        revision=drafts.draft_revision(draft), unattended=unattended(db, settings, job),
    )


@router.post("/jobs/{job_id}/cancel")
def cancel_job(
    request: Request, job_id: DbId, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    runner: Runner, _csrf: CsrfChecked,
) -> Response:
    job = _job_or_404(db, community, job_id)
    with transaction(db):
        changed = transition(db, job.id, UNFINISHED, status=JobStatus.CANCELLED.value, finished_at=utcnow())
        if changed:
            audit(db, user.username, "solve.cancel", str(job.id))
    if changed:
        runner.cancel(job.id)
        flash(request, t("job.cancelled"))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/jobs/{job_id}/rerun")
def rerun_job(
    request: Request, job_id: DbId, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    runner: Runner, _csrf: CsrfChecked,
) -> Response:
    """Run a failed or interrupted solve (or repair) again with the same inputs; show the new job."""
    job = _job_or_404(db, community, job_id)
    try:
        started = starting.rerun(db, community, job, user.username)
    except starting.NotRerunnable:
        flash(request, t("solves.not_rerunnable"), "error")
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)
    return _go_to(request, t, runner, started)

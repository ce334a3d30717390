"""Changes after publishing, JSON: `POST /api/rota/{week}/repair`, `GET /api/repairs/{id}`,
`POST /api/repairs/{id}/accept` (progress as for any job at `GET /api/jobs/{id}`); `GET /api/swaps`,
`POST /api/swaps/{id}/approve`, `POST /api/swaps/{id}/refuse`.

API errors: 401 not logged in; 404 no such week, repair, person or swap; 409 nothing published yet, no repaired
rota, a newer version published since the repair began, or a swap not awaiting that decision; 415 a write that
is not JSON; 422 an invalid body, `detail` a list of problems whose `loc` names the field path (e.g.
`["body", "person"]`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from scheduler import Explanation, Rota, RotaChanges
from web.changes import repair, swaps
from web.changes.problems import ChangeProblem
from web.changes.repair import RepairRequest
from web.dates import WEEK_PROBLEM, parse_day
from web.deps import (
    ApiEditor,
    ApiViewer,
    AppSettings,
    CurrentCommunity,
    DbSession,
    FeedWarmer,
    JsonOnly,
    Runner,
)
from web.i18n import Translator
from web.reasons import shown_explanation
from web.solving.jobstate import job_elapsed
from web.store import stored
from web.tables import Community, Coordinator, SolveJob
from web.validation import DbId, WeekStart

router = APIRouter()
_EN = Translator("en")


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong.")


class RepairOut(BaseModel):
    """A repair job: its progress, then its changes and rota, or the explanation when none exists."""

    id: int = Field(description="Job id (progress also at GET /api/jobs/{id}).")
    week_start: dt.date = Field(description="First day of the week.")
    based_on_version: int = Field(description="The published version repaired.")
    status: str = Field(description="queued, running, finished, failed, cancelled or interrupted.")
    result_status: str | None = Field(description="optimal (changes proven minimal), feasible, infeasible, unknown.")
    elapsed: float | None = Field(description="Seconds since the repair started.")
    change_count: int | None = Field(description="Assignments lost plus assignments gained.")
    retimed_breaks: int | None = Field(description="Meal breaks of kept assignments that moved.")
    proven_minimal: bool | None = Field(description="Whether no repair with fewer changes exists.")
    changes: RotaChanges | None = Field(description="Who gains, who loses, whose breaks move.")
    rota: Rota | None = Field(description="The repaired rota.")
    explanation: Explanation | None = Field(description="Why no repair exists (infeasible only).")
    accepted_by: str | None = Field(description="Coordinator who made it the week's draft, if anyone.")


class AcceptIn(BaseModel):
    """Make the repair the week's draft, and optionally publish it at once."""

    publish: bool = Field(default=False, description="Publish the draft as the next version right away.")
    note: str | None = Field(default=None, max_length=500, description="A note shown with the version.")
    revision: int | None = Field(
        default=None, ge=0,
        description="The draft revision this is based on (`revision` of GET /api/rota/{week}/draft; 0 when the week "
        "had no draft). When given and the draft has changed since, nothing is done: 409.",
    )


class AcceptOut(BaseModel):
    week_start: dt.date = Field(description="First day of the week.")
    draft_job_id: int = Field(description="The repair job the draft now comes from.")
    version: int | None = Field(description="The version published, when `publish` was true.")


_API_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not logged in."},
    404: {"model": ErrorOut, "description": "No such week, repair, person or swap."},
    409: {"model": ErrorOut, "description": "Nothing published, no repaired rota, a newer version since, or a "
          "swap not awaiting that decision."},
    415: {"model": ErrorOut, "description": "The body is not JSON."},
    422: {"description": "Invalid body; `detail` lists problems with their field path in `loc`."},
}


def _api_raise(problem: ChangeProblem) -> NoReturn:
    message = problem.text(_EN)
    if problem.status == 422:
        location = ["body", *(part for part in problem.field.split(".") if part)]
        raise HTTPException(422, [{"loc": location, "msg": message, "type": "value_error"}])
    raise HTTPException(problem.status, message)


def _repair_out(job: SolveJob, user: Coordinator) -> RepairOut:
    view = repair.repair_view(job)
    explanation = stored(job, "explanation", Explanation) if job.explanation else None
    outcome = view.outcome
    return RepairOut(
        id=job.id, week_start=job.week_start, based_on_version=view.params.version, status=job.status,
        result_status=job.result_status, elapsed=job_elapsed(job),
        change_count=outcome.change_count if outcome else None,
        retimed_breaks=outcome.retimed_breaks if outcome else None,
        proven_minimal=outcome.proven_minimal if outcome else None, changes=outcome.changes if outcome else None,
        rota=view.rota, explanation=shown_explanation(explanation, user) if explanation is not None else None,
        accepted_by=outcome.accepted_by if outcome else None,
    )


def _api_week(value: str) -> dt.date:
    day = parse_day(value)
    if day is None:
        problem = {"loc": ["path", "week_start"], "msg": WEEK_PROBLEM, "type": "value_error"}
        raise HTTPException(422, [problem])
    return day


@router.post("/api/rota/{week_start}/repair", response_model=RepairOut, status_code=202, tags=["changes"],
             responses=_API_ERRORS)
def api_start_repair(
    week_start: WeekStart, body: RepairRequest, db: DbSession, user: ApiEditor, community: CurrentCommunity,
    runner: Runner, settings: AppSettings, _json: JsonOnly,
) -> RepairOut:
    """Someone dropped out: start a repair of the week's latest version (runs outside the request)."""
    week = _api_week(week_start)
    try:
        job = repair.start_repair(db, community, week, body, user.username,
                                   time_limit=settings.solve_time_limit, workers=settings.solve_workers)
    except ChangeProblem as problem:
        _api_raise(problem)
    runner.submit(job.id)
    db.refresh(job)
    return _repair_out(job, user)


@router.get("/api/repairs/{job_id}", response_model=RepairOut, tags=["changes"], responses=_API_ERRORS)
def api_repair(job_id: DbId, db: DbSession, user: ApiViewer, community: CurrentCommunity) -> RepairOut:
    job = repair.repair_job(db, community, job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such repair")
    return _repair_out(job, user)


@router.post("/api/repairs/{job_id}/accept", response_model=AcceptOut, tags=["changes"], responses=_API_ERRORS)
def api_accept_repair(
    job_id: DbId, body: AcceptIn, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly,
    warm: FeedWarmer,
) -> AcceptOut:
    job = repair.repair_job(db, community, job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such repair")
    try:
        accepted = repair.accept_repair(
            db, community, job, user.username, publish=body.publish, note=body.note, revision=body.revision
        )
    except ChangeProblem as problem:
        _api_raise(problem)
    if accepted.version is not None:
        warm(community.id)
    return AcceptOut(week_start=job.week_start, draft_job_id=job.id,
                     version=accepted.version.version if accepted.version is not None else None)


class SwapOut(BaseModel):
    """A swap request: who offers which shift, who takes it, where it stands."""

    id: int = Field(description="Swap id.")
    week_start: dt.date = Field(description="First day of the week the shift belongs to.")
    date: dt.date = Field(description="Local date the shift starts.")
    post: str | None = Field(description="Post id (absent for a team duty).")
    duty: str | None = Field(description="Team duty id (absent for a post shift).")
    shift: str | None = Field(description="Shift template id (absent for a team duty).")
    role: str = Field(description="The role handed over.")
    giver: str = Field(description="Name of the volunteer who offers it.")
    taker: str | None = Field(description="Name of the volunteer who took it, if anyone.")
    status: str = Field(description="offered, accepted (awaiting approval), approved, refused or withdrawn.")
    reason: str | None = Field(description="Why it was refused, if it was.")
    current: bool = Field(description="Whether the latest version still has the giver on that shift (open swaps).")


class SwapList(BaseModel):
    pending: list[SwapOut] = Field(description="Offered or awaiting approval, by date.")
    decided: list[SwapOut] = Field(description="The latest 30 decided, newest first.")


class DecisionOut(BaseModel):
    """What the approval did."""

    swap: SwapOut = Field(description="The swap after the decision.")
    version: int | None = Field(description="The version published (approved), else none.")
    reasons: list[str] = Field(description="Why it was refused (empty when approved).")


class RefuseIn(BaseModel):
    reason: str = Field(default="", max_length=500, description="Shown to the volunteers.")


def _swap_out(line: swaps.SwapLine) -> SwapOut:
    swap = line.swap
    return SwapOut(
        id=swap.id, week_start=line.week, date=swap.date, post=swap.post, duty=swap.duty, shift=swap.shift or None,
        role=swap.role, giver=line.giver, taker=line.taker, status=swap.status, reason=swap.reason,
        current=line.assignment is not None,
    )


def _swap_line(db: DbSession, community: Community, swap_id: int) -> swaps.SwapLine:
    lines = swaps.swap_lines(db, community, pending=True) + swaps.swap_lines(db, community, pending=False)
    line = next((line for line in lines if line.swap.id == swap_id), None)
    if line is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such swap")
    return line


@router.get("/api/swaps", response_model=SwapList, tags=["changes"], responses=_API_ERRORS)
def api_swaps(db: DbSession, user: ApiViewer, community: CurrentCommunity) -> SwapList:
    return SwapList(
        pending=[_swap_out(line) for line in swaps.swap_lines(db, community, pending=True)],
        decided=[_swap_out(line) for line in swaps.swap_lines(db, community, pending=False)],
    )


@router.post("/api/swaps/{swap_id}/approve", response_model=DecisionOut, tags=["changes"], responses=_API_ERRORS)
def api_approve_swap(
    swap_id: DbId, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly, warm: FeedWarmer,
) -> DecisionOut:
    """Check the accepted swap against the latest version: publish it as the next version, or refuse it with
    its reasons (200 either way; `version` tells). 409 when nobody took it yet or it is no longer open."""
    try:
        decision = swaps.approve_swap(db, community, swap_id, user.username, _EN)
    except ChangeProblem as problem:
        _api_raise(problem)
    if decision.version is not None:
        warm(community.id)
    return DecisionOut(swap=_swap_out(_swap_line(db, community, swap_id)),
                       version=decision.version.version if decision.version is not None else None,
                       reasons=decision.reasons)


@router.post("/api/swaps/{swap_id}/refuse", response_model=SwapOut, tags=["changes"], responses=_API_ERRORS)
def api_refuse_swap(
    swap_id: DbId, body: RefuseIn, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly
) -> SwapOut:
    try:
        swaps.refuse_swap(db, community, swap_id, user.username, body.reason.strip())
    except ChangeProblem as problem:
        _api_raise(problem)
    return _swap_out(_swap_line(db, community, swap_id))

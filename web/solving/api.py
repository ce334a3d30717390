"""JSON view of a solve job's progress (what the job page shows, for scripts and progressive pages), and running
a failed or interrupted job again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, Field

from web.deps import ApiEditor, ApiViewer, CurrentCommunity, DbSession, JsonOnly, Runner
from web.solving import starting
from web.solving.jobstate import job_elapsed, job_gap
from web.solving.service import JobRunner
from web.tables import JobStatus, SolveJob
from web.validation import DbId

router = APIRouter(prefix="/api/jobs", tags=["solves"])


class ErrorOut(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not logged in."},
    404: {"model": ErrorOut, "description": "No such solve."},
}


class JobOut(BaseModel):
    id: int
    week_start: dt.date
    days: int
    status: str = Field(description="queued, running, finished, failed, cancelled or interrupted.")
    queue_position: int | None = Field(
        description="While queued for a free solver slot: 1 for the next to start, 2 for the one after...; "
        "otherwise null."
    )
    result_status: str | None = Field(description="Engine status when finished: optimal, feasible, infeasible...")
    elapsed: float | None = Field(description="Seconds since the solve started.")
    objective: float | None = Field(description="Cost of the best rota so far.")
    bound: float | None = Field(description="Best proven lower bound.")
    gap: float | None = Field(description="(objective - bound) / max(1, |objective|).")
    first_found_at: float | None = Field(description="Seconds until the first complete rota.")
    solutions: int


class RerunOut(JobOut):
    joined: bool = Field(
        description="True when the week's solve already queued or running was joined instead of starting another."
    )


def _job_out(job: SolveJob, runner: JobRunner) -> dict[str, Any]:
    return dict(
        id=job.id, week_start=job.week_start, days=job.days, status=job.status,
        queue_position=runner.position(job.id) if job.status == JobStatus.QUEUED else None,
        result_status=job.result_status, elapsed=job_elapsed(job), objective=job.objective, bound=job.bound,
        gap=job_gap(job), first_found_at=job.first_found_at, solutions=job.solutions,
    )


def _job_or_404(db: DbSession, community: CurrentCommunity, job_id: int) -> SolveJob:
    job = db.get(SolveJob, job_id)
    if job is None or job.community_id != community.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such solve")
    return job


@router.get("/{job_id}", response_model=JobOut, responses=_ERRORS)
def job_progress(
    job_id: DbId, db: DbSession, user: ApiViewer, community: CurrentCommunity, runner: Runner
) -> JobOut:
    return JobOut(**_job_out(_job_or_404(db, community, job_id), runner))


@router.post(
    "/{job_id}/rerun", response_model=RerunOut, status_code=status.HTTP_202_ACCEPTED,
    responses={
        **_ERRORS,
        202: {"description": "The new job (or the week's unfinished solve, joined); `Location` is its JSON.",
              "headers": {"Location": {"description": "/api/jobs/{id} of that job.", "schema": {"type": "string"}}}},
        409: {"model": ErrorOut, "description": "Only a failed or interrupted job can be run again."},
        415: {"model": ErrorOut, "description": "The request is not JSON (send Content-Type: application/json)."},
    },
)
def rerun_job(
    job_id: DbId, response: Response, db: DbSession, user: ApiEditor, community: CurrentCommunity, runner: Runner,
    _json: JsonOnly,
) -> RerunOut:
    """Run a failed or interrupted solve (or repair) again with the same inputs: its scenario snapshot, week, time
    limit and workers. A solve joins its week's solve when one is already queued or running."""
    job = _job_or_404(db, community, job_id)
    try:
        started = starting.rerun(db, community, job, user.username)
    except starting.NotRerunnable:
        raise HTTPException(status.HTTP_409_CONFLICT, "only a failed or interrupted job can be run again") from None
    if not started.joined:
        runner.submit(started.job.id)
    db.refresh(started.job)
    response.headers["Location"] = f"/api/jobs/{started.job.id}"
    return RerunOut(**_job_out(started.job, runner), joined=started.joined)

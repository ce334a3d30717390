"""JSON view of a solve job's progress (what the job page shows, for scripts and progressive pages)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from web.deps import ApiViewer, CurrentCommunity, DbSession
from web.solving.jobstate import job_elapsed, job_gap
from web.tables import SolveJob
from web.validation import DbId

router = APIRouter(prefix="/api/jobs", tags=["solves"])


class JobOut(BaseModel):
    id: int
    week_start: dt.date
    days: int
    status: str = Field(description="queued, running, finished, failed, cancelled or interrupted.")
    result_status: str | None = Field(description="Engine status when finished: optimal, feasible, infeasible...")
    elapsed: float | None = Field(description="Seconds since the solve started.")
    objective: float | None = Field(description="Cost of the best rota so far.")
    bound: float | None = Field(description="Best proven lower bound.")
    gap: float | None = Field(description="(objective - bound) / max(1, |objective|).")
    first_found_at: float | None = Field(description="Seconds until the first complete rota.")
    solutions: int


@router.get("/{job_id}", response_model=JobOut, responses={401: {"description": "Not logged in."}, 404: {}})
def job_progress(job_id: DbId, db: DbSession, user: ApiViewer, community: CurrentCommunity) -> JobOut:
    job = db.get(SolveJob, job_id)
    if job is None or job.community_id != community.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such solve")
    return JobOut(
        id=job.id, week_start=job.week_start, days=job.days, status=job.status, result_status=job.result_status,
        elapsed=job_elapsed(job), objective=job.objective, bound=job.bound, gap=job_gap(job),
        first_found_at=job.first_found_at, solutions=job.solutions,
    )

"""Starting solve jobs: a new solve of a week, or joining the one already queued or running for it; running a
failed or interrupted job again with the same inputs. No HTTP here (the pages and the API call it); the caller
submits a new job to the runner.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from web.store import audit, transaction
from web.tables import UNFINISHED, Community, JobStatus, SolveJob

SOLVE_KIND = "solve"
RERUNNABLE = (JobStatus.FAILED, JobStatus.INTERRUPTED)
"""The jobs that may be run again: they ended without a result nobody asked to stop."""

_starting = threading.Lock()
"""Looking for a week's unfinished solve and adding one is a single step for this server's request threads, so
two quick requests for the same week make one job."""


@dataclass(frozen=True)
class Started:
    job: SolveJob
    joined: bool
    """True when the job was already queued or running (nothing new to submit)."""


class NotRerunnable(Exception):
    """Only a failed or interrupted job can be run again."""


def unfinished_solve(db: Session, community_id: int, week_start: dt.date, days: int) -> SolveJob | None:
    """The queued or running solve of this week (same first day and length), if any."""
    query = select(SolveJob).where(
        SolveJob.community_id == community_id, SolveJob.week_start == week_start, SolveJob.days == days,
        SolveJob.kind == SOLVE_KIND, SolveJob.status.in_([s.value for s in UNFINISHED]),
    ).order_by(SolveJob.id).limit(1)
    return db.scalars(query).first()


def start_solve(
    db: Session, community: Community, week_start: dt.date, days: int, scenario: dict[str, Any], *,
    time_limit: float, workers: int | None, actor: str, rerun_of: int | None = None,
) -> Started:
    """A new queued solve of the week, or the week's unfinished one (joined): one solve per week at a time."""
    with _starting:
        existing = unfinished_solve(db, community.id, week_start, days)
        if existing is not None:
            return Started(existing, joined=True)
        with transaction(db):
            job = SolveJob(
                community_id=community.id, week_start=week_start, days=days, status=JobStatus.QUEUED.value,
                scenario=scenario, time_limit=time_limit, workers=workers, created_by=actor,
            )
            db.add(job)
            db.flush()
            details: dict[str, Any] = {"week_start": week_start.isoformat(), "days": days}
            if rerun_of is not None:
                details["rerun_of"] = rerun_of
            audit(db, actor, "solve.start", str(job.id), **details)
    return Started(job, joined=False)


def rerun(db: Session, community: Community, job: SolveJob, actor: str) -> Started:
    """A new job with the failed or interrupted job's inputs: its scenario snapshot, week, time limit and workers
    (a repair: also its parameters). A solve joins its week's unfinished solve if there is one. Raises
    NotRerunnable for a job that is unfinished, finished or cancelled."""
    if job.status not in RERUNNABLE:
        raise NotRerunnable(job.status)
    if job.kind == SOLVE_KIND:
        return start_solve(
            db, community, job.week_start, job.days, job.scenario, time_limit=job.time_limit, workers=job.workers,
            actor=actor, rerun_of=job.id,
        )
    with transaction(db):
        again = SolveJob(
            community_id=community.id, week_start=job.week_start, days=job.days, status=JobStatus.QUEUED.value,
            scenario=job.scenario, time_limit=job.time_limit, workers=job.workers, created_by=actor, kind=job.kind,
            params=job.params,
        )
        db.add(again)
        db.flush()
        audit(db, actor, f"{job.kind}.start", job.week_start.isoformat(), job_id=again.id, rerun_of=job.id,
              community_id=community.id)
    return Started(again, joined=False)

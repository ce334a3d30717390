"""Repair after a drop-out. No HTTP here: the pages and the JSON API (`web.changes.pages`, `web.changes.api`).

The coordinator marks a person unavailable in a published week; `start_repair` stores a job of kind 'repair'
(`SolveJob.kind`, migration 0003) holding the latest version's scenario snapshot and, in `params`, the version
repaired, the unavailabilities and `now`. The job runner calls `run_repair` (from `web.solving.service.run_job`)
outside the request: it runs `scheduler.repair`, writes progress like a solve, and stores the repaired rota in
`rota`, the scenario *with the new absences* in `scenario` (so the rota is valid for it) and the changes in
`outcome`. `accept_repair` makes that rota the week's draft (based on the version repaired, refused when a newer
version was published since), optionally publishing it at once.

Every change is one transaction with an audit entry whose target is the week's first day (`web.changes.audit`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler import (
    STORED,
    Absence,
    RepairProgress,
    RepairResult,
    RepairSettings,
    Rota,
    RotaChanges,
    Scenario,
    Unavailability,
    repair,
)
from web.changes.problems import ChangeProblem
from web.rota import drafts
from web.rota.adjust import RotaProblem
from web.rota.service import PublishedVersion, latest_version
from web.solving.jobstate import ProgressWriter, record_failure, transition
from web.solving.lifeline import exit_if_orphaned
from web.store import audit, dump, job_rota, store_json, stored, stored_scenario, transaction
from web.tables import (
    UNFINISHED,
    Community,
    JobStatus,
    PersonRow,
    RotaDraft,
    RotaVersion,
    SolveJob,
    utcnow,
)

REPAIR_KIND = "repair"


class RepairRequest(BaseModel):
    """Someone dropped out of a published week: from when to when, or from now to the end of the week."""

    model_config = ConfigDict(extra="forbid")

    person: str = Field(min_length=1, max_length=64, description="Person id.")
    start: dt.datetime | None = Field(
        default=None, description="First unavailable moment (without an offset: the community's zone). None: now."
    )
    end: dt.datetime | None = Field(default=None, description="End (exclusive). None: the end of the week.")
    remove: bool = Field(default=False, description="Remove the person from the rest of the week (ignores start/end).")


class RepairParams(BaseModel):
    """A repair job's inputs (`SolveJob.params`)."""

    version_id: int = Field(description="RotaVersion row repaired.")
    version: int = Field(description="Its number within the week.")
    unavailable: list[Unavailability] = Field(description="Who is unavailable when.")
    now: dt.datetime = Field(description="Assignments starting before this stay as published.")


class RepairOutcome(BaseModel):
    """A finished repair's result beyond the rota (`SolveJob.outcome`)."""

    changes: RotaChanges = Field(description="Who gains, who loses, whose breaks move, against the version.")
    change_count: int = Field(description="Assignments lost plus assignments gained.")
    weighted_changes: int = Field(description="Changes with those starting within 24 h weighted more.")
    retimed_breaks: int = Field(description="Meal breaks of kept assignments that moved.")
    proven_minimal: bool = Field(description="Whether no repair with fewer (weighted) changes exists.")
    accepted_by: str | None = Field(default=None, description="Coordinator who made it the week's draft.")


@dataclass(frozen=True)
class RepairView:
    """A repair job as its page shows it."""

    job: SolveJob
    params: RepairParams
    scenario: Scenario
    rota: Rota | None
    outcome: RepairOutcome | None
    stage: str | None
    """'changes' or 'objective' while it runs."""

    @property
    def unfinished(self) -> bool:
        return self.job.status in UNFINISHED


def unavailability_of(request: RepairRequest, scenario: Scenario) -> Unavailability:
    """The request as the engine's input, checked against the version's scenario; raises ChangeProblem."""
    if all(p.id != request.person for p in scenario.people):
        raise ChangeProblem("rota.problem.unknown_person", "person", person=request.person)
    if request.remove:
        return Unavailability(person=request.person)
    zone = scenario.zone
    first_moment = dt.datetime.combine(scenario.start, dt.time(), zone)
    start = _aware(request.start, scenario) if request.start is not None else None
    end = _aware(request.end, scenario) if request.end is not None else None
    if start is not None and end is not None and end <= start:
        raise ChangeProblem("changes.problem.end_before_start", "end")
    if end is not None and end <= first_moment:
        raise ChangeProblem("changes.problem.outside_week", "end")
    if start is not None and start < first_moment:
        start = first_moment  # before the week: the week is all the repair can change
    return Unavailability(person=request.person, start=start, end=end)


def _aware(moment: dt.datetime, scenario: Scenario) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=scenario.zone)


def start_repair(
    db: Session, community: Community, week: dt.date, request: RepairRequest, actor: str, *, time_limit: float,
    workers: int | None, now: dt.datetime | None = None,
) -> SolveJob:
    """Store a repair job of the week's latest version (the caller submits it to the runner); raises ChangeProblem."""
    latest = latest_version(db, community.id, week)
    if latest is None:
        raise ChangeProblem("changes.problem.not_published", status=409)
    item = unavailability_of(request, latest.scenario)
    moment = now or dt.datetime.now(latest.scenario.zone)
    params = RepairParams(version_id=latest.id, version=latest.version, unavailable=[item], now=moment)
    with transaction(db):
        job = SolveJob(
            community_id=community.id, week_start=week, days=latest.rota.days, status=JobStatus.QUEUED.value,
            scenario=dump(latest.scenario), time_limit=time_limit,
            workers=workers, created_by=actor, kind=REPAIR_KIND, params=params.model_dump(mode="json"),
        )
        db.add(job)
        db.flush()
        audit(
            db, actor, "repair.start", week.isoformat(),
            community_id=community.id, job_id=job.id, version=latest.version,
            person=item.person, name=latest.scenario.person(item.person).name,
            start=item.start.isoformat() if item.start else None, end=item.end.isoformat() if item.end else None,
        )
    return job


def repair_job(db: Session, community: Community, job_id: int) -> SolveJob | None:
    job = db.get(SolveJob, job_id)
    if job is None or job.community_id != community.id or job.kind != REPAIR_KIND:
        return None
    return job


def repair_view(job: SolveJob) -> RepairView:
    params = stored(job, "params", RepairParams)
    outcome = None
    stage = None
    if job.outcome is not None and "changes" in job.outcome:
        outcome = stored(job, "outcome", RepairOutcome)
    elif job.outcome is not None:
        stage = str(job.outcome.get("stage", "")) or None
    return RepairView(job, params, stored_scenario(job), job_rota(job), outcome, stage)


def run_repair(sessions: sessionmaker[Session], job_id: int) -> None:
    """Run a started repair job and store its progress and result (in the solver process, or inline in tests)."""
    with sessions.begin() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None, "run_job started it"
        params = RepairParams.model_validate(job.params)
        version = db.get(RotaVersion, params.version_id)
        scenario_data, settings = job.scenario, RepairSettings(time_limit=job.time_limit, workers=job.workers)
        published_data = version.rota if version is not None else None
    on_progress = _progress_writer(sessions, job_id)
    try:
        if published_data is None:
            raise LookupError(f"rota version {params.version_id} is gone")
        scenario = Scenario.model_validate(scenario_data, context=STORED)
        published = Rota.model_validate(published_data)
        result = repair(scenario, published, params.unavailable, settings, params.now, on_progress)
    except Exception as error:  # the job records any failure; the process must not die silently
        record_failure(sessions, job_id, error)
        return
    _store_repair(sessions, job_id, result)


def _progress_writer(sessions: sessionmaker[Session], job_id: int) -> Callable[[RepairProgress], None]:
    writer = ProgressWriter(sessions, job_id)

    def on_progress(progress: RepairProgress) -> None:
        writer.record(progress.elapsed, progress.objective, progress.bound, outcome={"stage": progress.stage})

    return on_progress


def _store_repair(sessions: sessionmaker[Session], job_id: int, result: RepairResult) -> None:
    outcome = None
    if result.rota is not None:
        outcome = RepairOutcome(
            changes=result.changes, change_count=result.change_count, weighted_changes=result.weighted_changes,
            retimed_breaks=result.retimed_breaks, proven_minimal=result.proven_minimal,
        ).model_dump(mode="json")
    exit_if_orphaned()
    with sessions.begin() as db:
        transition(
            db, job_id, [JobStatus.RUNNING],
            status=JobStatus.FINISHED.value, finished_at=utcnow(), result_status=result.status.value,
            elapsed=result.stats.wall_time, objective=result.objective, bound=result.bound,
            scenario=dump(result.scenario), outcome=outcome,
            rota=result.rota.model_dump(mode="json") if result.rota is not None else None,
            explanation=result.explanation.model_dump(mode="json") if result.explanation is not None else None,
        )


@dataclass(frozen=True)
class Accepted:
    draft: RotaDraft
    version: RotaVersion | None
    """The version published at once ('Accept and publish'), else None."""


def accept_repair(
    db: Session, community: Community, job: SolveJob, actor: str, *, publish: bool = False, note: str | None = None,
    revision: int | None = None,
) -> Accepted:
    """Make a finished repair the week's draft (replacing the draft), based on the version it repaired.

    Raises ChangeProblem when there is no repaired rota, a newer version was published since the repair began
    (its changes would be undone), or the draft is no longer at `revision`, the one the coordinator's page showed
    (someone's adjustments would be replaced unseen; None: no check). With `publish`, the draft is then published
    as the next version.
    """
    view = repair_view(job)
    if job.status != JobStatus.FINISHED.value or view.rota is None or view.outcome is None:
        raise ChangeProblem("changes.problem.no_repair", status=409)
    latest = latest_version(db, community.id, job.week_start)
    if latest is None or latest.id != view.params.version_id:
        raise ChangeProblem("changes.problem.stale_repair", status=409, n=str(view.params.version))
    outcome = view.outcome.model_copy(update={"accepted_by": actor})
    try:
        row = _replace_draft(db, community, job, view.rota, view.params, latest, outcome, actor, revision)
    except RotaProblem as problem:
        raise ChangeProblem.of(problem) from None
    version = None
    if publish:
        try:
            version = drafts.publish(db, community, job.week_start, actor, note=note)
        except RotaProblem as problem:
            raise ChangeProblem.of(problem) from None
    return Accepted(row, version)


def _replace_draft(
    db: Session, community: Community, job: SolveJob, rota: Rota, params: RepairParams, latest: PublishedVersion,
    outcome: RepairOutcome, actor: str, revision: int | None,
) -> RotaDraft:
    """The repaired rota as the week's draft, the job marked accepted, the absences remembered: one transaction."""
    with drafts.saving_draft(db):
        row, _ = drafts.week_draft(db, community, job.week_start, revision)
        row.days, row.scenario, row.job_id = job.days, job.scenario, job.id
        store_json(row, "rota", rota)
        row.base_version_id, row.updated_by, row.updated_at = latest.id, actor, utcnow()
        transition(db, job.id, [JobStatus.FINISHED], outcome=outcome.model_dump(mode="json"))
        _remember_absences(db, community, params, stored_scenario(job))
        audit(
            db, actor, "repair.accept", job.week_start.isoformat(), community_id=community.id, job_id=job.id,
            version=latest.version,
            changes=outcome.change_count, proven_minimal=outcome.proven_minimal,
        )
    return row


def _remember_absences(db: Session, community: Community, params: RepairParams, repaired: Scenario) -> None:
    """Keep the drop-out on the person's record too, so that solving the week again later respects it.

    The repaired scenario holds the absences the repair added; those the person's row lacks are appended.
    """
    for person_id in dict.fromkeys(u.person for u in params.unavailable):
        row = db.scalars(
            select(PersonRow).where(PersonRow.community_id == community.id, PersonRow.key == person_id)
        ).first()
        if row is None:
            continue
        kept = [Absence.model_validate(item) for item in row.absences]
        added = [a for a in repaired.person(person_id).absences if a not in kept]
        if added:
            row.absences = [*row.absences, *(a.model_dump(mode="json", by_alias=True) for a in added)]


"""Changes after publishing: repair after a drop-out, swaps between volunteers, and the week's audit list.

No HTTP here: the pages and the JSON API (`web.routers.changes`) call these functions.

Repair. The coordinator marks a person unavailable in a published week; `start_repair` stores a job of kind
'repair' (`SolveJob.kind`, migration 0003) holding the latest version's scenario snapshot and, in `params`, the
version repaired, the unavailabilities and `now`. The job runner calls `run_repair` (from `web.jobs.run_job`)
outside the request: it runs `scheduler.repair.repair`, writes progress like a solve, and stores the repaired rota
in `rota`, the scenario *with the new absences* in `scenario` (so the rota is valid for it) and the changes in
`outcome`. `accept_repair` makes that rota the week's draft (based on the version repaired, refused when a newer
version was published since), optionally publishing it at once.

Swaps. A volunteer at their secret link offers one of their coming published shifts (`offer_shift`); another
volunteer, eligible for it (same role, and the validator finds no new hard-rule violation when the shift is
handed over), accepts it (`accept_offer`); the coordinator approves (`approve_swap`): the hand-over is checked
again against the latest version, and either becomes a new published version (the old one stays) or is refused
with its reason. The week's draft, when it still holds the shift, gets the same hand-over, so publishing the
draft later does not undo the swap.

Every change is one transaction with an audit entry whose target is the week's first day, which is what
`week_audit` lists on the rota page.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from scheduler.check import check
from scheduler.domain.diff import RotaChanges
from scheduler.domain.people import Absence
from scheduler.domain.rota import Assignment, Rota, SolveStatus, Violation
from scheduler.domain.scenario import Scenario
from scheduler.solve.repair import RepairProgress, RepairResult, RepairSettings, Unavailability, repair
from web import rotas
from web.catalog import Message
from web.i18n import MESSAGES, Translator
from web.jobs import ProgressWriter, transition
from web.rotas import AssignmentRef, MoveAdjustment, PublishedRota, RotaProblem
from web.store import audit, transaction
from web.tables import (
    UNFINISHED,
    AuditEntry,
    Community,
    JobStatus,
    PersonRow,
    RotaDraft,
    RotaVersion,
    SolveJob,
    SwapRequest,
    SwapStatus,
    utcnow,
)

REPAIR_KIND = "repair"
OPEN_SWAPS = (SwapStatus.OFFERED.value, SwapStatus.ACCEPTED.value)
AUDIT_PREFIXES = ("rota.", "repair.", "swap.")
AUDIT_LIMIT = 100

# ------------------------------------------------------------------------------------------------ errors


class ChangeProblem(Exception):
    """A request that cannot be carried out: `key` names its message (web/messages/changes.py or rota.py),
    `field` the form or body field concerned ('' for the request as a whole)."""

    def __init__(self, key: str, field: str = "", status: int = 422, **values: str | Message) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.status = status
        self.values = values

    def text(self, t: Translator) -> str:
        """The message in the reader's language (a value given in both languages is picked too)."""
        values = {
            name: (value.zh if t.lang == "zh" else value.en) if isinstance(value, Message) else value
            for name, value in self.values.items()
        }
        return t(self.key, **values)

    @classmethod
    def of(cls, problem: RotaProblem, field: str = "") -> ChangeProblem:
        return cls(f"rota.problem.{problem.code}", field or problem.field, problem.status, **problem.values)


# ------------------------------------------------------------------------------------------------ repair


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
    latest = rotas.latest_version(db, community.id, week)
    if latest is None:
        raise ChangeProblem("changes.problem.not_published", status=409)
    item = unavailability_of(request, latest.scenario)
    moment = now or dt.datetime.now(latest.scenario.zone)
    params = RepairParams(version_id=latest.id, version=latest.version, unavailable=[item], now=moment)
    with transaction(db):
        job = SolveJob(
            community_id=community.id, week_start=week, days=latest.rota.days, status=JobStatus.QUEUED.value,
            scenario=latest.scenario.model_dump(mode="json", by_alias=True), time_limit=time_limit,
            workers=workers, created_by=actor, kind=REPAIR_KIND, params=params.model_dump(mode="json"),
        )
        db.add(job)
        db.flush()
        audit(
            db, actor, "repair.start", week.isoformat(), job_id=job.id, version=latest.version,
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
    params = RepairParams.model_validate(job.params)
    outcome = None
    stage = None
    if job.outcome is not None and "changes" in job.outcome:
        outcome = RepairOutcome.model_validate(job.outcome)
    elif job.outcome is not None:
        stage = str(job.outcome.get("stage", "")) or None
    rota = Rota.model_validate(job.rota) if job.rota is not None else None
    return RepairView(job, params, Scenario.model_validate(job.scenario), rota, outcome, stage)


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
        scenario, published = Scenario.model_validate(scenario_data), Rota.model_validate(published_data)
        result = repair(scenario, published, params.unavailable, settings, params.now, on_progress)
    except Exception as error:  # the job records any failure; the process must not die silently
        with sessions.begin() as db:
            transition(
                db, job_id, [JobStatus.RUNNING], status=JobStatus.FAILED.value, finished_at=utcnow(),
                error=f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=5)}",
            )
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
    with sessions.begin() as db:
        transition(
            db, job_id, [JobStatus.RUNNING],
            status=JobStatus.FINISHED.value, finished_at=utcnow(), result_status=result.status.value,
            elapsed=result.stats.wall_time, objective=result.objective, bound=result.bound,
            scenario=result.scenario.model_dump(mode="json", by_alias=True), outcome=outcome,
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
    latest = rotas.latest_version(db, community.id, job.week_start)
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
            version = rotas.publish(db, community, job.week_start, actor, note=note)
        except RotaProblem as problem:
            raise ChangeProblem.of(problem) from None
    return Accepted(row, version)


def _replace_draft(
    db: Session, community: Community, job: SolveJob, rota: Rota, params: RepairParams, latest: PublishedRota,
    outcome: RepairOutcome, actor: str, revision: int | None,
) -> RotaDraft:
    """The repaired rota as the week's draft, the job marked accepted, the absences remembered: one transaction."""
    with rotas.saving_draft(db):
        row, _ = rotas.week_draft(db, community, job.week_start, revision)
        row.days, row.rota, row.scenario, row.job_id = job.days, rota.model_dump(mode="json"), job.scenario, job.id
        row.base_version_id, row.updated_by, row.updated_at = latest.id, actor, utcnow()
        transition(db, job.id, [JobStatus.FINISHED], outcome=outcome.model_dump(mode="json"))
        _remember_absences(db, community, params, Scenario.model_validate(job.scenario))
        audit(
            db, actor, "repair.accept", job.week_start.isoformat(), job_id=job.id, version=latest.version,
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
        stored = [Absence.model_validate(item) for item in row.absences]
        added = [a for a in repaired.person(person_id).absences if a not in stored]
        if added:
            row.absences = [*row.absences, *(a.model_dump(mode="json", by_alias=True) for a in added)]


# ------------------------------------------------------------------------------------------------- swaps


@dataclass(frozen=True)
class ShiftRef:
    """One assignment of a published week, as a swap refers to it."""

    week: dt.date
    assignment: Assignment


@dataclass(frozen=True)
class OwnShift:
    """A coming shift of the volunteer, and their open offer of it, if any."""

    week: dt.date
    assignment: Assignment
    offer: SwapRequest | None


@dataclass(frozen=True)
class OpenOffer:
    """Another volunteer's offered shift that this volunteer may take."""

    swap: SwapRequest
    week: dt.date
    assignment: Assignment
    giver: str
    """The giver's name."""


@dataclass(frozen=True)
class SwapLine:
    """A swap request as the coordinator's list shows it."""

    swap: SwapRequest
    week: dt.date
    giver: str
    taker: str | None
    assignment: Assignment | None
    """The shift in the latest version (None when it changed since the offer)."""


@dataclass(frozen=True)
class Handover:
    """The latest version with one shift handed over, and what the validator says about it."""

    latest: PublishedRota
    rota: Rota
    scenario: Scenario
    new_violations: list[Violation]


def _week_of(db: Session, swap: SwapRequest) -> dt.date:
    version = db.get(RotaVersion, swap.version_id)
    assert version is not None, "a swap's version is deleted with it"
    return version.week_start


def offer_matches(a: Assignment, swap: SwapRequest, person: str) -> bool:
    """Whether `a` is the offered shift held by `person` (a team duty has no shift: stored as '')."""
    return (a.person, a.date, a.post, a.duty, a.shift or "", a.role) == (
        person, swap.date, swap.post, swap.duty, swap.shift or "", swap.role
    )


def _person_key(db: Session, person_id: int | None) -> PersonRow | None:
    return db.get(PersonRow, person_id) if person_id is not None else None


def _current(
    db: Session, swap: SwapRequest, weeks: dict[dt.date, PublishedRota | None] | None = None
) -> tuple[PublishedRota, Assignment] | None:
    """The week's latest version and the offered shift in it (None when the shift changed since the offer).

    `weeks` keeps the latest versions already read, for a page listing many swaps.
    """
    giver = _person_key(db, swap.from_person_id)
    week = _week_of(db, swap)
    weeks = weeks if weeks is not None else {}
    if week not in weeks:
        weeks[week] = rotas.latest_version(db, swap.community_id, week)
    latest = weeks[week]
    if giver is None or latest is None:
        return None
    found = next((a for a in latest.rota.assignments if offer_matches(a, swap, giver.key)), None)
    return (latest, found) if found is not None else None


def published_weeks(db: Session, community: Community, today: dt.date) -> list[PublishedRota]:
    """The latest version of every published week not over yet, earliest week first."""
    found = []
    for summary in reversed(rotas.weeks(db, community.id)):
        if not summary.versions:
            continue
        latest = rotas.latest_version(db, community.id, summary.week_start)
        if latest is not None and latest.rota.start + dt.timedelta(days=latest.rota.days) >= today:
            found.append(latest)
    return found


def coming_shifts(db: Session, community: Community, person: PersonRow, now: dt.datetime) -> list[OwnShift]:
    """The volunteer's published shifts that have not started, with their open offer of each."""
    offers = list(db.scalars(select(SwapRequest).where(
        SwapRequest.community_id == community.id, SwapRequest.from_person_id == person.id,
        SwapRequest.status.in_(OPEN_SWAPS),
    )))
    shifts = []
    for latest in published_weeks(db, community, now.date()):
        for a in latest.rota.assignments:
            if a.person == person.key and a.start > now:
                offer = next((s for s in offers if offer_matches(a, s, person.key)), None)
                shifts.append(OwnShift(latest.week_start, a, offer))
    return shifts


def my_requests(db: Session, community: Community, person: PersonRow) -> list[SwapRequest]:
    """Swaps the volunteer offered or took, newest first."""
    query = select(SwapRequest).where(
        SwapRequest.community_id == community.id,
        (SwapRequest.from_person_id == person.id) | (SwapRequest.to_person_id == person.id),
    )
    return list(db.scalars(query.order_by(SwapRequest.id.desc()).limit(50)))


def offer_shift(
    db: Session, community: Community, person: PersonRow, week: dt.date, ref: AssignmentRef, now: dt.datetime,
) -> SwapRequest:
    """Offer one of the volunteer's own coming shifts; raises ChangeProblem (someone else's shift, started,
    pinned, already offered)."""
    latest = rotas.latest_version(db, community.id, week)
    found = None
    if latest is not None and ref.person == person.key:
        found = next(
            (a for a in latest.rota.assignments
             if (a.person, a.place, a.shift, a.date) == (person.key, ref.place, ref.shift or None, ref.date)),
            None,
        )
    if latest is None or found is None:
        raise ChangeProblem("changes.problem.not_your_shift", status=404)
    if found.start <= now:
        raise ChangeProblem("changes.problem.started", status=409)
    if found.pinned:
        raise ChangeProblem("changes.problem.pinned", status=409)
    existing = [s for s in _open_of(db, community, person) if offer_matches(found, s, person.key)]
    if existing:
        raise ChangeProblem("changes.problem.already_offered", status=409)
    with transaction(db):
        swap = SwapRequest(
            community_id=community.id, version_id=latest.id, date=found.date, post=found.post, duty=found.duty,
            shift=found.shift or "", role=found.role, from_person_id=person.id, status=SwapStatus.OFFERED.value,
        )
        db.add(swap)
        db.flush()
        audit(db, f"person:{person.key}", "swap.offer", week.isoformat(), swap_id=swap.id,
              **_swap_details(found, person.name, None))
    return swap


def _open_of(db: Session, community: Community, person: PersonRow) -> list[SwapRequest]:
    return list(db.scalars(select(SwapRequest).where(
        SwapRequest.community_id == community.id, SwapRequest.from_person_id == person.id,
        SwapRequest.status.in_(OPEN_SWAPS),
    )))


def _swap_details(a: Assignment, giver: str, taker: str | None) -> dict[str, Any]:
    return {"date": a.date.isoformat(), "place": a.place, "shift": a.shift, "role": a.role, "giver": giver,
            "taker": taker}


Baseline = set[tuple[str, str]]
"""The (rule, message) of every violation a version already has: a hand-over is judged by what it adds."""


def baseline_of(latest: PublishedRota) -> Baseline:
    return {(v.rule, v.message) for v in check(latest.scenario, latest.rota).violations}


def handover(latest: PublishedRota, a: Assignment, taker: str, baseline: Baseline | None = None) -> Handover:
    """The latest version with `a` handed to `taker` (same slot, role and break starts), checked by the validator.

    Raises ChangeProblem when the hand-over cannot be made at all (the taker lacks the role, is on that shift
    already, the shift is pinned...). `new_violations` are the hard rules broken that the version did not break.
    """
    person = next((p for p in latest.scenario.people if p.id == taker), None)
    if person is None or not person.active:
        raise ChangeProblem("changes.problem.not_in_week", "to_person", status=409)
    if a.role not in person.roles:
        role = next((r for r in latest.scenario.roles if r.id == a.role), None)
        role_name = Message(role.name.text("en"), role.name.text("zh")) if role else a.role
        raise ChangeProblem("changes.problem.lacks_role", "to_person", 409, name=person.name, role=role_name)
    move = MoveAdjustment(
        kind="move", assignment=AssignmentRef(place=a.place, shift=a.shift, date=a.date, person=a.person),
        to_person=taker,
    )
    try:
        scenario, rota = rotas.apply_adjustment(latest.scenario, latest.rota, move)
    except RotaProblem as problem:
        raise ChangeProblem.of(problem, "to_person") from None
    before = baseline if baseline is not None else baseline_of(latest)
    result = check(scenario, rota)
    new = [v for v in result.violations if (v.rule, v.message) not in before]
    status = SolveStatus.FEASIBLE if result.ok else SolveStatus.INVALID
    rota = rota.model_copy(update={"status": status, "objective": result.objective, "penalties": result.penalties})
    return Handover(latest, rota, scenario, new)


TakeKey = tuple[str, int, str, str | None, dt.date, str, str, str]
"""(database, version id, place, shift, date, giver, role, taker): one hand-over judged against one version."""
_takeable: rotas.RecentlyUsed[TakeKey, bool] = rotas.RecentlyUsed(4096)
"""Whether a volunteer may take an offered shift: published versions never change, so the answer for a version
stays true; kept so that reloading the swaps page does not check every offer again (a whole-rota check each)."""
_baselines: rotas.RecentlyUsed[tuple[str, int], Baseline] = rotas.RecentlyUsed(16)


def _may_take(db: Session, latest: PublishedRota, a: Assignment, taker: str) -> bool:
    database = db.get_bind().engine.url.render_as_string(hide_password=True)
    key = (database, latest.id, a.place, a.shift, a.date, a.person, a.role, taker)
    known = _takeable.get(key)
    if known is not None:
        return known
    baseline = _baselines.get((database, latest.id))
    if baseline is None:
        baseline = baseline_of(latest)
        _baselines.put((database, latest.id), baseline)
    try:
        takeable = not handover(latest, a, taker, baseline).new_violations
    except ChangeProblem:
        takeable = False
    _takeable.put(key, takeable)
    return takeable


def open_offers(db: Session, community: Community, person: PersonRow, now: dt.datetime) -> list[OpenOffer]:
    """Others' offers, still current and not started, that the volunteer may take without breaking a hard rule."""
    query = select(SwapRequest).where(
        SwapRequest.community_id == community.id, SwapRequest.status == SwapStatus.OFFERED.value,
        SwapRequest.from_person_id != person.id,
    )
    offers = []
    weeks: dict[dt.date, PublishedRota | None] = {}
    for swap in db.scalars(query.order_by(SwapRequest.date, SwapRequest.id)):
        current = _current(db, swap, weeks)
        if current is None or current[1].start <= now:
            continue
        latest, a = current
        if not _may_take(db, latest, a, person.key):
            continue
        giver = latest.scenario.person(a.person).name
        offers.append(OpenOffer(swap, latest.week_start, a, giver))
    return offers


def _swap_or_problem(db: Session, community: Community, swap_id: int) -> SwapRequest:
    swap = db.get(SwapRequest, swap_id)
    if swap is None or swap.community_id != community.id:
        raise ChangeProblem("changes.problem.no_swap", status=404)
    return swap


def accept_offer(
    db: Session, community: Community, person: PersonRow, swap_id: int, now: dt.datetime,
) -> SwapRequest:
    """Take another volunteer's offered shift (the coordinator approves later); raises ChangeProblem with the
    reason when the volunteer may not take it."""
    swap = _swap_or_problem(db, community, swap_id)
    if swap.from_person_id == person.id:
        raise ChangeProblem("changes.problem.own_offer", status=409)
    if swap.status != SwapStatus.OFFERED.value:
        raise ChangeProblem("changes.problem.not_open", status=409)
    current = _current(db, swap)
    if current is None or current[1].start <= now:
        raise ChangeProblem("changes.problem.stale_swap", status=409)
    latest, a = current
    outcome = handover(latest, a, person.key)
    if outcome.new_violations:
        raise ChangeProblem("changes.problem.breaks_rules", status=409,
                            reasons="; ".join(v.message for v in outcome.new_violations))
    with transaction(db):
        swap.status, swap.to_person_id, swap.updated_at = SwapStatus.ACCEPTED.value, person.id, utcnow()
        audit(db, f"person:{person.key}", "swap.accept", latest.week_start.isoformat(), swap_id=swap.id,
              **_swap_details(a, latest.scenario.person(a.person).name, person.name))
    return swap


def withdraw_offer(db: Session, community: Community, person: PersonRow, swap_id: int) -> SwapRequest:
    """The giver withdraws their open offer (also once accepted, until the coordinator decides)."""
    swap = _swap_or_problem(db, community, swap_id)
    if swap.from_person_id != person.id:
        raise ChangeProblem("changes.problem.no_swap", status=404)
    if swap.status not in OPEN_SWAPS:
        raise ChangeProblem("changes.problem.not_open", status=409)
    with transaction(db):
        swap.status, swap.updated_at = SwapStatus.WITHDRAWN.value, utcnow()
        audit(db, f"person:{person.key}", "swap.withdraw", _week_of(db, swap).isoformat(), swap_id=swap.id,
              giver=person.name, date=swap.date.isoformat(), place=swap.post or swap.duty, shift=swap.shift or None)
    return swap


def swap_lines(db: Session, community: Community, *, pending: bool) -> list[SwapLine]:
    """Open swaps (pending=True: offered or awaiting approval) or decided ones (the latest 30)."""
    query = select(SwapRequest).where(SwapRequest.community_id == community.id)
    if pending:
        query = query.where(SwapRequest.status.in_(OPEN_SWAPS)).order_by(SwapRequest.date, SwapRequest.id)
    else:
        query = query.where(SwapRequest.status.not_in(OPEN_SWAPS)).order_by(SwapRequest.updated_at.desc()).limit(30)
    lines = []
    weeks: dict[dt.date, PublishedRota | None] = {}
    for swap in db.scalars(query):
        giver, taker = _person_key(db, swap.from_person_id), _person_key(db, swap.to_person_id)
        current = _current(db, swap, weeks) if pending else None
        lines.append(SwapLine(
            swap, _week_of(db, swap), giver.name if giver else "?", taker.name if taker else None,
            current[1] if current is not None else None,
        ))
    return lines


@dataclass(frozen=True)
class Decision:
    """What the coordinator's approval did: a new version, or a refusal with its reasons."""

    swap: SwapRequest
    version: RotaVersion | None
    reasons: list[str]
    problem: ChangeProblem | None = None


def approve_swap(
    db: Session, community: Community, swap_id: int, actor: str, t: Translator, now: dt.datetime | None = None,
) -> Decision:
    """Check the accepted swap against the latest version; publish it as the next version, or refuse it with
    its reason (the swap is then marked refused). Raises ChangeProblem for a swap not awaiting approval."""
    now = now or dt.datetime.now(dt.UTC)
    swap = _swap_or_problem(db, community, swap_id)
    if swap.status != SwapStatus.ACCEPTED.value or swap.to_person_id is None:
        raise ChangeProblem("changes.problem.not_accepted", status=409)
    taker = _person_key(db, swap.to_person_id)
    current = _current(db, swap)
    if current is None or taker is None:
        problem = ChangeProblem("changes.problem.stale_swap", status=409)
        return _refuse(db, swap, actor, [problem.text(t)], problem)
    latest, a = current
    if a.start <= now:
        problem = ChangeProblem("changes.problem.started", status=409)
        return _refuse(db, swap, actor, [problem.text(t)], problem)
    try:
        outcome = handover(latest, a, taker.key)
    except ChangeProblem as problem:
        return _refuse(db, swap, actor, [problem.text(t)], problem)
    if outcome.new_violations:
        return _refuse(db, swap, actor, [v.message for v in outcome.new_violations], None)
    version = _publish_swap(db, community, swap, outcome, a, taker, actor)
    return Decision(swap, version, [])


def _refuse(
    db: Session, swap: SwapRequest, actor: str, reasons: list[str], problem: ChangeProblem | None
) -> Decision:
    """Mark the swap refused with its reasons (the validator's words, or the problem in the coordinator's language)."""
    reason = "; ".join(reasons)
    with transaction(db):
        swap.status, swap.decided_by, swap.updated_at = SwapStatus.REFUSED.value, actor, utcnow()
        swap.reason = reason or None
        audit(db, actor, "swap.refuse", _week_of(db, swap).isoformat(), swap_id=swap.id, reasons=reasons,
              problem=problem.key if problem else None, date=swap.date.isoformat(), place=swap.post or swap.duty)
    return Decision(swap, None, reasons, problem)


def refuse_swap(db: Session, community: Community, swap_id: int, actor: str, reason: str) -> SwapRequest:
    """The coordinator refuses an open swap, with an optional reason of their own."""
    swap = _swap_or_problem(db, community, swap_id)
    if swap.status not in OPEN_SWAPS:
        raise ChangeProblem("changes.problem.not_open", status=409)
    with transaction(db):
        swap.status, swap.decided_by, swap.updated_at = SwapStatus.REFUSED.value, actor, utcnow()
        swap.reason = reason or None
        audit(db, actor, "swap.refuse", _week_of(db, swap).isoformat(), swap_id=swap.id, reasons=[reason],
              date=swap.date.isoformat(), place=swap.post or swap.duty)
    return swap


def _publish_swap(
    db: Session, community: Community, swap: SwapRequest, outcome: Handover, a: Assignment, taker: PersonRow,
    actor: str,
) -> RotaVersion:
    """The hand-over as the week's next version, the draft brought along, the swap approved: one transaction."""
    latest = outcome.latest
    giver = latest.scenario.person(a.person).name
    try:
        with transaction(db):
            number = (db.scalar(select(func.max(RotaVersion.version)).where(
                RotaVersion.community_id == community.id, RotaVersion.week_start == latest.week_start)) or 0) + 1
            version = RotaVersion(
                community_id=community.id, week_start=latest.week_start, days=latest.rota.days, version=number,
                rota=outcome.rota.model_dump(mode="json", by_alias=True),
                scenario=outcome.scenario.model_dump(mode="json", by_alias=True),
                note=f"swap #{swap.id}: {giver} → {taker.name}", published_by=actor, published_at=utcnow(),
            )
            db.add(version)
            db.flush()
            _bring_draft_along(db, community, latest, version, a, taker.key)
            swap.status, swap.decided_by, swap.updated_at = SwapStatus.APPROVED.value, actor, utcnow()
            swap.reason = None
            details = _swap_details(a, giver, taker.name)
            audit(db, actor, "swap.approve", latest.week_start.isoformat(), swap_id=swap.id, version=number,
                  **details)
            audit(db, actor, "rota.publish", latest.week_start.isoformat(), version=number, swap_id=swap.id,
                  violations=0, objective=outcome.rota.objective)
    except (IntegrityError, StaleDataError):  # another publication, or a save of the draft, at the same moment
        raise ChangeProblem("rota.problem.publish_race", status=409) from None
    return version


def _bring_draft_along(
    db: Session, community: Community, latest: PublishedRota, version: RotaVersion, a: Assignment, taker: str
) -> None:
    """The week's draft gets the same hand-over when it still holds the shift (else it is left as it is: its
    changes view then shows the swap as undone, for the coordinator to see before publishing)."""
    row = rotas.draft_row(db, community, latest.week_start)
    if row is None:
        return
    draft = rotas.load_draft(row)
    move = MoveAdjustment(
        kind="move", assignment=AssignmentRef(place=a.place, shift=a.shift, date=a.date, person=a.person),
        to_person=taker,
    )
    try:
        scenario, rota = rotas.apply_adjustment(draft.scenario, draft.rota, move)
    except RotaProblem:
        return
    result = check(scenario, rota)
    status = SolveStatus.FEASIBLE if result.ok else SolveStatus.INVALID
    rota = rota.model_copy(update={"status": status, "objective": result.objective, "penalties": result.penalties})
    row.rota = rota.model_dump(mode="json", by_alias=True)
    row.base_version_id = version.id
    row.updated_at = utcnow()


# ------------------------------------------------------------------------------------------------- audit


@dataclass(frozen=True)
class AuditLine:
    """One entry of the week's audit list."""

    at: dt.datetime
    actor: str
    action: str
    details: dict[str, Any]


def week_audit(db: Session, week: dt.date, limit: int = AUDIT_LIMIT) -> list[AuditLine]:
    """Who changed what and when for the week (drafts, adjustments, publications, repairs, swaps), newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.target == week.isoformat())
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        AuditLine(_utc(entry.at), entry.actor or "—", entry.action, dict(entry.details or {}))
        for entry in db.scalars(query) if entry.action.startswith(AUDIT_PREFIXES)
    ]


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class AuditRow:
    """An audit entry as the rota page lists it, in the reader's language."""

    at: dt.datetime
    actor: str
    text: str


def audit_text(line: AuditLine, t: Translator) -> str:
    """What an entry did, in words (missing details shown as '?', unknown actions by their name)."""
    key = f"changes.audit.{line.action}"
    if key not in MESSAGES:
        return line.action
    message = MESSAGES[key]
    values: dict[str, Any] = dict.fromkeys(("version", "name", "changes", "giver", "taker"), "?")
    values.update({name: value for name, value in line.details.items() if value is not None})
    return (message.zh if t.lang == "zh" else message.en).format_map(values)


def audit_rows(db: Session, week: dt.date, t: Translator) -> list[AuditRow]:
    """The week's audit list for the rota page; volunteers (acting at their link) are named as such."""
    rows = []
    for line in week_audit(db, week):
        actor = line.actor
        if actor.startswith("person:"):
            actor = f"{t('changes.audit.volunteer')} {actor.removeprefix('person:')}"
        rows.append(AuditRow(line.at, actor, audit_text(line, t)))
    return rows

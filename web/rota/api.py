"""JSON API of drafts, adjustments and published versions (documented at /docs).

Errors: 401 not logged in; 404 no such week draft, job or version (`detail` says which); 409 a change that needs
confirmation (adjustment adding violations, publishing a draft with violations) or a publishing race; 415 a write
that is not JSON; 422 an invalid body, with `detail` a list of problems whose `loc` names the field path
(e.g. `["body", "adjustment", "to_person"]`).
"""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from scheduler import Penalty, Rota, RotaChanges, Violation
from web.dates import WEEK_PROBLEM, parse_day
from web.deps import ApiEditor, ApiViewer, CurrentCommunity, DbSession, FeedWarmer, JsonOnly
from web.i18n import Translator
from web.rota import drafts
from web.rota import service as rotas
from web.rota.adjust import Adjustment, RotaProblem
from web.rota.service import CheckedRota
from web.tables import Community, RotaVersion, SolveJob
from web.validation import JSON_INT_MAX, DbId, WeekStart

router = APIRouter(prefix="/api/rota", tags=["rota"])
_EN = Translator("en")


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong.")


class CheckOut(BaseModel):
    """The validator's verdict on a rota."""

    has_violations: bool = Field(description="True when the rota breaks a hard rule (saved with a warning).")
    violations: list[Violation] = Field(description="Broken hard rules.")
    penalties: list[Penalty] = Field(description="Soft-rule costs.")
    objective: float = Field(description="Sum of the costs, recomputed by the checker.")


class DraftOut(BaseModel):
    """The week's working draft."""

    week_start: dt.date = Field(description="First day of the week.")
    job_id: int | None = Field(description="The solve the draft came from.")
    updated_by: str | None = Field(description="Who changed it last.")
    rota: Rota = Field(description="The draft rota.")
    check: CheckOut = Field(description="The validator's verdict.")
    changes: RotaChanges | None = Field(
        description="Changes against the latest published version (none when nothing is published)."
    )
    latest_version: int | None = Field(description="Number of the latest published version, if any.")
    revision: int = Field(
        description="Counts the draft's saved changes; send it back with a change to have it refused (409) if "
        "the draft changed meanwhile."
    )


class DraftIn(BaseModel):
    """Make a finished solve's rota the week's draft (replacing the current draft)."""

    job_id: int = Field(ge=1, le=JSON_INT_MAX, description="A finished solve of this week with a complete rota.")
    revision: int | None = Field(
        default=None, ge=0, le=JSON_INT_MAX,
        description="The draft revision this is based on (`revision` of GET /api/rota/{week}/draft; 0 when the week "
        "had no draft). When given and the draft has changed since, nothing is done: 409.",
    )


class AdjustIn(BaseModel):
    """One hand change to the draft."""

    adjustment: Adjustment = Field(description="The change; `kind` is pin, unpin, move, remove, add or swap.")
    confirm: bool = Field(default=False, description="Save even when the change breaks hard rules.")
    revision: int | None = Field(
        default=None, ge=0, le=JSON_INT_MAX,
        description="The draft revision this is based on (`revision` of GET /api/rota/{week}/draft; 0 when the week "
        "had no draft). When given and the draft has changed since, nothing is done: 409.",
    )


class AdjustOut(BaseModel):
    """The result of an adjustment (saved), or what it would break (409, not saved)."""

    saved: bool = Field(description="Whether the draft was changed.")
    new_violations: list[Violation] = Field(description="Hard-rule violations the change introduces.")
    rota: Rota = Field(description="The rota after the change (as saved, or as it would be).")
    check: CheckOut = Field(description="The validator's verdict on that rota.")


class PublishIn(BaseModel):
    """Publish the draft as the week's next version."""

    note: str | None = Field(default=None, max_length=500, description="A note shown with the version.")
    confirm: bool = Field(default=False, description="Publish even when the draft breaks hard rules.")
    revision: int | None = Field(
        default=None, ge=0, le=JSON_INT_MAX,
        description="The draft revision this is based on (`revision` of GET /api/rota/{week}/draft; 0 when the week "
        "had no draft). When given and the draft has changed since, nothing is done: 409.",
    )


class VersionSummary(BaseModel):
    version: int = Field(description="1, 2, ... per week.")
    published_by: str = Field(description="Coordinator who published it.")
    published_at: dt.datetime = Field(description="When.")
    note: str | None = Field(description="Note given when publishing.")


class VersionList(BaseModel):
    versions: list[VersionSummary] = Field(description="Newest first.")


class VersionOut(VersionSummary):
    """A published version, immutable, with its difference to the previous version."""

    week_start: dt.date = Field(description="First day of the week.")
    rota: Rota = Field(description="The published rota.")
    check: CheckOut = Field(description="The validator's verdict against the version's scenario snapshot.")
    changes: RotaChanges | None = Field(description="Changes against version n - 1 (none for version 1).")


_COMMON: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "Not logged in."},
    404: {"model": ErrorOut, "description": "No such week draft, solve or version."},
}
_WRITES: dict[int | str, dict[str, object]] = {
    **_COMMON,
    409: {"description": "Needs confirmation (violations) or a publishing race."},
    415: {"model": ErrorOut, "description": "The body is not JSON."},
    422: {"description": "Invalid body; `detail` lists problems with their field path in `loc`."},
}


def _week(value: str) -> dt.date:
    day = parse_day(value)
    if day is None:
        problem = {"loc": ["path", "week_start"], "msg": WEEK_PROBLEM, "type": "value_error"}
        raise HTTPException(422, [problem])
    return day


def _raise(problem: RotaProblem, body_field: str = "") -> NoReturn:
    """A RotaProblem as an HTTP error: 422 with the field path, or 404/409 with the message."""
    message = _EN(f"rota.problem.{problem.code}", **problem.values)
    if problem.status == 422:
        location = ["body", *(part for part in (body_field, *problem.field.split(".")) if part)]
        raise HTTPException(422, [{"loc": location, "msg": message, "type": "value_error"}])
    raise HTTPException(problem.status, message)


def _check(checked: CheckedRota) -> CheckOut:
    result = checked.result
    return CheckOut(
        has_violations=checked.has_violations, violations=result.violations, penalties=result.penalties,
        objective=result.objective,
    )


def _draft_out(db: DbSession, community: Community, week: dt.date) -> DraftOut:
    row = drafts.draft_row(db, community, week)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this week has no draft")
    checked = drafts.load_draft(row)
    latest = rotas.versions(db, community.id, week)
    return DraftOut(
        week_start=week, job_id=row.job_id, updated_by=row.updated_by, rota=checked.rota, check=_check(checked),
        changes=rotas.draft_changes(db, row), latest_version=latest[0].version if latest else None,
        revision=row.revision,
    )


@router.get("/{week_start}/draft", response_model=DraftOut, responses=_COMMON)
def get_draft(week_start: WeekStart, db: DbSession, user: ApiViewer, community: CurrentCommunity) -> DraftOut:
    return _draft_out(db, community, _week(week_start))


@router.post("/{week_start}/draft", response_model=DraftOut, status_code=201, responses=_WRITES)
def create_draft(
    week_start: WeekStart, body: DraftIn, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly
) -> DraftOut:
    week = _week(week_start)
    job = db.get(SolveJob, body.job_id)
    if job is None or job.community_id != community.id or job.week_start != week:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such solve for this week")
    try:
        drafts.draft_from_job(db, community, job, user.username, revision=body.revision)
    except RotaProblem as problem:
        _raise(problem)
    return _draft_out(db, community, week)


@router.post(
    "/{week_start}/adjustments", response_model=AdjustOut,
    responses={**_WRITES, 409: {"model": AdjustOut, "description": "The change breaks hard rules; not saved. "
                                 "Send it again with `confirm: true` to save it with a warning."}},
)
def post_adjustment(
    week_start: WeekStart, body: AdjustIn, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly
) -> AdjustOut | JSONResponse:
    week = _week(week_start)
    try:
        outcome = drafts.adjust(
            db, community, week, body.adjustment, user.username, confirm=body.confirm, revision=body.revision
        )
    except RotaProblem as problem:
        if problem.code == "no_draft":
            raise HTTPException(status.HTTP_404_NOT_FOUND, "this week has no draft") from None
        _raise(problem, "adjustment")
    result = AdjustOut(
        saved=outcome.saved, new_violations=outcome.new_violations, rota=outcome.checked.rota,
        check=_check(outcome.checked),
    )
    if not outcome.saved:
        return JSONResponse(result.model_dump(mode="json"), status_code=status.HTTP_409_CONFLICT)
    return result


@router.post("/{week_start}/publish", response_model=VersionOut, status_code=201, responses=_WRITES)
def publish_draft(
    week_start: WeekStart, body: PublishIn, db: DbSession, user: ApiEditor, community: CurrentCommunity,
    _json: JsonOnly, warm: FeedWarmer,
) -> VersionOut:
    week = _week(week_start)
    try:
        row = drafts.publish(
            db, community, week, user.username, note=body.note, confirm=body.confirm, revision=body.revision
        )
    except RotaProblem as problem:
        _raise(problem)
    warm(community.id)
    return _version_out(db, row)


@router.get("/{week_start}/versions", response_model=VersionList, responses=_COMMON)
def list_versions(week_start: WeekStart, db: DbSession, user: ApiViewer, community: CurrentCommunity) -> VersionList:
    rows = rotas.versions(db, community.id, _week(week_start))
    return VersionList(versions=[
        VersionSummary(version=r.version, published_by=r.published_by, published_at=r.published_at, note=r.note)
        for r in rows
    ])


@router.get("/{week_start}/versions/{number}", response_model=VersionOut, responses=_COMMON)
def get_version(
    week_start: WeekStart, number: DbId, db: DbSession, user: ApiViewer, community: CurrentCommunity
) -> VersionOut:
    row = rotas.version_row(db, community.id, _week(week_start), number)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such version")
    return _version_out(db, row)


def _version_out(db: DbSession, row: RotaVersion) -> VersionOut:
    version = rotas.published(row)
    return VersionOut(
        version=version.version, published_by=version.published_by, published_at=version.published_at,
        note=version.note, week_start=version.week_start, rota=version.rota,
        check=_check(rotas.checked(version.scenario, version.rota)), changes=rotas.version_changes(db, row),
    )

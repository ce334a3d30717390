"""People from a spreadsheet (CSV, XLSX) with a downloadable template.

Upload -> every row checked (web.people.spreadsheet) -> problems by row and column, or a preview (who is new, who is
updated) -> confirm -> one transaction, one audit entry. The preview carries the file's cells to the confirmation
in a hidden field signed with the app's secret (bound to the coordinator, valid for an hour); the confirmation
validates them again against the people on file then, so nothing the browser sends is trusted as validated.
The JSON API does the same in one request, with `dry_run` for the check alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import UploadFile as StarletteUpload

from web.deps import ApiEditor, AppSettings, CsrfChecked, CurrentCommunity, DbSession, Editor, T, Viewer
from web.downloads import content_disposition
from web.i18n import Translator
from web.people import import_plan, spreadsheet
from web.people.import_plan import ImportPlan
from web.people.service import plan_import, write_import
from web.people.spreadsheet import Problem, SheetTable
from web.rendering import flash, render
from web.settings import Settings
from web.store import setup_of
from web.tables import Community, Coordinator, PersonRow

router = APIRouter()

PREVIEW_MAX_AGE = 3600
"""Seconds a preview may be confirmed."""
_SALT = "rota.people-import"
_FORM_OVERHEAD = 64 * 1024
_MB = spreadsheet.MAX_BYTES // (1024 * 1024)
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------------------------ helpers


@dataclass(frozen=True)
class ProblemView:
    """A problem as shown and returned: where (in words) and what."""

    where: str
    message: str
    row: int | None
    column: str | None
    cell: str | None
    code: str


def describe(problem: Problem, t: Translator) -> ProblemView:
    column = problem.column or problem.letter
    if problem.column and problem.letter:
        column = f"{problem.column} ({problem.letter})"
    if problem.row is not None and column:
        where = t("import.where_cell", row=problem.row, column=column)
    elif problem.row is not None:
        where = t("import.where_row", row=problem.row)
    elif column:
        where = t("import.where_column", column=column)
    else:
        where = t("import.where_file")
    cell = f"{problem.letter}{problem.row}" if problem.letter and problem.row is not None else None
    message = t(problem.key, **problem.values) if problem.values else t(problem.key)
    return ProblemView(where, message, problem.row, problem.column, cell, problem.code)


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.resolved_secret_key(), salt=_SALT)


def _sign(settings: Settings, user: Coordinator, filename: str, table: SheetTable) -> str:
    return str(_serializer(settings).dumps({"user": user.username, "file": filename, "table": table.model_dump()}))


def _unsign(settings: Settings, user: Coordinator, token: str) -> tuple[str, SheetTable] | None:
    try:
        payload = _serializer(settings).loads(token, max_age=PREVIEW_MAX_AGE)
    except BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(payload, dict) or payload.get("user") != user.username:
        return None
    try:
        return str(payload.get("file", "")), SheetTable.model_validate(payload.get("table"))
    except ValidationError:
        return None


def check_upload_size(request: Request, t: T) -> None:
    """Refuse an oversized upload by its declared length, before the form is parsed and spooled."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > spreadsheet.MAX_BYTES + _FORM_OVERHEAD:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, t("import.problem.too_big", mb=_MB))


SizeChecked = Annotated[None, Depends(check_upload_size)]


async def _read_upload(request: Request) -> tuple[str, bytes] | None:
    """The uploaded file's name and (at most MAX_BYTES + 1) bytes; the form's spooled files are closed here, since
    nothing else closes a form a route parses itself."""
    form = await request.form()
    try:
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload) or not upload.filename:
            return None
        return upload.filename, await upload.read(spreadsheet.MAX_BYTES + 1)
    finally:
        await form.close()


# ------------------------------------------------------------------------------------------------ pages


def _upload_page(
    request: Request, t: T, user: Coordinator, community: Community, *, problems: list[ProblemView] | None = None,
    filename: str = "", error: str | None = None, status_code: int = 200,
) -> Response:
    return render(
        request, t, "import.html", status_code, user=user, setup=setup_of(community), columns=spreadsheet.COLUMNS,
        problems=problems or [], filename=filename, error=error, mb=_MB,
    )


@router.get("/people/import", response_class=HTMLResponse, include_in_schema=False)
def import_page(request: Request, t: T, user: Viewer, community: CurrentCommunity) -> Response:
    return _upload_page(request, t, user, community)


@router.get("/people/import/template.csv", include_in_schema=False)
def template_csv(user: Viewer, community: CurrentCommunity) -> Response:
    return Response(
        spreadsheet.template_csv(setup_of(community)), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition("people-template.csv")},
    )


@router.get("/people/import/template.xlsx", include_in_schema=False)
def template_xlsx(user: Viewer, community: CurrentCommunity) -> Response:
    return Response(
        spreadsheet.template_xlsx(setup_of(community)), media_type=_XLSX,
        headers={"Content-Disposition": content_disposition("people-template.xlsx")},
    )


@router.post("/people/import", response_class=HTMLResponse, include_in_schema=False)
async def upload(
    request: Request, t: T, db: DbSession, user: Editor, community: CurrentCommunity, settings: AppSettings,
    _size: SizeChecked, _csrf: CsrfChecked,
) -> Response:
    received = await _read_upload(request)
    if received is None:
        return _upload_page(request, t, user, community, error=t("import.no_file"), status_code=400)
    filename, data = received
    result = spreadsheet.read_file(filename, data)
    if result.table is None or result.problems:
        problems = [describe(p, t) for p in result.problems]
        return _upload_page(request, t, user, community, problems=problems, filename=filename, status_code=400)
    plan, _rows = plan_import(db, community, result.table)
    db.rollback()  # reads only: end the implicit transaction
    if not plan.ok:
        problems = [describe(p, t) for p in plan.problems]
        return _upload_page(request, t, user, community, problems=problems, filename=filename, status_code=400)
    return render(
        request, t, "import_preview.html", user=user, plan=plan, filename=filename,
        token=_sign(settings, user, filename, result.table),
    )


@router.post("/people/import/confirm", include_in_schema=False)
async def confirm(
    request: Request, t: T, db: DbSession, user: Editor, community: CurrentCommunity, settings: AppSettings,
    _csrf: CsrfChecked,
) -> Response:
    token = (await request.form()).get("plan")
    carried = _unsign(settings, user, token) if isinstance(token, str) else None
    if carried is None:
        return _upload_page(request, t, user, community, error=t("import.expired"), status_code=400)
    filename, table = carried
    plan, rows = plan_import(db, community, table)
    if not plan.ok:
        db.rollback()
        problems = [describe(p, t) for p in plan.problems]
        return _upload_page(request, t, user, community, problems=problems, filename=filename, status_code=400)
    try:
        write_import(db, community, user.username, plan, rows, filename, "page")
    except IntegrityError:  # someone added one of these ids in the meantime
        return _upload_page(request, t, user, community, error=t("import.conflict"), status_code=409)
    flash(request, t("import.done", new=len(plan.created), updated=len(plan.updated)))
    return RedirectResponse("/people", status_code=303)


# ------------------------------------------------------------------------------------------------ API


class ImportedPerson(BaseModel):
    """One person of the file."""

    id: str = Field(description="Person id.")
    name: str = Field(description="Name.")
    row: int = Field(description="Row of the file.")


class ImportReport(BaseModel):
    """What the import did, or with `dry_run` would do."""

    dry_run: bool = Field(description="True: checked only, nothing was written.")
    file: str = Field(description="The uploaded file's name.")
    created: list[ImportedPerson] = Field(description="People added.")
    updated: list[ImportedPerson] = Field(description="People on file updated.")


class ImportProblem(BaseModel):
    """One problem of the file, by row and column (FastAPI's error shape, plus the cell)."""

    loc: list[str | int] = Field(description="['body', 'file', row, column], as far as known.")
    msg: str = Field(description="Where and what, in the request's language.")
    type: str = Field(description="Problem code, e.g. 'import.unknown_role'.")
    row: int | None = Field(description="Row number as shown in the spreadsheet.")
    column: str | None = Field(description="Column id, e.g. 'roles'.")
    cell: str | None = Field(description="Cell, e.g. 'C7'.")


class ImportProblems(BaseModel):
    detail: list[ImportProblem] = Field(description="Every problem; nothing was imported.")


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong.")


def _api_problem(view: ProblemView) -> dict[str, object]:
    loc: list[str | int] = ["body", "file"]
    if view.row is not None:
        loc.append(view.row)
    if view.column is not None:
        loc.append(view.column)
    return ImportProblem(
        loc=loc, msg=f"{view.where}: {view.message}", type=f"import.{view.code}", row=view.row, column=view.column,
        cell=view.cell,
    ).model_dump()


def require_requested_with(request: Request) -> None:
    """A cross-site page can post a multipart form but cannot add a header: asking for one keeps this
    non-JSON write as safe from cross-site requests as the JSON ones."""
    if not request.headers.get("x-requested-with"):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "send the header X-Requested-With (any value)")


RequestedWith = Annotated[None, Depends(require_requested_with)]


@router.post(
    "/api/people/import", response_model=ImportReport, tags=["people"],
    responses={
        400: {"model": ErrorOut, "description": "The multipart body cannot be read."},
        401: {"model": ErrorOut, "description": "Not logged in."},
        403: {"model": ErrorOut, "description": "The X-Requested-With header is missing."},
        404: {"model": ErrorOut, "description": "No community."},
        409: {"model": ErrorOut, "description": "Someone added one of these ids meanwhile; nothing was written."},
        413: {"model": ErrorOut, "description": "The file is too large."},
        422: {"model": ImportProblems, "description": "Problems by row and column; nothing was imported."},
    },
)
async def import_api(
    db: DbSession, user: ApiEditor, community: CurrentCommunity, t: T, _size: SizeChecked, _header: RequestedWith,
    file: Annotated[UploadFile, File(description="The spreadsheet, .xlsx or .csv (UTF-8 or GBK).")],
    dry_run: Annotated[bool, Form(description="True: check and report, write nothing.")] = False,
) -> ImportReport:
    """People from a spreadsheet (columns as in the template at /people/import/template.xlsx): ids on file are
    updated, new ids added, all or nothing. Send the header `X-Requested-With`."""
    filename = file.filename or "upload"
    result = spreadsheet.read_file(filename, await file.read(spreadsheet.MAX_BYTES + 1))
    problems = result.problems
    plan: ImportPlan | None = None
    rows: dict[str, PersonRow] = {}
    if result.table is not None and not problems:
        plan, rows = plan_import(db, community, result.table)
        problems = plan.problems
    if plan is None or problems:
        db.rollback()
        raise HTTPException(422, [_api_problem(describe(p, t)) for p in problems])
    if dry_run:
        db.rollback()
    else:
        try:
            write_import(db, community, user.username, plan, rows, filename, "api")
        except IntegrityError:
            raise HTTPException(status.HTTP_409_CONFLICT, "the people changed meanwhile; send the file again") from None

    def listed(people: list[import_plan.PlannedPerson]) -> list[ImportedPerson]:
        return [ImportedPerson(id=p.person.id, name=p.person.name, row=p.row) for p in people]

    return ImportReport(dry_run=dry_run, file=filename, created=listed(plan.created), updated=listed(plan.updated))

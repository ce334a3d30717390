"""The rota of a week: view per post and per person, fairness, adjust, publish, versions and their differences.

The pages only read and render; every change goes through `web.rota.drafts` (one transaction, audit entry, checked by
the validator).

Speed (issue 5: the 120-person week's page within 150 ms): the week's page shows the grid per post with the checks
and publishing; the per-person view and fairness summary are a second page (`/rota/{week}/people`). Both take the
checked rota from `web.rota.drafts.viewed_draft` / `web.rota.service.viewed_version` (the kept verdict, no
re-check), and their large sections (grids, per-person tables) are built and rendered once per stored rota state
and language, then reused from memory until the draft changes (see `_remembered`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import TypeAdapter, ValidationError

from scheduler import (
    Assignment,
    Explanation,
    Rota,
    RotaChanges,
    Scenario,
    Words,
    meal_break_starts,
    person_loads,
    shift_slots,
    shift_times,
    staffing_summary,
)
from web.changes.audit import audit_rows
from web.dates import day_error, local_today, next_monday, parse_day
from web.deps import (
    CsrfChecked,
    CurrentCommunity,
    DbSession,
    Editor,
    FeedWarmer,
    SeenRevision,
    T,
    Viewer,
    app_context,
)
from web.downloads import content_disposition
from web.i18n import Translator
from web.reasons import explanation_words
from web.rendering import TEMPLATES, flash, render
from web.rota import drafts
from web.rota import service as rotas
from web.rota.adjust import Adjustment, RotaProblem
from web.rota.chosen import chosen_rota
from web.rota.drafts import AdjustOutcome
from web.rota.picks import Picks, picks, slot_role
from web.rota.service import CheckedRota
from web.rota.urls import parse_week
from web.rota.views import change_lines, day_labels, fairness_summary, week_grids, with_adjust_links
from web.rota.workbook import rota_workbook, workbook_name
from web.store import stored, stored_scenario
from web.tables import Community, Coordinator, RotaDraft, RotaVersion, SolveJob
from web.validation import DbId, whole_number

router = APIRouter(include_in_schema=False)
ADJUSTMENT: TypeAdapter[Adjustment] = TypeAdapter(Adjustment)
ADJUST_FIELDS = ("action", "person", "place", "shift", "date", "to_person", "role", "other")
Field = Annotated[str, Form(max_length=200)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------- week chooser


@router.get("/rota", response_class=HTMLResponse)
def weeks_page(
    request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity, week: str | None = None
) -> Response:
    error = None
    if week is not None:
        day = parse_day(week)
        if day is not None:
            return RedirectResponse(f"/rota/{day.isoformat()}", status_code=303)
        error = t("form.required") if not week else day_error(t, week)
    today = local_today(community.timezone, app_context(request).clock())
    return render(
        request, t, "rota_weeks.html", 400 if error else 200, user=user, weeks=rotas.weeks(db, community.id),
        week=week if week is not None else next_monday(today).isoformat(), error=error,
    )


# ------------------------------------------------------------------------------------------- the week


def _grid_sections(checked: CheckedRota, t: Translator, links_for: dt.date | None = None) -> dict[str, Any]:
    """Grid per post, violations and penalties of one checked rota; with `links_for` (the draft's week) every name
    links to its adjustment form and every cell has an add link."""
    dates, grids = week_grids(checked.scenario, checked.rota, t)
    if links_for is not None:
        with_adjust_links(dates, grids, links_for)
    return {"dates": dates, "labels": day_labels(dates, t), "grids": grids, "result": checked.result}


_SECTIONS: rotas.RecentlyUsed[tuple[rotas.RotaKey, str, str], dict[str, Any]] = rotas.RecentlyUsed(16)
"""Sections of the rotas viewed last, per language and part, with their HTML: they depend on nothing else."""


def forget_sections() -> None:
    """Empty this process's memory of built sections (for benchmarks of a first view)."""
    _SECTIONS.clear()


def _remembered(
    key: rotas.RotaKey | None, t: Translator, part: str, build: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The sections `build` makes for one stored rota state, built once per language (or each time without a key)."""
    if key is None:
        return build()
    sections = _SECTIONS.get((key, t.lang, part))
    if sections is None:
        sections = build()
        _SECTIONS.put((key, t.lang, part), sections)
    return sections


def _grids_html(checked: CheckedRota, t: Translator, links_for: dt.date | None) -> dict[str, Any]:
    """`_grid_sections` and their HTML (`grids_html`), the largest part of the week's page."""
    sections = _grid_sections(checked, t, links_for)
    html = TEMPLATES.get_template("rota_grids.html").render(t=t, links=links_for is not None, **sections)
    return sections | {"grids_html": Markup(html)}  # rendered with autoescape: every name in it is escaped


def _people_html(checked: CheckedRota, t: Translator) -> dict[str, Any]:
    """The per-person view and fairness summary as HTML (`people_html`)."""
    html = TEMPLATES.get_template("rota_people_sections.html").render(t=t, **_people_sections(checked, t))
    return {"people_html": Markup(html)}  # rendered with autoescape: every name in it is escaped


def _people_sections(checked: CheckedRota, t: Translator) -> dict[str, Any]:
    """Per-person view and fairness summary of one checked rota (dates of the shifts formatted once each)."""
    loads = person_loads(checked.scenario, checked.rota, t.lang)
    dates = [checked.scenario.start + dt.timedelta(days=i) for i in range(checked.scenario.days)]
    return {
        "loads": loads, "day_names": dict(zip(dates, day_labels(dates, t), strict=True)),
        "fairness": fairness_summary(checked.scenario, checked.rota, loads, t),
    }


def _rota_sections(checked: CheckedRota, t: Translator) -> dict[str, Any]:
    """Everything about one checked rota on one page (a published version's page)."""
    return _grid_sections(checked, t) | _people_sections(checked, t)


def _changes(scenario: Scenario, changes: RotaChanges | None, t: Translator) -> list[Any] | None:
    return change_lines(scenario, changes, t) if changes is not None else None


def _explanation(db: DbSession, community: Community, week: dt.date, after_job: int | None) -> SolveJob | None:
    """The newest finished solve of the week when it found no rota (and is newer than the draft's solve)."""
    job = rotas.latest_job(db, community, week)
    if job is None or job.explanation is None or (after_job is not None and job.id <= after_job):
        return None
    return job if job.rota is None else None  # read only now: the job's rota is large when there is one


@dataclass(frozen=True)
class Shown:
    """What the week's pages show: the draft (with its kept verdict), else the latest version, else nothing."""

    draft: RotaDraft | None
    versions: list[RotaVersion]
    checked: CheckedRota | None
    key: rotas.RotaKey | None
    """The shown rota's stored state (sections built for it are reused while it stays the same)."""


def _shown(db: DbSession, community: Community, week: dt.date) -> Shown:
    draft = drafts.draft_row(db, community, week, lazy=True)
    versions = rotas.versions(db, community.id, week)
    if draft is not None:
        key = drafts.draft_key(db, draft)  # before its rota is read: never an older key for a newer rota
        return Shown(draft, versions, drafts.viewed_draft(db, draft), key)
    if versions:
        return Shown(None, versions, rotas.viewed_version(db, versions[0]), rotas.version_key(db, versions[0]))
    return Shown(None, versions, None, None)


def _week_page(
    request: Request, t: T, db: DbSession, user: Coordinator, community: Community, week: dt.date,
    publish_error: str | None = None, note: str = "", status_code: int = 200,
) -> Response:
    shown = _shown(db, community, week)
    draft, checked = shown.draft, shown.checked
    context: dict[str, Any] = {
        "week": week, "draft": draft, "versions": shown.versions, "shown": None,
        "revision": drafts.draft_revision(draft),
    }
    if checked is not None:
        links_for = week if draft is not None else None
        context.update(_remembered(shown.key, t, "grids", lambda: _grids_html(checked, t, links_for)))
        context.update(
            shown="draft" if draft is not None else "version", checked=checked,
            staffing=staffing_summary(checked.scenario, checked.rota), words=Words(checked.scenario, t.lang),
        )
    if draft is not None and checked is not None:
        context["changes"] = _changes(checked.scenario, rotas.draft_changes(db, draft), t)
    job = _explanation(db, community, week, draft.job_id if draft is not None else None)
    if job is not None and job.explanation is not None:
        context.update(job=job, explanation=stored(job, "explanation", Explanation),
                       explanation_words=explanation_words(stored_scenario(job), t.lang, user))
    return render(
        request, t, "rota.html", status_code, user=user, publish_error=publish_error, note=note,
        audit=audit_rows(db, community.id, week, t), **context,
    )


@router.get("/rota/{week_start}", response_class=HTMLResponse)
def week_page(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity
) -> Response:
    return _week_page(request, t, db, user, community, parse_week(week_start))


@router.get("/rota/{week_start}/people", response_class=HTMLResponse)
def people_page(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity
) -> Response:
    """The week per person (shifts, hours, nights, weekends) and its fairness summary: the draft's, else the latest
    version's. A page of its own so the week's grid page stays small and fast."""
    week = parse_week(week_start)
    shown = _shown(db, community, week)
    checked = shown.checked
    context: dict[str, Any] = {"week": week, "versions": shown.versions, "shown": None}
    if checked is not None:
        context.update(_remembered(shown.key, t, "people", lambda: _people_html(checked, t)))
        context["shown"] = "draft" if shown.draft is not None else "version"
    return render(request, t, "rota_people.html", user=user, **context)


@router.get("/rota/{week_start}/rota.xlsx")
def week_spreadsheet(
    week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity, version: str = "",
    draft: str = "",
) -> Response:
    """The week as a spreadsheet, one sheet per post: the draft (`draft=1`), version n, or the latest version."""
    week = parse_week(week_start)
    scenario, rota, label = chosen_rota(db, community, week, version, draft, t)
    title = f"{t('job.title', date=t.day(week))} ({label})"
    body = rota_workbook(scenario, rota, t, title)
    disposition = content_disposition(workbook_name(week, label))
    return Response(body, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.post("/rota/{week_start}/draft")
def use_job(
    request: Request, week_start: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, revision: SeenRevision, job_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    week = parse_week(week_start)
    job_number = whole_number(job_id)
    job = db.get(SolveJob, job_number) if job_number is not None else None
    if job is None or job.community_id != community.id or job.week_start != week:
        raise HTTPException(404, "no such solve")
    try:
        drafts.draft_from_job(db, community, job, user.username, revision=revision)
    except RotaProblem as problem:
        flash(request, t(f"rota.problem.{problem.code}", **problem.values), "error")
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)
    flash(request, t("rota.drafted"))
    return RedirectResponse(f"/rota/{week.isoformat()}", status_code=303)


@router.post("/rota/{week_start}/draft/from-version")
def version_as_draft(
    request: Request, week_start: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, revision: SeenRevision, version: Annotated[str, Form(max_length=6)] = "",
) -> Response:
    """Copy a version into the week's draft (no route under /versions writes: published versions never change)."""
    week = parse_week(week_start)
    number = whole_number(version) or 0
    row = rotas.version_row(db, community.id, week, number)
    if row is None:
        raise HTTPException(404, "no such version")
    try:
        drafts.draft_from_version(db, community, row, user.username, revision=revision)
    except RotaProblem as problem:
        flash(request, t(f"rota.problem.{problem.code}", **problem.values), "error")
        return RedirectResponse(f"/rota/{week.isoformat()}/versions/{number}", status_code=303)
    flash(request, t("rota.drafted_from_version", n=number))
    return RedirectResponse(f"/rota/{week.isoformat()}", status_code=303)


@router.post("/rota/{week_start}/publish", response_class=HTMLResponse)
def publish_draft(
    request: Request, week_start: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, warm: FeedWarmer, revision: SeenRevision, note: Annotated[str, Form(max_length=500)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    week = parse_week(week_start)
    try:
        version = drafts.publish(
            db, community, week, user.username, note=note.strip(), confirm=confirm == "1", revision=revision
        )
    except RotaProblem as problem:
        if problem.code == "no_draft":
            raise HTTPException(404, "no draft") from None
        message = t(f"rota.problem.{problem.code}", **problem.values)
        return _week_page(request, t, db, user, community, week, message, note, problem.status)
    warm(community.id)
    flash(request, t("rota.published", n=version.version))
    return RedirectResponse(f"/rota/{week.isoformat()}/versions/{version.version}", status_code=303)


# ------------------------------------------------------------------------------------------- adjusting


def _adjust_page(
    request: Request, t: T, db: DbSession, user: Coordinator, community: Community, week: dt.date,
    values: dict[str, str], errors: dict[str, str] | None = None, outcome: AdjustOutcome | None = None,
    status_code: int = 200,
) -> Response:
    draft = drafts.draft_row(db, community, week, lazy=True)
    if draft is None:
        raise HTTPException(404, "no draft")
    checked = drafts.viewed_draft(db, draft)
    scenario, rota = checked.scenario, checked.rota
    values = {**values, "revision": str(draft.revision)}  # the forms below act on the draft as shown here
    wanted = (values.get("person"), values.get("place"), values.get("shift", ""), values.get("date"))
    target = None
    if values.get("action") != "add":  # the add form names a person who is not on the shift yet
        target = next(
            (a for a in rota.assignments if (a.person, a.place, a.shift or "", a.date.isoformat()) == wanted), None
        )
    day = parse_day(values.get("date", ""))
    place, shift = values.get("place", ""), values.get("shift", "") or None
    runs = day is not None and any((s.place, s.shift, s.date) == (place, shift, day) for s in shift_slots(scenario))
    if target is None and not runs and not values.get("action"):
        # The bare address (or a shift that does not run): the week's grid is where a slot is chosen.
        return RedirectResponse(f"/rota/{week.isoformat()}", status_code=303)
    chosen = Picks([], "")
    if target is not None:
        chosen = picks(scenario, rota, target.place, target.shift, target.date, target.role, t, besides=target.person)
    elif day is not None and runs:
        values["role"] = values.get("role") or slot_role(scenario, rota, place, shift, day) or ""
        chosen = picks(scenario, rota, place, shift, day, None, t)
    return render(
        request, t, "rota_adjust.html", status_code, user=user, week=week, values=values, errors=errors or {},
        outcome=outcome, target=target, people=chosen.people, left_out=chosen.left_out, roles=scenario.roles,
        words=Words(scenario, t.lang),
        others=_swap_choices(scenario, rota, target, t), what=_what(scenario, values, t),
        names={p.id: p.name for p in scenario.people}, break_options=_break_options(scenario, target),
    )


def _break_options(scenario: Scenario, target: Assignment | None) -> list[tuple[int, list[tuple[str, str, bool]]]]:
    """(break index, [(value, 'HH:MM', is its time now)]) for each of the target's breaks that may move."""
    if target is None:
        return []
    breaks = sorted(target.breaks, key=lambda b: b.start)
    options = []
    for index, (current, starts) in enumerate(zip(breaks, meal_break_starts(scenario, target), strict=True)):
        if len(starts) > 1:
            options.append((index, [(s.isoformat(), f"{s:%H:%M}", s == current.start) for s in starts]))
    return options


def _what(scenario: Scenario, values: dict[str, str], t: Translator) -> str:
    """'Gate Day, Mon 7 Dec' for the shift instance the form is about (an unnamed shift by that day's times)."""
    place = next((p for p in scenario.posts if p.id == values.get("place")), None)
    duty = next((d for d in scenario.team_duties if d.id == values.get("place")), None)
    label = place.name.text(t.lang) if place else duty.name.text(t.lang) if duty else values.get("place", "")
    day = parse_day(values.get("date", ""))
    if place is not None:
        shift = next((s for s in place.shifts if s.id == values.get("shift")), None)
        if shift is not None:
            slot = next((s for s in shift_slots(scenario) if (s.place, s.shift, s.date) == (place.id, shift.id, day)),
                        None)
            times = shift_times(slot.start, slot.end, scenario.zone) if slot is not None else None
            label += " " + (shift.name.text(t.lang) if shift.name else times or shift.label())
    return f"{label}, {t.day(day)}" if day is not None else label


def _swap_choices(scenario: Scenario, rota: Rota, target: Any, t: Translator) -> list[tuple[str, str]]:
    """(value, label) of every other person's assignment in the week, for the swap select."""
    if target is None:
        return []
    names = {p.id: p.name for p in scenario.people}
    places = {p.id: p.name.text(t.lang) for p in scenario.posts} | {
        d.id: d.name.text(t.lang) for d in scenario.team_duties
    }
    return [
        (
            f"{a.person}|{a.place}|{a.shift or ''}|{a.date.isoformat()}",
            f"{names.get(a.person, a.person)} · {t.day(a.date)} {places.get(a.place, a.place)} {a.shift or ''}",
        )
        for a in rota.assignments if a.person != target.person and not a.pinned
    ]


@router.get("/rota/{week_start}/adjust", response_class=HTMLResponse)
def adjust_page(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    person: str = "", place: str = "", shift: str = "", date: str = "",
) -> Response:
    values = {"person": person, "place": place, "shift": shift, "date": date}
    return _adjust_page(request, t, db, user, community, parse_week(week_start), values)


def _reference(values: dict[str, str], prefix: str = "") -> dict[str, Any]:
    return {"person": values[prefix + "person"], "place": values[prefix + "place"],
            "shift": values[prefix + "shift"] or None, "date": values[prefix + "date"]}


def _adjustment_data(values: dict[str, str]) -> dict[str, Any]:
    """The adjustment as JSON-like data, from the form's flat fields."""
    action = values["action"]
    slot = {"place": values["place"], "shift": values["shift"] or None, "date": values["date"]}
    if action in ("pin", "unpin", "remove"):
        return {"kind": action, "assignment": _reference(values)}
    if action == "move":
        return {"kind": "move", "assignment": _reference(values), "to_person": values["to_person"]}
    if action == "add":
        return {"kind": "add", "slot": slot, "person": values["person"], "role": values["role"]}
    if action == "break":
        return {"kind": "break", "assignment": _reference(values), "index": values["index"] or "0",
                "start": values["break_start"]}
    other = [*values["other"].split("|"), "", "", "", ""][:4]
    second = dict(zip(("o_person", "o_place", "o_shift", "o_date"), other, strict=True))
    return {"kind": "swap", "first": _reference(values), "second": _reference(second, "o_")}


_FORM_FIELD = {
    "to_person": "to_person", "role": "role", "second": "other", "person": "person", "index": "break_start",
    "start": "break_start",
}


def _form_errors(error: ValidationError, t: Translator) -> dict[str, str]:
    errors: dict[str, str] = {}
    for item in error.errors(include_url=False):
        location = [str(part) for part in item["loc"]]
        name = next((_FORM_FIELD[part] for part in location if part in _FORM_FIELD), "form")
        if location and location[0] == "add" and location[-1] == "person":
            name = "person"
        errors.setdefault(name, t("form.required") if item["type"] in ("missing", "string_too_short")
                          else t("form.invalid"))
    return errors


def _problem_field(problem: RotaProblem) -> str:
    field = problem.field.split(".")[0]
    whole = {"first": "form", "assignment": "form", "slot": "form", "revision": "form", "index": "break_start",
             "start": "break_start"}
    return {"second": "other", **whole}.get(field, field or "form")


@router.post("/rota/{week_start}/adjust", response_class=HTMLResponse)
def adjust_draft(
    request: Request, week_start: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked, revision: SeenRevision, action: Field = "", person: Field = "", place: Field = "",
    shift: Field = "", date: Field = "", to_person: Field = "", role: Field = "", other: Field = "",
    index: Field = "", break_start: Field = "", confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    week = parse_week(week_start)
    values = {"action": action, "person": person, "place": place, "shift": shift, "date": date,
              "to_person": to_person, "role": role, "other": other, "index": index, "break_start": break_start}
    if action not in ("pin", "unpin", "move", "remove", "add", "swap", "break"):
        return _adjust_page(request, t, db, user, community, week, values,
                            {"form": t("rota.problem.bad_request")}, status_code=400)
    try:
        adjustment = ADJUSTMENT.validate_python(_adjustment_data(values))
        outcome = drafts.adjust(
            db, community, week, adjustment, user.username, confirm=confirm == "1", revision=revision
        )
    except ValidationError as error:
        return _adjust_page(request, t, db, user, community, week, values, _form_errors(error, t), status_code=400)
    except RotaProblem as problem:
        if problem.code == "no_draft":
            raise HTTPException(404, "no draft") from None
        errors = {_problem_field(problem): t(f"rota.problem.{problem.code}", **problem.values)}
        return _adjust_page(request, t, db, user, community, week, values, errors, status_code=400)
    if not outcome.saved:
        return _adjust_page(request, t, db, user, community, week, values, outcome=outcome, status_code=409)
    violations = len(outcome.checked.result.violations)
    if violations:
        flash(request, t("rota.saved_warning", n=violations), "error")
    else:
        flash(request, t("rota.saved"))
    return RedirectResponse(f"/rota/{week.isoformat()}", status_code=303)


# -------------------------------------------------------------------------------------------- versions


@router.get("/rota/{week_start}/versions", response_class=HTMLResponse)
def versions_page(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity
) -> Response:
    week = parse_week(week_start)
    return render(request, t, "rota_versions.html", user=user, week=week,
                  versions=rotas.versions(db, community.id, week))


@router.get("/rota/{week_start}/versions/{number}", response_class=HTMLResponse)
def version_page(
    request: Request, week_start: str, number: DbId, t: T, db: DbSession, user: Viewer,
    community: CurrentCommunity,
) -> Response:
    week = parse_week(week_start)
    row = rotas.version_row(db, community.id, week, number)
    if row is None:
        raise HTTPException(404, "no such version")
    version = rotas.published(row)
    context = _rota_sections(rotas.viewed_version(db, row), t)
    changes = _changes(version.scenario, rotas.version_changes(db, row), t)
    revision = drafts.draft_revision(drafts.draft_row(db, community, week, lazy=True))
    return render(request, t, "rota_version.html", user=user, week=week, version=version, changes=changes,
                  revision=revision, words=Words(version.scenario, t.lang), **context)

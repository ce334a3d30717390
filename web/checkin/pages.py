"""Check-in pages: the section of the volunteer's own page (`/p/{token}`), its buttons, the post's QR (`/c/{token}`)
and its poster, and the coordinators' day sheet with corrections (`/checkins`).

The volunteer's buttons are forms at their secret link with the session's CSRF token, like the swap offers
(`web.changes.pages`). Opening the personal page sets a long-lived HttpOnly cookie holding the personal token, path
`/c` only: scanning a post's QR later opens that person's check-in for the post. No location is ever asked for or
kept (no geolocation, no IP address in a check-in).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from scheduler import language_of
from web.checkin import service
from web.checkin.service import CheckInProblem, Correction, Slot
from web.dates import local_today, parse_day
from web.deps import CsrfChecked, CurrentCommunity, DbSession, Editor, T, Viewer, app_context
from web.feeds import links
from web.feeds.addresses import post_names, qr_data_uri
from web.i18n import Translator
from web.personal import personal_translator as _translator
from web.personal import volunteer as _volunteer
from web.rendering import flash, render
from web.settings import Settings
from web.store import audit, transaction
from web.tables import CheckInStatus, Community, LinkKind, PersonRow

router = APIRouter(include_in_schema=False)
ME_COOKIE = "rota_me"
"""The volunteer's own personal token, remembered on their phone for the post's QR (path /c only)."""
ME_MAX_AGE = 400 * 24 * 3600
Field = Annotated[str, Form(max_length=200)]
PRIVATE = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"}


def _base(settings: Settings) -> str:
    return settings.resolved_public_url()


def scan_address(settings: Settings, token: str) -> str:
    return f"{_base(settings)}/c/{token}"


def status_text(t: Translator, status: str | None) -> str:
    return t(f"checkin.status.{status}" if status else "checkin.status.none")


def by_text(t: Translator, recorded_by: str) -> str:
    if recorded_by.startswith("coordinator:"):
        return t("checkin.by.coordinator", name=recorded_by.split(":", 1)[1])
    return t("checkin.by.lead" if recorded_by.startswith("lead:") else "checkin.by.self")


# ------------------------------------------------------------------------------------ the volunteer's page


def personal_context(request: Request, db: Session, community: Community, person: PersonRow,
                     t: Translator) -> dict[str, Any]:
    """What the personal page's check-in section shows: the person's open shifts, and whether they lead one."""
    now = app_context(request).clock()
    slots = service.open_slots(db, community, person.key, now, language_of(t.lang))
    at = request.query_params.get("at", "")
    at_name = post_names(community, t.lang).get(at) if len(at) <= 64 else None
    if at_name is not None and any(s.place == at for s in slots):
        slots = [s for s in slots if s.place == at] + [s for s in slots if s.place != at]
    return {
        "checkin_slots": slots, "checkin_at": at_name if at_name and not any(s.place == at for s in slots) else None,
        "checkin_me": person.key, "status_text": lambda s: status_text(t, s),
    }


def remember(response: Response, settings: Settings, token: str) -> None:
    """Remember the personal token on this phone, for the post's QR (HttpOnly, SameSite=Lax, path /c)."""
    response.set_cookie(
        ME_COOKIE, token, max_age=ME_MAX_AGE, path="/c", httponly=True, samesite="lax", secure=settings.https_only,
    )


def _back(token: str) -> RedirectResponse:
    return RedirectResponse(f"/p/{token}#checkin", status_code=303)


def _slot_of(request: Request, db: Session, community: Community, person: PersonRow, ref: str,
             t: Translator) -> Slot:
    slots = service.open_slots(db, community, person.key, app_context(request).clock(), language_of(t.lang))
    slot = service.find_slot(slots, ref)
    if slot is None:
        raise CheckInProblem("checkin.problem.not_on_shift", 404)
    return slot


@router.post("/p/{token}/checkin/arrive")
def arrive(request: Request, token: str, db: DbSession, _csrf: CsrfChecked, slot: Field = "") -> Response:
    person, community = _volunteer(db, token)
    t = _translator(request, person)
    try:
        found = _slot_of(request, db, community, person, slot, t)
        row = service.arrive(db, community, found, person.key, app_context(request).clock())
        flash(request, t("checkin.did_arrive", status=status_text(t, row.status)))
    except CheckInProblem as problem:
        flash(request, t(problem.key), "error")
    return _back(token)


@router.post("/p/{token}/checkin/leave")
def leave(request: Request, token: str, db: DbSession, _csrf: CsrfChecked, slot: Field = "") -> Response:
    person, community = _volunteer(db, token)
    t = _translator(request, person)
    try:
        found = _slot_of(request, db, community, person, slot, t)
        row = service.leave(db, community, found, person.key, app_context(request).clock())
        flash(request, t("checkin.did_leave", status=status_text(t, row.status)))
    except CheckInProblem as problem:
        flash(request, t(problem.key), "error")
    return _back(token)


@router.post("/p/{token}/checkin/team")
def mark_team(
    request: Request, token: str, db: DbSession, _csrf: CsrfChecked, slot: Field = "", person: Field = "",
    status: Field = "",
) -> Response:
    lead, community = _volunteer(db, token)
    t = _translator(request, lead)
    try:
        found = _slot_of(request, db, community, lead, slot, t)
        row = service.lead_marks(db, community, found, lead, person, status, app_context(request).clock())
        member = found.member(person)
        flash(request, t("checkin.did_mark", name=member.name if member else person,
                         status=status_text(t, row.status)))
    except CheckInProblem as problem:
        flash(request, t(problem.key), "error")
    return _back(token)


# ------------------------------------------------------------------------------------------ the post's QR


@router.get("/c/{token}", response_class=HTMLResponse)
def scan(request: Request, token: str, t: T, db: DbSession) -> Response:
    """A post's QR: the phone's remembered volunteer goes to their check-in for the post; else how to fix that."""
    link = links.resolve(db, token, LinkKind.CHECKIN)
    if link is None or link.post is None:
        raise HTTPException(404, "not found")
    remembered = request.cookies.get(ME_COOKIE, "")
    person = links.person_of(db, remembered) if remembered else None
    if person is not None and person.community_id == link.community_id:
        return RedirectResponse(f"/p/{remembered}?at={link.post}#checkin", status_code=303,
                                headers={"Referrer-Policy": "no-referrer"})
    community = db.get(Community, link.community_id)
    name = post_names(community, t.lang).get(link.post, link.post) if community is not None else link.post
    response = render(request, t, "checkin_scan.html", post=name)
    response.headers.update(PRIVATE)
    return response


def _post_name_or_404(community: Community, post: str, t: Translator) -> str:
    name = post_names(community, t.lang).get(post)
    if name is None:
        raise HTTPException(404, "no such post")
    return name


def checkin_qr(db: Session, community: Community, settings: Settings, post: str) -> str:
    """The post's check-in QR as an SVG data URI, its link made when it has none (call inside a transaction)."""
    link = links.ensure_link(db, community, LinkKind.CHECKIN, post=post)
    return qr_data_uri(scan_address(settings, link.token))


def print_corners(db: Session, community: Community, settings: Settings, lang: str) -> dict[str, tuple[str, str]]:
    """For the A4 rota print-out in `lang`: each post's check-in QR and its caption, links made where missing."""
    t = Translator("en" if lang == "en" else "zh")
    with transaction(db):
        qrs = {post: checkin_qr(db, community, settings, post) for post in post_names(community, t.lang)}
    return {post: (qr, t("checkin.poster.caption")) for post, qr in qrs.items()}


@router.get("/feeds/posts/{post}/checkin", response_class=HTMLResponse)
def poster(request: Request, post: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity) -> Response:
    """An A4 poster to print and hang at the post: its check-in QR, big, with a few words."""
    name = _post_name_or_404(community, post, t)
    settings = app_context(request).settings
    with transaction(db):
        qr = checkin_qr(db, community, settings, post)
    response = render(request, t, "checkin_poster.html", user=user, post=name, qr=qr)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _change(request: Request, t: Translator, db: Session, community: Community, actor: str, post: str,
            renew: bool) -> Response:
    name = _post_name_or_404(community, post, t)
    with transaction(db):
        old = links.active_link(db, community, LinkKind.CHECKIN, post=post)
        if old is not None:
            links.revoke(db, old)
            db.flush()
        if renew:
            links.ensure_link(db, community, LinkKind.CHECKIN, post=post)
        audit(db, actor, "link.renew" if renew else "link.revoke", f"checkin:{post}")
    flash(request, t("checkin.renewed" if renew else "checkin.revoked", post=name))
    return RedirectResponse("/feeds", status_code=303)


@router.post("/feeds/posts/{post}/checkin/renew")
def renew(request: Request, post: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
          _csrf: CsrfChecked) -> Response:
    return _change(request, t, db, community, user.username, post, renew=True)


@router.post("/feeds/posts/{post}/checkin/revoke")
def revoke(request: Request, post: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
           _csrf: CsrfChecked) -> Response:
    return _change(request, t, db, community, user.username, post, renew=False)


# --------------------------------------------------------------------------------- coordinators' day sheet


def chosen_day(community: Community, text: str, now: dt.datetime) -> dt.date:
    return parse_day(text) or local_today(community.timezone, now)


@router.get("/checkins", response_class=HTMLResponse)
def day_sheet(request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
              date: str = "") -> Response:
    day = chosen_day(community, date[:20], app_context(request).clock())
    return _day_page(request, t, db, user, community, day)


def _day_page(request: Request, t: Translator, db: Session, user: Any, community: Community, day: dt.date,
              error: tuple[str, str, str] | None = None, status_code: int = 200) -> Response:
    slots = service.day_slots(db, community, day, language_of(t.lang))
    return render(
        request, t, "checkin_day.html", status_code, user=user, day=day, slots=slots, error=error,
        status_text=lambda s: status_text(t, s), by_text=lambda b: by_text(t, b),
        statuses=[s.value for s in CheckInStatus],
    )


@router.post("/checkins/correct", response_class=HTMLResponse)
def correct(
    request: Request, t: T, db: DbSession, user: Editor, community: CurrentCommunity, _csrf: CsrfChecked,
    date: Field = "", slot: Field = "", person: Field = "", status: Field = "", arrived: Field = "",
    left: Field = "",
) -> Response:
    day = chosen_day(community, date, app_context(request).clock())
    found = service.find_slot(service.day_slots(db, community, day, language_of(t.lang)), slot)
    try:
        if found is None:
            raise CheckInProblem("checkin.problem.no_slot", 404)
        service.correct(db, community, user.username, found, person, Correction(status, arrived, left))
    except CheckInProblem as problem:
        code = 404 if problem.status == 404 else 400
        return _day_page(request, t, db, user, community, day, (slot, person, t(problem.key)), code)
    member = found.member(person)
    flash(request, t("checkin.day.corrected", name=member.name if member else person))
    return RedirectResponse(f"/checkins?date={day.isoformat()}", status_code=303)

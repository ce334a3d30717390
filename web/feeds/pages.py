"""Calendar feeds and personal pages at secret links; print view, PDF and PNG of a week.

Public by design (the secret token is the key; unknown or revoked tokens answer a plain 404):
`GET /p/{token}` (the person's page), `/p/{token}/print`, `/p/{token}/calendar.ics` (the person's feed) and
`GET /feeds/post/{token}.ics` (a post's whole-rota feed). Feeds answer conditional requests with 304 before
building anything (`web.feeds.service`).

For the coordinator (login; CSRF on every form): a person's links (`/people/{key}/links`, renew, revoke), the
posts' feeds (`/feeds`), and the print-outs of a week (`/rota/{week}/print`, `.pdf`, `/print/{post}.png`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

import pypdfium2  # type: ignore[import-untyped]  # no type information published
from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from scheduler import (
    PHONE_WIDTH_PX,
    CalendarOptions,
    phone_image_names,
    phone_pdf,
    print_css,
    print_html,
    rasterise,
)
from scheduler import print_pdf as week_pdf
from web.checkin import pages as checkin_pages
from web.deps import (
    AppSettings,
    CsrfChecked,
    CurrentCommunity,
    DbSession,
    Editor,
    T,
    Viewer,
    app_context,
    person_row_or_404,
)
from web.downloads import content_disposition
from web.feeds import links
from web.feeds import service as feeds
from web.feeds.addresses import person_addresses, post_addresses, post_names
from web.i18n import Translator
from web.personal import person_or_404 as _person_or_404
from web.personal import personal_translator as _personal_translator
from web.rendering import flash, render
from web.rota.chosen import chosen_rota
from web.rota.urls import parse_week
from web.settings import Settings
from web.signup import service as signup
from web.store import setup_of
from web.tables import Community, Coordinator, LinkKind

router = APIRouter(include_in_schema=False)

CALENDAR_TYPE = "text/calendar; charset=utf-8"
PRIVATE_PAGE_HEADERS = {
    "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex", "Cache-Control": "private, no-store",
}
"""A secret link must not leak through the Referer header, search engines or shared caches."""
FEED_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex", "Cache-Control": "private, no-cache"}
"""Feeds may be kept by the subscriber but are revalidated every time (a 304 is cheap)."""
PRINT_CSS_PATH = "/print/sheet.css"
IfNoneMatch = Annotated[str | None, Header()]
IfModifiedSince = Annotated[str | None, Header()]


def _cache(request: Request) -> feeds.FeedCache:
    return feeds.cache_of(request.app.state)


def _options(settings: Settings) -> CalendarOptions:
    return feeds.options_of(settings)


# ------------------------------------------------------------------------------------------------ addresses


# --------------------------------------------------------------------------------------------- public pages


def _personal_page(request: Request, db: Session, token: str, template: str) -> Response:
    person = _person_or_404(db, token)
    t = _personal_translator(request, person)
    community = db.get(Community, person.community_id)
    assert community is not None  # a person belongs to a community (foreign key)
    now = dt.datetime.now(dt.UTC)
    shifts = feeds.coming_shifts(_cache(request), db, community.id, person, t.lang, now)
    own = template == "personal.html"
    extra = checkin_pages.personal_context(request, db, community, person, t) if own else {}
    zone = ZoneInfo(community.timezone)
    signups = [
        (r.week_start, r.deadline.astimezone(zone).strftime("%Y-%m-%d %H:%M"))
        for r in signup.open_rounds(db, community, app_context(request).clock())
    ]
    response = render(
        request, t, template, person=person, shifts=shifts, token=token, links=person_addresses(request, token),
        coordinator=setup_of(community).coordinator, community=community, signups=signups, **extra,
    )
    response.headers.update(PRIVATE_PAGE_HEADERS)
    if own:  # this phone is theirs: the post's check-in QR opens their page (web.checkin)
        checkin_pages.remember(response, app_context(request).settings, token)
    return response


@router.get("/p/{token}", response_class=HTMLResponse)
def personal_page(request: Request, token: str, db: DbSession) -> Response:
    return _personal_page(request, db, token, "personal.html")


@router.get("/p/{token}/print", response_class=HTMLResponse)
def personal_print(request: Request, token: str, db: DbSession) -> Response:
    return _personal_page(request, db, token, "personal_print.html")


def _feed_response(body: bytes, validators: feeds.Validators, filename: str) -> Response:
    headers = {**FEED_HEADERS, **validators.headers(), "Content-Disposition": content_disposition(filename, "inline")}
    return Response(body, media_type=CALENDAR_TYPE, headers=headers)


def _not_modified(validators: feeds.Validators) -> Response:
    return Response(status_code=304, headers={**FEED_HEADERS, **validators.headers()})


@router.get("/p/{token}/calendar.ics")
def person_calendar(
    request: Request, token: str, db: DbSession, settings: AppSettings,
    if_none_match: IfNoneMatch = None, if_modified_since: IfModifiedSince = None,
) -> Response:
    person = _person_or_404(db, token)
    options = _options(settings)
    stamps = feeds.version_stamps(db, person.community_id, feeds.feed_window_start(dt.date.today()))
    validators = feeds.person_validators(stamps, person, options)
    if validators.not_modified(if_none_match, if_modified_since):
        return _not_modified(validators)
    cache = _cache(request)
    built = []

    def build() -> bytes:
        built.append(True)
        return feeds.person_feed(cache, db, stamps, person, options)

    body = cache.feed(validators.etag, build)
    if built:  # new versions: the others' phones will ask soon
        feeds.prebuild_people(cache, app_context(request).sessions, person.community_id, stamps, options)
    return _feed_response(body, validators, f"{person.key}.ics")


@router.get("/feeds/post/{token}.ics")
def post_calendar(
    request: Request, token: str, db: DbSession, settings: AppSettings, lang: str = "zh",
    if_none_match: IfNoneMatch = None, if_modified_since: IfModifiedSince = None,
) -> Response:
    link = links.resolve(db, token, LinkKind.POST)
    if link is None or link.post is None:
        raise HTTPException(404, "not found")
    post, language = link.post, "en" if lang == "en" else "zh"
    options = _options(settings)
    stamps = feeds.version_stamps(db, link.community_id, feeds.feed_window_start(dt.date.today()))
    validators = feeds.post_validators(stamps, link.community_id, post, language, options)
    if validators.not_modified(if_none_match, if_modified_since):
        return _not_modified(validators)
    cache = _cache(request)
    body = cache.feed(
        validators.etag,
        lambda: feeds.post_feed(cache, db, stamps, post, language, options) or feeds.empty_calendar(post),
    )
    return _feed_response(body, validators, f"{post}.ics")


# ---------------------------------------------------------------------------------- coordinator: links



@router.get("/people/{key}/links", response_class=HTMLResponse)
def person_links_page(
    request: Request, key: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity
) -> Response:
    row = person_row_or_404(db, community, key)
    link = links.active_link(db, community, LinkKind.PERSON, person_id=row.id)
    addresses = person_addresses(request, link.token) if link is not None else None
    response = render(request, t, "feed_person_links.html", user=user, person=row, addresses=addresses)
    response.headers["Referrer-Policy"] = "no-referrer"  # the page holds a secret link
    return response


@router.post("/people/{key}/links/renew")
def renew_person_link(
    request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    row = person_row_or_404(db, community, key)
    links.change_person_link(db, community, user.username, row, renew=True)
    flash(request, t("feeds.renewed"))
    return RedirectResponse(f"/people/{row.key}/links", status_code=303)


@router.post("/people/{key}/links/revoke")
def revoke_person_link(
    request: Request, key: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    row = person_row_or_404(db, community, key)
    links.change_person_link(db, community, user.username, row, renew=False)
    flash(request, t("feeds.revoked"))
    return RedirectResponse(f"/people/{row.key}/links", status_code=303)


@router.get("/feeds", response_class=HTMLResponse)
def post_links_page(request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity) -> Response:
    posts = []
    for post, name in post_names(community, t.lang).items():
        link = links.active_link(db, community, LinkKind.POST, post=post)
        posts.append((post, name, post_addresses(request, link.token) if link is not None else None))
    response = render(request, t, "feed_posts.html", user=user, posts=posts)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _change_post_link(request: Request, t: Translator, db: Session, community: Community, user: Coordinator,
                      post: str, renew: bool) -> Response:
    name = post_names(community, t.lang).get(post)
    if name is None:
        raise HTTPException(404, "no such post")
    links.change_post_link(db, community, user.username, post, renew=renew)
    flash(request, t("feeds.post_renewed" if renew else "feeds.post_revoked", post=name))
    return RedirectResponse("/feeds", status_code=303)


@router.post("/feeds/posts/{post}/renew")
def renew_post_link(
    request: Request, post: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    return _change_post_link(request, t, db, community, user, post, renew=True)


@router.post("/feeds/posts/{post}/revoke")
def revoke_post_link(
    request: Request, post: str, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    return _change_post_link(request, t, db, community, user, post, renew=False)


# ------------------------------------------------------------------------------------------- print-outs



def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@router.get("/rota/{week_start}/print", response_class=HTMLResponse)
def print_view(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    version: str = "", draft: str = "",
) -> Response:
    scenario, rota, label = chosen_rota(db, community, parse_week(week_start), version, draft, t)
    corners = checkin_pages.print_corners(db, community, app_context(request).settings, setup_of(community).language)
    html = print_html(scenario, rota, setup_of(community).language, label, _now(), css_href=PRINT_CSS_PATH,
                      corners=corners)
    return HTMLResponse(html)


@router.get("/rota/{week_start}/print.pdf")
def print_pdf(
    request: Request, week_start: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    version: str = "", draft: str = "",
) -> Response:
    week = parse_week(week_start)
    scenario, rota, label = chosen_rota(db, community, week, version, draft, t)
    corners = checkin_pages.print_corners(db, community, app_context(request).settings, setup_of(community).language)
    pdf = week_pdf(scenario, rota, setup_of(community).language, label, _now(), corners=corners)
    disposition = content_disposition(f"rota-{week.isoformat()}-{label}.pdf", "inline")
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.get("/rota/{week_start}/print/{post}.png")
def print_png(
    week_start: str, post: str, t: T, db: DbSession, user: Viewer, community: CurrentCommunity,
    version: str = "", draft: str = "",
) -> Response:
    """One post's week as a phone-sized image (`post` as `phone_image_names` names it)."""
    scenario, rota, label = chosen_rota(db, community, parse_week(week_start), version, draft, t)
    names = phone_image_names(scenario, rota)
    if post not in names:
        raise HTTPException(404, "no such post")
    pdf, groups = phone_pdf(scenario, rota, setup_of(community).language, label, _now())
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = rasterise(document, groups[names.index(post)], PHONE_WIDTH_PX)
    finally:
        document.close()
    return Response(image, media_type="image/png")


@router.get(PRINT_CSS_PATH)
def print_stylesheet(user: Viewer) -> Response:
    """The print view's style sheet, served rather than inlined (the CSP forbids inline styles)."""
    return Response(print_css(), media_type="text/css", headers={"Cache-Control": "private, max-age=3600"})

"""Typed dependencies: database session, language, current coordinator, CSRF check, community, job runner.

Page routes depend on `PageUser` (anonymous: redirect to the login page); API routes on `ApiUser` (401). Each route
names the least role it needs (web.roles): `Viewer` / `ApiViewer` to read, `Editor` / `ApiEditor` to change rotas
and people, `AdminUser` / `ApiAdmin` for accounts and the community's set-up; a lesser role gets 403. The user is
declared before `CsrfChecked` and any body, so a role is refused before a form or body is read.
Every state-changing page route depends on `CsrfChecked`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from web import csrf, roles
from web.communities import service as communities
from web.feeds import service as feeds
from web.i18n import COOKIE, Translator, choose_language
from web.logins import sessions as login_sessions
from web.settings import Settings
from web.solving.service import JobRunner
from web.state import AppContext
from web.store import AUDIT_COMMUNITY, person_row
from web.tables import Community, Coordinator, PersonRow
from web.validation import whole_number

SESSION_KEY = "sid"
"""The cookie's only credential: the random key of a server-side session (`web.logins.sessions`)."""


class LoginRequired(Exception):
    """Raised by page dependencies for an anonymous visitor; answered with a redirect to the login page."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class NoCommunity(Exception):
    """No community to show: none is set up yet (`community.none`), or the account is a member of none; or (409) a
    form drawn for another community than the session's current one (`communities.stale`)."""

    def __init__(self, key: str = "community.none", status_code: int = 404) -> None:
        super().__init__(key)
        self.key = key
        self.status_code = status_code


@dataclass(frozen=True)
class CommunityBadge:
    """The current community: named in the page header (with a link to switch when the account has others), and
    bound into the page's forms (`web.rendering`: the CSRF field carries its id, `form_community`)."""

    id: int
    name: str
    count: int


def app_context(request: Request) -> AppContext:
    context = request.app.state.rota
    assert isinstance(context, AppContext)
    return context


def get_settings(request: Request) -> Settings:
    return app_context(request).settings


def get_db(request: Request) -> Iterator[Session]:
    """A session per request; routes open their own transaction (`with db.begin():`) for each change."""
    with app_context(request).sessions() as session:
        yield session


def get_runner(request: Request) -> JobRunner:
    return app_context(request).runner


def get_translator(request: Request) -> Translator:
    return Translator(choose_language(request.cookies.get(COOKIE), request.headers.get("accept-language")))


DbSession = Annotated[Session, Depends(get_db)]
T = Annotated[Translator, Depends(get_translator)]
Runner = Annotated[JobRunner, Depends(get_runner)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def optional_user(request: Request, db: DbSession) -> Coordinator | None:
    """The user of the request's live session; None for a visitor, or when the session ended or timed out."""
    key = request.session.get(SESSION_KEY)
    if not isinstance(key, str):
        return None
    context = app_context(request)
    user = login_sessions.session_user(db, key, context.clock(), context.settings)
    if user is not None and not user.active:
        user = None  # deactivation ends the account's sessions; this covers a request already under way
    if user is None:
        request.session.pop(SESSION_KEY, None)
    return user


def _here(request: Request) -> str:
    path = request.url.path
    return path + ("?" + request.url.query if request.url.query else "")


def page_user(request: Request, user: Annotated[Coordinator | None, Depends(optional_user)]) -> Coordinator:
    """The logged-in coordinator, or a redirect to the login page (and back here afterwards)."""
    if user is None:
        raise LoginRequired("/login?next=" + quote(_here(request), safe=""))
    if user.must_change_password and request.url.path != "/account/password":
        raise LoginRequired("/account/password")
    return user


def api_user(user: Annotated[Coordinator | None, Depends(optional_user)]) -> Coordinator:
    if user is None or user.must_change_password:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "log in first", headers={"WWW-Authenticate": "Session"})
    return user


PageUser = Annotated[Coordinator, Depends(page_user)]
ApiUser = Annotated[Coordinator, Depends(api_user)]


def _require(user: Coordinator, needed: str) -> Coordinator:
    if not roles.may(user.role, needed):
        raise HTTPException(status.HTTP_403_FORBIDDEN, roles.FORBIDDEN)
    return user


def editor_page(user: PageUser) -> Coordinator:
    return _require(user, roles.COORDINATOR)


def admin_page(user: PageUser) -> Coordinator:
    return _require(user, roles.ADMIN)


def editor_api(user: ApiUser) -> Coordinator:
    return _require(user, roles.COORDINATOR)


def admin_api(user: ApiUser) -> Coordinator:
    return _require(user, roles.ADMIN)


Viewer = PageUser
"""Any active account (viewers included): pages that only read."""
Editor = Annotated[Coordinator, Depends(editor_page)]
"""Coordinators and admins: pages that change rotas, people, links and swaps."""
AdminUser = Annotated[Coordinator, Depends(admin_page)]
"""Admins only: accounts and writes to the community's set-up."""
ApiViewer = ApiUser
ApiEditor = Annotated[Coordinator, Depends(editor_api)]
ApiAdmin = Annotated[Coordinator, Depends(admin_api)]
_ROLE_REFUSAL = {"description": "The account's role may not do this (viewers only read; set-up is for admins)."}


def document_role_refusals(routers: Iterable[APIRouter]) -> None:
    """Add the role's 403 to the documented answers of every API route that needs more than a viewer."""
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                needs = {sub.call for sub in route.dependant.dependencies}
                if needs & {editor_api, admin_api}:
                    route.responses.setdefault(status.HTTP_403_FORBIDDEN, _ROLE_REFUSAL)


async def check_csrf(request: Request) -> None:
    """403 unless the posted form carries the session's CSRF token."""
    form = await request.form()
    if not csrf.token_matches(request, form.get(csrf.FIELD)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "CSRF token missing or wrong")


CsrfChecked = Annotated[None, Depends(check_csrf)]


async def require_json(request: Request) -> None:
    """API writes accept JSON only: a cross-site form cannot send it without a CORS preflight. An action with
    nothing to say sends `{}` (the schema documents that body: `document_json_bodies`); what it sends must be a
    JSON object all the same (422), as a route with a body of its own would check."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send application/json")
    route = request.scope.get("route")
    if isinstance(route, APIRoute) and route.body_field is None:
        body = await request.body()
        if body.strip() and not _json_object(body):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, [
                {"loc": ["body"], "msg": "the body must be a JSON object, e.g. {}", "type": "value_error"}
            ])  # the shape of pydantic's own refusals, which the schema documents


def _json_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body), dict)
    except ValueError:  # not JSON, or not UTF-8
        return False


JsonOnly = Annotated[None, Depends(require_json)]

_EMPTY_JSON_BODY = {
    "requestBody": {
        "required": True, "description": "Nothing to say: `{}`.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


def document_json_bodies(routers: Iterable[APIRouter]) -> None:
    """An API write without a body still accepts JSON only (`require_json`): its schema asks for an object, so a
    client built from the schema sends `{}` with its content type."""
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.body_field is None and _needs_json(route.dependant):
                route.openapi_extra = {**(route.openapi_extra or {}), **_EMPTY_JSON_BODY}


def _needs_json(dependant: Dependant) -> bool:
    return any(sub.call is require_json or _needs_json(sub) for sub in dependant.dependencies)


def current_community(request: Request, db: Session, user: Coordinator) -> Community | None:
    """The account's current community in this login session (see `get_community`); None: it may see none."""
    key = request.session.get(SESSION_KEY)
    login = login_sessions.session_row(db, key) if isinstance(key, str) else None
    return communities.current(db, user, login.community_id if login is not None else None)


async def form_community(request: Request) -> int | None:
    """The community a posted page form was drawn for (`csrf.drawn_for`); None for the API, a GET, or a form without
    it."""
    if request.method != "POST" or request.url.path.startswith("/api/"):
        return None
    return csrf.drawn_for((await request.form()).get(csrf.FIELD))


def get_community(
    request: Request, db: DbSession, user: Annotated[Coordinator | None, Depends(optional_user)],
    drawn_for: Annotated[int | None, Depends(form_community)],
) -> Community:
    """The session's chosen community if the account may see it, else its first by name (web.communities): every
    object a route finds is looked up within it, so another community's ids answer 404. A form drawn for another
    community (the current one was switched in another window since) changes nothing: 409."""
    if user is None:  # routes name their user first; this keeps a route that forgot to closed all the same
        if request.url.path.startswith("/api/"):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "log in first", headers={"WWW-Authenticate": "Session"})
        raise LoginRequired("/login?next=" + quote(_here(request), safe=""))
    community = current_community(request, db, user)
    if community is None:
        raise NoCommunity("community.none" if roles.is_admin(user.role) else "communities.none_for_you")
    if drawn_for is not None and drawn_for != community.id:
        raise NoCommunity("communities.stale", status.HTTP_409_CONFLICT)
    db.info[AUDIT_COMMUNITY] = community.id  # what this request audits concerns this community (web.store.audit)
    request.state.community = CommunityBadge(community.id, community.name, communities.visible_count(db, user))
    return community


CurrentCommunity = Annotated[Community, Depends(get_community)]


def get_feed_warmer(request: Request) -> Callable[[int], None]:
    """After a publication: build the community's calendar feeds now (`web.feeds.service.warm_after_publishing`)."""
    context = app_context(request)

    def warm(community_id: int) -> None:
        feeds.warm_after_publishing(
            feeds.cache_of(request.app.state), context.sessions, community_id, feeds.options_of(context.settings),
            dt.date.today(),
        )

    return warm


FeedWarmer = Annotated[Callable[[int], None], Depends(get_feed_warmer)]


def seen_revision(revision: Annotated[str, Form(max_length=12)] = "") -> int | None:
    """The draft revision a coordinator's page showed, sent back by its forms (web.rota.drafts.expect_revision); None
    when the form has none (a page drawn before forms carried it: acted on without the check)."""
    return whole_number(revision, digits=12)


SeenRevision = Annotated[int | None, Depends(seen_revision)]


def person_row_or_404(db: Session, community: Community, key: str) -> PersonRow:
    """The community's person with this key, or 404 (pages and the API alike)."""
    row = person_row(db, community, key)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such person")
    return row

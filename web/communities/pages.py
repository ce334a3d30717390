"""The communities page: the switcher (every account), creating a community and its members (admins).

`GET /communities` lists the communities the account may see; `POST /communities/{id}/choose` makes one the
session's current community (404 for one it may not see: not even its existence shows). Admins create communities
(`POST /communities`) and add or remove members (`POST /communities/{id}/members`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from web import roles
from web.accounts.service import by_name
from web.communities import service
from web.communities.service import CommunityError
from web.deps import SESSION_KEY, AdminUser, CommunityBadge, CsrfChecked, DbSession, T, Viewer, current_community
from web.i18n import Translator
from web.logins import sessions as login_sessions
from web.rendering import flash, render
from web.store import transaction
from web.tables import Community, Coordinator
from web.validation import DbId

router = APIRouter(include_in_schema=False)
Field = Annotated[str, Form(max_length=200)]
ZONE = "Asia/Shanghai"


@dataclass
class NewCommunityForm:
    values: dict[str, str] = field(default_factory=lambda: {"timezone": ZONE, "language": "zh"})
    errors: dict[str, str] = field(default_factory=dict)


def _page(
    request: Request, t: Translator, db: Session, user: Coordinator, status_code: int = 200,
    form: NewCommunityForm | None = None, **context: Any,
) -> Response:
    visible = service.visible(db, user)
    current = current_community(request, db, user)
    if current is not None:
        request.state.community = CommunityBadge(current.id, current.name, len(visible))
    admin = roles.is_admin(user.role)
    members = {c.id: service.members(db, c) for c in visible} if admin else {}
    return render(
        request, t, "communities.html", status_code, user=user, rows=service.rows(db, visible),
        current=current, members=members, form=form or NewCommunityForm(), **context,
    )


@router.get("/communities", response_class=HTMLResponse)
def communities_page(request: Request, t: T, db: DbSession, user: Viewer) -> Response:
    return _page(request, t, db, user)


@router.post("/communities/{community_id}/choose")
def choose(request: Request, community_id: DbId, t: T, db: DbSession, user: Viewer, _csrf: CsrfChecked) -> Response:
    key = request.session.get(SESSION_KEY)
    login = login_sessions.session_row(db, key) if isinstance(key, str) else None
    if login is None:  # Viewer found the session a moment ago; it ended meanwhile
        raise HTTPException(404, "no such community")
    with transaction(db):
        community = service.choose(db, login, user, community_id)
        if community is None:
            raise HTTPException(404, "no such community")
        name = community.name
    flash(request, t("communities.chosen", name=name))
    return RedirectResponse("/", status_code=303)


@router.post("/communities", response_class=HTMLResponse)
def create(
    request: Request, t: T, db: DbSession, user: AdminUser, _csrf: CsrfChecked,
    name: Field = "", timezone: Field = "", language: Field = "",
) -> Response:
    form = NewCommunityForm({"name": name, "timezone": timezone, "language": language})
    try:
        with transaction(db):
            community = service.create_community(db, user.username, name, timezone.strip(), language)
            created = community.name
    except CommunityError as error:
        form.errors[error.field or "name"] = t(error.key)
        return _page(request, t, db, user, 400, form=form)
    flash(request, t("communities.created", name=created))
    return RedirectResponse("/communities", status_code=303)


def _community_or_404(db: Session, user: Coordinator, community_id: int) -> Community:
    community = service.visible_community(db, user, community_id)
    if community is None:
        raise HTTPException(404, "no such community")
    return community


@router.post("/communities/{community_id}/members")
def change_member(
    request: Request, community_id: DbId, t: T, db: DbSession, user: AdminUser, _csrf: CsrfChecked,
    username: Field = "", action: Annotated[str, Form(max_length=10)] = "add",
) -> Response:
    """Add (`action=add`) or remove (`action=remove`) the account with this user name."""
    community = _community_or_404(db, user, community_id)
    member = by_name(db, username.strip())
    if member is None:
        flash(request, t("communities.unknown_user"), "error")
        return RedirectResponse("/communities", status_code=303)
    values = {"user": member.username, "name": community.name}
    if action == "remove":
        with transaction(db):
            removed = service.remove_member(db, user.username, community, member)
        flash(request, t("communities.member_removed" if removed else "communities.member_not", **values))
    elif roles.is_admin(member.role):
        flash(request, t("communities.admin_sees_all", **values))
    else:
        with transaction(db):
            added = service.add_member(db, user.username, community, member)
        flash(request, t("communities.member_added" if added else "communities.member_already", **values))
    return RedirectResponse("/communities", status_code=303)

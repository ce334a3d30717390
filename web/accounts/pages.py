"""The admins' accounts page (roles, deactivation, sessions, invitations) and the invitation link's own page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from web import csrf, roles
from web.accounts import service
from web.accounts.service import AccountError
from web.auth import MIN_PASSWORD_LENGTH
from web.deps import SESSION_KEY, AdminUser, CsrfChecked, DbSession, T, app_context, current_community
from web.i18n import Translator
from web.logins import sessions as login_sessions
from web.rendering import flash, render
from web.store import transaction
from web.tables import Coordinator, Invitation
from web.validation import DbId

router = APIRouter(include_in_schema=False)
RoleField = Annotated[str, Form(max_length=16)]
ACCOUNTS = "/accounts"


def invitation_link(request: Request, token: str) -> str:
    """The invitation's address from the configured public URL (ROTA_PUBLIC_URL), never the request's Host."""
    return f"{app_context(request).settings.resolved_public_url()}/invite/{token}"


def _page(
    request: Request, t: Translator, db: Session, user: Coordinator, status_code: int = 200, **context: Any
) -> Response:
    now = app_context(request).clock()
    return render(
        request, t, "accounts.html", status_code, user=user, rows=service.accounts(db), roles=roles.ROLES,
        invitations=service.open_invitations(db, now), days=service.INVITATION_DAYS, **context,
    )


@router.get(ACCOUNTS, response_class=HTMLResponse)
def accounts_page(request: Request, t: T, db: DbSession, user: AdminUser) -> Response:
    return _page(request, t, db, user)


@router.post(ACCOUNTS + "/invitations", response_class=HTMLResponse)
def create_invitation(
    request: Request, t: T, db: DbSession, user: AdminUser, _csrf: CsrfChecked, role: RoleField = roles.COORDINATOR
) -> Response:
    try:
        with transaction(db):
            current = current_community(request, db, user)
            invitation, token = service.create_invitation(
                db, user.username, role, app_context(request).clock(),
                community_id=current.id if current is not None else None,
            )
    except AccountError as error:
        return _page(request, t, db, user, 400, error=error.text(t))
    return _page(request, t, db, user, new_link=invitation_link(request, token), new_invitation=invitation)


@router.post(ACCOUNTS + "/invitations/{invitation_id}/revoke")
def revoke_invitation(
    request: Request, invitation_id: DbId, t: T, db: DbSession, user: AdminUser, _csrf: CsrfChecked
) -> Response:
    with transaction(db):
        invitation = db.get(Invitation, invitation_id)
        if invitation is None:
            return _page(request, t, db, user, 404, error=t("accounts.invite_unknown"))
        service.revoke_invitation(db, user.username, invitation, app_context(request).clock())
    flash(request, t("accounts.invite_revoked_done"))
    return RedirectResponse(ACCOUNTS, status_code=303)


def _change(
    request: Request, t: Translator, db: Session, user: Coordinator, user_id: int,
    change: Callable[[Coordinator], object], done: str,
    **values: object,
) -> Response:
    """Apply `change(target)` in one transaction; back to the list with `done`, or the list with the refusal."""
    try:
        with transaction(db):
            target = db.get(Coordinator, user_id)
            if target is None:
                return _page(request, t, db, user, 404, error=t("accounts.no_such"))
            result = change(target)
    except AccountError as error:
        return _page(request, t, db, user, 400, error=error.text(t))
    flash(request, t(done, name=target.username, n=result, **values))
    return RedirectResponse(ACCOUNTS, status_code=303)


@router.post(ACCOUNTS + "/{user_id}/role")
def change_role(
    request: Request, user_id: DbId, t: T, db: DbSession, user: AdminUser, _csrf: CsrfChecked, role: RoleField = ""
) -> Response:
    label = t("accounts.role." + role) if role in roles.ROLES else role
    return _change(
        request, t, db, user, user_id, lambda target: service.change_role(db, user, target, role),
        "accounts.role_changed", role=label,
    )


@router.post(ACCOUNTS + "/{user_id}/deactivate")
def deactivate(request: Request, user_id: DbId, t: T, db: DbSession, user: AdminUser, _csrf: CsrfChecked) -> Response:
    return _change(
        request, t, db, user, user_id, lambda target: service.set_active(db, user, target, False),
        "accounts.deactivated",
    )


@router.post(ACCOUNTS + "/{user_id}/reactivate")
def reactivate(request: Request, user_id: DbId, t: T, db: DbSession, user: AdminUser, _csrf: CsrfChecked) -> Response:
    return _change(
        request, t, db, user, user_id, lambda target: service.set_active(db, user, target, True),
        "accounts.reactivated",
    )


@router.post(ACCOUNTS + "/{user_id}/sessions/end")
def end_sessions(
    request: Request, user_id: DbId, t: T, db: DbSession, user: AdminUser, _csrf: CsrfChecked
) -> Response:
    key = request.session.get(SESSION_KEY)
    keep = key if isinstance(key, str) else None
    return _change(
        request, t, db, user, user_id, lambda target: service.end_sessions(db, user, target, keep),
        "accounts.sessions_ended",
    )


# ------------------------------------------------------------------------------------------------- the invitee


def _gone(request: Request, t: Translator, error: AccountError) -> Response:
    """An unknown link answers 404; a used, revoked or expired one 410: a page, never an error of the server."""
    status_code = 404 if error.key == "accounts.invite_unknown" else 410
    return render(request, t, "message.html", status_code, message=error.text(t))


def _join_page(
    request: Request, t: Translator, token: str, role: str, status_code: int = 200, username: str = "",
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request, t, "join.html", status_code, token=token, role=role, username=username, errors=errors or {},
        min_length=MIN_PASSWORD_LENGTH,
    )


@router.get("/invite/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str, t: T, db: DbSession) -> Response:
    try:
        invitation = service.usable_invitation(db, token, app_context(request).clock())
    except AccountError as error:
        return _gone(request, t, error)
    response = _join_page(request, t, token, invitation.role)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/invite/{token}", response_class=HTMLResponse)
def accept_invitation(
    request: Request, token: str, t: T, db: DbSession, _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=200)] = "", password: Annotated[str, Form(max_length=1000)] = "",
    repeat: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    context = app_context(request)
    now = context.clock()
    address = request.client.host[:64] if request.client else "unknown"
    try:
        with transaction(db):
            user = service.accept_invitation(db, token, username, password, repeat, now, t)
            user.last_login_at = now
            key = login_sessions.open_session(db, user, now, address)
    except AccountError as error:
        if error.field is None:
            return _gone(request, t, error)
        try:
            role = service.usable_invitation(db, token, now).role
        except AccountError as gone:
            return _gone(request, t, gone)
        return _join_page(request, t, token, role, 400, username, {error.field: error.text(t)})
    request.session.clear()
    request.session[SESSION_KEY] = key
    csrf.rotate(request)
    flash(request, t("accounts.welcome", name=user.username))
    return RedirectResponse("/", status_code=303)

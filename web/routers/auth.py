"""Login (throttled), logout, the account page (password change, log out everywhere), and the language switch."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web import csrf
from web.auth import MIN_PASSWORD_LENGTH, authenticate, hash_password, verify_password
from web.deps import SESSION_KEY, CsrfChecked, DbSession, PageUser, T, app_context, optional_user
from web.i18n import COOKIE, LANGUAGES
from web.logins import sessions as login_sessions
from web.logins import throttle
from web.rendering import flash, render
from web.store import audit, transaction
from web.tables import Coordinator

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no '//host'), else the home page: no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/")
def home(user: PageUser) -> Response:
    """The coordinator's home: who is on duty now."""
    return RedirectResponse("/now", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, t: T, db: DbSession, next: str = "/") -> Response:
    if optional_user(request, db) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, t, "login.html", next=safe_next(next), username="", error=None)


def _address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: what uvicorn's --proxy-headers makes of it)."""
    return request.client.host[:64] if request.client else "unknown"


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request, t: T, db: DbSession, _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=200)] = "", password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    context = app_context(request)
    now, settings, address = context.clock(), context.settings, _address(request)
    actor = username.strip()[:64] or None
    with transaction(db):
        wait = throttle.blocked_for(db, username, address, now, settings)
        if wait:
            audit(db, actor, "login.throttled", None, address=address)
        else:
            user = authenticate(db, username, password)
            if user is None:
                throttle.record_failure(db, username, address, now, settings)
                audit(db, actor, "login.failed", None, address=address)
            else:
                throttle.forget_account(db, username)
                login_sessions.prune(db, now, settings)
                key = login_sessions.open_session(db, user, now, address)
                user.last_login_at = now
                audit(db, user.username, "login", None, address=address)
    if wait:
        error = t("logins.throttled", minutes=math.ceil(wait / 60))
        response = render(request, t, "login.html", 429, next=safe_next(next), username=username, error=error)
        response.headers["Retry-After"] = str(wait)
        return response
    if user is None:
        return render(request, t, "login.html", 400, next=safe_next(next), username=username, error=t("login.failed"))
    request.session.clear()  # a fresh session: nothing from before the login carries over
    request.session[SESSION_KEY] = key
    csrf.rotate(request)
    if user.must_change_password:
        return RedirectResponse("/account/password", status_code=303)
    return RedirectResponse(safe_next(next), status_code=303)


def _session_key(request: Request) -> str | None:
    key = request.session.get(SESSION_KEY)
    return key if isinstance(key, str) else None


@router.post("/logout")
def logout(request: Request, t: T, db: DbSession, user: PageUser, _csrf: CsrfChecked) -> Response:
    key = _session_key(request)
    if key is not None:
        with transaction(db):
            login_sessions.end_session(db, key)
            audit(db, user.username, "logout", None)
    request.session.clear()
    flash(request, t("login.logged_out"))
    return RedirectResponse("/login", status_code=303)


def _password_page(request: Request, t: T, db: DbSession, user: Coordinator, errors: dict[str, str]) -> Response:
    settings = app_context(request).settings
    return render(
        request, t, "password.html", 400 if errors else 200, user=user, errors=errors,
        sessions=login_sessions.live_sessions(db, user.id), idle_hours=round(settings.session_idle_timeout / 3600, 1),
        max_days=round(settings.session_max_age / 86400, 1),
    )


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, t: T, db: DbSession, user: PageUser) -> Response:
    return _password_page(request, t, db, user, {})


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request, t: T, db: DbSession, user: PageUser, _csrf: CsrfChecked,
    current: Annotated[str, Form(max_length=1000)] = "",
    password: Annotated[str, Form(max_length=1000)] = "", repeat: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current):
        errors["current"] = t("logins.wrong_current")
    elif len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = t("password.too_short", n=MIN_PASSWORD_LENGTH)
    elif password != repeat:
        errors["repeat"] = t("password.mismatch")
    elif password == current:
        errors["password"] = t("password.same" if user.must_change_password else "logins.same_as_current")
    if errors:
        return _password_page(request, t, db, user, errors)
    with transaction(db):
        user.password_hash = hash_password(password)
        user.must_change_password = False
        ended = login_sessions.end_sessions(db, user.id, keep=_session_key(request))
        audit(db, user.username, "password.change", user.username, sessions_ended=ended)
    flash(request, t("logins.changed"))
    return RedirectResponse("/", status_code=303)


@router.post("/account/sessions/end")
def end_every_session(request: Request, t: T, db: DbSession, user: PageUser, _csrf: CsrfChecked) -> Response:
    """Log out everywhere: every session of the user ends, this one included."""
    with transaction(db):
        ended = login_sessions.end_sessions(db, user.id)
        audit(db, user.username, "logout.everywhere", user.username, sessions_ended=ended)
    request.session.clear()
    flash(request, t("logins.ended_all"))
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
def switch_language(
    request: Request, _csrf: CsrfChecked, lang: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    else:
        response.delete_cookie(COOKIE)
    return response

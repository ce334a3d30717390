"""Login, logout, the forced change of a one-time password, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web import csrf
from web.auth import MIN_PASSWORD_LENGTH, authenticate, hash_password, verify_password
from web.deps import USER_KEY, CsrfChecked, DbSession, PageUser, T, optional_user
from web.i18n import COOKIE, LANGUAGES
from web.rendering import flash, render
from web.store import audit, transaction

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no '//host'), else the home page: no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/")
def home(user: PageUser) -> Response:
    return RedirectResponse("/people", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, t: T, db: DbSession, next: str = "/") -> Response:
    if optional_user(request, db) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, t, "login.html", next=safe_next(next), username="", error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request, t: T, db: DbSession, _csrf: CsrfChecked,
    username: Annotated[str, Form(max_length=200)] = "", password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    with transaction(db):
        user = authenticate(db, username, password)
        audit(db, username[:64] or None, "login" if user else "login.failed", None)
    if user is None:
        return render(request, t, "login.html", 400, next=safe_next(next), username=username, error=t("login.failed"))
    request.session.clear()  # a fresh session: nothing from before the login carries over
    request.session[USER_KEY] = user.id
    csrf.rotate(request)
    if user.must_change_password:
        return RedirectResponse("/account/password", status_code=303)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, t: T, user: PageUser, _csrf: CsrfChecked) -> Response:
    request.session.clear()
    flash(request, t("login.logged_out"))
    return RedirectResponse("/login", status_code=303)


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, t: T, user: PageUser) -> Response:
    return render(request, t, "password.html", user=user, errors={})


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request, t: T, db: DbSession, user: PageUser, _csrf: CsrfChecked,
    password: Annotated[str, Form(max_length=1000)] = "", repeat: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    errors: dict[str, str] = {}
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = t("password.too_short", n=MIN_PASSWORD_LENGTH)
    elif password != repeat:
        errors["repeat"] = t("password.mismatch")
    elif verify_password(user.password_hash, password):
        errors["password"] = t("password.same")
    if errors:
        return render(request, t, "password.html", 400, user=user, errors=errors)
    with transaction(db):
        user.password_hash = hash_password(password)
        user.must_change_password = False
        audit(db, user.username, "password.change", user.username)
    flash(request, t("password.changed"))
    return RedirectResponse("/", status_code=303)


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

"""The app factory: settings, database (migrated at start), first coordinator, example community, routers."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TextIO

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Match

from scheduler import MAX_FILE_MB
from web import access_log, roles
from web.accounts import pages as accounts_pages
from web.auth import ensure_first_coordinator
from web.bodies import BodyLimit
from web.changes import api as changes_api
from web.changes import pages as changes_pages
from web.checkin import api as checkin_api
from web.checkin import pages as checkin_pages
from web.communities import api as communities_api
from web.communities import pages as communities_pages
from web.db import make_engine, make_sessions, upgrade
from web.deps import LoginRequired, NoCommunity, document_json_bodies, document_role_refusals, get_translator
from web.feeds import api as feeds_api
from web.feeds import pages as feeds_pages
from web.i18n import Translator
from web.now import api as now_api
from web.now import pages as now_pages
from web.ops import health as ops_health
from web.ops import metrics as ops_metrics
from web.outbox import api as outbox_api
from web.outbox import notices
from web.outbox import pages as outbox_pages
from web.outbox.worker import embedded_worker
from web.people import api as people_api
from web.people import availability, import_pages, privacy_pages
from web.people import pages as people_pages
from web.record import api as record_api
from web.record import pages as record_pages
from web.rendering import render
from web.rota import api as rota_api
from web.rota import pages as rota_pages
from web.rota import wechat as rota_wechat
from web.routers import auth
from web.settings import Settings
from web.setup import api as setup_api
from web.setup import bans as setup_bans
from web.setup import pages as setup_pages
from web.setup import pairs as setup_pairs
from web.signup import api as signup_api
from web.signup import pages as signup_pages
from web.solving import api as solving_api
from web.solving import pages as solving_pages
from web.solving.jobstate import mark_interrupted
from web.solving.queue import QueueJobRunner, ensure_schema
from web.solving.service import JobRunner, ProcessJobRunner
from web.state import AppContext
from web.store import load_example_if_empty, repair_stored_texts

_log = logging.getLogger(__name__)
SESSION_COOKIE = "rota_session"
ROUTERS = (
    auth.router,
    now_pages.router,
    accounts_pages.router,
    setup_pages.router,
    setup_pairs.router,
    setup_bans.router,
    import_pages.router,  # before people: /people/import must not match /people/{key}
    availability.router,
    privacy_pages.router,
    people_pages.router,
    solving_pages.router,
    rota_pages.router,
    rota_wechat.router,
    feeds_pages.router,
    changes_pages.router,
    record_pages.router,
    changes_api.router,
    setup_api.router,
    people_api.router,
    solving_api.router,
    rota_api.router,
    feeds_api.router,
    now_api.router,
    checkin_pages.router,
    checkin_api.router,
    record_api.router,
    outbox_pages.router,
    outbox_api.router,
    signup_pages.router,
    signup_api.router,
    ops_health.router,
    ops_metrics.router,
    communities_pages.router,
    communities_api.router,
)
"""Every router of the app (tests walk their routes to check authorisation and CSRF route by route)."""
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
MAX_BODY_BYTES = (MAX_FILE_MB + 1) * 1024 * 1024
"""Largest request body: a set-up or people as large as the largest scenario file, with room for a form's
envelope (the people import refuses files past its own, smaller limit). Larger bodies get 413 unread."""
_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"


def _runner(settings: Settings, url: str, sessions: sessionmaker[Session]) -> JobRunner:
    """Solves in this process's own solver processes, or, in queue mode, by `rota worker` processes."""
    if settings.queue == "procrastinate":
        ensure_schema(url)
        return QueueJobRunner(url, sessions, settings.queue_name)
    return ProcessJobRunner(url, sessions, settings.max_solves)


def create_app(
    settings: Settings | None = None, runner: JobRunner | None = None, out: TextIO = sys.stdout
) -> FastAPI:
    """Build the app: migrate the database, create the first coordinator and load the example on first start,
    mark solves left unfinished by a previous server as interrupted.

    `runner` replaces the process runner (tests use an inline or a recording runner).
    """
    settings = settings or Settings()
    access_log.install()  # secret-link tokens never reach the access log
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url()
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessions(engine)
    sessions.configure(info={notices.REMINDERS: notices.ReminderTimes.of(settings)})  # for every publication
    with sessions.begin() as db:
        ensure_first_coordinator(db, settings, out)
        load_example_if_empty(db, settings.example_path)
        repair_stored_texts(db)
    mark_interrupted(sessions)
    context = AppContext(settings, engine, sessions, runner or _runner(settings, url, sessions))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        outbox = embedded_worker(context)
        if outbox is not None:
            await outbox.start()
        yield
        if outbox is not None:
            await outbox.stop()
        context.runner.shutdown()
        engine.dispose()

    app = FastAPI(
        title="Rota",
        summary="Volunteer shift scheduler: the coordinator's pages and JSON API.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.rota = context
    # innermost of the middlewares: its 413 reaches the app's error handlers, not a middleware's task group
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.https_only,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)  # a route may choose stricter (personal pages: no-referrer)
        if not request.url.path.startswith(("/docs", "/redoc")):
            response.headers["Content-Security-Policy"] = _CSP
        return response

    app.mount("/static", StaticFiles(directory=Path(__file__).resolve().parent / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router)
    document_role_refusals(ROUTERS)
    document_json_bodies(ROUTERS)
    _add_handlers(app)
    return app



def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/docs"))


def _is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/")


def _allowed_methods(request: Request) -> str:
    """Every method some route answers at this path: Starlette's 405 names the first matching route's only, though
    a path often has one route per method (GET and POST /api/people)."""
    methods: set[str] = set()
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, BaseRoute) and route.matches(request.scope)[0] is not Match.NONE:
                methods.update(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        return RedirectResponse(error.target, status_code=303)

    @app.exception_handler(NoCommunity)
    async def no_community(request: Request, error: NoCommunity) -> Response:
        t = get_translator(request)
        if _is_api(request):
            return JSONResponse({"detail": t(error.key)}, error.status_code)
        return render(request, t, "message.html", error.status_code, message=t(error.key))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code == 405:
            error.headers = {**(error.headers or {}), "Allow": _allowed_methods(request)}
        if _is_api(request):
            if error.status_code == 400 and not _is_multipart(request):
                # only the framework answers 400 on the API: a JSON body it cannot decode (not UTF-8); an invalid
                # body like any other, as the schema documents (422). A broken upload stays 400 (documented there).
                problem = {"loc": ["body"], "msg": str(error.detail), "type": "body_invalid"}
                return JSONResponse({"detail": [problem]}, 422)
            return JSONResponse({"detail": error.detail}, error.status_code, headers=error.headers)
        t: Translator = get_translator(request)
        messages = {
            400: "error.bad_request", 403: "error.forbidden", 404: "error.not_found", 413: "error.too_large",
            422: "error.bad_request",
        }
        if error.status_code == 403 and error.detail == roles.FORBIDDEN:
            text = t("accounts.forbidden")
        elif error.status_code in messages:
            text = t(messages[error.status_code])
        else:
            text = str(error.detail)
        response = render(request, t, "message.html", error.status_code, message=text)
        response.headers.update(error.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        """The API lists the problems (422); a page answers in words: 404 for a path no page has (an id out of
        range, not a number), 400 for a form or query it cannot read (a page's own forms name their fields)."""
        if _is_api(request):
            return await request_validation_exception_handler(request, error)
        t = get_translator(request)
        in_path = any(item.get("loc", ("",))[0] == "path" for item in error.errors())
        status = 404 if in_path else 400
        text = t("error.not_found" if in_path else "error.bad_request")
        return render(request, t, "message.html", status, message=text)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        """A last resort: a rendered page (or JSON) without the traceback, which goes to the server's log."""
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        if _is_api(request):
            return JSONResponse({"detail": "internal server error"}, 500)
        t = get_translator(request)
        return render(request, t, "message.html", 500, message=t("error.server"))

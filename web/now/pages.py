"""The coordinator's home page: who is on duty now (`GET /now`; `/` leads here after login).

What it shows is `web.now.service.now_of`, at the app's clock (`AppContext.clock`, frozen in tests). It refreshes
itself with a meta refresh (the CSP forbids inline scripts, and a page this small needs no script).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from scheduler import language_of
from web.deps import CurrentCommunity, DbSession, T, Viewer, app_context
from web.now.service import now_of
from web.rendering import render

router = APIRouter(include_in_schema=False)
REFRESH_SECONDS = 60


@router.get("/now", response_class=HTMLResponse)
def now_page(request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity) -> Response:
    now = now_of(db, community, app_context(request).clock(), language_of(t.lang))
    response = render(request, t, "now.html", user=user, now=now, every=REFRESH_SECONDS)
    response.headers["Cache-Control"] = "private, no-store"  # always what is going on now
    return response

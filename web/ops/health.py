"""`GET /healthz`: 200 while the database answers a trivial query, 503 when it does not.

For a load balancer, a reverse proxy or a service manager: no login, no solve, one `SELECT 1`. The body says what
was checked and nothing else (no versions, no addresses, no error text: the error goes to the server's log).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from web.deps import app_context

router = APIRouter(include_in_schema=False)
_log = logging.getLogger(__name__)
NO_STORE = {"Cache-Control": "no-store"}


def database_answers(engine: Engine) -> bool:
    """Whether the database answers `SELECT 1` (a failure is logged, not raised)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar_one()
    except (SQLAlchemyError, OSError):
        _log.warning("health check: the database does not answer", exc_info=True)
        return False
    return True


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    if database_answers(app_context(request).engine):
        return JSONResponse({"status": "ok", "database": "ok"}, 200, headers=NO_STORE)
    return JSONResponse({"status": "unavailable", "database": "unavailable"}, 503, headers=NO_STORE)

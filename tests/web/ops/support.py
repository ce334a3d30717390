"""Helpers of the operations tests: an app whose database stops answering."""

from __future__ import annotations

from fastapi import FastAPI

from tests.web.conftest import app_context
from web.db import make_engine, make_sessions

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-folder-of-rota-tests/{name}/rota.sqlite3",
    "postgresql": "postgresql+psycopg://rota:s3cret-pw@127.0.0.1:1/rota?connect_timeout=2",
}
"""Databases that cannot answer: a SQLite file in a folder that does not exist (and cannot be made: the engine is
built without web.db's folder creation), a PostgreSQL server on a port nothing listens on."""


def break_database(app: FastAPI, kind: str) -> None:
    """Point the app at a database that does not answer (its own engine is closed first)."""
    context = app_context(app)
    context.engine.dispose()
    url = UNREACHABLE[kind].format(name="x")
    if kind == "sqlite":
        from sqlalchemy import create_engine

        engine = create_engine(url)
    else:
        engine = make_engine(url)
    context.engine = engine
    context.sessions = make_sessions(engine)

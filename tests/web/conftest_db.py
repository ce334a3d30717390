"""The storage tests' database, by parameter: SQLite in a temporary folder, and a real PostgreSQL server when
ROTA_TEST_POSTGRES_URL names one (scripts/with-postgres.sh starts a throwaway server and sets it; .ci/run does so).

Each PostgreSQL test gets a database of its own, created on the server and dropped afterwards. When the variable
is set but the server cannot be reached the tests fail rather than skip, so CI never passes on skips alone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

POSTGRES_ENV = "ROTA_TEST_POSTGRES_URL"
SKIP_REASON = (
    f"no PostgreSQL server: set {POSTGRES_ENV}=postgresql+psycopg://... or run the tests under "
    "scripts/with-postgres.sh (as .ci/run does)"
)


def postgres_server_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server for one test; dropped afterwards even if connections are left."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"rota_{uuid.uuid4().hex[:16]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.fail(f"{POSTGRES_ENV} is set but the PostgreSQL server cannot be reached: {error}")
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped, with the reason, when no server is configured)."""
    server = postgres_server_url()
    if server is None:
        pytest.skip(SKIP_REASON)
    with fresh_postgres_database(server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same storage test on each database the app supports."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rota.sqlite3'}"
        return
    server = postgres_server_url()
    if server is None:
        pytest.skip(SKIP_REASON)
    with fresh_postgres_database(server) as url:
        yield url

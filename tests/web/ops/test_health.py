"""`GET /healthz`: no login, 200 while the database answers, 503 when it does not, and nothing else said."""

from __future__ import annotations

import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import RecordingRunner
from tests.web.conftest_db import database_url  # noqa: F401  (fixture)
from tests.web.ops.support import break_database
from web.app import create_app
from web.settings import Settings


def test_healthy_without_a_login(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers  # a probe opens no session


def test_healthy_on_each_database(settings: Settings, runner: RecordingRunner, database_url: str) -> None:  # noqa: F811
    app = create_app(settings.model_copy(update={"database_url": database_url}), runner, out=io.StringIO())
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_unavailable_when_the_database_does_not_answer(app: FastAPI, kind: str) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        break_database(app, kind)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert response.headers["cache-control"] == "no-store"
    for secret in ("s3cret", "127.0.0.1", "nonexistent", "psycopg", "sqlite", "OperationalError"):
        assert secret not in response.text


def test_says_no_versions(client: TestClient) -> None:
    body = client.get("/healthz").text
    assert body == '{"status":"ok","database":"ok"}'  # nothing more: no versions, hosts or paths

"""A published version can become the week's draft again: adjusted and published as the next version, while the
version itself never changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scheduler.domain.diff import assignment_key
from tests.web.conftest import login
from tests.web.feeds_support import WEEK, make_app, publish, week_one, week_two


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _keys(rota: dict[str, object]) -> set[tuple[object, ...]]:
    from scheduler.domain.rota import Rota

    return {assignment_key(a) for a in Rota.model_validate(rota).assignments}


def test_version_one_becomes_the_draft_and_is_published_as_version_three(app: FastAPI, client: TestClient) -> None:
    assert publish(app, week_one()) == 1
    assert publish(app, week_two()) == 2
    csrf = login(client)
    week = WEEK.isoformat()
    v1 = client.get(f"/api/rota/{week}/versions/1").json()
    v2 = client.get(f"/api/rota/{week}/versions/2").json()
    assert "以此版本为草稿修改" in client.get(f"/rota/{week}/versions/1").text

    response = client.post(f"/rota/{week}/draft/from-version", data={"csrf_token": csrf, "version": "1"})
    assert response.status_code == 303 and response.headers["location"] == f"/rota/{week}"
    draft = client.get(f"/api/rota/{week}/draft").json()
    assert _keys(draft["rota"]) == _keys(v1["rota"])
    assert "第 1 版已设为本周草稿" in client.get(f"/rota/{week}").text

    response = client.post(f"/rota/{week}/publish", data={"csrf_token": csrf})
    assert response.headers["location"] == f"/rota/{week}/versions/3"
    v3 = client.get(f"/api/rota/{week}/versions/3").json()
    assert _keys(v3["rota"]) == _keys(v1["rota"]) != _keys(v2["rota"])
    assert client.get(f"/api/rota/{week}/versions/1").json() == v1  # published versions never change
    assert client.get(f"/api/rota/{week}/versions/2").json() == v2


def test_unknown_version_and_missing_csrf(client: TestClient, app: FastAPI) -> None:
    publish(app, week_one())
    csrf = login(client)
    week = WEEK.isoformat()
    url = f"/rota/{week}/draft/from-version"
    assert client.post(url, data={"csrf_token": csrf, "version": "9"}).status_code == 404
    assert client.post(url, data={"csrf_token": csrf, "version": "x"}).status_code == 404
    assert client.post(url, data={"version": "1"}).status_code == 403

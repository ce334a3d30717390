"""Publishing builds the calendar feeds at once: the subscribers' first refresh is served from memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scheduler.check import check
from scheduler.domain.rota import Rota, SolveStatus
from tests.web.conftest import login
from tests.web.feeds_support import WEEK, make_app, person_token, session, week_one
from web.feeds import service as feeds
from web.rota import drafts
from web.store import build_scenario, first_community, transaction
from web.tables import RotaDraft


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _draft_week_one(app: FastAPI) -> None:
    with session(app) as db:
        community = first_community(db)
        assert community is not None
        scenario = build_scenario(db, community, WEEK, 7)
        rota = Rota(
            community=scenario.community, start=WEEK, days=7, timezone=scenario.timezone,
            status=SolveStatus.FEASIBLE, objective=0.0, bound=0.0, assignments=week_one(),
        )
        assert check(scenario, rota).ok
        with transaction(db):
            assert drafts.draft_row(db, community, WEEK) is None
            db.add(RotaDraft(community_id=community.id, week_start=WEEK, days=7,
                             rota=rota.model_dump(mode="json"), scenario=scenario.model_dump(mode="json")))


def test_feeds_are_built_when_the_coordinator_publishes(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = {key: person_token(app, key) for key in ("alice", "bob", "carol")}
    _draft_week_one(app)
    csrf = login(client)
    response = client.post(f"/rota/{WEEK.isoformat()}/publish", data={"csrf_token": csrf})
    assert response.status_code == 303, response.text

    def no_building(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("the feed should have been built when the rota was published")

    monkeypatch.setattr(feeds, "person_calendar", no_building)  # the name the feeds build with
    for key, token in tokens.items():
        feed = client.get(f"/p/{token}/calendar.ics")
        assert feed.status_code == 200, key
        assert b"BEGIN:VEVENT" in feed.content, key

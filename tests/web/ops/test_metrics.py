"""`GET /metrics`: off without ROTA_METRICS_TOKEN, a bearer token otherwise, and every figure read from the
database at the scrape (parsed here with prometheus_client's own parser)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError
from sqlalchemy import select

from tests.web.conftest import RecordingRunner, app_context, login
from tests.web.conftest_db import database_url  # noqa: F401  (fixture)
from tests.web.ops.support import break_database
from web.app import create_app
from web.ops.metrics import DURATION_BUCKETS, authorised
from web.settings import Settings
from web.store import first_community
from web.tables import Coordinator, LoginSession, OutboxMessage, SolveJob

TOKEN = "metrics-token-" + "m" * 24
BEARER = {"Authorization": f"Bearer {TOKEN}"}
NOW = dt.datetime(2026, 12, 7, 4, 0, tzinfo=dt.UTC)
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _metered(settings: Settings, runner: RecordingRunner, url: str | None = None) -> FastAPI:
    changes = {"metrics_token": TOKEN, "outbox_worker": False, "database_url": url}
    app = create_app(settings.model_copy(update=changes), runner, out=io.StringIO())
    app_context(app).clock = lambda: NOW
    return app


@pytest.fixture
def metered(settings: Settings, runner: RecordingRunner) -> FastAPI:
    return _metered(settings, runner)


@pytest.fixture
def scraper(metered: FastAPI) -> Iterator[TestClient]:
    with TestClient(metered, follow_redirects=False) as client:
        yield client


def _samples(text: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def _scrape(client: TestClient) -> Samples:
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert response.headers["cache-control"] == "no-store"
    return _samples(response.text)


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


def _job(community_id: int, status: str, *, elapsed: float | None = None, age: float = 0) -> SolveJob:
    return SolveJob(
        community_id=community_id, week_start=dt.date(2026, 12, 7), days=7, status=status, scenario={},
        time_limit=30.0, elapsed=elapsed, created_at=NOW - dt.timedelta(seconds=age),
    )


def _message(community_id: int, key: str, status: str, due_in: float) -> OutboxMessage:
    return OutboxMessage(
        community_id=community_id, channel="email", address="a@example.org", subject="s", body="b", kind="test",
        dedupe_key=key, status=status, next_attempt_at=NOW + dt.timedelta(seconds=due_in), created_at=NOW,
    )


def _fill(app: FastAPI) -> None:
    """Jobs in every state, messages due and not, and an expired login session."""
    with app_context(app).sessions.begin() as db:
        community = first_community(db)
        assert community is not None
        cid = community.id
        db.add_all([
            _job(cid, "queued", age=90), _job(cid, "queued", age=30), _job(cid, "running"),
            _job(cid, "finished", elapsed=2.0), _job(cid, "finished", elapsed=20.0),
            _job(cid, "finished", elapsed=45.5), _job(cid, "failed", elapsed=3.0),
            _job(cid, "interrupted"), _job(cid, "cancelled"),
        ])
        db.add_all([
            _message(cid, "due", "pending", -600), _message(cid, "later", "pending", 3600),
            _message(cid, "sent", "sent", -7200), _message(cid, "failed", "failed", -60),
        ])
        user = db.scalars(select(Coordinator)).first()
        assert user is not None
        old = NOW - dt.timedelta(days=30)
        db.add(LoginSession(id="x" * 64, user_id=user.id, created_at=old, last_seen_at=old, address=None))


def test_off_without_a_token(client: TestClient) -> None:
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 404
    unknown = client.get("/no-such-address")
    assert response.text == unknown.text.replace("/no-such-address", "/metrics")  # the page of any unknown address


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer wrong",
    f"Bearer {TOKEN.upper()}", "Bearer 令牌".encode(),
])
def test_refused_without_the_right_bearer_token(scraper: TestClient, header: str | bytes | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = scraper.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "rota_" not in response.text


def test_scheme_is_case_insensitive() -> None:
    assert authorised(f"bearer {TOKEN}", TOKEN) and authorised(f"  BEARER   {TOKEN} ", TOKEN)
    assert not authorised(None, TOKEN) and not authorised(TOKEN, TOKEN)


def test_an_empty_database_reads_zero(scraper: TestClient) -> None:
    samples = _scrape(scraper)
    assert _value(samples, "rota_database_up") == 1
    assert _value(samples, "rota_communities") == 1
    for status in ("queued", "running", "finished", "failed", "cancelled", "interrupted"):
        assert _value(samples, "rota_solve_jobs", status=status) == 0
    for status in ("pending", "sending", "sent", "failed", "cancelled"):
        assert _value(samples, "rota_outbox_messages", status=status) == 0
    assert _value(samples, "rota_solve_duration_seconds_count") == 0
    assert _value(samples, "rota_solve_oldest_queued_seconds") == 0
    assert _value(samples, "rota_outbox_oldest_due_seconds") == 0
    assert _value(samples, "rota_login_sessions") == 0


def test_figures_come_from_the_database(
    settings: Settings, runner: RecordingRunner, database_url: str,  # noqa: F811
) -> None:
    """On SQLite and on PostgreSQL (when a server is configured: .ci/run): the aggregate queries of both."""
    metered = _metered(settings, runner, database_url)
    _fill(metered)
    with TestClient(metered, follow_redirects=False) as scraper:
        login(scraper)  # one live session, besides the expired one
        samples = _scrape(scraper)
    jobs = {"queued": 2, "running": 1, "finished": 3, "failed": 1, "interrupted": 1, "cancelled": 1}
    for status, count in jobs.items():
        assert _value(samples, "rota_solve_jobs", status=status) == count
    assert _value(samples, "rota_solve_oldest_queued_seconds") == 90
    assert _value(samples, "rota_solve_failures_total", reason="error") == 1
    assert _value(samples, "rota_solve_failures_total", reason="interrupted") == 1
    assert _value(samples, "rota_solve_failures_total", reason="worker_lost") == 0
    assert ("rota_queue_workers", frozenset()) not in samples  # not in queue mode
    # finished solves only: 2, 20 and 45.5 seconds
    expected = {bound: sum(1 for s in (2.0, 20.0, 45.5) if s <= bound) for bound in DURATION_BUCKETS}
    for bound, count in expected.items():
        assert _value(samples, "rota_solve_duration_seconds_bucket", le=repr(bound)) == count
    assert _value(samples, "rota_solve_duration_seconds_bucket", le="+Inf") == 3
    assert _value(samples, "rota_solve_duration_seconds_count") == 3
    assert _value(samples, "rota_solve_duration_seconds_sum") == pytest.approx(67.5)
    for status, count in {"pending": 2, "sent": 1, "failed": 1, "sending": 0, "cancelled": 0}.items():
        assert _value(samples, "rota_outbox_messages", status=status) == count
    assert _value(samples, "rota_outbox_due_messages") == 1  # the other pending one is for later
    assert _value(samples, "rota_outbox_oldest_due_seconds") == 600
    assert _value(samples, "rota_login_sessions") == 1


def test_every_process_reads_the_same(settings: Settings, runner: RecordingRunner) -> None:
    """Two apps on one database (two web processes behind one address) answer the same figures."""
    first, second = _metered(settings, runner), _metered(settings, runner)
    _fill(first)
    with TestClient(first) as one, TestClient(second) as two:
        assert _scrape(one) == _scrape(two)
        assert _value(_scrape(two), "rota_solve_jobs", status="queued") == 2


def test_says_nothing_of_the_process_or_its_libraries(scraper: TestClient) -> None:
    text = scraper.get("/metrics", headers=BEARER).text
    names = {family.name for family in text_string_to_metric_families(text)}
    assert all(name.startswith("rota_") for name in names), names
    for word in ("python", "version", "process_", "sqlite", TOKEN):
        assert word not in text


def test_the_database_down_is_a_figure_not_an_error(metered: FastAPI) -> None:
    with TestClient(metered, raise_server_exceptions=False) as client:
        break_database(metered, "sqlite")
        response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200
    samples = _samples(response.text)
    assert samples == {("rota_database_up", frozenset()): 0}


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_token_leaves_metrics_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ROTA_METRICS_TOKEN", value)
    assert Settings().metrics_token is None


def test_a_short_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROTA_METRICS_TOKEN", "short")
    with pytest.raises(ValidationError):
        Settings()



"""`GET /metrics`: the deployment's figures in Prometheus's text format, read from the database at each scrape.

Several web processes may serve one address and solves run outside them, so no figure is counted in a process's
memory: a custom collector queries the database when Prometheus asks (a few aggregate queries, no rows read one by
one), registered on a registry of this app alone (never prometheus_client's global one, which would also export the
process's own figures and, in tests, mix apps).

Off unless `ROTA_METRICS_TOKEN` is set (404, as for any unknown address); then the scraper sends
`Authorization: Bearer <token>` (401 otherwise).
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from web.deps import app_context
from web.ops.health import NO_STORE
from web.settings import Settings
from web.solving.jobstate import WORKER_LOST
from web.solving.queue import live_workers
from web.state import AppContext
from web.tables import Community, JobStatus, LoginSession, OutboxMessage, OutboxStatus, SolveJob

router = APIRouter(include_in_schema=False)
_log = logging.getLogger(__name__)
DURATION_BUCKETS = (1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
"""Seconds: a solve's time limit is 30 s by default and at most an hour (web.settings)."""
FAILED = {JobStatus.FAILED.value: "error", JobStatus.INTERRUPTED.value: "interrupted"}
"""Statuses counted as failures, by the reason label they get."""


@dataclass(frozen=True)
class Durations:
    """Finished solves' recorded run times: how many finished within each bucket, how many in all, their sum."""

    within: tuple[int, ...]
    count: int
    total: float


def _counts(db: Session, status: InstrumentedAttribute[str]) -> dict[str, int]:
    rows = db.execute(select(status, func.count()).group_by(status)).all()
    return {str(value): int(count) for value, count in rows}


def _durations(db: Session) -> Durations:
    """One pass over the finished solves (no row is read into Python)."""
    elapsed = SolveJob.elapsed
    within = [func.coalesce(func.sum(case((elapsed <= bound, 1), else_=0)), 0) for bound in DURATION_BUCKETS]
    row = db.execute(
        select(func.count(), func.coalesce(func.sum(elapsed), 0.0), *within)
        .where(SolveJob.status == JobStatus.FINISHED.value, elapsed.is_not(None))
    ).one()
    return Durations(tuple(int(n) for n in row[2:]), int(row[0]), float(row[1]))


def _age(now: dt.datetime, moment: dt.datetime | None) -> float:
    return max(0.0, (now - moment).total_seconds()) if moment is not None else 0.0


def _live_sessions(db: Session, now: dt.datetime, settings: Settings) -> int:
    """Sessions neither past their lifetime nor idle too long (web.logins.sessions deletes those lazily)."""
    live = and_(
        LoginSession.created_at > now - dt.timedelta(seconds=settings.session_max_age),
        LoginSession.last_seen_at > now - dt.timedelta(seconds=settings.session_idle_timeout),
    )
    return int(db.scalar(select(func.count()).select_from(LoginSession).where(live)) or 0)


def _histogram(durations: Durations) -> HistogramMetricFamily:
    buckets: list[tuple[str, float]] = [
        (repr(bound), float(n)) for bound, n in zip(DURATION_BUCKETS, durations.within, strict=True)
    ]
    buckets.append(("+Inf", float(durations.count)))
    return HistogramMetricFamily(
        "rota_solve_duration_seconds", "Run time of every finished solve and repair, as recorded by the solver.",
        buckets=buckets, sum_value=durations.total,
    )


def _families(db: Session, now: dt.datetime, settings: Settings) -> Sequence[Metric]:
    jobs = _counts(db, SolveJob.status)
    oldest_queued = db.scalar(select(func.min(SolveJob.created_at)).where(SolveJob.status == JobStatus.QUEUED.value))
    messages = _counts(db, OutboxMessage.status)
    due = (OutboxMessage.status == OutboxStatus.PENDING.value) & (OutboxMessage.next_attempt_at <= now)
    due_count, oldest_due = db.execute(select(func.count(), func.min(OutboxMessage.next_attempt_at)).where(due)).one()

    by_status = GaugeMetricFamily(
        "rota_solve_jobs", "Solves and repairs by status; queued and running are the queue.", labels=["status"]
    )
    for status in JobStatus:
        by_status.add_metric([status.value], jobs.get(status.value, 0))
    failures = CounterMetricFamily(
        "rota_solve_failures", "Solves and repairs that ended without a result: an error, a server stopped under "
        "them (interrupted), or the queue's workers kept stopping under them (worker_lost).", labels=["reason"],
    )
    lost = int(db.scalar(select(func.count()).select_from(SolveJob).where(
        SolveJob.status == JobStatus.FAILED.value, SolveJob.error.like(f"{WORKER_LOST}%"))) or 0)
    for failed, reason in FAILED.items():
        failures.add_metric([reason], jobs.get(failed, 0) - (lost if failed == JobStatus.FAILED.value else 0))
    failures.add_metric([WORKER_LOST], lost)
    outbox = GaugeMetricFamily("rota_outbox_messages", "Stored notifications by status.", labels=["status"])
    for message_status in OutboxStatus:
        outbox.add_metric([message_status.value], messages.get(message_status.value, 0))
    return [
        by_status,
        GaugeMetricFamily(
            "rota_solve_oldest_queued_seconds", "How long the oldest queued solve has waited (0: none waits).",
            value=_age(now, oldest_queued),
        ),
        _histogram(_durations(db)),
        failures,
        outbox,
        GaugeMetricFamily(
            "rota_outbox_due_messages", "Pending notifications already due (the rest wait for their time).",
            value=int(due_count),
        ),
        GaugeMetricFamily(
            "rota_outbox_oldest_due_seconds", "How long the oldest due notification has waited past its time "
            "(0: none); it grows when nothing sends.", value=_age(now, oldest_due),
        ),
        GaugeMetricFamily("rota_login_sessions", "Coordinators' live login sessions.",
                          value=_live_sessions(db, now, settings)),
        GaugeMetricFamily("rota_communities", "Communities on this deployment.",
                          value=int(db.scalar(select(func.count()).select_from(Community)) or 0)),
        *_queue_families(db, settings),
    ]


def _queue_families(db: Session, settings: Settings) -> list[Metric]:
    """Queue mode: the workers alive (a heartbeat within ROTA_WORKER_STALLED_AFTER); 0 means solves only wait."""
    if settings.queue != "procrastinate":
        return []
    return [GaugeMetricFamily("rota_queue_workers", "Solve workers serving the queue now (queue mode).",
                              value=live_workers(db, settings.worker_stalled_after))]


class DatabaseCollector(Collector):
    """Reads every figure from the database when scraped; `rota_database_up` is 0 (and the rest absent) when the
    database does not answer, so the scrape itself still succeeds and an alert can name the cause."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("rota_database_up", "1 when the database answered this scrape's queries, else 0.")
        try:
            with self.context.sessions() as db:
                families = _families(db, self.context.clock(), self.context.settings)
        except (SQLAlchemyError, OSError):
            _log.warning("metrics: the database does not answer", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def registry_of(request: Request) -> CollectorRegistry:
    """The app's own registry, made on the first scrape."""
    state = request.app.state
    registry = getattr(state, "metrics_registry", None)
    if not isinstance(registry, CollectorRegistry):
        registry = CollectorRegistry(auto_describe=False)
        registry.register(DatabaseCollector(app_context(request)))
        state.metrics_registry = registry
    return registry


def authorised(header: str | None, token: str) -> bool:
    """Whether an Authorization header carries `Bearer <token>` (compared in constant time)."""
    scheme, _, given = (header or "").strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@router.get("/metrics")
def metrics(request: Request) -> Response:
    token = app_context(request).settings.metrics_token
    if token is None:
        raise HTTPException(404)  # not configured: the same page as any unknown address
    if not authorised(request.headers.get("authorization"), token):
        return PlainTextResponse(
            "401: send Authorization: Bearer <ROTA_METRICS_TOKEN>\n", 401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"', **NO_STORE},
        )
    return Response(generate_latest(registry_of(request)), media_type=CONTENT_TYPE_PLAIN_0_0_4, headers=NO_STORE)

"""The embedded outbox worker: one asyncio task of the app, started and stopped by its lifespan.

Every `interval` seconds, and as soon as a transaction that enqueued a message commits, it runs one pass
(`service.run_pass`: recover, then deliver) in a thread, so the event loop never waits on SMTP or a webhook.
Several app processes may each run one: claims are atomic (`service.claim_due`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Mapping

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from web.db import make_engine, make_sessions, upgrade
from web.outbox.channels import channels_of
from web.outbox.service import WAKE_KEY, Channel, Report, run_pass
from web.settings import Settings
from web.state import AppContext
from web.tables import utcnow

_log = logging.getLogger(__name__)


class OutboxWorker:
    def __init__(
        self, sessions: sessionmaker[Session], channels: Mapping[str, Channel], clock: Callable[[], dt.datetime],
        public_url: str, interval: float,
    ) -> None:
        self.sessions = sessions
        self.channels = channels
        self.clock = clock
        self.public_url = public_url
        self.interval = interval
        self.passes = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def run_once(self) -> Report:
        report = run_pass(self.sessions, self.channels, self.clock(), public_url=self.public_url)
        self.passes += 1
        return report

    def wake(self) -> None:
        """Run a pass soon (safe from any thread)."""
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wake.set)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(WAKE_KEY, False):
            self.wake()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        event.listen(self.sessions, "after_commit", self._after_commit)
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    async def stop(self) -> None:
        """Finish the pass under way (its sends time out on their own) and stop."""
        self._stopping = True
        if event.contains(self.sessions, "after_commit", self._after_commit):
            event.remove(self.sessions, "after_commit", self._after_commit)
        if self._wake is not None:
            self._wake.set()
        if self._task is not None:
            await self._task
        self._task = self._loop = self._wake = None

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            try:
                await asyncio.to_thread(self.run_once)
            except Exception:  # a database hiccup must not end the worker: the next pass tries again
                _log.exception("outbox pass failed")
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()


def embedded_worker(context: AppContext) -> OutboxWorker | None:
    """The app's own worker, unless the settings turn it off (`ROTA_OUTBOX_WORKER=false`)."""
    settings = context.settings
    if not settings.outbox_worker:
        return None
    return OutboxWorker(
        context.sessions, channels_of(settings), lambda: context.clock(), settings.resolved_public_url(),
        settings.outbox_interval,
    )


def send_once(settings: Settings) -> Report:
    """One pass on the database of the settings (`rota admin send-outbox`), its schema brought up to date first."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    try:
        upgrade(engine)
        sessions = make_sessions(engine)
        return run_pass(sessions, channels_of(settings), utcnow(), public_url=settings.resolved_public_url())
    finally:
        engine.dispose()

"""What the app factory builds once and every request uses: settings, database sessions, the job runner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from web.settings import Settings
from web.solving.service import JobRunner
from web.tables import utcnow


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    runner: JobRunner
    clock: Callable[[], dt.datetime] = field(default=utcnow)
    """Now, for session time-outs and login throttling (tests move it)."""

"""What the app factory builds once and every request uses: settings, database sessions, the job runner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from web.settings import Settings
from web.solving.service import JobRunner


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    runner: JobRunner

"""Settings of the web app, read from the environment (ROTA_*) when the app factory asks for them."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SCENARIO = REPO_ROOT / "examples" / "checkpoint.yaml"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def default_max_solves() -> int:
    """Half the machine's cores, at least 1: a solve keeps several cores busy, and the pages need some too."""
    return max(1, (os.cpu_count() or 1) // 2)


class Settings(BaseSettings):
    """Everything the app needs to start. Nothing is read at import time: call `Settings()` in the factory."""

    model_config = SettingsConfigDict(env_prefix="ROTA_", extra="ignore", frozen=True)

    data_dir: Path = Field(default=Path("data"), description="Folder of the SQLite database and the secret key.")
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "ROTA_DATABASE_URL"),
        description="SQLAlchemy URL of another database (e.g. postgresql+psycopg://...); default: SQLite in data_dir.",
    )
    secret_key: str | None = Field(
        default=None, description="Signs the session cookie; default: generated once and kept in data_dir."
    )
    admin_user: str = Field(default="admin", min_length=1, max_length=64, description="First coordinator's name.")
    admin_password: str | None = Field(
        default=None, description="First coordinator's password; default: a one-time password printed at start."
    )
    example_path: Path | None = Field(
        default=EXAMPLE_SCENARIO, description="Scenario loaded into an empty database on first start (None: none)."
    )
    https_only: bool = Field(default=False, description="Send the session cookie over HTTPS only.")
    solve_time_limit: float = Field(default=30.0, gt=0, le=3600, description="Seconds per solve.")
    solve_workers: int | None = Field(default=None, ge=1, le=64, description="Solver threads (None: automatic).")
    max_solves: int = Field(
        default_factory=default_max_solves, ge=1, le=256,
        description="Solves and repairs run at once by this server; more wait in a queue. Default: half the cores.",
    )
    session_max_age: int = Field(
        default=14 * 24 * 3600, ge=60, description="Absolute session lifetime in seconds, from the login."
    )
    session_idle_timeout: int = Field(
        default=12 * 3600, ge=60, description="A session unused this many seconds ends (idle time-out)."
    )
    login_max_failures: int = Field(
        default=10, ge=1, le=1000, description="Failed logins per account or per address before logins are refused."
    )
    login_failure_window: int = Field(
        default=15 * 60, ge=1, le=24 * 3600, description="Seconds over which failed logins are counted (and refused)."
    )
    public_url: str | None = Field(
        default=None,
        description="Address of the site as volunteers reach it (https://rota.example.org), used for every absolute "
        "link and QR code; never taken from the request. Default: " + DEFAULT_PUBLIC_URL + ".",
    )
    calendar_alarm_minutes: int = Field(
        default=60, ge=0, le=7 * 24 * 60,
        description="Calendar feeds: a reminder this many minutes before each shift (0: no reminder).",
    )

    # the outbox (web.outbox): e-mail over SMTP, and the worker that sends
    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail (None: e-mail is not sent).")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server's port.")
    smtp_user: str | None = Field(default=None, description="SMTP login name (None: no login).")
    smtp_password: str | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the SMTP connection with STARTTLS.")
    mail_from: str = Field(default="rota@localhost", max_length=254, description="Sender address of e-mails.")
    outbox_worker: bool = Field(
        default=True, description="Run the outbox worker inside the app (off: `rota admin send-outbox` sends)."
    )
    outbox_interval: float = Field(default=5.0, gt=0, le=3600, description="Seconds between the worker's passes.")
    reminder_evening: dt.time | None = Field(
        default=dt.time(20), description="Remind people of their shifts the evening before, at this local time "
        "(empty: no evening reminder); the group's WeCom robot gets the next day's rota then.",
    )
    reminder_minutes: int = Field(
        default=60, ge=0, le=24 * 60, description="Remind people this many minutes before a shift (0: not).",
    )

    # solves on the distributed queue (web.solving.queue): off by default, solves then run inside the app
    queue: Literal["local", "procrastinate"] = Field(
        default="local", description="Where solves run: 'local' (processes of this app) or 'procrastinate' (a "
        "task queue in the PostgreSQL database, solved by `rota worker` processes on any machine).",
    )
    queue_name: str = Field(
        default="rota-solves", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$",
        description="The queue's name in the database (deployments sharing one database keep theirs apart).",
    )
    worker_concurrency: int = Field(default=1, ge=1, le=64, description="Solves one `rota worker` runs at once.")
    worker_heartbeat: float = Field(default=10.0, gt=0, le=600, description="Seconds between a worker's signs "
                                    "of life in the database.")
    worker_stalled_after: float = Field(
        default=30.0, gt=0, le=3600, description="A worker silent this many seconds has stopped: its solves go to "
        "another worker (must exceed the heartbeat).",
    )
    worker_attempts: int = Field(
        default=2, ge=1, le=10, description="Workers that may begin one solve: a solve whose workers keep stopping "
        "fails after this many.",
    )
    worker_shutdown_grace: float = Field(
        default=30.0, ge=0, le=3600, description="Seconds a stopping worker lets its solves finish; the others go "
        "back to the queue for another worker.",
    )

    # operations (web.ops)
    metrics_token: str | None = Field(
        default=None, min_length=16, max_length=256,
        description="Bearer token that Prometheus sends to read /metrics (None: /metrics answers 404).",
    )

    @model_validator(mode="after")
    def _queue_needs_postgresql(self) -> Settings:
        if self.queue == "procrastinate" and not (self.database_url or "").startswith(("postgresql", "postgres")):
            raise ValueError("ROTA_QUEUE=procrastinate needs DATABASE_URL=postgresql+psycopg://... (the queue lives "
                             "in PostgreSQL; SQLite solves with ROTA_QUEUE=local)")
        if self.worker_stalled_after <= self.worker_heartbeat:
            raise ValueError("ROTA_WORKER_STALLED_AFTER must be longer than ROTA_WORKER_HEARTBEAT")
        return self

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _no_metrics_token(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("reminder_evening", mode="before")
    @classmethod
    def _no_evening(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        """An http(s) address with a host and nothing after its path; kept without the trailing slash."""
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("ROTA_PUBLIC_URL must look like https://rota.example.org (no query or fragment)")
        return value.strip().rstrip("/")

    def resolved_public_url(self) -> str:
        """The base of every absolute link (feeds, personal pages, QR codes)."""
        return self.public_url or DEFAULT_PUBLIC_URL

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'rota.sqlite3').resolve()}"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated on first use and kept (mode 0600) in the data folder."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(key, encoding="utf-8")
        return key

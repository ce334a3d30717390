"""Settings of the web app, read from the environment (ROTA_*) when the app factory asks for them."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SCENARIO = REPO_ROOT / "examples" / "checkpoint.yaml"


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
    session_max_age: int = Field(default=14 * 24 * 3600, ge=60, description="Session lifetime in seconds.")
    calendar_alarm_minutes: int = Field(
        default=60, ge=0, le=7 * 24 * 60,
        description="Calendar feeds: a reminder this many minutes before each shift (0: no reminder).",
    )

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

"""`rota admin backup` / `restore`: a round trip on SQLite (taken while the app is open) and on PostgreSQL when
ROTA_TEST_POSTGRES_URL names a server (scripts/with-postgres.sh, as .ci/run does); refused files leave the
database as it was."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select
from typer.testing import CliRunner, Result

from alembic import command
from tests.web.conftest import PASSWORD, RecordingRunner, app_context
from tests.web.conftest_db import postgres_url  # noqa: F401  (fixture)
from web.app import create_app
from web.commands import app as rota
from web.db import alembic_config
from web.settings import Settings
from web.tables import PersonRow

PEOPLE = ["alice", "bob", "carol", "dave"]


def run(data_dir: Path, *arguments: str, database_url: str | None = None) -> Result:
    env = {"ROTA_DATA_DIR": str(data_dir), "DATABASE_URL": database_url, "ROTA_DATABASE_URL": None}
    return CliRunner().invoke(rota, ["admin", *arguments], env=env)


def people(app: FastAPI) -> list[str]:
    with app_context(app).sessions() as db:
        return sorted(db.scalars(select(PersonRow.key)))


def forget_people(app: FastAPI) -> None:
    with app_context(app).sessions.begin() as db:
        db.execute(delete(PersonRow))


def test_sqlite_round_trip_while_the_app_is_open(app: FastAPI, data_dir: Path, tmp_path: Path) -> None:
    assert people(app) == PEOPLE
    target = tmp_path / "rota-backup.sqlite3"
    result = run(data_dir, "backup", str(target))
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    forget_people(app)
    assert people(app) == []

    result = run(data_dir, "restore", str(target))
    assert result.exit_code == 0, result.output
    assert people(app) == PEOPLE  # the open app sees the restored data
    kept = list(data_dir.glob("rota.sqlite3.before-restore-*"))
    assert len(kept) == 1 and str(kept[0]) in result.output
    with sqlite3.connect(kept[0]) as previous:
        assert previous.execute("SELECT count(*) FROM person").fetchone() == (0,)


def test_an_existing_backup_is_replaced_only_with_force(app: FastAPI, data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    target.write_text("keep me", encoding="utf-8")
    result = run(data_dir, "backup", str(target))
    assert result.exit_code == 2
    assert "exists already" in result.output and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"
    result = run(data_dir, "backup", str(target), "--force")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM person").fetchone() == (len(PEOPLE),)
    assert run(data_dir, "backup", str(tmp_path / "no-such-folder" / "b.sqlite3")).exit_code == 2
    assert run(data_dir, "backup", str(tmp_path)).exit_code == 2


def other_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda tmp: tmp / "missing.sqlite3", "does not exist"),
        (lambda tmp: (tmp / "text.txt", (tmp / "text.txt").write_text("hello " * 200))[0], "not a SQLite database"),
        (lambda tmp: other_sqlite(tmp / "other.sqlite3"), "tables are not rota's"),
    ],
    ids=["missing", "text", "other-sqlite"],
)
def test_restore_refuses_what_is_not_a_rota_backup(
    app: FastAPI, data_dir: Path, tmp_path: Path, make: object, says: str
) -> None:
    assert callable(make)
    source = make(tmp_path)
    result = run(data_dir, "restore", str(source))
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert people(app) == PEOPLE
    assert not list(data_dir.glob("*.before-restore-*"))


def test_restore_refuses_a_backup_from_a_newer_rota(app: FastAPI, data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    assert run(data_dir, "backup", str(target)).exit_code == 0
    with sqlite3.connect(target) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    result = run(data_dir, "restore", str(target))
    assert result.exit_code == 2
    assert "newer version of rota" in result.output
    assert people(app) == PEOPLE


def test_an_older_backup_is_migrated_after_the_restore(app: FastAPI, data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "old.sqlite3"
    assert run(data_dir, "backup", str(target)).exit_code == 0
    command.downgrade(alembic_config(f"sqlite:///{target}"), "0005_draft_revision")
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005_draft_revision",)
    forget_people(app)
    result = run(data_dir, "restore", str(target))
    assert result.exit_code == 0, result.output
    assert people(app) == PEOPLE
    with sqlite3.connect(data_dir / "rota.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() != ("0005_draft_revision",)
    assert {"login_session", "login_failure"} <= tables


def test_postgresql_round_trip(postgres_url: str, tmp_path: Path, community_file: Path) -> None:  # noqa: F811
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password=PASSWORD, example_path=community_file,
        secret_key="k" * 40, database_url=postgres_url, public_url="http://testserver",
    )
    app = create_app(settings, RecordingRunner(), out=io.StringIO())
    try:
        assert people(app) == PEOPLE
        target = tmp_path / "rota.dump"
        result = run(settings.data_dir, "backup", str(target), database_url=postgres_url)
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 0
        assert run(settings.data_dir, "backup", str(target), database_url=postgres_url).exit_code == 2
        forget_people(app)
        app_context(app).engine.dispose()  # the restore drops tables: no idle connection of ours in the way

        not_a_dump = tmp_path / "not-a-dump"
        not_a_dump.write_text("hello", encoding="utf-8")
        refused = run(settings.data_dir, "restore", str(not_a_dump), database_url=postgres_url)
        assert refused.exit_code == 2 and "not a pg_dump archive" in refused.output

        result = run(settings.data_dir, "restore", str(target), database_url=postgres_url)
        assert result.exit_code == 0, result.output
        assert people(app) == PEOPLE
        assert len(list(settings.data_dir.glob("before-restore-*.dump"))) == 1
    finally:
        app_context(app).engine.dispose()


def test_restore_on_a_new_machine(app: FastAPI, data_dir: Path, tmp_path: Path) -> None:
    """Disaster recovery: an empty data folder gets the backup, and an app started on it has the data."""
    target = tmp_path / "backup.sqlite3"
    assert run(data_dir, "backup", str(target)).exit_code == 0
    fresh = tmp_path / "new-machine" / "data"
    result = run(fresh, "restore", str(target))
    assert result.exit_code == 0, result.output
    assert "kept" not in result.output  # nothing was there to keep aside
    settings = Settings(
        data_dir=fresh, admin_user="coord", admin_password=PASSWORD, example_path=None, secret_key="k" * 40,
        database_url=None, public_url="http://testserver",
    )
    restored = create_app(settings, RecordingRunner(), out=io.StringIO())
    try:
        assert people(restored) == PEOPLE
    finally:
        app_context(restored).engine.dispose()

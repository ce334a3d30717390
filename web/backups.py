"""`rota admin backup` and `rota admin restore`: one file holding the whole database, and back again.

SQLite is copied with its online backup API, so a backup taken while the server runs is consistent (the WAL
included). PostgreSQL goes through `pg_dump --format=custom` and `pg_restore`, with the URL's credentials passed
in the environment (PGPASSWORD, ...), never on a command line other users can read. A restore first checks that
the file is a rota database no newer than this code, keeps the current database aside, then migrates the restored
one to the newest schema.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import URL, MetaData, make_url

from web.db import alembic_config, make_engine, upgrade

REQUIRED_TABLES = frozenset({"alembic_version", "coordinator", "community", "person", "rota_version"})
"""Tables every rota database has had since the first migration: a file without them is not a rota database."""

_PG_ENV = {"host": "PGHOST", "port": "PGPORT", "username": "PGUSER", "password": "PGPASSWORD", "database": "PGDATABASE"}
_PG_QUERY_ENV = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME", "options": "PGOPTIONS",
}


class BackupError(Exception):
    """Refused input or a failed step, with a message for the person at the command line."""


@dataclass(frozen=True)
class Outcome:
    """What a command did, to be printed."""

    lines: tuple[str, ...]


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _known_revisions(url: str) -> tuple[set[str], str]:
    """Every migration this code knows, and the newest."""
    scripts = ScriptDirectory.from_config(alembic_config(url))
    head = scripts.get_current_head()
    assert head is not None
    return {script.revision for script in scripts.walk_revisions()}, head


def _check_revision(revision: str | None, url: str, path: Path) -> str:
    known, head = _known_revisions(url)
    if not revision:
        raise BackupError(f"{path} is not a rota database backup (no schema version recorded).")
    if revision not in known:
        raise BackupError(
            f"{path} comes from a newer version of rota (schema {revision}; this one knows up to {head}): "
            "upgrade rota first."
        )
    return revision


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory: there is nothing to back up.")
    return Path(url.database)


def _target_free(path: Path, force: bool) -> None:
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the backup file's name.")
    if path.exists() and not force:
        raise BackupError(f"{path} exists already: choose another name, or add --force to replace it.")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist.")


@contextmanager
def _partial(path: Path) -> Iterator[Path]:
    """A file written next to the target and renamed over it only once complete."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (the server may be writing) as one self-contained file."""
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, closing(sqlite3.connect(target)) as dst:
        src.execute("PRAGMA busy_timeout=10000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")


def _sqlite_revision(path: Path) -> str:
    """The schema version of a SQLite file, refusing files that are not rota databases."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables >= REQUIRED_TABLES:
                raise BackupError(f"{path} is not a rota database backup (its tables are not rota's).")
            rows = db.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        raise BackupError(f"{path} is not a rota database backup (not a SQLite database).") from None
    return rows[0][0] if len(rows) == 1 else ""


def backup(database_url: str, path: Path, force: bool = False) -> Outcome:
    """Write the whole database to `path`."""
    url = make_url(database_url)
    path = path.expanduser().absolute()
    _target_free(path, force)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        _sqlite_revision(source)
        with _partial(path) as partial:
            _sqlite_copy(source, partial)
    elif url.get_backend_name() == "postgresql":
        with _partial(path) as partial:
            _pg_run("pg_dump", ["--format=custom", "--no-owner", f"--file={partial}"], url)
    else:
        raise BackupError(f"backups of {url.get_backend_name()} databases are not supported (SQLite, PostgreSQL).")
    return Outcome((f"Backup written to {path} ({path.stat().st_size:,} bytes).",))


def restore(database_url: str, path: Path, aside_dir: Path) -> Outcome:
    """Replace the database by the backup at `path`, keeping the current one in `aside_dir`; migrate if older."""
    url = make_url(database_url)
    path = path.expanduser().absolute()
    if url.get_backend_name() == "sqlite":
        lines = _sqlite_restore(database_url, url, path)
    elif url.get_backend_name() == "postgresql":
        lines = _pg_restore(database_url, url, path, aside_dir)
    else:
        raise BackupError(f"restoring {url.get_backend_name()} databases is not supported (SQLite, PostgreSQL).")
    engine = make_engine(database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    _, head = _known_revisions(database_url)
    return Outcome((*lines, f"Database restored from {path}; schema at {head}."))


def _sqlite_restore(database_url: str, url: URL, path: Path) -> list[str]:
    target = _sqlite_path(url).absolute()
    _check_revision(_sqlite_revision(path), database_url, path)
    if path.resolve() == target.resolve():
        raise BackupError(f"{path} is the database itself.")
    lines = []
    if target.exists():
        aside = target.with_name(f"{target.name}.before-restore-{_stamp()}")
        _sqlite_copy(target, aside)
        lines.append(f"The previous database is kept as {aside}.")
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    # Copied into the live file, not renamed over it: a running server's open connections and its WAL stay valid.
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as src, closing(sqlite3.connect(target)) as dst:
        dst.execute("PRAGMA busy_timeout=10000")
        src.backup(dst)
    return lines


def _pg_env(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    for attribute, name in _PG_ENV.items():
        value = getattr(url, attribute)
        if value is not None:
            env[name] = str(value)
    for key, name in _PG_QUERY_ENV.items():
        value = url.query.get(key)
        if isinstance(value, str):
            env[name] = value
    return env


def _pg_run(program: str, arguments: list[str], url: URL) -> str:
    """Run a PostgreSQL client program against the URL's database; its output, or a BackupError."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found: install PostgreSQL's client programs (Debian: postgresql-client), the same "
            "major version as the server or newer."
        )
    try:
        done = subprocess.run(
            [executable, *arguments], env=_pg_env(url), capture_output=True, text=True, check=False, timeout=3600
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{program} did not finish within an hour.") from None
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


_COPY_VERSION = re.compile(r"^COPY [\w.\"]*alembic_version \(version_num\) FROM stdin;\n(.*?)\n\\\.$", re.M | re.S)


def _pg_archive_revision(path: Path, url: URL) -> str:
    """The schema version inside a pg_dump archive, refusing archives that are not rota databases."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    try:
        listing = _pg_run("pg_restore", ["--list", str(path)], url)
    except BackupError:
        raise BackupError(f"{path} is not a rota database backup (not a pg_dump archive).") from None
    tables = set(re.findall(r" TABLE \S+ (\w+) ", listing))
    if not tables >= REQUIRED_TABLES:
        raise BackupError(f"{path} is not a rota database backup (its tables are not rota's).")
    data = _pg_run("pg_restore", ["--data-only", "--table=alembic_version", "--file=-", str(path)], url)
    match = _COPY_VERSION.search(data)
    rows = match.group(1).splitlines() if match else []
    return rows[0].strip() if len(rows) == 1 else ""


def _pg_restore(database_url: str, url: URL, path: Path, aside_dir: Path) -> list[str]:
    _check_revision(_pg_archive_revision(path, url), database_url, path)
    aside_dir.mkdir(parents=True, exist_ok=True)
    aside = aside_dir.absolute() / f"before-restore-{_stamp()}.dump"
    _pg_run("pg_dump", ["--format=custom", "--no-owner", f"--file={aside}"], url)
    # Tables a later migration added are not in an older archive: drop every table so the migrations can run.
    engine = make_engine(database_url)
    try:
        current = MetaData()
        current.reflect(engine)
        with engine.begin() as connection:
            current.drop_all(connection)
    finally:
        engine.dispose()
    _pg_run(
        "pg_restore",
        [
            "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
            f"--dbname={url.database}", str(path),
        ],
        url,
    )
    return [f"The previous database is kept as {aside} (restore it the same way)."]

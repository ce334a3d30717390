"""Storage: migrations match the tables, the example on first start, a week's Scenario assembled from the database."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from scheduler.domain.files import load_scenario
from web.app import create_app
from web.db import make_engine, upgrade
from web.settings import EXAMPLE_SCENARIO, Settings
from web.state import AppContext
from web.store import build_scenario, first_community, load_example_if_empty, people_rows, person_from_row, setup_of
from web.tables import Base, Community, PersonRow


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    upgrade(engine)
    upgrade(engine)  # idempotent
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        tables = set(inspect(connection).get_table_names())
    assert {"coordinator", "community", "person", "solve_job", "rota_version", "audit_log"} <= tables
    engine.dispose()


def test_database_url_and_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d")
    assert settings.resolved_database_url() == f"sqlite:///{(tmp_path / 'd' / 'rota.sqlite3').resolve()}"
    other = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://u@localhost/rota")
    assert other.resolved_database_url() == "postgresql+psycopg://u@localhost/rota"


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d")
    key = settings.resolved_secret_key()
    assert len(key) >= 40
    assert Settings(data_dir=tmp_path / "d").resolved_secret_key() == key
    assert (tmp_path / "d" / "secret_key").stat().st_mode & 0o077 == 0


def test_the_example_is_loaded_once_and_makes_the_same_scenario(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", admin_password="x" * 12, example_path=EXAMPLE_SCENARIO)
    app = create_app(settings, out=io.StringIO())
    context = app.state.rota
    assert isinstance(context, AppContext)
    example = load_scenario(EXAMPLE_SCENARIO)
    with context.sessions() as db:
        assert db.scalar(select(func.count()).select_from(PersonRow)) == len(example.people)
        community = first_community(db)
        assert community is not None
        assert load_example_if_empty(db, EXAMPLE_SCENARIO) is None
        built = build_scenario(db, community, example.start, example.days)
        later = build_scenario(db, community, example.start + dt.timedelta(days=28), 7)
    active = sorted((p for p in example.people if p.active), key=lambda p: p.id)
    assert sorted(built.people, key=lambda p: p.id) == active
    assert built.community == example.community and built.timezone == example.timezone
    for field in ("roles", "posts", "team_duties", "coverage", "meal_rules", "successions", "default_limits",
                  "weights", "night_window", "pins", "bans", "history"):
        assert getattr(built, field) == getattr(example, field), field
    assert len(built.pairs) == len([p for p in example.pairs if all(x in {a.id for a in active} for x in p.people)])
    # another week: the dated items of the example week are left out
    assert later.pins == [] and later.bans == [] and later.history == []
    assert later.start == example.start + dt.timedelta(days=28)
    # a second start does not load it again
    create_app(settings, out=io.StringIO())
    with context.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Community)) == 1


def test_no_example(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", admin_password="x" * 12, example_path=None)
    app = create_app(settings, out=io.StringIO())
    context = app.state.rota
    assert isinstance(context, AppContext)
    with context.sessions() as db:
        assert first_community(db) is None


def test_stored_json_is_validated_once_per_row_and_value(tmp_path: Path) -> None:
    """The set-up and a person are validated on first use, kept on the row, and validated again only when a column
    gets a new value (assigned, or reloaded from the database)."""
    app = create_app(Settings(data_dir=tmp_path, example_path=EXAMPLE_SCENARIO), out=io.StringIO())
    context = app.state.rota
    assert isinstance(context, AppContext)
    with context.sessions() as db:
        community = first_community(db)
        assert community is not None
        setup = setup_of(community)
        assert setup_of(community) is setup
        community.setup = {**community.setup, "coordinator": "someone else"}
        changed = setup_of(community)
        assert changed is not setup and changed.coordinator == "someone else"
        db.rollback()  # the change is dropped; the reloaded value is validated again
        assert setup_of(community).coordinator == setup.coordinator
        row = people_rows(db, community)[0]
        person = person_from_row(row)
        assert person_from_row(row) is person
        row.name = "Renamed"
        assert person_from_row(row).name == "Renamed"
        assert person_from_row(row) is person_from_row(row)

"""Storage on every supported database: SQLite, and a real PostgreSQL server when ROTA_TEST_POSTGRES_URL is set
(.ci/run starts one with scripts/with-postgres.sh). Each test runs once per database (fixtures in conftest_db).

Migrations from empty to head, every table's round trip (JSON and timezone-aware datetimes), the uniqueness and
foreign-key constraints, one transaction per change, the job runner's state transitions, two sessions at once,
and the app itself on the database.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, inspect, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from scheduler.check import check
from scheduler.domain.files import load_scenario
from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from tests.web.conftest import PASSWORD, InlineRunner, login, tiny_community
from tests.web.conftest_db import database_url, postgres_url  # noqa: F401  (fixtures)
from web.app import create_app
from web.db import alembic_config, make_engine, make_sessions, upgrade
from web.settings import REPO_ROOT, Settings
from web.solving.jobstate import UNSUBMITTED_GRACE, mark_interrupted, transition
from web.solving.service import ProcessJobRunner, run_job
from web.store import audit, build_scenario, import_scenario, transaction
from web.tables import (
    UNFINISHED,
    AccessLink,
    AuditEntry,
    Base,
    CheckIn,
    Community,
    CommunityMember,
    Coordinator,
    Invitation,
    JobStatus,
    LoginFailure,
    LoginSession,
    OutboxMessage,
    PersonRow,
    RotaDraft,
    RotaVersion,
    Signup,
    SignupRound,
    SolveJob,
    SwapRequest,
    utcnow,
)

MONDAY = dt.date(2026, 12, 7)
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC_MOMENT = dt.datetime(2026, 12, 6, 23, 30, 15, 123456, tzinfo=dt.UTC)
SHANGHAI_MOMENT = dt.datetime(2026, 12, 7, 7, 30, 15, 123456, tzinfo=SHANGHAI)  # the same instant as UTC_MOMENT
NESTED = {"名字": "大门", "list": [1, 2.5, None, True, {"深": ["<script>alert(1)</script>", "ü"]}], "empty": {}}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:  # noqa: F811
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessions(engine)


@pytest.fixture
def community_id(sessions: sessionmaker[Session]) -> int:
    """The tiny community (three active people, one inactive) imported into the database."""
    with sessions.begin() as db:
        community = import_scenario(db, Scenario.model_validate(tiny_community()))
        db.flush()
        return community.id


def _as_instant(moment: dt.datetime) -> dt.datetime:
    """SQLite keeps no UTC offset: the app writes UTC (utcnow) and reads a naive value back as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


# --- migrations -----------------------------------------------------------------------------------------------


def test_migrations_upgrade_an_empty_database_to_head(database_url: str) -> None:  # noqa: F811
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    upgrade(engine)
    upgrade(engine)  # idempotent
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head
        assert compare_metadata(context, Base.metadata) == []
        tables = set(inspect(connection).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    assert engine.dialect.name == database_url.split(":")[0].split("+")[0]
    engine.dispose()


def test_processes_starting_together_migrate_once(postgres_url: str) -> None:  # noqa: F811
    """Web processes and workers of a deployment start together: each migrates, one at a time, and none fails."""
    engines = [make_engine(postgres_url) for _ in range(3)]
    ready = threading.Barrier(len(engines))
    failures: list[BaseException] = []

    def migrate(engine: Engine) -> None:
        ready.wait()
        try:
            upgrade(engine)
        except BaseException as error:  # kept for the assertion below
            failures.append(error)

    threads = [threading.Thread(target=migrate, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    with engines[0].connect() as connection:
        head = ScriptDirectory.from_config(alembic_config(postgres_url)).get_current_head()
        assert MigrationContext.configure(connection).get_current_revision() == head
    for engine in engines:
        engine.dispose()


# --- every table's round trip -----------------------------------------------------------------------------------


ACCOUNT_ROWS = 5
"""The first rows of `_rows`: the coordinator, a login session, a failed login, an invitation and a membership (the
accounts' rows, not a community's own)."""


def _rows(community_id: int) -> list[Base]:
    """One row of every table, every column given a value (JSON with Chinese and nesting, aware datetimes)."""
    coordinator = Coordinator(
        id=900, username="协调员", password_hash="$argon2id$v=19$x", must_change_password=True, created_at=UTC_MOMENT,
        role="viewer", active=False, last_login_at=UTC_MOMENT,
    )
    person = PersonRow(
        id=1000, community_id=community_id, key="eve", name="伊芙 <b>", roles=["vol", "guard"], phone="+86 138",
        language="en", posts=["gate"], limits={"max_hours_per_week": 40.5, "nights_allowed": False},
        shift_limits=[{"shift": "night", "max": 2}], availability=[{"days": ["mon"], "start": "07:00"}],
        absences=[{"start": "2026-12-08", "end": "2026-12-09"}], preferences=[NESTED], meal_minutes=45,
        active=False, created_at=UTC_MOMENT, updated_at=UTC_MOMENT, email="eve@example.org", channel="none",
        quiet_start=dt.time(22, 30), quiet_end=dt.time(7),
    )
    job = SolveJob(
        id=2000, community_id=community_id, week_start=MONDAY, days=7, status="finished", scenario=NESTED,
        time_limit=12.5, workers=2, pid=4321, elapsed=3.25, objective=17.0, bound=16.5, solutions=4,
        first_found_at=0.75, result_status="optimal", rota={"assignments": [NESTED]}, explanation={"summary": "无"},
        error="Traceback…", created_by="协调员", created_at=UTC_MOMENT, started_at=UTC_MOMENT,
        finished_at=UTC_MOMENT,
    )
    version = RotaVersion(
        id=3000, community_id=community_id, week_start=MONDAY, days=7, version=1, rota={"assignments": []},
        job_id=2000, scenario=NESTED, note="第一版", published_by="协调员", published_at=UTC_MOMENT,
    )
    draft = RotaDraft(
        community_id=community_id, week_start=MONDAY, days=7, rota={"assignments": [NESTED]}, scenario=NESTED,
        job_id=2000, base_version_id=3000, updated_by="协调员", updated_at=UTC_MOMENT,
    )
    link = AccessLink(
        community_id=community_id, kind="person", person_id=1000, post="gate", token="t" * 64,
        created_at=UTC_MOMENT, revoked_at=UTC_MOMENT,
    )
    swap = SwapRequest(
        community_id=community_id, version_id=3000, date=MONDAY, post="gate", duty=None, shift="day", role="vol",
        from_person_id=1000, to_person_id=1000, status="accepted", reason="家里有事", decided_by="协调员",
        created_at=UTC_MOMENT, updated_at=UTC_MOMENT,
    )
    entry = AuditEntry(at=UTC_MOMENT, actor="协调员", action="test.round_trip", target="eve", details=NESTED,
                       community_id=community_id)
    login = LoginSession(
        id="s" * 64, user_id=900, created_at=UTC_MOMENT, last_seen_at=UTC_MOMENT, address="2001:db8::1",
        community_id=community_id,
    )
    failure = LoginFailure(at=UTC_MOMENT, username="协调员", address="192.0.2.1")
    invitation = Invitation(
        token_hash="i" * 64, role="coordinator", created_by="协调员", created_at=UTC_MOMENT, expires_at=UTC_MOMENT,
        used_at=UTC_MOMENT, used_by="新人", revoked_at=UTC_MOMENT, community_id=community_id,
    )
    member = CommunityMember(coordinator_id=900, community_id=community_id, created_at=UTC_MOMENT)
    check_in = CheckIn(
        community_id=community_id, person_id=1000, version_id=3000, place="gate", is_duty=False, shift="day",
        role="vol", date=MONDAY, planned_start=UTC_MOMENT, planned_end=UTC_MOMENT, arrived_at=UTC_MOMENT,
        left_at=None, status="late", recorded_by="lead:1000", created_at=UTC_MOMENT, updated_at=UTC_MOMENT,
    )
    message = OutboxMessage(
        community_id=community_id, person_id=1000, channel="email", address="eve@example.org", subject="排班变更",
        body="正文 <b>", kind="publication", dedupe_key="publication:3000:eve", status="failed", attempts=6,
        next_attempt_at=UTC_MOMENT, claimed_at=UTC_MOMENT, sent_at=UTC_MOMENT, last_error="SendError: 失败",
        created_at=UTC_MOMENT, expires_at=UTC_MOMENT,
    )
    signup_round = SignupRound(
        id=4000, community_id=community_id, week_start=MONDAY, days=7, deadline=UTC_MOMENT, as_pins=True,
        opened_by="协调员", opened_at=UTC_MOMENT, closed_at=UTC_MOMENT,
    )
    signup = Signup(
        round_id=4000, person_id=1000, place="gate", shift="day", date=MONDAY, choice="yes", updated_at=UTC_MOMENT
    )
    return [
        coordinator, login, failure, invitation, member, person, job, version, draft, link, swap, entry, check_in,
        message, signup_round, signup,
    ]


def _columns(row: Base) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in inspect(type(row)).columns}


def test_every_table_round_trips(sessions: sessionmaker[Session], community_id: int) -> None:
    rows = _rows(community_id)
    written = []
    with sessions.begin() as db:
        for row in rows:
            db.add(row)
            db.flush()  # in dependency order: the versions and links refer to the rows before them
            written.append((type(row), inspect(row).identity, _columns(row)))
    assert {table for table, _, _ in written} | {Community} == {m.class_ for m in Base.registry.mappers}
    with sessions() as db:
        for table, row_id, columns in written:
            stored = db.get(table, row_id)
            assert stored is not None, table.__name__
            for key, value in _columns(stored).items():
                if isinstance(value, dt.datetime):
                    assert _as_instant(value) == columns[key], (table.__name__, key)
                    assert value.tzinfo is not None
                else:
                    assert value == columns[key], (table.__name__, key)
        community = db.get(Community, community_id)
        assert community is not None and community.setup["roles"][0]["name"] == {"zh": "志愿者", "en": "Volunteer"}


def test_timezone_aware_datetimes_keep_their_instant(sessions: sessionmaker[Session], community_id: int) -> None:
    with sessions.begin() as db:
        entry = AuditEntry(at=SHANGHAI_MOMENT, action="test.zone", details={})
        db.add(entry)
        db.flush()
        entry_id = entry.id
    with sessions() as db:
        stored = db.get(AuditEntry, entry_id)
        assert stored is not None
        # Every database gives the same instant back, aware and in UTC (tables.UtcDateTime): SQLite keeps no
        # offset of its own, so a moment written with +08:00 would otherwise come back as the wrong instant.
        assert stored.at.tzinfo is not None and stored.at == UTC_MOMENT == SHANGHAI_MOMENT
        assert stored.at.utcoffset() == dt.timedelta(0)
        assert db.scalar(select(AuditEntry.id).where(AuditEntry.at == SHANGHAI_MOMENT)) == entry_id


def test_a_naive_moment_is_refused(sessions: sessionmaker[Session], community_id: int) -> None:
    with pytest.raises(StatementError, match="needs a time zone"), sessions.begin() as db:
        db.add(AuditEntry(at=dt.datetime(2026, 12, 7, 8, 0), action="test.naive", details={}))
        db.flush()


# --- constraints ----------------------------------------------------------------------------------------------


def _second_fails(sessions: sessionmaker[Session], first: Base, second: Base) -> None:
    with sessions.begin() as db:
        db.add(first)
    with pytest.raises(IntegrityError), sessions.begin() as db:
        db.add(second)


def test_uniqueness_constraints(sessions: sessionmaker[Session], community_id: int) -> None:
    other = Community(name="Other", timezone="Asia/Shanghai", setup={})
    with sessions.begin() as db:
        db.add(other)
        db.flush()
        job = SolveJob(community_id=community_id, week_start=MONDAY, days=7, scenario={}, time_limit=1)
        db.add(job)
        db.flush()
        other_id, job_id = other.id, job.id

    def draft(community: int) -> RotaDraft:
        return RotaDraft(community_id=community, week_start=MONDAY, days=7, rota={}, scenario={}, job_id=job_id)

    def version(community: int, number: int) -> RotaVersion:
        return RotaVersion(
            community_id=community, week_start=MONDAY, days=7, version=number, rota={}, published_by="c"
        )

    _second_fails(sessions, Coordinator(username="c", password_hash="h"), Coordinator(username="c", password_hash="i"))
    _second_fails(
        sessions, PersonRow(community_id=community_id, key="eve", name="Eve", roles=[]),
        PersonRow(community_id=community_id, key="eve", name="Other Eve", roles=[]),
    )
    _second_fails(sessions, draft(community_id), draft(community_id))
    _second_fails(sessions, version(community_id, 1), version(community_id, 1))
    _second_fails(
        sessions, AccessLink(community_id=community_id, kind="post", post="gate", token="same"),
        AccessLink(community_id=community_id, kind="post", post="gate", token="same"),
    )
    with sessions.begin() as db:  # the same key, week or version number in another community is fine
        db.add_all([PersonRow(community_id=other_id, key="eve", name="Eve", roles=[]), draft(other_id)])
        db.add_all([version(other_id, 1), version(community_id, 2)])
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(PersonRow).where(PersonRow.key == "eve")) == 2
        assert db.scalar(select(func.count()).select_from(RotaVersion)) == 3


def test_deleting_a_community_deletes_what_belongs_to_it(
    sessions: sessionmaker[Session], community_id: int
) -> None:
    with sessions.begin() as db:
        for row in _rows(community_id)[ACCOUNT_ROWS:-1]:
            db.add(row)
            db.flush()
    with sessions.begin() as db:
        db.execute(delete(Community).where(Community.id == community_id))
    with sessions() as db:
        for table in (PersonRow, SolveJob, RotaVersion, RotaDraft, AccessLink, SwapRequest):
            assert db.scalar(select(func.count()).select_from(table)) == 0, table.__name__
    with pytest.raises(IntegrityError), sessions.begin() as db:  # foreign keys are enforced
        db.add(PersonRow(community_id=community_id, key="ghost", name="Ghost", roles=[]))


# --- one transaction per change -----------------------------------------------------------------------------------


def _count(sessions: sessionmaker[Session], table: type[Base]) -> int:
    with sessions() as db:
        return int(db.scalar(select(func.count()).select_from(table)) or 0)


def test_an_error_mid_change_leaves_nothing_half_written(
    sessions: sessionmaker[Session], community_id: int
) -> None:
    people, entries = _count(sessions, PersonRow), _count(sessions, AuditEntry)
    with sessions() as db:
        with pytest.raises(RuntimeError), transaction(db):
            db.add(PersonRow(community_id=community_id, key="eve", name="Eve", roles=["vol"]))
            audit(db, "coord", "person.create", "eve")
            db.flush()  # written to the database inside the transaction ...
            raise RuntimeError("the change fails half-way")
        # ... and rolled back: the same session goes on working
        with pytest.raises(IntegrityError), transaction(db):
            db.add(PersonRow(community_id=community_id, key="frank", name="Frank", roles=["vol"]))
            audit(db, "coord", "person.create", "frank")
            db.flush()
            db.add(PersonRow(community_id=community_id, key="alice", name="Alice again", roles=["vol"]))
            db.flush()
        with transaction(db):
            db.add(PersonRow(community_id=community_id, key="gina", name="Gina", roles=["vol"]))
            audit(db, "coord", "person.create", "gina")
    with sessions() as db:
        keys = set(db.scalars(select(PersonRow.key)))
        targets = list(db.scalars(select(AuditEntry.target).where(AuditEntry.action == "person.create")))
    assert keys == {"alice", "bob", "carol", "dave", "gina"}
    assert targets == ["gina"]
    assert _count(sessions, PersonRow) == people + 1 and _count(sessions, AuditEntry) == entries + 1


# --- the job runner's state transitions ---------------------------------------------------------------------------


def _new_job(sessions: sessionmaker[Session], community_id: int, time_limit: float = 10, days: int = 7) -> int:
    with sessions.begin() as db:
        community = db.get(Community, community_id)
        assert community is not None
        scenario = build_scenario(db, community, MONDAY, days)
        job = SolveJob(
            community_id=community_id, week_start=MONDAY, days=days, status=JobStatus.QUEUED.value,
            scenario=scenario.model_dump(mode="json", by_alias=True), time_limit=time_limit, workers=1,
        )
        db.add(job)
        db.flush()
        return job.id


def _status(sessions: sessionmaker[Session], job_id: int) -> str:
    with sessions() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        return job.status


def test_job_status_changes_only_along_the_allowed_transitions(
    sessions: sessionmaker[Session], community_id: int
) -> None:
    job_id = _new_job(sessions, community_id)
    moves = [
        ([JobStatus.RUNNING], JobStatus.FINISHED, False),  # not running yet
        ([JobStatus.QUEUED], JobStatus.RUNNING, True),
        ([JobStatus.QUEUED], JobStatus.RUNNING, False),  # a second worker does not start it again
        (UNFINISHED, JobStatus.CANCELLED, True),
        ([JobStatus.RUNNING], JobStatus.FINISHED, False),  # a late worker never overwrites a cancellation
        (UNFINISHED, JobStatus.INTERRUPTED, False),
    ]
    for allowed, target, changed in moves:
        with sessions.begin() as db:
            assert transition(db, job_id, allowed, status=target.value) is changed, (allowed, target)
    assert _status(sessions, job_id) == JobStatus.CANCELLED
    queued, running, done = (_new_job(sessions, community_id) for _ in range(3))
    with sessions.begin() as db:
        assert transition(db, running, [JobStatus.QUEUED], status=JobStatus.RUNNING.value)
        assert transition(db, done, [JobStatus.QUEUED], status=JobStatus.FINISHED.value)
    # jobs no runner took yet (nobody submitted them) count as a gone server's once a while has passed
    assert mark_interrupted(sessions) == 0
    assert mark_interrupted(sessions, utcnow() + UNSUBMITTED_GRACE * 2) == 2
    statuses = [_status(sessions, j) for j in (job_id, queued, running, done)]
    assert statuses == ["cancelled", "interrupted", "interrupted", "finished"]


def test_the_worker_stores_a_checked_rota(sessions: sessionmaker[Session], community_id: int) -> None:
    job_id = _new_job(sessions, community_id)
    run_job(sessions, job_id)
    with sessions() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        assert job.status == JobStatus.FINISHED, job.error
        assert job.result_status == "optimal" and job.rota is not None and job.solutions >= 1
        assert job.started_at is not None and job.finished_at is not None
        assert _as_instant(job.started_at) <= _as_instant(job.finished_at)
        scenario, rota = Scenario.model_validate(job.scenario), Rota.model_validate(job.rota)
    checked = check(scenario, rota)
    assert checked.violations == []
    assert checked.objective == pytest.approx(job.objective)
    run_job(sessions, job_id)  # a finished job is not solved again
    assert _status(sessions, job_id) == JobStatus.FINISHED


def _wait_for(sessions: sessionmaker[Session], job_id: int, statuses: set[str], seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while (status := _status(sessions, job_id)) not in statuses and time.monotonic() < deadline:
        time.sleep(0.2)
    return status


def test_the_process_runner_on_postgresql(postgres_url: str) -> None:  # noqa: F811
    """The solver process opens its own connection to the server: finish, cancel, and shutdown mid-solve."""
    engine = make_engine(postgres_url)
    upgrade(engine)
    sessions = make_sessions(engine)
    with sessions.begin() as db:
        tiny = import_scenario(db, Scenario.model_validate(tiny_community())).id
        grid = import_scenario(db, load_scenario(REPO_ROOT / "examples" / "grid.yaml")).id
    runner = ProcessJobRunner(postgres_url, sessions)
    try:
        quick = _new_job(sessions, tiny)
        cancelled, stopped = _new_job(sessions, grid, 120), _new_job(sessions, grid, 120)
        for job_id in (quick, cancelled, stopped):
            runner.submit(job_id)
        assert _wait_for(sessions, quick, {"finished", "failed"}) == JobStatus.FINISHED
        assert _wait_for(sessions, cancelled, {"running"}) == JobStatus.RUNNING
        with sessions.begin() as db:
            assert transition(db, cancelled, UNFINISHED, status=JobStatus.CANCELLED.value)
        runner.cancel(cancelled)
        assert cancelled not in runner.running()
        assert _wait_for(sessions, stopped, {"running"}) == JobStatus.RUNNING
        runner.shutdown()
        assert runner.running() == []
        statuses = [_status(sessions, j) for j in (quick, cancelled, stopped)]
        assert statuses == ["finished", "cancelled", "interrupted"]
    finally:
        runner.shutdown()
        engine.dispose()


# --- two sessions at once -----------------------------------------------------------------------------------------


def _in_thread(work: Any) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_two_sessions_see_only_committed_changes(sessions: sessionmaker[Session], community_id: int) -> None:
    with sessions() as writer, sessions() as reader:
        writer.add(PersonRow(community_id=community_id, key="eve", name="Eve", roles=["vol"]))
        writer.flush()
        assert reader.scalar(select(func.count()).where(PersonRow.key == "eve")) == 0
        reader.rollback()
        writer.commit()
        assert reader.scalar(select(func.count()).where(PersonRow.key == "eve")) == 1


def test_two_sessions_adding_the_same_person(sessions: sessionmaker[Session], community_id: int) -> None:
    """The second waits for the first; when the first commits, the second is refused, not duplicated."""
    with sessions() as first:
        first.add(PersonRow(community_id=community_id, key="eve", name="Eve", roles=["vol"]))
        first.flush()

        def add_the_same() -> None:
            with sessions.begin() as second:
                second.add(PersonRow(community_id=community_id, key="eve", name="Eve too", roles=["vol"]))

        thread, outcome = _in_thread(add_the_same)
        thread.join(0.5)
        assert thread.is_alive(), outcome  # blocked by the first session's uncommitted row
        first.commit()
        thread.join(30)
    assert isinstance(outcome.get("error"), IntegrityError), outcome
    with sessions() as db:
        assert list(db.scalars(select(PersonRow.name).where(PersonRow.key == "eve"))) == ["Eve"]


def test_two_sessions_saving_the_same_draft(sessions: sessionmaker[Session], community_id: int) -> None:
    """The draft's revision guard (RotaDraft.revision): both sessions read revision 1; the first save moves it
    to 2, so the second finds no row at revision 1 and is refused instead of overwriting the first."""
    with sessions.begin() as db:
        db.add(RotaDraft(community_id=community_id, week_start=MONDAY, days=7, rota={"by": "nobody"}, scenario={}))
    with sessions() as first, sessions() as second:
        mine, theirs = first.scalars(select(RotaDraft)).one(), second.scalars(select(RotaDraft)).one()
        assert mine.revision == theirs.revision == 1
        mine.rota, mine.updated_by = {"by": "ann"}, "ann"
        first.commit()
        theirs.rota, theirs.updated_by = {"by": "bo"}, "bo"
        with pytest.raises(StaleDataError):
            second.commit()
    with sessions() as db:
        row = db.scalars(select(RotaDraft)).one()
        assert (row.revision, row.rota, row.updated_by) == (2, {"by": "ann"}, "ann")


def test_a_cancellation_racing_the_result(sessions: sessionmaker[Session], community_id: int) -> None:
    """The worker stores its result while the coordinator cancels: exactly one of them wins."""
    job_id = _new_job(sessions, community_id)
    with sessions.begin() as db:
        transition(db, job_id, [JobStatus.QUEUED], status=JobStatus.RUNNING.value)
    with sessions() as worker:
        assert transition(worker, job_id, [JobStatus.RUNNING], status=JobStatus.FINISHED.value)

        def cancel() -> bool:
            with sessions.begin() as coordinator:
                return transition(coordinator, job_id, UNFINISHED, status=JobStatus.CANCELLED.value)

        thread, outcome = _in_thread(cancel)
        thread.join(0.5)
        assert thread.is_alive(), outcome  # waits for the worker's transaction
        worker.commit()
        thread.join(30)
    assert outcome == {"value": False}
    assert _status(sessions, job_id) == JobStatus.FINISHED


# --- the app on the database --------------------------------------------------------------------------------------


def test_the_app_on_the_database(database_url: str, tmp_path: Path, community_file: Path) -> None:  # noqa: F811
    settings = Settings(
        data_dir=tmp_path / "d", database_url=database_url, admin_user="coord", admin_password=PASSWORD,
        example_path=community_file, secret_key="k" * 40, solve_time_limit=10, solve_workers=1,
    )
    app = create_app(settings, InlineRunner(database_url), out=io.StringIO())
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        form = {"csrf_token": token, "name": "伊芙", "key": "eve", "roles": ["vol"], "language": "zh"}
        assert client.post("/people/new", data=form).status_code == 303
        assert client.post("/people/new", data=form).status_code == 400  # the key is taken
        response = client.post("/generate", data={"csrf_token": token, "start": MONDAY.isoformat(), "days": "7"})
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert "最优排班" in page and "大门" in page
    restarted = create_app(settings, InlineRunner(database_url), out=io.StringIO())
    with restarted.state.rota.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Community)) == 1
        assert db.scalar(select(func.count()).select_from(Coordinator)) == 1
        assert db.scalar(select(PersonRow.name).where(PersonRow.key == "eve")) == "伊芙"
        job = db.scalars(select(SolveJob)).one()
        assert job.status == JobStatus.FINISHED and job.rota is not None
        assert check(Scenario.model_validate(job.scenario), Rota.model_validate(job.rota)).violations == []
    restarted.state.rota.engine.dispose()

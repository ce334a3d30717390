"""The stored state: coordinators, communities, people, solve jobs, published rota versions, the audit log.

JSON columns hold data whose shape is defined by pydantic models (`web.store.CommunitySetup`,
`scheduler.domain` limits, availability, rota, explanation): they are validated on the way in and out.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment stored in UTC and read back timezone-aware, on every database.

    SQLite keeps no offset: without this, a moment written with +08:00 would come back as naive wall-clock time,
    i.e. the wrong instant. Naive moments are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a stored moment needs a time zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of every table (SQLAlchemy collects the metadata here)."""


class Coordinator(Base):
    __tablename__ = "coordinator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    role: Mapped[str] = mapped_column(String(16), default="coordinator", server_default="coordinator")
    """admin, coordinator or viewer (web.roles)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """A deactivated account cannot log in; deactivating it ends its sessions."""
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Invitation(Base):
    """A one-time link to create an account with a chosen role: only the token's SHA-256 is kept (like sessions)."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    used_by: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("community.id", ondelete="SET NULL", name="fk_invitation_community_id"), nullable=True
    )
    """The community the new account joins (the inviter's current one); None: none (an admin needs none)."""


class Community(Base):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    setup: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    wecom_webhook: Mapped[str | None] = mapped_column(String(500), nullable=True)
    """The WeCom group robot's webhook address (web.outbox): a secret, so kept out of the set-up and its API."""


class CommunityMember(Base):
    """An account's membership of a community: coordinators and viewers see only their communities' data; an admin
    (the street office) sees every community without being a member (web.communities)."""

    __tablename__ = "community_member"
    __table_args__ = (UniqueConstraint("coordinator_id", "community_id", name="uq_community_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("coordinator.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PersonRow(Base):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("community_id", "key", name="uq_person_community_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[Any]] = mapped_column(JSON)
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2), default="zh")
    posts: Mapped[list[Any] | None] = mapped_column(JSON)
    limits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    shift_limits: Mapped[list[Any]] = mapped_column(JSON, default=list)
    availability: Mapped[list[Any]] = mapped_column(JSON, default=list)
    absences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    preferences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    meal_minutes: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    # how messages reach the person (web.outbox): not part of the engine's Person
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    channel: Mapped[str] = mapped_column(String(16), default="email", server_default="email")
    """'email' or 'none' (messages stopped)."""
    quiet_start: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    quiet_end: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    """Quiet hours, community-local; a message due inside them waits until they end."""


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)
LOCAL_RUNNER = "local"
"""SolveJob.runner of the jobs a web process solves itself."""
QUEUE_RUNNER = "queue"
"""SolveJob.runner of the jobs the distributed queue's workers solve."""


class SolveJob(Base):
    __tablename__ = "solve_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value, index=True)
    scenario: Mapped[dict[str, Any]] = mapped_column(JSON)
    time_limit: Mapped[float] = mapped_column(Float)
    workers: Mapped[int | None] = mapped_column(Integer)
    pid: Mapped[int | None] = mapped_column(Integer)
    elapsed: Mapped[float | None] = mapped_column(Float)
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    solutions: Mapped[int] = mapped_column(Integer, default=0)
    first_found_at: Mapped[float | None] = mapped_column(Float)
    result_status: Mapped[str | None] = mapped_column(String(16))
    rota: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    explanation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="solve", server_default="solve")
    """'solve' (a new rota) or 'repair' (a published rota after drop-outs; web.changes)."""
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """A repair's inputs: the version repaired, the unavailabilities, `now` (web.changes.repair.RepairParams)."""
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """A repair's result beyond the rota: changes, their count, proven minimal (web.changes.repair.RepairOutcome)."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    runner: Mapped[str] = mapped_column(String(16), default=LOCAL_RUNNER, server_default=LOCAL_RUNNER)
    """'local' (a web process's own solver processes) or 'queue' (the distributed queue's workers)."""
    owner: Mapped[str | None] = mapped_column(String(160))
    """Who holds the job: a local runner's process ('host/pid/start'), or the queue worker running it."""
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Queue workers that began this job (a job whose workers keep dying fails after a few)."""


class RotaVersion(Base):
    """A published rota: never updated; a later publication is a new version."""

    __tablename__ = "rota_version"
    __table_args__ = (UniqueConstraint("community_id", "week_start", "version", name="uq_rota_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    rota: Mapped[dict[str, Any]] = mapped_column(JSON)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("solve_job.id", ondelete="SET NULL"))
    scenario: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The scenario the rota was checked against when published (calendars, print-outs and repairs read it)."""
    note: Mapped[str | None] = mapped_column(Text)
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RotaDraft(Base):
    """The rota a coordinator is working on for one week: a solve's result, then hand adjustments.

    One per community and week; publishing copies it into a new `RotaVersion`.
    """

    __tablename__ = "rota_draft"
    __table_args__ = (UniqueConstraint("community_id", "week_start", name="uq_rota_draft_week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    rota: Mapped[dict[str, Any]] = mapped_column(JSON)
    scenario: Mapped[dict[str, Any]] = mapped_column(JSON)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("solve_job.id", ondelete="SET NULL"))
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("rota_version.id", ondelete="SET NULL"))
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    check_result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """The validator's verdict on `rota` against `scenario`, with a fingerprint of what it checked (web.rota.drafts):
    kept so that viewing the draft need not re-check it; missing or stale (fingerprint differs): check again."""
    revision: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    """Counts the draft's saved changes. SQLAlchemy raises it on every ORM update and makes that update conditional
    on the old value, so two saves of the same state cannot both succeed; forms carry the revision the coordinator
    saw, so nobody publishes or replaces a draft that changed after their page was drawn (web.rota.drafts)."""

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012 (read once by the declarative mapper)


class LinkKind(StrEnum):
    PERSON = "person"
    POST = "post"
    CHECKIN = "checkin"
    """A post's check-in QR (`/c/{token}`): opens the scanning volunteer's own page at that post."""


class AccessLink(Base):
    """A secret, revocable link: a person's page and calendar feed, or a post's whole-rota feed."""

    __tablename__ = "access_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    post: Mapped[str | None] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class SwapStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class SwapRequest(Base):
    """A volunteer offers one of their published shifts; another accepts; the coordinator approves."""

    __tablename__ = "swap_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("rota_version.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    post: Mapped[str | None] = mapped_column(String(64))
    duty: Mapped[str | None] = mapped_column(String(64))
    shift: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(64))
    from_person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    to_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=SwapStatus.OFFERED.value, index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    community_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    """The community the change concerns (a week's list shows its own only); None: an account's or the deployment's.
    No foreign key: the log outlives what it reports."""


class LoginSession(Base):
    """A coordinator's login, held server-side: the cookie carries only its random key, so deleting the row ends it.

    `id` is the SHA-256 of that key (a copy of the table opens no session). Keyed by user so that roles and "end a
    user's sessions" can come later without a change here.
    """

    __tablename__ = "login_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("coordinator.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    address: Mapped[str | None] = mapped_column(String(64))
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("community.id", ondelete="SET NULL", name="fk_login_session_community_id"), nullable=True
    )
    """The community chosen in this session (web.communities); None: the account's first."""


class LoginFailure(Base):
    """A failed login, kept for the throttling window: counted per account name and per address."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)


class CheckInStatus(StrEnum):
    """What happened to one person's shift at the post (web.checkin)."""

    ARRIVED = "arrived"
    LATE = "late"
    NO_SHOW = "no_show"
    LEFT_EARLY = "left_early"


class CheckIn(Base):
    """One person's presence on one shift of a published rota: when they came and went, as recorded at the post.

    One row per person and shift instance (place, shift, local date). The planned start and end are copied from the
    published assignment, so the service record reads its hours without the rota. Only times and who recorded them:
    never a location. Coordinators' corrections go to the audit log with the values before and after.
    """

    __tablename__ = "check_in"
    __table_args__ = (
        UniqueConstraint("community_id", "person_id", "place", "shift", "date", name="uq_check_in_shift"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("rota_version.id", ondelete="SET NULL"))
    """The published version the shift was on when the record was made."""
    place: Mapped[str] = mapped_column(String(64))
    """The post or team duty id."""
    is_duty: Mapped[bool] = mapped_column(Boolean, default=False)
    shift: Mapped[str] = mapped_column(String(64))
    """The shift template id, or the duty id again for a team duty (which has no shift)."""
    role: Mapped[str] = mapped_column(String(64))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    """The local date the shift starts."""
    planned_start: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    planned_end: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    left_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    """A `CheckInStatus` value."""
    recorded_by: Mapped[str] = mapped_column(String(120))
    """'self', 'lead:<person id>' or 'coordinator:<username>': who recorded the latest change."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class OutboxStatus(StrEnum):
    """Where a stored notification is (web.outbox.service)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(Base):
    """A notification, stored before anything is sent and delivered by the outbox worker (web.outbox).

    `dedupe_key` is unique: enqueuing the same notification twice stores it once. A message is claimed by a
    conditional update (pending -> sending), so two workers never send it both; one left `sending` by a crashed
    worker goes back to pending (delivery is at least once).
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    """'email' or 'wecom'."""
    address: Mapped[str] = mapped_column(String(254))
    """An e-mail address, or which webhook ('group': the community's WeCom robot)."""
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    """publication, reminder, swap, signup, test ..."""
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    """Not sent from this moment on (a reminder once its shift began): cancelled instead."""


class SignupRound(Base):
    """A period open for volunteers to sign up for shifts, until a deadline (web.signup).

    One per community and first day. Sign-ups become strong wishes of the period's scenario, or pins of the shifts
    signed up for when `as_pins` is set.
    """

    __tablename__ = "signup_round"
    __table_args__ = (UniqueConstraint("community_id", "week_start", name="uq_signup_round_week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    as_pins: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    """Closed early by a coordinator (else the round closes at its deadline)."""


class SignupChoice(StrEnum):
    YES = "yes"
    NO = "no"


class Signup(Base):
    """One person's answer for one shift instance of a round: "I'll do it" or "I'd rather not"."""

    __tablename__ = "signup"
    __table_args__ = (UniqueConstraint("round_id", "person_id", "place", "shift", "date", name="uq_signup_shift"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("signup_round.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    place: Mapped[str] = mapped_column(String(64))
    shift: Mapped[str] = mapped_column(String(64))
    """The shift template id, or the duty id again for a team duty."""
    date: Mapped[dt.date] = mapped_column(Date)
    choice: Mapped[str] = mapped_column(String(8))
    """A `SignupChoice` value."""
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

"""The outbox: every notification is stored first, then delivered by a worker, retried, never lost on a restart.

Nothing is sent inside a web request: a route calls `enqueue` in its own transaction, and the worker
(`web.outbox.worker`, or `rota admin send-outbox`) runs `recover` then `deliver_due`. A message is claimed by a
conditional UPDATE (pending -> sending), so two workers never both send it. Its sending happens outside any
transaction; its outcome is written after. A worker that dies between sending and writing the outcome leaves the
message `sending`; `recover` puts it back to pending once it is older than `STALE`, so delivery is AT LEAST ONCE:
a crash at the wrong moment can send a message twice, never zero times.

A failed send is retried after a growing back-off (`BACKOFF`); after the last attempt the message is `failed` with
its error kept. A person's message waits out their quiet hours (community-local time), and is cancelled when they
stopped messages (`channel == 'none'`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from web.feeds import links
from web.i18n import Translator
from web.tables import AccessLink, Community, LinkKind, OutboxMessage, OutboxStatus, PersonRow

BACKOFF = (
    dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)
"""Wait after the 1st, 2nd ... failed attempt; the attempt after the last wait is the last one."""
MAX_ATTEMPTS = len(BACKOFF) + 1
STALE = dt.timedelta(minutes=2)
"""A message `sending` for longer was left by a worker that stopped (every send times out well before this)."""
EMAIL, WECOM = "email", "wecom"
CHANNELS = (EMAIL, WECOM)
GROUP = "group"
"""The address of a WeCom message: the community's group robot (its webhook is read when sending)."""
NONE = "none"
"""A person's channel when they stopped messages."""
WAKE_KEY = "outbox.enqueued"
"""Set in a session's `info` by `enqueue`: the embedded worker wakes after that session commits."""
ERROR_CHARS = 1000


class SendError(Exception):
    """A channel could not deliver a message (the text is kept as the message's last error)."""


@dataclass(frozen=True)
class Outgoing:
    """What a channel sends: the stored message with its address resolved and the person's stop link."""

    id: int
    channel: str
    address: str
    """An e-mail address, or the webhook's URL."""
    subject: str
    body: str
    stop_url: str | None = None
    footer: str | None = None
    """The line that says how to stop these messages, in the person's language."""


class Channel(Protocol):
    def send(self, message: Outgoing) -> None:
        """Deliver or raise (any exception is a failed attempt)."""


@dataclass(frozen=True)
class Report:
    """One pass of the worker: how many messages were recovered, sent, set to retry, failed for good."""

    recovered: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def enqueue(
    db: Session, community_id: int, *, channel: str, address: str, subject: str, body: str, kind: str,
    dedupe_key: str, now: dt.datetime, person_id: int | None = None, due: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
) -> OutboxMessage:
    """Store a notification to send (in the caller's transaction); the same `dedupe_key` again returns the message
    stored the first time. Two transactions enqueuing one key at the same instant: the unique key refuses the
    second at commit. `due`: not sent before (a reminder); `expires_at`: cancelled instead of sent from then on."""
    existing = db.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)).first()
    if existing is not None:
        return existing
    message = new_message(
        community_id, channel=channel, address=address, subject=subject, body=body, kind=kind,
        dedupe_key=dedupe_key, now=now, person_id=person_id, due=due, expires_at=expires_at,
    )
    db.add(message)
    db.flush()
    db.info[WAKE_KEY] = True
    return message


def new_message(
    community_id: int, *, channel: str, address: str, subject: str, body: str, kind: str, dedupe_key: str,
    now: dt.datetime, person_id: int | None = None, due: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
) -> OutboxMessage:
    """A message to store (the caller adds it, having made sure its key is new): for many at once."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return OutboxMessage(
        community_id=community_id, person_id=person_id, channel=channel, address=address[:254],
        subject=subject[:200], body=body, kind=kind, dedupe_key=dedupe_key[:200], status=OutboxStatus.PENDING.value,
        attempts=0, next_attempt_at=max(due or now, now), created_at=now, expires_at=expires_at,
    )


def store_new(db: Session, messages: list[OutboxMessage]) -> None:
    """Store messages made by `new_message` whose keys are known to be new, at once; the worker wakes."""
    db.add_all(messages)
    if messages:
        db.info[WAKE_KEY] = True


def reachable(person: PersonRow) -> bool:
    """Whether messages reach the person: an e-mail address, and messages not stopped."""
    return person.channel == EMAIL and bool(person.email)


def enqueue_to_person(
    db: Session, person: PersonRow, *, subject: str, body: str, kind: str, dedupe_key: str, now: dt.datetime,
    due: dt.datetime | None = None, expires_at: dt.datetime | None = None,
) -> OutboxMessage | None:
    """A message on the person's own channel; None when they have none (no address, or messages stopped)."""
    if not reachable(person):
        return None
    assert person.email is not None  # reachable
    return enqueue(
        db, person.community_id, channel=EMAIL, address=person.email, subject=subject, body=body, kind=kind,
        dedupe_key=dedupe_key, now=now, person_id=person.id, due=due, expires_at=expires_at,
    )


def enqueue_to_group(
    db: Session, community: Community, *, subject: str, body: str, kind: str, dedupe_key: str, now: dt.datetime,
    due: dt.datetime | None = None, expires_at: dt.datetime | None = None,
) -> OutboxMessage | None:
    """A message to the community's WeCom group robot; None when no webhook is set."""
    if not community.wecom_webhook:
        return None
    return enqueue(
        db, community.id, channel=WECOM, address=GROUP, subject=subject, body=body, kind=kind, dedupe_key=dedupe_key,
        now=now, due=due, expires_at=expires_at,
    )


def drop_waiting(db: Session, prefix: str) -> int:
    """Delete the messages not yet sent whose key starts with `prefix` (reminders a newer rota replaces, offers
    withdrawn): never sent, so nothing is lost. Returns how many."""
    result = db.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
               OutboxMessage.status == OutboxStatus.PENDING.value)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def quiet_until(moment: dt.datetime, zone: ZoneInfo, start: dt.time | None, end: dt.time | None) -> dt.datetime | None:
    """When the quiet hours around `moment` end (local `start`-`end`, which may run past midnight), or None when
    `moment` is outside them."""
    if start is None or end is None or start == end:
        return None
    local = moment.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        if not start <= clock < end:
            return None
        day = local.date()
    else:
        if end <= clock < start:
            return None
        day = local.date() + dt.timedelta(days=1) if clock >= start else local.date()
    return dt.datetime.combine(day, end, tzinfo=zone).astimezone(dt.UTC)


def _hold(db: Session, now: dt.datetime) -> None:
    """Expired messages cancelled (a reminder never arrives after its shift began); due messages of people:
    cancelled when the person stopped messages, postponed in their quiet hours."""
    db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.expires_at <= now)
        .values(status=OutboxStatus.CANCELLED.value, last_error="too late: no longer of use")
        .execution_options(synchronize_session=False)
    )
    rows = db.execute(
        select(OutboxMessage.id, PersonRow, Community.timezone)
        .join(PersonRow, OutboxMessage.person_id == PersonRow.id)
        .join(Community, OutboxMessage.community_id == Community.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now)
    ).all()
    for message_id, person, zone in rows:
        pending = (OutboxMessage.id == message_id) & (OutboxMessage.status == OutboxStatus.PENDING.value)
        if person.channel == NONE:
            db.execute(update(OutboxMessage).where(pending).values(
                status=OutboxStatus.CANCELLED.value, last_error="stopped by the person"))
        elif (until := quiet_until(now, ZoneInfo(zone), person.quiet_start, person.quiet_end)) is not None:
            db.execute(update(OutboxMessage).where(pending).values(next_attempt_at=until))


def claim_due(db: Session, now: dt.datetime, limit: int = 50) -> list[int]:
    """Claim up to `limit` due messages for this worker (oldest due first): each by a conditional UPDATE that only
    a pending message passes, so of two workers claiming at once exactly one wins each message. Commit after."""
    candidates = db.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed = []
    for message_id in candidates:
        result = db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING.value)
            .values(status=OutboxStatus.SENDING.value, claimed_at=now, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            claimed.append(message_id)
    return claimed


def recover(db: Session, now: dt.datetime, stale: dt.timedelta = STALE) -> int:
    """Messages left `sending` by a worker that stopped (claimed more than `stale` ago) go back to pending, or to
    failed when that was their last attempt. Returns how many."""
    left = db.scalars(
        select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENDING.value, OutboxMessage.claimed_at <= now - stale
        )
    ).all()
    for message in left:
        message.last_error = "interrupted while sending (the worker stopped)"
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED.value
        else:
            message.status, message.next_attempt_at = OutboxStatus.PENDING.value, now
    return len(left)


def stop_url(public_url: str, token: str) -> str:
    """The person's page to stop messages or change quiet hours (no login; also takes RFC 8058's one-click POST)."""
    return f"{public_url}/p/{token}/notifications"


def _outgoing(db: Session, message_id: int, public_url: str) -> Outgoing:
    message = db.get(OutboxMessage, message_id)
    assert message is not None  # claimed by this worker; messages are never deleted
    community = db.get(Community, message.community_id)
    assert community is not None  # the message's community (foreign key)
    address, url, footer = message.address, None, None
    if message.channel == WECOM:
        if not community.wecom_webhook:
            raise SendError("no WeCom webhook is set")
        address = community.wecom_webhook
    person = db.get(PersonRow, message.person_id) if message.person_id is not None else None
    if person is not None:
        if message.channel == EMAIL:
            if not person.email:
                raise SendError("the person has no e-mail address")
            address = person.email  # the address on file now, should it have changed since
        link: AccessLink = links.ensure_link(db, community, LinkKind.PERSON, person_id=person.id)
        url = stop_url(public_url, link.token)
        t = Translator("en" if person.language == "en" else "zh")
        footer = t("outbox.page", url=f"{public_url}/p/{link.token}") + "\n" + t("outbox.footer", url=url)
    return Outgoing(message.id, message.channel, address, message.subject, message.body, url, footer)


def _outcome(db: Session, message_id: int, now: dt.datetime, error: BaseException | None) -> str:
    message = db.get(OutboxMessage, message_id)
    assert message is not None
    if message.status not in (OutboxStatus.SENDING.value, OutboxStatus.PENDING.value):
        return message.status  # cancelled meanwhile: left as it is
    if error is None:
        message.status, message.sent_at, message.last_error = OutboxStatus.SENT.value, now, None
        return message.status
    text = str(error) or type(error).__name__
    message.last_error = f"{type(error).__name__}: {text}"[:ERROR_CHARS]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED.value
    else:
        message.status = OutboxStatus.PENDING.value
        message.next_attempt_at = now + BACKOFF[max(message.attempts, 1) - 1]
    return message.status


def deliver_due(
    sessions: sessionmaker[Session], channels: Mapping[str, Channel], now: dt.datetime, *,
    public_url: str, limit: int = 50,
) -> Report:
    """One pass: hold what waits for a person, claim what is due, send each, and write down how it went."""
    with sessions.begin() as db:
        _hold(db, now)
        claimed = claim_due(db, now, limit)
    counts = {OutboxStatus.SENT.value: 0, OutboxStatus.PENDING.value: 0, OutboxStatus.FAILED.value: 0}
    for message_id in claimed:
        error: Exception | None = None
        try:
            with sessions.begin() as db:
                outgoing = _outgoing(db, message_id, public_url)
            channel = channels.get(outgoing.channel)
            if channel is None:
                raise SendError(f"the {outgoing.channel} channel is not configured")
            channel.send(outgoing)
        except Exception as caught:  # any failure of a channel is a failed attempt, kept as the message's error
            error = caught
        with sessions.begin() as db:
            status = _outcome(db, message_id, now, error)
        counts[status] = counts.get(status, 0) + 1
    return Report(
        sent=counts[OutboxStatus.SENT.value], retrying=counts[OutboxStatus.PENDING.value],
        failed=counts[OutboxStatus.FAILED.value],
    )


def run_pass(
    sessions: sessionmaker[Session], channels: Mapping[str, Channel], now: dt.datetime, *, public_url: str
) -> Report:
    """What the worker does every few seconds: `recover`, then `deliver_due`."""
    with sessions.begin() as db:
        recovered = recover(db, now)
    report = deliver_due(sessions, channels, now, public_url=public_url)
    return Report(recovered, report.sent, report.retrying, report.failed)


# ------------------------------------------------------------------------------------ the coordinator's actions


def retry(db: Session, message: OutboxMessage, now: dt.datetime) -> bool:
    """A failed (or cancelled) message gets a fresh set of attempts, due now."""
    if message.status not in (OutboxStatus.FAILED.value, OutboxStatus.CANCELLED.value):
        return False
    message.status, message.attempts, message.next_attempt_at = OutboxStatus.PENDING.value, 0, now
    db.info[WAKE_KEY] = True
    return True


def cancel(message: OutboxMessage) -> bool:
    """A pending message is not sent."""
    if message.status != OutboxStatus.PENDING.value:
        return False
    message.status = OutboxStatus.CANCELLED.value
    return True


def cancel_for_person(db: Session, person: PersonRow) -> None:
    """The person stopped messages: what waits for them is not sent."""
    db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.person_id == person.id, OutboxMessage.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.CANCELLED.value, last_error="stopped by the person")
        .execution_options(synchronize_session=False)
    )


def messages_of(db: Session, community: Community, status: str | None = None, limit: int = 200) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.community_id == community.id)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(db.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit)))


def counts_of(db: Session, community: Community) -> dict[str, int]:
    rows = db.execute(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.community_id == community.id)
        .group_by(OutboxMessage.status)
    ).all()
    return {status.value: 0 for status in OutboxStatus} | {status: count for status, count in rows}

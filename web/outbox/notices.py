"""What the outbox is given to send, and when: every notice is stored in the transaction of the change it reports,
so a publication, an offer or a round never commits without its messages (nor the other way round).

- **Publication**: only the people whose coming shifts changed against the previous version get a message, saying
  what changed (new, cancelled, new times) and listing their shifts of the week.
- **Reminders**: the evening before a shift (`ReminderTimes.evening`, local time) and some minutes before it, as
  messages due at that moment and expiring when the shift begins: never sent late. A newer version replaces the
  week's waiting reminders; one already sent is not sent again (same key). The community's WeCom group gets the
  next day's rota (`scheduler.day_message`) the evening before.
- **Swap offers**: the people the engine's per-person rules let take the shift; withdrawn when the offer ends.
- **Sign-up rounds**: everyone who can be reached when a round opens, and a day before its deadline.

The outbox table is the scheduler: a reminder is a row due at a time, claimed atomically by whichever worker runs
(web.outbox.service), so it survives restarts and several processes without a job store of its own.
Texts are in each person's language; names, local dates and clock times, never ids.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduler import Assignment, date_label, day_message, diff_rotas, shift_times
from web.feeds.service import ComingShift, coming_shift
from web.i18n import Translator
from web.outbox import service as outbox
from web.rota import service as rotas
from web.store import setup_of
from web.tables import Community, OutboxMessage, OutboxStatus, PersonRow, RotaVersion, SignupRound

if TYPE_CHECKING:
    from web.settings import Settings

REMINDERS = "outbox.reminder_times"
"""The key of the app's `ReminderTimes` in each session's `info`."""
SIGNUP_WARNING = dt.timedelta(hours=24)
"""How long before a sign-up round's deadline its reminder is due."""


@dataclass(frozen=True)
class ReminderTimes:
    evening: dt.time | None = dt.time(20)
    """The local time of the evening-before reminder (None: none)."""
    before: dt.timedelta | None = dt.timedelta(minutes=60)
    """How long before a shift its last reminder is due (None: none)."""

    @classmethod
    def of(cls, settings: Settings) -> ReminderTimes:
        minutes = settings.reminder_minutes
        return cls(settings.reminder_evening, dt.timedelta(minutes=minutes) if minutes else None)


def _translator(person: PersonRow) -> Translator:
    return Translator("en" if person.language == "en" else "zh")


def _line(t: Translator, shift: ComingShift) -> str:
    """'12月8日 周二 大门 白班 08:00–16:00，志愿者；午饭 12:00–12:30'."""
    zone = shift.start.tzinfo
    assert isinstance(zone, ZoneInfo)
    times = shift_times(shift.start, shift.end, zone)
    slot = shift.slot if times in shift.slot else f"{shift.slot} {times}".strip()
    text = t("notice.line", date=date_label(shift.start.date(), t.lang), place=shift.place, slot=slot,
             role=shift.role)
    return text + (t("notice.meal", breaks=_join(t, shift.breaks)) if shift.breaks else "")  # 午饭 12:00–12:30


def _join(t: Translator, items: Iterable[str]) -> str:
    return ("、" if t.lang == "zh" else ", ").join(items)


def _people(db: Session, community: Community) -> dict[str, PersonRow]:
    return {p.key: p for p in db.scalars(select(PersonRow).where(PersonRow.community_id == community.id))}


# ------------------------------------------------------------------------------------------------- publication


def reminder_times(db: Session) -> ReminderTimes:
    """The app's reminder times (its settings, given to every session by the app factory), else the defaults."""
    times = db.info.get(REMINDERS)
    return times if isinstance(times, ReminderTimes) else ReminderTimes()


def published(
    db: Session, community: Community, row: RotaVersion, now: dt.datetime, times: ReminderTimes | None = None
) -> None:
    """The notices of a version just published (call inside its transaction, after the flush)."""
    times = times or reminder_times(db)
    version = rotas.published(row)
    previous_row = rotas.version_row(db, community.id, row.week_start, row.version - 1)
    before = rotas.published(previous_row) if previous_row is not None else None
    old = before.rota if before is not None else version.rota.model_copy(update={"assignments": []})
    changes = diff_rotas(old, version.rota)
    people = _people(db, community)
    mates, old_mates = _mates(version), _mates(before) if before is not None else {}
    mine_of: dict[str, list[Assignment]] = defaultdict(list)
    for a in version.rota.assignments:
        mine_of[a.person].append(a)
    messages = []
    for key in changes.people():
        person = people.get(key)
        mine = [c for c in changes.of(key) if c.start > now]
        if person is None or not mine or not outbox.reachable(person):
            continue
        t = _translator(person)
        lines = [t("notice.published", community=community.name, week=date_label(row.week_start, t.lang),
                   version=row.version)]
        for c in mine if before is not None else []:  # a first version: the week's list says it all
            if c.after is None:
                assert before is not None and c.before is not None  # a loss is against an older version
                lines.append(t("notice.removed", line=_said(t, before, c.before, old_mates)))
            elif c.before is not None and before is not None:
                lines.append(t("notice.retimed", line=_said(t, version, c.after, mates),
                               was=_said(t, before, c.before, old_mates)))
            else:
                lines.append(t("notice.added", line=_said(t, version, c.after, mates)))
        coming = sorted((a for a in mine_of[key] if a.end > now), key=lambda a: a.start)
        lines.append("")
        lines.append(t("notice.your_week") if coming else t("notice.no_shifts"))
        lines.extend(_said(t, version, a, mates) for a in coming)
        assert person.email is not None  # reachable
        messages.append(outbox.new_message(
            community.id, channel=outbox.EMAIL, address=person.email, person_id=person.id, kind="publication",
            subject=t("notice.published_subject", week=date_label(row.week_start, t.lang)),
            body="\n".join(lines), dedupe_key=f"publication:{row.id}:{person.id}", now=now,
        ))
    outbox.store_new(db, messages)  # keyed by the new version: none stored before
    _schedule_reminders(db, community, version, now, times, people, mates)


Slot = tuple[str, dt.date, str | None]


def _mates(version: rotas.PublishedVersion) -> dict[Slot, list[Assignment]]:
    """The assignments of each shift instance: teammates are looked up there, not in the whole rota."""
    found: dict[Slot, list[Assignment]] = defaultdict(list)
    for a in version.rota.assignments:
        found[(a.place, a.date, a.shift)].append(a)
    return found


def _said(t: Translator, version: rotas.PublishedVersion, a: Assignment, mates: dict[Slot, list[Assignment]]) -> str:
    return _line(t, coming_shift(version, a, t.lang, mates.get((a.place, a.date, a.shift), [])))


def _schedule_reminders(
    db: Session, community: Community, version: rotas.PublishedVersion, now: dt.datetime, times: ReminderTimes,
    people: dict[str, PersonRow], mates: dict[Slot, list[Assignment]],
) -> None:
    """The week's reminders from this version, reconciled with those stored: a waiting one this version no longer
    wants, or wants with other words or at another time, is deleted and the new one stored; the others stay as
    they are, and one already sent is never sent again (its key is kept)."""
    zone = version.scenario.zone
    week = version.week_start.isoformat()
    wanted: dict[str, OutboxMessage] = {}
    for a in version.rota.assignments:
        person = people.get(a.person)
        if person is None or not outbox.reachable(person) or person.email is None or a.start <= now:
            continue
        for when, due in _reminder_moments(a, zone, times):
            if due <= now:
                continue
            t = _translator(person)
            shift = coming_shift(version, a, t.lang, mates[(a.place, a.date, a.shift)])  # its slot's mates
            body = [t(f"notice.reminder_{when}", line=_line(t, shift))]
            if shift.teammates:
                body.append(t("notice.with", names=_join(t, (m.name for m in shift.teammates))))
            key = f"reminder:{community.id}:{week}:{person.id}:{a.date}:{a.place}:{a.shift}:{when}"
            wanted[key] = outbox.new_message(
                community.id, channel=outbox.EMAIL, address=person.email, person_id=person.id, kind="reminder",
                subject=t("notice.reminder_subject", place=shift.place,
                          start=f"{date_label(shift.start.date(), t.lang)} {shift.start:%H:%M}"),
                body="\n".join(body), now=now, due=due, expires_at=a.start, dedupe_key=key,
            )
    if times.evening is not None and community.wecom_webhook:
        lang = setup_of(community).language
        for offset in range(version.rota.days):
            day = version.week_start + dt.timedelta(days=offset)
            due = dt.datetime.combine(day - dt.timedelta(days=1), times.evening, zone)
            if due <= now:
                continue
            key = f"day:{community.id}:{week}:{day}"
            wanted[key] = outbox.new_message(
                community.id, channel=outbox.WECOM, address=outbox.GROUP, kind="day",
                subject=Translator(lang)("notice.day_subject", date=date_label(day, lang)),
                body=day_message(version.scenario, version.rota, day, lang), now=now, due=due,
                expires_at=dt.datetime.combine(day, dt.time(), zone), dedupe_key=key,
            )
    _reconcile(db, (f"reminder:{community.id}:{week}:", f"day:{community.id}:{week}:"), wanted)


def _reconcile(db: Session, prefixes: tuple[str, ...], wanted: dict[str, OutboxMessage]) -> None:
    """Make the stored messages under `prefixes` those `wanted` (see `_schedule_reminders`), in a few statements."""
    stored = db.scalars(select(OutboxMessage).where(
        or_(*(OutboxMessage.dedupe_key.startswith(prefix, autoescape=True) for prefix in prefixes))
    ))
    for message in stored:
        new = wanted.get(message.dedupe_key)
        if message.status != OutboxStatus.PENDING.value:
            wanted.pop(message.dedupe_key, None)  # sent, failed or cancelled: never again
        elif new is not None and _same(message, new):
            del wanted[message.dedupe_key]
        else:
            db.delete(message)
    db.flush()  # the deletions first: a replacement has the same unique key
    outbox.store_new(db, list(wanted.values()))


def _same(stored: OutboxMessage, new: OutboxMessage) -> bool:
    return (stored.address, stored.subject, stored.body, stored.next_attempt_at, stored.expires_at) == (
        new.address, new.subject, new.body, new.next_attempt_at, new.expires_at
    )


def _reminder_moments(a: Assignment, zone: ZoneInfo, times: ReminderTimes) -> Iterable[tuple[str, dt.datetime]]:
    if times.evening is not None:
        local_day = a.start.astimezone(zone).date()
        yield "evening", dt.datetime.combine(local_day - dt.timedelta(days=1), times.evening, zone)
    if times.before is not None:
        yield "soon", a.start - times.before


# ------------------------------------------------------------------------------------------------- swap offers


def swap_offered(
    db: Session, community: Community, swap_id: int, version: rotas.PublishedVersion, a: Assignment, giver: PersonRow,
    may_take: list[PersonRow], now: dt.datetime,
) -> None:
    """Tell the people who may take an offered shift (`may_take`, checked by the caller)."""
    for person in may_take:
        t = _translator(person)
        line = _line(t, coming_shift(version, a, t.lang))
        outbox.enqueue_to_person(
            db, person, subject=t("notice.swap_subject", name=giver.name),
            body=t("notice.swap", name=giver.name, line=line), kind="swap", now=now, expires_at=a.start,
            dedupe_key=f"swap:{community.id}:{swap_id}:{person.id}",
        )


def swap_closed(db: Session, community: Community, swap_id: int) -> None:
    """The offer was withdrawn, taken or decided: its messages not yet sent are dropped."""
    outbox.drop_waiting(db, f"swap:{community.id}:{swap_id}:")


# ------------------------------------------------------------------------------------------------- sign-up


def signup_opened(db: Session, community: Community, round_: SignupRound, now: dt.datetime) -> None:
    """Everyone active who can be reached: the round is open until its deadline; and a reminder a day before it."""
    zone = ZoneInfo(community.timezone)
    for person in db.scalars(select(PersonRow).where(PersonRow.community_id == community.id,
                                                     PersonRow.active.is_(True))):
        if not outbox.reachable(person):
            continue
        t = _translator(person)
        params = {"community": community.name, "week": date_label(round_.week_start, t.lang),
                  "deadline": f"{date_label(round_.deadline.astimezone(zone).date(), t.lang)} "
                              f"{round_.deadline.astimezone(zone):%H:%M}"}
        outbox.enqueue_to_person(
            db, person, subject=t("notice.signup_subject", **params), body=t("notice.signup", **params),
            kind="signup", now=now, expires_at=round_.deadline,
            dedupe_key=f"signup:{community.id}:{round_.id}:{person.id}:open",
        )
        warning = round_.deadline - SIGNUP_WARNING
        if warning > now:
            outbox.enqueue_to_person(
                db, person, subject=t("notice.signup_deadline_subject", **params),
                body=t("notice.signup_deadline", **params), kind="signup", now=now, due=warning,
                expires_at=round_.deadline,
                dedupe_key=f"signup:{community.id}:{round_.id}:{person.id}:deadline:{round_.deadline:%Y%m%d%H%M}",
            )


def signup_closed(db: Session, community: Community, round_id: int) -> None:
    """A round closed or deleted: its messages not yet sent are dropped."""
    outbox.drop_waiting(db, f"signup:{community.id}:{round_id}:")

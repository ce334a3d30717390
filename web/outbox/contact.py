"""How messages reach a person: e-mail address, channel (e-mail or none) and quiet hours, as typed on the person
form (coordinators) and on the person's own notifications page (no login). Errors name their field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from web.i18n import Translator
from web.outbox.service import EMAIL, NONE
from web.store import person_row, transaction
from web.tables import Community, PersonRow

FIELDS = ("email", "channel", "quiet_start", "quiet_end")
PERSON_CHANNELS = (EMAIL, NONE)
_EMAIL = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
EMAIL_MAX = 254


@dataclass(frozen=True)
class Contact:
    email: str | None
    channel: str
    quiet_start: dt.time | None
    quiet_end: dt.time | None


def values_of(row: PersonRow | None) -> dict[str, str]:
    """The form's values for a stored person (a new one: e-mail channel, no quiet hours)."""
    if row is None:
        return {"email": "", "channel": EMAIL, "quiet_start": "", "quiet_end": ""}
    return {
        "email": row.email or "", "channel": row.channel or EMAIL,
        "quiet_start": row.quiet_start.strftime("%H:%M") if row.quiet_start else "",
        "quiet_end": row.quiet_end.strftime("%H:%M") if row.quiet_end else "",
    }


def read(form: FormData, values: dict[str, Any], errors: dict[str, str], t: Translator,
         fields: tuple[str, ...] = FIELDS, email: str | None = None) -> Contact | None:
    """The typed fields into `values`, their problems into `errors` (by field); the contact when all are valid.
    `email` is the address on file when the form has no e-mail field (the person's own page). The e-mail channel
    without an address is allowed: nothing is sent until one is on file."""
    for name in fields:
        raw = form.get(name)
        values[name] = raw.strip() if isinstance(raw, str) else ""
    before = len(errors)
    address = values["email"] if "email" in fields else (email or "")
    if "email" in fields and address and not valid_email(address):
        errors["email"] = t("outbox.email_invalid")
    channel = values.get("channel") or EMAIL
    if channel not in PERSON_CHANNELS:
        errors["channel"] = t("form.invalid")
    start = _time(values.get("quiet_start", ""), "quiet_start", errors, t)
    end = _time(values.get("quiet_end", ""), "quiet_end", errors, t)
    if "quiet_start" not in errors and "quiet_end" not in errors and (start is None) != (end is None):
        errors["quiet_end" if end is None else "quiet_start"] = t("outbox.quiet_both")
    if len(errors) > before:
        return None
    return Contact(address or None, channel, start, end)


def valid_email(address: str) -> bool:
    """A plain address (name@example.org): no display name, no list, nothing a header could be made of."""
    return len(address) <= EMAIL_MAX and _EMAIL.match(address) is not None


def _time(text: str, name: str, errors: dict[str, str], t: Translator) -> dt.time | None:
    if not text:
        return None
    match = _TIME.match(text)
    if match is None:
        errors[name] = t("outbox.time_invalid")
        return None
    return dt.time(int(match.group(1)), int(match.group(2)))


def apply(row: PersonRow, contact: Contact) -> None:
    row.email, row.channel = contact.email, contact.channel
    row.quiet_start, row.quiet_end = contact.quiet_start, contact.quiet_end


def save(db: Session, community: Community, key: str, reach: Contact) -> None:
    """Store a person's contact (after the person form saved the rest), in its own transaction."""
    with transaction(db):
        row = person_row(db, community, key)
        if row is not None:
            apply(row, reach)

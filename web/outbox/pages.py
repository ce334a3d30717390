"""The outbox's pages.

Coordinators: `GET /outbox` (every account reads), retry a failed message or cancel a pending one (editors), send a
test message and set the community's WeCom webhook (admins; the webhook is shown masked).

Volunteers, at their secret link and without a login: `GET /p/{token}/notifications` (turn messages off or on,
change quiet hours) and `POST` to it, which also takes RFC 8058's one-click unsubscribe (`List-Unsubscribe=One-Click`
in the body, sent by mail programs, which have no CSRF token: the secret link is the key).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from web import csrf
from web.deps import AdminUser, CsrfChecked, CurrentCommunity, DbSession, Editor, T, Viewer, app_context
from web.feeds.pages import PRIVATE_PAGE_HEADERS
from web.i18n import Translator
from web.outbox import contact, service
from web.outbox.contact import EMAIL_MAX
from web.outbox.service import EMAIL, WECOM
from web.personal import person_or_404 as _person
from web.personal import personal_translator as _personal_translator
from web.rendering import flash, render
from web.store import audit, people_rows, transaction
from web.tables import Community, OutboxMessage, OutboxStatus, PersonRow
from web.validation import DbId

router = APIRouter(include_in_schema=False)
WEBHOOK_MAX = 500
StatusQuery = Annotated[str, Query(max_length=16)]
ShortText = Annotated[str, Form(max_length=EMAIL_MAX)]
WebhookText = Annotated[str, Form(max_length=WEBHOOK_MAX + 100)]


@dataclass(frozen=True)
class Typed:
    """A form's values as typed and its errors by field (what the `field` macro reads)."""

    values: dict[str, str]
    errors: dict[str, str]


def mask_webhook(url: str | None) -> str | None:
    """Enough of the address to recognise it, not enough to post to it: the host, and the key's last 4 characters."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…{url[-4:]}"


def _valid_webhook(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and len(url) <= WEBHOOK_MAX and " " not in url


KINDS = frozenset({"publication", "reminder", "day", "swap", "signup", "test"})
"""The kinds of message with a name on the page (web.outbox.notices, and the test message)."""


def _outbox_page(
    request: Request, t: Translator, db: Session, user: object, community: Community, status: str = "",
    errors: dict[str, str] | None = None, values: dict[str, str] | None = None, status_code: int = 200,
) -> Response:
    shown = status if status in {s.value for s in OutboxStatus} else ""
    names = {row.id: row.name for row in people_rows(db, community)}
    return render(
        request, t, "outbox.html", status_code, user=user, messages=service.messages_of(db, community, shown or None),
        counts=service.counts_of(db, community), shown=shown, statuses=[s.value for s in OutboxStatus], names=names,
        webhook=mask_webhook(community.wecom_webhook), kinds=KINDS,
        form=Typed(values or {}, errors or {}), smtp_host=app_context(request).settings.smtp_host,
        local=lambda moment: moment.astimezone(ZoneInfo(community.timezone)),
    )


@router.get("/outbox", response_class=HTMLResponse)
def outbox_page(
    request: Request, t: T, db: DbSession, user: Viewer, community: CurrentCommunity, status: StatusQuery = "",
) -> Response:
    return _outbox_page(request, t, db, user, community, status)


def _message_or_404(db: Session, community: Community, message_id: int) -> OutboxMessage:
    message = db.get(OutboxMessage, message_id)
    if message is None or message.community_id != community.id:
        raise HTTPException(404, "no such message")
    return message


@router.post("/outbox/{message_id}/retry")
def retry_message(
    request: Request, message_id: DbId, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    with transaction(db):
        message = _message_or_404(db, community, message_id)
        done = service.retry(db, message, app_context(request).clock())
        if done:
            audit(db, user.username, "outbox.retry", str(message.id))
    flash(request, t("outbox.did_retry") if done else t("outbox.cannot_retry"), "info" if done else "error")
    return RedirectResponse("/outbox", status_code=303)


@router.post("/outbox/{message_id}/cancel")
def cancel_message(
    request: Request, message_id: DbId, t: T, db: DbSession, user: Editor, community: CurrentCommunity,
    _csrf: CsrfChecked,
) -> Response:
    with transaction(db):
        message = _message_or_404(db, community, message_id)
        done = service.cancel(message)
        if done:
            audit(db, user.username, "outbox.cancel", str(message.id))
    flash(request, t("outbox.did_cancel") if done else t("outbox.cannot_cancel"), "info" if done else "error")
    return RedirectResponse("/outbox", status_code=303)


@router.post("/outbox/test", response_class=HTMLResponse)
def send_test(
    request: Request, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity, _csrf: CsrfChecked,
    channel: Annotated[str, Form(max_length=16)] = "", address: ShortText = "",
) -> Response:
    """A test message through the outbox (the worker sends it within seconds): checks the channel's settings."""
    values, errors = {"channel": channel, "address": address.strip()}, dict[str, str]()
    if channel not in (EMAIL, WECOM):
        errors["channel"] = t("form.invalid")
    elif channel == EMAIL and not contact.valid_email(values["address"]):
        errors["address"] = t("outbox.email_invalid")
    elif channel == WECOM and not community.wecom_webhook:
        errors["channel"] = t("outbox.no_webhook")
    if errors:
        return _outbox_page(request, t, db, user, community, errors=errors, values=values, status_code=400)
    now = app_context(request).clock()
    with transaction(db):
        service.enqueue(
            db, community.id, channel=channel, address=values["address"] if channel == EMAIL else service.GROUP,
            subject=t("outbox.test_subject"), body=t("outbox.test_body", community=community.name), kind="test",
            dedupe_key=f"test:{uuid.uuid4().hex}", now=now,
        )
        audit(db, user.username, "outbox.test", channel)
    flash(request, t("outbox.did_test"))
    return RedirectResponse("/outbox", status_code=303)


@router.post("/outbox/wecom", response_class=HTMLResponse)
def set_webhook(
    request: Request, t: T, db: DbSession, user: AdminUser, community: CurrentCommunity, _csrf: CsrfChecked,
    webhook: WebhookText = "",
) -> Response:
    """The community's WeCom group robot (its webhook address); empty removes it."""
    url = webhook.strip()
    if url and not _valid_webhook(url):
        return _outbox_page(request, t, db, user, community, errors={"webhook": t("outbox.webhook_invalid")},
                            status_code=400)
    with transaction(db):
        row = db.get(Community, community.id)
        assert row is not None  # the current community
        row.wecom_webhook = url or None
        audit(db, user.username, "outbox.webhook", None, set=bool(url))  # never the address itself: it is a secret
    flash(request, t("outbox.did_webhook") if url else t("outbox.did_remove_webhook"))
    return RedirectResponse("/outbox", status_code=303)


# ------------------------------------------------------------------------------ the person's own page (no login)


def _notifications_page(
    request: Request, t: Translator, person: PersonRow, token: str, values: dict[str, str],
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:
    response = render(request, t, "notifications.html", status_code, person=person, token=token,
                      form=Typed(values, errors or {}))
    response.headers.update(PRIVATE_PAGE_HEADERS)
    return response


@router.get("/p/{token}/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, token: str, db: DbSession) -> Response:
    person = _person(db, token)
    return _notifications_page(request, _personal_translator(request, person), person, token, contact.values_of(person))


@router.post("/p/{token}/notifications", response_class=HTMLResponse)
async def save_notifications(request: Request, token: str, db: DbSession) -> Response:
    form = await request.form()
    one_click = form.get("List-Unsubscribe") == "One-Click"  # RFC 8058: a mail program's POST, no page, no token
    if not one_click and not csrf.token_matches(request, form.get(csrf.FIELD)):
        raise HTTPException(403, "CSRF token missing or wrong")  # before the link: like every other form
    person = _person(db, token)
    t = _personal_translator(request, person)
    if one_click:
        with transaction(db):
            person.channel = service.NONE
            service.cancel_for_person(db, person)
            audit(db, None, "outbox.unsubscribe", person.key, via="one-click", community_id=person.community_id)
        return PlainTextResponse(t("outbox.stopped"), headers=PRIVATE_PAGE_HEADERS)
    values, errors = contact.values_of(person), dict[str, str]()
    chosen = contact.read(form, values, errors, t, fields=("channel", "quiet_start", "quiet_end"), email=person.email)
    if chosen is None:
        return _notifications_page(request, t, person, token, values, errors, 400)
    with transaction(db):
        contact.apply(person, chosen)
        if chosen.channel == service.NONE:
            service.cancel_for_person(db, person)
        audit(db, None, "outbox.preferences", person.key, channel=chosen.channel,
              community_id=person.community_id)
    flash(request, t("outbox.stopped") if chosen.channel == service.NONE else t("outbox.saved"))
    return RedirectResponse(f"/p/{token}/notifications", status_code=303)

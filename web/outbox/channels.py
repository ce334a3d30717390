"""The outbox's channels: e-mail over SMTP (the standard library) and the WeCom group robot's webhook (httpx2).

Each channel's `send` delivers one `Outgoing` or raises; the outbox counts an exception as a failed attempt and
keeps its text. Every e-mail to a person carries a `List-Unsubscribe` header (with RFC 8058's one-click POST) and a
footer line with their stop link.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import httpx2

from web.outbox.service import EMAIL, WECOM, Channel, Outgoing, SendError
from web.settings import Settings

SMTP_TIMEOUT = 30.0
WEBHOOK_TIMEOUT = 10.0
WECOM_MAX_BYTES = 2048
"""A WeCom robot's text message holds at most this many bytes of UTF-8."""
IMPLICIT_TLS_PORT = 465


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None
    port: int = 587
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str = "rota@localhost"

    @classmethod
    def of(cls, settings: Settings) -> SmtpSettings:
        return cls(
            settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password, settings.smtp_starttls,
            settings.mail_from,
        )


def email_of(message: Outgoing, sender: str) -> EmailMessage:
    """The e-mail of a message: UTF-8 text, the stop link as a footer line and as `List-Unsubscribe`."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = message.address
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    text = message.body
    if message.stop_url:
        mail["List-Unsubscribe"] = f"<{message.stop_url}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message.footer:
        text = f"{text.rstrip()}\n\n-- \n{message.footer}\n"
    mail.set_content(text, charset="utf-8")
    return mail


class EmailChannel:
    """Sends over SMTP: STARTTLS when set (implicit TLS on port 465), a login when a user is set."""

    def __init__(
        self, smtp: SmtpSettings, timeout: float = SMTP_TIMEOUT, tls: ssl.SSLContext | None = None
    ) -> None:
        self.smtp = smtp
        self.timeout = timeout
        self.tls = tls
        """Verifies the server's certificate (default: the system's authorities; tests trust their own)."""

    def send(self, message: Outgoing) -> None:
        if not self.smtp.host:
            raise SendError("ROTA_SMTP_HOST is not set")
        mail = email_of(message, self.smtp.sender)
        tls = self.tls or ssl.create_default_context()
        try:
            if self.smtp.port == IMPLICIT_TLS_PORT:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.smtp.host, self.smtp.port, timeout=self.timeout, context=tls
                )
            else:
                client = smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.timeout)
            with client:
                if self.smtp.starttls and self.smtp.port != IMPLICIT_TLS_PORT:
                    client.starttls(context=tls)
                if self.smtp.user:
                    client.login(self.smtp.user, self.smtp.password or "")
                client.send_message(mail)
        except (smtplib.SMTPException, OSError) as error:
            raise SendError(f"SMTP: {error}") from error


def wecom_text(message: Outgoing) -> str:
    """The robot's text: the subject on the first line, the body, cut to what WeCom takes."""
    text = f"{message.subject}\n{message.body}" if message.subject else message.body
    data = text.encode("utf-8")
    if len(data) <= WECOM_MAX_BYTES:
        return text
    return data[: WECOM_MAX_BYTES - 3].decode("utf-8", errors="ignore") + "…"


class WeComChannel:
    """POSTs `{"msgtype": "text", "text": {"content": ...}}` to the group robot's webhook; an HTTP error or a
    non-zero `errcode` in the answer is a failure."""

    def __init__(self, timeout: float = WEBHOOK_TIMEOUT) -> None:
        self.timeout = timeout

    def send(self, message: Outgoing) -> None:
        payload = {"msgtype": "text", "text": {"content": wecom_text(message)}}
        try:
            response = httpx2.post(message.address, json=payload, timeout=self.timeout)
        except httpx2.HTTPError as error:
            raise SendError(f"webhook: {type(error).__name__}") from error
        if response.status_code != 200:
            raise SendError(f"webhook answered HTTP {response.status_code}")
        try:
            answer: Any = response.json()
        except ValueError as error:
            raise SendError("webhook answered something other than JSON") from error
        code = answer.get("errcode", 0) if isinstance(answer, dict) else None
        if code != 0:
            detail = answer.get("errmsg", "") if isinstance(answer, dict) else ""
            raise SendError(f"webhook errcode {code}: {detail}"[:300])


def channels_of(settings: Settings) -> dict[str, Channel]:
    """The channels the settings describe (e-mail refuses to send, with a clear error, until SMTP is set)."""
    return {EMAIL: EmailChannel(SmtpSettings.of(settings)), WECOM: WeComChannel()}

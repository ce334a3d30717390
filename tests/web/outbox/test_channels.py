"""The channels against real servers the tests start: e-mails through aiosmtpd read back with the email package,
the WeCom robot's webhook against a local HTTP receiver (success, a non-zero errcode, an HTTP 500)."""

from __future__ import annotations

import pytest

from tests.web.outbox.conftest import Receiver, SmtpServer, free_port
from web.outbox.channels import EmailChannel, SmtpSettings, WeComChannel, wecom_text
from web.outbox.service import Outgoing, SendError

STOP = "http://testserver/p/secret-token/notifications"


def _mail(server: SmtpServer) -> EmailChannel:
    return EmailChannel(SmtpSettings(server.host, server.port, starttls=False, sender="rota@example.org"), timeout=5)


def test_an_email_arrives_with_subject_body_footer_and_list_unsubscribe(smtp_server: SmtpServer) -> None:
    message = Outgoing(1, "email", "wang@example.org", "排班变更：12月8日 白班",
                       "王芳，您的班次有变化：大门 08:00–16:00。", STOP,
                       f"如不想再收到这些消息或要修改免打扰时间：{STOP}")
    _mail(smtp_server).send(message)
    [mail] = smtp_server.sink.messages()
    assert smtp_server.sink.envelopes[0].rcpt_tos == ["wang@example.org"]
    assert mail["Subject"] == "排班变更：12月8日 白班"
    assert mail["From"] == "rota@example.org" and mail["To"] == "wang@example.org"
    assert mail["List-Unsubscribe"] == f"<{STOP}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_content_charset() == "utf-8"
    body = mail.get_content()
    assert "王芳，您的班次有变化：大门 08:00–16:00。" in body
    assert body.rstrip().endswith(f"如不想再收到这些消息或要修改免打扰时间：{STOP}")


def test_an_email_without_a_person_has_no_unsubscribe(smtp_server: SmtpServer) -> None:
    _mail(smtp_server).send(Outgoing(2, "email", "admin@example.org", "Test", "It works."))
    [mail] = smtp_server.sink.messages()
    assert mail["List-Unsubscribe"] is None
    assert mail.get_content().strip() == "It works."


def test_smtp_failures_are_send_errors() -> None:
    with pytest.raises(SendError, match="ROTA_SMTP_HOST"):
        EmailChannel(SmtpSettings(None)).send(Outgoing(1, "email", "a@example.org", "s", "b"))
    closed = EmailChannel(SmtpSettings("127.0.0.1", free_port(), starttls=False), timeout=2)
    with pytest.raises(SendError, match="SMTP"):
        closed.send(Outgoing(1, "email", "a@example.org", "s", "b"))


def test_the_webhook_gets_wecom_text(webhook: Receiver) -> None:
    WeComChannel(timeout=5).send(Outgoing(1, "wecom", webhook.url, "今日排班", "大门 白班：王芳 13800000000"))
    assert webhook.bodies == [{"msgtype": "text", "text": {"content": "今日排班\n大门 白班：王芳 13800000000"}}]


def test_a_nonzero_errcode_and_an_http_500_are_failures(webhook: Receiver) -> None:
    channel = WeComChannel(timeout=5)
    message = Outgoing(1, "wecom", webhook.url, "s", "b")
    webhook.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"}), (500, {"oops": True})]
    with pytest.raises(SendError, match="errcode 93000: invalid webhook url"):
        channel.send(message)
    with pytest.raises(SendError, match="HTTP 500"):
        channel.send(message)
    with pytest.raises(SendError, match="webhook: ConnectError"):
        channel.send(Outgoing(1, "wecom", f"http://127.0.0.1:{free_port()}/hook", "s", "b"))
    assert len(webhook.bodies) == 2


def test_long_wecom_text_is_cut_to_what_wecom_takes() -> None:
    text = wecom_text(Outgoing(1, "wecom", "u", "标题", "班" * 3000))
    assert len(text.encode("utf-8")) <= 2048 and text.endswith("…")

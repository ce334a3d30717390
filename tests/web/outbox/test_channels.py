"""The channels against real servers the tests start: e-mails through aiosmtpd read back with the email package,
the WeCom robot's webhook against a local HTTP receiver (success, a non-zero errcode, an HTTP 500)."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.web.outbox.conftest import MailSink, Receiver, SmtpServer, free_port
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


def test_starttls_and_a_login(tmp_path: Path) -> None:
    """The server offers STARTTLS with its own certificate and requires a login over TLS; the channel upgrades,
    checks the certificate against the one it trusts, logs in and sends."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: object) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.login == b"rota" and data.password == b"s3cret")

    sink = MailSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, tls_context=server_tls, require_starttls=True,
                            authenticator=authenticate, auth_required=True)
    controller.start()
    try:
        trusted = ssl.create_default_context(cafile=str(cert))
        message = Outgoing(1, "email", "a@example.org", "主题", "正文")
        EmailChannel(SmtpSettings("127.0.0.1", port, "rota", "s3cret", starttls=True), timeout=5, tls=trusted).send(
            message)
        assert [m["Subject"] for m in sink.messages()] == ["主题"]
        with pytest.raises(SendError, match="SMTP"):  # a wrong password
            EmailChannel(SmtpSettings("127.0.0.1", port, "rota", "wrong"), timeout=5, tls=trusted).send(message)
        with pytest.raises(SendError, match="SMTP"):  # a certificate nobody vouches for
            EmailChannel(SmtpSettings("127.0.0.1", port, "rota", "s3cret"), timeout=5).send(message)
    finally:
        controller.stop()
    assert logins[0] == (b"rota", b"s3cret")

"""Real services for the outbox's tests, started by the tests: an SMTP server (aiosmtpd) and a WeCom-like webhook
receiver (http.server), each on a free local port."""

from __future__ import annotations

import email
import json
import socket
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class MailSink:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.received = threading.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        self.received.set()
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        found = []
        for envelope in self.envelopes:
            content = envelope.original_content or b""
            parsed = email.message_from_bytes(content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            found.append(parsed)
        return found


class SmtpServer:
    def __init__(self, sink: MailSink, port: int) -> None:
        self.sink, self.host, self.port = sink, "127.0.0.1", port


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    sink = MailSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(sink, port)
    finally:
        controller.stop()


class Receiver:
    """What the webhook was sent, and what it answers next (status, JSON body); by default WeCom's success."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []
        self.answers: list[tuple[int, Any]] = []
        self.url = ""
        self.received = threading.Event()

    def answer(self) -> tuple[int, Any]:
        return self.answers.pop(0) if self.answers else (200, {"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def webhook() -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            receiver.bodies.append(json.loads(self.rfile.read(length).decode("utf-8")))
            status, body = receiver.answer()
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            receiver.received.set()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test-key-1234"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

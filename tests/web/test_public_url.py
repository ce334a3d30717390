"""Links and QR codes use ROTA_PUBLIC_URL, never the request's Host header; secret tokens never reach the access log."""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from tests.web.conftest import RecordingRunner, login
from web.access_log import MASK, redact
from web.app import create_app
from web.feeds.addresses import qr_data_uri
from web.settings import DEFAULT_PUBLIC_URL, Settings

PUBLIC = "https://rota.example.org/volunteers"
EVIL = {"Host": "evil.example"}
TOKEN = "Abc_def-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def public_app(settings: Settings) -> FastAPI:
    return create_app(settings.model_copy(update={"public_url": PUBLIC}), RecordingRunner(), out=io.StringIO())


@pytest.fixture
def evil_client(public_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(public_app, follow_redirects=False) as client:
        login(client)
        client.headers.update(EVIL)
        yield client


def test_secret_links_and_qr_codes_use_the_public_url_not_the_host_header(evil_client: TestClient) -> None:
    person = evil_client.post("/api/people/alice/link/renew", json={}).json()
    token = person["page"].removeprefix(PUBLIC + "/p/")
    assert person["page"] == f"{PUBLIC}/p/{token}" and len(token) >= 32
    assert person["calendar"] == f"{PUBLIC}/p/{token}/calendar.ics"
    assert person["webcal"] == f"webcal://rota.example.org/volunteers/p/{token}/calendar.ics"
    page = evil_client.get("/people/alice/links").text
    assert f"{PUBLIC}/p/{token}" in page and qr_data_uri(f"{PUBLIC}/p/{token}") in page
    assert "evil.example" not in page
    post = evil_client.post("/api/feeds/posts/gate/renew", json={}).json()
    assert post["calendar"].startswith(PUBLIC + "/feeds/post/")
    feeds_page = evil_client.get("/feeds").text
    assert post["webcal"] in feeds_page and "evil.example" not in feeds_page
    personal = evil_client.get(f"/p/{token}")
    assert "evil.example" not in personal.text
    if personal.status_code == 200:
        assert qr_data_uri(f"{PUBLIC}/p/{token}") in personal.text or f"{PUBLIC}/p/{token}" in personal.text


def test_no_page_names_the_host_header(evil_client: TestClient) -> None:
    for path in ("/people", "/account/password", "/feeds", "/rota"):
        response = evil_client.get(path)
        assert "evil.example" not in response.text, path
        assert "evil.example" not in response.headers.get("location", ""), path
    assert 'href="/static/style.css"' in evil_client.get("/people").text


def test_the_public_url_setting() -> None:
    assert Settings().resolved_public_url() == DEFAULT_PUBLIC_URL == "http://127.0.0.1:8000"
    assert Settings(public_url="https://rota.example.org/").resolved_public_url() == "https://rota.example.org"
    for wrong in ("rota.example.org", "ftp://rota.example.org", "https://", "https://x.org/?a=1", "https://x.org/#a"):
        with pytest.raises(ValidationError):
            Settings(public_url=wrong)


def test_redact_masks_tokens_and_keeps_the_rest() -> None:
    assert redact(f"/p/{TOKEN}") == f"/p/{MASK}"
    assert redact(f"/p/{TOKEN}/calendar.ics?lang=en") == f"/p/{MASK}/calendar.ics?lang=en"
    assert redact(f"/p/{TOKEN}/swaps/3/accept") == f"/p/{MASK}/swaps/3/accept"
    assert redact(f"/feeds/post/{TOKEN}.ics") == f"/feeds/post/{MASK}.ics"
    assert redact(f"/somewhere/{TOKEN}/x") == f"/somewhere/{MASK}/x"
    assert redact("/jobs?token=s3cret&week=2026-12-07") == f"/jobs?token={MASK}&week=2026-12-07"
    assert redact("/rota/2026-12-07/print?version=3") == "/rota/2026-12-07/print?version=3"
    assert redact("/people/alice/links") == "/people/alice/links"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
    except urllib.error.HTTPError as error:  # the 404 of an unknown token is logged all the same
        error.close()


def test_tokens_never_reach_uvicorns_access_log(settings: Settings, tmp_path: Path) -> None:
    app = create_app(settings, RecordingRunner(), out=io.StringIO())
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    access = logging.getLogger("uvicorn.access")
    access.addHandler(handler)
    try:
        base = f"http://127.0.0.1:{port}"
        for path in (f"/p/{TOKEN}", f"/p/{TOKEN}/calendar.ics", f"/feeds/post/{TOKEN}.ics", "/login?token=s3cret"):
            _get(base + path)
    finally:
        access.removeHandler(handler)
        server.should_exit = True
        thread.join(timeout=20)
    log = written.getvalue()
    assert log.count(MASK) == 4 and "GET /p/" in log and "/calendar.ics" in log, log
    assert TOKEN not in log and "s3cret" not in log

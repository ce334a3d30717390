"""Check-in in a real headless browser at a phone's size (390 x 844): the app (uvicorn, in a thread, its clock
frozen on Monday 08:05 of a published week) and Debian's chromium driven by Playwright.

A volunteer opens their personal link once on the phone, then scans the post's QR (its `/c/` address), taps 到岗
and sees the status; a coordinator sees them as arrived on the Now page. Nothing scrolls sideways at 390 px.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, HEIGHT, WIDTH, Visit
from tests.web.checkin.support import at, checkin_token, make
from tests.web.conftest import PASSWORD
from tests.web.feeds_support import person_token

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/system-deps.sh)"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """The app serving on a free port: its address, alice's personal token and the gate's check-in token."""
    app = make(tmp_path)
    at(app, 8, 5)
    tokens = person_token(app, "alice"), checkin_token(app)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", *tokens
    finally:
        server.should_exit = True
        thread.join(10)


def test_scan_the_post_tap_arrive_and_see_it_on_the_now_page(
    served: tuple[str, str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, personal, scan = served
    visit = Visit(tmp_path_factory.mktemp("e2e-checkin-screenshots"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
            context.set_default_timeout(15_000)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))

            # a phone that never opened the personal link is told what to do
            page.goto(f"{url}/c/{scan}")
            expect(page.locator(".checkin-help")).to_contain_text("个人链接")
            visit.check(page, "scan-unknown-phone")

            # the volunteer opens their link once (from the message they got), then scans the post's QR
            page.goto(f"{url}/p/{personal}")
            expect(page.locator("#checkin")).to_be_visible()
            page.goto(f"{url}/c/{scan}")
            expect(page).to_have_url(f"{url}/p/{personal}?at=gate#checkin")
            section = page.locator("#checkin")
            expect(section.locator(".checkin-status").first).to_contain_text("尚未记录")
            visit.check(page, "personal-checkin")
            section.get_by_role("button", name="到岗", exact=True).click()
            expect(page.locator(".flash")).to_contain_text("已记录到岗：已到岗")
            expect(page.locator("#checkin .checkin-status").first).to_contain_text("已到岗")
            expect(page.locator("#checkin .checkin-status").first).to_contain_text("08:05")
            visit.check(page, "personal-arrived")

            # the coordinator's Now page, on a phone too
            coordinator = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
            now = coordinator.new_page()
            now.goto(f"{url}/login?next=%2Fnow")
            now.fill("#f-username", "coord")
            now.fill("#f-password", PASSWORD)
            now.click("button[type=submit].primary")
            expect(now).to_have_url(f"{url}/now")
            person = now.locator("#post-gate .now-people li", has_text="张伟")
            expect(person.locator(".now-checkin")).to_have_text("已到岗 08:05")
            expect(now.locator("#post-gate .now-people li", has_text="王强").locator(".now-checkin")).to_have_text(
                "尚未记录"
            )
            visit.check(now, "now-checked-in")
            assert errors == []
        finally:
            browser.close()

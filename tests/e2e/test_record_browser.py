"""The service record in a real headless browser at a phone's width (390 x 844): the page with its charts and the
coverage heat map fit the screen (wide tables scroll within their own box), nothing breaks the content security
policy (the charts are server-drawn SVG), and a screenshot of each is saved (ROTA_E2E_SCREENSHOTS chooses where).

The app runs in this process under uvicorn, with the published weeks and check-ins of tests/web/record and its
clock frozen after them."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, HEIGHT, WIDTH, _free_port
from tests.web.conftest import PASSWORD
from tests.web.record.support import WEEK, published_weeks, record_app

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/system-deps.sh)"),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    app = record_app(tmp_path)
    published_weeks(app)
    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(10)


def test_the_record_and_the_heat_map_fit_a_phone(server: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("ROTA_E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
            page = context.new_page()
            problems: list[str] = []
            # a CSP refusal shows as a console error; a missing resource as a failed response (the browser's own
            # request for /favicon.ico aside)
            page.on("console", lambda message: problems.append(message.text)
                    if message.type == "error" and "Failed to load resource" not in message.text else None)
            page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
                    if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(server + "/login")
            page.fill("input[name=username]", "coord")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit].primary, form[action='/login'] button[type=submit]")
            page.wait_for_load_state("load")
            page.goto(f"{server}/service-record?from={WEEK.isoformat()}&to=2026-12-06")
            expect(page.locator("h1")).to_have_text("志愿服务记录")
            expect(page.locator("svg.bars")).to_have_count(3)
            assert page.locator("svg.bars").first.bounding_box()["width"] > 200  # type: ignore[index]
            for name, path in (("service-record", None), ("coverage", f"/service-record/coverage?week={WEEK}")):
                if path is not None:
                    page.goto(server + path)
                    expect(page.locator("svg.heat")).to_be_visible()
                    box = page.locator("svg.heat").bounding_box()
                    assert box is not None and box["width"] <= WIDTH
                width = int(page.evaluate("document.documentElement.scrollWidth"))
                page.screenshot(path=str(folder / f"record-{name}.png"), full_page=True)
                assert width <= WIDTH, f"{name} scrolls sideways: {width} px wide"
            assert problems == [], problems
        finally:
            browser.close()

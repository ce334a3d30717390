"""One end-to-end test in a real headless browser: the real app (`python -m web`, the real solver process) on a
free port, Debian's chromium driven by Playwright at a phone's size (390 x 844).

Log in, add a person, generate a rota for a week, watch it finish, see the week grid with names, use it as the
week's draft, publish it and see version 1; on every page
visited, nothing scrolls sideways at 390 px (wide grids scroll within their own box), and a screenshot of each
page is saved (folder printed; ROTA_E2E_SCREENSHOTS chooses it).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect, sync_playwright

from tests.web.conftest import tiny_community

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
WIDTH, HEIGHT = 390, 844
PASSWORD = "e2e correct horse battery"
MONDAY = "2026-12-07"
EVIL_NAME = "<script>alert(1)</script>"
REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/system-deps.sh)"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the app ended with code {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"the app did not answer within {seconds} s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m web` with its own data folder, a known coordinator password and the tiny community."""
    folder = tmp_path_factory.mktemp("e2e-app")
    community = folder / "tiny.json"
    community.write_text(json.dumps(tiny_community(), ensure_ascii=False), encoding="utf-8")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ROTA_DATABASE_URL"}}
    env.update(
        HOST="127.0.0.1", PORT=str(port), ROTA_DATA_DIR=str(folder / "data"), ROTA_ADMIN_USER="coord",
        ROTA_ADMIN_PASSWORD=PASSWORD, ROTA_EXAMPLE_PATH=str(community), ROTA_SOLVE_TIME_LIMIT="10",
        ROTA_SOLVE_WORKERS="1", ROTA_SECRET_KEY="e2e-" + "k" * 40, PYTHONUNBUFFERED="1",
    )
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "web"], cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("ROTA_E2E_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("e2e-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Visit:
    """The pages seen, each checked for sideways scrolling and saved as a screenshot."""

    folder: Path
    widths: dict[str, int] = field(default_factory=dict)

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        width = int(page.evaluate("document.documentElement.scrollWidth"))
        self.widths[name] = width
        page.screenshot(path=str(self.folder / f"{len(self.widths):02d}-{name}.png"), full_page=True)
        assert width <= WIDTH, f"{name} ({page.url}) scrolls sideways: {width} px wide at {WIDTH} px"


def _expect_week_grid(page: Page) -> None:
    """The gate's week: the shift column and seven days, one named person on the day shift each day."""
    grid = page.locator("section.grid table")
    expect(grid).to_have_count(1)
    expect(grid.locator("thead th")).to_have_count(8)
    expect(grid.locator(".entry")).to_have_count(7)
    texts = grid.locator(".entry").all_inner_texts()
    assert all(any(n in text for n in ("Alice", "Bob", "Carol", EVIL_NAME)) for text in texts), texts


def test_log_in_add_a_person_generate_see_and_publish_the_rota(server: str, screenshots: Path) -> None:
    visit = Visit(screenshots)
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
            context.set_default_timeout(15_000)
            page = context.new_page()

            def on_dialog(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))

            # log in
            page.goto(server + "/people")  # not logged in: sent to the login page
            expect(page).to_have_url(f"{server}/login?next=%2Fpeople")
            visit.check(page, "login")
            page.fill("#f-username", "coord")
            page.fill("#f-password", PASSWORD)
            page.click("button[type=submit].primary")
            expect(page).to_have_url(f"{server}/people")
            visit.check(page, "people")

            # add a person (a name that would run as a script if the app forgot to escape it)
            page.click("a[href='/people/new']")
            expect(page).to_have_url(f"{server}/people/new")
            visit.check(page, "person-form")
            page.fill("#f-name", EVIL_NAME)
            page.fill("#f-key", "eve")
            page.check("input[name=roles][value=vol]")
            page.click("button[type=submit].primary")
            expect(page).to_have_url(f"{server}/people")
            expect(page.locator("table.people a.name", has_text=EVIL_NAME)).to_have_count(1)
            visit.check(page, "people-after-add")

            # generate a week with the real solver process and wait for it on the job page (progress.js reloads)
            page.click("nav a[href='/generate']")
            visit.check(page, "generate")
            page.fill("#f-start", MONDAY)
            page.fill("#f-days", "7")
            page.click("form[action='/generate'] button[type=submit]")
            expect(page).to_have_url(re.compile(rf"{server}/jobs/\d+$"))
            expect(page.locator("p.result-optimal")).to_be_visible(timeout=45_000)
            _expect_week_grid(page)
            visit.check(page, "job")

            # use the rota as the week's draft, see it on the rota page, publish it and see version 1
            page.click("form.use-rota button[type=submit]")
            expect(page).to_have_url(f"{server}/rota/{MONDAY}")
            expect(page.locator(".draft-status .ok")).to_be_visible()  # the validator found no broken rule
            _expect_week_grid(page)
            visit.check(page, "rota-draft")
            # the week's second view: each person's shifts and the fairness summary, then back to the grid
            page.click(f"nav.rota-tabs a[href='/rota/{MONDAY}/people']")
            expect(page).to_have_url(f"{server}/rota/{MONDAY}/people")
            expect(page.locator("table.loads tbody tr")).to_have_count(4)  # Alice, Bob, Carol and the new person
            expect(page.locator("table.fair").first).to_be_visible()
            visit.check(page, "rota-people")
            page.click(f"nav.rota-tabs a[href='/rota/{MONDAY}']")
            expect(page).to_have_url(f"{server}/rota/{MONDAY}")
            page.fill("#f-note", "第一版 <b>")
            page.click("form[action='/rota/" + MONDAY + "/publish'] button[type=submit]")
            expect(page).to_have_url(f"{server}/rota/{MONDAY}/versions/1")
            expect(page.locator("h1")).to_contain_text("1")
            expect(page.locator("p.card", has_text="第一版 <b>")).to_be_visible()
            _expect_week_grid(page)
            visit.check(page, "rota-version-1")
            page.goto(f"{server}/rota/{MONDAY}")
            # the week page goes on showing the draft, now compared with version 1, and lists one version
            expect(page.locator(f"a[href='/rota/{MONDAY}/versions']")).to_contain_text("(1)")
            expect(page.locator("section.publish h3")).to_contain_text("第 1 版")
            visit.check(page, "rota-published")
            page.goto(f"{server}/rota/{MONDAY}/versions")
            visit.check(page, "rota-versions")
            page.goto(f"{server}/rota")
            visit.check(page, "rota-weeks")

            # the home page: who is on duty now (the week just published, or its empty state on another day)
            page.click("nav a[href='/now']")
            expect(page).to_have_url(f"{server}/now")
            expect(page.locator("h1")).to_be_visible()
            visit.check(page, "now")

            # the other pages a coordinator reaches from the menu, at the same width
            page.goto(f"{server}/setup")
            expect(page.locator("h1")).to_be_visible()
            visit.check(page, "setup")
            page.goto(f"{server}/accounts")  # an admin's (the first account is one)
            expect(page.locator("h1")).to_be_visible()
            visit.check(page, "accounts")
            page.goto(f"{server}/outbox")  # a test e-mail: stored, tried (no SMTP server here), listed
            page.select_option("#f-channel", "email")
            page.fill("#f-address", "test@example.org")
            page.click("form[action='/outbox/test'] button[type=submit]")
            expect(page.locator(".outbox-messages li")).to_have_count(1)
            visit.check(page, "outbox")

            assert dialogs == [], f"a script ran: {dialogs}"
            assert errors == [], f"JavaScript errors: {errors}"
        finally:
            browser.close()
    print(f"screenshots: {screenshots}")

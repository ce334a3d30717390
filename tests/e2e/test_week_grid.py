"""The week grid in a real browser: at 1280 px the whole week is in view (the last day's column inside the
viewport, nothing scrolled), and at 390 px a phone reads it day by day, with no sideways scrolling."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, MONDAY, PASSWORD, pytestmark, server  # noqa: F401

__all__ = ["pytestmark"]
LONG_NAMES = {
    "alice": "Alexandrina Wilhelmina Montgomery",
    "bob": "Bartholomew Maximilian Fairweather",
    "carol": "Caroline Evangeline Featherstonehaugh",
}


def _draft_week(page: Page, url: str) -> None:
    """Log in, generate the week with the real solver and make it the draft: the rota page with its grid."""
    page.goto(url + "/login")
    page.fill("#f-username", "coord")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit].primary")
    for key, name in LONG_NAMES.items():  # names as long as some are: a week of them is wider than 1100 px
        page.goto(f"{url}/people/{key}/edit")
        page.fill("#f-name", name)
        page.click("button[type=submit].primary")
        expect(page).to_have_url(f"{url}/people")
    page.goto(url + "/generate")
    page.fill("#f-start", MONDAY)
    page.fill("#f-days", "7")
    page.click("form[action='/generate'] button[type=submit]")
    expect(page).to_have_url(re.compile(rf"{url}/jobs/\d+$"))
    expect(page.locator("p.result-optimal")).to_be_visible(timeout=45_000)
    page.click("form.use-rota button[type=submit]")
    expect(page).to_have_url(f"{url}/rota/{MONDAY}")


def test_the_week_grid_fits_a_wide_screen_and_a_phone_reads_it_day_by_day(server: str) -> None:  # noqa: F811
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            context.set_default_timeout(15_000)
            page = context.new_page()
            _draft_week(page, server)

            # 1280 px: the last day's heading ends inside the viewport and the grid's box does not scroll
            last = page.locator("section.grid thead th").last
            box = last.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 1280, box
            scroll = page.locator("section.grid .scroll").first
            assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth")
            assert int(page.evaluate("document.documentElement.scrollWidth")) <= 1280

            # 390 px: no sideways scrolling anywhere; the days come one under the other, Monday first
            page.set_viewport_size({"width": 390, "height": 844})
            page.reload()
            assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
            assert scroll.evaluate("e => e.scrollWidth <= e.clientWidth")
            cells = page.locator("section.grid tbody td")
            tops = cells.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().top)")
            assert tops == sorted(tops) and len(set(tops)) == len(tops)  # stacked, in day order
            widths = cells.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().right)")
            assert max(widths) <= 390
            label = cells.first.evaluate("c => getComputedStyle(c, '::before').content")
            assert "周一" in label or "12" in label, label
            expect(page.locator("section.grid thead")).to_be_hidden()
        finally:
            browser.close()

"""Sign-up on a phone, in a real browser at 390 px: the coordinator opens next week for sign-up, a volunteer opens
their personal link, follows the banner, answers "I'll do it" for a shift and saves; the coordinator sees the
name on the round's page. No page scrolls sideways."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.e2e.test_browser import (  # noqa: F401  (server and screenshots are fixtures)
    CHROMIUM,
    CHROMIUM_ARGS,
    HEIGHT,
    PASSWORD,
    WIDTH,
    Visit,
    pytestmark,
    screenshots,
    server,
)


def test_a_volunteer_signs_up_on_a_phone(server: str, screenshots: Path) -> None:  # noqa: F811
    visit = Visit(screenshots / "signup")
    visit.folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
            context.set_default_timeout(15_000)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server + "/login?next=%2Fsignup")
            page.fill("#f-username", "coord")
            page.fill("#f-password", PASSWORD)
            page.click("button[type=submit].primary")
            expect(page).to_have_url(f"{server}/signup")
            visit.check(page, "rounds")
            week = page.input_value("#signup-week")  # next Monday in the community's zone, the deadline before it
            page.click("form[action='/signup'] button[type=submit]")
            expect(page).to_have_url(f"{server}/signup/{week}")
            visit.check(page, "round-empty")

            page.goto(server + "/people/alice/links")
            if page.locator("dl.addresses").count() == 0:  # no link yet: make one
                page.click("form[action='/people/alice/links/renew'] button[type=submit]")
            link = page.locator("dl.addresses a").first.get_attribute("href")
            assert link is not None and "/p/" in link

            phone = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN").new_page()
            phone.goto(link)
            visit.check(phone, "personal")
            phone.click(f"a[href$='/signup/{week}']")
            expect(phone.locator("p.signup-offer")).to_have_count(7)
            visit.check(phone, "signup")
            phone.locator("p.signup-offer").first.locator("input[value=yes]").check()
            phone.click("button[type=submit].primary")
            expect(phone.locator("p.flash")).to_contain_text("已保存")
            expect(phone.locator("p.signup-offer").first.locator("input[value=yes]")).to_be_checked()
            visit.check(phone, "signup-saved")

            page.goto(f"{server}/signup/{week}")
            expect(page.locator("li.card", has_text="Alice").first).to_be_visible()
            visit.check(page, "round-answered")
            assert errors == []
        finally:
            browser.close()

"""The printed weekly rota (scheduler.reports.printing): HTML escaping and content, PDF text and pages, phone PNGs."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from scheduler.check import check
from scheduler.domain.files import load_scenario
from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.printing import (
    contact_roles,
    phone_image_names,
    print_css,
    print_html,
    print_pdf,
    print_png,
)
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings
from tests.reports.community import COORDINATOR, community, solved_rota

ROOT = Path(__file__).resolve().parents[2]
GRID = ROOT / "examples" / "grid.yaml"
PRINTED = dt.datetime(2026, 12, 6, 10, 30, tzinfo=dt.UTC)  # 18:30 in Shanghai
SCRIPT = "<script>alert(1)</script>"
A4_LANDSCAPE = (841.89, 595.28)


def renamed(scenario: Scenario, person_id: str, name: str) -> Scenario:
    """The same scenario with one person renamed (names do not change the rota)."""
    people = [p.model_copy(update={"name": name}) if p.id == person_id else p for p in scenario.people]
    return scenario.model_copy(update={"people": people})


def pdf_pages(data: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_html_shows_names_marks_breaks_contacts_version_and_print_time(scenario: Scenario, rota: Rota) -> None:
    html = print_html(scenario, rota, "zh", "v3", PRINTED)
    for a in rota.assignments:
        assert scenario.person(a.person).name in html or a.person == "li-wei"
        for meal in a.breaks:
            start, end = meal.start.astimezone(scenario.zone), meal.end.astimezone(scenario.zone)
            assert f"午饭 {start:%H:%M}–{end:%H:%M}" in html
    for text in ("小区入口卡口", "入户排查小组", "白班", "晚班", "08:00–16:00", ">党<", ">安<", COORDINATOR,
                 "版本 v3", "打印于 2026-12-06 18:30", "周一", "12/7"):
        assert text in html, text
    # The security officer on each gate shift is the one to call, with a phone when the scenario has one.
    assert html.count('class="entry contact"') == len({(a.date, a.shift) for a in rota.assignments if a.post == "gate"})


def test_html_in_english(scenario: Scenario, rota: Rota) -> None:
    html = print_html(scenario, rota, "en", "v1", PRINTED)
    for text in ("Entrance checkpoint", "Screening team", "Day", "Evening", "Coordinator", "Lunch", "Mon", "7 Dec",
                 "Printed 2026-12-06 18:30", 'lang="en"'):
        assert text in html, text
    assert "入户排查小组" not in html


def test_html_escapes_names(scenario: Scenario, rota: Rota) -> None:
    person = next(a.person for a in rota.assignments if a.post == "gate")
    hostile = renamed(scenario, person, SCRIPT)
    html = print_html(hostile, rota, "zh", '<b>"v1"</b>', PRINTED)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html


def test_css_inlined_or_linked(scenario: Scenario, rota: Rota) -> None:
    inlined = print_html(scenario, rota, "zh", "", PRINTED)
    assert "<style>" in inlined and "@page sheet" in inlined
    linked = print_html(scenario, rota, "zh", "", PRINTED, css_href="/static/print.css")
    assert "<style>" not in linked and 'href="/static/print.css"' in linked
    assert "size: A4 landscape" in print_css()


def test_every_font_size_is_legible() -> None:
    """At least 8 pt on paper; at least 11 CSS px (5.5 pt at 2x, i.e. 22 image px) on phones."""
    css = print_css()
    points = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)pt", css)]
    pixels = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)px", css)]
    assert points and min(points) >= 8
    assert pixels and min(pixels) >= 11
    assert '"WenQuanYi Micro Hei"' in css


def test_contact_roles_prefer_a_lead_role(scenario: Scenario) -> None:
    assert contact_roles(scenario) == ["security", "party"]
    lead = {"id": "lead", "name": {"zh": "班长", "en": "Shift lead"}, "mark": "长"}
    with_lead = scenario.model_copy(update={"roles": [*scenario.roles, type(scenario.roles[0]).model_validate(lead)]})
    assert contact_roles(with_lead) == ["lead"]
    marked = [r.model_copy(update={"lead": r.id == "party"}) for r in with_lead.roles]
    assert contact_roles(with_lead.model_copy(update={"roles": marked})) == ["party"]  # the mark beats the name


def test_pdf_has_one_a4_landscape_page_per_post_with_the_chinese_text(scenario: Scenario, rota: Rota) -> None:
    data = print_pdf(scenario, rota, "zh", "v3", PRINTED)
    pages = pdf_pages(data)
    assert len(pages) == len(scenario.posts) + len(scenario.team_duties)
    for page in pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=1)
    gate, duty = (page.extract_text() for page in pages)
    assert "小区入口卡口" in gate and "入户排查小组" in duty
    for a in rota.assignments:
        name = scenario.person(a.person).name
        if name.isascii():
            continue  # the odd ASCII name is split by pypdf at its newline; the Chinese ones are the point here
        assert name in (gate if a.post else duty), name
    assert COORDINATOR in gate


def test_png_per_post_sized_for_a_phone(scenario: Scenario, rota: Rota) -> None:
    images = print_png(scenario, rota, "zh", "v3", PRINTED)
    assert len(images) == len(phone_image_names(scenario, rota)) == 2
    for data in images:
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(data))
        assert image.width == 1080
        assert image.height > 400
        colours = image.convert("L").getextrema()
        assert colours[0] < 64 and colours[1] > 240  # dark text on a white page, not a blank image
    assert phone_image_names(scenario, rota) == ["gate", "screening"]


def test_longer_periods_get_a_page_per_week() -> None:
    fortnight = community(days=8, default_limits={"max_shifts_per_week": 6})
    rota = solved_rota(fortnight)
    html = print_html(fortnight, rota, "zh", "", PRINTED)
    assert html.count('<section class="page') == 2 * 2
    assert phone_image_names(fortnight, rota) == ["gate-w1", "screening-w1", "gate-w2", "screening-w2"]


# -------------------------------------------------------------------------------------- the 120-person week


@pytest.fixture(scope="module")
def grid() -> tuple[Scenario, Rota]:
    scenario = load_scenario(GRID)
    # Any rota meeting the hard rules will do for printing: stop at a 5 % gap rather than prove the optimum.
    result = solve(scenario, SolveSettings(time_limit=30, workers=2, relative_gap=0.05))
    assert result.rota is not None
    checked = check(scenario, result.rota)
    assert checked.ok, [v.message for v in checked.violations]
    return scenario, result.rota


@pytest.mark.slow
def test_grid_week_fits_one_page_per_post(grid: tuple[Scenario, Rota]) -> None:
    scenario, rota = grid
    assert len(scenario.people) >= 120 and len(scenario.posts) == 8
    pages = pdf_pages(print_pdf(scenario, rota, "zh", "v1", PRINTED))
    places = [*scenario.posts, *scenario.team_duties]
    assert len(pages) == len(places)
    names = {p.id: p.name for p in scenario.people}
    for page, place in zip(pages, places, strict=True):
        text = page.extract_text()
        assert place.name.zh in text
        for a in rota.assignments:
            if a.place == place.id:
                assert names[a.person] in text, (place.id, names[a.person])


@pytest.mark.slow
def test_grid_week_phone_images(grid: tuple[Scenario, Rota]) -> None:
    scenario, rota = grid
    images = print_png(scenario, rota, "en", "v1", PRINTED)
    assert len(images) == len(scenario.posts) + len(scenario.team_duties)
    for data in images:
        image = Image.open(io.BytesIO(data))
        assert image.width == 1080 and image.height > image.width  # portrait

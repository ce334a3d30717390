"""Print-outs that hold: emoji in names printed with the emoji font (fonts-noto-color-emoji, installed by
scripts/system-deps.sh), and a post's week too tall for one page continued over titled pages, never a page with the
heading alone nor an image showing another post."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pypdfium2
import pytest
from PIL import Image, ImageChops

from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.printing import phone_image_names, phone_pdf, print_pdf, print_png
from tests.reports.community import community
from tests.reports.rotas import assign, rota_of
from tests.reports.test_printing import PRINTED, renamed

PARTY = "王五🎉"
PER_SHIFT = 20


def embedded_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def coloured_pixels(data: bytes) -> int:
    """Pixels that are clearly not grey: the print-out is black on white, so only an emoji draws them."""
    image = Image.open(io.BytesIO(data)).convert("HSV")
    saturated = image.getchannel("S").point(lambda level: 255 if level > 120 else 0)
    bright = image.getchannel("V").point(lambda level: 255 if level > 80 else 0)
    return ImageChops.multiply(saturated, bright).histogram()[255]


def test_an_emoji_in_a_name_prints_with_the_emoji_font(scenario: Scenario, rota: Rota) -> None:
    person = next(a.person for a in rota.assignments if a.post == "gate")
    party = renamed(scenario, person, PARTY)
    data = print_pdf(party, rota, "zh", "v1", PRINTED)
    assert PARTY in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert any("Emoji" in font for font in embedded_fonts(data))
    gate, _duty = print_png(party, rota, "zh", "v1", PRINTED)
    assert coloured_pixels(gate) > 100  # drawn in colour, not an empty box


def test_without_emoji_the_emoji_font_stays_out(scenario: Scenario, rota: Rota) -> None:
    """Listed among the text fonts, the emoji font would take the digits and spaces too (spaced-out times)."""
    data = print_pdf(scenario, rota, "en", "v1", PRINTED)
    assert not any("Emoji" in font for font in embedded_fonts(data))
    for image in print_png(scenario, rota, "zh", "v1", PRINTED):
        assert coloured_pixels(image) == 0


def crowded() -> tuple[Scenario, Rota]:
    """A week with 20 people on each of the gate's two shifts every day (far more than a page holds), and one on
    the screening duty."""
    data = community(days=7).model_dump(mode="json", by_alias=True)
    data["people"] += [
        {"id": f"p{i}", "name": f"志愿者{i:02d}号", "roles": ["party"], "posts": ["gate"]} for i in range(2 * PER_SHIFT)
    ]
    scenario = Scenario.model_validate(data)
    assignments = []
    for offset in range(7):
        day = scenario.start + dt.timedelta(days=offset)
        for i in range(PER_SHIFT):
            assignments.append(assign(scenario, f"p{i}", "d", day, "08:00", role="party"))
            assignments.append(assign(scenario, f"p{PER_SHIFT + i}", "e", day, "16:00", role="party"))
        assignments.append(assign(scenario, "sun-lixin", None, day, "09:00", 3, "secretary", duty="screening"))
    return scenario, rota_of(scenario, assignments)


def page_texts(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [document[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(document))]
    finally:
        document.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_tall_week_goes_on_over_titled_pages_of_its_own_image(lang: str) -> None:
    scenario, rota = crowded()
    pdf, groups = phone_pdf(scenario, rota, lang, "v1", PRINTED)
    texts = page_texts(pdf)
    names = phone_image_names(scenario, rota)
    assert names == ["gate", "screening"] and len(groups) == len(names)
    gate, screening = groups
    assert len(gate) >= 2 and len(screening) == 1
    assert sorted(gate + screening) == list(range(len(texts)))
    gate_title = scenario.posts[0].name.zh if lang == "zh" else scenario.posts[0].name.en
    duty_title = scenario.team_duties[0].name.zh if lang == "zh" else scenario.team_duties[0].name.en
    continued = "（续）" if lang == "zh" else "(continued)"
    for number, index in enumerate(gate):
        text = texts[index]
        assert gate_title in text and duty_title not in text, text  # titled, and with its own post only
        assert (continued in text) == (number > 0), text
        assert "志愿者" in text  # never the heading alone
    assert "志愿者00号" in texts[gate[0]] and "志愿者39号" in texts[gate[-1]]
    assert duty_title in texts[screening[0]] and "志愿者" not in texts[screening[0]]
    assert continued not in texts[screening[0]]

    images = print_png(scenario, rota, lang, "v1", PRINTED)
    assert len(images) == 2
    tall, short = (Image.open(io.BytesIO(data)) for data in images)
    assert tall.width == short.width == 1080
    assert tall.height > 2 * 1800  # both pages of the gate's week, stacked: more than a page of 1800 CSS px at 2x
    assert short.height < 1800


def test_a_tall_week_on_paper_goes_on_over_titled_sheets() -> None:
    scenario, rota = crowded()
    texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(print_pdf(scenario, rota))).pages]
    gate = [text for text in texts if "小区入口卡口" in text]
    assert len(gate) >= 2 and len(texts) == len(gate) + 1
    assert all("（续）" in text for text in gate[1:]) and "（续）" not in gate[0]
    assert all("志愿者" in text for text in gate)

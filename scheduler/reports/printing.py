"""The printed weekly rota: HTML with print CSS, its PDF (WeasyPrint) and phone-sized PNGs (pypdfium2).

One page per post (and per team duty) and week: a row per shift, a column per day, names with role marks and meal
breaks, who to call on each shift and the coordinator, the version and when it was printed. The same content is
laid out for an A4 landscape sheet (`print_html`, `print_pdf`) and for a phone screen (`print_png`: one image per
post and week, days as rows, for the community's group chats). A post's week too tall for one page goes on over
the next pages, each titled "<post> · <week> (continued)"; on a phone those pages are stacked into the post's image.

All functions are pure: the same scenario, rota, language, version label and print time give the same output.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

import jinja2
import pypdfium2  # type: ignore[import-untyped]  # no type information published
from PIL import Image, ImageChops

from scheduler.domain.community import Role

if TYPE_CHECKING:
    import weasyprint  # type: ignore[import-untyped]  # no type information published
from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.grid import GridEntry, week_grid
from scheduler.reports.labels import (
    WORDS,
    Language,
    date_label,
    language_of,
    meal_windows,
    places,
    role_mark,
    short_date,
    weekday_name,
    window_label,
)

Layout = Literal["sheet", "phone"]

PHONE_WIDTH_PX = 1080
"""Width of the chat-group images in pixels (a common phone screen width)."""
PHONE_PAGE_CSS_PX = 540
"""Width of the phone page in CSS pixels (must match `@page phone` in print.css); rendered at 2x."""

FONT_FAMILIES = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"'
"""Chinese fonts in order of preference (the project's set-up installs the first); see print.css."""

LEAD_WORDS = ("lead", "leader", "head", "captain", "chief", "组长", "班长", "队长", "负责人")
"""Without a role marked `lead`, a role whose id or name holds one of these marks the one to call on a shift."""
FALLBACK_CONTACT_ROLES = ("security", "party")
"""Without a lead role, the security officer (else the party member) on the shift is the one to call."""


@dataclass
class Entry:
    """One person in a cell."""

    name: str
    mark: str
    role: str
    breaks: list[str]
    contact: bool = False
    phone: str | None = None


@dataclass
class Row:
    """One shift (or a team duty's day window) across the week."""

    label: str
    hours: str
    cells: list[list[Entry]]
    times: list[str] = field(default_factory=list)
    """Per day, the shift's real times where a clock change makes them differ from `hours`, else ''."""


@dataclass
class Day:
    weekday: str
    date: str
    long: str


@dataclass
class Page:
    """One post (or team duty) for one week."""

    anchor: str
    title: str
    location: str | None
    week: str
    days: list[Day]
    rows: list[Row]
    meals: list[str] = field(default_factory=list)
    contact_roles: str = ""
    """The roles whose holder (in bold, with a phone) is the one to call, among those on this page."""
    duty: bool = False
    place: str = ""
    """The post or team duty id."""
    corner: tuple[str, str] | None = None
    """An image (a data URI) and its caption printed small in the page's top corner, e.g. the post's check-in QR."""


@dataclass
class Sheet:
    """Everything the template shows."""

    lang: Language
    community: str
    version_label: str
    printed_at: str
    coordinator: str | None
    marks: list[tuple[str, str]]
    pages: list[Page]
    words: dict[str, str]
    fonts: str = FONT_FAMILIES


# ------------------------------------------------------------------------------------------------ content


def contact_roles(scenario: Scenario) -> list[str]:
    """Roles whose holder is the one to call on a shift, most wanted first: the roles marked `lead`, else those
    named like a lead, else the security officer, else the party member."""
    marked = [r.id for r in scenario.roles if r.lead]
    if marked:
        return marked

    def is_lead(role: Role) -> bool:
        text = f"{role.id} {role.name.en}".lower() + role.name.zh
        return any(word in text for word in LEAD_WORDS)

    leads = [r.id for r in scenario.roles if is_lead(r)]
    if leads:
        return leads
    known = {r.id for r in scenario.roles}
    return [r for r in FALLBACK_CONTACT_ROLES if r in known]


def mark_contact(cell: list[Entry], roles: list[str], priority: list[str]) -> None:
    """Flag the cell's contact: the first person holding the most wanted contact role (`roles`: each entry's)."""
    for role in priority:
        for entry, held in zip(cell, roles, strict=True):
            if held == role:
                entry.contact = True
                return


@dataclass(frozen=True)
class Context:
    lang: Language
    roles: dict[str, Role]
    priority: list[str]
    phones: dict[str, str | None]

    def entry(self, e: GridEntry) -> Entry:
        return Entry(
            name=e.name,
            mark=e.mark or e.role_name,
            role=e.role_name,
            breaks=[b.label for b in e.breaks],
            phone=self.phones.get(e.person),
        )

    def cell(self, entries: Sequence[GridEntry]) -> list[Entry]:
        # The grid's order is by start and name: sorting it again keeps the rota's order among equals.
        ordered = sorted(entries, key=lambda e: (self.role_rank(e.role), e.start, e.name))
        cell = [self.entry(e) for e in ordered]
        mark_contact(cell, [e.role for e in ordered], self.priority)
        return cell

    def role_rank(self, role_id: str) -> int:
        """Contacts first, then the scenario's role order."""
        if role_id in self.priority:
            return self.priority.index(role_id)
        order = list(self.roles)
        return len(self.priority) + (order.index(role_id) if role_id in order else len(order))


def weeks(scenario: Scenario, rota: Rota) -> list[list[dt.date]]:
    """The rota's days cut into weeks of seven (the last may be shorter)."""
    dates = [rota.start + dt.timedelta(days=i) for i in range(rota.days)]
    return [dates[i : i + 7] for i in range(0, len(dates), 7)]


def week_label(dates: Sequence[dt.date], lang: Language) -> str:
    first, last = dates[0], dates[-1]
    if lang == "zh":
        return f"{first.year}年{date_label(first, lang)} – {date_label(last, lang)}"
    return f"{date_label(first, lang)} – {date_label(last, lang)} {last.year}"


def page_contacts(rows: list[Row], context: Context) -> str:
    """'Security officer / Party member': the contact roles someone on the page holds."""
    held = {entry.role for row in rows for cell in row.cells for entry in cell if entry.contact}
    names = [context.roles[r].name.text(context.lang) for r in context.priority]
    return " / ".join(name for name in names if name in held)


def build_pages(scenario: Scenario, rota: Rota, context: Context) -> list[Page]:
    """One page per place and week: posts first, then team duties, in the scenario's order."""
    lang = context.lang
    periods = weeks(scenario, rota)
    grid = week_grid(scenario, rota, lang, [day for week in periods for day in week])
    pages = []
    for number, dates in enumerate(periods):
        days = [Day(weekday_name(d, lang), short_date(d, lang), date_label(d, lang)) for d in dates]
        first = 7 * number
        for place in grid.places:
            rows = [
                Row(row.label, row.hours, [context.cell(cell) for cell in row.cells[first : first + len(dates)]],
                    list(row.times[first : first + len(dates)]))
                for row in place.rows
            ]
            pages.append(Page(
                anchor=f"{place.id}-w{number + 1}",
                title=place.name,
                location=place.location,
                week=week_label(dates, lang),
                days=days,
                rows=rows,
                meals=[f"{w.name.text(lang)} {window_label(w)}" for w in meal_windows(scenario, place.id)],
                contact_roles=page_contacts(rows, context),
                duty=place.duty,
                place=place.id,
            ))
    return pages


def phone_image_names(scenario: Scenario, rota: Rota) -> list[str]:
    """A file-name part for each image of `print_png`, in order: the place id, '-w2'… for later weeks."""
    count = len(weeks(scenario, rota))
    return [
        place if count == 1 else f"{place}-w{number + 1}"
        for number in range(count)
        for place in places(scenario)
    ]


def build_sheet(scenario: Scenario, rota: Rota, lang: str, version_label: str, printed_at: dt.datetime) -> Sheet:
    language = language_of(lang)
    roles = {r.id: r for r in scenario.roles}
    priority = contact_roles(scenario)
    context = Context(language, roles, priority, {p.id: p.phone for p in scenario.people})
    return Sheet(
        lang=language,
        community=scenario.community,
        version_label=version_label,
        printed_at=printed_at.astimezone(scenario.zone).strftime("%Y-%m-%d %H:%M"),
        coordinator=scenario.coordinator,
        marks=[(role_mark(roles, r.id, language), r.name.text(language)) for r in scenario.roles if r.mark],
        pages=build_pages(scenario, rota, context),
        words=WORDS[language],
    )


# ---------------------------------------------------------------------------------------------- rendering


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("scheduler.reports", "templates"),
        autoescape=True,  # names come from people: always escaped
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def print_css() -> str:
    """The print style sheet, for a page that links it instead of inlining it (a CSP without inline styles)."""
    return resources.files("scheduler.reports").joinpath("templates/print.css").read_text(encoding="utf-8")


def render_html(sheet: Sheet, layout: Layout, css_href: str | None = None) -> str:
    """The sheet as an HTML document in the given layout; the CSS inlined unless `css_href` links it."""
    template = _environment().get_template("print.html")
    return template.render(sheet=sheet, layout=layout, css=None if css_href else print_css(), css_href=css_href)


def print_html(
    scenario: Scenario,
    rota: Rota,
    lang: str = "zh",
    version_label: str = "",
    printed_at: dt.datetime | None = None,
    css_href: str | None = None,
    corners: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    """The A4 landscape print view: one page per post (then per team duty) and week.

    `lang` 'zh' or 'en'; `version_label` shown on every page (e.g. 'v3'); `printed_at` (aware; default: the
    rota's first day at midnight, for reproducible output) shown in the scenario's zone. The CSS is inlined
    unless `css_href` is given (serve `print_css()` there). `corners`: per place id, an image (data URI) and a
    caption printed small in the top corner of its pages (the web app's check-in QR).
    """
    moment = printed_at or dt.datetime.combine(rota.start, dt.time(), tzinfo=scenario.zone)
    sheet = build_sheet(scenario, rota, lang, version_label, moment)
    for page in sheet.pages:
        page.corner = (corners or {}).get(page.place)
    return render_html(sheet, "sheet", css_href)


def _render_pdf(html: str) -> weasyprint.document.Document:
    # imported on the first PDF: it is a third of the engine's start-up, which a refused file should not wait for
    import weasyprint

    return weasyprint.HTML(string=html, base_url=".").render()


def print_pdf(
    scenario: Scenario,
    rota: Rota,
    lang: str = "zh",
    version_label: str = "",
    printed_at: dt.datetime | None = None,
    corners: Mapping[str, tuple[str, str]] | None = None,
) -> bytes:
    """The print view as a PDF (A4 landscape, Chinese fonts embedded); arguments as for `print_html`."""
    html = print_html(scenario, rota, lang, version_label, printed_at, corners=corners)
    pdf: bytes = _render_pdf(html).write_pdf()
    return pdf


def phone_pdf(
    scenario: Scenario,
    rota: Rota,
    lang: str = "zh",
    version_label: str = "",
    printed_at: dt.datetime | None = None,
) -> tuple[bytes, list[list[int]]]:
    """The phone layout as a PDF, and for each post and week the indexes of its pages (usually one)."""
    moment = printed_at or dt.datetime.combine(rota.start, dt.time(), tzinfo=scenario.zone)
    sheet = build_sheet(scenario, rota, lang, version_label, moment)
    document = _render_pdf(render_html(sheet, "phone"))
    groups: list[list[int]] = []
    seen: set[str] = set()
    for index, page in enumerate(document.pages):
        # A section's anchor is listed on every page it spans: a post's week begins where its anchor is new.
        anchors = {anchor for anchor in page.anchors if anchor.startswith("page-")}
        if anchors - seen or not groups:
            groups.append([])
        seen |= anchors
        groups[-1].append(index)
    pdf: bytes = document.write_pdf()
    return pdf, groups


def print_png(
    scenario: Scenario,
    rota: Rota,
    lang: str = "zh",
    version_label: str = "",
    printed_at: dt.datetime | None = None,
    width: int = PHONE_WIDTH_PX,
) -> list[bytes]:
    """One PNG per post (then team duty) and week, `width` pixels wide, in the same order as the print pages."""
    pdf, groups = phone_pdf(scenario, rota, lang, version_label, printed_at)
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = [rasterise(document, indexes, width) for indexes in groups]
    finally:
        document.close()
    return images


def rasterise(document: pypdfium2.PdfDocument, indexes: list[int], width: int) -> bytes:
    """The pages stacked into one PNG, `width` pixels wide, with each page's blank top and bottom cut off."""
    parts = []
    for index in indexes:
        page = document[index]
        bitmap = page.render(scale=width / page.get_width())
        parts.append(trim_blank(bitmap.to_pil().convert("RGB")))
        page.close()
    stacked = Image.new("RGB", (width, sum(p.height for p in parts)), "white")
    top = 0
    for part in parts:
        stacked.paste(part, (0, top))
        top += part.height
    buffer = io.BytesIO()
    stacked.save(buffer, format="PNG")
    return buffer.getvalue()


def trim_blank(image: Image.Image, margin: int = 28) -> Image.Image:
    """Cut the white space above and below the content, but `margin` pixels (the phone page is taller than any
    post needs, and its top margin has room for the title of a continued page)."""
    background = Image.new("RGB", image.size, "white")
    box = ImageChops.difference(image, background).getbbox()
    if box is None:
        return image
    return image.crop((0, max(0, box[1] - margin), image.width, min(image.height, box[3] + margin)))

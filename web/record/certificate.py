"""The volunteer's certificate of service (志愿服务证明): one A4 page in Chinese, made with WeasyPrint as the printed
rota is (scheduler's print pipeline: HTML and CSS to PDF, the Chinese font embedded; docs/web.md).

What it holds follows the guidance for Order No. 67: the volunteer (name, volunteer number; the identity document
is left to be written by hand, as this system keeps none), the service (period, turns, hours, nights, content and
place), where the hours come from (check-ins, or the rota where nobody recorded), the issuing organisation, the
person in charge and contact (the community's coordinator line), who handled it (the account issuing it), a number
and the date, and room for the seal ("谁记录谁证明": the organisation that recorded the service issues it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from web.i18n import Translator
from web.record.ranges import Range
from web.record.service import ServedShift, Tally
from web.record.spreadsheet import service_content
from web.rendering import TEMPLATES
from web.store import setup_of
from web.tables import Community, PersonRow

ZH = Translator("zh")


@dataclass(frozen=True)
class ServiceLine:
    """The turns and hours of one kind of service at one place."""

    content: str
    place: str
    turns: int
    hours: float


def chinese_date(day: dt.date) -> str:
    """'2026年11月2日', as a certificate writes a date."""
    return f"{day.year}年{day.month}月{day.day}日"


def certificate_number(community: Community, person: PersonRow, chosen: Range) -> str:
    """The same community, person and period always give the same number (nothing is stored)."""
    return f"{community.id:03d}-{person.id:05d}-{chosen.first:%Y%m%d}-{chosen.last:%Y%m%d}"


def service_lines(shifts: list[ServedShift]) -> list[ServiceLine]:
    lines: dict[tuple[str, str], Tally] = {}
    for shift in shifts:
        lines.setdefault((service_content(ZH, shift), shift.place_name.zh), Tally()).add(shift)
    return [ServiceLine(content, place, tally.turns, tally.hours) for (content, place), tally in sorted(lines.items())]


def certificate_html(
    community: Community, person: PersonRow, chosen: Range, shifts: list[ServedShift], issuer: str,
    issued: dt.date,
) -> str:
    total = Tally()
    for shift in shifts:
        total.add(shift)
    template = TEMPLATES.env.get_template("certificate.html")
    return template.render(
        t=ZH, person=person, community=community, chosen=chosen, total=total, lines=service_lines(shifts),
        number=certificate_number(community, person, chosen), contact=setup_of(community).coordinator,
        issuer=issuer, issued=issued, day=chinese_date,
    )


def certificate_pdf(
    community: Community, person: PersonRow, chosen: Range, shifts: list[ServedShift], issuer: str,
    issued: dt.date,
) -> bytes:
    # imported on the first certificate: WeasyPrint takes a while to load, and most requests never need it
    import weasyprint  # type: ignore[import-untyped]  # no type information published

    html = certificate_html(community, person, chosen, shifts, issuer, issued)
    pdf: bytes = weasyprint.HTML(string=html, base_url=".").write_pdf()
    return pdf

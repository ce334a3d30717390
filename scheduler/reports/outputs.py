"""Files written beside rota.json by the command line: calendars, the print view, its PDF and phone images."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.ical import CalendarOptions, people_with_shifts, person_calendar, single_version
from scheduler.reports.printing import phone_image_names, print_html, print_pdf, print_png


def now() -> dt.datetime:
    """The current time to the second (calendar stamps and the print date)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def write_calendars(
    scenario: Scenario, rota: Rota, out: Path, published_at: dt.datetime, options: CalendarOptions | None = None
) -> list[Path]:
    """DIR/calendars/<person id>.ics for every person with at least one shift or duty."""
    folder = out / "calendars"
    folder.mkdir(parents=True, exist_ok=True)
    history = single_version(rota, published_at)
    written = []
    known = {p.id for p in scenario.people}
    for person_id in people_with_shifts(rota):
        if person_id not in known:
            continue  # a rota of another scenario: nobody to name
        path = folder / f"{person_id}.ics"
        path.write_bytes(person_calendar(scenario, history, person_id, options or CalendarOptions()))
        written.append(path)
    return written


def write_print(
    scenario: Scenario,
    rota: Rota,
    out: Path,
    printed_at: dt.datetime,
    lang: str = "zh",
    pdf: bool = False,
    png: bool = False,
    version_label: str = "",
) -> list[Path]:
    """DIR/rota.html, with `pdf` DIR/rota.pdf, with `png` DIR/rota-<post>.png (one per post/duty and week)."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "rota.html"]
    written[0].write_text(print_html(scenario, rota, lang, version_label, printed_at), encoding="utf-8")
    if pdf:
        path = out / "rota.pdf"
        path.write_bytes(print_pdf(scenario, rota, lang, version_label, printed_at))
        written.append(path)
    if png:
        images = print_png(scenario, rota, lang, version_label, printed_at)
        for name, image in zip(phone_image_names(scenario, rota), images, strict=True):
            path = out / f"rota-{name}.png"
            path.write_bytes(image)
            written.append(path)
    return written

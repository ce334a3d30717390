"""One day of the rota as plain text to paste into a WeChat group: the shifts starting that day, post by post, who is
on with their role and meal break, the one to call with their phone, and the coordinator.

WeChat personal groups have no API: text pasted by the coordinator is what reaches people. So this is plain text
with no markup, one line per person, short enough to read on a phone, in the community's language. It is laid out
from the same week grid and contact rule as the print-out, so the chat and the paper never disagree.
"""

from __future__ import annotations

import datetime as dt

from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.grid import week_grid
from scheduler.reports.labels import WORDS, date_label, language_of
from scheduler.reports.printing import Context, contact_roles

PHONE_MARK = "☎"
"""Marks the one to call on a shift (WeChat shows it on every phone)."""


def day_message(scenario: Scenario, rota: Rota, day: dt.date, lang: str = "zh") -> str:
    """The text for `day` (a date of the rota's period): a heading, then per post and team duty each shift that
    starts that day with its people (the one to call first, with their phone), then the coordinator.

    `lang` 'zh' or 'en' (or a locale). A shift with nobody on it says so, so a gap is seen in the group too.
    """
    language = language_of(lang)
    words = WORDS[language]
    colon = words["colon"]
    roles = {r.id: r for r in scenario.roles}
    context = Context(language, roles, contact_roles(scenario), {p.id: p.phone for p in scenario.people})
    grid = week_grid(scenario, rota, language, [day])
    when = date_label(day, language)
    heading = f"【{scenario.community}】{when} {words['day_rota']}" if language == "zh" else (
        f"[{scenario.community}] {when} {words['day_rota']}"
    )
    lines = [heading]
    turns = 0
    for place in grid.places:
        for row in place.rows:
            times = row.times[0] or row.hours
            title = place.name if place.duty else f"{place.name} · {row.label}"
            lines.append("")
            lines.append(f"▶ {title} {times}" if times not in title else f"▶ {title}")
            cell = context.cell(row.cells[0])
            if not cell:
                lines.append(f"  {words['vacant']}")
            for entry in cell:
                turns += 1
                parts = [f"{entry.name}（{entry.role}）" if language == "zh" else f"{entry.name} ({entry.role})"]
                if entry.contact and entry.phone:
                    parts.insert(0, PHONE_MARK)
                    parts.append(entry.phone)
                parts += entry.breaks
                lines.append("  " + " ".join(parts))
    lines.append("")
    lines.append(words["total_on"].format(n=turns))
    if scenario.coordinator:
        lines.append(f"{words['coordinator']}{colon}{scenario.coordinator}")
    return "\n".join(lines) + "\n"

"""The service record's charts, drawn on the server as inline SVG: no script, nothing the CSP forbids (colours are
SVG attributes, not styles), scaled to the screen by their viewBox (a 390 px phone included).

- `hours_chart`: one person's hours per week, a bar per week, on a scale shared by everyone on the page;
- `coverage_map` and `heat_map`: a post's week from the published rota, hour by hour, the fewest people present in
  each hour (meal breaks taken off) against the coverage minimum of that hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from markupsafe import Markup, escape

from scheduler import Assignment, CoverageRule, Rota, Scenario
from web.i18n import Translator

BAR = "#0b5cad"
EMPTY_BAR = "#d5d9e0"
SAMPLE_MINUTES = 5
"""Presence is sampled every 5 minutes: a meal break or a gap shorter than an hour still shows in its hour."""
MINUTES_PER_DAY = 24 * 60

State = Literal["short", "met", "free", "extra"]
COLOURS: dict[State, str] = {"short": "#d9534f", "met": "#5cb85c", "free": "#eceff3", "extra": "#9fd49f"}
"""Below the minimum; the minimum met; no minimum and nobody; people where no minimum asks for them."""


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def hours_chart(weeks: list[dt.date], hours: dict[dt.date, float], scale: float, t: Translator, label: str) -> Markup:
    """A bar per week (in `weeks`' order) of the person's hours, on a scale of `scale` hours for the full height."""
    width, height, gap = max(len(weeks), 1) * 12, 40, 2
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {height}" width="100%" height="{height}" '
        f'preserveAspectRatio="none" role="img" aria-label="{escape(label)}">'
    ]
    for index, week in enumerate(weeks):
        value = hours.get(week, 0.0)
        tall = max(1.0, height * value / scale) if scale > 0 and value > 0 else 1.0
        title = t("record.bar", week=t.day(week), hours=t.hours(value))
        parts.append(
            f'<rect x="{index * 12 + gap / 2}" y="{_number(height - tall)}" width="{12 - gap}" '
            f'height="{_number(tall)}" fill="{BAR if value > 0 else EMPTY_BAR}"><title>{escape(title)}</title></rect>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


# ---------------------------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class HourCell:
    day: dt.date
    hour: int
    present: int
    """The fewest people at the post at any sampled moment of the hour."""
    needed: int
    """The largest coverage minimum at any moment of the hour (0: none)."""
    state: State


def _applies(rule: CoverageRule, day: dt.date) -> bool:
    return day.weekday() in {d.index for d in rule.days} and (rule.dates is None or day in rule.dates)


def _at_post(a: Assignment, moment: dt.datetime) -> bool:
    return a.start <= moment < a.end and not any(b.start <= moment < b.end for b in a.breaks)


def _rule_count(
    rule: CoverageRule, scenario: Scenario, people: list[Assignment], moment: dt.datetime, zone: ZoneInfo
) -> int | None:
    """How many the rule counts at `moment`, or None when it does not apply then."""
    local = moment.astimezone(zone)
    day, minute = local.date(), local.hour * 60 + local.minute
    if rule.shift is not None:
        post = next((p for p in scenario.posts if p.id == rule.post), None)
        template = next((s for s in post.shifts if s.id == rule.shift), None) if post is not None else None
        if template is None:
            return None
        for start_day in (day, day - dt.timedelta(days=1)):
            start = dt.datetime.combine(start_day, dt.time(), zone) + dt.timedelta(minutes=template.start)
            if _applies(rule, start_day) and start <= moment < start + dt.timedelta(minutes=template.minutes):
                return sum(1 for a in people if a.shift == rule.shift and a.date == start_day
                           and (rule.role is None or a.role == rule.role))
        return None
    if rule.window is None:
        applies = _applies(rule, day)
    else:
        begin, length = rule.window.start, rule.window.minutes
        applies = (_applies(rule, day) and begin <= minute < begin + length) or (
            _applies(rule, day - dt.timedelta(days=1)) and minute + MINUTES_PER_DAY < begin + length
        )
    if not applies:
        return None
    return sum(1 for a in people if _at_post(a, moment) and (rule.role is None or a.role == rule.role))


def coverage_map(scenario: Scenario, rota: Rota, post: str, week: dt.date) -> list[list[HourCell]]:
    """For each of the 7 days from `week`, the 24 hours of the post (the published rota's people at it)."""
    zone = scenario.zone
    people = [a for a in rota.assignments if a.post == post]
    rules = [r for r in scenario.coverage if r.post == post]
    days: list[list[HourCell]] = []
    for offset in range(7):
        day = week + dt.timedelta(days=offset)
        midnight = dt.datetime.combine(day, dt.time(), zone)
        # only the shifts that touch the day (and a day either side, for rules counting a shift by its start)
        near = [a for a in people if a.start < midnight + dt.timedelta(days=2) and a.end > midnight
                - dt.timedelta(days=1)]
        row: list[HourCell] = []
        for hour in range(24):
            present, needed, short = 10**6, 0, False
            for minute in range(0, 60, SAMPLE_MINUTES):
                moment = dt.datetime.combine(day, dt.time(hour, minute), zone)
                present = min(present, sum(1 for a in near if _at_post(a, moment)))
                for rule in rules:
                    counted = _rule_count(rule, scenario, near, moment, zone)
                    if counted is not None and rule.min > 0:
                        needed = max(needed, rule.min)
                        short = short or counted < rule.min
            # people at the post against the minimum: a shift's rule counts those eating too, the map does not
            short = short or present < needed
            state: State = "short" if short else "met" if needed else "extra" if present else "free"
            row.append(HourCell(day, hour, present, needed, state))
        days.append(row)
    return days


def heat_map(cells: list[list[HourCell]], t: Translator) -> Markup:
    """Days across, hours down; each cell coloured by its state, its count written in, its details as a tooltip."""
    left, top, width, height = 28, 30, 44, 16
    total_width, total_height = left + width * len(cells), top + height * 24
    parts = [
        f'<svg class="heat" viewBox="0 0 {total_width} {total_height}" width="100%" role="img" '
        f'aria-label="{escape(t("record.coverage"))}" font-size="10" font-family="sans-serif">'
    ]
    names = get_day_names("abbreviated", locale=t.locale)
    weekdays = [names[i] for i in range(7)]
    for column, row in enumerate(cells):
        day = row[0].day if row else None
        if day is None:
            continue
        x = left + column * width + width / 2
        parts.append(f'<text x="{x}" y="12" text-anchor="middle">{escape(weekdays[day.weekday()])}</text>')
        parts.append(f'<text x="{x}" y="25" text-anchor="middle">{day.month}/{day.day}</text>')
    for hour in range(24):
        y = top + hour * height
        parts.append(f'<text x="{left - 4}" y="{y + 12}" text-anchor="end">{hour:02d}</text>')
    for column, row in enumerate(cells):
        for cell in row:
            x, y = left + column * width, top + cell.hour * height
            title = t("record.coverage.cell", day=t.day(cell.day), hour=f"{cell.hour:02d}:00", n=cell.present,
                      min=cell.needed)
            parts.append(
                f'<g><title>{escape(title)}</title><rect x="{x}" y="{y}" width="{width - 1}" height="{height - 1}" '
                f'fill="{COLOURS[cell.state]}"/>'
            )
            if cell.present or cell.needed:
                parts.append(
                    f'<text x="{x + width / 2}" y="{y + 12}" text-anchor="middle">'
                    f'{cell.present}{"/" + str(cell.needed) if cell.needed else ""}</text>'
                )
            parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))

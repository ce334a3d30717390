"""Words shared by the calendars and the printed rota: dates, places, shifts, roles and meal breaks in zh or en.

The engine has no translation catalogue of its own (the web app's lives in web/messages/): the few fixed words of
calendars and print-outs are kept here, in both languages, next to the helpers that use them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from scheduler.domain.clock import format_clock
from scheduler.domain.community import MealWindow, Post, Role, ShiftTemplate, TeamDuty
from scheduler.domain.rota import Break
from scheduler.domain.scenario import Scenario

Language = Literal["zh", "en"]

_WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

WORDS: dict[Language, dict[str, str]] = {
    "zh": {
        "role": "角色",
        "break": "用餐休息",
        "crew": "同班",
        "crew_none": "同班：无",
        "coordinator": "协调人",
        "version": "版本",
        "cancelled": "已取消",
        "people": "人",
        "duty": "值勤",
        "week": "周值班表",
        "continued": "（续）",
        "printed": "打印于",
        "call": "联系",
        "call_lead": "每班联系人（带电话）",
        "marks": "角色标记",
        "breaks": "用餐时间",
        "day": "日期",
        "shift": "班次",
        "location": "地点",
        "reminder": "值班提醒",
        "colon": "：",
        "day_rota": "值班安排",
        "vacant": "（暂无人）",
        "total_on": "今日共 {n} 人次上岗",
    },
    "en": {
        "role": "Role",
        "break": "Meal break",
        "crew": "On this shift with you",
        "crew_none": "On this shift with you: nobody else",
        "coordinator": "Coordinator",
        "version": "Version",
        "cancelled": "Cancelled",
        "people": "people",
        "duty": "duty",
        "week": "Weekly rota",
        "continued": " (continued)",
        "printed": "Printed",
        "call": "Call",
        "call_lead": "Contact per shift (with phone)",
        "marks": "Role marks",
        "breaks": "Meal times",
        "day": "Day",
        "shift": "Shift",
        "location": "Location",
        "reminder": "Shift reminder",
        "colon": ": ",
        "day_rota": "rota",
        "vacant": "(nobody yet)",
        "total_on": "{n} turns on duty today",
    },
}


def language_of(value: str) -> Language:
    """'zh' for any Chinese locale tag, else 'en'."""
    return "zh" if value.lower().startswith("zh") else "en"


def clock(moment: dt.datetime, zone: ZoneInfo) -> str:
    """'08:00' in the scenario's zone."""
    return moment.astimezone(zone).strftime("%H:%M")


def time_range(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    """'08:00–16:00' in the scenario's zone."""
    return f"{clock(start, zone)}–{clock(end, zone)}"


def half_hours(hours: float) -> str:
    """Hours to the half hour, as people count them: '8', '7.5' (never '23.3833')."""
    halves = round(hours * 2)
    return f"{halves // 2}" if halves % 2 == 0 else f"{halves / 2:.1f}"


def shift_times(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    """'23:00–08:00': a shift instance's real local start and end (an end at the next midnight is '24:00').

    Across a clock change these differ from the template's nominal times, which `ShiftTemplate.label` gives.
    """
    first, last = start.astimezone(zone), end.astimezone(zone)
    tail = "24:00" if last.time() == dt.time() and last.date() > first.date() else f"{last:%H:%M}"
    return f"{first:%H:%M}–{tail}"


def weekday_name(day: dt.date, lang: Language) -> str:
    return _WEEKDAYS[lang][day.weekday()]


def date_label(day: dt.date, lang: Language) -> str:
    """'12月7日 周一' or 'Mon 7 Dec'."""
    if lang == "zh":
        return f"{day.month}月{day.day}日 {weekday_name(day, lang)}"
    return f"{weekday_name(day, lang)} {day.day} {_MONTHS_EN[day.month - 1]}"


def short_date(day: dt.date, lang: Language) -> str:
    """'12/7' or '7 Dec', for narrow column heads."""
    return f"{day.month}/{day.day}" if lang == "zh" else f"{day.day} {_MONTHS_EN[day.month - 1]}"


def shift_name(shift: ShiftTemplate, lang: Language, times: str | None = None) -> str:
    """The shift's name, or when it has none its times: an instance's real `times` (`shift_times`) if given,
    else the template's nominal ones."""
    if shift.name:
        return shift.name.text(lang)
    return times if times is not None else shift.label()


@dataclass(frozen=True)
class Place:
    """A post or a team duty, as calendars and print-outs name it."""

    id: str
    post: Post | None
    duty: TeamDuty | None

    def name(self, lang: Language) -> str:
        thing = self.post or self.duty
        assert thing is not None  # a place is one of the two
        return thing.name.text(lang)

    def location(self, lang: Language) -> str:
        """The post's (or duty's) location when it has one, else its name."""
        thing = self.post or self.duty
        assert thing is not None
        return thing.location or thing.name.text(lang)

    def shift(self, shift_id: str | None) -> ShiftTemplate | None:
        if self.post is None or shift_id is None:
            return None
        return next((s for s in self.post.shifts if s.id == shift_id), None)

    def slot_name(self, shift_id: str | None, lang: Language, times: str | None = None) -> str:
        """'Day' for a post shift (an unnamed one by its instance's `times` if given), the duty's name for a duty."""
        shift = self.shift(shift_id)
        if shift is not None:
            return shift_name(shift, lang, times)
        return shift_id or self.name(lang)


def places(scenario: Scenario) -> dict[str, Place]:
    """Every post and team duty of the scenario by id."""
    found = {p.id: Place(p.id, p, None) for p in scenario.posts}
    found.update({d.id: Place(d.id, None, d) for d in scenario.team_duties})
    return found


def place_of(scenario: Scenario, place_id: str) -> Place:
    """The post or duty with this id; KeyError if there is none."""
    return places(scenario)[place_id]


def role_name(roles: dict[str, Role], role_id: str, lang: Language) -> str:
    role = roles.get(role_id)
    return role.name.text(lang) if role else role_id


def role_mark(roles: dict[str, Role], role_id: str, lang: Language) -> str:
    """The role's short mark (e.g. '安'), or its name when it has none."""
    role = roles.get(role_id)
    if role is None:
        return role_id
    return role.mark or role.name.text(lang)


def meal_windows(scenario: Scenario, place_id: str) -> list[MealWindow]:
    return [w for rule in scenario.meal_rules if rule.post == place_id for w in rule.windows]


def break_name(scenario: Scenario, place_id: str, meal: Break, lang: Language) -> str:
    """The meal window's name ('午饭', 'Lunch') a break lies in, else the generic word."""
    zone = scenario.zone
    local = meal.start.astimezone(zone)
    minute = local.hour * 60 + local.minute
    for window in meal_windows(scenario, place_id):
        if window.start <= minute < window.end:
            return window.name.text(lang)
    return WORDS[lang]["break"]


def break_label(scenario: Scenario, place_id: str, meal: Break, lang: Language) -> str:
    """'午饭 11:45–12:30'."""
    return f"{break_name(scenario, place_id, meal, lang)} {time_range(meal.start, meal.end, scenario.zone)}"


def window_label(window: MealWindow) -> str:
    return f"{format_clock(window.start)}–{format_clock(window.end)}"


def slot_labels(scenario: Scenario, lang: Language) -> dict[tuple[str, str | None], tuple[str, str]]:
    """(place, shift id) -> (the shift's name, its nominal hours 'HH:MM–HH:MM'); a team duty's under (duty, None).

    Nominal: an instance across a clock change has other times (`shift_times` of its start and end).
    """
    found: dict[tuple[str, str | None], tuple[str, str]] = {}
    for post in scenario.posts:
        for shift in post.shifts:
            found[(post.id, shift.id)] = (shift_name(shift, lang), shift.label())
    for duty in scenario.team_duties:
        found[(duty.id, None)] = (duty.name.text(lang), duty.window.label())
    return found

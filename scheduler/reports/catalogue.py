"""The one catalogue of the engine's words: every message code in Chinese and English, and the renderer that turns
a `Message` into text with the scenario's names and local times (see `scheduler.domain.messages` for what each
parameter name means).

Templates use `{name}` for a parameter (rendered by its kind) and `{count|shift|shifts}` for an English count with
its noun in the singular or plural.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cached_property
from zoneinfo import ZoneInfo

from scheduler.domain.clock import Weekday
from scheduler.domain.community import Role
from scheduler.domain.messages import Message, Param
from scheduler.domain.rota import Penalty, Violation
from scheduler.domain.scenario import Scenario
from scheduler.reports.catalogue_texts import CLI_TEXTS, RULE_NAMES, TEXTS
from scheduler.reports.labels import Language, Place, date_label, half_hours, places, role_name, shift_times

_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^{}]*)\}")
_FIELD = re.compile(r"\{(\w+)\}")
_WEEKDAY_NAMES: dict[Language, tuple[str, ...]] = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_NOBODY_IN_PARTICULAR: dict[Language, str] = {"zh": "人员", "en": "people"}
_SLOT_PREFIXES = ("", "other_", "first_")


def hours_text(minutes: float, lang: Language) -> str:
    """A duration to the half hour: '7.5 h' / '7.5 小时' (a whole number without decimals)."""
    number = half_hours(minutes / 60)
    return f"{number} 小时" if lang == "zh" else f"{number} h"


def person_hours_text(minutes: float, lang: Language) -> str:
    number = half_hours(minutes / 60)
    return f"{number} 人时" if lang == "zh" else f"{number} person-hours"


_ALL_TEXTS = {**TEXTS, **CLI_TEXTS}


def locale_language(environ: Mapping[str, str]) -> Language:
    """The language of the user's locale (LC_ALL, then LC_MESSAGES, then LANG): 'zh' for any Chinese one."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


class Words:
    """Renders messages in one language, about one scenario (its names and local times) when given."""

    def __init__(self, scenario: Scenario | None, lang: Language) -> None:
        self.scenario = scenario
        self.lang = lang
        self.zone = scenario.zone if scenario is not None else ZoneInfo("UTC")

    @cached_property
    def _people(self) -> dict[str, str]:
        return {p.id: p.name for p in self.scenario.people} if self.scenario is not None else {}

    @cached_property
    def _places(self) -> dict[str, Place]:
        return places(self.scenario) if self.scenario is not None else {}

    @cached_property
    def _roles(self) -> dict[str, Role]:
        return {r.id: r for r in self.scenario.roles} if self.scenario is not None else {}

    def rule(self, rule: str) -> str:
        """A rule's name as a reader sees it ('人数要求' for 'coverage')."""
        names = RULE_NAMES.get(rule)
        return rule if names is None else names[0] if self.lang == "en" else names[1]

    def __call__(self, code: str, /, **params: Param) -> str:
        return self.render(Message(code=code, params=params))

    def text(self, item: Violation | Penalty) -> str:
        """A violation's or penalty's words in this language (its stored English for one kept from before codes)."""
        message = item.as_message()
        if message is None:
            return item.message if isinstance(item, Violation) else item.cause
        return self.render(message)

    def render(self, message: Message) -> str:
        """The message's text; an unknown code is shown as the code and its parameters (never an error)."""
        texts = _ALL_TEXTS.get(message.code)
        if texts is None:
            return f"{message.code} {message.params}"
        template = texts[0] if self.lang == "en" else texts[1]
        values = self.values(message.params)

        def plural(match: re.Match[str]) -> str:
            raw = message.params.get(match.group(1))
            word = match.group(2) if raw == 1 else match.group(3)
            return f"{values.get(match.group(1), raw)} {word}"

        text = _PLURAL.sub(plural, template)
        return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    # ------------------------------------------------------------------------------------------------- values
    def values(self, params: Mapping[str, Param]) -> dict[str, str]:
        """Every parameter as text, plus the derived ones: {when}, {slot}, {as_role}, {X} for X_start/X_end."""
        out = {key: self.value(key, value) for key, value in params.items()}
        for prefix in _SLOT_PREFIXES:
            start, end = params.get(f"{prefix}start"), params.get(f"{prefix}end")
            if isinstance(start, str) and isinstance(end, str):
                first, last = _moment(start), _moment(end)
                out[f"{prefix}when"] = self.span(first, last)
                place = params.get(f"{prefix}place")
                if isinstance(place, str):
                    shift = params.get(f"{prefix}shift")
                    out[f"{prefix}slot"] = self.slot(place, shift if isinstance(shift, str) else None, first, last)
        for key, value in params.items():
            if key.endswith("_start") and key.removesuffix("_start") + "_end" in params:
                stem = key.removesuffix("_start")
                end = params[stem + "_end"]
                if isinstance(value, str) and isinstance(end, str) and f"{stem}_" not in _SLOT_PREFIXES:
                    out[stem] = shift_times(_moment(value), _moment(end), self.zone)
        role = params.get("role")
        if "role" in params:
            out["role"] = self.role(role if isinstance(role, str) else None)
            named = out["role"]
            out["as_role"] = "" if role is None else (f"（{named}）" if self.lang == "zh" else f" as {named}")
        return out

    def value(self, key: str, value: Param) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            names = [self.value(key.removesuffix("s") if key == "people" else key, item) for item in value]
            return ("、" if self.lang == "zh" else ", ").join(names)
        if key in ("person", "other") or key == "people":
            return self._people.get(str(value), str(value))
        if key.endswith("place"):
            found = self._places.get(str(value))
            return found.name(self.lang) if found is not None else str(value)
        if key in ("day", "first", "last") and isinstance(value, str):
            return date_label(dt.date.fromisoformat(value), self.lang)
        if key == "weekday" and isinstance(value, str):
            return _WEEKDAY_NAMES[self.lang][list(Weekday).index(Weekday(value))]
        if key == "person_minutes" and isinstance(value, int | float):
            return person_hours_text(value, self.lang)
        if key.endswith("minutes") and isinstance(value, int | float):
            return hours_text(value, self.lang)
        if key.endswith("shift") and isinstance(value, str):
            return self.shift_name(value)
        if key == "meal" and isinstance(value, str):
            return self.meal_name(value)
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def role(self, role: str | None) -> str:
        if role is None:
            return _NOBODY_IN_PARTICULAR[self.lang]
        return role_name(self._roles, role, self.lang)

    def shift_name(self, shift: str) -> str:
        for place in self._places.values():
            template = place.shift(shift)
            if template is not None and template.name is not None:
                return template.name.text(self.lang)
        return shift

    def meal_name(self, window: str) -> str:
        """A meal window's name ('午饭') from its times ('11:00–13:30')."""
        for rule in self.scenario.meal_rules if self.scenario is not None else []:
            for meal in rule.windows:
                if meal.label() == window:
                    return meal.name.text(self.lang)
        return window

    def span(self, start: dt.datetime, end: dt.datetime) -> str:
        """'12月7日 周一 08:00–16:00' / 'Mon 7 Dec 08:00–16:00'; across days both dates."""
        first, last = start.astimezone(self.zone), end.astimezone(self.zone)
        same_day = last.date() == first.date() or (last.date() == first.date() + dt.timedelta(days=1)
                                                   and last.time() <= first.time())
        if same_day:
            return f"{date_label(first.date(), self.lang)} {shift_times(start, end, self.zone)}"
        return (f"{date_label(first.date(), self.lang)} {first:%H:%M} – "
                f"{date_label(last.date(), self.lang)} {last:%H:%M}")

    def slot(self, place_id: str, shift: str | None, start: dt.datetime, end: dt.datetime) -> str:
        """'小区入口卡口 夜班 12月7日 周一 00:00–08:00' / 'Entrance checkpoint Night, Mon 7 Dec 00:00–08:00'."""
        place = self._places.get(place_id)
        where = place.name(self.lang) if place is not None else place_id
        template = place.shift(shift) if place is not None else None
        if template is not None and template.name is not None:
            where = f"{where} {template.name.text(self.lang)}" if self.lang == "zh" else \
                f"{where} {template.name.text(self.lang)},"
        elif self.lang == "en":
            where = f"{where},"
        return f"{where} {self.span(start, end)}"


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def render(scenario: Scenario, message: Message, lang: Language) -> str:
    """One message as text (for many, build one `Words` and call its `render`)."""
    return Words(scenario, lang).render(message)

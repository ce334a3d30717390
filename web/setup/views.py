"""View rows of the set-up pages: one title and a few detail lines per role, post, rule or duty."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from babel.dates import get_day_names

from scheduler import ALL_WEEKDAYS, CoverageRule, MealRule, PersonLimits, Post, Role, Succession, TeamDuty, Weekday
from web.i18n import Translator
from web.store import CommunitySetup


@dataclass
class Row:
    """One item on a list page: its title, details, and where to edit or delete it."""

    title: str
    details: list[str] = field(default_factory=list)
    edit: str = ""
    delete: str = ""


def url_part(value: str) -> str:
    return quote(value, safe="")


def day_label(t: Translator, day: Weekday) -> str:
    return str(get_day_names("abbreviated", locale=t.locale)[day.index])


def days_text(t: Translator, days: list[Weekday]) -> str:
    if set(days) == set(ALL_WEEKDAYS):
        return t("setup.every_day")
    return " ".join(day_label(t, day) for day in sorted(days, key=lambda d: d.index))


def place_name(setup: CommunitySetup, place: str, t: Translator) -> str:
    for post in setup.posts:
        if post.id == place:
            return post.name.text(t.lang)
    for duty in setup.team_duties:
        if duty.id == place:
            return duty.name.text(t.lang)
    return place


def role_name(setup: CommunitySetup, role_id: str, t: Translator) -> str:
    role = setup.role(role_id)
    return role.name.text(t.lang) if role else role_id


def role_row(role: Role, t: Translator) -> Row:
    base = f"/setup/roles/{url_part(role.id)}"
    title = f"{role.mark} {role.name.text(t.lang)}" if role.mark else role.name.text(t.lang)
    lines = [t("setup.id_is", id=role.id), *([t("setup.lead")] if role.lead else []), *limit_lines(role.limits, t)]
    return Row(title, lines, base + "/edit", base + "/delete")


def limit_lines(limits: PersonLimits, t: Translator) -> list[str]:
    """One line per limit that is set, e.g. 'Max nights per week: 2'."""
    lines: list[str] = []
    for name, value in limits.model_dump(exclude_none=True).items():
        if isinstance(value, bool):
            shown = t("setup.yes") if value else t("setup.no")
        else:
            shown = str(int(value)) if float(value).is_integer() else str(value)
        lines.append(t("setup.limit_is", limit=t(f"setup.limit.{name}"), value=shown))
    return lines


def shift_lines(post: Post, t: Translator) -> list[str]:
    lines = []
    for shift in post.shifts:
        name = shift.name.text(t.lang) if shift.name else shift.id
        lines.append(f"{name} {shift.label()} · {days_text(t, shift.days)}")
    return lines


def post_row(post: Post, t: Translator) -> Row:
    base = f"/setup/posts/{url_part(post.id)}"
    details = [t("setup.id_is", id=post.id), *([post.location] if post.location else []), *shift_lines(post, t)]
    return Row(post.name.text(t.lang), details, base + "/edit", base + "/delete")


def coverage_row(index: int, rule: CoverageRule, setup: CommunitySetup, t: Translator) -> Row:
    where = t("setup.on_shift", shift=rule.shift) if rule.shift else (
        rule.window.label() if rule.window else t("setup.all_day")
    )
    who = role_name(setup, rule.role, t) if rule.role else t("setup.anyone")
    count = t("setup.count_range", min=rule.min, max=rule.max) if rule.max is not None else t(
        "setup.count_min", min=rule.min
    )
    details = [f"{where} · {days_text(t, rule.days)}", f"{who}: {count}"]
    if rule.dates:
        details.append(", ".join(d.isoformat() for d in rule.dates))
    details.append(t("setup.soft", cost=rule.min_cost) if rule.min_cost else t("setup.hard"))
    title = f"{place_name(setup, rule.post, t)} · {rule.id}" if rule.id else place_name(setup, rule.post, t)
    base = f"/setup/coverage/{index}"
    return Row(title, details, base + "/edit", base + "/delete")


def meal_row(rule: MealRule, setup: CommunitySetup, t: Translator) -> Row:
    windows = ", ".join(f"{w.name.text(t.lang)} {w.label()}" for w in rule.windows)
    details = [windows, t("setup.break_summary", minutes=rule.minutes, grid=rule.grid_minutes)]
    details.append(t("setup.for_shifts", shifts=", ".join(rule.shifts)) if rule.shifts else t("setup.all_shifts"))
    if rule.max_away is not None:
        details.append(t("setup.max_away_is", n=rule.max_away))
    if rule.scarce_roles:
        names = ", ".join(role_name(setup, r, t) for r in rule.scarce_roles)
        details.append(t("setup.scarce_are", roles=names))
    base = f"/setup/meals/{url_part(rule.post)}"
    return Row(place_name(setup, rule.post, t), details, base + "/edit", base + "/delete")


def duty_row(duty: TeamDuty, setup: CommunitySetup, t: Translator) -> Row:
    team = " + ".join(role_name(setup, r, t) for r in duty.roles)
    details = [
        t("setup.id_is", id=duty.id), f"{duty.window.label()} · {days_text(t, duty.days)}",
        t("setup.team_is", team=team, teams=duty.teams),
    ]
    if duty.location:
        details.append(duty.location)
    base = f"/setup/duties/{url_part(duty.id)}"
    return Row(duty.name.text(t.lang), details, base + "/edit", base + "/delete")


def shift_name(setup: CommunitySetup, post_id: str | None, shift_id: str, t: Translator) -> str:
    """A shift's name (the first post that has it when no post is given), else its id."""
    for post in setup.posts:
        if post_id in (None, post.id):
            for shift in post.shifts:
                if shift.id == shift_id:
                    return shift.name.text(t.lang) if shift.name else shift.label()
    return shift_id


def succession_row(index: int, rule: Succession, setup: CommunitySetup, t: Translator) -> Row:
    first, then = shift_name(setup, rule.post, rule.first, t), shift_name(setup, rule.post, rule.then, t)
    where = place_name(setup, rule.post, t) if rule.post else t("setup.successions.any_post")
    base = f"/setup/successions/{index}"
    return Row(t("setup.successions.row", first=first, then=then), [where], base + "/edit", base + "/delete")

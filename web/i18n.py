"""Chinese and English: a typed message catalogue, the language choice, localised dates and weekdays.

The browser's Accept-Language picks the language; the `lang` cookie (set by the language switch) overrides it.
Every message has both languages by construction (a `Message` needs both); `tests/web` checks that every
key used in the templates exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from babel.dates import format_date, format_datetime, get_day_names

from scheduler import half_hours
from web.catalog import Message, merge
from web.messages import AREAS

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
COOKIE = "lang"
_BY_CODE: dict[str, Lang] = {"zh": "zh", "en": "en"}
_LOCALES: dict[Lang, str] = {"zh": "zh_Hans_CN", "en": "en_GB"}


_CORE: dict[str, Message] = {
    "app.name": Message("Rota", "排班"),
    "nav.people": Message("People", "人员"),
    "nav.setup": Message("Set-up", "社区设置"),
    "nav.generate": Message("Generate", "生成排班"),
    "nav.rota": Message("Rota", "排班表"),
    "nav.swaps": Message("Swaps", "换班"),
    "nav.feeds": Message("Calendars", "日历订阅"),
    "nav.logout": Message("Log out", "退出"),
    "nav.language": Message("Language", "语言"),
    "nav.skip": Message("Skip to content", "跳到正文"),
    "login.title": Message("Coordinator login", "协调员登录"),
    "login.username": Message("User name", "用户名"),
    "login.password": Message("Password", "密码"),
    "login.submit": Message("Log in", "登录"),
    "login.failed": Message("Wrong user name or password.", "用户名或密码错误。"),
    "login.logged_out": Message("You have logged out.", "您已退出登录。"),
    "password.title": Message("Choose a new password", "设置新密码"),
    "password.intro": Message(
        "You logged in with a one-time password. Choose your own password to go on.",
        "您使用的是一次性密码，请先设置自己的密码。",
    ),
    "password.new": Message("New password", "新密码"),
    "password.repeat": Message("New password again", "再次输入新密码"),
    "password.too_short": Message("At least {n} characters.", "至少 {n} 个字符。"),
    "password.mismatch": Message("The two passwords differ.", "两次输入的密码不一致。"),
    "password.same": Message("Choose a password other than the one-time password.", "新密码不能与一次性密码相同。"),
    "password.changed": Message("Your password was changed.", "密码已修改。"),
    "form.save": Message("Save", "保存"),
    "form.cancel": Message("Cancel", "取消"),
    "form.errors": Message("Please correct the marked fields.", "请修改标出的字段。"),
    "form.required": Message("Required.", "必填。"),
    "form.invalid": Message("Invalid value.", "值无效。"),
    "form.not_number": Message("Enter a number.", "请输入数字。"),
    "form.min": Message("Must be at least {n}.", "不能小于 {n}。"),
    "form.max": Message("Must be at most {n}.", "不能大于 {n}。"),
    "form.too_long": Message("At most {n} characters.", "最多 {n} 个字符。"),
    "form.bad_characters": Message(
        "Contains {code}: no control, line-break or text-direction characters.",
        "含有 {code}：不能包含控制、换行或文字方向字符。",
    ),
    "people.title": Message("People", "人员"),
    "people.add": Message("Add a person", "添加人员"),
    "people.edit": Message("Edit {name}", "编辑 {name}"),
    "people.none": Message("Nobody yet.", "还没有人员。"),
    "people.count": Message("{active} active, {inactive} inactive", "在岗 {active} 人，停用 {inactive} 人"),
    "people.name": Message("Name", "姓名"),
    "people.key": Message("Id", "编号"),
    "people.key_help": Message(
        "Short id without spaces, e.g. wang-fang. Used in rules and files.", "不含空格的简短编号，如 wang-fang。"
    ),
    "people.key_taken": Message("This id is already used.", "该编号已被使用。"),
    "people.key_invalid": Message(
        "Use letters, digits and dashes; no spaces, colons, commas or slashes.", "不能包含空格、冒号、逗号或斜杠。"
    ),
    "people.roles": Message("Roles", "角色"),
    "people.roles_required": Message("Choose at least one role.", "请至少选择一个角色。"),
    "people.phone": Message("Phone", "电话"),
    "people.language": Message("Calendar language", "日历语言"),
    "people.posts": Message("May work at", "可安排的岗位"),
    "people.posts_help": Message("None ticked: everywhere.", "都不勾选表示所有岗位。"),
    "people.limits": Message("Limits (empty: the role's or the community's default)", "限制（留空则用默认值）"),
    "people.limit_from_roles": Message("Empty: {value}, from the role {roles}.", "留空：{value}，来自角色{roles}。"),
    "people.limit_from_community": Message("Empty: {value}, the community default.", "留空：{value}，社区默认值。"),
    "people.no_limit": Message("Empty: no limit.", "留空：不限。"),
    "people.max_hours_per_week": Message("Max hours per week", "每周最多小时数"),
    "people.max_shifts_per_week": Message("Max shifts per week", "每周最多班次"),
    "people.max_nights_per_week": Message("Max nights per week", "每周最多夜班"),
    "people.min_rest_hours": Message("Min rest between shifts (hours)", "两班之间最少休息（小时）"),
    "people.nights_allowed": Message("Night shifts", "夜班"),
    "people.nights_default": Message("Default", "默认"),
    "people.nights_yes": Message("Allowed", "可以"),
    "people.nights_no": Message("Never", "不排夜班"),
    "people.meal_minutes": Message("Own meal break (minutes)", "个人用餐时长（分钟）"),
    "people.active": Message("Active", "在岗"),
    "people.inactive": Message("Inactive", "已停用"),
    "people.status": Message("Status", "状态"),
    "people.deactivate": Message("Deactivate", "停用"),
    "people.reactivate": Message("Reactivate", "恢复"),
    "people.saved": Message("Saved {name}.", "已保存 {name}。"),
    "people.deactivated": Message("{name} is now inactive.", "{name} 已停用。"),
    "people.reactivated": Message("{name} is active again.", "{name} 已恢复。"),
    "people.not_found": Message("No such person.", "没有此人。"),
    "community.none": Message("No community is set up yet.", "尚未设置社区。"),
    "generate.title": Message("Generate a rota", "生成排班"),
    "generate.week": Message("Week starting", "起始日期"),
    "generate.days": Message("Days", "天数"),
    "generate.start": Message("Generate", "开始生成"),
    "generate.recent": Message("Recent solves", "最近的排班计算"),
    "generate.none": Message("No solves yet.", "还没有排班计算。"),
    "generate.invalid": Message(
        "The community's rules and people do not make a valid scenario:", "社区规则与人员数据有误："
    ),
    "job.title": Message("Rota for the week of {date}", "{date} 起的一周排班"),
    "job.status": Message("Status", "状态"),
    "job.status.queued": Message("Waiting to start", "等待开始"),
    "job.status.running": Message("Running", "计算中"),
    "job.status.finished": Message("Finished", "已完成"),
    "job.status.failed": Message("Failed", "失败"),
    "job.status.cancelled": Message("Cancelled", "已取消"),
    "job.status.interrupted": Message("Interrupted by a server restart", "因服务器重启而中断"),
    "job.elapsed": Message("Elapsed", "已用时间"),
    "job.seconds": Message("{s} s", "{s} 秒"),
    "job.objective": Message("Best cost so far", "当前最优代价"),
    "job.bound": Message("Lower bound", "下界"),
    "job.gap": Message("Gap", "差距"),
    "job.first_found": Message("First complete rota found after {s} s.", "{s} 秒时找到第一个完整排班。"),
    "job.phase.searching": Message("Looking for a rota…", "正在寻找排班……"),
    "job.phase.found": Message("A rota is found · it may still improve", "已找到排班 · 可能还能更好"),
    "job.phase.proven": Message("Best rota, proven", "已证明最优"),
    "job.details": Message("The figures behind it", "详细数据"),
    "job.details_help": Message(
        "The cost counts every unmet wish, unfair share and person-hour; the lower bound is what no rota can beat; "
        "the gap between them closes when the best rota is proven.",
        "代价计入每个未满足的意愿、不公平的分担和每个人时；下界是任何排班都低不过的值；两者之差为零时即证明最优。",
    ),
    "job.short.optimal": Message("proven best", "已证明最优"),
    "job.short.feasible": Message("may still improve", "可能还能更好"),
    "job.short.infeasible": Message("no rota possible", "无法排班"),
    "job.short.unknown": Message("no rota in time", "时限内未找到"),
    "job.short.invalid": Message("engine error", "求解出错"),
    "job.cancel": Message("Cancel", "取消计算"),
    "job.refresh": Message("Refresh", "刷新"),
    "job.background": Message(
        "The solve runs on the server: you may close this page and come back.",
        "计算在服务器上进行，可关闭本页稍后再来。",
    ),
    "job.result.optimal": Message("Optimal rota: no better one exists.", "最优排班：不存在更好的方案。"),
    "job.result.feasible": Message(
        "A rota meeting every hard rule (maybe not the best).", "满足所有硬性规则的排班（未必最优）。"
    ),
    "job.result.infeasible": Message("No rota can meet every hard rule.", "没有能满足所有硬性规则的排班。"),
    "job.result.unknown": Message("Time ran out before any rota was found.", "在时限内未找到排班。"),
    "job.result.invalid": Message("The engine rejected the model.", "求解器拒绝了该模型。"),
    "job.cost": Message("Total cost {cost}", "总代价 {cost}"),
    "job.explanation": Message("Why", "原因"),
    "job.suggestions": Message("What would make a rota possible", "可行的调整建议"),
    "job.conflicts": Message("Contradicting rules", "相互矛盾的规则"),
    "job.error": Message("The solve failed: {error}", "计算失败：{error}"),
    "job.worker_lost": Message(
        "The solve failed: the worker solving it stopped {times} times (a machine or process went down). You may run "
        "it again.", "计算失败：负责计算的工作进程中途停止了 {times} 次（机器或进程故障）。可以再运行一次。",
    ),
    "job.not_found": Message("No such solve.", "没有此排班计算。"),
    "job.cancelled": Message("The solve was cancelled.", "计算已取消。"),
    "grid.shift": Message("Shift", "班次"),
    "grid.meal": Message("meal", "用餐"),
    "grid.nobody": Message("—", "—"),
    "grid.scroll": Message("The grid scrolls sideways.", "表格可左右滑动。"),
    "error.forbidden": Message("The form expired. Please try again.", "表单已过期，请重试。"),
    "error.not_found": Message("Page not found.", "页面不存在。"),
    "error.too_large": Message("What was sent is too large.", "提交的内容过大。"),
    "error.bad_request": Message("The request could not be read. Please go back and try again.",
                                 "无法读取此请求，请返回重试。"),
    "error.server": Message("Something went wrong on the server. Please try again later.", "服务器出错，请稍后重试。"),
    "form.day_range": Message("Enter a date between {first} and {last}.", "请输入 {first} 至 {last} 之间的日期。"),
}


MESSAGES: dict[str, Message] = merge(_CORE, *AREAS)


@dataclass(frozen=True)
class Translator:
    """Messages and formats of one language; templates call it as `t('key', name=...)`."""

    lang: Lang

    def __call__(self, key: str, **values: object) -> str:
        message = MESSAGES[key]
        text = message.zh if self.lang == "zh" else message.en
        return text.format(**values) if values else text

    @property
    def locale(self) -> str:
        return _LOCALES[self.lang]

    def date(self, day: dt.date) -> str:
        """'2026年12月7日 星期一' or 'Monday 7 December 2026'."""
        return format_date(day, "full", locale=self.locale)

    def day(self, day: dt.date) -> str:
        """A short column heading: '12/7 周一' or 'Mon 7 Dec'."""
        pattern = "M/d EEE" if self.lang == "zh" else "EEE d MMM"
        return format_date(day, pattern, locale=self.locale)

    def time(self, moment: dt.datetime) -> str:
        return format_datetime(moment, "HH:mm", tzinfo=moment.tzinfo, locale=self.locale)

    def moment(self, moment: dt.datetime) -> str:
        return format_datetime(moment, "medium", tzinfo=moment.tzinfo, locale=self.locale)

    def weekdays(self) -> list[str]:
        names = get_day_names("wide", locale=self.locale)
        return [names[i] for i in range(7)]

    def number(self, value: float | None, digits: int = 1) -> str:
        return "—" if value is None else f"{value:.{digits}f}"

    def hours(self, value: float | None) -> str:
        """Hours to the half hour, as people count them: '8', '7.5' (never '23.3833')."""
        return "—" if value is None else half_hours(value)


def parse_accept_language(header: str | None) -> Lang | None:
    """The supported language the browser prefers most (q-values respected), if any."""
    if not header:
        return None
    best: tuple[float, int] | None = None
    chosen: Lang | None = None
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        lang = _BY_CODE.get(primary)
        if lang is not None and quality > 0 and (best is None or (quality, -position) > best):
            best, chosen = (quality, -position), lang
    return chosen


def choose_language(cookie: str | None, accept_language: str | None) -> Lang:
    if cookie is not None and cookie in _BY_CODE:
        return _BY_CODE[cookie]
    return parse_accept_language(accept_language) or DEFAULT_LANG

"""Write examples/grid.yaml: eight grid posts of 东湖街道 and about 120 people, one week from Mon 2026-12-07.

Deterministic (seeded); run from the repository root with `.venv/bin/python examples/make_grid.py`.
The capacity arithmetic at the top of the YAML is computed here from the very data written below it.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from benchmarks.generator import NameMaker, hhmm, roles, weekly_supply
from scheduler.domain.base import LocalizedText
from scheduler.domain.clock import ALL_WEEKDAYS, Weekday
from scheduler.domain.community import (
    CoverageRule,
    MealRule,
    MealWindow,
    Post,
    ShiftTemplate,
    TeamDuty,
    TimeWindow,
)
from scheduler.domain.people import (
    Absence,
    Ban,
    PairKind,
    PairRule,
    PastAssignment,
    Person,
    PersonLimits,
    Pin,
    Preference,
    PreferenceKind,
    Succession,
    WeeklyWindow,
)
from scheduler.domain.scenario import Scenario

SEED = 20261207
START = dt.date(2026, 12, 7)
DAYS = 7
WEEK_HOURS = 48
OUT = Path(__file__).with_name("grid.yaml")
WEEKDAYS = list(ALL_WEEKDAYS[:5])


def shifts(pattern: str) -> list[ShiftTemplate]:
    def t(sid: str, zh: str, en: str, start: int, hours: int, days: list[Weekday] | None = None) -> ShiftTemplate:
        extra: dict[str, Any] = {"days": days} if days else {}
        return ShiftTemplate(id=sid, name=LocalizedText(zh=zh, en=en), start=hhmm(start), hours=hours, **extra)

    if pattern == "8h":
        return [t("n", "夜班", "Night", 0, 8), t("d", "白班", "Day", 8, 8), t("e", "晚班", "Evening", 16, 8)]
    if pattern == "12h":
        return [t("d", "白班", "Day", 8, 12), t("n", "夜班", "Night", 20, 12)]
    if pattern == "market":
        return [t("am", "早班", "Morning", 6, 8), t("pm", "午班", "Afternoon", 14, 8)]
    return [t("d", "护学岗", "School run", 7, 8, WEEKDAYS)]


def window(post: str, start: int, end: int, n: int, **kw: Any) -> CoverageRule:
    return CoverageRule(post=post, window=TimeWindow(start=hhmm(start), end=hhmm(end)), min=n, **kw)


# id, zh, en, location, pattern, neighbours, home people, (quota role, quota count)
POSTS: list[tuple[str, str, str, str, str, list[str], int, tuple[str, int]]] = [
    ("g1", "东湖村一组卡口", "Donghu village group 1 checkpoint", "一组村口 / group 1 lane", "8h",
     ["g2", "market"], 13, ("party", 6)),
    ("g2", "东湖村二组卡口", "Donghu village group 2 checkpoint", "二组桥头 / group 2 bridge", "8h",
     ["g1", "g3", "school"], 13, ("party", 6)),
    ("g3", "东湖村三组卡口", "Donghu village group 3 checkpoint", "三组祠堂 / group 3 hall", "8h",
     ["g2", "g4", "school"], 13, ("party", 6)),
    ("g4", "东湖村四组卡口", "Donghu village group 4 checkpoint", "四组水塘 / group 4 pond", "12h",
     ["g3", "park"], 11, ("party", 5)),
    ("park", "物流园大门", "Logistics park gate", "东湖物流园北门 / logistics park north gate", "12h",
     ["g4", "exit"], 15, ("security", 8)),
    ("exit", "高速出口检查站", "Expressway exit checkpoint", "东湖收费站 / Donghu toll station", "12h",
     ["park"], 15, ("security", 8)),
    ("market", "农贸市场入口", "Farmers' market entrance", "东湖农贸市场 / Donghu market", "market",
     ["g1", "g2"], 10, ("party", 6)),
    ("school", "东湖小学路口", "Donghu primary school crossing", "学校正门 / school main gate", "school",
     ["g2", "g3"], 5, ("party", 2)),
]  # fmt: skip


def coverage() -> list[CoverageRule]:
    rules: list[CoverageRule] = []
    for g in ("g1", "g2", "g3"):
        rules += [window(g, 8, 24, 2), window(g, 0, 8, 1), window(g, 8, 24, 1, role="party")]
    rules += [window("g4", 8, 20, 2), window("g4", 20, 8, 1), window("g4", 8, 20, 1, role="party")]
    rules += [
        CoverageRule(post="park", min=2),
        CoverageRule(post="park", role="security", min=1),
        window("park", 8, 12, 3, id="park-truck-peak", min_cost=2),
        CoverageRule(post="exit", min=2),
        CoverageRule(post="exit", role="security", min=1),
        window("exit", 8, 20, 1, role="health"),
        window("market", 6, 22, 2),
        window("market", 6, 22, 1, role="party"),
        CoverageRule(post="school", days=WEEKDAYS, window=TimeWindow(start=hhmm(7), end=hhmm(15)), min=2),
    ]
    return rules


# Per post and 7-day week: (all shifts, night shifts) and per role (shifts, nights), as the rules above demand.
DEMAND: dict[str, tuple[int, int, dict[str, tuple[int, int]]]] = {
    "g1": (35, 7, {"party": (14, 0)}),
    "g2": (35, 7, {"party": (14, 0)}),
    "g3": (35, 7, {"party": (14, 0)}),
    "g4": (21, 7, {"party": (7, 0)}),
    "park": (28, 14, {"security": (14, 7)}),
    "exit": (28, 14, {"security": (14, 7), "health": (7, 0)}),
    "market": (28, 0, {"party": (14, 0)}),
    "school": (10, 0, {}),
}


def build() -> Scenario:
    rng = random.Random(SEED)
    names = NameMaker(rng)
    posts = [
        Post(id=pid, name=LocalizedText(zh=zh, en=en), location=loc, shifts=shifts(pattern))
        for pid, zh, en, loc, pattern, *_ in POSTS
    ]
    people: list[Person] = []
    home: dict[str, list[Person]] = {}

    def add(home_post: str | None, person_roles: list[str], allowed: list[str], **kw: Any) -> Person:
        pid, name = names.make()
        person = Person(id=pid, name=name, roles=person_roles, posts=allowed, **kw)
        people.append(person)
        if home_post is not None:
            home.setdefault(home_post, []).append(person)
        return person

    # screening team members: 10 of each role, also allowed at one nearby post
    for role, extra, near in (
        ("secretary", ["party"], ["g1", "g2", "g3", "g4"]),
        ("health", ["volunteer"], ["exit", "market"]),
        ("police", [], ["exit", "park"]),
    ):
        for k in range(10):
            add(None, [role, *extra], ["screening", near[k % len(near)]])

    # post people: quota role holders first (no restrictions), then a mix with individual situations
    for pid, _zh, _en, _loc, _pattern, neighbours, count, (quota_role, quota) in POSTS:
        for k in range(count):
            allowed = [pid, *[n for n in neighbours if rng.random() < 0.35][:2]]
            if k < quota:
                person_roles = (
                    [quota_role] if quota_role == "security" else rng.choice((["party"], ["party", "volunteer"]))
                )
            elif pid == "exit" and k < quota + 4:
                person_roles = ["health", "volunteer"]
            else:
                person_roles = rng.choice((["volunteer"], ["volunteer"], ["party"], ["party", "volunteer"]))
            kw: dict[str, Any] = {}
            if k >= quota and rng.random() < 0.15:
                kw["limits"] = PersonLimits(max_hours_per_week=rng.choice((24, 32, 40)))
            if rng.random() < 0.15:
                kw["preferences"] = [random_preference(rng, pid)]
            add(pid, person_roles, allowed, **kw)

    # individual situations: replace a few non-quota people's details
    def situation(post: str, index: int, **kw: Any) -> str:
        old = home[post][index]
        new = old.model_copy(update=kw)
        home[post][index] = new
        people[people.index(old)] = new
        return new.id

    bus = situation(
        "g2", 8, limits=PersonLimits(nights_allowed=False),
        availability=[WeeklyWindow(days=list(ALL_WEEKDAYS), start=hhmm(7), end=hhmm(17))],
    )  # fmt: skip
    carer = situation(
        "market", 7, limits=PersonLimits(max_hours_per_week=16, nights_allowed=False),
        availability=[WeeklyWindow(days=[Weekday.MON, Weekday.WED, Weekday.FRI], start=hhmm(6), end=hhmm(14))],
    )  # fmt: skip
    surgery = situation(
        "g1", 9, absences=[Absence(date=START + dt.timedelta(days=1), reason="亲属手术，医院陪护 / relative's surgery")]
    )
    dentist = situation(
        "park", 10, absences=[Absence(date=START + dt.timedelta(days=3), start=hhmm(9), end=hhmm(12),
                                      reason="看牙 / dentist")],
    )  # fmt: skip
    trip = situation(
        "g3", 10, absences=[Absence(date=START + dt.timedelta(days=4), until=START + dt.timedelta(days=6),
                                    reason="外出务工返乡 / trip to fetch a relative")],
    )  # fmt: skip
    student = situation(
        "g1", 10, limits=PersonLimits(max_hours_per_week=16),
        availability=[WeeklyWindow(days=[Weekday.SAT, Weekday.SUN], start=hhmm(0), end=hhmm(24))],
    )  # fmt: skip
    pregnant = situation("g4", 8, limits=PersonLimits(nights_allowed=False, max_hours_per_week=24))
    night_owl = situation("park", 11, preferences=[Preference(kind=PreferenceKind.WANTS, nights=True, weight=2)])
    far_away = situation("g4", 9, meal_minutes=75)  # lives in the hills: 25 minutes each way
    across = situation("school", 1, meal_minutes=60)
    for k in (2, 3, 4):
        situation("school", k, availability=[WeeklyWindow(days=WEEKDAYS, start=hhmm(7), end=hhmm(15))])
    parent_a, parent_b = home["g3"][7].id, home["g3"][8].id
    newcomer, mentor = home["exit"][12].id, home["exit"][0].id
    banned = home["market"][8].id
    # named above for readability only
    del bus, carer, surgery, dentist, trip, student, pregnant, night_owl, far_away, across

    secretaries = [p for p in people if "secretary" in p.roles]
    history: list[PastAssignment] = []
    sunday = dt.datetime.combine(START - dt.timedelta(days=1), dt.time())
    for person, post, begin, hours, night in (
        (home["g1"][0], "g1", 0, 8, True),
        (home["g2"][0], "g2", 16, 8, False),
        (home["park"][0], "park", 20, 12, True),
        (home["park"][1], "park", 20, 12, True),
        (home["exit"][0], "exit", 20, 12, True),
        (secretaries[0], "screening", 9, 13, False),
        (secretaries[1], "screening", 9, 13, False),
    ):
        start = sunday + dt.timedelta(hours=begin)
        history.append(PastAssignment(person=person.id, start=start, end=start + dt.timedelta(hours=hours),
                                      post=post, night=night))  # fmt: skip

    return Scenario(
        community="东湖街道网格化卡口 / Donghu subdistrict grid checkpoints",
        timezone="Asia/Shanghai",
        start=START,
        days=DAYS,
        night_window=TimeWindow(start=hhmm(0), end=hhmm(6)),
        coordinator="东湖街道办 027-0000-0000",
        roles=roles(),
        posts=posts,
        team_duties=[
            TeamDuty(
                id="screening",
                name=LocalizedText(zh="入户排查小组", en="Screening teams"),
                location="东湖街道办 / subdistrict office",
                window=TimeWindow(start=hhmm(9), end=hhmm(22)),
                roles=["secretary", "health", "police"],
                teams=2,
            )
        ],
        people=people,
        default_limits=PersonLimits(
            max_hours_per_week=WEEK_HOURS, max_consecutive_days=6, min_rest_hours=12, max_nights_per_week=3
        ),
        coverage=coverage(),
        successions=[Succession.model_validate({"from": "n", "to": "d", "post": g}) for g in ("g1", "g2", "g3")],
        pairs=[
            PairRule(kind=PairKind.APART, people=(parent_a, parent_b)),
            PairRule(kind=PairKind.TOGETHER, people=(newcomer, mentor), weight=10),
        ],
        pins=[Pin(person=secretaries[2].id, date=START, post="screening", role="secretary")],
        bans=[Ban(person=banned, date=START + dt.timedelta(days=5), post="market")],
        history=history,
        meal_rules=meal_rules(),
    )


def meal_rules() -> list[MealRule]:
    """Breaks to eat at home, in turns: at group 4's 12-hour day shift (lunch and dinner) and at the school run."""
    lunch = MealWindow(name=LocalizedText(zh="午饭", en="Lunch"), start=hhmm(11), end=hhmm(13, 30))
    dinner = MealWindow(name=LocalizedText(zh="晚饭", en="Dinner"), start=hhmm(17), end=hhmm(19, 30))
    return [
        MealRule(post="g4", windows=[lunch, dinner], max_away=1, scarce_roles=["party"], late_cost=1),
        MealRule(post="school", windows=[lunch], minutes=40, grid_minutes=10, max_away=1),
    ]


def random_preference(rng: random.Random, post: str) -> Preference:
    kind = rng.randrange(4)
    weight = rng.randint(1, 4)
    if kind == 0:
        return Preference(kind=PreferenceKind.AVOIDS, weekday=rng.choice(ALL_WEEKDAYS), weight=weight)
    if kind == 1:
        return Preference(kind=PreferenceKind.WANTS, weekday=rng.choice(ALL_WEEKDAYS), weight=weight)
    if kind == 2:
        return Preference(
            kind=PreferenceKind.AVOIDS, date=START + dt.timedelta(days=rng.randrange(DAYS)), weight=weight
        )
    return Preference(kind=PreferenceKind.AVOIDS, nights=True, weight=weight)


def arithmetic(scenario: Scenario) -> list[str]:
    lines = [
        "CAPACITY ARITHMETIC (computed by make_grid.py from the data below; 7-day week)",
        "Supply counts only each post's home people (its first listed post), each capped by 48 h/week",
        "(6 eight-hour or 4 twelve-hour shifts), 6 days, 3 nights, and only the shifts their availability,",
        "absences and night permission allow. Neighbouring posts and the screening members' spare hours are extra.",
        "",
        "post    demand shifts (nights) | home people  supply shifts (nights)  ratio | role: demand -> supply",
    ]
    total_demand = total_supply = 0
    for post in scenario.posts:
        need, need_night, role_need = DEMAND[post.id]
        members = [p for p in scenario.people if p.posts and p.posts[0] == post.id]
        night = {s.id for s in post.shifts if scenario.is_night(s)}
        (supply,) = weekly_supply(members, post, scenario.start, scenario.days, night, WEEK_HOURS)
        total_demand += need * (post.shifts[0].minutes // 60)
        total_supply += supply.shifts * (post.shifts[0].minutes // 60)
        roles_text = []
        for role, (r_need, r_night) in role_need.items():
            holders = [p for p in members if role in p.roles]
            (r_supply,) = weekly_supply(holders, post, scenario.start, scenario.days, night, WEEK_HOURS)
            if r_supply.shifts < 2 * r_need or r_supply.nights < 2 * r_night:
                print("LOW", post.id, role, r_supply)
            roles_text.append(f"{role} {r_need} ({r_night}) -> {r_supply.shifts} ({r_supply.nights})")
        if supply.shifts < 2 * need or supply.nights < 2 * need_night:
            print("LOW", post.id, supply)
        lines.append(
            f"{post.id:<7} {need:>6} ({need_night:>2})          | {len(members):>4}  "
            f"{supply.shifts:>14} ({supply.nights:>2})  {supply.shifts / need:>10.1f}x | " + "; ".join(roles_text)
        )
    duty = scenario.team_duties[0]
    per_role_need = duty.teams * DAYS
    lines += [
        f"all posts: {total_demand} person-hours needed, {total_supply} supplied by home people "
        f"({total_supply / total_demand:.1f}x)",
        "",
        f"Screening: {duty.teams} teams x 3 roles daily 09:00-22:00 (13 h): {per_role_need} duties per role a week,",
        f"{3 * per_role_need * 13} person-hours. 48 h/week allows 3 duties (39 h) per person, and 12 h rest",
        "forbids two days in a row (22:00 -> 09:00 is 11 h), so at most 4 anyway.",
    ]
    for role in duty.roles:
        holders = [p for p in scenario.people if role in p.roles and p.posts and "screening" in p.posts]
        lines.append(
            f"  {role:<9}: {len(holders)} people x 3 = {3 * len(holders)} duties >= {per_role_need} "
            f"({3 * len(holders) / per_role_need:.1f}x)"
        )
        assert 3 * len(holders) >= 2 * per_role_need
    hours = sum(min(WEEK_HOURS, (p.limits.max_hours_per_week or WEEK_HOURS)) for p in scenario.people if p.active)
    lines += [
        f"Everyone together: {len(scenario.people)} people, at most {hours:.0f} person-hours a week; needed "
        f"{total_demand + 3 * per_role_need * 13} ({hours / (total_demand + 3 * per_role_need * 13):.1f}x).",
        "",
        "Situations: a bus commuter (no nights, 07:00-17:00), a carer (Mon/Wed/Fri 06:00-14:00, 16 h), a relative's",
        "surgery on Tue 2026-12-08, a dentist Thu 09:00-12:00, a trip Fri-Sun, a student (weekends only), a pregnant",
        "member (no nights, 24 h), school-run parents (weekdays 07:00-15:00), parents of one child kept apart, a",
        "newcomer paired with an experienced member, a night-owl, a pinned secretary, a ban, Sunday's history.",
    ]
    return lines


def plain(value: Any) -> Any:
    """Model dump -> YAML-friendly values (enums to strings, tuples to lists), keeping dates as dates."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


class _Dumper(yaml.SafeDumper):
    """No anchors or aliases; clock times always quoted."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if re.fullmatch(r"\d{1,2}:\d{2}", value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.isoformat(), style='"')


_Dumper.add_representer(str, _str)
_Dumper.add_representer(dt.datetime, _datetime)


def main() -> None:
    scenario = build()
    dumped = plain(scenario.model_dump(mode="python", exclude_defaults=True, by_alias=True))
    explicit = plain(scenario.model_dump(mode="python", include={"timezone", "days", "night_window"}))
    data = {"community": dumped.pop("community"), "timezone": explicit["timezone"], "start": dumped.pop("start"),
            "days": explicit["days"], "night_window": explicit["night_window"]}  # fmt: skip
    dumped.pop("night_window", None)
    data.update(dumped)
    header = "\n".join(f"# {line}".rstrip() for line in arithmetic(scenario))
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
    intro = (
        "# 东湖街道 · eight grid posts, one week from Mon 2026-12-07 (Asia/Shanghai). Fictional people.\n"
        "# GENERATED by examples/make_grid.py (seeded): edit the script, not this file.\n#\n"
    )
    OUT.write_text(intro + header + "\n\n" + body, encoding="utf-8")
    print(f"wrote {OUT} ({len(scenario.people)} people)")


if __name__ == "__main__":
    main()

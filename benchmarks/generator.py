"""Synthetic communities for benchmarks and property-based tests.

`generate(people, posts, days, seed)` builds a community in the style of `examples/grid.yaml`: grid posts
with 8-hour (00/08/16) or 12-hour (08/20) shift patterns, each person restricted to their home post and up to
two neighbouring posts (so the model stays sparse), a daily screening duty, roles, some unavailability,
preferences, pairs, bans and history.

Capacity arithmetic (why every generated scenario is feasible by a wide margin):

* Screening: `teams` = max(1, people // 300) teams a day, 13 h each. With 40 h a week a person does at most
  3 duties (39 h); 12 h rest forbids two days in a row. Each screening role gets ceil(2.5 × 7 × teams / 3)
  unrestricted people who do nothing else, so the supply is >= 2.5 × the need.
* Posts: the remaining people are split evenly over the posts as home people (at least 16 a post). A person's
  weekly supply at the home post is the number of shift instances they are eligible for in their worst week,
  capped by 40 h (5 eight-hour or 3 twelve-hour shifts) and 3 nights. The day and night minimums of a post are
  the largest with supply >= 2.5 × demand (all shifts) and night supply >= 2.5 × night demand. Neighbouring
  posts are extra freedom, not counted.
* Roles: an 8-hour post needs one party member on each day shift (14 a week): its first 7 home people are
  unrestricted party members (35 shifts). A 12-hour post needs one security officer on every shift (14 a week,
  7 of them nights): its first 12 home people are unrestricted security officers (36 shifts, 36 nights).
* Restrictions (no nights, weekdays only, 16 h a week, 1–3 days of absence, a ban, an apart pair) only go to
  the other home people, and are already in the supply count. History is a night shift on the day before the
  period, which only blocks the first day's early shifts.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.names import NameMaker, hhmm, roles
from scheduler import (
    ALL_WEEKDAYS,
    MINUTES_PER_DAY,
    Absence,
    Ban,
    CoverageRule,
    LocalizedText,
    PairKind,
    PairRule,
    PastAssignment,
    Person,
    PersonLimits,
    Pin,
    Post,
    Preference,
    PreferenceKind,
    Scenario,
    ShiftTemplate,
    TeamDuty,
    TimeWindow,
    Weekday,
    WeeklyWindow,
)

START = dt.date(2026, 12, 7)
"""Every generated period starts on this Monday."""

MARGIN = 2.5
"""Supply is at least this many times the demand, for every post, role and the screening duty."""

MIN_PEOPLE_PER_POST = 16
WEEKLY_HOURS = 40
NIGHTS_PER_WEEK = 3
PARTY_QUOTA = 7
SECURITY_QUOTA = 12
SCREENING_ROLES = ("secretary", "health", "police")

# ------------------------------------------------------------------------------------------ eligibility


def _weekday(start: dt.date, day: int) -> Weekday:
    return Weekday.from_index((start + dt.timedelta(days=day)).weekday())


def _windows(person: Person, start: dt.date, days: int) -> list[tuple[int, int]] | None:
    """Availability as merged intervals in minutes from the period start (None: always available)."""
    if not person.availability:
        return None
    raw: list[tuple[int, int]] = []
    for day in range(-1, days + 1):
        weekday = _weekday(start, day)
        for w in person.availability:
            if weekday in w.days:
                end = w.end if w.end > w.start else w.end + MINUTES_PER_DAY
                raw.append((day * MINUTES_PER_DAY + w.start, day * MINUTES_PER_DAY + end))
    raw.sort()
    merged: list[tuple[int, int]] = []
    for a, b in raw:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _absent(person: Person, start: dt.date) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a in person.absences:
        day = a.date
        while day <= (a.until or a.date):
            base = (day - start).days * MINUTES_PER_DAY
            if a.start is None or a.end is None:
                out.append((base, base + MINUTES_PER_DAY))
            else:
                out.append((base + a.start, base + a.end))
            day += dt.timedelta(days=1)
    return out


def available(person: Person, start: dt.date, days: int, begin: int, end: int, night: bool) -> bool:
    """Whether the person may work [begin, end) (minutes from the period start), ignoring bans and limits."""
    return _Calendar(person, start, days).free(begin, end, night)


class _Calendar:
    """A person's availability and absences, computed once."""

    def __init__(self, person: Person, start: dt.date, days: int) -> None:
        self.active = person.active
        self.nights = person.limits.nights_allowed is not False
        self.windows = _windows(person, start, days)
        self.absent = _absent(person, start)

    def free(self, begin: int, end: int, night: bool) -> bool:
        if not self.active or (night and not self.nights):
            return False
        if self.windows is not None and not any(a <= begin and end <= b for a, b in self.windows):
            return False
        return not any(a < end and begin < b for a, b in self.absent)


@dataclass(frozen=True)
class Supply:
    """Shifts a group of people can give a post in one week block (and how many of them can be nights)."""

    days: int
    shifts: int
    nights: int


def weekly_supply(
    people: Sequence[Person],
    post: Post,
    start: dt.date,
    days: int,
    night: set[str],
    default_hours: float = WEEKLY_HOURS,
) -> list[Supply]:
    """Per week block: the people's eligible shift instances, capped by hours, 6 days and 3 nights each."""
    blocks: list[Supply] = []
    calendars = [_Calendar(person, start, days) for person in people]
    length = max(s.minutes for s in post.shifts) / 60
    for week in range(0, days, 7):
        week_days = min(7, days - week)
        total = nights = 0
        for person, calendar in zip(people, calendars, strict=True):
            hours = person.limits.max_hours_per_week or default_hours
            day_count = night_count = 0
            worked: set[int] = set()
            for day in range(week, week + week_days):
                for shift in post.shifts:
                    if _weekday(start, day) not in shift.days:
                        continue
                    begin = day * MINUTES_PER_DAY + shift.start
                    if calendar.free(begin, begin + shift.minutes, shift.id in night):
                        worked.add(day)
                        if shift.id in night:
                            night_count += 1
                        else:
                            day_count += 1
            cap = min(int(hours // length), 6, len(worked))
            night_cap = min(night_count, NIGHTS_PER_WEEK, cap)
            total += min(cap, day_count + night_cap)
            nights += night_cap
        blocks.append(Supply(week_days, total, nights))
    return blocks


# ------------------------------------------------------------------------------------------------ posts

_POST_KINDS: tuple[tuple[str, str], ...] = (
    ("村民小组卡口", "village group checkpoint"),
    ("小区卡口", "estate checkpoint"),
    ("物流园大门", "logistics park gate"),
    ("高速出口检查站", "expressway exit"),
    ("农贸市场入口", "market entrance"),
    ("工业园卡口", "industrial park checkpoint"),
)


def _shifts(pattern: str) -> list[ShiftTemplate]:
    if pattern == "8h":
        return [
            ShiftTemplate(id="n", name=LocalizedText(zh="夜班", en="Night"), start=hhmm(0), hours=8),
            ShiftTemplate(id="d", name=LocalizedText(zh="白班", en="Day"), start=hhmm(8), hours=8),
            ShiftTemplate(id="e", name=LocalizedText(zh="晚班", en="Evening"), start=hhmm(16), hours=8),
        ]
    return [
        ShiftTemplate(id="d", name=LocalizedText(zh="白班", en="Day"), start=hhmm(8), hours=12),
        ShiftTemplate(id="n", name=LocalizedText(zh="夜班", en="Night"), start=hhmm(20), hours=12),
    ]


def _coverage(post: Post, pattern: str, day_min: int, night_min: int) -> list[CoverageRule]:
    if pattern == "8h":
        return [
            CoverageRule(post=post.id, window=TimeWindow(start=hhmm(8), end=hhmm(24)), min=day_min),
            CoverageRule(post=post.id, window=TimeWindow(start=hhmm(0), end=hhmm(8)), min=night_min),
            CoverageRule(post=post.id, window=TimeWindow(start=hhmm(8), end=hhmm(24)), role="party", min=1),
            CoverageRule(
                id=f"{post.id}-evening-peak",
                post=post.id,
                window=TimeWindow(start=hhmm(17), end=hhmm(20)),
                min=day_min + 1,
                min_cost=2,
            ),
        ]
    return [
        CoverageRule(post=post.id, window=TimeWindow(start=hhmm(8), end=hhmm(20)), min=day_min),
        CoverageRule(post=post.id, window=TimeWindow(start=hhmm(20), end=hhmm(8)), min=night_min),
        CoverageRule(post=post.id, role="security", min=1),
    ]


def _demand(pattern: str, day_min: int, night_min: int) -> tuple[int, int]:
    """(all shifts, night shifts) needed per 7-day week."""
    if pattern == "8h":
        return 7 * (night_min + 2 * day_min), 7 * night_min
    return 7 * (night_min + day_min), 7 * night_min


# ----------------------------------------------------------------------------------------------- people


def _restrict(rng: random.Random, kind: str, start: dt.date, days: int) -> dict[str, object]:
    """Fields for a person with an individual situation."""
    if kind == "no-nights":
        return {
            "limits": PersonLimits(nights_allowed=False),
            "availability": [WeeklyWindow(days=list(ALL_WEEKDAYS), start=hhmm(6), end=hhmm(24))],
        }
    if kind == "weekdays":
        return {"availability": [WeeklyWindow(days=list(ALL_WEEKDAYS[:5]), start=hhmm(0), end=hhmm(24))]}
    if kind == "part-time":
        return {"limits": PersonLimits(max_hours_per_week=16)}
    if kind == "absent":
        first = rng.randrange(days)
        length = rng.randint(1, 3)
        last = min(days - 1, first + length - 1)
        if rng.random() < 0.3:
            begin = rng.choice((8, 9, 13, 14))
            absence = Absence(
                date=start + dt.timedelta(days=first),
                start=hhmm(begin),
                end=hhmm(begin + rng.choice((3, 4))),
                reason="看病 / doctor's appointment",
            )
        else:
            absence = Absence(
                date=start + dt.timedelta(days=first),
                until=start + dt.timedelta(days=last) if last > first else None,
                reason=rng.choice(
                    ("家里有事 / family matters", "出差 / business trip", "亲属手术 / relative's surgery")
                ),
            )
        return {"absences": [absence]}
    return {}


def _preferences(rng: random.Random, post: Post, start: dt.date, days: int, nights_ok: bool) -> list[Preference]:
    choice = rng.randrange(5)
    weight = rng.randint(1, 5)
    date = start + dt.timedelta(days=rng.randrange(days))
    if choice == 0:
        return [Preference(kind=PreferenceKind.AVOIDS, weekday=rng.choice(ALL_WEEKDAYS), weight=weight)]
    if choice == 1:
        return [Preference(kind=PreferenceKind.WANTS, weekday=rng.choice(ALL_WEEKDAYS), weight=weight)]
    if choice == 2 and nights_ok:
        return [Preference(kind=PreferenceKind.AVOIDS, nights=True, weight=weight)]
    if choice == 3:
        shift = rng.choice(post.shifts).id
        return [Preference(kind=PreferenceKind.WANTS, date=date, shift=shift, post=post.id, weight=weight)]
    return [Preference(kind=PreferenceKind.AVOIDS, date=date, weight=weight)]


def generate(people: int, posts: int, days: int, seed: int) -> Scenario:
    """A synthetic community of `people` people and `posts` posts over `days` days, feasible by a wide margin.

    Raises ValueError when there are too few people for the posts (16 a post plus the screening team).
    """
    if posts < 1 or days < 1 or people < 1:
        raise ValueError("people, posts and days must be positive")
    rng = random.Random(seed)
    names = NameMaker(rng)
    teams = max(1, people // 300)
    per_role = math.ceil(MARGIN * 7 * teams / 3)
    post_people = people - 3 * per_role
    if post_people < MIN_PEOPLE_PER_POST * posts:
        raise ValueError(
            f"{people} people are too few: {3 * per_role} screen, and each of {posts} posts needs "
            f"{MIN_PEOPLE_PER_POST}; give at least {3 * per_role + MIN_PEOPLE_PER_POST * posts}"
        )

    post_list: list[Post] = []
    patterns: list[str] = []
    for i in range(posts):
        zh, en = _POST_KINDS[i % len(_POST_KINDS)]
        pattern = "12h" if rng.random() < 0.35 else "8h"
        patterns.append(pattern)
        post_list.append(
            Post(
                id=f"p{i + 1:02d}",
                name=LocalizedText(zh=f"{i + 1}号{zh}", en=f"{en.capitalize()} {i + 1}"),
                location=f"第{i + 1}网格 / grid {i + 1}",
                shifts=_shifts(pattern),
            )
        )
    duty = TeamDuty(
        id="screening",
        name=LocalizedText(zh="入户排查小组", en="Screening team"),
        window=TimeWindow(start=hhmm(9), end=hhmm(22)),
        roles=list(SCREENING_ROLES),
        teams=teams,
    )

    person_list: list[Person] = []
    for role in SCREENING_ROLES:
        extra = {"secretary": ["party"], "health": ["volunteer"], "police": []}[role]
        for _ in range(per_role):
            pid, name = names.make()
            person_list.append(Person(id=pid, name=name, roles=[role, *extra], posts=["screening"]))

    coverage: list[CoverageRule] = []
    home: dict[str, list[Person]] = {}
    flexible: dict[str, list[str]] = {}  # people with no individual situation, by post: for pairs and bans
    for i, post in enumerate(post_list):
        count = post_people // posts + (1 if i < post_people % posts else 0)
        night = {s.id for s in post.shifts if s.start < 6 * 60 or s.start + s.minutes > 24 * 60}
        members: list[Person] = []
        for k in range(count):
            pid, name = names.make()
            neighbours = [post_list[(i + d) % posts].id for d in (1, -1) if posts > 1 and rng.random() < 0.4]
            allowed = list(dict.fromkeys([post.id, *neighbours]))
            fields: dict[str, object]
            if patterns[i] == "8h" and k < PARTY_QUOTA:
                person_roles, fields = ["party"], {}
            elif patterns[i] == "12h" and k < SECURITY_QUOTA:
                person_roles, fields = ["security"], {}
            else:
                person_roles = rng.choice((["party"], ["volunteer"], ["party", "volunteer"], ["volunteer"]))
                kind = rng.choices(
                    ("none", "no-nights", "weekdays", "part-time", "absent"), weights=(60, 10, 10, 10, 10)
                )[0]
                fields = _restrict(rng, kind, START, days)
                if kind == "none":
                    flexible.setdefault(post.id, []).append(pid)
            limits = fields.get("limits", PersonLimits())
            assert isinstance(limits, PersonLimits)
            availability = fields.get("availability", [])
            absences = fields.get("absences", [])
            assert isinstance(availability, list) and isinstance(absences, list)
            prefs = (
                _preferences(rng, post, START, days, limits.nights_allowed is not False) if rng.random() < 0.15 else []
            )
            members.append(
                Person(
                    id=pid,
                    name=name,
                    roles=person_roles,
                    posts=allowed,
                    limits=limits,
                    availability=availability,
                    absences=absences,
                    preferences=prefs,
                )
            )
        home[post.id] = members
        person_list.extend(members)

        blocks = weekly_supply(members, post, START, days, night)
        best: tuple[int, int] | None = None
        for day_min in range(1, 10):
            night_min = max(1, day_min // 2)
            need, need_night = _demand(patterns[i], day_min, night_min)
            if all(
                b.shifts >= MARGIN * need * b.days / 7 and b.nights >= MARGIN * need_night * b.days / 7 for b in blocks
            ):
                best = (day_min, night_min)
        if best is None:
            raise RuntimeError(f"post {post.id}: supply {blocks} below the minimum demand (a generator bug)")
        coverage.extend(_coverage(post, patterns[i], *best))

    # pairs: parents who must not be on duty together; a newcomer with an experienced colleague
    pairs: list[PairRule] = []
    post_ids = sorted(flexible)
    for _ in range(max(1, people // 200)):
        post_id = rng.choice(post_ids)
        if len(flexible[post_id]) >= 2:
            a, b = rng.sample(flexible[post_id], 2)
            flexible[post_id] = [p for p in flexible[post_id] if p not in (a, b)]
            pairs.append(PairRule(kind=PairKind.APART, people=(a, b)))
    for _ in range(max(1, people // 200)):
        post_id = rng.choice(post_ids)
        if flexible[post_id]:
            newcomer = flexible[post_id].pop()
            mentor = home[post_id][0].id
            pairs.append(PairRule(kind=PairKind.TOGETHER, people=(newcomer, mentor), weight=10))

    bans: list[Ban] = []
    for _ in range(max(1, people // 100)):
        post_id = rng.choice(post_ids)
        if flexible[post_id]:
            bans.append(
                Ban(
                    person=flexible[post_id].pop(),
                    date=START + dt.timedelta(days=rng.randrange(days)),
                    post=post_id,
                )
            )

    history: list[PastAssignment] = []
    before = dt.datetime.combine(START - dt.timedelta(days=1), dt.time())
    for post in post_list:
        for person in home[post.id][: max(1, len(home[post.id]) // 20)]:
            night_shift = next(s for s in post.shifts if s.id == "n")
            begin = before + dt.timedelta(minutes=night_shift.start)
            history.append(
                PastAssignment(
                    person=person.id,
                    start=begin,
                    end=begin + dt.timedelta(minutes=night_shift.minutes),
                    post=post.id,
                    night=True,
                )
            )

    return Scenario(
        community=f"合成社区 {seed} / synthetic community {seed}",
        start=START,
        days=days,
        night_window=TimeWindow(start=hhmm(0), end=hhmm(6)),
        roles=roles(),
        posts=post_list,
        team_duties=[duty],
        people=person_list,
        default_limits=PersonLimits(
            max_hours_per_week=WEEKLY_HOURS,
            max_consecutive_days=6,
            min_rest_hours=12,
            max_nights_per_week=NIGHTS_PER_WEEK,
        ),
        coverage=coverage,
        pairs=pairs,
        bans=bans,
        history=history,
    )


def generate_small(seed: int) -> Scenario:
    """A tiny random scenario (2–6 people, 1 post, 1–3 days) for property-based tests; may be infeasible."""
    rng = random.Random(seed)
    names = NameMaker(rng)
    days = rng.randint(1, 3)
    pattern = rng.choice(("8h", "12h", "day"))
    shifts = (
        _shifts(pattern)
        if pattern != "day"
        else [ShiftTemplate(id="d", start=hhmm(rng.choice((7, 8, 9))), hours=rng.choice((4, 6, 8)))]
    )
    post = Post(id="gate", name=LocalizedText(zh="卡口", en="Checkpoint"), shifts=shifts)
    role_ids = ["party", "volunteer", "security"]
    people: list[Person] = []
    for _ in range(rng.randint(2, 6)):
        pid, name = names.make()
        limits = PersonLimits(
            max_hours_per_week=rng.choice((None, 8, 16, 24, 40)),
            min_rest_hours=rng.choice((None, 8, 12)),
            nights_allowed=rng.choice((None, None, False)),
            max_consecutive_days=rng.choice((None, 1, 2)),
        )
        availability = (
            [
                WeeklyWindow(
                    days=list(ALL_WEEKDAYS),
                    start=hhmm(rng.choice((0, 6, 8))),
                    end=hhmm(rng.choice((16, 20, 24))),
                )
            ]
            if rng.random() < 0.3
            else []
        )
        absences = (
            [Absence(date=START + dt.timedelta(days=rng.randrange(days)), reason="有事 / busy")]
            if rng.random() < 0.2
            else []
        )
        preferences = (
            [Preference(kind=rng.choice(list(PreferenceKind)), date=START, weight=rng.randint(1, 5))]
            if rng.random() < 0.3
            else []
        )
        people.append(
            Person(
                id=pid,
                name=name,
                roles=rng.sample(role_ids, rng.randint(1, 2)),
                limits=limits,
                availability=availability,
                absences=absences,
                preferences=preferences,
            )
        )
    coverage = [CoverageRule(post="gate", min=rng.randint(0, 2))]
    if rng.random() < 0.5:
        coverage.append(CoverageRule(post="gate", role=rng.choice(role_ids), min=1, min_cost=rng.choice((None, 5))))
    if rng.random() < 0.3:
        coverage.append(
            CoverageRule(post="gate", shift=shifts[0].id, min=rng.randint(0, 2), max=2, max_cost=rng.choice((None, 3)))
        )
    duties: list[TeamDuty] = []
    if rng.random() < 0.2:
        duties.append(
            TeamDuty(
                id="screening",
                name=LocalizedText(zh="排查", en="Screening"),
                window=TimeWindow(start=hhmm(9), end=hhmm(rng.choice((13, 17)))),
                roles=["party", "volunteer"],
            )
        )
    pairs: list[PairRule] = []
    if len(people) >= 3 and rng.random() < 0.4:
        a, b = rng.sample([p.id for p in people], 2)
        pairs.append(PairRule(kind=rng.choice(list(PairKind)), people=(a, b)))
    pins: list[Pin] = []
    if rng.random() < 0.2:
        pins.append(
            Pin(
                person=rng.choice(people).id,
                date=START + dt.timedelta(days=rng.randrange(days)),
                post="gate",
                shift=rng.choice(shifts).id,
            )
        )
    bans: list[Ban] = []
    if rng.random() < 0.2:
        bans.append(Ban(person=rng.choice(people).id, date=START, post="gate"))
    history: list[PastAssignment] = []
    if rng.random() < 0.3:
        end = dt.datetime.combine(START, dt.time()) - dt.timedelta(hours=rng.choice((0, 4)))
        history.append(PastAssignment(person=people[0].id, start=end - dt.timedelta(hours=8), end=end, post="gate"))
    return Scenario(
        community=f"小社区 {seed} / small community {seed}",
        start=START,
        days=days,
        night_window=TimeWindow(start=hhmm(0), end=hhmm(6)),
        roles=roles(),
        posts=[post],
        team_duties=duties,
        people=people,
        default_limits=PersonLimits(
            min_rest_hours=rng.choice((None, 8, 12)), max_nights_per_week=rng.choice((None, 1))
        ),
        coverage=coverage,
        pairs=pairs,
        pins=pins,
        bans=bans,
        history=history,
    )

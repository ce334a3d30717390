"""The cheap arguments of an explanation, tried before any solver: counting by role, and meal rules that cannot hold.

Counting by role: over the period, the hard rules need a number of shifts filled in a role (coverage minimums of
the role, raised where meal breaks need a second person to relieve the first, and team duties); the people holding
the role can work at most so many (their weekly and total limits, availability, one shift after another with the
rest between). When the need is larger, no rota exists, and the gap in shifts divided by what one more person of
the role could work is the fewest extra people that close the count.

A meal rule cannot hold, whatever the staffing, when the people who must be on a shift (coverage, plus at least one
to be away) cannot all take their breaks inside the window with at most `max_away` (or one of a scarce role) away
at once. The fix is in the rule, never in more people.

Both are lower bounds on what the rules need and upper bounds on what people can give, so what they say is true;
they may miss a cause (the elastic model then looks further). Everything is sorted: the same input gives the same
words.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass

from scheduler.domain.explanation import Capacity, Headline, Suggestion
from scheduler.domain.messages import Message, Param
from scheduler.domain.people import Person
from scheduler.model.constraints.coverage import coverage_needs
from scheduler.model.timeline import Instances, MealOccurrence, PersonInfo, ShiftInstance, occurrences
from scheduler.reports.catalogue import Words

NEW_PERSON = "new-person"
EPS = 1e-9


@dataclass(frozen=True)
class Need:
    """People of one role one shift instance needs, and whether meal relief raised it."""

    count: int
    meal: bool


@dataclass(frozen=True)
class Contradiction:
    """A meal rule that cannot hold on a shift, whatever the staffing."""

    place: str
    template: str | None
    role: str | None
    """The scarce role concerned, or None for the rule's max_away."""
    occurrence: MealOccurrence
    stay: int
    people: int
    length: int
    lanes: int


# ---------------------------------------------------------------------------------------------- demand


def _pieces(instances: Instances) -> dict[tuple[str | None, int], list[tuple[int, int, int]]]:
    """Hard minimum pieces each falling on one shift instance: (role, shift) -> [(start, end, min)]."""
    pieces: dict[tuple[str | None, int], list[tuple[int, int, int]]] = defaultdict(list)
    for need in coverage_needs(instances, relaxed=True):
        if need.hard_min and len(need.shifts) == 1:
            pieces[(need.role, need.shifts[0])].append((need.start, need.end, need.rule.min))
    return pieces


def _least_over(pieces: list[tuple[int, int, int]], start: int, end: int) -> int:
    """The least, over the minutes of [start, end), of the largest minimum of a piece covering the minute."""
    cuts = sorted({start, end, *(p[0] for p in pieces if start < p[0] < end), *(p[1] for p in pieces
                                                                                 if start < p[1] < end)})
    least = None
    for a, b in itertools.pairwise(cuts):
        here = max((m for s, e, m in pieces if s <= a and b <= e), default=0)
        least = here if least is None else min(least, here)
    return least or 0


def _per_lane(window: int, length: int, grid: int) -> int:
    """Breaks of `length` one after another in a window, each starting on the grid."""
    return 1 + (window - length) // (-(-length // grid) * grid)


def _fewest_on(stay: int, lanes_cap: int | None, per_lane: int) -> int | None:
    """Fewest people on the shift so that `stay` remain at every minute and all eat in turns; None: impossible."""
    if per_lane < 1:
        return None
    top = stay + lanes_cap if lanes_cap is not None else stay * per_lane + 1
    for people in range(stay + 1, top + 1):
        lanes = people - stay if lanes_cap is None else min(lanes_cap, people - stay)
        if lanes * per_lane >= people:
            return people
    return None


def _shortest_break(instances: Instances, shift: ShiftInstance, role: str | None, default: int) -> int:
    lengths = [
        info.person.meal_minutes for info in instances.people
        if info.person.meal_minutes is not None and (role is None or role in info.person.roles)
        and instances.block_reason(info, shift) is None
    ]
    return min([default, *lengths])


def demand(instances: Instances) -> tuple[dict[str | None, dict[int, Need]], list[Contradiction]]:
    """Per role (None: people in general), the people each shift instance needs; and the meal rules that fail."""
    pieces = _pieces(instances)
    needs: dict[str | None, dict[int, Need]] = defaultdict(dict)
    contradictions: list[Contradiction] = []
    for (role, index), parts in sorted(pieces.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        shift = instances.shifts[index]
        count, meal = max(m for _, _, m in parts), False
        for occurrence in occurrences(instances, shift):
            stay = _least_over(parts, occurrence.start, occurrence.end)
            if stay < 1:
                continue
            rule = occurrence.rule
            scarce = role is not None and role in rule.scarce_roles
            cap = 1 if scarce else rule.max_away
            length = _shortest_break(instances, shift, role, rule.minutes)
            fewest = _fewest_on(stay, cap, _per_lane(occurrence.end - occurrence.start, length, rule.grid_minutes))
            if fewest is None:
                if cap is not None:
                    contradictions.append(Contradiction(
                        shift.place, shift.template, role if scarce else None, occurrence, stay, stay + 1, length, cap
                    ))
                continue
            if fewest > count:
                count, meal = fewest, True
        needs[role][index] = Need(count, meal)
    for duty in instances.scenario.team_duties:
        for shift in instances.shifts:
            if shift.place == duty.id:
                for role in duty.roles:
                    needs[role][shift.index] = Need(max(duty.teams, needs[role].get(shift.index, Need(0, False))
                                                        .count), False)
    return dict(needs), contradictions


# ---------------------------------------------------------------------------------------------- supply


def _max_days(usable: list[bool], run_before: int, max_run: int | None) -> int:
    """Most usable days worked with at most `max_run` in a row (a run before the period counts)."""
    run, worked = run_before, 0
    for ok in usable:
        if ok and (max_run is None or run < max_run):
            run, worked = run + 1, worked + 1
        else:
            run = 0
    return worked


def _run_before(info: PersonInfo) -> int:
    run = 0
    while -(run + 1) in info.history_days:
        run += 1
    return run


def most_shifts(instances: Instances, info: PersonInfo, shifts: list[ShiftInstance], nights: bool = False) -> int:
    """Most of `shifts` (nights only with `nights`) the person can work over the period: an upper bound."""
    return capacity(instances, info, shifts, nights)[0]


Limit = tuple[str, dict[str, Param]]
"""What bounds a person's count: 'free' (the shifts they may take, one after another), 'week_shifts',
'week_hours', 'week_nights', 'total_hours' or 'consecutive', with the limit's value."""


def capacity(
    instances: Instances, info: PersonInfo, shifts: list[ShiftInstance], nights: bool = False
) -> tuple[int, Limit]:
    """`most_shifts`, and the limit that bounds it (the first that cuts, in the order above)."""
    limits = info.limits
    mine = [s for s in shifts if instances.block_reason(info, s) is None and (not nights or s.night)]
    if not mine:
        return 0, ("free", {})
    rest = round((limits.min_rest_hours or 0) * 60)
    by_day: dict[int, list[ShiftInstance]] = defaultdict(list)
    for shift in mine:
        by_day[shift.day].append(shift)
    daily: dict[int, int] = {}
    for day, items in by_day.items():
        taken, last_end = 0, None
        for shift in sorted(items, key=lambda s: (s.end, s.start)):
            if last_end is None or shift.start >= last_end + rest:
                taken, last_end = taken + 1, shift.end
        daily[day] = taken
    total = 0
    bound: Limit = ("free", {})
    for week in sorted({s.week for s in mine}):
        in_week = [s for s in mine if s.week == week]
        cap = sum(n for d, n in daily.items() if d // 7 == week)
        cuts: list[tuple[int, Limit]] = []
        if limits.max_shifts_per_week is not None:
            cuts.append((limits.max_shifts_per_week, ("week_shifts", {"limit": limits.max_shifts_per_week})))
        if limits.max_hours_per_week is not None:
            most = math.floor(limits.max_hours_per_week * 60 / min(s.minutes for s in in_week) + EPS)
            cuts.append((most, ("week_hours", {"limit_minutes": round(limits.max_hours_per_week * 60)})))
        if nights and limits.max_nights_per_week is not None:
            cuts.append((limits.max_nights_per_week, ("week_nights", {"limit": limits.max_nights_per_week})))
        for most, limit in cuts:
            if most < cap:
                cap = most
                bound = limit if bound[0] == "free" else bound
        total += cap
    if limits.max_hours_total is not None:
        most = math.floor(limits.max_hours_total * 60 / min(s.minutes for s in mine) + EPS)
        if most < total:
            total, bound = most, ("total_hours", {"limit_minutes": round(limits.max_hours_total * 60)})
    if max(daily.values()) <= 1 and limits.max_consecutive_days is not None:
        usable = [daily.get(day, 0) > 0 for day in range(instances.scenario.days)]
        most = _max_days(usable, _run_before(info), limits.max_consecutive_days)
        if most < total:
            total, bound = most, ("consecutive", {"limit": limits.max_consecutive_days})
    return total, bound


def capacities(instances: Instances, role: str | None, shifts: list[ShiftInstance], nights: bool) -> list[Capacity]:
    """Each holder of the role: the most they can work of the shifts, and why no more (in scenario order)."""
    english = Words(instances.scenario, "en")
    found = []
    for info in _holders(instances, role):
        most, (limit, params) = capacity(instances, info, shifts, nights)
        code = "explain.most_none" if not most else f"explain.most_{limit}"
        said = Message(code=code, params={"person": info.id, "most": most, **params})
        found.append(Capacity(person=info.id, name=info.person.name, most=most, said=said,
                              message=english.render(said)))
    return found


def _holders(instances: Instances, role: str | None) -> list[PersonInfo]:
    return [i for i in instances.people if i.person.active and (role is None or role in i.person.roles)]


def _newcomer(instances: Instances, role: str) -> PersonInfo:
    """A person of the role with its limits, available at any time, allowed everywhere."""
    person = Person.model_validate({"id": NEW_PERSON, "name": NEW_PERSON, "roles": [role]})
    return instances._person_info(len(instances.people), person)


def _newcomer_most(instances: Instances, role: str | None, shifts: list[ShiftInstance], nights: bool) -> int:
    """Most one newcomer of the role could work; for people in general, a newcomer of the most useful role."""
    roles = [role] if role is not None else [r.id for r in instances.scenario.roles]
    return max((most_shifts(instances, _newcomer(instances, r), shifts, nights) for r in roles), default=0)


# ------------------------------------------------------------------------------------------------ words


@dataclass(frozen=True)
class Count:
    role: str | None
    nights: bool
    needed: int
    most: int
    people: int
    extra: int
    detail: list[Message]
    reduce: list[str]
    people_detail: list[Capacity]


def _group_detail(instances: Instances, needs: dict[int, Need], nights: bool) -> tuple[list[Message], list[str]]:
    """Clauses 'N on each X shift' by template, grouped by count; and the templates with the largest count."""
    by_template: dict[tuple[str, str | None], set[Need]] = defaultdict(set)
    order: dict[tuple[str, str | None], int] = {}
    for index, need in needs.items():
        shift = instances.shifts[index]
        if need.count and (not nights or shift.night):
            key = (shift.place, shift.template)
            by_template[key].add(need)
            order.setdefault(key, index)
    groups: dict[tuple[int, bool, bool], list[tuple[str, str | None]]] = defaultdict(list)
    for key in sorted(by_template, key=lambda k: order[k]):
        found = by_template[key]
        count = max(n.count for n in found)
        groups[(count, any(n.meal for n in found), len({n.count for n in found}) > 1)].append(key)
    named = _shift_names(instances)
    clauses: list[Message] = []
    for (count, meal, varies), keys in sorted(groups.items(), key=lambda kv: (kv[0][0], order[kv[1][0]])):
        templates = [named.get((p, t), t) for p, t in keys if t is not None]
        duties = [p for p, t in keys if t is None]
        if templates:
            code = "explain.need_up_to" if varies else "explain.need_meal" if meal else (
                "explain.need_each_one" if len(templates) == 1 else "explain.need_each")
            clauses.append(Message(code=code, params={"count": count, "each_shift": templates}))
        for place in duties:
            clauses.append(Message(code="explain.need_duty", params={"count": count, "place": place}))
    top = max(groups, key=lambda g: g[0]) if groups else None
    reduce = [named.get((p, t), t) for p, t in groups[top] if t is not None] if top is not None else []
    return clauses, reduce


def _shift_names(instances: Instances) -> dict[tuple[str, str], str]:
    """A shift's id where it has a name (the catalogue renders it), else its times ('08:00–16:00')."""
    return {(post.id, t.id): t.id if t.name is not None else t.label()
            for post in instances.scenario.posts for t in post.shifts}


def counts(instances: Instances, needs: dict[str | None, dict[int, Need]]) -> list[Count]:
    """Every role whose need over the period exceeds what its people can work (roles in scenario order)."""
    order = {role.id: i for i, role in enumerate(instances.scenario.roles)}
    found: list[Count] = []
    for role in sorted(needs, key=lambda r: (r is None, order.get(r or "", 0))):
        per_shift = needs[role]
        shifts = [instances.shifts[i] for i in sorted(per_shift) if per_shift[i].count]
        holders = _holders(instances, role)
        for nights in (False, True):
            wanted = [s for s in shifts if s.night or not nights]
            needed = sum(per_shift[s.index].count for s in wanted)
            if not needed:
                continue
            most = sum(most_shifts(instances, info, wanted, nights) for info in holders)
            if needed <= most:
                continue
            each = _newcomer_most(instances, role, wanted, nights)
            if not each:
                continue  # a newcomer of the role could not help: the elastic model looks further
            extra = math.ceil((needed - most) / each)
            detail, reduce = _group_detail(instances, per_shift, nights)
            found.append(Count(role, nights, needed, most, len(holders), extra, detail, reduce,
                               capacities(instances, role, wanted, nights)))
            break  # the nights are part of the whole: one headline per role
    return found


def count_headline(words: Words, count: Count) -> Headline:
    days = words.scenario.days if words.scenario is not None else 7
    kind = "nights" if count.nights else "role_count"
    period = "week" if days == 7 else "period"
    code = f"explain.{'all' if count.role is None else 'role'}_{'nights' if count.nights else 'short'}_{period}"
    params: dict[str, Param] = {
        "role": count.role, "needed": count.needed, "most": count.most, "people": count.people,
        "extra": count.extra, "days": days, "reduce_shift": count.reduce,
    }
    return _headline(words, kind, Message(code=code, params=params), count.detail, role=count.role,
                     needed=count.needed, most=count.most, extra_people=count.extra, people=count.people_detail)


def count_suggestion(words: Words, count: Count) -> Suggestion:
    code = ("explain.add_anyone" if count.role is None else "explain.add_people") + ("_nights" if count.nights else "")
    said = Message(code=code, params={"role": count.role, "extra": count.extra})
    return Suggestion(message=Words(words.scenario, "en").render(said), said=said, role=count.role,
                      extra_people=count.extra)


def contradiction_message(instances: Instances, contradiction: Contradiction) -> Message:
    occurrence = contradiction.occurrence
    template = contradiction.template
    named = _shift_names(instances).get((contradiction.place, template), template) if template else None
    params: dict[str, Param] = {
        "place": contradiction.place, "each_shift": [named] if named else [],
        "count": contradiction.people, "break_length": contradiction.length,
        "window_length": occurrence.end - occurrence.start, "stay": contradiction.stay,
        "meal": occurrence.window.label(), "max_away": contradiction.lanes, "role": contradiction.role,
    }
    code = "explain.meal_rule_scarce" if contradiction.role is not None else "explain.meal_rule_max_away"
    return Message(code=code, params=params)


def contradiction_fix(contradiction: Contradiction) -> Message:
    params: dict[str, Param] = {"place": contradiction.place, "meal": contradiction.occurrence.window.label(),
                                "role": contradiction.role}
    code = "explain.meal_rule_fix_scarce" if contradiction.role is not None else "explain.meal_rule_fix"
    return Message(code=code, params=params)


def distinct(contradictions: list[Contradiction]) -> list[Contradiction]:
    """One per rule, window, shift template, role and numbers: the first day's."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for item in sorted(contradictions, key=lambda c: (c.occurrence.start, c.place, c.role or "")):
        key = (item.place, item.template, item.role, item.occurrence.rule_index, item.occurrence.window_index,
               item.stay, item.length, item.lanes)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def contradiction_headline(instances: Instances, words: Words, contradiction: Contradiction) -> Headline:
    plain = contradiction_message(instances, contradiction)
    said = Message(code=f"{plain.code}_fix", params=plain.params)
    return _headline(words, "meal_rule", said, [contradiction_fix(contradiction)], role=contradiction.role,
                     place=contradiction.place)


def _headline(words: Words, kind: str, said: Message, detail: list[Message], **fields: object) -> Headline:
    english = Words(words.scenario, "en")
    draft = Headline.model_validate({"kind": kind, "said": said, "detail": detail, "message": "", **fields})
    return draft.model_copy(update={"message": draft.text(english)})

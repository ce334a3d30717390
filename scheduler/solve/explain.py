"""Explain, in the coordinator's terms, why no rota meets every hard rule, and what would fix it.

The arguments, cheapest first; the first that finds a cause ends the explanation:
1. Static checks, without a solver: a pin that contradicts the person's availability, or a post/role/time for
   which fewer qualified people exist at all than the rule needs.
2. Counting (scheduler.solve.explain_count), without a solver: meal rules that cannot hold whatever the staffing,
   and roles whose need over the period exceeds what their people can work. One headline per cause.
3. The elastic model: the same model with hard minimums (coverage and teams) allowed to fall short at a cost per
   missing person-minute. Its optimum is the smallest shortfall, which is both the diagnosis ("Gate, Tue
   00:00–08:00: 1 needed as security officer, 1 short") and the suggested fix ("1 more person as security officer
   for ..."). For every qualified person, the independent checker says what would break if they filled the gap.
4. If even the elastic model has no solution, the conflict lies elsewhere (pins against limits, minimum hours):
   dropping one rule family at a time finds which, and the checker names the concrete clashes.

Every text is a message (code and parameters) with its English rendering beside it; the same input gives the same
words (sorted, and a deterministic elastic solve).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.domain.explanation import Blocker, Explanation, Shortage, Suggestion
from scheduler.domain.messages import Message, Param
from scheduler.domain.rota import Assignment, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.model.build import build_model
from scheduler.model.constraints import REGISTRY, ConstraintFamily
from scheduler.model.constraints.coverage import SHORTFALL, Coverage, coverage_needs
from scheduler.model.constraints.meal_breaks import MealOccurrence, occurrences
from scheduler.model.constraints.pins import pinned_shift
from scheduler.model.constraints.teams import TeamComposition
from scheduler.model.timeline import Instances, PersonInfo, ShiftInstance
from scheduler.model.variables import ValueReader
from scheduler.reports.catalogue import Words
from scheduler.solve import explain_count
from scheduler.solve.settings import SolveSettings

MAX_SHORTAGES = 12
MAX_BLOCKERS = 12
ELASTIC_TIME_LIMIT = 60.0
ELASTIC_DETERMINISTIC_TIME = 10.0
"""The elastic model stops after this much deterministic work (the same on any machine), or the wall-clock limit."""
ELASTIC_WORKERS = 2


@dataclass(frozen=True)
class Gap:
    """A place, role and time span that is short by `short` people."""

    place: str
    role: str | None
    start: int
    end: int
    needed: int
    short: int
    no_shift: bool = False
    """No shift of the place runs then: more people cannot help, only another shift (or shift times) can."""


class Describer:
    """Turns gaps and shifts into messages, and those into the stored English."""

    def __init__(self, instances: Instances) -> None:
        self.instances = instances
        self.english = Words(instances.scenario, "en")

    def at(self, minute: int) -> str:
        return self.instances.timeline.at(minute).isoformat()

    def gap(self, gap: Gap) -> dict[str, Param]:
        return {"place": gap.place, "role": gap.role, "start": self.at(gap.start), "end": self.at(gap.end)}

    def shift(self, shift: ShiftInstance) -> dict[str, Param]:
        return {"place": shift.place, "shift": shift.template, "start": self.at(shift.start), "end": self.at(shift.end)}

    def say(self, code: str, **params: Param) -> tuple[str, Message]:
        message = Message(code=code, params=params)
        return self.english.render(message), message


def _merge_gaps(gaps: Iterable[Gap]) -> list[Gap]:
    """Join gaps of one place and role that follow each other with the same numbers."""
    merged: list[Gap] = []
    for gap in sorted(gaps, key=lambda g: (g.place, g.role or "", g.start)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.place, last.role, last.needed, last.short, last.no_shift)
            == (gap.place, gap.role, gap.needed, gap.short, gap.no_shift)
            and last.end == gap.start
        ):
            merged[-1] = Gap(last.place, last.role, last.start, gap.end, last.needed, last.short, last.no_shift)
        else:
            merged.append(gap)
    return sorted(merged, key=lambda g: (g.start, g.place))


def _holds(info: PersonInfo, role: str | None) -> bool:
    return info.person.active and (role is None or role in info.person.roles)


def _qualified(instances: Instances, shift: ShiftInstance, role: str | None) -> list[PersonInfo]:
    """People who hold the role and could take the shift as far as fixed facts go."""
    allowed = shift.roles
    return [
        info for info in instances.people
        if _holds(info, role) and (allowed is None or bool(allowed & set(info.person.roles)))
        and instances.block_reason(info, shift) is None
    ]


# ------------------------------------------------------------------------------------------ static


def _pin_conflicts(instances: Instances) -> list[tuple[str, Message]]:
    conflicts = []
    describe = Describer(instances)
    for pin in instances.scenario.pins:
        info = instances.by_id[pin.person]
        shift = pinned_shift(instances, pin)
        if shift is None:
            conflicts.append(describe.say("explain.pin_no_shift", person=info.id, place=pin.post, pin_shift=pin.shift,
                                          day=pin.date.isoformat()))
            continue
        reason = instances.block_reason(info, shift)
        if reason is not None:
            text, said = _block(reason, shift)
            if said is None:
                conflicts.append(describe.say("explain.pin_blocked", person=info.id, **describe.shift(shift),
                                              reason=text))
            else:
                code = said.code.replace("explain.blocked_", "explain.pin_")
                conflicts.append(describe.say(code, **{"person": info.id, **describe.shift(shift), **said.params}))
        elif pin.role is not None and pin.role not in info.person.roles:
            conflicts.append(describe.say("explain.pin_role", person=info.id, **describe.shift(shift), role=pin.role))
    return conflicts


def _static_gaps(instances: Instances) -> list[Gap]:
    gaps: list[Gap] = []
    qualified_cache: dict[tuple[int, str | None], set[int]] = {}

    def qualified(shift: int, role: str | None) -> set[int]:
        key = (shift, role)
        if key not in qualified_cache:
            qualified_cache[key] = {i.index for i in _qualified(instances, instances.shifts[shift], role)}
        return qualified_cache[key]

    for need in coverage_needs(instances):
        if not need.hard_min:
            continue
        people = set().union(*(qualified(s, need.role) for s in need.shifts)) if need.shifts else set()
        if len(people) < need.rule.min:
            short = need.rule.min - len(people)
            gaps.append(Gap(need.place, need.role, need.start, need.end, need.rule.min, short, not need.shifts))
    duties = {duty.id: duty for duty in instances.scenario.team_duties}
    for shift in instances.shifts:
        if shift.is_duty:
            for role in duties[shift.place].roles:
                found = len(qualified(shift.index, role))
                if found < duties[shift.place].teams:
                    teams = duties[shift.place].teams
                    gaps.append(Gap(shift.place, role, shift.start, shift.end, teams, teams - found))
    return _merge_gaps(gaps)


def _static_blockers(instances: Instances, gap: Gap) -> list[Blocker]:
    shifts = _shifts_in(instances, gap)
    blockers = []
    for info in instances.people:
        if not _holds(info, gap.role):
            continue
        reasons = dict(_block(r, s) for s in shifts if (r := instances.block_reason(info, s)) is not None)
        if reasons:
            blockers.append(_blocker(info, reasons))
    return blockers[:MAX_BLOCKERS]


def static_explanation(scenario: Scenario) -> Explanation | None:
    """Problems visible without solving anything, or None."""
    instances = Instances(scenario)
    conflicts = _pin_conflicts(instances)
    gaps = _static_gaps(instances)
    if not conflicts and not gaps:
        return None
    describe = Describer(instances)
    shortages = [_shortage(describe, gap, _static_blockers(instances, gap), "explain.short_static")
                 for gap in gaps[:MAX_SHORTAGES]]
    suggestions = [_suggestion(describe, gap) for gap in gaps[:MAX_SHORTAGES]]
    which = "both" if gaps and conflicts else "gaps" if gaps else "pins"
    summary, said = describe.say(f"explain.summary_static_{which}", gaps=len(gaps), pins=len(conflicts))
    return Explanation(
        summary=summary, summary_said=said, shortages=shortages, conflicts=[c[0] for c in conflicts],
        conflict_messages=[c[1] for c in conflicts], suggestions=suggestions,
    )


# ----------------------------------------------------------------------------------------- elastic


def _shifts_in(instances: Instances, gap: Gap) -> list[ShiftInstance]:
    return [s for s in instances.shifts if s.place == gap.place and s.start < gap.end and gap.start < s.end]


def _shortage(describe: Describer, gap: Gap, blockers: list[Blocker], code: str) -> Shortage:
    timeline = describe.instances.timeline
    message, said = describe.say(
        "explain.short_no_shift" if gap.no_shift else code, **describe.gap(gap), needed=gap.needed, short=gap.short
    )
    return Shortage(
        place=gap.place, role=gap.role, start=timeline.at(gap.start), end=timeline.at(gap.end), needed=gap.needed,
        short_by=gap.short, blockers=blockers, message=message, said=said,
    )


def _suggestion(describe: Describer, gap: Gap) -> Suggestion:
    timeline = describe.instances.timeline
    if gap.no_shift:
        # Typically a night given by hours across a clock change: an end time makes it follow the clock.
        message, said = describe.say("explain.shift_covering", **describe.gap(gap))
        return Suggestion(
            message=message, said=said, place=gap.place, role=gap.role, start=timeline.at(gap.start),
            end=timeline.at(gap.end), extra_people=0,
        )
    message, said = describe.say("explain.more_for", **describe.gap(gap), short=gap.short)
    return Suggestion(
        message=message, said=said, place=gap.place, role=gap.role, start=timeline.at(gap.start),
        end=timeline.at(gap.end), extra_people=gap.short,
    )


def _meal_shortage(
    describe: Describer, rota: Rota, gap: Gap
) -> tuple[tuple[str, Message], tuple[str, Message]] | None:
    """When a gap lies within a meal window of a shift that gets breaks there: (shortage, suggestion)."""
    instances = describe.instances
    timeline = instances.timeline
    found: list[tuple[ShiftInstance, MealOccurrence]] = [
        (shift, occurrence)
        for shift in _shifts_in(instances, gap)
        for occurrence in occurrences(instances, shift)
        if occurrence.start <= gap.start and gap.end <= occurrence.end
    ]
    if not found:
        return None
    shift, occurrence = found[0]
    on = [
        a for a in rota.assignments
        if a.place == shift.place and a.start == timeline.at(shift.start) and gap.role in (None, a.role)
    ]
    extra = _extra_for_meal(occurrence, len(on), gap)
    text = describe.say(
        "explain.short_meal_duty" if shift.is_duty else "explain.short_meal", **describe.gap(gap), on=len(on),
        needed=gap.needed, short=gap.short, extra=extra, meal=occurrence.window.label(),
        day=timeline.at(occurrence.start).date().isoformat(), window_start=describe.at(occurrence.start),
        window_end=describe.at(occurrence.end), duty_start=describe.at(shift.start), duty_end=describe.at(shift.end),
    )
    fix = describe.say("explain.more_meal", **describe.shift(shift), role=gap.role, extra=extra,
                       meal=occurrence.window.label())
    return text, fix


def _extra_for_meal(occurrence: MealOccurrence, on: int, gap: Gap) -> int:
    """Fewest extra people on the shift so that everyone can eat in turns (default break length, grid included).

    With `on + x` people and `needed` present at every minute, `on + x − needed` can be away at once, each of
    those "lanes" holding 1 + (window − L) // L' breaks (L' = L rounded up to the grid) one after another.
    """
    rule = occurrence.rule
    length, grid = rule.minutes, rule.grid_minutes
    per_lane = 1 + (occurrence.end - occurrence.start - length) // (-(-length // grid) * grid)
    for extra in range(1, gap.short + 1):
        lanes = on + extra - gap.needed
        if lanes >= 1 and lanes * per_lane >= on + extra:
            return extra
    return gap.short


def elastic_registry() -> tuple[ConstraintFamily, ...]:
    return tuple(
        Coverage(elastic=True) if f.name == "coverage" else TeamComposition(elastic=True) if f.name == "teams" else f
        for f in REGISTRY
    )


def _gaps_from_terms(instances: Instances, values: dict[str, int]) -> list[Gap]:
    """Shortfall term names carry place, role and times: 'shortfall:place:role:start:end'."""
    needed: dict[tuple[str, str | None, int], int] = {}
    for need in coverage_needs(instances):
        if need.hard_min:
            needed[(need.place, need.role, need.start)] = need.rule.min
    for duty in instances.scenario.team_duties:
        for shift in instances.shifts:
            if shift.place == duty.id:
                for duty_role in duty.roles:
                    needed[(duty.id, duty_role, shift.start)] = duty.teams
    gaps = []
    for name, value in values.items():
        _, place, role_text, start, end = name.rsplit(":", 4)
        role: str | None = None if role_text == "None" else role_text
        gaps.append(Gap(place, role, int(start), int(end), needed.get((place, role, int(start)), value), value))
    return _merge_gaps(gaps)


def _trial_reasons(scenario: Scenario, rota: Rota, info: PersonInfo, trial: Assignment) -> list[Reason]:
    """What the checker says would break if the person also took `trial`.

    Meal-break findings are left out: the trial rota has no break for the trial shift (nor the others' breaks),
    so the checker's "needs one lunch break" would be an artefact of the trial, not a reason.
    """
    partners = {p for pair in scenario.pairs if info.id in pair.people for p in pair.people}
    keep = partners | {info.id}
    subset = scenario.model_copy(update={"coverage": [], "pins": [p for p in scenario.pins if p.person in keep]})
    mine = [a for a in rota.assignments if a.person in keep]
    trial_rota = rota.model_copy(update={"assignments": [*mine, trial], "penalties": []})
    result = check(subset, trial_rota)
    found = {
        v.message: v.as_message() for v in result.violations
        if v.rule not in ("teams", "meal_breaks") and v.person in (None, info.id)
    }
    return sorted(found.items(), key=lambda r: r[0])


Reason = tuple[str, Message | None]
"""A blocker's reason: its English words and, when the checker gave one, its message."""

_BLOCKED = {
    "inactive": "explain.blocked_inactive",
    "does not hold a role of this team": "explain.blocked_team_role",
    "does not do night shifts": "explain.blocked_nights",
    "outside their availability": "explain.blocked_availability",
    "away": "explain.blocked_away_plain",
    "banned from this shift by the coordinator": "explain.blocked_banned",
    "already counted there then": "explain.blocked_counted",
    "already there then, in another role": "explain.blocked_other_role",
}


def _block(text: str, shift: ShiftInstance) -> Reason:
    """A fixed fact that keeps the person off the shift (eligibility.block_reason's words), with its message."""
    if text in _BLOCKED:
        return text, Message(code=_BLOCKED[text])
    if text.startswith("away (") and text.endswith(")"):
        return text, Message(code="explain.blocked_away", params={"reason": text[len("away ("):-1]})
    if text.startswith("not assigned to "):
        return text, Message(code="explain.blocked_post", params={"place": shift.place})
    if text.startswith("never works shift "):
        return text, Message(code="explain.blocked_never", params={"never_shift": shift.template})
    return text, None


def _blocker(info: PersonInfo, reasons: dict[str, Message | None]) -> Blocker:
    ordered = sorted(reasons.items(), key=lambda r: r[0])
    messages = [m for _, m in ordered if m is not None]
    return Blocker(person=info.id, name=info.person.name, reasons=[text for text, _ in ordered],
                   reason_messages=messages if len(messages) == len(ordered) else [])


def _elastic_blockers(
    instances: Instances, variables_rota: Rota, gap: Gap, role_for: dict[str, str]
) -> list[Blocker]:
    scenario = instances.scenario
    timeline = instances.timeline
    shifts = _shifts_in(instances, gap)
    working = defaultdict(list)
    for assignment in variables_rota.assignments:
        working[assignment.person].append(assignment)
    blockers: list[Blocker] = []
    for info in instances.people:
        if not _holds(info, gap.role) or len(blockers) >= MAX_BLOCKERS:
            continue
        reasons: dict[str, Message | None] = {}
        for shift in shifts:
            static = instances.block_reason(info, shift)
            if static is not None:
                reasons.update([_block(static, shift)])
                continue
            if any(a.start == timeline.at(shift.start) and a.place == shift.place for a in working[info.id]):
                text = "already counted there then" if gap.role is None else "already there then, in another role"
                reasons.update([_block(text, shift)])
                continue
            trial = Assignment(
                person=info.id, post=None if shift.is_duty else shift.place, duty=shift.place if shift.is_duty
                else None, shift=shift.template, role=gap.role or role_for.get(info.id, info.person.roles[0]),
                date=shift.date, start=timeline.at(shift.start), end=timeline.at(shift.end),
            )
            reasons.update(_trial_reasons(scenario, variables_rota, info, trial))
        if reasons:
            blockers.append(_blocker(info, reasons))
    return blockers


def _solve_elastic(
    scenario: Scenario, settings: SolveSettings, families: tuple[ConstraintFamily, ...]
) -> tuple[int, Rota | None, dict[str, int], Instances]:
    built = build_model(scenario, families, objective_rules={SHORTFALL})
    # Interleaved workers, a fixed seed and a deterministic time limit: the same input gives the same explanation
    # (the wall-clock limit only guards a loaded machine).
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.num_workers = ELASTIC_WORKERS
    parameters.interleave_search = True
    parameters.random_seed = 0
    parameters.max_deterministic_time = ELASTIC_DETERMINISTIC_TIME
    parameters.max_time_in_seconds = min(settings.time_limit, ELASTIC_TIME_LIMIT)
    parameters.log_search_progress = settings.log
    code = solver.solve(built.model)
    instances = built.variables.instances
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return int(code), None, {}, instances
    values = {
        t.name: int(solver.value(t.expr)) for t in built.terms if t.rule == SHORTFALL and solver.value(t.expr)
    }
    rota = Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=SolveStatus.INFEASIBLE, objective=None, bound=None,
        assignments=built.variables.read(ValueReader(solver)),
    )
    return int(code), rota, values, instances


def counted_explanation(scenario: Scenario, words: Words | None = None) -> Explanation | None:
    """The cheap arguments (scheduler.solve.explain_count): meal rules that cannot hold, then roles whose need over
    the period exceeds what their people can work; None when neither finds a cause."""
    instances = Instances(scenario)
    words = words or Words(scenario, "en")
    needs, contradictions = explain_count.demand(instances)
    rules = explain_count.distinct(contradictions)
    found = explain_count.counts(instances, needs)
    if not rules and not found:
        return None
    english = Words(scenario, "en")
    headlines = [explain_count.contradiction_headline(instances, words, c) for c in rules]
    headlines += [explain_count.count_headline(words, c) for c in found]
    conflicts = [explain_count.contradiction_message(instances, c) for c in rules]
    suggestions = [explain_count.count_suggestion(words, c) for c in found]
    for rule in rules:
        fix = explain_count.contradiction_fix(rule)
        suggestions.append(Suggestion(message=english.render(fix), said=fix, place=rule.place, role=rule.role))
    summary = Message(code=f"explain.summary_{'both' if rules and found else 'rule' if rules else 'count'}")
    return Explanation(
        summary=english.render(summary), summary_said=summary, headlines=headlines,
        conflicts=[english.render(c) for c in conflicts], conflict_messages=conflicts, suggestions=suggestions,
    )


def explain_infeasible(scenario: Scenario, settings: SolveSettings) -> Explanation:
    """Explain a scenario the full model found infeasible: the cheap arguments first, then the elastic model."""
    return counted_explanation(scenario) or elastic_explanation(scenario, settings)


def elastic_explanation(scenario: Scenario, settings: SolveSettings) -> Explanation:
    """The smallest shortfall by place and time, from the elastic model; the rule families to blame if even that
    has no solution."""
    code, rota, values, instances = _solve_elastic(scenario, settings, elastic_registry())
    describe = Describer(instances)
    if rota is None:
        return _explain_by_dropping(scenario, settings, code)
    gaps = _gaps_from_terms(instances, values)
    role_for = {p.id: p.roles[0] for p in scenario.people}
    shortages = [
        _shortage(describe, gap, _elastic_blockers(instances, rota, gap, role_for), "explain.short_elastic")
        for gap in gaps[:MAX_SHORTAGES]
    ]
    suggestions = [_suggestion(describe, g) for g in gaps[:MAX_SHORTAGES]]
    meals = False
    for i, gap in enumerate(gaps[:MAX_SHORTAGES]):
        meal = _meal_shortage(describe, rota, gap)
        if meal is not None:
            meals = True
            (text, said), (fix, fix_said) = meal
            shortages[i] = shortages[i].model_copy(update={"message": text, "said": said})
            suggestions[i] = suggestions[i].model_copy(update={"message": fix, "said": fix_said})
    proven = "" if code == cp_model.OPTIMAL else "_unproven"
    person_minutes = sum((g.end - g.start) * g.short for g in gaps)
    summary, said = describe.say(
        f"explain.summary_elastic{proven}{'_meals' if meals else ''}", person_minutes=person_minutes, count=len(gaps)
    )
    return Explanation(summary=summary, summary_said=said, shortages=shortages, suggestions=suggestions)


FAMILIES = ("pins", "workload", "consecutive", "rest", "succession", "pairs")
"""Rule families dropped one at a time to find which conflict with the rest (explain.without_<family>)."""
EXAMPLES = 5


def _explain_by_dropping(scenario: Scenario, settings: SolveSettings, code: int) -> Explanation:
    english = Words(scenario, "en")

    def say(code: str, **params: Param) -> tuple[str, Message]:
        message = Message(code=code, params=params)
        return english.render(message), message

    if code != cp_model.INFEASIBLE:
        summary, said = say("explain.summary_unknown")
        return Explanation(summary=summary, summary_said=said)
    conflicts: list[tuple[str, Message | None]] = []
    for family in FAMILIES:
        families = tuple(f for f in elastic_registry() if f.name != family)
        _, rota, _, _ = _solve_elastic(scenario, settings, families)
        if rota is None:
            continue
        broken = [v for v in check(scenario, rota).violations if v.rule not in ("coverage", "teams")]
        conflicts.append(say(f"explain.without_{family}{'_example' if broken else ''}"))
        conflicts += [(f"  {v.message}", v.as_message()) for v in broken[:EXAMPLES]]
    summary, said = say("explain.summary_rules" if conflicts else "explain.summary_rules_several")
    messages = [m for _, m in conflicts if m is not None]
    return Explanation(
        summary=summary, summary_said=said, conflicts=[t for t, _ in conflicts],
        conflict_messages=messages if len(messages) == len(conflicts) else [],
    )

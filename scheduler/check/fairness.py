"""Fairness: hours, nights and weekends of each person against the fair band around their capacity share, within
groups of people who do the same work. docs/rules.md, "fairness".

`fair_shares` gives every person's figures (a fairness view shows the checker's own numbers); `costs` the
penalties of the people outside their band. With `weights.fairness_weeks`, the history's shifts of those weeks
count in each amount and total (docs/rules.md).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from scheduler.check import structure
from scheduler.check.context import DAY, Context, Cost, Index, Intervals
from scheduler.domain.messages import Param
from scheduler.domain.people import Person
from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario


def _capacity(ctx: Context, person: Person) -> int:
    """Minutes of the period the person could work: availability minus absences, capped by their limits."""
    start, end = ctx.at(ctx.first, 0), ctx.at(ctx.last + DAY, 0)
    windows = ctx.available(person) or Intervals([(start, end)])
    minutes = windows.minutes_within(start, end, ctx.absent(person))
    limits = ctx.limits[person.id]
    # Fraction(str(h)) takes the decimal the coordinator wrote, so 37.5 h × 60 × days / 7 floors exactly.
    if limits.max_hours_per_week is not None:
        minutes = min(minutes, int(Fraction(str(limits.max_hours_per_week)) * 60 * ctx.scenario.days // 7))
    if limits.max_hours_total is not None:
        minutes = min(minutes, int(Fraction(str(limits.max_hours_total)) * 60 // 1))
    return minutes


def _longest_shift(scenario: Scenario, person: Person) -> int:
    """Minutes of the longest shift or duty at the places the person may work (the fair band for hours)."""
    lengths = {post.id: max(t.minutes for t in post.shifts) for post in scenario.posts}
    for duty in scenario.team_duties:
        window = duty.window
        lengths[duty.id] = (window.end - window.start) % (24 * 60) or 24 * 60
    places = person.posts if person.posts is not None else list(lengths)
    return max((lengths[p] for p in places if p in lengths), default=0)


def fairness_groups(scenario: Scenario) -> list[list[Person]]:
    """The active people compared with each other: same first role, same places they may work (docs/rules.md).

    Groups in the order of their first person; `FairShare.group` is an index into this list.
    """
    groups: dict[tuple[str, frozenset[str] | None], list[Person]] = {}
    for person in scenario.people:
        if person.active:
            places = frozenset(person.posts) if person.posts is not None else None
            groups.setdefault((person.roles[0], places), []).append(person)
    return list(groups.values())


@dataclass(frozen=True)
class FairShare:
    """One person's figures for one fairness measure: what they have against the fair band around their share.

    Amounts are in hours for the hours measure and in shifts for nights and weekends. The band runs from `low` (the
    share less one shift; may be below zero) to `high` (the share plus one shift for hours, the share rounded up for
    counts); only an amount above `high` costs. `cost` is the checker's fairness penalty for it (0 within the band,
    or when the scenario's weights ignore the measure).
    """

    person: str
    measure: str
    """'hours', 'nights' or 'weekends'."""
    group: int
    """Index of the person's fairness group (same first role, same places), in the order of the people."""
    amount: float
    """This period's amount."""
    share: float
    low: float
    high: float
    outside: float
    """How far `amount` lies above the band (0 within or below it)."""
    cost: float
    past: float = 0.0
    """The amount of the look-back weeks before the period (`weights.fairness_weeks`; 0 without history). The share
    and the band are then of the whole window: past and period together."""


@dataclass(frozen=True)
class _FairMeasure:
    name: str
    caps: dict[str, int]
    weight: int
    values: dict[str, int]
    band: dict[str, int]
    """Half-width of the fair band per person (docs/rules.md)."""
    granule: int
    """Units of the value per costed unit: 60 minutes make an hour."""
    past: dict[str, int]
    """What each person served in the look-back weeks, in the same units."""


@dataclass(frozen=True)
class _Figures:
    """Exact figures of one person and measure, in the measure's own units (minutes for hours)."""

    measure: _FairMeasure
    group: int
    person: str
    value: int
    past: int
    share: Fraction
    band: int
    with_past: bool
    """Whether the group's figures include the look-back weeks (then the share is of past and period together)."""

    @property
    def high(self) -> Fraction:
        """The top of the fair band: for hours the share plus the longest shift the person may work; for counts
        the share rounded up."""
        if self.measure.granule == 1:
            return Fraction(math.ceil(self.share))
        return self.share + self.band

    @property
    def outside(self) -> Fraction:
        """How far the amount lies above the band; nothing below the share costs (docs/rules.md)."""
        return max(Fraction(0), self.value + self.past - self.high)

    @property
    def sixtieths(self) -> int:
        """`outside` in sixtieths of a costed unit (an hour, a shift), rounded up."""
        return math.ceil(self.outside * 60 / self.measure.granule)


def _served_before(ctx: Context) -> dict[str, tuple[int, int, int]]:
    """Per person: minutes, night shifts and weekend shifts of the history starting on the `fairness_weeks` × 7
    local days before the period."""
    earliest = ctx.first - dt.timedelta(days=7 * ctx.scenario.weights.fairness_weeks)
    served: dict[str, tuple[int, int, int]] = {}
    for past in ctx.scenario.history:
        start = past.start if past.start.tzinfo is not None else past.start.replace(tzinfo=ctx.zone)
        end = past.end if past.end.tzinfo is not None else past.end.replace(tzinfo=ctx.zone)
        day = start.astimezone(ctx.zone).date()
        if not earliest <= day < ctx.first:
            continue
        minutes = int((end - start).total_seconds() // 60)
        before = served.get(past.person, (0, 0, 0))
        served[past.person] = (before[0] + minutes, before[1] + past.night, before[2] + (day.weekday() >= 5))
    return served


def _measures(ctx: Context, index: Index) -> tuple[_FairMeasure, ...]:
    weights = ctx.scenario.weights
    active = [p for p in ctx.scenario.people if p.active]
    capacity = {p.id: _capacity(ctx, p) for p in active}
    night_capacity = {p.id: 0 if ctx.limits[p.id].nights_allowed is False else capacity[p.id] for p in active}
    hour_band = {p.id: _longest_shift(ctx.scenario, p) for p in active}
    no_band = {p.id: 0 for p in active}
    works = index.by_person.items()
    hours = {pid: sum(w.inst.minutes for w in items) for pid, items in works}
    nights = {pid: sum(w.inst.night for w in items) for pid, items in works}
    weekends = {pid: sum(w.inst.date.weekday() >= 5 for w in items) for pid, items in works}
    served = _served_before(ctx)
    past = [{pid: figures[k] for pid, figures in served.items()} for k in range(3)]
    return (
        _FairMeasure("hours", capacity, weights.fairness_hours, hours, hour_band, 60, past[0]),
        _FairMeasure("nights", night_capacity, weights.fairness_nights, nights, no_band, 1, past[1]),
        _FairMeasure("weekends", capacity, weights.fairness_weekends, weekends, no_band, 1, past[2]),
    )


def _figures(ctx: Context, index: Index) -> list[_Figures]:
    """Every active person's figures, group by group, measure by measure (groups with no capacity left out)."""
    measures = _measures(ctx, index)
    found: list[_Figures] = []
    for number, group in enumerate(fairness_groups(ctx.scenario)):
        for measure in measures:
            found += _group_figures(measure, number, [person.id for person in group])
    return found


def _group_figures(measure: _FairMeasure, number: int, group: list[str]) -> list[_Figures]:
    """The share of each person of the group and their band around it (docs/rules.md)."""
    caps = {person_id: measure.caps[person_id] for person_id in group}
    total_capacity = sum(caps.values())
    if total_capacity == 0:
        return []
    # the past counts for those who can work now: someone away all period neither owes nor is owed
    past = {person_id: measure.past.get(person_id, 0) if cap else 0 for person_id, cap in caps.items()}
    total = sum(measure.values.get(person_id, 0) + past[person_id] for person_id in group)
    with_past = any(past.values())
    found: list[_Figures] = []
    for person_id, cap in caps.items():
        q = (2000 * cap + total_capacity) // (2 * total_capacity)  # round_half_up(1000 × c / C)
        share = Fraction(q * total, 1000)
        value = measure.values.get(person_id, 0)
        found.append(_Figures(measure, number, person_id, value, past[person_id], share, measure.band[person_id],
                               with_past))
    return found


def costs(ctx: Context, index: Index) -> list[Cost]:
    """A penalty for each person outside the fair band of a measure the weights count."""
    result: list[Cost] = []
    for figures in _figures(ctx, index):
        measure = figures.measure
        if not measure.weight or figures.sixtieths == 0:
            continue
        per = Fraction(1, measure.granule)
        params: dict[str, Param]
        if measure.name == "hours":  # values in minutes: hours to the half hour when rendered
            params = {"minutes": int(figures.value), "share_minutes": float(figures.share),
                      "high_minutes": float(figures.high)}
            if figures.with_past:
                params["past_minutes"] = int(figures.past)
        else:  # whole counts; the share to one decimal
            params = {"count": int(figures.value * per), "share": round(float(figures.share * per), 1),
                      "high": round(float(figures.high * per), 1)}
            if figures.with_past:
                params["past_count"] = int(figures.past)
        if figures.with_past:
            params["weeks"] = ctx.scenario.weights.fairness_weeks
        code = f"fairness.{measure.name}" + ("_past" if figures.with_past else "")
        amount = Fraction(figures.sixtieths, 60)
        result.append(ctx.cost(
            "fairness", f"fairness:{measure.name}:{figures.person}", code,
            {"person": figures.person, **params}, amount, amount * measure.weight, figures.person,
        ))
    return result


def fair_shares(scenario: Scenario, rota: Rota) -> list[FairShare]:
    """Every active person's fairness figures per measure, exactly as the checker computes them.

    Only structurally sound assignments count (as in `check`). Groups whose capacity is zero for a measure
    have no figures for it.
    """
    ctx = Context(scenario)
    _, works = structure.check(ctx, rota)
    shares: list[FairShare] = []
    for figures in _figures(ctx, Index(works)):
        measure, band = figures.measure, figures.band
        per = Fraction(1, measure.granule)
        shares.append(
            FairShare(
                person=figures.person, measure=measure.name, group=figures.group,
                amount=float(figures.value * per), past=float(figures.past * per), share=float(figures.share * per),
                low=float((figures.share - band) * per), high=float(figures.high * per),
                outside=float(figures.outside * per), cost=float(Fraction(figures.sixtieths, 60) * measure.weight),
            )
        )
    return shares

"""Coverage: enough people (of a role) on a post at every minute of a window, or on a shift; people on a meal
break are not on duty for window rules. Hard bounds give violations, costed ones penalties.
docs/rules.md, "coverage"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from scheduler.check.context import (
    DAY,
    Context,
    Cost,
    Index,
    Instance,
    Profile,
    Work,
    breaks_of,
    dates,
    join_gaps,
    weekday_of,
    window_end,
)
from scheduler.domain.community import CoverageRule
from scheduler.domain.messages import Param
from scheduler.domain.rota import Violation


@dataclass(frozen=True, slots=True)
class _Side:
    """Which bound of a coverage rule: 'under' the minimum or 'over' the maximum, and its soft cost if any."""

    name: str
    bound: int
    rate: int | None


class _Coverage:
    """Checks coverage rules; profiles per (post, role) are built once and shared by the rules."""

    def __init__(self, ctx: Context, index: Index) -> None:
        self.ctx = ctx
        self.index = index
        self.violations: list[Violation] = []
        self.costs: list[Cost] = []
        self._profiles: dict[tuple[str, str | None], Profile] = {}
        self._by_post: dict[str, list[Work]] = defaultdict(list)
        for work in index.works:
            self._by_post[work.inst.place].append(work)

    def profile(self, post: str, role: str | None) -> Profile:
        key = (post, role)
        if key not in self._profiles:
            per_person: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for work in self._by_post.get(post, []):
                if role is None or work.role == role:
                    per_person[work.person].extend(_present(work))
            self._profiles[key] = Profile(per_person)
        return self._profiles[key]

    def run(self) -> None:
        for rule in self.ctx.scenario.coverage:
            if rule.shift is not None:
                self.shift_rule(rule, rule.shift)
            else:
                self.window_rule(rule)

    def horizon(self, post_id: str) -> tuple[int, int]:
        """From the earliest shift start on the first day to that local time on the day after the last."""
        earliest = min(t.start for t in self.ctx.posts[post_id].shifts)
        return self.ctx.at(self.ctx.first, earliest), self.ctx.at(self.ctx.last + DAY, earliest)

    def windows(self, rule: CoverageRule) -> Iterator[tuple[int, int]]:
        """The rule's windows from the day before the period to its last day, clipped to the horizon."""
        low, high = self.horizon(rule.post)
        for day in dates(self.ctx.first - DAY, self.ctx.last + DAY):
            if weekday_of(day) not in rule.days or (rule.dates is not None and day not in rule.dates):
                continue
            if rule.window is None:
                start, end = self.ctx.at(day, 0), self.ctx.at(day + DAY, 0)
            else:
                window = rule.window
                start, end = (
                    self.ctx.at(day, window.start),
                    self.ctx.at(day, window_end(window.start, window.end)),
                )
            start, end = max(start, low), min(end, high)
            if start < end:
                yield start, end

    def window_rule(self, rule: CoverageRule) -> None:
        profile = self.profile(rule.post, rule.role)
        for start, end in self.windows(rule):
            pieces = list(profile.pieces(start, end))
            short = [(a, b, rule.min - n) for a, b, n in pieces if n < rule.min]
            self.window_outcome(rule, (start, end), short, _Side("under", rule.min, rule.min_cost))
            if rule.max is not None:
                extra = [(a, b, n - rule.max) for a, b, n in pieces if n > rule.max]
                self.window_outcome(rule, (start, end), extra, _Side("over", rule.max, rule.max_cost))

    def window_outcome(
        self, rule: CoverageRule, window: tuple[int, int], gaps: list[tuple[int, int, int]], side: _Side
    ) -> None:
        """One window's shortfall (or excess): hard violations per hole, or one soft cost for the window."""
        if not gaps:
            return
        if side.rate is None:
            for a, b, worst in join_gaps(gaps):
                self.window_violation(rule, a, b, worst, side)
            return
        person_minutes = sum((b - a) * k for a, b, k in gaps)
        stamp = f"{self.ctx.local(window[0]):%Y-%m-%d %H:%M}"
        code = "coverage.window_missing" if side.name == "under" else "coverage.window_extra"
        params: dict[str, Param] = {
            "place": rule.post, "role": rule.role, "start": self.ctx.moment(window[0]),
            "end": self.ctx.moment(window[1]), "person_minutes": person_minutes, "rule": rule.label(),
        }
        self.costs.append(
            self.ctx.cost(
                "coverage", f"coverage:{rule.label()}:{stamp}:{side.name}", code, params,
                Fraction(person_minutes, 60), Fraction(person_minutes * side.rate, 60),
            )
        )

    def window_violation(self, rule: CoverageRule, start: int, end: int, worst: int, side: _Side) -> None:
        have = side.bound - worst if side.name == "under" else side.bound + worst
        params: dict[str, Param] = {
            "place": rule.post, "role": rule.role, "start": self.ctx.moment(start), "end": self.ctx.moment(end),
            "have": have, "need": side.bound, "rule": rule.label(),
        }
        code = "coverage.window_under" if side.name == "under" else "coverage.window_over"
        self.violations.append(self.ctx.violation("coverage", code, params, place=rule.post, span=(start, end)))

    def shift_rule(self, rule: CoverageRule, shift: str) -> None:
        for day in self.ctx.period:
            inst = self.ctx.instance(rule.post, shift, day)
            if inst is None or weekday_of(day) not in rule.days or (rule.dates is not None and day not in rule.dates):
                continue
            on = {w.person for w in self.index.by_instance.get(inst.key, []) if rule.role in (None, w.role)}
            self.shift_outcome(rule, inst, rule.min - len(on), "under", rule.min_cost)
            if rule.max is not None:
                self.shift_outcome(rule, inst, len(on) - rule.max, "over", rule.max_cost)

    def shift_outcome(self, rule: CoverageRule, inst: Instance, off: int, side: str, rate: int | None) -> None:
        if off <= 0:
            return
        code = "coverage.shift_under" if side == "under" else "coverage.shift_over"
        params: dict[str, Param] = {**self.ctx.slot(inst), "role": rule.role, "count": off, "rule": rule.label()}
        if rate is None:
            self.violations.append(
                self.ctx.violation("coverage", code, params, place=rule.post, span=(inst.start, inst.end))
            )
            return
        stamp = f"{self.ctx.local(inst.start):%Y-%m-%d %H:%M}"
        name = f"coverage:{rule.label()}:{stamp}:{side}"
        self.costs.append(self.ctx.cost("coverage", name, code, params, Fraction(off), Fraction(off * rate)))


def _present(work: Work) -> list[tuple[int, int]]:
    """The parts of an assignment the person is at the post: the shift minus their meal breaks."""
    spans: list[tuple[int, int]] = []
    current = work.inst.start
    for start, end in breaks_of(work):
        start, end = max(start, work.inst.start), min(end, work.inst.end)
        if start > current:
            spans.append((current, start))
        current = max(current, end)
    if current < work.inst.end:
        spans.append((current, work.inst.end))
    return spans



def findings(ctx: Context, index: Index) -> tuple[list[Violation], list[Cost]]:
    """The coverage rules' violations and costs."""
    coverage = _Coverage(ctx, index)
    coverage.run()
    return coverage.violations, coverage.costs

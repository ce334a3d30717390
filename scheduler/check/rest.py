"""Rest: one place at a time, and at least `min_rest_hours` between two shifts of a person (history included).
docs/rules.md, "rest"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scheduler.check.context import EPS, Context, Index, Work, to_minute
from scheduler.domain.people import Person
from scheduler.domain.rota import Violation


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    history: str | None  # how a history shift is described; None for an assignment of this rota
    work: Work | None


def _history_spans(ctx: Context) -> dict[str, list[_Span]]:
    spans: dict[str, list[_Span]] = defaultdict(list)
    for past in ctx.scenario.history:
        start, end = (t if t.tzinfo is not None else t.replace(tzinfo=ctx.zone) for t in (past.start, past.end))
        a, b = to_minute(start), to_minute(end)
        spans[past.person].append(_Span(a, b, f"previous rota's shift {ctx.span_text(a, b)}", None))
    return spans


def violations(ctx: Context, index: Index) -> list[Violation]:
    """No two shifts of a person overlap, and each gap is at least min_rest_hours (history included)."""
    history = _history_spans(ctx)
    found: list[Violation] = []
    for person in ctx.scenario.people:
        spans = history.get(person.id, []) + [_Span(w.inst.start, w.inst.end, None, w) for w in index.of(person.id)]
        spans.sort(key=lambda s: (s.start, s.end))
        rest = ctx.limits[person.id].min_rest_hours
        latest: _Span | None = None  # the span ending last so far: the nearest one before the next
        for span in spans:
            if latest is not None and (span.work is not None or latest.work is not None):
                violation = _rest_between(ctx, person, latest, span, rest)
                if violation is not None:
                    found.append(violation)
            if latest is None or span.end > latest.end:
                latest = span
    return found


def _span_text(ctx: Context, span: _Span) -> str:
    return ctx.shift_text(span.work.inst) if span.work is not None else str(span.history)


def _rest_between(ctx: Context, person: Person, before: _Span, after: _Span, rest: float | None) -> Violation | None:
    ours = after.work or before.work
    place = ours.inst.place if ours is not None else None
    gap = after.start - before.end
    if gap >= 0 and (rest is None or gap >= rest * 60 - EPS):
        return None
    first, then = _span_text(ctx, before), _span_text(ctx, after)
    if gap < 0:
        message = f"{person.name} is on {first} and {then} at the same time"
        start, end = after.start, min(before.end, after.end)
        rule = "overlap"
    else:
        message = f"{person.name} has only {gap / 60:g} h rest between {first} and {then} (min {rest:g} h)"
        start, end = before.end, after.start
        rule = "rest"
    return Violation(
        rule=rule, message=message, person=person.id, place=place, start=ctx.local(start), end=ctx.local(end)
    )

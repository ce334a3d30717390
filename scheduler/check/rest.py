"""Rest: one place at a time, and at least `min_rest_hours` between two shifts of a person (history included).
docs/rules.md, "rest"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scheduler.check.context import EPS, Context, Index, Work, to_minute
from scheduler.domain.messages import Param
from scheduler.domain.people import Person
from scheduler.domain.rota import Violation


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    history: bool  # a shift of the previous rota (else an assignment of this one)
    work: Work | None


def _history_spans(ctx: Context) -> dict[str, list[_Span]]:
    spans: dict[str, list[_Span]] = defaultdict(list)
    for past in ctx.scenario.history:
        start, end = (t if t.tzinfo is not None else t.replace(tzinfo=ctx.zone) for t in (past.start, past.end))
        a, b = to_minute(start), to_minute(end)
        spans[past.person].append(_Span(a, b, True, None))
    return spans


def violations(ctx: Context, index: Index) -> list[Violation]:
    """No two shifts of a person overlap, and each gap is at least min_rest_hours (history included)."""
    history = _history_spans(ctx)
    found: list[Violation] = []
    for person in ctx.scenario.people:
        spans = history.get(person.id, []) + [_Span(w.inst.start, w.inst.end, False, w) for w in index.of(person.id)]
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


def _span_params(ctx: Context, span: _Span, prefix: str) -> dict[str, Param]:
    """An assignment as a slot (place, shift, times); a previous rota's shift by its times only."""
    if span.work is not None:
        return ctx.slot(span.work.inst, prefix)
    return {f"{prefix}start": ctx.moment(span.start), f"{prefix}end": ctx.moment(span.end)}


def _rest_between(ctx: Context, person: Person, before: _Span, after: _Span, rest: float | None) -> Violation | None:
    ours = after.work or before.work
    place = ours.inst.place if ours is not None else None
    gap = after.start - before.end
    if gap >= 0 and (rest is None or gap >= rest * 60 - EPS):
        return None
    kind = "_history" if before.work is None else ("_history_after" if after.work is None else "")
    params: dict[str, Param] = {
        "person": person.id, **_span_params(ctx, before, "first_"), **_span_params(ctx, after, "")
    }
    if gap < 0:
        code, rule = f"overlap.{'shifts' if not kind else kind[1:]}", "overlap"
        start, end = after.start, min(before.end, after.end)
    else:
        code, rule = f"rest.{'shifts' if not kind else kind[1:]}", "rest"
        params |= {"gap_minutes": gap, "rest_minutes": round((rest or 0) * 60)}
        start, end = before.end, after.start
    return ctx.violation(rule, code, params, person=person.id, place=place, span=(start, end))

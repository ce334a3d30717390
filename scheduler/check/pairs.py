"""Pairs: two people never on duty at the same time (hard), or the first never without the second (soft).
docs/rules.md, "pairs"."""

from __future__ import annotations

from fractions import Fraction

from scheduler.check.context import Context, Cost, Index
from scheduler.domain.messages import Param
from scheduler.domain.people import PairKind
from scheduler.domain.rota import Violation


def violations(ctx: Context, index: Index) -> list[Violation]:
    found: list[Violation] = []
    for pair in ctx.scenario.pairs:
        if pair.kind != PairKind.APART:
            continue
        first, second = (index.of(p) for p in pair.people)
        for a in first:
            for b in second:
                if b.inst.start >= a.inst.end:
                    break  # sorted by start: nothing later can overlap a
                if b.inst.end > a.inst.start:
                    other = ctx.slot(b.inst, "other_")
                    found.append(ctx.on_work("pairs", a, "pairs.together", other=b.person, **other))
    return found



def costs(ctx: Context, index: Index) -> list[Cost]:
    costs: list[Cost] = []
    for pair in ctx.scenario.pairs:
        if pair.kind != PairKind.TOGETHER:
            continue
        first, second = pair.people
        alone = sum(second not in index.people_on[w.inst.key] for w in index.of(first))
        if alone:
            params: dict[str, Param] = {"person": first, "other": second, "count": alone}
            name = f"pairs:{first}+{second}"
            costs.append(
                ctx.cost("pairs", name, "pairs.apart", params, Fraction(alone), Fraction(alone * pair.weight), first)
            )
    return costs

"""Pairs: two people never on duty at the same time (hard), or the first never without the second (soft).
docs/rules.md, "pairs"."""

from __future__ import annotations

from fractions import Fraction

from scheduler.check.context import Context, Cost, Index
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
                    message = (
                        f"{ctx.who(a.person)} ({ctx.shift_text(a.inst)}) and {ctx.who(b.person)} "
                        f"({ctx.shift_text(b.inst)}) must not be on duty at the same time"
                    )
                    found.append(ctx.on_work("pairs", a, message))
    return found



def costs(ctx: Context, index: Index) -> list[Cost]:
    costs: list[Cost] = []
    for pair in ctx.scenario.pairs:
        if pair.kind != PairKind.TOGETHER:
            continue
        first, second = pair.people
        alone = sum(second not in index.people_on[w.inst.key] for w in index.of(first))
        if alone:
            cause = f"{ctx.who(first)} works {alone} shift{'s' if alone != 1 else ''} without {ctx.who(second)}"
            name = f"pairs:{first}+{second}"
            costs.append(Cost("pairs", name, cause, Fraction(alone), Fraction(alone * pair.weight), first))
    return costs

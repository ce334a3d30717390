"""Preferences: each unmet wish costs its weight times `weights.preferences`. docs/rules.md, "preferences"."""

from __future__ import annotations

from fractions import Fraction

from scheduler.check.context import DAY_NAMES, Context, Cost, Index, Work, weekday_of
from scheduler.domain.people import Preference, PreferenceKind


def _unmet(ctx: Context, pref: Preference, works: list[Work]) -> tuple[int, str]:
    """How many times a wish is unmet, and the wish in words."""
    wants = pref.kind == PreferenceKind.WANTS
    verb = "wants" if wants else "avoids"
    if pref.date is not None:
        if pref.shift is not None:
            hit = any(
                w.inst.date == pref.date and w.inst.shift == pref.shift and pref.post in (None, w.inst.place)
                for w in works
            )
            what = f"the {pref.shift} shift{f' at {ctx.place_name(pref.post)}' if pref.post else ''}"
            return int(hit != wants), f"{verb} {what} on {ctx.day_text(pref.date)}"
        hit = any(w.inst.date == pref.date for w in works)
        return int(hit != wants), f"{verb} working on {ctx.day_text(pref.date)}"
    if pref.weekday is not None:
        worked = {w.inst.date for w in works}
        days = [d for d in ctx.period if weekday_of(d) == pref.weekday]
        count = sum((d in worked) != wants for d in days)
        return count, f"{verb} working on {DAY_NAMES[pref.weekday.index]}days"
    count = sum(w.inst.night != wants for w in works)
    return count, f"{verb} night shifts"


def costs(ctx: Context, index: Index) -> list[Cost]:
    multiplier = ctx.scenario.weights.preferences
    costs: list[Cost] = []
    for person in ctx.scenario.people:
        if not person.active:
            continue  # an inactive person's wishes are not about this rota
        for i, pref in enumerate(person.preferences):
            if pref.date is not None and not ctx.in_period(pref.date):
                continue  # a wish about another period
            count, wish = _unmet(ctx, pref, index.of(person.id))
            cost = count * pref.weight * multiplier
            if cost:
                cause = f"{person.name} {wish}: unmet {count} time{'s' if count != 1 else ''}"
                name = f"preferences:{person.id}:{i}"
                costs.append(Cost("preferences", name, cause, Fraction(count), Fraction(cost), person.id))
    return costs

"""Preferences: each unmet wish costs its weight times `weights.preferences`. docs/rules.md, "preferences"."""

from __future__ import annotations

from fractions import Fraction

from scheduler.check.context import Context, Cost, Index, Work, weekday_of
from scheduler.domain.messages import Param
from scheduler.domain.people import Preference, PreferenceKind


def _unmet(ctx: Context, pref: Preference, works: list[Work]) -> tuple[int, str, dict[str, Param]]:
    """How many times a wish is unmet, and the wish as a message code and its parameters."""
    wants = pref.kind == PreferenceKind.WANTS
    verb = "wants" if wants else "avoids"
    if pref.date is not None:
        day = pref.date.isoformat()
        if pref.shift is not None:
            hit = any(
                w.inst.date == pref.date and w.inst.shift == pref.shift and pref.post in (None, w.inst.place)
                for w in works
            )
            if pref.post:
                params: dict[str, Param] = {"wished_shift": pref.shift, "place": pref.post, "day": day}
                return int(hit != wants), f"preferences.{verb}_shift_at", params
            return int(hit != wants), f"preferences.{verb}_shift", {"wished_shift": pref.shift, "day": day}
        hit = any(w.inst.date == pref.date for w in works)
        return int(hit != wants), f"preferences.{verb}_day", {"day": day}
    if pref.weekday is not None:
        worked = {w.inst.date for w in works}
        days = [d for d in ctx.period if weekday_of(d) == pref.weekday]
        count = sum((d in worked) != wants for d in days)
        return count, f"preferences.{verb}_weekday", {"weekday": pref.weekday.value, "count": count}
    count = sum(w.inst.night != wants for w in works)
    return count, f"preferences.{verb}_nights", {"count": count}


def costs(ctx: Context, index: Index) -> list[Cost]:
    multiplier = ctx.scenario.weights.preferences
    costs: list[Cost] = []
    for person in ctx.scenario.people:
        if not person.active:
            continue  # an inactive person's wishes are not about this rota
        for i, pref in enumerate(person.preferences):
            if pref.date is not None and not ctx.in_period(pref.date):
                continue  # a wish about another period
            count, code, params = _unmet(ctx, pref, index.of(person.id))
            cost = count * pref.weight * multiplier
            if cost:
                name = f"preferences:{person.id}:{i}"
                costs.append(ctx.cost(
                    "preferences", name, code, {"person": person.id, **params}, Fraction(count), Fraction(cost),
                    person.id,
                ))
    return costs

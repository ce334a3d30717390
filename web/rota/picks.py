"""The adjust page's pick-lists: only the people the engine finds eligible for the slot (`slot_candidates`), in
pinyin order, with a count of those left out and why, and the slot's role to preselect."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from scheduler import REASONS, Person, Rota, Scenario, slot_candidates
from web.i18n import Translator
from web.people.names import sort_key


@dataclass(frozen=True)
class Picks:
    people: list[Person]
    """The eligible people, by pinyin."""
    left_out: str
    """'另有 3 人不可选：不在岗位范围 2，时间不便 1', or '' when nobody is left out."""


def picks(
    scenario: Scenario, rota: Rota, place: str, shift: str | None, date: dt.date, role: str | None,
    t: Translator, *, besides: str | None = None,
) -> Picks:
    """The people who may take the slot in `role` (None: any role the place takes), `besides` left out
    altogether (the person the slot is taken from)."""
    found = [c for c in slot_candidates(scenario, rota, place, shift, date, role) if c.person != besides]
    by_id = {p.id: p for p in scenario.people}
    people = sorted((by_id[c.person] for c in found if c.eligible), key=lambda p: sort_key(p.name))
    counts = Counter(next(r for r in REASONS if r in c.reasons) for c in found if not c.eligible)
    if not counts:
        return Picks(people, "")
    parts = t("rota.picks.separator").join(
        t("rota.picks.reason", reason=t(f"rota.picks.{reason}"), n=counts[reason]) for reason in REASONS
        if counts[reason]
    )
    return Picks(people, t("rota.picks.left_out", n=sum(counts.values()), reasons=parts))


def slot_role(scenario: Scenario, rota: Rota, place: str, shift: str | None, date: dt.date) -> str | None:
    """The role to preselect for adding someone to a slot: a role the post's coverage rules ask for that fewest
    people on the slot fill now (a team duty: its first role); None when nothing names one."""
    duty = next((d for d in scenario.team_duties if d.id == place), None)
    if duty is not None:
        return duty.roles[0] if duty.roles else None
    asked = [r.role for r in scenario.coverage if r.post == place and r.role is not None
             and (r.shift is None or r.shift == shift)]
    if not asked:
        return None
    on = Counter(a.role for a in rota.assignments if (a.place, a.shift, a.date) == (place, shift, date))
    return min(dict.fromkeys(asked), key=lambda role: on[role])

"""Hand-made rotas for the report tests: assignments placed exactly, with no solve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from scheduler.domain.rota import Assignment, Break, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from tests.builders import POST


def local(scenario: Scenario, day: dt.date, clock: str) -> dt.datetime:
    """`clock` ('08:00') on `day` in the scenario's zone."""
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=scenario.zone)


def assign(
    scenario: Scenario, person: str, shift: str | None, day: dt.date, start: str = "08:00", hours: float = 8,
    role: str = "vol", breaks: Sequence[tuple[dt.datetime, dt.datetime]] = (), **extra: Any,
) -> Assignment:
    """`person` on `shift` at the gate (or, with shift None, on the duty given as `duty=`) from local `start`."""
    begin = local(scenario, day, start)
    place: dict[str, Any] = {"duty": extra.pop("duty")} if shift is None else {"post": extra.pop("post", POST)}
    return Assignment(
        person=person, shift=shift, role=role, date=day, start=begin, end=begin + dt.timedelta(hours=hours),
        breaks=[Break(start=a, end=b) for a, b in breaks], **place, **extra,
    )


def rota_of(scenario: Scenario, assignments: Sequence[Assignment]) -> Rota:
    return Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=SolveStatus.FEASIBLE, objective=0, bound=0, assignments=list(assignments),
    )

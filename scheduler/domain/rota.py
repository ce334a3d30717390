"""The rota the engine returns: assignments with their meal breaks, penalties, violations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from scheduler.domain.base import StrictModel


class Break(StrictModel):
    """A meal break within an assignment."""

    start: dt.datetime = Field(description="Start, ISO 8601 with offset.")
    end: dt.datetime = Field(description="End, ISO 8601 with offset.")


class Assignment(StrictModel):
    """One person on one shift of a post, or on a team duty, filling one role."""

    person: str = Field(description="Person id.")
    post: str | None = Field(default=None, description="Post id (absent for a team duty).")
    duty: str | None = Field(default=None, description="Team duty id (absent for a post shift).")
    shift: str | None = Field(default=None, description="Shift template id (absent for a team duty).")
    role: str = Field(description="The role the person fills on this shift.")
    date: dt.date = Field(description="Local date the shift starts.")
    start: dt.datetime = Field(description="Start, ISO 8601 with UTC offset.")
    end: dt.datetime = Field(description="End, ISO 8601 with UTC offset.")
    breaks: list[Break] = Field(default_factory=list, description="Meal breaks.")
    pinned: bool = Field(default=False, description="Fixed by the coordinator.")

    @model_validator(mode="after")
    def _post_or_duty(self) -> Self:
        if (self.post is None) == (self.duty is None):
            raise ValueError("an assignment has either a post or a duty")
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("start and end need a UTC offset")
        return self

    @property
    def place(self) -> str:
        return self.post if self.post is not None else str(self.duty)


class Penalty(StrictModel):
    """One reason the rota is not perfect, with its cost."""

    rule: str = Field(description="Constraint family, e.g. 'coverage', 'preferences', 'fairness'.")
    name: str = Field(description="Stable name of the penalised term.")
    cause: str = Field(description="What happened, in words.")
    amount: float = Field(description="How much: missing person-hours, shifts, hours away from the share ...")
    cost: float = Field(description="Contribution to the objective.")
    person: str | None = Field(default=None, description="The person concerned, if any.")


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"
    INVALID = "invalid"


class Rota(StrictModel):
    """The published contract of `rota.json`."""

    community: str = Field(description="Community name.")
    start: dt.date = Field(description="First day of the period.")
    days: int = Field(description="Number of days.")
    timezone: str = Field(description="IANA time zone.")
    status: SolveStatus = Field(description="'optimal' or 'feasible' for a rota meeting every hard rule.")
    objective: float | None = Field(description="Total cost of the soft penalties (lower is better).")
    bound: float | None = Field(description="Best proven lower bound on the objective.")
    assignments: list[Assignment] = Field(description="Who works where and when.")
    penalties: list[Penalty] = Field(default_factory=list, description="Every nonzero soft penalty.")


class Violation(StrictModel):
    """A broken hard rule found by the checker."""

    rule: str = Field(description="Constraint family.")
    message: str = Field(description="What is wrong, in words.")
    person: str | None = Field(default=None, description="Person concerned, if any.")
    place: str | None = Field(default=None, description="Post or duty concerned, if any.")
    start: dt.datetime | None = Field(default=None, description="Start of the affected time, if any.")
    end: dt.datetime | None = Field(default=None, description="End of the affected time, if any.")

"""The rota the engine returns: assignments with their meal breaks, penalties, violations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from scheduler.domain.base import Day, StrictModel
from scheduler.domain.messages import Message, Param
from scheduler.domain.problems import problem


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
    date: Day = Field(description="Local date the shift starts.")
    start: dt.datetime = Field(description="Start, ISO 8601 with UTC offset.")
    end: dt.datetime = Field(description="End, ISO 8601 with UTC offset.")
    breaks: list[Break] = Field(default_factory=list, description="Meal breaks.")
    pinned: bool = Field(default=False, description="Fixed by the coordinator.")

    @model_validator(mode="after")
    def _post_or_duty(self) -> Self:
        if (self.post is None) == (self.duty is None):
            raise problem("post_or_duty", "an assignment has either a post or a duty")
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise problem("needs_offset", "start and end need a UTC offset")
        return self

    @property
    def place(self) -> str:
        return self.post if self.post is not None else str(self.duty)


class Penalty(StrictModel):
    """One reason the rota is not perfect, with its cost."""

    rule: str = Field(description="Constraint family, e.g. 'coverage', 'preferences', 'fairness'.")
    name: str = Field(description="Stable name of the penalised term.")
    cause: str = Field(description="What happened, in English words (`code` and `params` for any language).")
    amount: float = Field(description="How much: missing person-hours, shifts, hours away from the share ...")
    cost: float = Field(description="Contribution to the objective.")
    person: str | None = Field(default=None, description="The person concerned, if any.")
    code: str = Field(default="", description="What happened, as a message code (scheduler.reports.catalogue).")
    params: dict[str, Param] = Field(default_factory=dict, description="The message's parameters.")

    def as_message(self) -> Message | None:
        """The cause as data, for rendering in any language; None for a penalty stored before codes existed."""
        return Message(code=self.code, params=self.params) if self.code else None


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"
    INVALID = "invalid"


class StaffingSummary(StrictModel):
    """How many person-hours the rota calls out at the posts, against the fewest the hard rules allow.

    What a coordinator checks first: "91 shifts, 728 person-hours: the fewest possible". Team duties are left out
    (their size is fixed)."""

    shifts: int = Field(ge=0, description="Assignments at posts.")
    person_hours: float = Field(ge=0, description="Their hours, meal breaks included.")
    fewest_person_hours: float | None = Field(
        default=None, ge=0,
        description="The fewest person-hours at posts any rota meeting every hard rule can have, or a lower bound "
        "on it when not `fewest_proven` (absent when not computed).",
    )
    fewest_proven: bool = Field(default=False, description="`fewest_person_hours` is proven the fewest possible.")

    @property
    def fewest_possible(self) -> bool:
        """The rota calls out no more person-hours than the hard rules need, proven."""
        return (
            self.fewest_proven and self.fewest_person_hours is not None
            and self.person_hours <= self.fewest_person_hours + 1e-9
        )


class Rota(StrictModel):
    """The published contract of `rota.json`."""

    community: str = Field(description="Community name.")
    start: Day = Field(description="First day of the period.")
    days: int = Field(description="Number of days.")
    timezone: str = Field(description="IANA time zone.")
    status: SolveStatus = Field(description="'optimal' or 'feasible' for a rota meeting every hard rule.")
    objective: float | None = Field(description="Total cost of the soft penalties (lower is better).")
    bound: float | None = Field(description="Best proven lower bound on the objective.")
    assignments: list[Assignment] = Field(description="Who works where and when.")
    penalties: list[Penalty] = Field(default_factory=list, description="Every nonzero soft penalty.")
    staffing: StaffingSummary | None = Field(
        default=None, description="Person-hours at the posts against the fewest possible (from the solve)."
    )

    def staffing_at(self, posts: Collection[str]) -> StaffingSummary:
        """Shifts and person-hours at `posts` (recounted from the assignments, so an edited draft is right),
        against the fewest the solve that made the rota found (`staffing`)."""
        at_posts = [a for a in self.assignments if a.post in posts]
        seconds = sum((a.end - a.start).total_seconds() for a in at_posts)
        solved = self.staffing
        return StaffingSummary(
            shifts=len(at_posts), person_hours=round(seconds / 3600, 6),
            fewest_person_hours=None if solved is None else solved.fewest_person_hours,
            fewest_proven=solved is not None and solved.fewest_proven,
        )


class Violation(StrictModel):
    """A broken hard rule found by the checker."""

    rule: str = Field(description="Constraint family.")
    message: str = Field(description="What is wrong, in English words (`code` and `params` for any language).")
    person: str | None = Field(default=None, description="Person concerned, if any.")
    place: str | None = Field(default=None, description="Post or duty concerned, if any.")
    start: dt.datetime | None = Field(default=None, description="Start of the affected time, if any.")
    end: dt.datetime | None = Field(default=None, description="End of the affected time, if any.")
    code: str = Field(default="", description="What is wrong, as a message code (scheduler.reports.catalogue).")
    params: dict[str, Param] = Field(default_factory=dict, description="The message's parameters.")

    def as_message(self) -> Message | None:
        """What is wrong as data, for rendering in any language; None for a violation stored before codes existed."""
        return Message(code=self.code, params=self.params) if self.code else None

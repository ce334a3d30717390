"""The difference between two rotas, as the people concerned see it: who gains, who loses which shift.

Used to show a new version against the published one, to count a repair's changes, and to tell calendars what moved.
An assignment is identified by its person and slot (date, post or duty, shift, role); the same identity with other
times or meal breaks is a retimed assignment, not a loss and a gain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from pydantic import Field

from scheduler.domain.base import Day, StrictModel
from scheduler.domain.rota import Assignment, Rota

AssignmentKey = tuple[str, dt.date, str | None, str | None, str | None, str]
"""(person, date, post, duty, shift, role): what makes an assignment the same one across rotas."""


def assignment_key(assignment: Assignment) -> AssignmentKey:
    a = assignment
    return (a.person, a.date, a.post, a.duty, a.shift, a.role)


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RETIMED = "retimed"


class AssignmentChange(StrictModel):
    """One assignment gained, lost or retimed by one person."""

    kind: ChangeKind = Field(description="'added' (the person gains it), 'removed' (loses it), 'retimed'.")
    person: str = Field(description="Person id.")
    date: Day = Field(description="Local date the shift starts.")
    post: str | None = Field(default=None, description="Post id (absent for a team duty).")
    duty: str | None = Field(default=None, description="Team duty id (absent for a post shift).")
    shift: str | None = Field(default=None, description="Shift template id (absent for a team duty).")
    role: str = Field(description="The role filled.")
    before: Assignment | None = Field(default=None, description="The assignment in the old rota (none if added).")
    after: Assignment | None = Field(default=None, description="The assignment in the new rota (none if removed).")

    @property
    def start(self) -> dt.datetime:
        moment = self.after or self.before
        assert moment is not None  # a change always has one side
        return moment.start


class RotaChanges(StrictModel):
    """Every difference between an old and a new rota, in time order."""

    changes: list[AssignmentChange] = Field(default_factory=list, description="Gains, losses and retimings.")

    @property
    def added(self) -> list[AssignmentChange]:
        return [c for c in self.changes if c.kind is ChangeKind.ADDED]

    @property
    def removed(self) -> list[AssignmentChange]:
        return [c for c in self.changes if c.kind is ChangeKind.REMOVED]

    @property
    def retimed(self) -> list[AssignmentChange]:
        return [c for c in self.changes if c.kind is ChangeKind.RETIMED]

    def people(self) -> list[str]:
        """Everyone affected, in order of first appearance."""
        return list(dict.fromkeys(c.person for c in self.changes))

    def of(self, person: str) -> list[AssignmentChange]:
        return [c for c in self.changes if c.person == person]

    def __bool__(self) -> bool:
        return bool(self.changes)


def _change(kind: ChangeKind, before: Assignment | None, after: Assignment | None) -> AssignmentChange:
    a = after or before
    assert a is not None
    return AssignmentChange(
        kind=kind,
        person=a.person,
        date=a.date,
        post=a.post,
        duty=a.duty,
        shift=a.shift,
        role=a.role,
        before=before,
        after=after,
    )


def _same_times(old: Assignment, new: Assignment) -> bool:
    return old.start == new.start and old.end == new.end and old.breaks == new.breaks


def diff_assignments(old: Iterable[Assignment], new: Iterable[Assignment]) -> RotaChanges:
    before = {assignment_key(a): a for a in old}
    after = {assignment_key(a): a for a in new}
    changes = [_change(ChangeKind.REMOVED, a, None) for key, a in before.items() if key not in after]
    changes += [_change(ChangeKind.ADDED, None, a) for key, a in after.items() if key not in before]
    changes += [
        _change(ChangeKind.RETIMED, before[key], a)
        for key, a in after.items()
        if key in before and not _same_times(before[key], a)
    ]
    changes.sort(key=lambda c: (c.start, c.post or c.duty or "", c.shift or "", c.person, c.kind.value))
    return RotaChanges(changes=changes)


def diff_rotas(old: Rota, new: Rota) -> RotaChanges:
    """What changed from `old` to `new` (pins and penalties are not changes for the people concerned)."""
    return diff_assignments(old.assignments, new.assignments)

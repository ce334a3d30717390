"""Why no rota meets every hard rule, and what would fix it, in the coordinator's terms."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from scheduler.domain.base import StrictModel


class Blocker(StrictModel):
    """Why one person who could in principle fill a gap does not."""

    person: str = Field(description="Person id.")
    name: str = Field(description="Person's name.")
    reasons: list[str] = Field(description="What keeps them off, in the coordinator's words.")


class Shortage(StrictModel):
    """A place and time that cannot be staffed as the rules demand."""

    place: str = Field(description="Post or team duty id.")
    role: str | None = Field(default=None, description="Role that is short, or none for people in general.")
    start: dt.datetime = Field(description="Start of the short time.")
    end: dt.datetime = Field(description="End of the short time.")
    needed: int = Field(description="People needed there then.")
    short_by: int = Field(description="How many people are missing at best.")
    blockers: list[Blocker] = Field(default_factory=list, description="Qualified people and what blocks them.")
    message: str = Field(description="The shortage in words.")


class Suggestion(StrictModel):
    """A small change to the rules that would make a rota possible."""

    message: str = Field(description="The change in words, e.g. 'one more security officer for Tue 00:00–08:00'.")
    place: str | None = Field(default=None, description="Post or duty concerned.")
    role: str | None = Field(default=None, description="Role concerned.")
    start: dt.datetime | None = Field(default=None, description="Start of the time concerned.")
    end: dt.datetime | None = Field(default=None, description="End of the time concerned.")
    extra_people: int = Field(default=0, description="People to add for that time.")


class Explanation(StrictModel):
    """Why no rota meets every hard rule, and what would fix it."""

    summary: str = Field(description="One paragraph for the coordinator.")
    shortages: list[Shortage] = Field(default_factory=list, description="Places and times that cannot be staffed.")
    conflicts: list[str] = Field(default_factory=list, description="Rules that contradict each other directly.")
    suggestions: list[Suggestion] = Field(default_factory=list, description="Smallest relaxations found.")

"""Why no rota meets every hard rule, and what would fix it, in the coordinator's terms.

Every text is kept twice: as a message (a code and its parameters, `scheduler.domain.messages`), which the
catalogue renders in the reader's language, and as its English rendering in the plain string fields, for readers
of the JSON that predate the codes. `text(words)` and friends give the words in the reader's language, or the stored
English when no renderer is given or the item was stored without a code.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from pydantic import Field

from scheduler.domain.base import StrictModel
from scheduler.domain.messages import Message

DETAIL = "detail"
"""Parameter of a headline's message that holds its rendered detail clauses (joined by SEPARATOR)."""
SEPARATOR = "explain.separator"
"""Code of the text between two detail clauses ('; ' / '；')."""


class Renderer(Protocol):
    """Anything that renders a message in one language (scheduler.reports.catalogue.Words)."""

    def render(self, message: Message) -> str: ...


def _said(message: Message | None, stored: str, words: Renderer | None) -> str:
    return stored if words is None or message is None else words.render(message)


class Blocker(StrictModel):
    """Why one person who could in principle fill a gap does not."""

    person: str = Field(description="Person id.")
    name: str = Field(description="Person's name.")
    reasons: list[str] = Field(description="What keeps them off, in the coordinator's words (English).")
    reason_messages: list[Message] = Field(
        default_factory=list, description="The reasons as messages, in the order of `reasons`."
    )

    def reason_texts(self, words: Renderer | None = None) -> list[str]:
        if words is None or len(self.reason_messages) != len(self.reasons):
            return list(self.reasons)
        return [words.render(m) for m in self.reason_messages]


class Shortage(StrictModel):
    """A place and time that cannot be staffed as the rules demand."""

    place: str = Field(description="Post or team duty id.")
    role: str | None = Field(default=None, description="Role that is short, or none for people in general.")
    start: dt.datetime = Field(description="Start of the short time.")
    end: dt.datetime = Field(description="End of the short time.")
    needed: int = Field(description="People needed there then.")
    short_by: int = Field(description="How many people are missing at best.")
    blockers: list[Blocker] = Field(default_factory=list, description="Qualified people and what blocks them.")
    message: str = Field(description="The shortage in words (English).")
    said: Message | None = Field(default=None, description="The shortage as a message.")

    def text(self, words: Renderer | None = None) -> str:
        return _said(self.said, self.message, words)


class Suggestion(StrictModel):
    """A small change to the rules that would make a rota possible."""

    message: str = Field(description="The change in words, e.g. 'one more security officer for Tue 00:00–08:00'.")
    said: Message | None = Field(default=None, description="The change as a message.")
    place: str | None = Field(default=None, description="Post or duty concerned.")
    role: str | None = Field(default=None, description="Role concerned.")
    start: dt.datetime | None = Field(default=None, description="Start of the time concerned.")
    end: dt.datetime | None = Field(default=None, description="End of the time concerned.")
    extra_people: int = Field(default=0, description="People to add for that time.")

    def text(self, words: Renderer | None = None) -> str:
        return _said(self.said, self.message, words)


class Capacity(StrictModel):
    """The most one person can work of the shifts a headline counts, and the limit that bounds it."""

    person: str = Field(description="Person id.")
    name: str = Field(description="Person's name.")
    most: int = Field(description="Most shifts they can work of those counted, over the period.")
    said: Message = Field(description="The person's count and limit as a message.")
    message: str = Field(description="The same in words (English).")

    def text(self, words: Renderer | None = None) -> str:
        return _said(self.said, self.message, words)


class Headline(StrictModel):
    """One cause, summed over the period: what the rules need against what the people can give, and the fix."""

    kind: str = Field(description="'role_count' (too few people of a role), 'nights' or 'meal_rule'.")
    role: str | None = Field(default=None, description="Role concerned, or none for people in general.")
    place: str | None = Field(default=None, description="Post or duty concerned (a contradictory rule's).")
    needed: int = Field(default=0, description="Shifts the hard rules need over the period.")
    most: int = Field(default=0, description="Most shifts the people of the role can work over the period.")
    extra_people: int = Field(default=0, description="Fewest extra people of the role that close the count.")
    said: Message = Field(description="The headline as a message; its {detail} holds the rendered `detail`.")
    detail: list[Message] = Field(default_factory=list, description="Clauses: how the need is made up.")
    message: str = Field(description="The headline in words (English).")
    people: list[Capacity] = Field(
        default_factory=list, description="The detail: each person of the role, the most they can work and why."
    )

    def text(self, words: Renderer | None = None) -> str:
        if words is None:
            return self.message
        clauses = [words.render(m) for m in self.detail]
        joined = words.render(Message(code=SEPARATOR)).join(clauses)
        return words.render(Message(code=self.said.code, params={**self.said.params, DETAIL: joined}))


class Explanation(StrictModel):
    """Why no rota meets every hard rule, and what would fix it."""

    summary: str = Field(description="One paragraph for the coordinator (English).")
    summary_said: Message | None = Field(default=None, description="The summary as a message.")
    headlines: list[Headline] = Field(
        default_factory=list, description="One line per cause, summed over the period; read these first."
    )
    shortages: list[Shortage] = Field(default_factory=list, description="Places and times that cannot be staffed.")
    conflicts: list[str] = Field(default_factory=list, description="Rules that contradict each other directly.")
    conflict_messages: list[Message] = Field(
        default_factory=list, description="The conflicts as messages, in the order of `conflicts`."
    )
    suggestions: list[Suggestion] = Field(default_factory=list, description="Smallest relaxations found.")

    def summary_text(self, words: Renderer | None = None) -> str:
        return _said(self.summary_said, self.summary, words)

    def conflict_texts(self, words: Renderer | None = None) -> list[str]:
        if words is None or len(self.conflict_messages) != len(self.conflicts):
            return list(self.conflicts)
        return [words.render(m) for m in self.conflict_messages]

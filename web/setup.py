"""A community's set-up: the non-people parts of a `Scenario`, stored as validated JSON."""

from __future__ import annotations

from pydantic import Field

from scheduler.models import (
    Ban,
    CoverageRule,
    MealRule,
    ObjectiveWeights,
    PairRule,
    PastAssignment,
    PersonLimits,
    Pin,
    Post,
    Role,
    StrictModel,
    Succession,
    TeamDuty,
    TimeWindow,
)


class CommunitySetup(StrictModel):
    """Roles, posts, duties and rules of a community; combined with its people and a week it makes a Scenario.

    Dated items (pins, bans, history) are kept here too; a week's scenario takes only those that concern it.
    """

    night_window: TimeWindow = Field(
        default_factory=lambda: TimeWindow.model_validate({"start": "00:00", "end": "06:00"}),
        description="A shift overlapping this window is a night shift.",
    )
    coordinator: str | None = Field(default=None, description="Coordinator's name and phone, for calendars.")
    roles: list[Role] = Field(min_length=1, description="Roles people can hold.")
    posts: list[Post] = Field(default_factory=list, description="Posts and their shifts.")
    team_duties: list[TeamDuty] = Field(default_factory=list, description="Daily team duties.")
    default_limits: PersonLimits = Field(default_factory=PersonLimits, description="Limits for everyone.")
    coverage: list[CoverageRule] = Field(default_factory=list, description="Staffing rules.")
    meal_rules: list[MealRule] = Field(default_factory=list, description="Staggered meal breaks, per post.")
    successions: list[Succession] = Field(default_factory=list, description="Forbidden next-day successions.")
    pairs: list[PairRule] = Field(default_factory=list, description="Pairs apart or together.")
    pins: list[Pin] = Field(default_factory=list, description="Dated assignments fixed by the coordinator.")
    bans: list[Ban] = Field(default_factory=list, description="Dated assignments forbidden by the coordinator.")
    history: list[PastAssignment] = Field(default_factory=list, description="Shifts worked before.")
    weights: ObjectiveWeights = Field(default_factory=ObjectiveWeights, description="Objective weights.")

    def role(self, role_id: str) -> Role | None:
        return next((role for role in self.roles if role.id == role_id), None)

    def places(self) -> list[tuple[str, str, str]]:
        """(id, zh name, en name) of every post and team duty."""
        posts = [(p.id, p.name.zh, p.name.en) for p in self.posts]
        return posts + [(d.id, d.name.zh, d.name.en) for d in self.team_duties]

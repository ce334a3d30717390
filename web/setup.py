"""A community's set-up: the non-people parts of a `Scenario`, stored as validated JSON."""

from __future__ import annotations

from scheduler.domain.community import Role
from scheduler.domain.scenario import CommunityRules


class CommunitySetup(CommunityRules):
    """Roles, posts, duties and rules of a community; combined with its people and a week it makes a Scenario.

    Dated items (pins, bans, history) are kept here too; a week's scenario takes only those that concern it.
    """

    def role(self, role_id: str) -> Role | None:
        return next((role for role in self.roles if role.id == role_id), None)

    def places(self) -> list[tuple[str, str, str]]:
        """(id, zh name, en name) of every post and team duty."""
        posts = [(p.id, p.name.zh, p.name.en) for p in self.posts]
        return posts + [(d.id, d.name.zh, d.name.en) for d in self.team_duties]

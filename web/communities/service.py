"""Communities without FastAPI: who may see which community, the one chosen per login session, creating one,
members.

An admin (the street office) sees every community without being a member; coordinators and viewers see only the
communities they are members of. Every route reads and writes the current community only (web.deps.get_community),
so membership is the whole of the separation between communities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scheduler import ScenarioPeriod
from web import roles
from web.store import CommunitySetup, audit, dump
from web.tables import Community, CommunityMember, Coordinator, LoginSession, PersonRow

NEW_ROLE: dict[str, Any] = {"id": "vol", "name": {"zh": "志愿者", "en": "Volunteer"}, "mark": "志"}
"""A new community's one role (a set-up needs at least one); its admin renames it or adds others."""


class CommunityError(Exception):
    """A refused change: `key` names the message (web.communities.messages), `field` the form field it concerns."""

    def __init__(self, key: str, field: str | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.field = field


@dataclass(frozen=True)
class CommunityRow:
    community: Community
    people: int
    members: int


def _members_of(user_id: int) -> Any:
    return select(CommunityMember.community_id).where(CommunityMember.coordinator_id == user_id)


def visible(db: Session, user: Coordinator) -> list[Community]:
    """The communities the account may see, by name (then id): every one for an admin, else its memberships."""
    query = select(Community).order_by(Community.name, Community.id)
    if not roles.is_admin(user.role):
        query = query.where(Community.id.in_(_members_of(user.id)))
    return list(db.scalars(query).all())


def visible_count(db: Session, user: Coordinator) -> int:
    query = select(func.count()).select_from(Community)
    if not roles.is_admin(user.role):
        query = query.where(Community.id.in_(_members_of(user.id)))
    return int(db.scalar(query) or 0)


def may_see(db: Session, user: Coordinator, community_id: int) -> bool:
    if roles.is_admin(user.role):
        return db.get(Community, community_id) is not None
    return is_member(db, user.id, community_id)


def visible_community(db: Session, user: Coordinator, community_id: int) -> Community | None:
    """The community if the account may see it; None otherwise (the caller answers 404: not even its existence)."""
    return db.get(Community, community_id) if may_see(db, user, community_id) else None


def current(db: Session, user: Coordinator, chosen: int | None) -> Community | None:
    """The session's chosen community if the account may still see it, else its first by name; None: none."""
    if chosen is not None:
        community = visible_community(db, user, chosen)
        if community is not None:
            return community
    query = select(Community).order_by(Community.name, Community.id).limit(1)
    if not roles.is_admin(user.role):
        query = query.where(Community.id.in_(_members_of(user.id)))
    return db.scalars(query).first()


def choose(db: Session, login: LoginSession, user: Coordinator, community_id: int) -> Community | None:
    """Make the community the session's current one; None (nothing changed) when the account may not see it."""
    community = visible_community(db, user, community_id)
    if community is None:
        return None
    login.community_id = community.id
    audit(db, user.username, "community.choose", community.name, community=community.id)
    return community


def rows(db: Session, communities: list[Community]) -> list[CommunityRow]:
    """Each community with its number of active people and of members (two grouped queries)."""
    ids = [c.id for c in communities]
    people_query = (
        select(PersonRow.community_id, func.count()).where(PersonRow.community_id.in_(ids), PersonRow.active.is_(True))
        .group_by(PersonRow.community_id)
    )
    people = {int(cid): int(n) for cid, n in db.execute(people_query)}
    member_query = (
        select(CommunityMember.community_id, func.count()).where(CommunityMember.community_id.in_(ids))
        .group_by(CommunityMember.community_id)
    )
    members = {int(cid): int(n) for cid, n in db.execute(member_query)}
    return [CommunityRow(c, people.get(c.id, 0), members.get(c.id, 0)) for c in communities]


def members(db: Session, community: Community) -> list[Coordinator]:
    query = (
        select(Coordinator).join(CommunityMember, CommunityMember.coordinator_id == Coordinator.id)
        .where(CommunityMember.community_id == community.id).order_by(Coordinator.username)
    )
    return list(db.scalars(query).all())


def create_community(db: Session, actor: str, name: str, timezone: str, language: str) -> Community:
    """A new, empty community: no people, one role (NEW_ROLE), its admin sets up the rest."""
    name = name.strip()
    try:
        name = ScenarioPeriod.model_validate({"community": name, "start": "2000-01-03"}).community
    except ValidationError as error:
        raise CommunityError("communities.bad_name", "name") from error
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CommunityError("communities.bad_timezone", "timezone") from error
    if language not in ("zh", "en"):
        raise CommunityError("communities.bad_language", "language")
    if db.scalar(select(Community.id).where(Community.name == name)) is not None:
        raise CommunityError("communities.name_taken", "name")
    setup = CommunitySetup.model_validate({"roles": [NEW_ROLE], "language": language})
    community = Community(name=name, timezone=timezone, setup=dump(setup))
    db.add(community)
    db.flush()
    audit(db, actor, "community.create", name, community=community.id, timezone=timezone, language=language)
    return community


def add_member(db: Session, actor: str | None, community: Community, user: Coordinator) -> bool:
    """Make the account a member; False when it already was."""
    if is_member(db, user.id, community.id):
        return False
    db.add(CommunityMember(coordinator_id=user.id, community_id=community.id))
    db.flush()
    audit(db, actor, "community.member_add", user.username, community=community.id, name=community.name)
    return True


def remove_member(db: Session, actor: str | None, community: Community, user: Coordinator) -> bool:
    """End the account's membership (its sessions choosing this community fall back to its first); False when it
    was none."""
    result = db.execute(
        delete(CommunityMember).where(
            CommunityMember.coordinator_id == user.id, CommunityMember.community_id == community.id
        )
    )
    if not getattr(result, "rowcount", 0):
        return False
    audit(db, actor, "community.member_remove", user.username, community=community.id, name=community.name)
    return True


def is_member(db: Session, user_id: int, community_id: int) -> bool:
    """Whether the account is a member already."""
    query = select(CommunityMember.id).where(
        CommunityMember.coordinator_id == user_id, CommunityMember.community_id == community_id
    )
    return db.scalar(query) is not None


def join_new_account(db: Session, actor: str | None, user: Coordinator, community_id: int | None) -> None:
    """A new coordinator or viewer joins the community it was invited to; without one (made on the command line),
    the deployment's only community when it has exactly one, so a one-community deployment needs no memberships
    managed. An admin joins none: it sees every community."""
    if roles.is_admin(user.role):
        return
    community = db.get(Community, community_id) if community_id is not None else None
    if community is None and community_id is None:
        only = db.scalars(select(Community).limit(2)).all()
        community = only[0] if len(only) == 1 else None
    if community is not None:
        add_member(db, actor, community, user)

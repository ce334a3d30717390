"""The communities in JSON, for scripts: the ones this account may see, and choosing the login session's current
one (every other route of the API then reads and writes that community). A community the account may not see
answers 404, as on the page: not even its existence shows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from web.communities import service
from web.deps import SESSION_KEY, ApiViewer, DbSession, JsonOnly, current_community
from web.logins import sessions as login_sessions
from web.store import transaction
from web.tables import Community
from web.validation import DbId

router = APIRouter(prefix="/api/communities", tags=["communities"])


class ErrorOut(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut, "description": "Not logged in."}}


class CommunityOut(BaseModel):
    id: int
    name: str
    timezone: str = Field(description="IANA time zone of the community's local times, e.g. Asia/Shanghai.")
    language: str = Field(description="The community's language (zh or en): its print-outs and messages.")
    people: int = Field(description="Active people.")
    current: bool = Field(description="Whether it is this login session's current community.")


def _out(row: service.CommunityRow, current: Community | None) -> CommunityOut:
    community = row.community
    return CommunityOut(
        id=community.id, name=community.name, timezone=community.timezone,
        language=str(community.setup.get("language") or "zh"),
        people=row.people, current=current is not None and current.id == community.id,
    )


@router.get("", response_model=list[CommunityOut], responses=_ERRORS)
def list_communities(request: Request, db: DbSession, user: ApiViewer) -> list[CommunityOut]:
    """The communities this account may see (an admin: every one), by name; `current` marks the session's."""
    current = current_community(request, db, user)
    return [_out(row, current) for row in service.rows(db, service.visible(db, user))]


@router.post(
    "/{community_id}/choose", response_model=CommunityOut,
    responses={
        **_ERRORS,
        404: {"model": ErrorOut, "description": "No such community (or not one this account may see)."},
        415: {"model": ErrorOut, "description": "The request is not JSON (send Content-Type: application/json)."},
    },
)
def choose_community(
    request: Request, community_id: DbId, db: DbSession, user: ApiViewer, _json: JsonOnly
) -> CommunityOut:
    """Make the community this login session's current one: the rest of the API then works within it."""
    key = request.session.get(SESSION_KEY)
    login = login_sessions.session_row(db, key) if isinstance(key, str) else None
    if login is None:  # the session ended a moment ago
        raise HTTPException(404, "no such community")
    with transaction(db):
        community = service.choose(db, login, user, community_id)
        if community is None:
            raise HTTPException(404, "no such community")
    row = service.rows(db, [community])[0]
    return _out(row, community)

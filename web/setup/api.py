"""JSON API of the community set-up: read it, or replace it whole (checked like the pages' changes)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from web.deps import ApiAdmin, ApiViewer, CurrentCommunity, DbSession, JsonOnly
from web.setup.service import ENGLISH, SetupRefused, save_setup
from web.store import CommunitySetup, setup_of

router = APIRouter(prefix="/api/community", tags=["community"])


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong.")


class ProblemOut(BaseModel):
    loc: list[str | int] = Field(description="Path of the field in the request, starting with 'body'.")
    msg: str = Field(description="What is wrong, and who uses a missing id.")
    type: str = Field(description="Kind of error, e.g. 'value_error'.")


class ProblemsOut(BaseModel):
    detail: list[ProblemOut] = Field(description="Every problem found, each with its field path.")


_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "Not logged in."},
    404: {"model": ErrorOut, "description": "No community is set up yet."},
}


@router.get("/setup", response_model=CommunitySetup, responses=_ERRORS)
def get_setup(user: ApiViewer, community: CurrentCommunity) -> CommunitySetup:
    """The community's roles, posts, duties and rules."""
    return setup_of(community)


@router.put(
    "/setup", response_model=CommunitySetup,
    responses={
        **_ERRORS,
        415: {"model": ErrorOut, "description": "The body is not application/json."},
        422: {
            "model": ProblemsOut,
            "description": "Invalid set-up: a field, an unknown post, shift, role or person (say where it is used), "
            "or people who would no longer make a valid scenario.",
        },
    },
)
def replace_setup(
    setup: CommunitySetup, db: DbSession, user: ApiAdmin, community: CurrentCommunity, _json: JsonOnly
) -> CommunitySetup:
    """Replace the whole set-up. Refused (and nothing stored) when an id used by a rule or a person is missing."""
    try:
        save_setup(db, community, setup, user.username, "setup.replace", community.name, via="api")
    except SetupRefused as refused:
        problems = [
            {"loc": ["body", *problem.loc], "msg": problem.render(ENGLISH), "type": "value_error"}
            for problem in refused.problems
        ]
        raise HTTPException(422, problems) from None
    return setup

"""JSON API for people, beside the pages (documented at /docs). Deactivate by PUT with `"active": false`."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from scheduler import Person
from web import roles
from web.deps import ApiEditor, ApiViewer, CurrentCommunity, DbSession, JsonOnly, person_row_or_404
from web.people.service import KeyTaken, add_person, update_person
from web.store import CommunitySetup, people_rows, person_from_row, setup_of
from web.tables import Coordinator

router = APIRouter(prefix="/api/people", tags=["people"])


class PeopleList(BaseModel):
    """Everyone on file, active or not."""

    people: list[Person] = Field(description="People, active first, by name.")


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong.")


_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "Not logged in."},
    404: {"model": ErrorOut, "description": "No such person or no community."},
}


def _check_references(person: Person, setup: CommunitySetup) -> None:
    roles = {r.id for r in setup.roles}
    places = {p[0] for p in setup.places()}
    problems = [
        {"loc": ["body", "roles", i], "msg": f"unknown role {role!r}", "type": "value_error"}
        for i, role in enumerate(person.roles) if role not in roles
    ]
    problems += [
        {"loc": ["body", "posts", i], "msg": f"unknown post or duty {post!r}", "type": "value_error"}
        for i, post in enumerate(person.posts or []) if post not in places
    ]
    if problems:
        raise HTTPException(422, problems)


@router.get("", response_model=PeopleList, responses=_ERRORS)
def list_people(db: DbSession, user: ApiViewer, community: CurrentCommunity) -> PeopleList:
    return PeopleList(people=[_shown(person_from_row(row), user) for row in people_rows(db, community)])


@router.get("/{key}", response_model=Person, responses=_ERRORS)
def get_person(key: str, db: DbSession, user: ApiViewer, community: CurrentCommunity) -> Person:
    row = person_row_or_404(db, community, key)
    return _shown(person_from_row(row), user)


def _shown(person: Person, user: Coordinator) -> Person:
    """Absence reasons are for those who edit people (PIPL): a viewer reads the absences without them."""
    if roles.can_edit(user.role) or not any(a.reason for a in person.absences):
        return person
    return person.model_copy(update={"absences": [a.model_copy(update={"reason": None}) for a in person.absences]})


@router.post(
    "", response_model=Person, status_code=status.HTTP_201_CREATED,
    responses={**_ERRORS, 409: {"model": ErrorOut, "description": "The id is taken."}, 415: {"model": ErrorOut}},
)
def create_person(
    person: Person, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly
) -> Person:
    _check_references(person, setup_of(community))
    try:
        add_person(db, community, person, user.username, via="api")
    except KeyTaken:
        raise HTTPException(status.HTTP_409_CONFLICT, f"the id {person.id!r} is taken") from None
    return person


@router.put("/{key}", response_model=Person, responses={**_ERRORS, 415: {"model": ErrorOut}})
def replace_person(
    key: str, person: Person, db: DbSession, user: ApiEditor, community: CurrentCommunity, _json: JsonOnly
) -> Person:
    row = person_row_or_404(db, community, key)
    if person.id != key:
        problem = {"loc": ["body", "id"], "msg": "the id cannot change", "type": "value_error"}
        raise HTTPException(422, [problem])
    _check_references(person, setup_of(community))
    update_person(db, row, person, user.username, via="api")
    return person

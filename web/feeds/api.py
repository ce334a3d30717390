"""JSON API of the secret links (documented at /docs): a person's page and calendar link, each post's feed link.

Read, renew (the old token dies at once) and revoke, as on the pages `/people/{key}/links` and `/feeds`. Answers
hold secrets: they are never cached and send no referrer. Writes take JSON only (`{}` will do), like every API
write, so a cross-site form cannot renew or revoke a link.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from web.deps import ApiEditor, ApiViewer, CurrentCommunity, DbSession, JsonOnly, person_row_or_404
from web.feeds import links
from web.feeds.addresses import person_addresses, post_addresses, post_names
from web.tables import AccessLink, Community, LinkKind, PersonRow

router = APIRouter(prefix="/api", tags=["links"])


class PersonLinkOut(BaseModel):
    """A person's secret link, if one is in force."""

    person: str = Field(description="The person's id.")
    active: bool = Field(description="Whether a link is in force (false: never made, or revoked).")
    page: str | None = Field(description="Their personal page: coming shifts, swaps, the calendar link.")
    calendar: str | None = Field(description="Their calendar feed (https).")
    webcal: str | None = Field(description="The same feed as a webcal:// link, which phones subscribe to.")
    created_at: dt.datetime | None = Field(description="When the link in force was made.")


class PostLinkOut(BaseModel):
    """A post's (or team duty's) whole-rota feed link, if one is in force."""

    post: str = Field(description="Post or team duty id.")
    name: str = Field(description="Its name (Chinese; the feed itself follows ?lang=en).")
    active: bool = Field(description="Whether a link is in force.")
    calendar: str | None = Field(description="The feed (https), in Chinese; add ?lang=en for English.")
    webcal: str | None = Field(description="The same feed as a webcal:// link.")
    created_at: dt.datetime | None = Field(description="When the link in force was made.")


_ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "Not logged in."},
    404: {"description": "No such person or post."},
    415: {"description": "A write whose body is not JSON."},
}


def _secret(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"



def _person_out(request: Request, row: PersonRow, link: AccessLink | None) -> PersonLinkOut:
    if link is None:
        return PersonLinkOut(person=row.key, active=False, page=None, calendar=None, webcal=None, created_at=None)
    addresses = person_addresses(request, link.token)
    return PersonLinkOut(
        person=row.key, active=True, page=addresses["page"], calendar=addresses["feed"],
        webcal=addresses["webcal"], created_at=link.created_at,
    )


@router.get("/people/{key}/link", response_model=PersonLinkOut, responses=_ERRORS)
def get_person_link(
    key: str, request: Request, response: Response, db: DbSession, user: ApiViewer, community: CurrentCommunity
) -> PersonLinkOut:
    row = person_row_or_404(db, community, key)
    _secret(response)
    return _person_out(request, row, links.active_link(db, community, LinkKind.PERSON, person_id=row.id))


@router.post("/people/{key}/link/renew", response_model=PersonLinkOut, responses=_ERRORS)
def renew_person_link(
    key: str, request: Request, response: Response, db: DbSession, user: ApiEditor, community: CurrentCommunity,
    _json: JsonOnly,
) -> PersonLinkOut:
    """Make a new link; the old one stops working at once."""
    row = person_row_or_404(db, community, key)
    _secret(response)
    return _person_out(request, row, links.change_person_link(db, community, user.username, row, renew=True))


@router.post("/people/{key}/link/revoke", response_model=PersonLinkOut, responses=_ERRORS)
def revoke_person_link(
    key: str, request: Request, response: Response, db: DbSession, user: ApiEditor, community: CurrentCommunity,
    _json: JsonOnly,
) -> PersonLinkOut:
    """Stop the link in force (the page and the calendar answer 404 from now on)."""
    row = person_row_or_404(db, community, key)
    _secret(response)
    return _person_out(request, row, links.change_person_link(db, community, user.username, row, renew=False))


def _post_out(request: Request, post: str, name: str, link: AccessLink | None) -> PostLinkOut:
    if link is None:
        return PostLinkOut(post=post, name=name, active=False, calendar=None, webcal=None, created_at=None)
    addresses = post_addresses(request, link.token)
    return PostLinkOut(
        post=post, name=name, active=True, calendar=addresses["feed"], webcal=addresses["webcal"],
        created_at=link.created_at,
    )


@router.get("/feeds/posts", response_model=list[PostLinkOut], responses=_ERRORS)
def list_post_links(
    request: Request, response: Response, db: DbSession, user: ApiViewer, community: CurrentCommunity
) -> list[PostLinkOut]:
    _secret(response)
    return [
        _post_out(request, post, name, links.active_link(db, community, LinkKind.POST, post=post))
        for post, name in post_names(community, "zh").items()
    ]


def _post_name_or_404(community: Community, post: str) -> str:
    name = post_names(community, "zh").get(post)
    if name is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such post")
    return name


@router.post("/feeds/posts/{post}/renew", response_model=PostLinkOut, responses=_ERRORS)
def renew_post_link(
    post: str, request: Request, response: Response, db: DbSession, user: ApiEditor, community: CurrentCommunity,
    _json: JsonOnly,
) -> PostLinkOut:
    name = _post_name_or_404(community, post)
    _secret(response)
    return _post_out(request, post, name, links.change_post_link(db, community, user.username, post, renew=True))


@router.post("/feeds/posts/{post}/revoke", response_model=PostLinkOut, responses=_ERRORS)
def revoke_post_link(
    post: str, request: Request, response: Response, db: DbSession, user: ApiEditor, community: CurrentCommunity,
    _json: JsonOnly,
) -> PostLinkOut:
    name = _post_name_or_404(community, post)
    _secret(response)
    return _post_out(request, post, name, links.change_post_link(db, community, user.username, post, renew=False))

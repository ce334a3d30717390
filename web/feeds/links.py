"""Secret, revocable links: a person's page and calendar feed, a post's whole-rota feed.

A link is a random token (URL-safe, 256 bits) stored in `AccessLink`. Renewing revokes the old token and makes a
new one, so a lost phone or a forwarded link stops working at once. Lookups of revoked or unknown tokens answer None:
callers answer 404 without saying which.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from web.store import audit, transaction
from web.tables import AccessLink, Community, LinkKind, PersonRow, utcnow

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def active_link(
    db: Session, community: Community, kind: LinkKind, *, person_id: int | None = None, post: str | None = None
) -> AccessLink | None:
    """The link in force for a person (kind PERSON) or a post (kind POST), if any."""
    query = select(AccessLink).where(
        AccessLink.community_id == community.id,
        AccessLink.kind == kind.value,
        AccessLink.revoked_at.is_(None),
    )
    query = (
        query.where(AccessLink.person_id == person_id)
        if kind is LinkKind.PERSON
        else query.where(AccessLink.post == post)
    )
    return db.scalars(query.order_by(AccessLink.id.desc())).first()


def ensure_link(
    db: Session, community: Community, kind: LinkKind, *, person_id: int | None = None, post: str | None = None
) -> AccessLink:
    """The link in force, made if there is none (call inside the caller's transaction)."""
    link = active_link(db, community, kind, person_id=person_id, post=post)
    if link is not None:
        return link
    link = AccessLink(community_id=community.id, kind=kind.value, person_id=person_id, post=post, token=new_token())
    db.add(link)
    db.flush()
    return link


def revoke(db: Session, link: AccessLink) -> None:
    link.revoked_at = utcnow()


def renew(
    db: Session, community: Community, kind: LinkKind, *, person_id: int | None = None, post: str | None = None
) -> AccessLink:
    """Revoke the link in force (if any) and make a new one."""
    old = active_link(db, community, kind, person_id=person_id, post=post)
    if old is not None:
        revoke(db, old)
        db.flush()
    return ensure_link(db, community, kind, person_id=person_id, post=post)


def resolve(db: Session, token: str, kind: LinkKind) -> AccessLink | None:
    """The link for a token, if it exists, is of this kind and is not revoked."""
    if not token or len(token) > 64:
        return None
    link = db.scalars(select(AccessLink).where(AccessLink.token == token)).first()
    if link is None or link.revoked_at is not None or link.kind != kind.value:
        return None
    return link


def person_of(db: Session, token: str) -> PersonRow | None:
    """The (active) person a personal link belongs to, or None for an unknown, revoked or foreign token."""
    link = resolve(db, token, LinkKind.PERSON)
    if link is None or link.person_id is None:
        return None
    person = db.get(PersonRow, link.person_id)
    return person if person is not None and person.active else None


def change_person_link(
    db: Session, community: Community, actor: str, person: PersonRow, *, renew: bool
) -> AccessLink | None:
    """Renew (revoke and make anew) or revoke a person's link, in one transaction with an audit entry; the link in
    force afterwards (None after revoking)."""
    with transaction(db):
        link = _change(db, community, renew, person_id=person.id)
        audit(db, actor, "link.renew" if renew else "link.revoke", f"person:{person.key}")
    return link


def change_post_link(db: Session, community: Community, actor: str, post: str, *, renew: bool) -> AccessLink | None:
    """The same for a post's whole-rota feed."""
    with transaction(db):
        link = _change(db, community, renew, post=post)
        audit(db, actor, "link.renew" if renew else "link.revoke", f"post:{post}")
    return link


def _change(
    db: Session, community: Community, renew_it: bool, *, person_id: int | None = None, post: str | None = None
) -> AccessLink | None:
    kind = LinkKind.PERSON if person_id is not None else LinkKind.POST
    if renew_it:
        return renew(db, community, kind, person_id=person_id, post=post)
    link = active_link(db, community, kind, person_id=person_id, post=post)
    if link is not None:
        revoke(db, link)
    return None

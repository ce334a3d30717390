"""What every page at a volunteer's secret link shares: the person of the link (or 404) and their language."""

from __future__ import annotations

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from web.feeds.links import person_of
from web.i18n import COOKIE, LANGUAGES, Translator
from web.tables import Community, PersonRow


def person_or_404(db: Session, token: str) -> PersonRow:
    """The person of a personal link, or 404 (unknown, revoked, or an inactive person)."""
    person = person_of(db, token)
    if person is None:
        raise HTTPException(404, "no such page")
    return person


def volunteer(db: Session, token: str) -> tuple[PersonRow, Community]:
    """The person of a personal link and their community, or 404."""
    person = person_or_404(db, token)
    community = db.get(Community, person.community_id)
    assert community is not None, "a person belongs to a community (foreign key)"
    return person, community


def personal_translator(request: Request, person: PersonRow) -> Translator:
    """The language switch (cookie) when used, else the person's own language."""
    cookie = request.cookies.get(COOKIE)
    return Translator("en" if (cookie if cookie in LANGUAGES else person.language) == "en" else "zh")

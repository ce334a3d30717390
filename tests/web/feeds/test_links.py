"""Secret links: made once, renewed (the old token dies), revoked, resolved only for their kind."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.orm import Session

from web.feeds.links import ensure_link, person_of, renew, resolve, revoke
from web.store import first_community, people_rows
from web.tables import LinkKind


def _session(app: FastAPI) -> Session:
    session: Session = app.state.rota.sessions()
    return session


def test_a_person_link_is_made_once_renewed_and_revoked(app: FastAPI) -> None:
    with _session(app) as db, db.begin():
        community = first_community(db)
        assert community is not None
        person = people_rows(db, community)[0]
        link = ensure_link(db, community, LinkKind.PERSON, person_id=person.id)
        assert ensure_link(db, community, LinkKind.PERSON, person_id=person.id).token == link.token
        assert len(link.token) >= 40
        found = person_of(db, link.token)
        assert found is not None and found.id == person.id
        assert resolve(db, link.token, LinkKind.POST) is None

        renewed = renew(db, community, LinkKind.PERSON, person_id=person.id)
        assert renewed.token != link.token
        assert person_of(db, link.token) is None
        assert person_of(db, renewed.token) is not None

        revoke(db, renewed)
        assert person_of(db, renewed.token) is None
        assert person_of(db, "") is None and person_of(db, "x" * 65) is None


def test_a_deactivated_person_has_no_page(app: FastAPI) -> None:
    with _session(app) as db, db.begin():
        community = first_community(db)
        assert community is not None
        person = people_rows(db, community)[0]
        link = ensure_link(db, community, LinkKind.PERSON, person_id=person.id)
        person.active = False
        assert person_of(db, link.token) is None


def test_a_post_link(app: FastAPI) -> None:
    with _session(app) as db, db.begin():
        community = first_community(db)
        assert community is not None
        link = ensure_link(db, community, LinkKind.POST, post="gate")
        assert resolve(db, link.token, LinkKind.POST) is not None
        assert resolve(db, link.token, LinkKind.PERSON) is None

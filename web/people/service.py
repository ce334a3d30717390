"""Changing the community's people, with no HTTP: add, update, deactivate and reactivate a person, replace their
availability, import a spreadsheet's people. Each change is one transaction with an audit entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler import STORED, Absence, Person, WeeklyWindow
from web.people import import_plan
from web.people.import_plan import ImportPlan
from web.people.spreadsheet import SheetTable
from web.store import apply_person, audit, people_rows, person_from_row, person_row, setup_of, transaction
from web.tables import Community, PersonRow


class KeyTaken(Exception):
    """Someone on file already has this id."""


def add_person(db: Session, community: Community, person: Person, actor: str, **details: Any) -> None:
    """Store a new person; KeyTaken when the id is on file (or was added by someone else in the meantime)."""
    if person_row(db, community, person.id) is not None:
        raise KeyTaken(person.id)
    try:
        with transaction(db):
            row = PersonRow(community_id=community.id)
            apply_person(row, person)
            db.add(row)
            audit(db, actor, "person.create", person.id, name=person.name, **details)
    except IntegrityError:
        raise KeyTaken(person.id) from None


def update_person(db: Session, row: PersonRow, person: Person, actor: str, **details: Any) -> None:
    with transaction(db):
        apply_person(row, person)
        audit(db, actor, "person.update", person.id, name=person.name, **details)


def set_active(db: Session, row: PersonRow, actor: str, active: bool) -> None:
    """Deactivate (kept on file, planned no more) or reactivate a person."""
    with transaction(db):
        row.active = active
        audit(db, actor, "person.reactivate" if active else "person.deactivate", row.key)


def replace_availability(
    db: Session, row: PersonRow, actor: str, action: str, via: str, *,
    availability: list[WeeklyWindow] | None = None, absences: list[Absence] | None = None,
) -> Person:
    """Store new windows and/or absences on a person, validated as a whole Person, in one transaction."""
    data = person_from_row(row).model_dump(mode="json", by_alias=True)
    if availability is not None:
        data["availability"] = [w.model_dump(mode="json") for w in availability]
    if absences is not None:
        data["absences"] = [a.model_dump(mode="json") for a in absences]
    # the new windows and absences are validated already; the rest is the stored person (never refused)
    person = Person.model_validate(data, context=STORED)
    with transaction(db):
        apply_person(row, person)
        audit(db, actor, action, person.id, via=via, windows=len(person.availability), absences=len(person.absences))
    return person


def plan_import(db: Session, community: Community, table: SheetTable) -> tuple[ImportPlan, dict[str, PersonRow]]:
    """What importing the table would do, and the rows on file by id (to write the plan to)."""
    rows = {row.key: row for row in people_rows(db, community)}
    existing = {key: person_from_row(row) for key, row in rows.items()}
    return import_plan.validate_table(table, setup_of(community), existing), rows


def write_import(
    db: Session, community: Community, actor: str, plan: ImportPlan, rows: dict[str, PersonRow], filename: str,
    via: str,
) -> None:
    """Everyone in the file, or nobody: one transaction with one audit entry."""
    with transaction(db):
        for planned in plan.people:
            row = rows.get(planned.person.id)
            if row is None:
                row = PersonRow(community_id=community.id)
                db.add(row)
            apply_person(row, planned.person)
        audit(
            db, actor, "people.import", filename, via=via,
            created=[p.person.id for p in plan.created], updated=[p.person.id for p in plan.updated],
        )

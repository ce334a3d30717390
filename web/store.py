"""Reading and writing the stored state: the community, its people, a week's Scenario, the example on first start.

Stored JSON (a community's set-up, a person's row, a kept scenario, rota or explanation of a draft, a published
version or a solve job) is validated into its model in one place, `validated`, once per row and stored value: a
page that asks for the set-up ten times validates it once. Every feature reads stored JSON through it (`stored`,
`stored_rota`, `stored_scenario`, `job_rota`, `setup_of`, `person_from_row`) and writes it with `store_json`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler import (
    STORED,
    Assignment,
    CommunityRules,
    ObjectiveWeights,
    PastAssignment,
    Person,
    Role,
    Rota,
    Scenario,
    ScenarioPeriod,
    load_scenario,
)
from web.tables import (
    AuditEntry,
    CheckIn,
    CheckInStatus,
    Community,
    PersonRow,
    RotaDraft,
    RotaVersion,
    Signup,
    SignupChoice,
    SignupRound,
    SolveJob,
)

M = TypeVar("M", bound=BaseModel)

HISTORY_DAYS = 14
"""A week's scenario carries the shifts of at least this many days before it (rest and consecutive-day rules), and
of the set-up's `fairness_weeks` weeks when those are more (fairness over weeks)."""
MAX_PERIOD_DAYS = 31
"""Published periods that started up to this long before the history window may still reach into it."""


def history_days(setup: CommunityRules) -> int:
    """How many days before a period its scenario's history covers."""
    return max(HISTORY_DAYS, 7 * setup.weights.fairness_weeks)

_PERSON_JSON = ("limits", "shift_limits", "availability", "absences", "preferences")
_PERSON_COLUMNS = ("key", "name", "roles", "phone", "language", "posts", "meal_minutes", "active", *_PERSON_JSON)
_CACHE = "_rota_validated"
"""The instance attribute holding a row's validated values (not a column: SQLAlchemy leaves it alone)."""


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


def validated(
    row: object, model: type[M], columns: tuple[str, ...], read: Callable[[Any], object] | None = None
) -> M:
    """`model` validated from the row's `columns`, kept on the row until one of those values is replaced.

    The engine's models are frozen, so one validated value may be shared by every caller. A column is only ever
    changed by assigning a new value (JSON columns do not track changes inside), and a reload replaces it too, so
    the very same stored objects mean the same validated value. `read` builds the data from the row (default: the
    one column's value).
    """
    values = tuple(getattr(row, column) for column in columns)
    cache = _cache(row)
    hit = cache.get((model, columns))
    if hit is not None and all(a is b for a, b in zip(hit[0], values, strict=True)):
        result = hit[1]
    else:
        # Stored values were accepted when written: repaired, never refused (scheduler/domain/text.py).
        result = model.model_validate(read(row) if read is not None else values[0], context=STORED)
        cache[(model, columns)] = (values, result)
    assert isinstance(result, model)
    return result


def _cache(row: object) -> dict[tuple[type[BaseModel], tuple[str, ...]], tuple[tuple[object, ...], BaseModel]]:
    """(model, columns) -> (the stored values, the model validated from them), kept on the row."""
    cache: dict[tuple[type[BaseModel], tuple[str, ...]], tuple[tuple[object, ...], BaseModel]]
    cache = vars(row).setdefault(_CACHE, {})
    return cache


def stored(row: object, column: str, model: type[M]) -> M:
    """A JSON column of a row (a draft's, a version's, a job's) as its model, validated once per row and value."""
    return validated(row, model, (column,))


def stored_scenario(row: RotaDraft | RotaVersion | SolveJob) -> Scenario:
    """The scenario kept on a row (a draft, a published version, a solve job), validated once."""
    return stored(row, "scenario", Scenario)


def stored_rota(row: RotaDraft | RotaVersion | SolveJob) -> Rota:
    """The rota kept on a row (a draft, a published version, a solve job), validated once (a job's: only when it
    has one; see `job_rota`)."""
    return stored(row, "rota", Rota)


def job_rota(job: SolveJob) -> Rota | None:
    """A finished job's rota, validated once; None when it found none."""
    return stored_rota(job) if job.rota is not None else None


def dump(model: BaseModel) -> dict[str, Any]:
    """A model as stored in a JSON column."""
    return model.model_dump(mode="json", by_alias=True)


def store_json(row: object, column: str, model: BaseModel) -> None:
    """Write a model into a row's JSON column; reading it back (`stored`, `stored_rota`, ...) needs no validation."""
    source = dump(model)
    setattr(row, column, source)
    _cache(row)[(type(model), (column,))] = ((getattr(row, column),), model)


AUDIT_COMMUNITY = "audit_community_id"
"""Key of a database session's `info`: the community its request works on, for `audit`."""


def audit(
    db: Session, actor: str | None, action: str, target: str | None, *, community_id: int | None = None,
    **details: Any,
) -> None:
    """Record a change in the same transaction as the change itself; `community_id` names the community it concerns
    (a week's audit list, a person's export and erasure take their community's entries only). Without it, the
    request's current community (web.deps.get_community notes it in the session's `info`), if any."""
    if community_id is None:
        community_id = db.info.get(AUDIT_COMMUNITY)
    db.add(AuditEntry(actor=actor, action=action, target=target, details=details, community_id=community_id))


def first_community(db: Session) -> Community | None:
    return db.scalars(select(Community).order_by(Community.id).limit(1)).first()


def setup_of(community: Community) -> CommunitySetup:
    return validated(community, CommunitySetup, ("setup",))


def person_from_row(row: PersonRow) -> Person:
    return validated(row, Person, _PERSON_COLUMNS, _person_data)


def _person_data(row: PersonRow) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.key, "name": row.name, "roles": row.roles, "phone": row.phone, "language": row.language,
        "posts": row.posts, "meal_minutes": row.meal_minutes, "active": row.active,
    }
    data.update({field: getattr(row, field) for field in _PERSON_JSON})
    return data


def apply_person(row: PersonRow, person: Person) -> None:
    """Copy a validated Person onto a row (the key included)."""
    data = person.model_dump(mode="json", by_alias=True)
    row.key = person.id
    row.name = person.name
    row.roles = data["roles"]
    row.phone = person.phone
    row.language = person.language
    row.posts = data["posts"]
    row.meal_minutes = person.meal_minutes
    row.active = person.active
    for field in _PERSON_JSON:
        setattr(row, field, data[field])


def people_rows(db: Session, community: Community, *, active_only: bool = False) -> list[PersonRow]:
    query = select(PersonRow).where(PersonRow.community_id == community.id)
    if active_only:
        query = query.where(PersonRow.active.is_(True))
    return list(db.scalars(query.order_by(PersonRow.active.desc(), PersonRow.name, PersonRow.key)))


def person_row(db: Session, community: Community, key: str) -> PersonRow | None:
    query = select(PersonRow).where(PersonRow.community_id == community.id, PersonRow.key == key)
    return db.scalars(query).first()


def build_scenario(db: Session, community: Community, start: dt.date, days: int = 7) -> Scenario:
    """The Scenario for a period: the community's set-up, its active people, and the dated items that concern it.

    Raises pydantic.ValidationError when the stored set-up and people do not make a valid scenario.
    """
    setup = setup_of(community)
    people = [person_from_row(row) for row in people_rows(db, community, active_only=True)]
    active = {p.id for p in people}
    end = start + dt.timedelta(days=days)
    zone_start = dt.datetime.combine(start - dt.timedelta(days=history_days(setup)), dt.time())
    period_start = dt.datetime.combine(start, dt.time())

    def naive(moment: dt.datetime) -> dt.datetime:
        return moment.replace(tzinfo=None)

    wishes, signed_pins = _signups(db, community, setup, start, active)
    data = setup.model_dump(mode="json", by_alias=True)
    data.update(
        community=community.name, timezone=community.timezone, start=start.isoformat(), days=days,
        people=[_with_wishes(p.model_dump(mode="json", by_alias=True), wishes.get(p.id, [])) for p in people],
        pairs=[r.model_dump(mode="json") for r in setup.pairs if set(r.people) <= active],
        pins=[p.model_dump(mode="json") for p in setup.pins if p.person in active and start <= p.date < end]
        + [p for p in signed_pins if dt.date.fromisoformat(p["date"]) < end],
        bans=[b.model_dump(mode="json") for b in setup.bans if b.person in active and start <= b.date < end],
        history=[
            h.model_dump(mode="json") for h in _history(db, community, setup, start, active)
            if zone_start <= naive(h.start) and naive(h.end) <= period_start
        ],
    )
    return Scenario.model_validate(data, context=STORED)


SIGNUP_WEIGHT = 10
"""The weight of a sign-up as a wish, before the cap that keeps it from calling anyone out (`signup_weight`)."""


def signup_weight(weights: ObjectiveWeights, minutes: int) -> int:
    """A sign-up's wish weight for a shift of `minutes`: strong, yet less than the shift's own staffing cost, so a
    sign-up chooses who works a shift the rota needs and never calls out someone it does not (docs/rules.md, "The
    objective"): preferences × weight < staffing × hours, as far as the least weight (1) allows."""
    if weights.staffing == 0:
        return SIGNUP_WEIGHT
    below = (weights.staffing * minutes - 1) // (60 * max(weights.preferences, 1))
    return max(1, min(SIGNUP_WEIGHT, below))


def _signups(
    db: Session, community: Community, setup: CommunitySetup, start: dt.date, active: set[str]
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The sign-ups of the round for the period starting on `start`: wishes per person id ("I'll do it" wants the
    shift, "I'd rather not" avoids it), and, when the round says so, pins of the shifts signed up for."""
    found = db.scalars(select(SignupRound).where(
        SignupRound.community_id == community.id, SignupRound.week_start == start,
    )).first()
    if found is None:
        return {}, []
    lengths = {(post.id, shift.id): shift.minutes for post in setup.posts for shift in post.shifts}
    keys = dict(db.execute(select(PersonRow.id, PersonRow.key).where(PersonRow.community_id == community.id)).all())
    wishes: dict[str, list[dict[str, Any]]] = {}
    pins: list[dict[str, Any]] = []
    for answer in db.scalars(select(Signup).where(Signup.round_id == found.id).order_by(Signup.id)):
        person = keys.get(answer.person_id)
        minutes = lengths.get((answer.place, answer.shift))
        if person not in active or minutes is None:
            continue  # someone inactive now, or a shift the set-up no longer has
        assert person is not None
        where = {"date": answer.date.isoformat(), "post": answer.place, "shift": answer.shift}
        if answer.choice == SignupChoice.YES and found.as_pins:
            pins.append({"person": person, **where})
            continue
        kind = "wants" if answer.choice == SignupChoice.YES else "avoids"
        weight = signup_weight(setup.weights, minutes)
        wishes.setdefault(person, []).append({"kind": kind, **where, "weight": weight})
    return wishes, pins


def _with_wishes(person: dict[str, Any], wishes: list[dict[str, Any]]) -> dict[str, Any]:
    if wishes:
        person["preferences"] = [*person.get("preferences", []), *wishes]
    return person


def _history(
    db: Session, community: Community, setup: CommunitySetup, start: dt.date, active: set[str]
) -> list[PastAssignment]:
    """The shifts worked before `start`, for rest and consecutive-day rules across the period boundary and for
    fairness over weeks: those typed into the set-up, and those of the published periods before it (the latest
    version of each: what people were told), at the times recorded at the post where someone checked them in, and
    without the shifts recorded as no-shows. Only active people's; each shift once."""
    zone = ZoneInfo(community.timezone)
    period_start = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    earliest = start - dt.timedelta(days=history_days(setup) + MAX_PERIOD_DAYS)
    latest = (
        select(RotaVersion.week_start, func.max(RotaVersion.version))
        .where(RotaVersion.community_id == community.id, RotaVersion.week_start < start,
               RotaVersion.week_start >= earliest)
        .group_by(RotaVersion.week_start)
    )
    past = [h for h in setup.history if h.person in active]
    facts = _check_ins(db, community, earliest, start)
    for week_start, number in db.execute(latest).all():
        row = db.scalars(select(RotaVersion).where(
            RotaVersion.community_id == community.id, RotaVersion.week_start == week_start,
            RotaVersion.version == number,
        )).one()
        snapshot = stored_scenario(row) if row.scenario is not None else None
        for a in stored_rota(row).assignments:
            if a.person in active and a.end <= period_start:
                fact = facts.get((a.person, a.place, a.shift or a.place, a.date))
                times = (a.start, a.end) if fact is None else _as_served(fact, a)
                if times is None:
                    continue  # recorded as not come: neither rest nor fairness counts it
                start, end = times
                past.append(PastAssignment(
                    person=a.person, start=start, end=end, post=a.place, night=_was_night(snapshot, a),
                ))
    unique: dict[tuple[str, dt.datetime, dt.datetime], PastAssignment] = {}
    for item in past:  # the set-up's first, in their order; a published shift also typed in is kept once
        unique.setdefault((item.person, item.start, item.end), item)
    return list(unique.values())


def _check_ins(
    db: Session, community: Community, first: dt.date, before: dt.date
) -> dict[tuple[str, str, str, dt.date], CheckIn]:
    """What was recorded at the posts for shifts starting on [first, before), by (person id, place, shift, date)."""
    rows = db.execute(
        select(CheckIn, PersonRow.key).join(PersonRow, PersonRow.id == CheckIn.person_id)
        .where(CheckIn.community_id == community.id, CheckIn.date >= first, CheckIn.date < before)
    ).all()
    return {(key, row.place, row.shift, row.date): row for row, key in rows}


def _as_served(fact: CheckIn, a: Assignment) -> tuple[dt.datetime, dt.datetime] | None:
    """The times a recorded shift was served, as the service record counts them (web.record.service.served): from
    the arrival (else the planned start) to the departure (else the planned end), kept within the planned shift;
    None for a no-show or a record with no time left."""
    if fact.status == CheckInStatus.NO_SHOW:
        return None
    start = max(fact.arrived_at or a.start, a.start)
    end = min(fact.left_at or a.end, a.end)
    return (start, end) if end > start else None


def _was_night(rules: Scenario | None, a: Assignment) -> bool:
    """Whether the shift counted as a night shift under the rules it was published with (unknown: no)."""
    if rules is None:
        return False
    for post in rules.posts:
        if post.id == a.post:
            template = next((s for s in post.shifts if s.id == a.shift), None)
            if template is not None:
                return rules.is_night(template)
    for duty in rules.team_duties:
        if duty.id == a.duty:
            return rules.overlaps_night(duty.window.start, duty.window.minutes)
    return False


def import_scenario(db: Session, scenario: Scenario) -> Community:
    """A new community from a scenario: its set-up, and its people (inactive ones too)."""
    data = scenario.model_dump(mode="json", by_alias=True)
    setup = CommunitySetup.model_validate({key: data[key] for key in CommunitySetup.model_fields})
    community = Community(
        name=scenario.community, timezone=scenario.timezone, setup=setup.model_dump(mode="json", by_alias=True)
    )
    db.add(community)
    db.flush()
    for person in scenario.people:
        row = PersonRow(community_id=community.id)
        apply_person(row, person)
        db.add(row)
    return community


def repair_stored_texts(db: Session) -> int:
    """Rewrite the stored names, labels and notes that an earlier version accepted and today's rules refuse (too
    long, control or bidi characters: scheduler/domain/text.py), so a page showing a stored column as it is shows it
    repaired too; the number of rows changed. Run at every start: a row already clean is left alone, a row that
    does not validate for other reasons is left for its page to report."""
    changed = 0
    for community in db.scalars(select(Community)):
        try:
            setup = CommunitySetup.model_validate(community.setup, context=STORED)
            name = ScenarioPeriod.model_validate(
                {"community": community.name, "start": "2000-01-03"}, context=STORED
            ).community
        except ValidationError:
            continue
        clean = dump(setup)
        if clean != community.setup or name != community.name:
            community.setup, community.name = clean, name
            changed += 1
    for row in db.scalars(select(PersonRow)):
        try:
            person = person_from_row(row)
        except ValidationError:
            continue
        if (person.name, person.phone) != (row.name, row.phone) or dump(person)["absences"] != row.absences:
            apply_person(row, person)
            changed += 1
    return changed


def load_example_if_empty(db: Session, path: Path | None) -> Community | None:
    """On first start (no community yet) load the example scenario file; None when nothing was loaded."""
    if path is None or db.scalar(select(func.count()).select_from(Community)):
        return None
    community = import_scenario(db, load_scenario(path))
    audit(db, None, "community.import", community.name, file=path.name)
    return community


@contextmanager
def transaction(db: Session) -> Iterator[Session]:
    """One change, all or nothing: commit at the end, roll back on any error (reads before it included)."""
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise

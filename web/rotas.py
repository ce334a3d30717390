"""The rota of a week: its working draft, hand adjustments checked by the validator, and published versions.

No HTTP here: the pages (`web.routers.rota`) and the JSON API (`web.routers.api_rota`) call these functions, and
so can later features (calendar feeds, print-outs, repair).

Storage (tables in `web.tables`):

- `RotaDraft`: one per community and week (`week_start`). `rota` is a `scheduler.models.Rota`; `scenario` is the
  `Scenario` snapshot it is checked against: the solve job's, plus the pins the coordinator adds here (pinning an
  assignment adds a `Pin` to the snapshot, so the validator, and any later re-solve of the snapshot, keep it).
  After every change the rota's `objective` and `penalties` are the checker's, recomputed from scratch, and its
  `status` is `feasible` when it keeps every hard rule, `invalid` when the coordinator saved it anyway with
  violations (a hand-made rota is never called optimal). `bound` stays the solve's lower bound for the scenario.
- `RotaVersion`: a published draft, immutable (an ORM guard below refuses updates). Versions are numbered 1, 2, ...
  per community and week; each stores its rota and its scenario snapshot, so a version can always be re-checked,
  printed or repaired exactly as it was published.

Every change is one transaction with an audit entry (`web.store.audit`).

The checker's verdict on a draft (violations, penalties, objective) is kept in `RotaDraft.check_result` with a
fingerprint of the stored rota, scenario and checker source it was computed for: every change made here stores it,
and `load_draft` reuses it only while the fingerprint matches, so the 'has violations' flag can never be stale, even
when other code (repairs, swaps) writes the draft without knowing about it: a missing or stale verdict is simply
recomputed (about 40-60 ms for the 120-person example, instead of on every view). Pages go through `viewed_draft`,
which also keeps the last few checked drafts in memory, keyed by the row's `updated_at`: code that writes a draft's
rota or scenario must let `updated_at` move (the ORM does it on every update of the row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import event, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapper, Session, defer
from sqlalchemy.orm.exc import StaleDataError

from scheduler.check import CheckResult, check
from scheduler.check.fingerprint import checker_fingerprint
from scheduler.domain.diff import RotaChanges, diff_rotas
from scheduler.domain.people import Pin
from scheduler.domain.rota import Assignment, Break, Rota, SolveStatus, Violation
from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.meal_breaks import break_length, break_starts, middle_steps, occurrences
from scheduler.model.timeline import Instances, ShiftInstance
from web.store import audit, transaction
from web.tables import Community, JobStatus, RotaDraft, RotaVersion, SolveJob

# ------------------------------------------------------------------------------------------------ errors


class RotaProblem(Exception):
    """A request that cannot be carried out, with the field it concerns and a message key (web/messages/rota.py).

    `field` is a dotted path inside the adjustment ('assignment.person', 'to_person', 'role', ...), or '' when it
    concerns the week as a whole. `code` names the message `rota.problem.<code>`; `values` fill it in.
    """

    def __init__(self, code: str, field: str = "", status: int = 422, **values: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.status = status
        self.values = values


# ------------------------------------------------------------------------------------------- adjustments


class Slot(BaseModel):
    """One shift instance: a post's shift (or a team duty) on a date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    place: str = Field(min_length=1, max_length=64, description="Post or team duty id.")
    shift: str | None = Field(default=None, max_length=64, description="Shift template id; omit for a team duty.")
    date: dt.date = Field(description="Local date the shift starts.")


class AssignmentRef(Slot):
    """One person on one shift instance (a person is on an instance at most once)."""

    person: str = Field(min_length=1, max_length=64, description="Person id.")


class PinAdjustment(BaseModel):
    """Pin an assignment (the validator then requires it) or unpin it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["pin", "unpin"] = Field(description="'pin' or 'unpin'.")
    assignment: AssignmentRef = Field(description="The assignment.")


class MoveAdjustment(BaseModel):
    """Give an assignment to another person: same shift and meal-break time; the same role when they hold it,
    else their own first role (the checker tells whether coverage needed the old one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["move"] = Field(description="'move'.")
    assignment: AssignmentRef = Field(description="The assignment to hand over.")
    to_person: str = Field(min_length=1, max_length=64, description="Person id who takes it.")


class RemoveAdjustment(BaseModel):
    """Take a person off a shift."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["remove"] = Field(description="'remove'.")
    assignment: AssignmentRef = Field(description="The assignment to remove.")


class AddAdjustment(BaseModel):
    """Put a person on a shift instance in a role; their meal breaks are placed where fewest others are away."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["add"] = Field(description="'add'.")
    slot: Slot = Field(description="The shift instance.")
    person: str = Field(min_length=1, max_length=64, description="Person id.")
    role: str = Field(min_length=1, max_length=64, description="Role id the person fills.")


class SwapAdjustment(BaseModel):
    """Two people exchange assignments: each takes the other's shift (roles as for a move)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["swap"] = Field(description="'swap'.")
    first: AssignmentRef = Field(description="One assignment.")
    second: AssignmentRef = Field(description="The other assignment (another person's).")


class BreakAdjustment(BaseModel):
    """Move one of an assignment's meal breaks to another start, keeping its length (the checker tells whether the
    new time fits the meal window and leaves the post staffed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["break"] = Field(description="'break'.")
    assignment: AssignmentRef = Field(description="The assignment whose break moves.")
    index: int = Field(default=0, ge=0, le=9, description="Which of its breaks, 0 = the earliest.")
    start: dt.datetime = Field(description="The break's new start, ISO 8601 with offset; within the shift.")

    @field_validator("start")
    @classmethod
    def _aware(cls, start: dt.datetime) -> dt.datetime:
        if start.tzinfo is None:
            raise ValueError("give the start with its UTC offset, e.g. 2026-12-07T12:00:00+08:00")
        return start


Adjustment = Annotated[
    PinAdjustment | MoveAdjustment | RemoveAdjustment | AddAdjustment | SwapAdjustment | BreakAdjustment,
    Field(discriminator="kind"),
]
"""One hand change to a draft, told apart by `kind`."""


# ------------------------------------------------------------------------------------------ loaded state


@dataclass(frozen=True)
class CheckedRota:
    """A rota with the scenario it belongs to and the checker's verdict on it."""

    scenario: Scenario
    rota: Rota
    result: CheckResult

    @property
    def has_violations(self) -> bool:
        return bool(self.result.violations)


@dataclass(frozen=True)
class PublishedRota:
    """A published version of a week, as calendars, print-outs and repairs read it."""

    id: int
    """RotaVersion row id (SwapRequest.version_id refers to it)."""
    week_start: dt.date
    version: int
    rota: Rota
    scenario: Scenario
    """The scenario the rota was checked against when published (people's names, posts, shifts, rules)."""
    published_at: dt.datetime
    published_by: str
    note: str | None


@dataclass(frozen=True)
class AdjustOutcome:
    """What an adjustment did or would do: the new rota, its check, and the violations it newly introduces.

    `saved` is False when the change adds violations and was not confirmed: nothing was written then.
    """

    adjustment: PinAdjustment | MoveAdjustment | RemoveAdjustment | AddAdjustment | SwapAdjustment | BreakAdjustment
    checked: CheckedRota
    new_violations: list[Violation]
    saved: bool


@dataclass(frozen=True)
class WeekSummary:
    """A week with a draft or published versions (the week chooser lists these)."""

    week_start: dt.date
    has_draft: bool
    versions: int


def checked(scenario: Scenario, rota: Rota) -> CheckedRota:
    return CheckedRota(scenario, rota, check(scenario, rota))


def draft_row(db: Session, community: Community, week_start: dt.date, *, lazy: bool = False) -> RotaDraft | None:
    """The week's draft row; with `lazy`, its rota and scenario (~160 KB of JSON) are read only when used (a view
    that finds the draft among the recently viewed ones does not need them)."""
    query = select(RotaDraft).where(RotaDraft.community_id == community.id, RotaDraft.week_start == week_start)
    if lazy:
        query = query.options(defer(RotaDraft.rota), defer(RotaDraft.scenario))
    return db.scalars(query).first()


def load_draft(row: RotaDraft) -> CheckedRota:
    """The draft's rota and scenario, validated, with the checker's verdict: the kept one while it is fresh, else
    checked afresh and kept on the row (saved with the session's next commit; `viewed_draft` commits it)."""
    scenario, rota = Scenario.model_validate(row.scenario), Rota.model_validate(row.rota)
    result = kept_result(row)
    if result is None:
        result = check(scenario, rota)
        keep_result(row, result)
    return CheckedRota(scenario, rota, result)


def viewed_draft(db: Session, row: RotaDraft) -> CheckedRota:
    """The draft for a page view: as `load_draft`, but a verdict checked afresh is saved at once (so the next view
    reuses it), and a draft viewed recently and unchanged since is not read and validated again.
    """
    key = draft_key(db, row)
    draft = _recent.get(key)
    if draft is not None:
        return draft
    scenario, rota = Scenario.model_validate(row.scenario), Rota.model_validate(row.rota)
    result = kept_result(row)
    if result is None:
        result = check(scenario, rota)
        _save_verdict(db, row, result)
    draft = CheckedRota(scenario, rota, result)
    _recent.put(key, draft)
    return draft


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RecentlyUsed(Generic[K, V]):
    """A small thread-safe memo of the last `size` values used (the server's threads share it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (benchmarks time a first view with it)."""
        with self._lock:
            self._values.clear()


RotaKey = tuple[str, int, str]
"""A stored rota's state: (database, draft row id, when the row last changed) from `draft_key`, or (database,
version row id, 'published') from `version_key`."""

_recent: RecentlyUsed[RotaKey, CheckedRota] = RecentlyUsed(8)
"""The last checked drafts and versions viewed in this server process (a few MB each at most)."""


def forget_viewed() -> None:
    """Empty this process's memory of viewed drafts and versions (for benchmarks of a first view)."""
    _recent.clear()


def version_key(db: Session, row: RotaVersion) -> RotaKey:
    """A published version's key: versions never change."""
    return db.get_bind().engine.url.render_as_string(hide_password=True), row.id, "published"


def viewed_version(db: Session, row: RotaVersion) -> CheckedRota:
    """A published version, checked, for a page view: checked once per server process, as it never changes."""
    key = version_key(db, row)
    found = _recent.get(key)
    if found is None:
        version = published(row)
        found = checked(version.scenario, version.rota)
        _recent.put(key, found)
    return found


def draft_key(db: Session, row: RotaDraft) -> RotaKey:
    """Which stored state of a draft this is: the database, the row, and when the row last changed. Every write of
    the rota or scenario moves `updated_at` (the column's onupdate, or set explicitly), so an unchanged key means
    an unchanged draft; only saving the verdict itself (`_save_verdict`) leaves it as it was."""
    return db.get_bind().engine.url.render_as_string(hide_password=True), row.id, row.updated_at.isoformat()


def _save_verdict(db: Session, row: RotaDraft, result: CheckResult) -> None:
    """Keep a verdict checked afresh for the next views, leaving `updated_at` (the draft did not change).

    A cache write: when the database is busy it is skipped (the next view tries again), never an error; if the
    draft changed meanwhile, the verdict's fingerprint is the old draft's, so it is simply found stale.
    """
    verdict = {"fingerprint": check_fingerprint(row.rota, row.scenario), "result": _dump(result)}
    statement = (
        update(RotaDraft).where(RotaDraft.id == row.id).values(check_result=verdict, updated_at=RotaDraft.updated_at)
    )
    try:
        with transaction(db):
            db.execute(statement)
    except OperationalError:
        return


def check_fingerprint(rota: dict[str, Any], scenario: dict[str, Any]) -> str:
    """What a kept verdict was computed for: the stored rota and scenario, as stored, and the checker.

    Key order is kept as stored (JSON columns keep it), so sorting is not needed: at worst a reordering makes
    a fresh verdict look stale, and it is checked again.
    """
    text = json.dumps([checker_fingerprint(), rota, scenario], separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def kept_result(row: RotaDraft) -> CheckResult | None:
    """The kept verdict when it was computed for exactly the row's rota and scenario; None when missing or stale."""
    kept = row.check_result
    if not isinstance(kept, dict) or kept.get("fingerprint") != check_fingerprint(row.rota, row.scenario):
        return None
    try:
        return CheckResult.model_validate(kept.get("result"))
    except ValidationError:  # kept by an older format: check again
        return None


def keep_result(row: RotaDraft, result: CheckResult) -> None:
    """Keep the verdict on the row's current rota and scenario (set those first)."""
    row.check_result = {"fingerprint": check_fingerprint(row.rota, row.scenario), "result": _dump(result)}


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True)


# ---------------------------------------------------------------------------------------------- drafts


def draft_from_job(
    db: Session, community: Community, job: SolveJob, actor: str, *, revision: int | None = None
) -> RotaDraft:
    """Make a finished job's rota the draft of its week (replacing any draft of that week), in one transaction.

    Raises RotaProblem('no_rota') when the job has no complete rota (still running, failed, infeasible...), and
    RotaProblem('draft_changed') when `revision` is not the draft's (see `expect_revision`).
    """
    if job.community_id != community.id or job.status != JobStatus.FINISHED.value or job.rota is None:
        raise RotaProblem("no_rota", "job_id", status=409)
    base = _latest_row(db, community.id, job.week_start)
    with saving_draft(db):
        row, replaced = week_draft(db, community, job.week_start, revision)
        row.days, row.rota, row.scenario, row.job_id = job.days, job.rota, job.scenario, job.id
        row.base_version_id = base.id if base is not None else None
        row.updated_by = actor
        keep_result(row, check(Scenario.model_validate(job.scenario), Rota.model_validate(job.rota)))
        audit(db, actor, "rota.draft", job.week_start.isoformat(), job_id=job.id, replaced=replaced)
    return row


def draft_from_version(
    db: Session, community: Community, row: RotaVersion, actor: str, *, revision: int | None = None
) -> RotaDraft:
    """Make a published version the draft of its week again (replacing any draft), to adjust and publish anew.

    The draft keeps the version's scenario snapshot, so it is checked against the rules it was published under.
    Raises RotaProblem('no_snapshot') for a version published without its scenario, and
    RotaProblem('draft_changed') when `revision` is not the draft's (see `expect_revision`).
    """
    if row.community_id != community.id:
        raise RotaProblem("no_draft", status=404)
    if row.scenario is None:
        raise RotaProblem("no_snapshot", status=409)
    with saving_draft(db):
        draft, replaced = week_draft(db, community, row.week_start, revision)
        draft.days, draft.rota, draft.scenario, draft.job_id = row.days, row.rota, row.scenario, row.job_id
        draft.base_version_id = row.id
        draft.updated_by = actor
        keep_result(draft, check(Scenario.model_validate(row.scenario), Rota.model_validate(row.rota)))
        audit(db, actor, "rota.draft", row.week_start.isoformat(), version=row.version, replaced=replaced)
    return draft


def preview(db: Session, community: Community, week_start: dt.date, adjustment: Adjustment) -> AdjustOutcome:
    """What the adjustment would give, checked, without saving anything."""
    row = _draft_or_problem(db, community, week_start)
    return _outcome(load_draft(row), adjustment, saved=False)


def adjust(
    db: Session, community: Community, week_start: dt.date, adjustment: Adjustment, actor: str, *, confirm: bool,
    revision: int | None = None,
) -> AdjustOutcome:
    """Apply an adjustment to the week's draft and save it, in one transaction with an audit entry.

    When the change introduces hard-rule violations the draft did not have, it is saved only with `confirm`
    (the coordinator saw the violations and saves with a warning); otherwise the outcome has `saved=False`.
    Raises RotaProblem for a change that cannot be made at all (unknown assignment, person or shift, pinned...),
    and RotaProblem('draft_changed') when `revision` is not the draft's (see `expect_revision`).
    """
    row = _draft_or_problem(db, community, week_start)
    expect_revision(row, revision)
    before = load_draft(row)
    outcome = _outcome(before, adjustment, saved=False)
    if outcome.new_violations and not confirm:
        return outcome
    after = outcome.checked
    with saving_draft(db):
        row.rota, row.scenario, row.updated_by = _dump(after.rota), _dump(after.scenario), actor
        row.updated_at = dt.datetime.now(dt.UTC)
        keep_result(row, after.result)
        audit(
            db, actor, f"rota.adjust.{adjustment.kind}", week_start.isoformat(), change=_dump(adjustment),
            violations=len(after.result.violations), new_violations=[v.message for v in outcome.new_violations],
            objective=after.result.objective,
        )
    return AdjustOutcome(adjustment, after, outcome.new_violations, saved=True)


def expect_revision(row: RotaDraft | None, revision: int | None) -> None:
    """Refuse to act on a draft that changed after the coordinator's page was drawn.

    `revision` is the draft's revision the page showed (0: there was no draft), or None for no check (API
    clients that do not send one). A mismatch raises RotaProblem('draft_changed', status 409) naming who saved
    last, so a coordinator never publishes, replaces or adjusts a state they have not seen.
    """
    if revision is None:
        return
    current = row.revision if row is not None else 0
    if current != revision:
        who = row.updated_by if row is not None and row.updated_by else "?"
        raise RotaProblem("draft_changed", "revision", status=409, who=who)


def week_draft(
    db: Session, community: Community, week_start: dt.date, revision: int | None
) -> tuple[RotaDraft, bool]:
    """The week's draft row to be replaced (a new one added to the session if the week has none), after
    `expect_revision`; and whether one existed. Call inside `saving_draft`."""
    row = draft_row(db, community, week_start)
    expect_revision(row, revision)
    if row is not None:
        return row, True
    row = RotaDraft(community_id=community.id, week_start=week_start)
    db.add(row)
    return row, False


def draft_revision(row: RotaDraft | None) -> int:
    """The revision a page shows and its forms send back: 0 when the week has no draft."""
    return row.revision if row is not None else 0


@contextmanager
def saving_draft(db: Session) -> Iterator[Session]:
    """A transaction that writes a draft: a concurrent save of the same draft (the update found the revision
    already moved, or another request created the week's draft first) becomes RotaProblem('draft_changed')."""
    try:
        with transaction(db):
            yield db
    except (StaleDataError, IntegrityError):
        raise RotaProblem("draft_changed", "revision", status=409, who="?") from None


def _draft_or_problem(db: Session, community: Community, week_start: dt.date) -> RotaDraft:
    row = draft_row(db, community, week_start)
    if row is None:
        raise RotaProblem("no_draft", status=404)
    return row


def _outcome(before: CheckedRota, adjustment: Adjustment, *, saved: bool) -> AdjustOutcome:
    scenario, rota = apply_adjustment(before.scenario, before.rota, adjustment)
    result = check(scenario, rota)
    rota = _with_result(rota, result)
    known = {(v.rule, v.message) for v in before.result.violations}
    new = [v for v in result.violations if (v.rule, v.message) not in known]
    return AdjustOutcome(adjustment, CheckedRota(scenario, rota, result), new, saved)


def _with_result(rota: Rota, result: CheckResult) -> Rota:
    status = SolveStatus.FEASIBLE if result.ok else SolveStatus.INVALID
    return rota.model_copy(update={"status": status, "objective": result.objective, "penalties": result.penalties})


# ----------------------------------------------------------------------------------- applying a change


def apply_adjustment(scenario: Scenario, rota: Rota, adjustment: Adjustment) -> tuple[Scenario, Rota]:
    """The scenario and rota after one adjustment (pure: nothing is stored). Raises RotaProblem."""
    match adjustment:
        case PinAdjustment():
            return _pin(scenario, rota, adjustment)
        case MoveAdjustment():
            return scenario, _move(scenario, rota, adjustment)
        case RemoveAdjustment():
            index = _find(rota, adjustment.assignment, "assignment", unpinned=True)
            return scenario, _replace(rota, {index: None})
        case AddAdjustment():
            return scenario, _add(scenario, rota, adjustment)
        case SwapAdjustment():
            return scenario, _swap(scenario, rota, adjustment)
        case BreakAdjustment():
            return scenario, _retime(rota, adjustment)


def _find(rota: Rota, ref: AssignmentRef, field: str, *, unpinned: bool = False) -> int:
    for index, a in enumerate(rota.assignments):
        if (a.person, a.place, a.shift, a.date) == (ref.person, ref.place, ref.shift or None, ref.date):
            if unpinned and a.pinned:
                raise RotaProblem("pinned", field)
            return index
    raise RotaProblem("no_assignment", field)


def _replace(rota: Rota, changes: dict[int, Assignment | None], extra: Iterable[Assignment] = ()) -> Rota:
    kept = [changes.get(i, a) for i, a in enumerate(rota.assignments)]
    assignments = [a for a in kept if a is not None] + list(extra)
    assignments.sort(key=lambda a: (a.start, a.place, a.person))
    return rota.model_copy(update={"assignments": assignments})


def _person_known(scenario: Scenario, person_id: str, field: str) -> None:
    if all(p.id != person_id for p in scenario.people):
        raise RotaProblem("unknown_person", field, person=person_id)


def _not_on(rota: Rota, person_id: str, a: Assignment, field: str) -> None:
    if any((b.person, b.place, b.shift, b.date) == (person_id, a.place, a.shift, a.date) for b in rota.assignments):
        raise RotaProblem("already_on", field, person=person_id)


def _pin(scenario: Scenario, rota: Rota, change: PinAdjustment) -> tuple[Scenario, Rota]:
    index = _find(rota, change.assignment, "assignment")
    a = rota.assignments[index]
    same = [p for p in scenario.pins if (p.person, p.date, p.post, p.shift) == (a.person, a.date, a.place, a.shift)]
    others = [p for p in scenario.pins if p not in same]
    pins = [*others, Pin(person=a.person, date=a.date, post=a.place, shift=a.shift, role=a.role)]
    if change.kind == "unpin":
        pins = others
    new_scenario = scenario.model_copy(update={"pins": pins})
    return new_scenario, _replace(rota, {index: a.model_copy(update={"pinned": change.kind == "pin"})})


def _meal_length(scenario: Scenario, a: Assignment, person_id: str) -> int | None:
    rule = next((r for r in scenario.meal_rules if r.post == a.place), None)
    if rule is None:
        return None
    person = next((p for p in scenario.people if p.id == person_id), None)
    return break_length(rule, person.meal_minutes if person is not None else None)


def _role_for(scenario: Scenario, a: Assignment, person_id: str) -> str:
    """The slot's role when the person holds it; else the first role they hold that the place takes."""
    person = next((p for p in scenario.people if p.id == person_id), None)
    if person is None or a.role in person.roles:
        return a.role
    duty = next((d for d in scenario.team_duties if d.id == a.duty), None)
    allowed = [r for r in person.roles if duty is None or r in duty.roles]
    return allowed[0] if allowed else a.role


def _handed_over(scenario: Scenario, a: Assignment, person_id: str) -> Assignment:
    """The assignment given to another person: same slot and break starts, breaks as long as theirs, and the
    slot's role when they hold it (else a role of theirs: the checker then tells whether the role mattered)."""
    length = _meal_length(scenario, a, person_id)
    breaks = a.breaks
    if length is not None:
        breaks = [Break(start=b.start, end=b.start + dt.timedelta(minutes=length)) for b in a.breaks]
    role = _role_for(scenario, a, person_id)
    return a.model_copy(update={"person": person_id, "breaks": breaks, "pinned": False, "role": role})


def _move(scenario: Scenario, rota: Rota, change: MoveAdjustment) -> Rota:
    index = _find(rota, change.assignment, "assignment", unpinned=True)
    _person_known(scenario, change.to_person, "to_person")
    a = rota.assignments[index]
    _not_on(rota, change.to_person, a, "to_person")
    return _replace(rota, {index: _handed_over(scenario, a, change.to_person)})


def _swap(scenario: Scenario, rota: Rota, change: SwapAdjustment) -> Rota:
    first = _find(rota, change.first, "first", unpinned=True)
    second = _find(rota, change.second, "second", unpinned=True)
    a, b = rota.assignments[first], rota.assignments[second]
    if a.person == b.person:
        raise RotaProblem("same_person", "second")
    _not_on(rota, a.person, b, "second")
    _not_on(rota, b.person, a, "first")
    return _replace(rota, {first: _handed_over(scenario, a, b.person), second: _handed_over(scenario, b, a.person)})


def _retime(rota: Rota, change: BreakAdjustment) -> Rota:
    index = _find(rota, change.assignment, "assignment")
    a = rota.assignments[index]
    breaks = sorted(a.breaks, key=lambda b: b.start)
    if change.index >= len(breaks):
        raise RotaProblem("no_break", "index")
    old = breaks[change.index]
    new = Break(start=change.start, end=change.start + (old.end - old.start))
    if new.start < a.start or new.end > a.end:
        raise RotaProblem("break_outside", "start")
    breaks[change.index] = new
    return _replace(rota, {index: a.model_copy(update={"breaks": sorted(breaks, key=lambda b: b.start)})})


def break_choices(scenario: Scenario, a: Assignment) -> list[list[dt.datetime]]:
    """For each of the assignment's breaks (earliest first), the starts its meal rule allows (on the grid, the
    break wholly inside the window, as long as the break is now); empty when no window matches it."""
    instances = Instances(scenario)
    timeline = instances.timeline
    shift = next(
        (s for s in instances.shifts if (s.place, s.template, s.date) == (a.place, a.shift, a.date)), None
    )
    found = occurrences(instances, shift) if shift is not None else []
    choices = []
    for b in sorted(a.breaks, key=lambda b: b.start):
        start, length = timeline.of(b.start), timeline.of(b.end) - timeline.of(b.start)
        window = next((o for o in found if o.start <= start < o.end), None)
        starts = break_starts(window, length) if window is not None else []
        choices.append([timeline.at(s) for s in starts])
    return choices


def _instance(instances: Instances, slot: Slot) -> ShiftInstance:
    for shift in instances.shifts:
        if (shift.place, shift.template, shift.date) == (slot.place, slot.shift or None, slot.date):
            return shift
    raise RotaProblem("no_shift", "slot")


def _add(scenario: Scenario, rota: Rota, change: AddAdjustment) -> Rota:
    _person_known(scenario, change.person, "person")
    if all(r.id != change.role for r in scenario.roles):
        raise RotaProblem("unknown_role", "role", role=change.role)
    instances = Instances(scenario)
    shift = _instance(instances, change.slot)
    timeline = instances.timeline
    a = Assignment(
        person=change.person, post=None if shift.is_duty else shift.place, duty=shift.place if shift.is_duty else None,
        shift=shift.template, role=change.role, date=shift.date, start=timeline.at(shift.start),
        end=timeline.at(shift.end),
    )
    _not_on(rota, change.person, a, "person")
    breaks = [Break(start=timeline.at(s), end=timeline.at(e)) for s, e in _quiet_breaks(instances, rota, shift, a)]
    return _replace(rota, {}, [a.model_copy(update={"breaks": breaks})])


def _quiet_breaks(instances: Instances, rota: Rota, shift: ShiftInstance, a: Assignment) -> list[tuple[int, int]]:
    """A break per meal occurrence, at the grid start where fewest others at the place are away (then the middle)."""
    timeline = instances.timeline
    away = [
        (timeline.of(b.start), timeline.of(b.end)) for other in rota.assignments if other.place == a.place
        for b in other.breaks
    ]
    chosen = []
    for occurrence in occurrences(instances, shift):
        length = break_length(occurrence.rule, instances.scenario.person(a.person).meal_minutes)
        starts = break_starts(occurrence, length)
        best = min(range(len(starts)), key=lambda k: _crowding(away, starts, k, length))
        chosen.append((starts[best], starts[best] + length))
    return chosen


def _crowding(away: list[tuple[int, int]], starts: list[int], position: int, length: int) -> tuple[int, int]:
    """(others away during a break at this start, grid steps from the middle): lower is better."""
    start = starts[position]
    overlapping = sum(1 for s, e in away if s < start + length and start < e)
    return overlapping, middle_steps(position, len(starts))


# -------------------------------------------------------------------------------------------- versions


def publish(
    db: Session, community: Community, week_start: dt.date, actor: str, *, note: str | None = None,
    confirm: bool = False, revision: int | None = None,
) -> RotaVersion:
    """Publish the week's draft as its next version (1, 2, ...), in one transaction with an audit entry.

    A draft that breaks hard rules is published only with `confirm` (RotaProblem('violations', status 409)
    otherwise); a draft that is no longer at `revision` not at all (RotaProblem('draft_changed'), see
    `expect_revision`). The draft stays as the working copy, now based on the new version.
    """
    row = _draft_or_problem(db, community, week_start)
    expect_revision(row, revision)
    draft = load_draft(row)
    if draft.has_violations and not confirm:
        raise RotaProblem("violations", "confirm", status=409, n=str(len(draft.result.violations)))
    try:
        with transaction(db):
            number = (_latest_number(db, community.id, week_start) or 0) + 1
            version = RotaVersion(
                community_id=community.id, week_start=week_start, days=row.days, version=number,
                rota=_dump(draft.rota), job_id=row.job_id, scenario=_dump(draft.scenario), note=note or None,
                published_by=actor, published_at=dt.datetime.now(dt.UTC),
            )
            db.add(version)
            db.flush()
            row.base_version_id = version.id
            audit(
                db, actor, "rota.publish", week_start.isoformat(), version=number,
                violations=len(draft.result.violations), objective=draft.result.objective,
            )
    except (IntegrityError, StaleDataError):  # another coordinator published, or saved the draft, at that moment
        raise RotaProblem("publish_race", status=409) from None
    return version


def _latest_number(db: Session, community_id: int, week_start: dt.date) -> int | None:
    query = select(func.max(RotaVersion.version)).where(
        RotaVersion.community_id == community_id, RotaVersion.week_start == week_start
    )
    return db.scalar(query)


def _latest_row(db: Session, community_id: int, week_start: dt.date) -> RotaVersion | None:
    query = (
        select(RotaVersion)
        .where(RotaVersion.community_id == community_id, RotaVersion.week_start == week_start)
        .order_by(RotaVersion.version.desc())
        .limit(1)
    )
    return db.scalars(query).first()


def versions(db: Session, community_id: int, week_start: dt.date) -> list[RotaVersion]:
    """The week's published versions, newest first (each one's rota and scenario are read only when used)."""
    query = (
        select(RotaVersion)
        .where(RotaVersion.community_id == community_id, RotaVersion.week_start == week_start)
        .order_by(RotaVersion.version.desc())
        .options(defer(RotaVersion.rota), defer(RotaVersion.scenario))
    )
    return list(db.scalars(query))


def version_row(db: Session, community_id: int, week_start: dt.date, number: int) -> RotaVersion | None:
    query = select(RotaVersion).where(
        RotaVersion.community_id == community_id, RotaVersion.week_start == week_start,
        RotaVersion.version == number,
    )
    return db.scalars(query).first()


def published(row: RotaVersion) -> PublishedRota:
    """A version row, validated. Versions published by this module always carry their scenario snapshot."""
    if row.scenario is None:
        raise ValueError(f"rota version {row.id} has no scenario snapshot")
    return PublishedRota(
        id=row.id, week_start=row.week_start, version=row.version, rota=Rota.model_validate(row.rota),
        scenario=Scenario.model_validate(row.scenario), published_at=row.published_at,
        published_by=row.published_by, note=row.note,
    )


def latest_version(db: Session, community_id: int, week_start: dt.date) -> PublishedRota | None:
    """The rota in force for a week: its latest published version, or None when nothing is published yet.

    For calendar feeds, print-outs and repairs: use `.rota` (who works where and when, with meal breaks and pins)
    with `.scenario` (the names, posts, shifts and rules it was checked against when published; the people of that
    week, even if someone was renamed or deactivated since). `.version` and `.published_at` identify what a person
    was told; a newer publication is always a higher version, never a changed one. The draft (work in progress)
    is never returned here.
    """
    row = _latest_row(db, community_id, week_start)
    return published(row) if row is not None else None


def version_changes(db: Session, row: RotaVersion) -> RotaChanges | None:
    """What version n changed against version n - 1 (None for the first version)."""
    previous = version_row(db, row.community_id, row.week_start, row.version - 1)
    if previous is None:
        return None
    return diff_rotas(Rota.model_validate(previous.rota), Rota.model_validate(row.rota))


def draft_changes(db: Session, row: RotaDraft) -> RotaChanges | None:
    """What publishing the draft would change against the latest version (None when nothing is published yet)."""
    latest = _latest_row(db, row.community_id, row.week_start)
    if latest is None:
        return None
    return diff_rotas(Rota.model_validate(latest.rota), Rota.model_validate(row.rota))


def weeks(db: Session, community_id: int) -> list[WeekSummary]:
    """Every week with a draft or a published version, latest week first."""
    drafts = set(db.scalars(select(RotaDraft.week_start).where(RotaDraft.community_id == community_id)))
    counts = db.execute(
        select(RotaVersion.week_start, func.count())
        .where(RotaVersion.community_id == community_id)
        .group_by(RotaVersion.week_start)
    ).all()
    published_counts: dict[dt.date, int] = {week: count for week, count in counts}
    found = drafts | published_counts.keys()
    return [WeekSummary(w, w in drafts, published_counts.get(w, 0)) for w in sorted(found, reverse=True)]


def latest_job(db: Session, community: Community, week_start: dt.date) -> SolveJob | None:
    """The newest finished solve of the week (its explanation is shown when it found no rota); its scenario and
    rota are read only when asked for."""
    query = (
        select(SolveJob)
        .where(
            SolveJob.community_id == community.id, SolveJob.week_start == week_start,
            SolveJob.status == JobStatus.FINISHED.value, SolveJob.kind == "solve",
        )
        .order_by(SolveJob.id.desc())
        .limit(1)
        .options(defer(SolveJob.scenario), defer(SolveJob.rota))  # ~160 KB of JSON the rota page does not read
    )
    return db.scalars(query).first()


def _refuse_update(_mapper: Mapper[Any], _connection: Connection, target: RotaVersion) -> None:
    raise ValueError(f"rota version {target.version} of {target.week_start} is published and cannot change")


event.listen(RotaVersion, "before_update", _refuse_update)

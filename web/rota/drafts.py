"""The week's working draft: made from a solve or a version, adjusted by hand, checked, published.

Storage (`RotaDraft`, one per community and week): `rota` is a `scheduler.Rota`; `scenario` the `Scenario` snapshot
it is checked against: the solve job's, plus the pins the coordinator adds here (pinning an assignment adds a `Pin`
to the snapshot, so the validator, and any later re-solve of the snapshot, keep it). After every change the rota's
`objective` and `penalties` are the checker's, recomputed from scratch, and its `status` is `feasible` when it
keeps every hard rule, `invalid` when the coordinator saved it anyway with violations (a hand-made rota is never
called optimal). `bound` stays the solve's lower bound for the scenario.

The checker's verdict on a draft (violations, penalties, objective) is kept in `RotaDraft.check_result` with a
fingerprint of the stored rota, scenario and checker source it was computed for: every change made here stores it,
and `load_draft` reuses it only while the fingerprint matches, so the 'has violations' flag can never be stale, even
when other code (repairs, swaps) writes the draft without knowing about it: a missing or stale verdict is simply
recomputed. Pages go through `viewed_draft`, which also keeps the last few checked drafts in memory, keyed by the
row's `updated_at`: code that writes a draft's rota or scenario must let `updated_at` move (the ORM does it on
every update of the row).

Every change is one transaction with an audit entry (`web.store.audit`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.exc import StaleDataError

from scheduler import CheckResult, Rota, SolveStatus, Violation, check, checker_fingerprint, plain_remark
from web.outbox import notices
from web.rota.adjust import (
    AddAdjustment,
    Adjustment,
    BreakAdjustment,
    MoveAdjustment,
    PinAdjustment,
    RemoveAdjustment,
    RotaProblem,
    SwapAdjustment,
    apply_adjustment,
)
from web.rota.service import (
    CheckedRota,
    RotaKey,
    database_of,
    latest_number,
    latest_row,
    recent_checked,
)
from web.store import audit, dump, store_json, stored_rota, stored_scenario, transaction
from web.tables import Community, JobStatus, RotaDraft, RotaVersion, SolveJob


@dataclass(frozen=True)
class AdjustOutcome:
    """What an adjustment did or would do: the new rota, its check, and the violations it newly introduces.

    `saved` is False when the change adds violations and was not confirmed: nothing was written then.
    """

    adjustment: PinAdjustment | MoveAdjustment | RemoveAdjustment | AddAdjustment | SwapAdjustment | BreakAdjustment
    checked: CheckedRota
    new_violations: list[Violation]
    saved: bool


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
    scenario, rota = stored_scenario(row), stored_rota(row)
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
    draft = recent_checked().get(key)
    if draft is not None:
        return draft
    scenario, rota = stored_scenario(row), stored_rota(row)
    result = kept_result(row)
    if result is None:
        result = check(scenario, rota)
        _save_verdict(db, row, result)
    draft = CheckedRota(scenario, rota, result)
    recent_checked().put(key, draft)
    return draft


def draft_key(db: Session, row: RotaDraft) -> RotaKey:
    """Which stored state of a draft this is: the database, the row, and when the row last changed. Every write of
    the rota or scenario moves `updated_at` (the column's onupdate, or set explicitly), so an unchanged key means
    an unchanged draft; only saving the verdict itself (`_save_verdict`) leaves it as it was."""
    return database_of(db), row.id, row.updated_at.isoformat()


def _save_verdict(db: Session, row: RotaDraft, result: CheckResult) -> None:
    """Keep a verdict checked afresh for the next views, leaving `updated_at` (the draft did not change).

    A cache write: when the database is busy it is skipped (the next view tries again), never an error; if the
    draft changed meanwhile, the verdict's fingerprint is the old draft's, so it is simply found stale.
    """
    verdict = {"fingerprint": check_fingerprint(row.rota, row.scenario), "result": dump(result)}
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
    row.check_result = {"fingerprint": check_fingerprint(row.rota, row.scenario), "result": dump(result)}


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
    base = latest_row(db, community.id, job.week_start)
    with saving_draft(db):
        row, replaced = week_draft(db, community, job.week_start, revision)
        row.days, row.rota, row.scenario, row.job_id = job.days, job.rota, job.scenario, job.id
        row.base_version_id = base.id if base is not None else None
        row.updated_by = actor
        keep_result(row, check(stored_scenario(job), stored_rota(job)))
        audit(db, actor, "rota.draft", job.week_start.isoformat(), job_id=job.id, replaced=replaced,
              community_id=community.id)
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
        keep_result(draft, check(stored_scenario(row), stored_rota(row)))
        audit(db, actor, "rota.draft", row.week_start.isoformat(), version=row.version, replaced=replaced,
              community_id=community.id)
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
        store_json(row, "rota", after.rota)
        store_json(row, "scenario", after.scenario)
        row.updated_by = actor
        row.updated_at = dt.datetime.now(dt.UTC)
        keep_result(row, after.result)
        audit(
            db, actor, f"rota.adjust.{adjustment.kind}", week_start.isoformat(), community_id=community.id,
            change=dump(adjustment),
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
    rota = with_result(rota, result)
    known = {(v.rule, v.message) for v in before.result.violations}
    new = [v for v in result.violations if (v.rule, v.message) not in known]
    return AdjustOutcome(adjustment, CheckedRota(scenario, rota, result), new, saved)


def with_result(rota: Rota, result: CheckResult) -> Rota:
    """The rota with the checker's verdict: status (feasible or invalid: never optimal), objective, penalties."""
    status = SolveStatus.FEASIBLE if result.ok else SolveStatus.INVALID
    return rota.model_copy(update={"status": status, "objective": result.objective, "penalties": result.penalties})


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
            number = (latest_number(db, community.id, week_start) or 0) + 1
            now = dt.datetime.now(dt.UTC)
            version = RotaVersion(
                community_id=community.id, week_start=week_start, days=row.days, version=number,
                rota=dump(draft.rota), job_id=row.job_id, scenario=dump(draft.scenario),
                note=plain_remark(note or "") or None, published_by=actor, published_at=now,
            )
            db.add(version)
            db.flush()
            notices.published(db, community, version, now)
            row.base_version_id = version.id
            audit(
                db, actor, "rota.publish", week_start.isoformat(), community_id=community.id, version=number,
                violations=len(draft.result.violations), objective=draft.result.objective,
            )
    except (IntegrityError, StaleDataError):  # another coordinator published, or saved the draft, at that moment
        raise RotaProblem("publish_race", status=409) from None
    return version


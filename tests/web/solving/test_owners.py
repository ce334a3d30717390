"""Who holds a local solve job, and what a starting web process marks interrupted: only the jobs of local runners
that are gone, never another live process's nor the queue's."""

from __future__ import annotations

import datetime as dt
import socket

from fastapi import FastAPI

from tests.web.conftest import app_context, ended_process_owner
from web.solving.jobstate import UNSUBMITTED_GRACE, mark_interrupted
from web.solving.owners import alive, this_process
from web.store import first_community
from web.tables import LOCAL_RUNNER, QUEUE_RUNNER, JobStatus, SolveJob, utcnow


def test_this_process_is_alive_and_an_ended_one_is_not() -> None:
    assert alive(this_process())
    assert not alive(ended_process_owner())
    assert this_process().startswith(f"{socket.gethostname()}/")


def test_a_process_on_another_host_cannot_be_told_dead() -> None:
    assert alive("another-host.example/1/123")


def test_a_reused_pid_does_not_pass_for_the_ended_process() -> None:
    host, pid, start = this_process().split("/")
    assert start != "-"
    assert not alive(f"{host}/{pid}/{int(start) + 1}")  # same pid, another start: not the process named


def _job(app: FastAPI, *, runner: str = LOCAL_RUNNER, owner: str | None, created: dt.datetime | None = None) -> int:
    with app_context(app).sessions.begin() as db:
        community = first_community(db)
        assert community is not None
        job = SolveJob(
            community_id=community.id, week_start=dt.date(2026, 12, 14), days=7, status=JobStatus.RUNNING.value,
            scenario={}, time_limit=1.0, runner=runner, owner=owner, created_at=created or utcnow(),
        )
        db.add(job)
        db.flush()
        return job.id


def _status(app: FastAPI, job_id: int) -> str:
    with app_context(app).sessions.begin() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        return job.status


def test_a_starting_process_interrupts_only_the_jobs_of_gone_local_runners(app: FastAPI) -> None:
    long_ago = utcnow() - UNSUBMITTED_GRACE * 3
    gone = _job(app, owner=ended_process_owner())
    live = _job(app, owner=this_process())  # another web process that still serves
    elsewhere = _job(app, owner="another-host.example/1/123")
    just_created = _job(app, owner=None)  # a request is about to hand it to its runner
    never_submitted = _job(app, owner=None, created=long_ago)
    queued_on_the_queue = _job(app, runner=QUEUE_RUNNER, owner=None, created=long_ago)
    assert mark_interrupted(app_context(app).sessions) == 2
    statuses = {job: _status(app, job) for job in
                (gone, live, elsewhere, just_created, never_submitted, queued_on_the_queue)}
    assert statuses == {
        gone: "interrupted", live: "running", elsewhere: "running", just_created: "running",
        never_submitted: "interrupted", queued_on_the_queue: "running",
    }

"""Repair after a drop-out through the app: the form, the job run by the (inline) job runner, the changes shown
before anything is published, accept -> draft -> publish -> version n + 1, pins kept, the explanation when no
repair exists, the JSON API, the audit list on the rota page, login, CSRF, escaping, zh and en."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar

from scheduler.check import check
from scheduler.domain.diff import assignment_key
from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports import ical
from tests.web.changes.test_swaps import CHROMIUM, PHONE, widest_pages
from tests.web.conftest import InlineRunner, RecordingRunner, app_context, csrf_of, login, tiny_community
from web.app import create_app
from web.dates import next_monday
from web.rota import service as rotas
from web.settings import Settings
from web.solving.service import ProcessJobRunner, run_job
from web.store import first_community
from web.tables import SolveJob

WEEK = (next_monday(dt.date.today()) + dt.timedelta(days=7)).isoformat()
"""A week well after now: nothing in it is frozen by the repair's `now`."""
EVIL = "<script>alert(1)</script>"


def _app(tmp_path: Path, **overrides: Any) -> FastAPI:
    path = tmp_path / "community.json"
    path.write_text(json.dumps(tiny_community(start=WEEK, **overrides), ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password="correct horse battery", example_path=path,
        secret_key="k" * 40, solve_time_limit=10, solve_workers=1, database_url=None,
    )
    return create_app(settings, InlineRunner(settings.resolved_database_url()), out=io.StringIO())


def _limited() -> dict[str, Any]:
    """At most four shifts a week each (Alice 4 + Bob 4 + Carol 2 >= 7), the evil name on an extra volunteer."""
    people = tiny_community()["people"] + [{"id": "evil", "name": EVIL, "roles": ["vol"]}]
    return {"default_limits": {"max_shifts_per_week": 4}, "people": people}


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return _app(tmp_path, **_limited())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _publish_first_version(client: TestClient, token: str, pin: bool = False) -> dict[str, Any]:
    """Solve the week, use it as the draft (optionally pinning one assignment), publish version 1."""
    response = client.post("/generate", data={"csrf_token": token, "start": WEEK, "days": "7"})
    job_id = response.headers["location"].rsplit("/", 1)[1]
    response = client.post(f"/rota/{WEEK}/draft", data={"csrf_token": token, "job_id": job_id})
    assert response.status_code == 303, response.text
    if pin:
        a = client.get(f"/api/rota/{WEEK}/draft").json()["rota"]["assignments"][-1]
        form = {"csrf_token": token, "action": "pin", "person": a["person"], "place": a["post"], "shift": a["shift"],
                "date": a["date"]}
        assert client.post(f"/rota/{WEEK}/adjust", data=form).status_code == 303
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token})
    assert response.headers["location"] == f"/rota/{WEEK}/versions/1"
    version: dict[str, Any] = client.get(f"/api/rota/{WEEK}/versions/1").json()
    return version


def _start(client: TestClient, token: str, **fields: str) -> int:
    response = client.post(f"/rota/{WEEK}/repair", data={"csrf_token": token, **fields})
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/repairs/")
    return int(location.rsplit("/", 1)[1])


def _job(app: FastAPI, job_id: int) -> SolveJob:
    with app_context(app).sessions() as db:
        job = db.get(SolveJob, job_id)
        assert job is not None
        return job


def _busiest(rota: dict[str, Any], among: tuple[str, ...] = ("alice", "bob")) -> str:
    counts = {p: sum(a["person"] == p for a in rota["assignments"]) for p in among}
    return max(counts, key=lambda p: counts[p])


def test_the_rota_page_offers_a_repair_only_once_published(client: TestClient) -> None:
    token = login(client)
    assert client.get(f"/rota/{WEEK}/repair").status_code == 404
    response = client.get("/generate")
    assert response.status_code == 200
    _publish_first_version(client, token)
    page = client.get(f"/rota/{WEEK}").text
    assert f'href="/rota/{WEEK}/repair"' in page and "有人无法到岗" in page and 'href="/swaps"' in page
    form = client.get(f"/rota/{WEEK}/repair").text
    assert 'type="datetime-local"' in form and 'name="remove"' in form and "基于第 1 版" in form
    first = f'{WEEK}T00:00'
    assert f'value="{first}"' in form  # from: the week's start (now is earlier), to: the end of the week
    end = (dt.date.fromisoformat(WEEK) + dt.timedelta(days=7)).isoformat() + "T00:00"
    assert f'value="{end}"' in form


def test_a_withdrawal_changes_only_what_is_needed_then_accept_and_publish(client: TestClient, app: FastAPI) -> None:
    token = login(client)
    v1 = _publish_first_version(client, token)["rota"]
    person = _busiest(v1)
    job_id = _start(client, token, person=person, remove="1")
    job = _job(app, job_id)
    assert job.kind == "repair" and job.status == "finished", job.error
    scenario, rota = Scenario.model_validate(job.scenario), Rota.model_validate(job.rota)
    assert check(scenario, rota).ok
    assert all(a.person != person for a in rota.assignments)

    # Only the needed changes: the person's shifts are lost, each filled by one other person, all else kept.
    theirs = [a for a in Rota.model_validate(v1).assignments if a.person == person]
    kept = {assignment_key(a) for a in Rota.model_validate(v1).assignments if a.person != person}
    assert kept <= {assignment_key(a) for a in rota.assignments}
    assert job.outcome is not None
    assert job.outcome["change_count"] == 2 * len(theirs) and job.outcome["proven_minimal"]

    page = client.get(f"/repairs/{job_id}").text
    assert f"安排改动 {2 * len(theirs)} 处" in page and "已证明最少" in page
    assert page.count('class="change-removed"') == len(theirs) and page.count('class="change-added"') == len(theirs)
    assert "接受并发布" in page and "接受为本周草稿" in page
    assert client.get(f"/api/rota/{WEEK}/versions").json()["versions"][0]["version"] == 1  # nothing published yet

    response = client.post(f"/repairs/{job_id}/accept", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == f"/rota/{WEEK}"
    page = client.get(f"/rota/{WEEK}").text
    assert "调整已设为本周草稿" in page and "相对第 1 版的变化" in page
    draft = client.get(f"/api/rota/{WEEK}/draft").json()
    assert not draft["check"]["has_violations"] and len(draft["changes"]["changes"]) == 2 * len(theirs)
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token})
    assert response.headers["location"] == f"/rota/{WEEK}/versions/2"
    v2 = client.get(f"/api/rota/{WEEK}/versions/2").json()
    assert v2["rota"]["assignments"] == json.loads(json.dumps(draft["rota"]["assignments"]))
    assert all(a["person"] != person for a in v2["rota"]["assignments"])
    # Calendars follow: the person's shifts are cancelled (SEQUENCE raised), each taker gets a new event.
    events = _calendar_events(app, person)
    assert len(events) == len(theirs)
    assert all(str(e["status"]) == "CANCELLED" and int(e["sequence"]) == 1 for e in events.values())
    for gain in (c for c in draft["changes"]["changes"] if c["kind"] == "added"):
        event = _calendar_events(app, gain["person"])[dt.datetime.fromisoformat(gain["after"]["start"])]
        assert str(event["status"]) == "CONFIRMED" and int(event["sequence"]) == 0

    # The repair began from version 1: accepting it again now would undo version 2's publication.
    response = client.post(f"/repairs/{job_id}/accept", data={"csrf_token": token, "publish": "1"})
    assert response.status_code == 303
    assert "第 1 版已不是最新版本" in client.get(f"/repairs/{job_id}").text
    assert client.get(f"/api/rota/{WEEK}/versions").json()["versions"][0]["version"] == 2

    audit = client.get(f"/rota/{WEEK}").text
    section = audit[audit.index("本周变更记录"):]
    assert "接受了第 1 版的调整" in section and "发布第 2 版" in section and "开始调整" in section
    assert section.index("发布第 2 版") < section.index("接受了第 1 版的调整") < section.index("发布第 1 版")


def test_a_partial_absence_keeps_pins_and_accept_and_publish_makes_the_next_version(
    client: TestClient, app: FastAPI
) -> None:
    token = login(client)
    v1 = _publish_first_version(client, token, pin=True)["rota"]
    pinned = [a for a in v1["assignments"] if a["pinned"]]
    assert len(pinned) == 1
    # Another person drops out for the day of one of their shifts: one shift lost, one gained, the pin holds.
    day = pinned[0]["date"]
    other = next(a for a in v1["assignments"] if a["person"] != pinned[0]["person"])
    next_day = (dt.date.fromisoformat(other["date"]) + dt.timedelta(days=1)).isoformat()
    job_id = _start(client, token, person=other["person"], start=f"{other['date']}T00:00", end=f"{next_day}T00:00")
    job = _job(app, job_id)
    assert job.status == "finished" and job.rota is not None, job.error
    rota = Rota.model_validate(job.rota)
    assert check(Scenario.model_validate(job.scenario), rota).ok
    assert any(a.pinned and a.person == pinned[0]["person"] and a.date.isoformat() == day for a in rota.assignments)
    assert all(not (a.person == other["person"] and a.date.isoformat() == other["date"]) for a in rota.assignments)
    assert job.outcome is not None and job.outcome["change_count"] == 2  # one shift lost, one gained
    response = client.post(f"/repairs/{job_id}/accept", data={"csrf_token": token, "publish": "1", "note": "ill"})
    assert response.headers["location"] == f"/rota/{WEEK}/versions/2"
    page = client.get(f"/rota/{WEEK}/versions/2").text
    assert "ill" in page and "相对第 1 版的变化" in page
    assert client.get(f"/api/rota/{WEEK}/versions/1").json()["rota"] == v1  # the old version stays
    # The absence is on the person's record too: solving the week again from scratch respects it.
    absences = client.get(f"/api/people/{other['person']}").json()["absences"]
    days = [(a["date"], a["until"] or a["date"], a["start"]) for a in absences]
    assert days == [(other["date"], other["date"], None)]


def test_no_repair_shows_the_explanation(tmp_path: Path) -> None:
    app = _app(tmp_path, default_limits={"max_shifts_per_week": 4})
    with TestClient(app, follow_redirects=False) as client:
        _no_repair(app, client)


def _no_repair(app: FastAPI, client: TestClient) -> None:
    token = login(client)
    _publish_first_version(client, token)
    # Without Bob, Alice (at most 4 shifts) and Carol (Mon and Tue only) cannot cover seven days.
    job_id = _start(client, token, person="bob", remove="1")
    job = _job(app, job_id)
    assert job.status == "finished" and job.result_status == "infeasible" and job.rota is None
    page = client.get(f"/repairs/{job_id}").text
    assert "没有能满足所有硬性规则的调整" in page and "不存在可行的调整" in page and 'class="explanation"' in page
    assert "接受并发布" not in page
    response = client.post(f"/repairs/{job_id}/accept", data={"csrf_token": token})
    assert response.status_code == 303
    assert "此次调整没有可用的排班" in client.get(f"/repairs/{job_id}").text
    # the rota page does not mistake the repair for the week's latest solve
    assert "本周最近一次计算未找到完整排班" not in client.get(f"/rota/{WEEK}").text


def test_form_errors_keep_what_was_typed(client: TestClient) -> None:
    token = login(client)
    _publish_first_version(client, token)
    response = client.post(f"/rota/{WEEK}/repair", data={"csrf_token": token, "start": "soon", "end": ""})
    assert response.status_code == 400
    assert 'value="soon"' in response.text and "必填" in response.text and "值无效" in response.text
    assert 'aria-invalid="true"' in response.text
    data = {"csrf_token": token, "person": "alice", "start": f"{WEEK}T12:00", "end": f"{WEEK}T08:00"}
    response = client.post(f"/rota/{WEEK}/repair", data=data)
    assert response.status_code == 400 and "结束时间必须晚于开始时间" in response.text
    assert '<option value="alice" selected>' in response.text
    response = client.post(f"/rota/{WEEK}/repair", data={"csrf_token": token, "person": "ghost", "remove": "1"})
    assert response.status_code == 400 and "未知人员 ghost" in response.text


def test_login_and_csrf(client: TestClient) -> None:
    assert client.get(f"/rota/{WEEK}/repair").headers["location"].startswith("/login")
    assert client.get("/repairs/1").headers["location"].startswith("/login")
    assert client.post(f"/api/rota/{WEEK}/repair", json={"person": "alice"}).status_code == 401
    token = login(client)
    _publish_first_version(client, token)
    assert client.post(f"/rota/{WEEK}/repair", data={"person": "alice", "remove": "1"}).status_code == 403
    assert client.post(f"/rota/{WEEK}/repair", data={"csrf_token": "x", "person": "alice"}).status_code == 403
    assert client.post("/repairs/1/accept", data={}).status_code == 403
    assert client.get("/repairs/999").status_code == 404


def test_the_json_api(client: TestClient) -> None:
    token = login(client)
    response = client.post(f"/api/rota/{WEEK}/repair", json={"person": "alice", "remove": True})
    assert response.status_code == 409 and "no published version" in response.json()["detail"]
    v1 = _publish_first_version(client, token)["rota"]
    response = client.post(f"/api/rota/{WEEK}/repair", json={"person": "ghost"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "person"]
    response = client.post(f"/api/rota/{WEEK}/repair", json={"person": "alice", "when": "now"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "when"]
    response = client.post(f"/api/rota/{WEEK}/repair", data={"person": "alice"})
    assert response.status_code == 415
    assert client.post("/api/rota/someday/repair", json={"person": "alice"}).status_code == 422
    person = _busiest(v1)
    response = client.post(f"/api/rota/{WEEK}/repair", json={"person": person, "remove": True})
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    body = client.get(f"/api/repairs/{job_id}").json()
    assert body["status"] == "finished" and body["based_on_version"] == 1 and body["proven_minimal"]
    assert body["change_count"] == 2 * sum(a["person"] == person for a in v1["assignments"])
    assert {c["person"] for c in body["changes"]["changes"] if c["kind"] == "removed"} == {person}
    assert client.get(f"/api/jobs/{job_id}").json()["status"] == "finished"
    assert client.get("/api/repairs/999").status_code == 404
    response = client.post(f"/api/repairs/{job_id}/accept", json={"publish": True, "note": "api"})
    assert response.status_code == 200 and response.json()["version"] == 2
    response = client.post(f"/api/repairs/{job_id}/accept", json={})
    assert response.status_code == 409 and "no longer the latest" in response.json()["detail"]
    assert client.get(f"/api/repairs/{job_id}").json()["accepted_by"] == "coord"


def test_escaping_and_english(client: TestClient) -> None:
    token = login(client)
    _publish_first_version(client, token)
    form = client.get(f"/rota/{WEEK}/repair").text
    assert EVIL not in form and "&lt;script&gt;alert(1)&lt;/script&gt;" in form
    job_id = _start(client, token, person="evil", remove="1")
    page = client.get(f"/repairs/{job_id}").text
    assert EVIL not in page and "&lt;script&gt;" in page
    week_page = client.get(f"/rota/{WEEK}").text
    assert EVIL not in week_page
    client.cookies.set("lang", "en")
    page = client.get(f"/repairs/{job_id}").text
    assert "Repair of the week of" in page and "Back to the week" in page
    assert "Someone dropped out" in client.get(f"/rota/{WEEK}").text
    assert "Changes to this week" in client.get(f"/rota/{WEEK}").text
    token = csrf_of(client, f"/rota/{WEEK}/repair")
    response = client.post(f"/rota/{WEEK}/repair", data={"csrf_token": token})
    assert response.status_code == 400 and "Required." in response.text


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/system-deps.sh)")
def test_repair_pages_fit_a_phone(client: TestClient) -> None:
    token = login(client)
    v1 = _publish_first_version(client, token)["rota"]
    job_id = _start(client, token, person=_busiest(v1), remove="1")
    pages = {
        "form": client.get(f"/rota/{WEEK}/repair").text,
        "result": client.get(f"/repairs/{job_id}").text,
        "week": client.get(f"/rota/{WEEK}").text,
    }
    bad = client.post(f"/rota/{WEEK}/repair", data={"csrf_token": token, "start": "x" * 150})
    pages["errors"] = bad.text
    widths = widest_pages(pages)
    assert all(width <= PHONE for width in widths.values()), widths


def test_progress_page_while_queued_and_cancel(tmp_path: Path) -> None:
    """With a runner that starts nothing, the repair waits: its page polls the job's progress and can cancel it."""
    path = tmp_path / "community.json"
    path.write_text(json.dumps(tiny_community(start=WEEK, **_limited()), ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password="correct horse battery", example_path=path,
        secret_key="k" * 40, solve_time_limit=10, solve_workers=1, database_url=None,
    )
    runner = RecordingRunner()
    app = create_app(settings, runner, out=io.StringIO())
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        client.post("/generate", data={"csrf_token": token, "start": WEEK, "days": "7"})
        run_job(app_context(app).sessions, runner.submitted[-1])  # the solve, by hand
        client.post(f"/rota/{WEEK}/draft", data={"csrf_token": token, "job_id": str(runner.submitted[-1])})
        client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token})
        job_id = _start(client, token, person="alice", remove="1")
        assert runner.submitted[-1] == job_id
        page = client.get(f"/repairs/{job_id}").text
        assert "等待开始" in page and f'data-url="/api/jobs/{job_id}"' in page and "progress.js" in page
        assert "排队中" in page  # its place in the queue of solves and repairs
        assert '<meta http-equiv="refresh"' in page and f'action="/repairs/{job_id}/cancel"' in page
        assert client.get(f"/jobs/{job_id}").headers["location"] == f"/repairs/{job_id}"
        response = client.post(f"/repairs/{job_id}/cancel", data={"csrf_token": token})
        assert response.status_code == 303 and runner.cancelled == [job_id]
        run_job(app_context(app).sessions, job_id)  # a late worker does nothing to a cancelled job
        assert _job(app, job_id).status == "cancelled"
        assert "已取消" in client.get(f"/repairs/{job_id}").text
        assert "取消了一次调整" in client.get(f"/rota/{WEEK}").text


def test_a_repair_in_a_real_solver_process(tmp_path: Path) -> None:
    """The default runner: the repair runs in a spawned process, like a solve."""
    path = tmp_path / "community.json"
    path.write_text(json.dumps(tiny_community(start=WEEK, **_limited()), ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password="correct horse battery", example_path=path,
        secret_key="k" * 40, solve_time_limit=10, solve_workers=1, database_url=None,
    )
    app = create_app(settings, out=io.StringIO())
    assert isinstance(app_context(app).runner, ProcessJobRunner)
    with TestClient(app, follow_redirects=False) as client:
        token = login(client)
        response = client.post("/generate", data={"csrf_token": token, "start": WEEK, "days": "7"})
        solve_id = int(response.headers["location"].rsplit("/", 1)[1])
        assert _wait(app, solve_id).status == "finished"
        client.post(f"/rota/{WEEK}/draft", data={"csrf_token": token, "job_id": str(solve_id)})
        client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token})
        job_id = _start(client, token, person="alice", remove="1")
        job = _wait(app, job_id)
        assert job.status == "finished" and job.rota is not None and job.pid is not None, job.error
        assert check(Scenario.model_validate(job.scenario), Rota.model_validate(job.rota)).ok
        assert "接受并发布" in client.get(f"/repairs/{job_id}").text


def _wait(app: FastAPI, job_id: int, seconds: float = 60) -> SolveJob:
    deadline = time.monotonic() + seconds
    while True:
        job = _job(app, job_id)
        if job.status not in ("queued", "running") or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def _calendar_events(app: FastAPI, person: str) -> dict[dt.datetime, Any]:
    """The person's calendar over every published version of the week, by event start."""
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        rows = rotas.versions(db, community.id, dt.date.fromisoformat(WEEK))
        versions = [rotas.published(row) for row in reversed(rows)]
    history = [
        ical.PublishedRota(rota=v.rota, version=v.version, published_at=_aware(v.published_at))
        for v in versions
    ]
    calendar = Calendar.from_ical(ical.person_calendar(versions[-1].scenario, history, person))
    return {event.decoded("dtstart"): event for event in calendar.walk("VEVENT")}


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives the stored UTC times back without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)

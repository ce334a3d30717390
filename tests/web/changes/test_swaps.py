"""Swaps between volunteers: offered at a secret link, accepted by an eligible volunteer, approved by the
coordinator (a new published version, the old one kept, both people's calendars updated), refused with its reason
when the validator finds it invalid; nobody acts on someone else's shift or with a revoked link; CSRF without a
login, login on the coordinator's routes, escaping, zh and en."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.check import check
from scheduler.domain.rota import Assignment, Rota, SolveStatus
from scheduler.reports import ical
from tests.web.conftest import InlineRunner, app_context, csrf_of, login, tiny_community
from web.app import create_app
from web.changes import audit, swaps
from web.dates import next_monday
from web.feeds.links import ensure_link, renew
from web.i18n import Translator
from web.rota import service as rotas
from web.settings import Settings
from web.store import build_scenario, first_community, person_row
from web.tables import Community, LinkKind, RotaDraft, SwapRequest

MONDAY = next_monday(dt.date.today()) + dt.timedelta(days=7)
TUESDAY = MONDAY + dt.timedelta(days=1)
WEEK = MONDAY.isoformat()
ZONE = ZoneInfo("Asia/Shanghai")
EVIL = "<script>alert(1)</script>"
PEOPLE = ("alice", "bob", "erin", "gus", "evil")


def _community() -> dict[str, Any]:
    """Two posts with a day shift each (08:00-16:00, one person), four volunteers and a guard, no meal breaks."""
    day = {"id": "day", "name": {"zh": "白班", "en": "Day"}, "start": "08:00", "hours": 8}
    return tiny_community(
        start=WEEK, days=2,
        posts=[
            {"id": "gate", "name": {"zh": "大门", "en": "Gate"}, "shifts": [day]},
            {"id": "road", "name": {"zh": "路口", "en": "Road"}, "shifts": [day]},
        ],
        coverage=[{"post": "gate", "shift": "day", "min": 1}, {"post": "road", "shift": "day", "min": 1}],
        meal_rules=[],
        people=[
            {"id": "alice", "name": "Alice", "roles": ["vol"]},
            {"id": "bob", "name": "Bob", "roles": ["vol"]},
            {"id": "erin", "name": "Erin", "roles": ["vol"]},
            {"id": "gus", "name": "Gus", "roles": ["guard"]},
            {"id": "evil", "name": EVIL, "roles": ["vol"]},
        ],
    )


V1 = [("alice", "gate", MONDAY), ("bob", "road", MONDAY), ("alice", "gate", TUESDAY), ("evil", "road", TUESDAY)]
"""Version 1: who works where (Erin and Gus are free)."""


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    path = tmp_path / "community.json"
    path.write_text(json.dumps(_community(), ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password="correct horse battery", example_path=path,
        secret_key="k" * 40, solve_time_limit=10, solve_workers=1, database_url=None,
    )
    return create_app(settings, InlineRunner(settings.resolved_database_url()), out=io.StringIO())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _db(app: FastAPI) -> Session:
    session: Session = app_context(app).sessions()
    return session


def _assignment(person: str, post: str, day: dt.date) -> Assignment:
    start = dt.datetime.combine(day, dt.time(8), ZONE)
    return Assignment(person=person, post=post, shift="day", role="vol", date=day, start=start,
                      end=start + dt.timedelta(hours=8))


def _publish_v1(app: FastAPI, client: TestClient) -> tuple[str, dict[str, str]]:
    """Publish the hand-made version 1 through the rota page; the coordinator's CSRF token and everyone's link."""
    token = login(client)
    with _db(app) as db, db.begin():
        community = first_community(db)
        assert community is not None
        scenario = build_scenario(db, community, MONDAY, 2)
        rota = Rota(community=scenario.community, start=MONDAY, days=2, timezone=scenario.timezone,
                    status=SolveStatus.FEASIBLE, objective=0, bound=None,
                    assignments=[_assignment(*item) for item in V1])
        assert check(scenario, rota).ok
        db.add(RotaDraft(community_id=community.id, week_start=MONDAY, days=2, updated_by="coord",
                         rota=rota.model_dump(mode="json"), scenario=scenario.model_dump(mode="json", by_alias=True)))
        links = {}
        for key in PEOPLE:
            row = person_row(db, community, key)
            assert row is not None
            links[key] = ensure_link(db, community, LinkKind.PERSON, person_id=row.id).token
    response = client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token})
    assert response.headers["location"] == f"/rota/{WEEK}/versions/1"
    return token, links


def _volunteer(app: FastAPI) -> TestClient:
    """A browser without a coordinator's login."""
    return TestClient(app, follow_redirects=False)


def _form_token(client: TestClient, link: str) -> str:
    return csrf_of(client, f"/p/{link}/swaps")


def _offer(client: TestClient, link: str, post: str, day: dt.date) -> Any:
    data = {"csrf_token": _form_token(client, link), "week": WEEK, "place": post, "shift": "day",
            "date": day.isoformat()}
    return client.post(f"/p/{link}/swaps/offer", data=data)


def _swap_ids(app: FastAPI) -> list[int]:
    with _db(app) as db:
        return list(db.scalars(select(SwapRequest.id).order_by(SwapRequest.id)))


def _swap(app: FastAPI, swap_id: int) -> SwapRequest:
    with _db(app) as db:
        swap = db.get(SwapRequest, swap_id)
        assert swap is not None
        return swap


def _events(app: FastAPI, person: str) -> dict[dt.datetime, Any]:
    """The person's calendar over every published version of the week, by event start."""
    with _db(app) as db:
        community = first_community(db)
        assert community is not None
        rows = list(reversed(rotas.versions(db, community.id, MONDAY)))
        versions = [rotas.published(row) for row in rows]
    history = [
        ical.PublishedRota(rota=v.rota, version=v.version, published_at=_aware(v.published_at))
        for v in versions
    ]
    calendar = Calendar.from_ical(ical.person_calendar(versions[-1].scenario, history, person))
    return {event.decoded("dtstart"): event for event in calendar.walk("VEVENT")}


def test_offer_accept_approve_publishes_a_new_version_and_both_calendars_follow(
    app: FastAPI, client: TestClient
) -> None:
    token, links = _publish_v1(app, client)
    with _volunteer(app) as alice, _volunteer(app) as erin, _volunteer(app) as gus:
        page = alice.get(f"/p/{links['alice']}/swaps").text
        assert "换班：Alice" in page and page.count("转让此班次") == 2
        assert _offer(alice, links["alice"], "gate", TUESDAY).status_code == 303
        page = alice.get(f"/p/{links['alice']}/swaps").text
        assert "已提出转让" in page and page.count("转让此班次") == 1 and "撤回" in page
        assert _offer(alice, links["alice"], "gate", TUESDAY).status_code == 409  # offered once only
        [swap_id] = _swap_ids(app)

        assert "接此班次" not in gus.get(f"/p/{links['gus']}/swaps").text  # a guard may not take a volunteer's shift
        page = erin.get(f"/p/{links['erin']}/swaps").text
        assert "由 Alice 转让" in page and f'action="/p/{links["erin"]}/swaps/{swap_id}/accept"' in page
        response = erin.post(f"/p/{links['erin']}/swaps/{swap_id}/accept",
                             data={"csrf_token": _form_token(erin, links["erin"])})
        assert response.status_code == 303
        assert "等待协调员批准" in erin.get(f"/p/{links['erin']}/swaps").text
        assert "Erin 已接受" in alice.get(f"/p/{links['alice']}/swaps").text

    page = client.get("/swaps").text
    assert "Alice → Erin" in page and "待批准" in page and f'action="/swaps/{swap_id}/approve"' in page
    response = client.post(f"/swaps/{swap_id}/approve", data={"csrf_token": token})
    assert response.status_code == 303
    assert "换班已批准，发布为第 2 版" in client.get("/swaps").text
    assert _swap(app, swap_id).status == "approved"

    v1 = client.get(f"/api/rota/{WEEK}/versions/1").json()["rota"]["assignments"]
    v2 = client.get(f"/api/rota/{WEEK}/versions/2").json()["rota"]["assignments"]
    assert {(a["person"], a["post"], a["date"]) for a in v1} == {(p, s, d.isoformat()) for p, s, d in V1}
    assert {(a["person"], a["post"], a["date"]) for a in v2} == {
        ("alice", "gate", WEEK), ("bob", "road", WEEK), ("erin", "gate", TUESDAY.isoformat()),
        ("evil", "road", TUESDAY.isoformat()),
    }
    draft = client.get(f"/api/rota/{WEEK}/draft").json()
    assert draft["latest_version"] == 2 and draft["changes"]["changes"] == []  # the draft followed the swap

    start = dt.datetime.combine(TUESDAY, dt.time(8), ZONE)
    given = _events(app, "alice")[start]
    assert str(given["status"]) == "CANCELLED" and int(given["sequence"]) == 1
    kept = _events(app, "alice")[dt.datetime.combine(MONDAY, dt.time(8), ZONE)]
    assert str(kept["status"]) == "CONFIRMED" and int(kept["sequence"]) == 0
    taken = _events(app, "erin")[start]
    assert str(taken["status"]) == "CONFIRMED" and int(taken["sequence"]) == 0

    page = client.get(f"/rota/{WEEK}").text
    section = page[page.index("本周变更记录"):]
    for text in ("批准换班 Alice → Erin（第 2 版）", "Erin 接受了 Alice 的班次", "Alice 提出转让班次", "发布第 1 版"):
        assert text in section, text
    assert "志愿者 alice" in section


def test_open_offers_are_checked_once_per_version_and_taker(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A published version never changes, so whether someone may take an offer is checked once: reloading the
    swaps page runs no whole-rota check again; a new version is checked afresh."""
    token, links = _publish_v1(app, client)
    with _volunteer(app) as alice:
        assert _offer(alice, links["alice"], "gate", TUESDAY).status_code == 303
    calls: list[int] = []
    real_check = swaps.check

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(swaps, "check", counting)
    with _volunteer(app) as erin:
        assert "由 Alice 转让" in erin.get(f"/p/{links['erin']}/swaps").text
        first = len(calls)
        assert first >= 1
        assert "由 Alice 转让" in erin.get(f"/p/{links['erin']}/swaps").text
        assert len(calls) == first  # the reload checked nothing again
    # A new version (the draft republished) is judged afresh.
    assert client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token}).status_code == 303
    with _volunteer(app) as erin:
        erin.get(f"/p/{links['erin']}/swaps")
    assert len(calls) > first


def test_an_invalid_swap_is_refused_with_its_reason(app: FastAPI, client: TestClient) -> None:
    token, links = _publish_v1(app, client)
    with _volunteer(app) as alice, _volunteer(app) as erin:
        assert _offer(alice, links["alice"], "gate", MONDAY).status_code == 303
        [swap_id] = _swap_ids(app)
        response = erin.post(f"/p/{links['erin']}/swaps/{swap_id}/accept",
                             data={"csrf_token": _form_token(erin, links["erin"])})
        assert response.status_code == 303
    # Meanwhile the coordinator gives Erin Bob's Monday shift on the road, at the same hours, and publishes.
    move = {"kind": "move", "assignment": {"person": "bob", "place": "road", "shift": "day", "date": WEEK},
            "to_person": "erin"}
    assert client.post(f"/api/rota/{WEEK}/adjustments", json={"adjustment": move}).status_code == 200
    assert client.post(f"/rota/{WEEK}/publish", data={"csrf_token": token}).status_code == 303
    response = client.post(f"/swaps/{swap_id}/approve", data={"csrf_token": token})
    assert response.status_code == 303
    page = client.get("/swaps").text
    swap = _swap(app, swap_id)
    assert swap.status == "refused" and swap.reason is not None
    assert re.fullmatch(r"Erin同时排在 大门 白班 .* 和 路口 白班 .*", swap.reason)
    assert f"换班被拒绝：{swap.reason}" in page and "已拒绝" in page
    assert [v["version"] for v in client.get(f"/api/rota/{WEEK}/versions").json()["versions"]] == [2, 1]
    with _volunteer(app) as erin:
        assert "原因：" in erin.get(f"/p/{links['erin']}/swaps").text


def test_a_taker_without_the_role_is_refused_with_the_reason(app: FastAPI, client: TestClient) -> None:
    token, links = _publish_v1(app, client)
    with _volunteer(app) as alice, _volunteer(app) as gus:
        assert _offer(alice, links["alice"], "gate", TUESDAY).status_code == 303
        [swap_id] = _swap_ids(app)
        response = gus.post(f"/p/{links['gus']}/swaps/{swap_id}/accept",
                            data={"csrf_token": _form_token(gus, links["gus"])})
        assert response.status_code == 409 and "Gus 不具备“志愿者”角色" in response.text
        assert _swap(app, swap_id).status == "offered"
    # Approval checks again: a taker recorded without the role is refused with the reason.
    with _db(app) as db, db.begin():
        swap = db.get(SwapRequest, swap_id)
        community = db.get(Community, swap.community_id) if swap else None
        gus_row = person_row(db, community, "gus") if community else None
        assert swap is not None and gus_row is not None
        swap.status, swap.to_person_id = "accepted", gus_row.id
    response = client.post(f"/swaps/{swap_id}/approve", data={"csrf_token": token})
    assert response.status_code == 303
    assert "Gus 不具备“志愿者”角色" in client.get("/swaps").text
    swap = _swap(app, swap_id)
    assert swap.status == "refused" and swap.reason == "Gus 不具备“志愿者”角色。"  # in the coordinator's language
    assert [v["version"] for v in client.get(f"/api/rota/{WEEK}/versions").json()["versions"]] == [1]


def test_volunteers_act_only_on_their_own_shifts_and_links(app: FastAPI, client: TestClient) -> None:
    _token, links = _publish_v1(app, client)
    with _volunteer(app) as alice, _volunteer(app) as erin:
        response = _offer(erin, links["erin"], "gate", MONDAY)  # Alice's shift
        assert response.status_code == 404 and "这不是您已发布的班次" in response.text
        assert _swap_ids(app) == []
        response = _offer(erin, links["erin"], "gate", dt.date(1999, 1, 1))
        assert response.status_code == 404
        data = {"csrf_token": _form_token(erin, links["erin"]), "week": "soon", "place": "", "date": ""}
        assert erin.post(f"/p/{links['erin']}/swaps/offer", data=data).status_code == 404
        assert _offer(alice, links["alice"], "gate", MONDAY).status_code == 303
        [swap_id] = _swap_ids(app)
        response = erin.post(f"/p/{links['erin']}/swaps/{swap_id}/withdraw",
                             data={"csrf_token": _form_token(erin, links["erin"])})
        assert response.status_code == 404 and _swap(app, swap_id).status == "offered"
        response = alice.post(f"/p/{links['alice']}/swaps/{swap_id}/accept",
                              data={"csrf_token": _form_token(alice, links["alice"])})
        assert response.status_code == 409 and "这是您自己的申请" in response.text

        # A renewed link: the old token no longer opens the page or acts.
        old = links["erin"]
        form_token = _form_token(erin, old)
        with _db(app) as db, db.begin():
            community = first_community(db)
            row = person_row(db, community, "erin") if community else None
            assert community is not None and row is not None
            renew(db, community, LinkKind.PERSON, person_id=row.id)
        assert erin.get(f"/p/{old}/swaps").status_code == 404
        response = erin.post(f"/p/{old}/swaps/{swap_id}/accept", data={"csrf_token": form_token})
        assert response.status_code == 404 and _swap(app, swap_id).status == "offered"

        # The giver withdraws: the offer is gone for everyone.
        response = alice.post(f"/p/{links['alice']}/swaps/{swap_id}/withdraw",
                              data={"csrf_token": _form_token(alice, links["alice"])})
        assert response.status_code == 303 and _swap(app, swap_id).status == "withdrawn"
        assert "已撤回" in alice.get(f"/p/{links['alice']}/swaps").text
    with _volunteer(app) as bob:
        assert "接此班次" not in bob.get(f"/p/{links['bob']}/swaps").text


def test_csrf_on_volunteer_forms_without_login_and_login_on_coordinator_routes(
    app: FastAPI, client: TestClient
) -> None:
    token, links = _publish_v1(app, client)
    with _volunteer(app) as alice:
        data = {"week": WEEK, "place": "gate", "shift": "day", "date": WEEK}
        assert alice.post(f"/p/{links['alice']}/swaps/offer", data=data).status_code == 403
        assert alice.post(f"/p/{links['alice']}/swaps/offer", data={**data, "csrf_token": token}).status_code == 403
        assert _swap_ids(app) == []
        assert _offer(alice, links["alice"], "gate", MONDAY).status_code == 303  # its own session's token works
        assert alice.get("/swaps").headers["location"].startswith("/login")
        [swap_id] = _swap_ids(app)
        response = alice.post(f"/swaps/{swap_id}/approve", data={"csrf_token": _form_token(alice, links["alice"])})
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.post(f"/swaps/{swap_id}/approve", data={}).status_code == 403
    assert client.post(f"/swaps/{swap_id}/refuse", data={"csrf_token": "x"}).status_code == 403
    assert client.post("/swaps/999/approve", data={"csrf_token": token}).status_code == 404
    response = client.post(f"/swaps/{swap_id}/approve", data={"csrf_token": token})  # nobody took it yet
    assert response.status_code == 303 and "还没有人接受该班次" in client.get("/swaps").text
    response = client.post(f"/swaps/{swap_id}/refuse", data={"csrf_token": token, "reason": "short notice"})
    assert response.status_code == 303 and _swap(app, swap_id).reason == "short notice"
    assert "原因：short notice" in client.get("/swaps").text


def test_escaping_and_english(app: FastAPI, client: TestClient) -> None:
    _token, links = _publish_v1(app, client)
    with _volunteer(app) as evil, _volunteer(app) as erin:
        assert _offer(evil, links["evil"], "road", TUESDAY).status_code == 303
        for page in (evil.get(f"/p/{links['evil']}/swaps").text, erin.get(f"/p/{links['erin']}/swaps").text):
            assert EVIL not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        erin.cookies.set("lang", "en")
        page = erin.get(f"/p/{links['erin']}/swaps").text
        assert "Swap shifts: Erin" in page and "Take this shift" in page and "offered by &lt;script&gt;" in page
        assert re.search(r"Tue \d+ \w+ · Road Day 08:00–16:00 · Volunteer", page)
    page = client.get("/swaps").text
    assert EVIL not in page and "&lt;script&gt;" in page
    week_page = client.get(f"/rota/{WEEK}").text
    assert EVIL not in week_page and "&lt;script&gt;alert(1)&lt;/script&gt; 提出转让班次" in week_page
    client.cookies.set("lang", "en")
    page = client.get("/swaps").text
    assert "Awaiting a decision" in page and "To swap two people yourself" in page


def test_audit_text_tolerates_missing_details() -> None:
    line = audit.AuditLine(dt.datetime.now(dt.UTC), "coord", "swap.approve", {"giver": "A"})
    assert audit.audit_text(line, Translator("en")) == "Approved a swap A → ? (version ?)"
    assert audit.audit_text(audit.AuditLine(line.at, "x", "people.add", {}), Translator("zh")) == "people.add"


# ------------------------------------------------------------------------------------------ phone width

CHROMIUM = Path("/usr/bin/chromium")
STYLE = Path(__file__).resolve().parents[3] / "web" / "static" / "style.css"
PHONE = 390


def widest_pages(pages: dict[str, str]) -> dict[str, int]:
    """Each page's scroll width in Debian's chromium at 390 x 844, with the app's style sheet."""
    from playwright.sync_api import sync_playwright

    widths = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
        ])
        try:
            page = browser.new_page(viewport={"width": PHONE, "height": 844})
            for name, html in pages.items():
                page.set_content(re.sub(r"<script[^>]*></script>", "", html))
                page.add_style_tag(path=str(STYLE))
                widths[name] = int(page.evaluate("document.documentElement.scrollWidth"))
        finally:
            browser.close()
    return widths


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/system-deps.sh)")
def test_swap_pages_fit_a_phone(app: FastAPI, client: TestClient) -> None:
    _token, links = _publish_v1(app, client)
    with _volunteer(app) as alice, _volunteer(app) as erin:
        assert _offer(alice, links["alice"], "gate", TUESDAY).status_code == 303
        pages = {
            "giver": alice.get(f"/p/{links['alice']}/swaps").text,
            "taker": erin.get(f"/p/{links['erin']}/swaps").text,
            "coordinator": client.get("/swaps").text,
            "week": client.get(f"/rota/{WEEK}").text,
        }
    widths = widest_pages(pages)
    assert all(width <= PHONE for width in widths.values()), widths


def test_approval_after_the_shift_started_is_refused(app: FastAPI, client: TestClient) -> None:
    _token, links = _publish_v1(app, client)
    with _volunteer(app) as alice, _volunteer(app) as erin:
        assert _offer(alice, links["alice"], "gate", MONDAY).status_code == 303
        [swap_id] = _swap_ids(app)
        erin.post(f"/p/{links['erin']}/swaps/{swap_id}/accept", data={"csrf_token": _form_token(erin, links["erin"])})
    started = dt.datetime.combine(MONDAY, dt.time(9), ZONE)
    with _db(app) as db:
        community = first_community(db)
        assert community is not None
        decision = swaps.approve_swap(db, community, swap_id, "coord", Translator("en"), now=started)
    assert decision.version is None and decision.reasons == ["This shift has already started."]
    assert _swap(app, swap_id).status == "refused"


def test_a_team_duty_offer_matches_its_assignment() -> None:
    start = dt.datetime.combine(MONDAY, dt.time(8), ZONE)
    duty = Assignment(person="alice", duty="patrol", role="vol", date=MONDAY, start=start,
                      end=start + dt.timedelta(hours=2))
    swap = SwapRequest(date=MONDAY, post=None, duty="patrol", shift="", role="vol")
    assert swaps.offer_matches(duty, swap, "alice") and not swaps.offer_matches(duty, swap, "bob")


def test_the_coordinators_swap_api(app: FastAPI, client: TestClient) -> None:
    _token, links = _publish_v1(app, client)
    with _volunteer(app) as alice, _volunteer(app) as erin:
        assert _offer(alice, links["alice"], "gate", TUESDAY).status_code == 303
        assert _offer(alice, links["alice"], "gate", MONDAY).status_code == 303
        first, second = _swap_ids(app)
        erin.post(f"/p/{links['erin']}/swaps/{first}/accept", data={"csrf_token": _form_token(erin, links["erin"])})
    with _volunteer(app) as anonymous:
        assert anonymous.get("/api/swaps").status_code == 401
        assert anonymous.post(f"/api/swaps/{first}/approve", json={}).status_code == 401
    listed = client.get("/api/swaps").json()
    assert [(s["id"], s["status"], s["giver"], s["taker"], s["current"]) for s in listed["pending"]] == [
        (second, "offered", "Alice", None, True), (first, "accepted", "Alice", "Erin", True),
    ]
    assert client.post(f"/api/swaps/{first}/approve", data={"x": "1"}).status_code == 415
    response = client.post(f"/api/swaps/{second}/approve", json={})
    assert response.status_code == 409 and response.json()["detail"] == "Nobody has taken this shift yet."
    assert client.post("/api/swaps/999/approve", json={}).status_code == 404
    response = client.post(f"/api/swaps/{first}/approve", json={})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 2 and body["reasons"] == [] and body["swap"]["status"] == "approved"
    response = client.post(f"/api/swaps/{second}/refuse", json={"reason": "x" * 501})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "reason"]
    response = client.post(f"/api/swaps/{second}/refuse", json={"reason": "too late"})
    assert response.status_code == 200 and response.json()["status"] == "refused"
    assert response.json()["reason"] == "too late"
    assert client.post(f"/api/swaps/{second}/refuse", json={}).status_code == 409
    assert [s["id"] for s in client.get("/api/swaps").json()["decided"]] == [second, first]


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives the stored UTC times back without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def test_a_swap_whose_shift_left_the_rota_is_named_by_post_and_shift_names() -> None:
    """The lists fall back on the stored swap when its assignment is gone: names in the reader's language."""
    from scheduler.domain.scenario import Scenario
    from web.changes.pages import _swap_slot

    scenario = Scenario.model_validate(tiny_community())
    swap = SwapRequest(date=dt.date(2026, 12, 8), post="gate", duty=None, shift="day", role="vol")
    zh, en = Translator("zh"), Translator("en")
    assert _swap_slot(scenario, swap, zh) == f"{zh.day(swap.date)} · 大门 白班"
    assert _swap_slot(scenario, swap, en) == f"{en.day(swap.date)} · Gate Day"

"""Privacy (PIPL): an absence's reason stays on coordinator pages; one person's data exported as JSON; erasure
leaves their name and phone nowhere in the database while published rotas still render."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from scheduler import Explanation, Scenario, Words
from scheduler.domain.messages import Message
from tests.web.conftest import PASSWORD, app_context, login, tiny_community
from tests.web.feeds_support import WEEK, ZONE, make_app, person_token, post_token, publish, session, week_one
from web.accounts import service as accounts
from web.i18n import Translator
from web.outbox import service as outbox
from web.reasons import explanation_words, shown_explanation
from web.store import first_community, person_row, transaction
from web.tables import (
    Base,
    CheckIn,
    CheckInStatus,
    Coordinator,
    OutboxMessage,
    RotaVersion,
    Signup,
    SignupRound,
    SwapRequest,
)

REASON = "看牙医SECRET"
PHONE = "13912345678"
EMAIL = "zhangwei@example.org"
NAME = "张伟"
BASE = f"/rota/{WEEK.isoformat()}"
SUNDAY = (WEEK + dt.timedelta(days=6)).isoformat()


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    alice = {"phone": PHONE, "absences": [{"date": SUNDAY, "reason": REASON}]}
    app = make_app(tmp_path, alice=alice, dave={"name": NAME, "active": True})  # a namesake, who stays as he is
    publish(app, week_one())
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


def test_an_absence_reason_shows_only_on_the_coordinators_availability_page(app: FastAPI, client: TestClient) -> None:
    token, feed = person_token(app, "alice"), post_token(app)
    login(client)
    assert REASON in client.get("/people/alice/availability").text  # the coordinator sees it
    for path in (f"/p/{token}", f"/p/{token}/print", f"/p/{token}/calendar.ics", f"/feeds/post/{feed}.ics",
                 f"/p/{token}/swaps", BASE, f"{BASE}/people", f"{BASE}/versions/1", f"{BASE}/print", "/now"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert REASON not in response.text, path
    assert NAME in client.get(f"{BASE}/print").text
    pdf = client.get(f"{BASE}/print.pdf")
    assert pdf.status_code == 200 and NAME in _pdf_text(pdf.content) and REASON not in _pdf_text(pdf.content)
    sheet = client.get(f"{BASE}/rota.xlsx")
    assert sheet.status_code == 200 and NAME in _xlsx_text(sheet.content) and REASON not in _xlsx_text(sheet.content)


def _add_check_in_and_swap(app: FastAPI) -> None:
    with session(app) as db, transaction(db):
        community = first_community(db)
        assert community is not None
        alice, bob = person_row(db, community, "alice"), person_row(db, community, "bob")
        assert alice is not None and bob is not None
        version = db.scalars(select(RotaVersion)).one()
        start = dt.datetime.combine(WEEK, dt.time(8), ZONE)
        db.add(CheckIn(
            community_id=community.id, person_id=alice.id, version_id=version.id, place="gate", shift="day",
            role="vol", date=WEEK, planned_start=start, planned_end=start + dt.timedelta(hours=8),
            arrived_at=start, status=CheckInStatus.ARRIVED.value, recorded_by="lead:alice",
        ))
        db.add(SwapRequest(
            community_id=community.id, version_id=version.id, date=WEEK + dt.timedelta(days=2), post="gate",
            shift="day", role="vol", from_person_id=alice.id, to_person_id=bob.id, status="offered",
            reason=f"{NAME} 家里有事 {PHONE}",
        ))
        alice.email, alice.quiet_start, alice.quiet_end = EMAIL, dt.time(22), dt.time(7)
        db.flush()
        outbox.enqueue_to_person(
            db, alice, subject="排班变更", body=f"{NAME}：周一 白班", kind="publication", dedupe_key="p:alice",
            now=start,
        )
        community.wecom_webhook = "http://127.0.0.1:9/robot"
        signup_round = SignupRound(
            community_id=community.id, week_start=WEEK, days=7, deadline=start, opened_by="coord",
        )
        db.add(signup_round)
        db.flush()
        db.add(Signup(round_id=signup_round.id, person_id=alice.id, place="gate", shift="day", date=WEEK, choice="yes"))
        outbox.enqueue_to_group(
            db, community, subject="今日排班", body=f"大门 白班 {NAME} {PHONE}", kind="day", dedupe_key="g:1",
            now=start,
        )


def test_a_coordinator_exports_one_persons_data(app: FastAPI, client: TestClient) -> None:
    token = person_token(app, "alice")
    _add_check_in_and_swap(app)
    login(client)
    response = client.get("/people/alice/export.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["person"]["name"] == NAME and data["person"]["phone"] == PHONE
    assert data["person"]["absences"][0]["reason"] == REASON
    assert [(s["date"], s["place"], s["role"]) for s in data["published_shifts"]] == [
        (WEEK.isoformat(), "gate", "vol"), ((WEEK + dt.timedelta(days=2)).isoformat(), "gate", "vol")]
    assert data["check_ins"][0]["status"] == "arrived" and data["swap_requests"][0]["offered_by_them"]
    assert data["links"] and token not in response.text
    assert data["messages_settings"] == {"email": EMAIL, "channel": "email", "quiet_hours": ["22:00", "07:00"]}
    assert [m["subject"] for m in data["messages"]] == ["排班变更"]  # theirs, not the group's
    assert [(s["date"], s["choice"]) for s in data["signups"]] == [(WEEK.isoformat(), "yes")]
    again = client.get("/people/alice/export.json").json()  # the first export is audited, and about them
    assert [entry["action"] for entry in again["audit"]] == ["person.export"]
    assert client.get("/people/nobody/export.json").status_code == 404


def _database_text(app: FastAPI) -> str:
    """Every row of every table, as text."""
    parts = []
    with session(app) as db:
        for table in Base.metadata.sorted_tables:
            for row in db.execute(select(table)).mappings():
                parts.append(json.dumps(dict(row), ensure_ascii=False, default=str))
    return "\n".join(parts)


def _pair_with_bob(app: FastAPI) -> None:
    with session(app) as db, transaction(db):
        community = first_community(db)
        assert community is not None
        community.setup = {**community.setup, "pairs": [{"kind": "apart", "people": ["alice", "bob"]}]}


def test_erasure_leaves_the_name_and_phone_nowhere_and_rotas_still_render(app: FastAPI, client: TestClient) -> None:
    _pair_with_bob(app)
    old_token, carol, feed = person_token(app, "alice"), person_token(app, "carol"), post_token(app)
    _add_check_in_and_swap(app)
    token = login(client)
    client.get(f"/p/{old_token}")  # feeds and pages built with the old name, held in memory
    feeds = {path: client.get(path) for path in (f"/feeds/post/{feed}.ics", f"/p/{carol}/calendar.ics")}
    assert all(NAME in response.text for response in feeds.values())  # alice's teammate carol sees her name
    assert NAME in client.get(f"/p/{carol}").text
    assert NAME in client.get(f"{BASE}/versions/1").text
    assert NAME in _database_text(app) and PHONE in _database_text(app)
    page = client.get("/people/alice/erase")
    assert page.status_code == 200 and "确认删除" in page.text
    response = client.post("/people/alice/erase", data={"csrf_token": token})
    assert response.status_code == 303
    dump = _database_text(app)
    for secret in (PHONE, REASON, "家里有事", EMAIL):
        assert secret not in dump, secret
    namesake = re.compile(rf'"(id|key)": "dave", "name": "{NAME}"')
    assert namesake.search(dump) and NAME not in namesake.sub("", dump)  # only the namesake keeps the name
    assert "已删除的志愿者" in dump and "person.erase" in dump
    assert "alice" not in dump  # the id made from the name is replaced too, the set-up's pair included
    with session(app) as db:
        dave = next(p for p in db.scalars(select(RotaVersion)).one().scenario["people"] if p["id"] == "dave")
        assert dave["name"] == NAME  # the namesake keeps his name
    assert client.get("/setup/pairs").status_code == 200 and client.get("/generate").status_code == 200
    for path in (BASE, f"{BASE}/versions/1", f"{BASE}/print", f"{BASE}/people", "/people", "/now"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert PHONE not in response.text, path
        # Lists of everyone name the namesake; the week grids never had him, and the other pages name nobody else.
        grids = "".join(re.findall(r'<section class="grid">.*?</section>', response.text, re.S))
        assert NAME not in (grids if grids or path.endswith("people") else response.text), path
    assert "已删除的志愿者" in client.get("/people").text
    version = client.get(f"{BASE}/versions/1").text
    assert "已删除的志愿者" in version and "没有违反硬性规则" in version  # still the rota that was published
    assert client.get(f"/p/{old_token}").status_code == 404  # the link is revoked
    assert NAME not in client.get(f"/p/{carol}").text
    for path, before in feeds.items():  # every calendar changes: none keeps the old name
        after = client.get(path, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"], path
        assert NAME not in after.text and PHONE not in after.text, path
    assert NAME not in _xlsx_text(client.get(f"{BASE}/rota.xlsx").content)
    assert NAME not in _pdf_text(client.get(f"{BASE}/print.pdf").content)
    with session(app) as db:
        assert len(db.scalars(select(CheckIn)).all()) == 1  # the service record stays
        assert not db.scalars(select(Signup)).all()  # wishes, deleted
        group = db.scalars(select(OutboxMessage)).one()  # theirs deleted; the group's kept, scrubbed
        assert group.kind == "day" and "已删除的志愿者" in group.body
    erased = next(key for key in ("erased-1", "erased-2", "erased-3") if person_row_exists(app, key))
    assert "个人数据已删除" in client.get(f"/people/{erased}/erase").text
    assert client.get("/people/alice/erase").status_code == 404


def person_row_exists(app: FastAPI, key: str) -> bool:
    with session(app) as db:
        community = first_community(db)
        assert community is not None
        return person_row(db, community, key) is not None


def test_a_viewer_reads_absences_without_their_reasons(app: FastAPI, client: TestClient) -> None:
    with app_context(app).sessions.begin() as db:
        accounts.create_account(db, None, "vic", PASSWORD, "viewer", t=Translator("en"))
    login(client, "vic")
    page = client.get("/people/alice/availability")
    assert page.status_code == 200 and REASON not in page.text
    assert REASON not in client.get("/api/people").text and REASON not in client.get("/api/people/alice").text
    assert client.get("/people/alice/export.json").status_code == 403


def test_explanations_name_the_reason_for_editors_only() -> None:
    scenario = Scenario.model_validate(tiny_community())
    away = Message(code="explain.blocked_away", params={"reason": REASON})
    pin = Message(code="explain.pin_blocked", params={"person": "alice", "reason": f"away ({REASON})"})
    coordinator, viewer = Coordinator(role="coordinator"), Coordinator(role="viewer")
    assert REASON in explanation_words(scenario, "zh", coordinator).render(away)
    hidden = explanation_words(scenario, "zh", viewer)
    assert hidden.render(away) == "请假" and REASON not in hidden.render(pin) and "请假" in hidden.render(pin)


def test_the_api_gives_viewers_explanations_without_reasons() -> None:
    blocker = {"person": "alice", "name": "Alice", "reasons": [f"away ({REASON})", "inactive"],
               "reason_messages": [{"code": "explain.blocked_away", "params": {"reason": REASON}},
                                   {"code": "explain.blocked_inactive", "params": {}}]}
    explanation = Explanation.model_validate({
        "summary": "No rota.", "conflicts": [f"Pin of Alice on Mon contradicts their situation: away ({REASON})."],
        "conflict_messages": [{"code": "explain.pin_away", "params": {"person": "alice", "reason": REASON}}],
        "shortages": [{"place": "gate", "start": "2026-12-07T08:00:00+08:00", "end": "2026-12-07T16:00:00+08:00",
                       "needed": 1, "short_by": 1, "blockers": [blocker], "message": "short"}],
    })
    coordinator, viewer = Coordinator(role="coordinator"), Coordinator(role="viewer")
    assert shown_explanation(explanation, coordinator) is explanation
    hidden = shown_explanation(explanation, viewer)
    assert REASON not in hidden.model_dump_json()
    assert hidden.shortages[0].blockers[0].reasons == ["away", "inactive"]
    assert hidden.conflict_messages[0].code == "explain.pin_away_plain"
    assert hidden.shortages[0].blockers[0].reason_texts(Words(None, "zh"))[0] == "请假"

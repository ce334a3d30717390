"""Check-in for coordinators: the day sheet (/checkins) and its corrections, audited before and after; the JSON
(GET and PUT /api/checkins); the Now page's statuses; the post's QR poster, its renewal, and the corner QR of the
A4 print-out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.checkin.support import MONDAY, at, checkin_token, make, page_csrf, rows, slot_ref
from tests.web.conftest import login
from tests.web.feeds_support import ZONE, person_token, session
from tests.web.test_chinese_pages import _english_words
from web.feeds import links
from web.store import first_community
from web.tables import AuditEntry, CheckInStatus, LinkKind


def _arrive(client: TestClient, token: str) -> None:
    csrf = page_csrf(client, f"/p/{token}")
    assert client.post(f"/p/{token}/checkin/arrive", data={"csrf_token": csrf, "slot": slot_ref()}).status_code == 303


def test_the_day_sheet_lists_everyone_with_their_status(tmp_path: Path) -> None:
    app = make(tmp_path)
    at(app, 8, 20)
    with TestClient(app, follow_redirects=False) as client:
        _arrive(client, person_token(app, "alice"))
        login(client)
        page = client.get("/checkins").text  # default: the community's today (the frozen Monday)
        assert "张伟" in page and "王强" in page and "迟到" in page and "尚未记录" in page and "08:20" in page
        assert "本人" in page and _english_words(page) == set()
        assert client.get(f"/checkins?date={MONDAY + dt.timedelta(days=1)}").text.count("checkin-correct") == 1
        assert "这一天没有已发布的排班" in client.get("/checkins?date=2001-01-01").text
        assert client.get("/checkins?date=nonsense").status_code == 200
        client.cookies.set("lang", "en")
        body = client.get(f"/api/checkins?date={MONDAY}").json()
        assert body["date"] == MONDAY.isoformat() and body["timezone"] == "Asia/Shanghai"
        (shift,) = body["shifts"]
        people = {p["person"]: p for p in shift["people"]}
        assert people["alice"]["status"] == "late" and people["alice"]["recorded_by"] == "self"
        assert people["alice"]["arrived_at"].startswith(f"{MONDAY}T08:20:00+08:00")
        assert people["carol"]["status"] is None and people["carol"]["arrived_at"] is None


def test_a_correction_is_audited_with_before_and_after(tmp_path: Path) -> None:
    app = make(tmp_path)
    at(app, 8, 20)
    with TestClient(app, follow_redirects=False) as client:
        _arrive(client, person_token(app, "alice"))
        csrf = login(client)
        form = {"csrf_token": csrf, "date": MONDAY.isoformat(), "slot": slot_ref(), "person": "alice",
                "status": "arrived", "arrived": "08:05", "left": "16:00"}
        response = client.post("/checkins/correct", data=form)
        assert response.status_code == 303 and response.headers["location"] == f"/checkins?date={MONDAY}"
        row = rows(app)["alice"]
        assert row.status == CheckInStatus.ARRIVED and row.recorded_by == "coordinator:coord"
        assert row.arrived_at == dt.datetime.combine(MONDAY, dt.time(8, 5), ZONE).astimezone(dt.UTC)
        assert row.left_at == dt.datetime.combine(MONDAY, dt.time(16), ZONE).astimezone(dt.UTC)
        # a no-show for carol, who recorded nothing
        form |= {"person": "carol", "status": "no_show", "arrived": "", "left": ""}
        assert client.post("/checkins/correct", data=form).status_code == 303
        assert rows(app)["carol"].status == CheckInStatus.NO_SHOW
        # the form's errors name the field, and nothing changes
        client.cookies.set("lang", "en")
        bad = client.post("/checkins/correct", data=form | {"person": "alice", "status": "late", "arrived": "8h"})
        assert bad.status_code == 400 and "Arrival: a time as HH:MM" in bad.text
        bad = client.post("/checkins/correct", data=form | {"person": "alice", "status": "arrived",
                                                             "arrived": "09:00", "left": "08:00"})
        assert bad.status_code == 400 and "Departure: must come after the arrival." in bad.text
        assert client.post("/checkins/correct", data=form | {"slot": "gate|day|2001-01-01"}).status_code == 404
        # clearing: back to "not recorded yet"
        assert client.post("/checkins/correct", data=form | {"status": ""}).status_code == 303
        assert "carol" not in rows(app)
    with session(app) as db:
        entries = list(db.scalars(select(AuditEntry).where(AuditEntry.action == "checkin.correct")
                                  .order_by(AuditEntry.id)))
    assert [e.details["person"] for e in entries] == ["alice", "carol", "carol"]
    first = entries[0]
    assert first.actor == "coord" and first.target == f"checkin:{MONDAY}"
    assert first.details["before"]["status"] == "late" and first.details["after"]["status"] == "arrived"
    assert first.details["before"]["arrived_at"].startswith(f"{MONDAY}T00:20:00")  # 08:20 in Shanghai, in UTC
    assert entries[2].details["before"]["status"] == "no_show" and entries[2].details["after"]["status"] is None


def test_the_api_corrects_and_refuses_with_the_field_named(tmp_path: Path) -> None:
    app = make(tmp_path)
    at(app, 9)
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        client.cookies.set("lang", "en")
        body = {"date": MONDAY.isoformat(), "place": "gate", "shift": "day", "person": "carol", "status": "late",
                "arrived": "08:40"}
        answer = client.put("/api/checkins", json=body)
        assert answer.status_code == 200, answer.text
        carol = next(p for p in answer.json()["people"] if p["person"] == "carol")
        assert carol["status"] == "late" and carol["recorded_by"] == "coordinator:coord"
        answer = client.put("/api/checkins", json=body | {"arrived": ""})
        assert answer.status_code == 422
        (problem,) = answer.json()["detail"]
        assert problem["loc"] == ["body", "arrived"] and problem["msg"].startswith("Arrival")
        assert client.put("/api/checkins", json=body | {"person": "bob"}).status_code == 404
        assert client.put("/api/checkins", json=body | {"status": "gone"}).status_code == 422
        assert client.put("/api/checkins", content=b"x").status_code in (415, 422)


def test_the_now_page_shows_who_has_checked_in(tmp_path: Path) -> None:
    app = make(tmp_path)
    at(app, 8, 3)
    with TestClient(app, follow_redirects=False) as client:
        _arrive(client, person_token(app, "alice"))
        login(client)
        page = client.get("/now").text
        assert re.search(r"张伟.*已到岗 08:03", page, re.S) and "尚未记录" in page and 'href="/checkins"' in page
        assert _english_words(page) == set()
        client.cookies.set("lang", "en")
        (gate,) = client.get("/api/now").json()["posts"]
        people = {p["name"]: p for p in gate["current"][0]["people"]}
        assert people["张伟"]["checkin"] == "arrived" and people["张伟"]["arrived_at"].startswith(f"{MONDAY}T08:03")
        assert people["王强"]["checkin"] is None
        assert all(p.get("checkin") is None for p in (gate["next"] or {}).get("people", []))


def test_the_poster_the_feeds_page_and_the_corner_of_the_print_out(tmp_path: Path) -> None:
    app = make(tmp_path)
    with TestClient(app, follow_redirects=False) as client:
        csrf = login(client)
        feeds = client.get("/feeds").text
        assert 'href="/feeds/posts/gate/checkin"' in feeds and "/feeds/posts/gate/checkin/renew" in feeds
        poster = client.get("/feeds/posts/gate/checkin")
        assert poster.status_code == 200 and 'src="data:image/svg+xml' in poster.text and "到岗签到" in poster.text
        assert _english_words(poster.text) == set()
        assert client.get("/feeds/posts/nowhere/checkin").status_code == 404
        first = checkin_token(app)
        assert client.get("/feeds/posts/gate/checkin").text == poster.text  # the same code until renewed
        assert client.post("/feeds/posts/gate/checkin/renew", data={"csrf_token": csrf}).status_code == 303
        second = checkin_token(app)
        assert second != first and client.get(f"/c/{first}").status_code == 404
        assert client.get(f"/c/{second}").status_code == 200
        assert client.post("/feeds/posts/gate/checkin/revoke", data={"csrf_token": csrf}).status_code == 303
        assert client.get(f"/c/{second}").status_code == 404
        with session(app) as db:
            community = first_community(db)
            assert community is not None
            assert links.active_link(db, community, LinkKind.CHECKIN, post="gate") is None
        printed = client.get(f"/rota/{MONDAY}/print?version=1").text
        assert 'class="has-corner"' in printed and "到岗签到" in printed and "data:image/svg+xml" in printed
        pdf = client.get(f"/rota/{MONDAY}/print.pdf?version=1")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

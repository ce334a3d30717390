"""Check-in at the post: the volunteer's buttons (statuses at the edges of the grace), the shift's lead checking the
team in, the post's QR with and without the phone's remembered link, and nothing of a location kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from tests.web.checkin.support import at, checkin_token, make, page_csrf, person_id, rows, slot_ref
from tests.web.feeds_support import person_token, session
from tests.web.test_chinese_pages import _english_words
from web.checkin import service
from web.checkin.pages import ME_COOKIE
from web.feeds import links
from web.store import first_community
from web.tables import CheckIn, CheckInStatus


def _post(client: TestClient, token: str, action: str, **data: str) -> str:
    """Post a check-in form of the personal page; the page shown afterwards."""
    csrf = page_csrf(client, f"/p/{token}")
    response = client.post(f"/p/{token}/checkin/{action}", data={"csrf_token": csrf, **data})
    assert response.status_code == 303 and response.headers["location"] == f"/p/{token}#checkin"
    return client.get(f"/p/{token}").text


@pytest.mark.parametrize(("minute", "second", "expected"), [
    (0, 0, CheckInStatus.ARRIVED), (10, 0, CheckInStatus.ARRIVED), (10, 1, CheckInStatus.LATE),
])
def test_arriving_within_the_grace_is_on_time_and_later_is_late(
    tmp_path: Path, minute: int, second: int, expected: CheckInStatus
) -> None:
    app = make(tmp_path)
    token = person_token(app, "alice")
    moment = at(app, 8, minute, second)
    with TestClient(app, follow_redirects=False) as client:
        page = _post(client, token, "arrive", slot=slot_ref())
    row = rows(app)["alice"]
    assert row.status == expected and row.recorded_by == "self"
    assert row.arrived_at == moment.astimezone(dt.UTC) and row.left_at is None
    assert row.planned_start == dt.datetime.combine(row.date, dt.time(8), moment.tzinfo).astimezone(dt.UTC)
    assert ("迟到" if expected == CheckInStatus.LATE else "已到岗") in page


@pytest.mark.parametrize(("hour", "minute", "expected"), [
    (15, 50, CheckInStatus.ARRIVED), (15, 49, CheckInStatus.LEFT_EARLY), (16, 30, CheckInStatus.ARRIVED),
])
def test_leaving_more_than_the_grace_before_the_end_is_leaving_early(
    tmp_path: Path, hour: int, minute: int, expected: CheckInStatus
) -> None:
    app = make(tmp_path)
    token = person_token(app, "alice")
    with TestClient(app, follow_redirects=False) as client:
        at(app, 7, 55)
        _post(client, token, "arrive", slot=slot_ref())
        left = at(app, hour, minute)
        _post(client, token, "leave", slot=slot_ref())
    row = rows(app)["alice"]
    assert row.status == expected and row.left_at == left.astimezone(dt.UTC)


def test_arriving_twice_keeps_the_first_time_and_leaving_first_is_refused(tmp_path: Path) -> None:
    app = make(tmp_path)
    token = person_token(app, "alice")
    with TestClient(app, follow_redirects=False) as client:
        client.cookies.set("lang", "en")
        at(app, 7, 30)
        page = _post(client, token, "leave", slot=slot_ref())
        assert "You have not checked in on this shift: tap Arrived first." in page
        assert rows(app) == {}
        first = at(app, 7, 45)
        _post(client, token, "arrive", slot=slot_ref())
        at(app, 8, 30)
        _post(client, token, "arrive", slot=slot_ref())
    row = rows(app)["alice"]
    assert row.arrived_at == first.astimezone(dt.UTC) and row.status == CheckInStatus.ARRIVED


def test_the_section_shows_a_shift_from_an_hour_before_its_start(tmp_path: Path) -> None:
    app = make(tmp_path)
    token = person_token(app, "alice")
    with TestClient(app, follow_redirects=False) as client:
        at(app, 6, 59)
        page = client.get(f"/p/{token}").text
        assert "您当前没有进行中或一小时内开始的班次" in page and 'value="gate|day' not in page
        at(app, 7, 0)
        page = client.get(f"/p/{token}").text
        assert f'value="{slot_ref()}"' in page and "到岗" in page and "离岗" in page
        assert "尚未记录" in page and _english_words(page) == set()
        at(app, 9, 0, day=1)  # Tuesday: alice is off
        page = client.get(f"/p/{token}").text
        assert 'value="gate|day' not in page
        # a shift not open (or not hers) is refused without a record
        response = client.post(f"/p/{token}/checkin/arrive",
                               data={"csrf_token": page_csrf(client, f"/p/{token}"), "slot": slot_ref()})
        assert response.status_code == 303 and rows(app) == {}


def test_the_forms_need_the_csrf_token_and_a_live_link(tmp_path: Path) -> None:
    app = make(tmp_path)
    token = person_token(app, "alice")
    at(app, 8)
    with TestClient(app, follow_redirects=False) as client:
        client.get(f"/p/{token}")
        assert client.post(f"/p/{token}/checkin/arrive", data={"slot": slot_ref()}).status_code == 403
        csrf = page_csrf(client, f"/p/{token}")
        assert client.post("/p/nope/checkin/arrive", data={"csrf_token": csrf, "slot": slot_ref()}).status_code == 404
    assert rows(app) == {}


def test_the_personal_page_remembers_the_phone_and_the_post_qr_opens_it(tmp_path: Path) -> None:
    app = make(tmp_path)
    token, scan = person_token(app, "alice"), checkin_token(app)
    at(app, 7, 50)
    with TestClient(app, follow_redirects=False) as client:
        # a phone that never opened the personal link is told what to do
        page = client.get(f"/c/{scan}")
        assert page.status_code == 200 and "请先在这部手机上打开一次您的个人链接" in page.text
        assert _english_words(page.text) == set()
        response = client.get(f"/p/{token}")
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(ME_COOKIE))
        assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Path=/c" in cookie
        assert "Max-Age=" in cookie
        response = client.get(f"/c/{scan}")
        assert response.status_code == 303 and response.headers["location"] == f"/p/{token}?at=gate#checkin"
        page = client.get(response.headers["location"]).text
        assert f'value="{slot_ref()}"' in page
        assert client.get("/c/unknown-token").status_code == 404
        assert client.get(f"/c/{token}").status_code == 404  # a personal token is no post's QR


def test_a_revoked_personal_link_or_check_in_code_opens_nothing(tmp_path: Path) -> None:
    app = make(tmp_path)
    token, scan = person_token(app, "alice"), checkin_token(app)
    at(app, 7, 50)
    with TestClient(app, follow_redirects=False) as client:
        client.get(f"/p/{token}")
        with session(app) as db:
            community = first_community(db)
            assert community is not None
            link = links.active_link(db, community, links.LinkKind.PERSON, person_id=person_id(app, "alice"))
            assert link is not None
            links.change_person_link(db, community, "coord", db.get(links.PersonRow, link.person_id), renew=True)
        page = client.get(f"/c/{scan}")
        assert page.status_code == 200 and "请先在这部手机上打开一次您的个人链接" in page.text
        with session(app) as db, db.begin():
            community = first_community(db)
            assert community is not None
            old = links.active_link(db, community, links.LinkKind.CHECKIN, post="gate")
            assert old is not None
            links.revoke(db, old)
        assert client.get(f"/c/{scan}").status_code == 404


def test_the_lead_checks_the_team_in(tmp_path: Path) -> None:
    app = make(tmp_path, lead=True)  # guard is a lead role: carol leads Monday's shift
    carol, alice = person_token(app, "carol"), person_token(app, "alice")
    at(app, 8, 5)
    with TestClient(app, follow_redirects=False) as client:
        page = client.get(f"/p/{carol}").text
        assert "本班次的队员" in page and "张伟" in page and 'value="no_show"' in page
        page = client.get(f"/p/{alice}").text
        assert "本班次的队员" not in page
        # alice does not lead: refused, nothing recorded
        csrf = page_csrf(client, f"/p/{alice}")
        client.post(f"/p/{alice}/checkin/team",
                    data={"csrf_token": csrf, "slot": slot_ref(), "person": "carol", "status": "arrived"})
        assert rows(app) == {}
        page = _post(client, carol, "team", slot=slot_ref(), person="alice", status="no_show")
        assert "张伟：缺勤" in page
        assert rows(app)["alice"].status == CheckInStatus.NO_SHOW
        at(app, 8, 20)
        _post(client, carol, "team", slot=slot_ref(), person="alice", status="arrived")
    row = rows(app)["alice"]
    assert row.status == CheckInStatus.LATE and row.recorded_by == f"lead:{person_id(app, 'carol')}"


def test_without_a_lead_role_anyone_on_the_shift_checks_the_others_in(tmp_path: Path) -> None:
    app = make(tmp_path)
    alice = person_token(app, "alice")
    at(app, 8)
    with TestClient(app, follow_redirects=False) as client:
        page = client.get(f"/p/{alice}").text
        assert "本班次的队员" in page and "王强" in page
        _post(client, alice, "team", slot=slot_ref(), person="carol", status="arrived")
        # nobody marks themselves through the team list
        _post(client, alice, "team", slot=slot_ref(), person="alice", status="no_show")
    found = rows(app)
    assert set(found) == {"carol"} and found["carol"].recorded_by == f"lead:{person_id(app, 'alice')}"


def test_no_location_is_ever_collected(tmp_path: Path) -> None:
    columns = {c.name for c in inspect(CheckIn).columns}
    assert not columns & {"ip", "ip_address", "latitude", "longitude", "location", "address", "user_agent"}
    app = make(tmp_path)
    token, scan = person_token(app, "alice"), checkin_token(app)
    at(app, 8)
    with TestClient(app, follow_redirects=False) as client:
        for text in (client.get(f"/p/{token}").text, client.get(f"/c/{scan}").text):
            assert "geolocation" not in text and "getCurrentPosition" not in text
        _post(client, token, "arrive", slot=slot_ref())
    row = rows(app)["alice"]
    assert "127.0.0.1" not in repr(vars(row)) and "testclient" not in repr(vars(row))


def test_the_service_refuses_what_is_not_on_the_shift(tmp_path: Path) -> None:
    app = make(tmp_path)
    moment = at(app, 8)
    with session(app) as db:
        community = first_community(db)
        assert community is not None
        (slot,) = service.open_slots(db, community, "alice", moment, "zh")
        with pytest.raises(service.CheckInProblem):
            service.arrive(db, community, slot, "bob", moment)
        assert service.parse_ref("nonsense") is None and service.find_slot([slot], "gate|day|2000-13-01") is None
        assert slot.may_lead("alice") and not slot.may_lead("bob")


def test_a_corrected_time_falls_on_the_right_day_of_a_night_shift() -> None:
    start = dt.datetime(2026, 12, 7, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    night = service.Member("bob", "李娜", "guard", "保安", False, start, start + dt.timedelta(hours=8), None)
    assert service.place_time(night, dt.time(23, 5)) == start + dt.timedelta(minutes=5)
    assert service.place_time(night, dt.time(7, 0)) == start + dt.timedelta(hours=8)
    assert service.place_time(night, dt.time(22, 50)) == start - dt.timedelta(minutes=10)
    assert service.clock_time("7:00") is None and service.clock_time("25:00") is None
    assert service.clock_time("07:30") == dt.time(7, 30)
    assert service.arrival_status(night, start + service.GRACE) == CheckInStatus.ARRIVED
    assert service.arrival_status(night, start + service.GRACE + dt.timedelta(seconds=1)) == CheckInStatus.LATE

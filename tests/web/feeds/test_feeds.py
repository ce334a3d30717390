"""Calendar feeds through the app: two parsers, versions (SEQUENCE, CANCELLED, stable UIDs), ETag and
Last-Modified with 304, renewed and revoked links, the post feed, escaping, the coordinator's link pages."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vobject  # type: ignore[import-untyped]  # no type information published
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select

from scheduler.reports.ical import CalendarOptions
from tests.web.conftest import login
from tests.web.feeds_support import (
    EVIL,
    WEEK,
    make_app,
    person_token,
    post_token,
    publish,
    session,
    week_one,
    week_two,
)
from web.feeds import service as feeds
from web.tables import AuditEntry, PersonRow


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


@pytest.fixture(autouse=True)
def _prebuilds_finish() -> Iterator[None]:
    """A feed built on request starts prebuilding the others' in a thread: let it end before the app goes."""
    yield
    for thread in threading.enumerate():
        if thread.name == "feed-prebuild":
            thread.join(30)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _events(body: bytes) -> dict[dt.date, Any]:
    """The feed's events by local start date (one shift a day per person here)."""
    calendar = Calendar.from_ical(body)
    return {event.decoded("dtstart").date(): event for event in calendar.walk("VEVENT")}


def test_a_person_feed_parses_with_two_parsers(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    token = person_token(app, "alice")
    response = client.get(f"/p/{token}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "private" in response.headers["cache-control"]
    events = _events(response.content)
    assert sorted(events) == [WEEK, WEEK + dt.timedelta(days=2)]
    monday = events[WEEK]
    assert str(monday["status"]) == "CONFIRMED"
    assert "大门" in str(monday["summary"]) and "志愿者" in str(monday["summary"])
    assert "王强" in str(monday["description"])  # the teammate on the shared shift
    assert "协调员 王芳 13911112222" in str(monday["description"])
    alarms = [c for c in monday.subcomponents if c.name == "VALARM"]
    assert len(alarms) == 1 and alarms[0].decoded("trigger") == -dt.timedelta(minutes=60)
    parsed = vobject.readOne(response.content.decode("utf-8"))
    starts = sorted(event.dtstart.value for event in parsed.vevent_list)
    assert starts[0] == dt.datetime.combine(WEEK, dt.time(8), starts[0].tzinfo)
    assert starts[0].utcoffset() == dt.timedelta(hours=8)


def test_version_two_cancels_the_removed_shift_and_keeps_uids(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    token = person_token(app, "alice")
    before = _events(client.get(f"/p/{token}/calendar.ics").content)
    assert publish(app, week_two()) == 2
    after = _events(client.get(f"/p/{token}/calendar.ics").content)
    wednesday = WEEK + dt.timedelta(days=2)
    assert str(after[wednesday]["status"]) == "CANCELLED"
    assert after[wednesday]["uid"] == before[wednesday]["uid"]
    assert int(after[wednesday]["sequence"]) == int(before[wednesday]["sequence"]) + 1
    assert not [c for c in after[wednesday].subcomponents if c.name == "VALARM"]
    assert after[WEEK]["uid"] == before[WEEK]["uid"]
    assert int(after[WEEK]["sequence"]) == int(before[WEEK]["sequence"]) == 0
    carol = _events(client.get(f"/p/{person_token(app, 'carol')}/calendar.ics").content)
    assert str(carol[wednesday]["status"]) == "CONFIRMED" and int(carol[wednesday]["sequence"]) == 0


def test_etag_and_last_modified_answer_304(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    url = f"/p/{person_token(app, 'alice')}/calendar.ics"
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": old}).status_code == 200
    assert client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code == 200
    publish(app, week_two())
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert client.get(url).content == changed.content  # same inputs, same bytes (from the cache or not)


def test_the_feed_of_a_person_without_shifts_or_versions_is_a_valid_calendar(app: FastAPI, client: TestClient) -> None:
    token = person_token(app, "alice")
    empty = client.get(f"/p/{token}/calendar.ics")
    assert empty.status_code == 200 and list(Calendar.from_ical(empty.content).walk("VEVENT")) == []
    publish(app, week_one())
    bob_free = [a for a in week_one() if a.person != "bob"]
    assert bob_free
    response = client.get(f"/p/{person_token(app, 'bob')}/calendar.ics")
    assert len(_events(response.content)) == 3


def test_renew_kills_the_old_token_and_revoke_answers_404(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    token = login(client)
    old = person_token(app, "alice")
    assert client.get(f"/p/{old}/calendar.ics").status_code == 200
    response = client.post("/people/alice/links/renew", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/people/alice/links"
    assert client.get(f"/p/{old}/calendar.ics").status_code == 404
    assert client.get(f"/p/{old}").status_code == 404
    new = person_token(app, "alice")
    assert new != old and client.get(f"/p/{new}/calendar.ics").status_code == 200
    page = client.get("/people/alice/links").text
    assert f"/p/{new}" in page and f"webcal://testserver/p/{new}/calendar.ics" in page
    assert "data:image/svg+xml" in page and old not in page
    client.post("/people/alice/links/revoke", data={"csrf_token": token})
    assert client.get(f"/p/{new}/calendar.ics").status_code == 404
    assert "还没有链接" in client.get("/people/alice/links").text
    with session(app) as db:
        actions = [(e.action, e.target) for e in db.scalars(select(AuditEntry))]
    assert ("link.renew", "person:alice") in actions and ("link.revoke", "person:alice") in actions
    assert all(new not in str(e) and old not in str(e) for e in actions)  # tokens stay out of the log


def test_link_forms_need_login_and_csrf(app: FastAPI, client: TestClient) -> None:
    assert client.get("/people/alice/links").status_code == 303
    assert client.post("/people/alice/links/renew", data={}).status_code == 303
    token = login(client)
    assert client.post("/people/alice/links/renew", data={"csrf_token": "wrong"}).status_code == 403
    assert client.post("/feeds/posts/gate/renew", data={}).status_code == 403
    assert client.post("/people/nobody/links/renew", data={"csrf_token": token}).status_code == 404
    assert client.post("/feeds/posts/nowhere/renew", data={"csrf_token": token}).status_code == 404


def test_unknown_tokens_are_404_without_a_hint(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    post = post_token(app)
    fake = "x" * 43
    unknown = client.get(f"/p/{fake}/calendar.ics")
    assert unknown.status_code == 404
    foreign = client.get(f"/p/{post}/calendar.ics")  # a post's token opens no person feed, and says nothing more
    assert foreign.status_code == 404 and foreign.text.replace(post, fake) == unknown.text
    assert client.get(f"/feeds/post/{person_token(app, 'alice')}.ics").status_code == 404


def test_the_post_feed_lists_everyone_with_breaks_and_can_be_renewed(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    token = post_token(app)
    response = client.get(f"/feeds/post/{token}.ics")
    assert response.status_code == 200 and response.headers["content-type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    assert len(events) == 7
    assert "张伟" in str(events[WEEK]["description"]) and "王强" in str(events[WEEK]["description"])
    assert "午饭 11:00–11:45" in str(events[WEEK]["description"])
    english = _events(client.get(f"/feeds/post/{token}.ics", params={"lang": "en"}).content)
    assert "Gate" in str(english[WEEK]["summary"]) and "Lunch" in str(english[WEEK]["description"])
    etag = response.headers["etag"]
    assert client.get(f"/feeds/post/{token}.ics", headers={"If-None-Match": etag}).status_code == 304
    csrf = login(client)
    page = client.get("/feeds").text
    assert f"webcal://testserver/feeds/post/{token}.ics" in page and "大门" in page
    client.post("/feeds/posts/gate/renew", data={"csrf_token": csrf})
    assert client.get(f"/feeds/post/{token}.ics").status_code == 404
    client.post("/feeds/posts/gate/revoke", data={"csrf_token": csrf})
    assert "还没有链接" in client.get("/feeds").text


def test_a_script_name_is_plain_text_in_the_feed(tmp_path: Path) -> None:
    name = EVIL + '; a,b\\c "q"'
    app = make_app(tmp_path, carol={"name": name})
    with TestClient(app, follow_redirects=False) as client:
        publish(app, week_one())
        alice = client.get(f"/p/{person_token(app, 'alice')}/calendar.ics").content
        assert name in str(_events(alice)[WEEK]["description"])  # round trip: escaped by RFC 5545, not HTML
        assert "&lt;" not in alice.decode("utf-8")
        carol = client.get(f"/p/{person_token(app, 'carol')}/calendar.ics").content
        calendar = vobject.readOne(carol.decode("utf-8"))
        assert name in calendar.contents["x-wr-calname"][0].value


def test_the_alarm_follows_the_setting(tmp_path: Path) -> None:
    app = make_app(tmp_path, alarm_minutes=0)
    with TestClient(app, follow_redirects=False) as client:
        publish(app, week_one())
        events = _events(client.get(f"/p/{person_token(app, 'alice')}/calendar.ics").content)
        assert all(not event.subcomponents for event in events.values())


def test_english_feed_for_an_english_speaker(tmp_path: Path) -> None:
    app = make_app(tmp_path, alice={"language": "en"})
    with TestClient(app, follow_redirects=False) as client:
        publish(app, week_one())
        events = _events(client.get(f"/p/{person_token(app, 'alice')}/calendar.ics").content)
        assert "Gate" in str(events[WEEK]["summary"]) and "Volunteer" in str(events[WEEK]["summary"])


def _not_prebuilt() -> bytes:
    raise AssertionError("a feed was not prebuilt")


def test_a_new_version_prebuilds_everyones_feed_once(app: FastAPI, client: TestClient) -> None:
    publish(app, week_one())
    cache = feeds.FeedCache()
    options = CalendarOptions()
    sessions = app.state.rota.sessions
    with session(app) as db:
        people = list(db.scalars(select(PersonRow).where(PersonRow.active.is_(True))))
        stamps = feeds.version_stamps(db, people[0].community_id, feeds.feed_window_start(dt.date.today()))
    thread = feeds.prebuild_people(cache, sessions, people[0].community_id, stamps, options)
    assert thread is not None
    thread.join(30)
    assert feeds.prebuild_people(cache, sessions, people[0].community_id, stamps, options) is None
    for person in people:
        etag = feeds.person_validators(stamps, person, options).etag
        body = cache.feed(etag, _not_prebuilt)
        served = client.get(f"/p/{person_token(app, person.key)}/calendar.ics")
        assert served.headers["etag"] == etag and served.content == body

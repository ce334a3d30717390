"""Calendars (scheduler.reports.ical): read back by two independent parsers (icalendar, vobject) and a real CalDAV
server.

Rotas come from the solver (checked by the independent checker in `solve_and_check`); later versions are made by
editing a solved rota the way a coordinator would (a shift taken away, a break moved).
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from scheduler.domain.base import LocalizedText
from scheduler.domain.rota import Assignment, Break, Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.ical import CalendarOptions, PublishedRota, person_calendar, post_calendar
from tests.reports.community import COORDINATOR, ODD_NAME, community, solved_rota, with_odd_name

V1 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
V2 = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)
V3 = dt.datetime(2026, 12, 5, 7, 15, tzinfo=dt.UTC)


def unescape(raw: str) -> str:
    """RFC 5545 TEXT unescaping, for X- properties icalendar hands back raw."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def vobject_events(data: bytes) -> dict[str, Any]:
    parsed = vobject.readOne(data.decode("utf-8"))
    return {e.uid.value: e for e in parsed.vevent_list}


def of_person(rota: Rota, person: str) -> list[Assignment]:
    return sorted((a for a in rota.assignments if a.person == person), key=lambda a: a.start)


def the_event(data: bytes, a: Assignment) -> icalendar.Event:
    """The event of an assignment, found by its start instant and summary place."""
    for event in parse(data).walk("VEVENT"):
        if event.decoded("dtstart") == a.start:
            return event
    raise AssertionError(f"no event starts at {a.start}")


# ------------------------------------------------------------------------------------------ person feed


def test_every_person_feed_reads_the_same_in_both_parsers(scenario: Scenario, rota: Rota) -> None:
    zone = ZoneInfo(scenario.timezone)
    for person in scenario.people:
        mine = of_person(rota, person.id)
        if not mine:
            continue
        data = person_calendar(scenario, rota, person.id)
        calendar = parse(data)
        events = events_by_uid(calendar)
        other = vobject_events(data)
        assert set(events) == set(other)
        assert len(events) == len(mine)
        assert str(calendar["x-wr-timezone"]) == "Asia/Shanghai"
        assert person.name in unescape(str(calendar["x-wr-calname"]))
        assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
        for uid, event in events.items():
            start = event.decoded("dtstart")
            assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
            assert start.tzinfo is not None and start.utcoffset() == zone.utcoffset(start.replace(tzinfo=None))
            assert other[uid].dtstart.value == start
            assert other[uid].dtend.value == event.decoded("dtend")
            assert other[uid].summary.value == str(event["summary"])
            assert other[uid].description.value == str(event["description"])
            assert other[uid].location.value == str(event["location"])
        assert sorted(e.decoded("dtstart") for e in events.values()) == [a.start for a in mine]


def test_event_text_in_the_persons_language(scenario: Scenario, rota: Rota) -> None:
    for person_id, words in (("li-wei", ("Entrance checkpoint", "Party member", "Coordinator")),
                             ("wang-fang", ("小区入口卡口", "党员", "协调人"))):
        mine = of_person(rota, person_id)
        assert mine, f"{person_id} has no shift to show"
        data = person_calendar(scenario, rota, person_id)
        for a in mine:
            event = the_event(data, a)
            summary, description = str(event["summary"]), str(event["description"])
            assert words[0] in summary and words[1] in summary
            assert f"{words[2]}" in description and COORDINATOR in description
            assert str(event["location"]) == '南门, 幸福里; "东"'
            crew = [b for b in rota.assignments if (b.place, b.date, b.shift) == (a.place, a.date, a.shift)]
            for mate in crew:
                name = scenario.person(mate.person).name
                assert (name in description) == (mate.person != person_id)
            for meal in a.breaks:
                local = meal.start.astimezone(scenario.zone).strftime("%H:%M")
                assert local in description
                assert ("Lunch" if words[0].isascii() else "午饭") in description


def test_breaks_teammates_and_alarm(scenario: Scenario, rota: Rota) -> None:
    day_shift = next(a for a in rota.assignments if a.shift == "d" and a.breaks)
    data = person_calendar(scenario, rota, day_shift.person)
    event = the_event(data, day_shift)
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0].decoded("trigger") == dt.timedelta(minutes=-60)
    assert str(alarms[0]["action"]) == "DISPLAY"
    vevent = vobject_events(data)[str(event["uid"])]
    assert vevent.valarm.trigger.value == dt.timedelta(minutes=-60)


def test_alarm_is_configurable_and_can_be_left_out(scenario: Scenario, rota: Rota) -> None:
    person = rota.assignments[0].person
    quarter = parse(person_calendar(scenario, rota, person, CalendarOptions(alarm_minutes=15)))
    assert {a.decoded("trigger") for a in quarter.walk("VALARM")} == {dt.timedelta(minutes=-15)}
    none = person_calendar(scenario, rota, person, CalendarOptions(alarm_minutes=0))
    assert not parse(none).walk("VALARM")
    assert b"BEGIN:VALARM" not in none


def test_calendar_hints_for_subscribers(scenario: Scenario, rota: Rota) -> None:
    data = person_calendar(scenario, rota, rota.assignments[0].person, CalendarOptions(refresh_minutes=120))
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT2H\r\n" in data
    assert b"X-PUBLISHED-TTL:PT120M\r\n" in data
    assert b"METHOD:PUBLISH\r\n" in data
    calendar = vobject.readOne(data.decode("utf-8"))
    assert calendar.x_wr_timezone.value == "Asia/Shanghai"


def test_team_duties_are_events(scenario: Scenario, rota: Rota) -> None:
    duty = next(a for a in rota.assignments if a.duty == "screening")
    data = person_calendar(scenario, rota, duty.person)
    event = the_event(data, duty)
    assert "入户排查小组" in str(event["summary"])
    assert event.decoded("dtend") == duty.end


def test_unknown_person_or_post_is_a_key_error(scenario: Scenario, rota: Rota) -> None:
    with pytest.raises(KeyError):
        person_calendar(scenario, rota, "nobody")
    with pytest.raises(KeyError):
        post_calendar(scenario, rota, "nowhere")


# ----------------------------------------------------------------------------------------- escaping, folding


def test_escaping_of_names_with_commas_semicolons_backslashes_newlines(scenario: Scenario, rota: Rota) -> None:
    scenario = with_odd_name(scenario)
    mine = of_person(rota, "li-wei")
    assert mine
    data = person_calendar(scenario, rota, "li-wei")
    unfolded = data.replace(b"\r\n ", b"")
    assert 'X-WR-CALNAME:幸福里社区 · Li\\, Wei\\; "x"\\\\ y\\nz\r\n'.encode() in unfolded
    # icalendar keeps X- properties raw; read as the TEXT they are, they give the name back.
    assert unescape(str(parse(data)["x-wr-calname"])).endswith(ODD_NAME)
    assert vobject.readOne(data.decode("utf-8")).x_wr_calname.value.endswith(ODD_NAME)
    # Teammates see the name inside their description, escaped the same way.
    mate = next(
        b for b in rota.assignments
        if b.person != "li-wei" and any((b.place, b.date, b.shift) == (a.place, a.date, a.shift) for a in mine)
    )
    other = person_calendar(scenario, rota, mate.person)
    descriptions = [str(e["description"]) for e in parse(other).walk("VEVENT")]
    assert any(ODD_NAME in d for d in descriptions)
    assert any(ODD_NAME in e.description.value for e in vobject_events(other).values())


def test_long_chinese_text_is_folded_at_75_octets_without_splitting_characters(scenario: Scenario) -> None:
    long_coordinator = "东湖街道办事处疫情防控指挥部值班室（二十四小时值守，请先发短信说明情况）" * 4 + " 027-0000-0000"
    wordy = scenario.model_copy(update={"coordinator": long_coordinator})
    rota = solved_rota(wordy)
    data = person_calendar(wordy, rota, rota.assignments[0].person)
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert sum(1 for line in lines if line.startswith(b" ")) > 4
    for line in lines:
        line.decode("utf-8")  # a character split across two lines would fail to decode here
    for event in parse(data).walk("VEVENT"):
        assert long_coordinator in str(event["description"])
    for event in vobject_events(data).values():
        assert long_coordinator in event.description.value


# --------------------------------------------------------------------------------------- versions and UIDs


def remove(rota: Rota, victim: Assignment) -> Rota:
    return rota.model_copy(update={"assignments": [a for a in rota.assignments if a != victim]})


def move_break(rota: Rota, target: Assignment, minutes: int) -> Rota:
    shifted = [Break(start=b.start + dt.timedelta(minutes=minutes), end=b.end + dt.timedelta(minutes=minutes))
               for b in target.breaks]
    moved = target.model_copy(update={"breaks": shifted})
    return rota.model_copy(update={"assignments": [moved if a == target else a for a in rota.assignments]})


def test_uids_are_stable_across_two_solves(scenario: Scenario, rota: Rota) -> None:
    """A re-solve with one person banned from one shift: the shifts both rotas share keep their UIDs."""
    banned = next(a for a in rota.assignments if a.post == "gate")
    ban = {"person": banned.person, "date": banned.date.isoformat(), "post": "gate", "shift": banned.shift}
    again = solved_rota(Scenario.model_validate({**scenario.model_dump(by_alias=True), "bans": [ban]}))
    assert banned not in again.assignments
    shared = 0
    for person in scenario.people:
        first = {(e.decoded("dtstart"), str(e["summary"])): str(e["uid"])
                 for e in parse(person_calendar(scenario, rota, person.id)).walk("VEVENT")}
        second = {(e.decoded("dtstart"), str(e["summary"])): str(e["uid"])
                  for e in parse(person_calendar(scenario, again, person.id)).walk("VEVENT")}
        for key in first.keys() & second.keys():
            assert first[key] == second[key]
            shared += 1
        assert len(set(first.values())) == len(first)
    # Every shift both rotas give the same person in the same role is one of the events compared (which ones they
    # share depends on the solver: many rotas are equally good here).
    def kept(r: Rota) -> set[tuple[str, dt.date, str, str | None, str]]:
        return {(a.person, a.date, a.place, a.shift, a.role) for a in r.assignments}
    assert shared >= len(kept(rota) & kept(again)) > 0


def test_uid_depends_on_person_slot_and_community(scenario: Scenario, rota: Rota) -> None:
    a = rota.assignments[0]
    uid = str(the_event(person_calendar(scenario, rota, a.person), a)["uid"])
    assert uid.endswith("@rota.localhost")
    custom = person_calendar(scenario, rota, a.person, CalendarOptions(domain="rota.example.org"))
    assert str(the_event(custom, a)["uid"]) == uid.replace("rota.localhost", "rota.example.org")
    renamed = scenario.model_copy(update={"community": "和平里社区"})
    assert str(the_event(person_calendar(renamed, rota, a.person), a)["uid"]) != uid


def test_sequence_raised_on_change_and_removed_shift_cancelled(scenario: Scenario, rota: Rota) -> None:
    gate = [a for a in rota.assignments if a.post == "gate"]
    victim = next(a for a in gate if a.shift == "e")
    retimed = next(a for a in gate if a.breaks and a.person != victim.person)
    untouched = next(
        a for a in rota.assignments
        if a.person not in (victim.person, retimed.person)
        and (a.place, a.date, a.shift) not in {(v.place, v.date, v.shift) for v in (victim, retimed)}
    )
    v2 = move_break(remove(rota, victim), retimed, 30)
    history = [
        PublishedRota(rota=rota, version=1, published_at=V1),
        PublishedRota(rota=v2, version=2, published_at=V2),
    ]
    gone = the_event(person_calendar(scenario, history, victim.person), victim)
    assert str(gone["status"]) == "CANCELLED"
    assert gone.decoded("sequence") == 1
    assert gone.decoded("dtstamp") == V2
    assert not gone.walk("VALARM")
    changed = the_event(person_calendar(scenario, history, retimed.person), retimed)
    assert str(changed["status"]) == "CONFIRMED"
    assert changed.decoded("sequence") == 1
    assert changed.decoded("dtstamp") == V2
    assert changed.decoded("created") == V1
    same = the_event(person_calendar(scenario, history, untouched.person), untouched)
    assert same.decoded("sequence") == 0
    assert same.decoded("dtstamp") == V1
    # The UIDs did not move with the new version.
    only_v1 = the_event(person_calendar(scenario, rota, victim.person), victim)
    assert str(only_v1["uid"]) == str(gone["uid"])
    # Given back in version 3: the same event again, confirmed, with a higher sequence.
    history.append(PublishedRota(rota=rota, version=3, published_at=V3))
    back = the_event(person_calendar(scenario, history, victim.person), victim)
    assert (str(back["status"]), back.decoded("sequence"), back.decoded("dtstamp")) == ("CONFIRMED", 2, V3)
    # vobject reads the cancellation too.
    assert vobject_events(person_calendar(scenario, history[:2], victim.person))[str(gone["uid"])].status.value == (
        "CANCELLED"
    )


def test_a_rename_published_in_a_new_version_is_a_change_with_the_new_text(scenario: Scenario, rota: Rota) -> None:
    """Each version's text comes from the scenario it was published with: renaming the post and a teammate, then
    publishing the same assignments, raises SEQUENCE on the events that show those names, and only on them."""
    gate = [a for a in rota.assignments if a.post == "gate"]
    def mates(a: Assignment) -> list[str]:
        return [b.person for b in gate if b.person != a.person and (b.date, b.shift) == (a.date, a.shift)]

    shown = next(a for a in gate if mates(a) and a.person != "li-wei")  # li-wei reads English
    renamed_mate = mates(shown)[0]
    posts = [p.model_copy(update={"name": LocalizedText(zh="东门卡口", en="East gate")}) for p in scenario.posts]
    people = [p.model_copy(update={"name": "改名者"}) if p.id == renamed_mate else p for p in scenario.people]
    renamed = scenario.model_copy(update={"posts": posts, "people": people})
    history = [
        PublishedRota(rota=rota, version=1, published_at=V1, scenario=scenario),
        PublishedRota(rota=rota, version=2, published_at=V2, scenario=renamed),
    ]
    event = the_event(person_calendar(renamed, history, shown.person), shown)
    assert (event.decoded("sequence"), event.decoded("dtstamp")) == (1, V2)
    assert "东门卡口" in unescape(str(event["summary"])) and "改名者" in unescape(str(event["description"]))
    assert "小区入口卡口" not in unescape(str(event["description"]))
    # On the screening duty's feed only the days the renamed person is on changed.
    duty_days = {a.date for a in rota.assignments if a.duty == "screening" and a.person == renamed_mate}
    for e in events_by_uid(parse(post_calendar(renamed, history, "screening"))).values():
        assert e.decoded("sequence") == (1 if e.decoded("dtstart").date() in duty_days else 0)
    # Published under the old names only: the text stays the old one, whatever the scenario given says now.
    old = the_event(person_calendar(renamed, history[:1], shown.person), shown)
    assert "小区入口卡口" in unescape(str(old["summary"])) and old.decoded("sequence") == 0
    post = events_by_uid(parse(post_calendar(renamed, history, "gate")))
    assert all(e.decoded("sequence") == 1 and "东门卡口" in unescape(str(e["summary"])) for e in post.values())


def test_output_is_byte_stable(scenario: Scenario, rota: Rota) -> None:
    history = [PublishedRota(rota=rota, version=1, published_at=V1)]
    person = rota.assignments[0].person
    assert person_calendar(scenario, history, person) == person_calendar(scenario, list(history), person)
    assert post_calendar(scenario, history, "gate") == post_calendar(scenario, history, "gate")


def test_a_new_week_does_not_cancel_the_last(scenario: Scenario, rota: Rota) -> None:
    week_two = rota.model_copy(update={
        "start": rota.start + dt.timedelta(days=7),
        "assignments": [
            a.model_copy(update={
                "date": a.date + dt.timedelta(days=7), "start": a.start + dt.timedelta(days=7),
                "end": a.end + dt.timedelta(days=7), "breaks": [],
            })
            for a in rota.assignments
        ],
    })
    history = [
        PublishedRota(rota=rota, version=1, published_at=V1),
        PublishedRota(rota=week_two, version=1, published_at=V2),
    ]
    person = rota.assignments[0].person
    events = parse(person_calendar(scenario, history, person)).walk("VEVENT")
    assert len(events) == 2 * len(of_person(rota, person))
    assert {str(e["status"]) for e in events} == {"CONFIRMED"}


# ----------------------------------------------------------------------------------------------- post feed


def test_post_feed_lists_everyone_on_each_shift(scenario: Scenario, rota: Rota) -> None:
    data = post_calendar(scenario, rota, "gate", "en")
    events = parse(data).walk("VEVENT")
    slots = {(a.date, a.shift) for a in rota.assignments if a.post == "gate"}
    assert len(events) == len(slots)
    other = vobject_events(data)
    for event in events:
        start = event.decoded("dtstart")
        crew = [a for a in rota.assignments if a.post == "gate" and a.start == start]
        description = str(event["description"])
        assert f"{len(crew)} people" in str(event["summary"])
        for a in crew:
            assert scenario.person(a.person).name in description
        assert other[str(event["uid"])].description.value == description


# ------------------------------------------------------------------------------------------- time zones


def test_dst_zone_converts_to_the_right_instants() -> None:
    """Europe/Berlin leaves summer time on Sun 2026-10-25 at 03:00: shifts before and after keep their instants."""
    berlin = community(timezone="Europe/Berlin", start="2026-10-24", days=3)
    rota = solved_rota(berlin)
    utc_starts = {a.start.astimezone(dt.UTC) for a in rota.assignments}
    assert dt.datetime(2026, 10, 24, 6, tzinfo=dt.UTC) in utc_starts  # Sat 08:00 CEST
    assert dt.datetime(2026, 10, 26, 7, tzinfo=dt.UTC) in utc_starts  # Mon 08:00 CET
    for person in {a.person for a in rota.assignments}:
        data = person_calendar(berlin, rota, person)
        calendar = parse(data)
        (timezone,) = calendar.walk("VTIMEZONE")
        assert timezone["tzid"] == "Europe/Berlin"
        onsets = {
            (c.name, c.decoded("dtstart"), c.decoded("tzoffsetfrom"), c.decoded("tzoffsetto"))
            for c in timezone.subcomponents
        }
        hour = dt.timedelta(hours=1)
        assert ("STANDARD", dt.datetime(2026, 10, 25, 3), 2 * hour, hour) in onsets
        mine = {a.start.astimezone(dt.UTC) for a in of_person(rota, person)}
        assert {e.decoded("dtstart").astimezone(dt.UTC) for e in calendar.walk("VEVENT")} == mine
        assert {e.dtstart.value.astimezone(dt.UTC) for e in vobject_events(data).values()} == mine
        assert b"DTSTART;TZID=Europe/Berlin:" in data


# ----------------------------------------------------------------------------------------- real CalDAV


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class CalDav:
    """A tiny client for the Radicale the fixture starts (Basic auth with any password, per TOOLCHAIN.md)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.auth = "Basic " + base64.b64encode(b"tester:x").decode()

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Authorization": self.auth}
        if body is not None:
            headers["Content-Type"] = "text/calendar; charset=utf-8"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def caldav(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDav]:
    folder = tmp_path_factory.mktemp("radicale")
    port = free_port()
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = none\n[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {folder / 'store'}\n[logging]\nlevel = warning\n",
        encoding="utf-8",
    )
    log = (folder / "log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)], stdout=log, stderr=log)
    try:
        client = CalDav(port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.request("OPTIONS", "/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((folder / "log").read_text(encoding="utf-8")) from None
                time.sleep(0.1)
        yield client
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def comparable(data: bytes) -> dict[str, tuple[object, ...]]:
    """What a calendar app shows of each event, by UID, as parsed (Radicale re-serialises: compare meaning)."""
    result = {}
    for event in parse(data).walk("VEVENT"):
        alarms = tuple(a.decoded("trigger") for a in event.walk("VALARM"))
        result[str(event["uid"])] = (
            event.decoded("dtstart").astimezone(dt.UTC), event.decoded("dtend").astimezone(dt.UTC),
            str(event["summary"]), str(event["description"]), str(event["location"]), str(event["status"]),
            int(event.decoded("sequence")), event.decoded("dtstamp"), alarms,
        )
    return result


def test_calendars_survive_a_real_caldav_server(caldav: CalDav, scenario: Scenario, rota: Rota) -> None:
    victim = next(a for a in rota.assignments if a.person == "li-wei")
    history = [
        PublishedRota(rota=rota, version=1, published_at=V1),
        PublishedRota(rota=remove(rota, victim), version=2, published_at=V2),
    ]
    feeds = {
        "li-wei": person_calendar(scenario, history, "li-wei"),
        "gate": post_calendar(scenario, history, "gate"),
    }
    for name, data in feeds.items():
        assert caldav.request("MKCALENDAR", f"/tester/{name}/")[0] == 201
        assert caldav.request("PUT", f"/tester/{name}/", data)[0] in (200, 201, 204)
        status, stored = caldav.request("GET", f"/tester/{name}/")
        assert status == 200
        assert comparable(stored) == comparable(data)
    assert "CANCELLED" in {v[5] for v in comparable(feeds["li-wei"]).values()}


def test_radicale_rejects_nothing_we_send_per_event(caldav: CalDav, scenario: Scenario, rota: Rota) -> None:
    """Each event alone, PUT as its own resource (as a CalDAV client syncs), is stored and read back intact."""
    person = rota.assignments[0].person
    data = person_calendar(scenario, rota, person)
    calendar = parse(data)
    assert caldav.request("MKCALENDAR", f"/tester/{person}-items/")[0] == 201
    for event in calendar.walk("VEVENT"):
        single = icalendar.Calendar()
        for key in ("prodid", "version"):
            single.add(key, calendar[key])
        for timezone in calendar.walk("VTIMEZONE"):
            single.add_component(timezone)
        single.add_component(event)
        path = f"/tester/{person}-items/{str(event['uid']).split('@')[0]}.ics"
        assert caldav.request("PUT", path, single.to_ical())[0] in (200, 201, 204)
        status, stored = caldav.request("GET", path)
        assert status == 200
        assert comparable(stored) == comparable(single.to_ical())


def test_the_whole_file_is_crlf_terminated(scenario: Scenario, rota: Rota) -> None:
    data = person_calendar(scenario, rota, rota.assignments[0].person)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")

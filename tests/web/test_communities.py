"""Many communities on one deployment: memberships, the community chosen per login session, and strict separation.

The authorisation matrix walks every route of the app as a coordinator of community A (A chosen), with the ids,
keys, weeks and secret links of community B's objects substituted: no answer may carry B's data, and every route
that names one of B's objects answers 4xx (404, or the route's own refusal).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from typer.testing import CliRunner

from alembic import command
from scheduler.check import check
from scheduler.domain.rota import Assignment, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from tests.web.conftest import PASSWORD, csrf_of, login, tiny_community
from tests.web.feeds_support import WEEK, ZONE, make_app, person_token, post_token, publish, session, week_one
from tests.web.test_no_server_errors import _fields
from web.accounts import service as accounts
from web.app import ROUTERS
from web.commands import app as cli
from web.communities import service
from web.db import alembic_config, make_engine
from web.feeds import links
from web.i18n import Translator
from web.rota import drafts
from web.store import audit, build_scenario, first_community, import_scenario, person_row, transaction
from web.tables import (
    AuditEntry,
    CheckIn,
    Community,
    CommunityMember,
    Coordinator,
    Invitation,
    LinkKind,
    OutboxMessage,
    RotaDraft,
    SignupRound,
    SolveJob,
    SwapRequest,
)

MARK = "qzx"
"""Every name, key and text of community B carries it."""
B_DATA = (
    "qzx甲", "qzx乙", "qzx丙", "qzx社区", "qzx门", "qzx白班", "qzx志愿者", "qzx主题", "qzx正文", "qzx理由", "qzx错误",
    "qzx gate", "qzx day", "qzx volunteer", "qzxb", "qzxc", "13900001111", "13900002222",
)
"""What a response showing B's data would hold (lower case): names, texts, phones, and the keys the walk never
sends (it sends qzxa, qzxgate, qzxday and qzxvol, which a page may echo as what was asked for)."""
SIGNUP_WEEK = WEEK + dt.timedelta(days=7)
"""B's sign-up round is for the week after (A has none then)."""


def bee_data() -> dict[str, Any]:
    """Community B: its own roles, post, shift and people, every one marked."""
    return tiny_community(
        community="QZX社区", start=WEEK.isoformat(),
        roles=[{"id": "qzxvol", "name": {"zh": "QZX志愿者", "en": "QZX Volunteer"}, "mark": "Q"}],
        posts=[{"id": "qzxgate", "name": {"zh": "QZX门", "en": "QZX Gate"}, "shifts": [
            {"id": "qzxday", "name": {"zh": "QZX白班", "en": "QZX Day"}, "start": "08:00", "hours": 8}]}],
        people=[{"id": f"qzx{n}", "name": f"QZX{name}", "roles": ["qzxvol"], "phone": f"1390000{d * 4}"}
                for n, name, d in (("a", "甲", "1"), ("b", "乙", "2"), ("c", "丙", "3"))],
        coverage=[{"post": "qzxgate", "shift": "qzxday", "min": 1}], meal_rules=[],
    )


@dataclass(frozen=True)
class Bee:
    """Community B's ids and secret links (and A's own links, to combine with B's ids)."""

    community_a: int
    community_b: int
    job: int
    repair: int
    swap_offered: int
    swap_accepted: int
    message: int
    tokens_b: dict[str, str]
    tokens_a: dict[str, str]


def _bee_shift(person: str, day: int) -> Assignment:
    date = WEEK + dt.timedelta(days=day)
    start = dt.datetime.combine(date, dt.time(8), ZONE)
    return Assignment(
        person=person, post="qzxgate", shift="qzxday", role="qzxvol", date=date, start=start,
        end=start + dt.timedelta(hours=8), breaks=[],
    )


def _make_bee(app: FastAPI) -> Bee:
    publish(app, week_one())  # A's week: version 1 of the same week as B's
    tokens_a = {"person": person_token(app, "alice"), "post": post_token(app)}
    now = dt.datetime.now(dt.UTC)
    with session(app) as db, transaction(db):
        a = first_community(db)
        assert a is not None
        tokens_a["checkin"] = links.ensure_link(db, a, LinkKind.CHECKIN, post="gate").token
        b = import_scenario(db, Scenario.model_validate(bee_data()))
        db.flush()
        a_id, b_id = a.id, b.id
    with session(app) as db:
        b = db.get(Community, b_id)
        assert b is not None
        scenario = build_scenario(db, b, WEEK, 7)
        people = ["qzxa", "qzxb", "qzxc"]
        rota = Rota(
            community=scenario.community, start=WEEK, days=7, timezone=scenario.timezone,
            status=SolveStatus.FEASIBLE, objective=0.0, bound=0.0,
            assignments=[_bee_shift(people[day % 3], day) for day in range(7)],
        )
        assert check(scenario, rota).violations == []
        with transaction(db):
            db.add(RotaDraft(
                community_id=b_id, week_start=WEEK, days=7, rota=rota.model_dump(mode="json", by_alias=True),
                scenario=scenario.model_dump(mode="json", by_alias=True),
            ))
        version = drafts.publish(db, b, WEEK, "coord")
        version_id = version.id
    with session(app) as db, transaction(db):
        b = db.get(Community, b_id)
        assert b is not None
        qa, qb = person_row(db, b, "qzxa"), person_row(db, b, "qzxb")
        assert qa is not None and qb is not None
        scenario_json = scenario.model_dump(mode="json", by_alias=True)
        job = SolveJob(community_id=b_id, week_start=WEEK, days=7, status="finished", scenario=scenario_json,
                       time_limit=1.0, result_status="feasible", rota=rota.model_dump(mode="json", by_alias=True),
                       created_by="coord")
        repair = SolveJob(community_id=b_id, week_start=WEEK, days=7, status="running", scenario=scenario_json,
                          time_limit=1.0, kind="repair", created_by="coord",
                          params={"version_id": version_id, "unavailable": [], "now": now.isoformat()})
        offered = SwapRequest(community_id=b_id, version_id=version_id, date=WEEK, post="qzxgate", shift="qzxday",
                              role="qzxvol", from_person_id=qa.id, status="offered", reason="QZX理由")
        accepted = SwapRequest(community_id=b_id, version_id=version_id, date=WEEK + dt.timedelta(days=1),
                               post="qzxgate", shift="qzxday", role="qzxvol", from_person_id=qb.id,
                               to_person_id=qa.id, status="accepted", reason="QZX理由")
        message = OutboxMessage(community_id=b_id, person_id=qa.id, channel="email", address="qzx@example.org",
                                subject="QZX主题", body="QZX正文", kind="publication", dedupe_key="qzx:1",
                                status="failed", attempts=6, next_attempt_at=now, last_error="QZX错误")
        signup = SignupRound(community_id=b_id, week_start=SIGNUP_WEEK, days=7, deadline=now + dt.timedelta(days=3),
                             as_pins=False, opened_by="coord", opened_at=now)
        arrived = dt.datetime.combine(WEEK, dt.time(8), ZONE)
        check_in = CheckIn(community_id=b_id, person_id=qa.id, version_id=version_id, place="qzxgate", is_duty=False,
                           shift="qzxday", role="qzxvol", date=WEEK, planned_start=arrived,
                           planned_end=arrived + dt.timedelta(hours=8), arrived_at=arrived, status="arrived",
                           recorded_by="self")
        db.add_all([job, repair, offered, accepted, message, signup, check_in])
        audit(db, "coord", "repair.start", WEEK.isoformat(), community_id=b_id, job_id=2, version=1,
              person="qzxa", name="QZX甲")  # on B's week audit list (the same week as A's)
        db.flush()
        tokens_b = {
            "person": links.ensure_link(db, b, LinkKind.PERSON, person_id=qa.id).token,
            "post": links.ensure_link(db, b, LinkKind.POST, post="qzxgate").token,
            "checkin": links.ensure_link(db, b, LinkKind.CHECKIN, post="qzxgate").token,
        }
        ids = (job.id, repair.id, offered.id, accepted.id, message.id)
        accounts.create_account(db, None, "cora", PASSWORD, "coordinator", t=Translator("en"), community_id=a_id)
    return Bee(a_id, b_id, *ids, tokens_b, tokens_a)


def _people(client: TestClient) -> set[str]:
    response = client.get("/api/people")
    assert response.status_code == 200, response.text
    return {person["id"] for person in response.json()["people"]}


@pytest.fixture
def two(tmp_path: Path) -> tuple[FastAPI, Bee]:
    app = make_app(tmp_path)
    return app, _make_bee(app)


@pytest.fixture
def cora(two: tuple[FastAPI, Bee]) -> Iterator[TestClient]:
    app, _ = two
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as client:
        login(client, "cora")
        yield client


# ------------------------------------------------------------------------------------------ the matrix


ENDS_THE_SESSION = {("POST", "/logout"), ("POST", "/account/sessions/end")}
OBJECT_PARAMS = {"job_id", "swap_id", "message_id", "key", "person_key", "post", "post_id", "shift_id", "community_id"}
"""Path parameters that name one of B's objects: the route must refuse (4xx)."""


def _path_value(name: str, path: str, bee: Bee) -> str:
    if name == "token":
        kind = "checkin" if path.startswith("/c/") else "post" if path.startswith("/feeds/") else "person"
        return bee.tokens_a[kind]  # A's own link, with B's other ids: the link's community decides
    if name == "week_start":
        return (SIGNUP_WEEK if "signup" in path else WEEK).isoformat()
    if name == "job_id":
        return str(bee.repair if "repair" in path else bee.job)
    if name == "swap_id":
        return str(bee.swap_offered if path.startswith("/p/") else bee.swap_accepted)
    values = {
        "message_id": bee.message, "community_id": bee.community_b, "key": "qzxa", "person_key": "qzxa",
        "post": "qzxgate", "post_id": "qzxgate", "shift_id": "qzxday", "number": "1", "index": "0",
        "user_id": "1", "invitation_id": "1",
    }
    if name == "key" and path.startswith("/setup/roles/"):
        return "qzxvol"
    return str(values.get(name, "qzxa"))


def _form_value(name: str, bee: Bee) -> str:
    """B's objects in the forms too: a job id, a person, a place, a slot."""
    values = {
        "job_id": str(bee.job), "person": "qzxa", "person_key": "qzxa", "key": "qzxa", "post": "qzxgate",
        "place": "qzxgate", "shift": "qzxday", "role": "qzxvol", "week_start": WEEK.isoformat(),
        "date": WEEK.isoformat(), "slot": f"qzxgate|qzxday|{WEEK.isoformat()}", "username": "cora",
    }
    return values.get(name, "")


def _json_body(method: str, path: str, bee: Bee) -> dict[str, Any]:
    if path == "/api/rota/{week_start}/draft":
        return {"job_id": bee.job}
    if path == "/api/checkins":
        return {"person": "qzxa", "place": "qzxgate", "shift": "qzxday", "date": WEEK.isoformat(),
                "status": "arrived"}
    return {}


def _leak(response_text: str, url: str) -> bool:
    text = response_text
    for shown in (url, quote(url, safe=""), quote(url)):
        text = text.replace(shown, "")  # the page's own address (the language switch, the login's `next`)
    text = text.lower()
    return any(shown in text for shown in B_DATA)


def _walk(client: TestClient, bee: Bee) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]], int]:
    csrf = csrf_of(client, "/people")
    leaks, not_refused, calls = [], [], 0
    routes = [
        (method, route) for route in (r for router in ROUTERS for r in router.routes)
        if isinstance(route, APIRoute) for method in sorted(route.methods)
        if (method, route.path) not in ENDS_THE_SESSION
    ]
    for method, route in routes:
        path = route.path
        names = re.findall(r"\{([^}]+)\}", path)
        url = re.sub(r"\{([^}]+)\}", lambda m, p=path: _path_value(m.group(1), p, bee), path)
        query, form = _fields(route.dependant)
        params = {name: _form_value(name, bee) for name in query if _form_value(name, bee)}
        if method == "GET":
            response = client.get(url, params=params)
        elif path.startswith("/api/"):
            response = client.request(method, url, params=params, json=_json_body(method, path, bee))
        else:
            data = {name: _form_value(name, bee) for name in form} | {"csrf_token": csrf}
            response = client.request(method, url, params=params, data=data)
        calls += 1
        status = response.status_code
        if _leak(response.text + response.headers.get("location", ""), url) or status >= 500:
            leaks.append((method, path, status))
        if set(names) & OBJECT_PARAMS and not 400 <= status < 500:
            not_refused.append((method, path, status))
        assert client.get("/api/people").status_code == 200, (method, path)  # still logged in, A still chosen
    return leaks, not_refused, calls


def test_a_coordinator_of_a_never_sees_b(two: tuple[FastAPI, Bee], cora: TestClient) -> None:
    app, bee = two
    assert _people(cora) == {"alice", "bob", "carol", "dave"}
    leaks, not_refused, calls = _walk(cora, bee)
    assert calls >= 150
    assert leaks == []
    assert not_refused == []
    week = SIGNUP_WEEK.isoformat()  # B's sign-up round: A has none that week
    csrf = csrf_of(cora, "/people")
    assert cora.get(f"/signup/{week}").status_code == 404
    assert cora.get(f"/api/signup/{week}").status_code == 404
    assert cora.post(f"/signup/{week}/close", data={"csrf_token": csrf}).status_code == 404
    # B's objects are untouched by the walk: still there, as they were
    with session(app) as db:
        swap = db.get(SwapRequest, bee.swap_accepted)
        message = db.get(OutboxMessage, bee.message)
        assert swap is not None and swap.status == "accepted"
        assert message is not None and message.status == "failed"
        assert db.get(SolveJob, bee.job) is not None


def test_the_walk_does_find_b_when_b_is_chosen(two: tuple[FastAPI, Bee]) -> None:
    """The matrix's control: the admin with B chosen sees B's objects at the very same addresses."""
    app, bee = two
    with TestClient(app, follow_redirects=False) as client:
        csrf = login(client)
        assert client.post(f"/communities/{bee.community_b}/choose", data={"csrf_token": csrf}).status_code == 303
        assert MARK in client.get(f"/jobs/{bee.job}").text.lower()
        assert client.get(f"/api/jobs/{bee.job}").status_code == 200
        assert client.get("/people/qzxa/edit").status_code == 200
        assert MARK in client.get("/outbox").text.lower()
        assert MARK in client.get(f"/rota/{WEEK.isoformat()}/versions/1").text.lower()
        assert "QZX甲" in client.get(f"/rota/{WEEK.isoformat()}").text  # the week's audit list
        assert client.get(f"/signup/{SIGNUP_WEEK.isoformat()}").status_code == 200
        assert MARK in client.get("/swaps").text.lower()


def test_a_coordinator_cannot_choose_b(two: tuple[FastAPI, Bee], cora: TestClient) -> None:
    _, bee = two
    csrf = csrf_of(cora, "/people")
    assert cora.post(f"/communities/{bee.community_b}/choose", data={"csrf_token": csrf}).status_code == 404
    assert cora.post("/communities/999999/choose", data={"csrf_token": csrf}).status_code == 404
    assert cora.post(f"/communities/{bee.community_a}/choose", data={"csrf_token": "x"}).status_code == 403
    page = cora.get("/communities")
    assert "Tiny" in page.text and MARK not in page.text.lower()
    assert _people(cora) == {"alice", "bob", "carol", "dave"}


def test_the_api_lists_and_chooses_only_the_accounts_communities(two: tuple[FastAPI, Bee], cora: TestClient) -> None:
    app, bee = two
    listed = cora.get("/api/communities").json()
    assert [(c["id"], c["name"], c["current"]) for c in listed] == [(bee.community_a, "Tiny", True)]
    assert listed[0]["people"] == 3 and listed[0]["timezone"] == "Asia/Shanghai" and listed[0]["language"] == "zh"
    assert cora.post(f"/api/communities/{bee.community_b}/choose", json={}).status_code == 404
    assert cora.post("/api/communities/999999/choose", json={}).status_code == 404
    assert cora.post(f"/api/communities/{bee.community_a}/choose", data={"x": "1"}).status_code == 415  # JSON only
    not_json = cora.post(f"/api/communities/{bee.community_a}/choose", content=b"\x00",
                         headers={"content-type": "application/json"})
    assert not_json.status_code == 422 and not_json.json()["detail"][0]["loc"] == ["body"]
    with TestClient(app, follow_redirects=False) as admin:
        login(admin)
        listed = admin.get("/api/communities").json()
        assert [(c["name"], c["current"]) for c in listed] == [("QZX社区", True), ("Tiny", False)]
        chosen = admin.post(f"/api/communities/{bee.community_a}/choose", json={})
        assert chosen.status_code == 200 and chosen.json()["name"] == "Tiny" and chosen.json()["current"]
        assert _people(admin) == {"alice", "bob", "carol", "dave"}  # the rest of the API works within it
        assert [c["current"] for c in admin.get("/api/communities").json()] == [False, True]
    with TestClient(app) as nobody:
        assert nobody.get("/api/communities").status_code == 401


def test_secret_links_find_their_community_from_the_token(two: tuple[FastAPI, Bee], cora: TestClient) -> None:
    """B's links show B's volunteer whoever is logged in, and nothing of A; A's links nothing of B."""
    _, bee = two
    page = cora.get(f"/p/{bee.tokens_b['person']}")
    assert page.status_code == 200 and "QZX甲" in page.text and "张伟" not in page.text
    feed = cora.get(f"/feeds/post/{bee.tokens_b['post']}.ics")
    assert feed.status_code == 200 and "QZX" in feed.text and "张伟" not in feed.text
    own_feed = cora.get(f"/feeds/post/{bee.tokens_a['post']}.ics")
    assert own_feed.status_code == 200 and MARK not in own_feed.text.lower()
    # the phone remembers B's volunteer (their page was opened): B's post QR leads to them, A's does not
    scan = cora.get(f"/c/{bee.tokens_b['checkin']}")
    assert scan.status_code == 303 and scan.headers["location"].startswith(f"/p/{bee.tokens_b['person']}?")
    scan = cora.get(f"/c/{bee.tokens_a['checkin']}")
    assert scan.status_code == 200 and MARK not in scan.text.lower()
    csrf = csrf_of(cora, "/people")
    accept = cora.post(f"/p/{bee.tokens_a['person']}/swaps/{bee.swap_offered}/accept", data={"csrf_token": csrf})
    assert accept.status_code == 404


# ------------------------------------------------------------------------------------------ choosing, members


def test_the_admin_sees_every_community_and_switches(two: tuple[FastAPI, Bee]) -> None:
    app, bee = two
    with TestClient(app, follow_redirects=False) as client:
        csrf = login(client)
        page = client.get("/communities", headers={"accept-language": "en"})
        assert "QZX社区" in page.text and "Tiny" in page.text
        people = client.get("/people").text
        assert 'class="community" href="/communities"' in people  # two communities: the header links the switcher
        assert _people(client) == {"qzxa", "qzxb", "qzxc"}  # the first by name: "QZX社区" < "Tiny"
        assert client.post(f"/communities/{bee.community_a}/choose", data={"csrf_token": csrf}).status_code == 303
        assert _people(client) == {"alice", "bob", "carol", "dave"}
        with TestClient(app, follow_redirects=False) as other:  # the choice is the session's, not the account's
            login(other)
            assert _people(other) == {"qzxa", "qzxb", "qzxc"}
    with session(app) as db:
        actions = [e.action for e in db.scalars(select(AuditEntry))]
    assert "community.choose" in actions


def test_a_member_of_one_community_sees_its_name_without_a_switcher(two: tuple[FastAPI, Bee],
                                                                    cora: TestClient) -> None:
    page = cora.get("/people").text
    assert '<span class="community">Tiny</span>' in page
    assert 'href="/communities"' not in page


def test_an_account_without_a_community_is_told_so(two: tuple[FastAPI, Bee]) -> None:
    app, _ = two
    with session(app) as db, transaction(db):
        accounts.create_account(db, None, "nemo", PASSWORD, "viewer", t=Translator("en"))  # two communities: none
    with TestClient(app, follow_redirects=False) as client:
        login(client, "nemo")
        page = client.get("/people", headers={"accept-language": "en"})
        assert page.status_code == 404
        assert "not a member of any community" in page.text
        client.cookies.set("lang", "zh")
        assert "尚未加入任何社区" in client.get("/rota").text
        api = client.get("/api/people")
        assert api.status_code == 404 and "社区" in api.json()["detail"]
        assert client.get("/communities").status_code == 200


def test_admins_create_communities_and_manage_members(two: tuple[FastAPI, Bee]) -> None:
    app, _ = two
    with TestClient(app, follow_redirects=False) as client:
        csrf = login(client)
        bad = client.post("/communities", data={"csrf_token": csrf, "name": "", "timezone": "Mars/Base",
                                                "language": "zh"}, headers={"accept-language": "en"})
        assert bad.status_code == 400 and 'id="e-name"' in bad.text
        bad = client.post("/communities", data={"csrf_token": csrf, "name": "新村", "timezone": "Mars/Base",
                                                "language": "zh"})
        assert bad.status_code == 400 and 'id="e-timezone"' in bad.text
        taken = client.post("/communities", data={"csrf_token": csrf, "name": "Tiny", "timezone": "Asia/Shanghai",
                                                  "language": "zh"})
        assert taken.status_code == 400
        made = client.post("/communities", data={"csrf_token": csrf, "name": "新村", "timezone": "Asia/Shanghai",
                                                 "language": "en"})
        assert made.status_code == 303
        with session(app) as db:
            new = db.scalars(select(Community).where(Community.name == "新村")).one()
            new_id = new.id
            assert new.setup["language"] == "en"
        members = f"/communities/{new_id}/members"
        assert client.post(members, data={"csrf_token": csrf, "username": "cora"}).status_code == 303
        assert client.post(members, data={"csrf_token": csrf, "username": "ghost"}).status_code == 303
        assert client.post("/communities/999999/members", data={"csrf_token": csrf, "username": "cora"}).status_code \
            == 404
    with TestClient(app, follow_redirects=False) as client:
        csrf = login(client, "cora")
        assert client.post(f"/communities/{new_id}/choose", data={"csrf_token": csrf}).status_code == 303
        assert _people(client) == set()
        assert client.get("/setup").status_code == 200
        assert client.post("/communities", data={"csrf_token": csrf, "name": "x", "timezone": "Asia/Shanghai",
                                                 "language": "zh"}).status_code == 403
        assert client.post(members, data={"csrf_token": csrf, "username": "cora"}).status_code == 403
    with TestClient(app, follow_redirects=False) as admin:
        csrf = login(admin)
        assert admin.post(members, data={"csrf_token": csrf, "username": "cora", "action": "remove"}).status_code \
            == 303
    with TestClient(app, follow_redirects=False) as client:
        login(client, "cora")
        # the session's choice is no longer allowed: back to the first of her communities
        assert _people(client) == {"alice", "bob", "carol", "dave"}


def test_an_invitation_joins_the_inviters_current_community(two: tuple[FastAPI, Bee]) -> None:
    app, bee = two
    with TestClient(app, follow_redirects=False) as admin:
        csrf = login(admin)
        admin.post(f"/communities/{bee.community_b}/choose", data={"csrf_token": csrf})
        page = admin.post("/accounts/invitations", data={"csrf_token": csrf, "role": "viewer"})
        assert page.status_code == 200
        link = re.search(r'value="http://testserver/invite/([^"]+)"', page.text)
        assert link is not None
    with session(app) as db:
        invitation = db.scalars(select(Invitation)).one()
        assert invitation.community_id == bee.community_b
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client, f"/invite/{link.group(1)}")
        joined = client.post(f"/invite/{link.group(1)}", data={
            "csrf_token": token, "username": "newbie", "password": PASSWORD, "repeat": PASSWORD,
        })
        assert joined.status_code == 303, joined.text
    with session(app) as db:
        rows = db.execute(select(CommunityMember.community_id).join_from(
            CommunityMember, Coordinator, CommunityMember.coordinator_id == Coordinator.id,
        ).where(Coordinator.username == "newbie")).scalars().all()
        assert list(rows) == [bee.community_b]


def test_a_new_account_on_a_one_community_deployment_joins_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with session(app) as db, transaction(db):
        user = accounts.create_account(db, None, "cora", PASSWORD, "coordinator", t=Translator("en"))
        boss = accounts.create_account(db, None, "boss", PASSWORD, "admin", t=Translator("en"))
        community = first_community(db)
        assert community is not None
        assert service.is_member(db, user.id, community.id)
        assert not service.is_member(db, boss.id, community.id)  # an admin sees every community without it


def test_a_form_drawn_for_another_community_changes_nothing(two: tuple[FastAPI, Bee]) -> None:
    """Two windows: the people page of B is open in one, A is chosen in the other; B's form then changes nothing."""
    app, bee = two
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        stale = csrf_of(client, "/people/qzxa/deactivate")  # B is current: the first by name
        assert stale.endswith(f".{bee.community_b}")
        current = csrf_of(client, "/communities")
        assert client.post(f"/communities/{bee.community_a}/choose", data={"csrf_token": current}).status_code == 303
        refused = client.post("/people/alice/deactivate", data={"csrf_token": stale},
                              headers={"accept-language": "en"})
        assert refused.status_code == 409 and "another community" in refused.text
        assert _people(client) == {"alice", "bob", "carol", "dave"}
        with session(app) as db:
            a = db.get(Community, bee.community_a)
            assert a is not None
            alice = person_row(db, a, "alice")
            assert alice is not None and alice.active
        fresh = csrf_of(client, "/people/alice/deactivate")
        assert fresh.endswith(f".{bee.community_a}")
        assert client.post("/lang", data={"csrf_token": stale, "lang": "en", "next": "/people"}).status_code == 303
        assert client.post("/people/alice/deactivate", data={"csrf_token": fresh}).status_code == 303


def test_the_migration_keeps_an_existing_deployment_as_it_was(tmp_path: Path) -> None:
    """Every non-admin account becomes a member of every community; admins need no membership."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    config = alembic_config(url)
    command.upgrade(config, "0011_outbox_expiry")
    with engine.begin() as connection:
        for name, role in (("boss", "admin"), ("cora", "coordinator"), ("vic", "viewer")):
            connection.execute(text(
                "INSERT INTO coordinator (username, password_hash, must_change_password, created_at, role, active) "
                f"VALUES ('{name}', 'x', 0, '2026-01-01 00:00:00', '{role}', 1)"
            ))
        connection.execute(text(
            "INSERT INTO community (name, timezone, setup, created_at) "
            "VALUES ('Old', 'Asia/Shanghai', '{}', '2026-01-01 00:00:00')"
        ))
    command.upgrade(config, "head")
    with engine.begin() as connection:
        members = connection.execute(text(
            "SELECT coordinator.username FROM community_member "
            "JOIN coordinator ON coordinator.id = community_member.coordinator_id ORDER BY coordinator.username"
        )).scalars().all()
        assert list(members) == ["cora", "vic"]
    command.downgrade(config, "0011_outbox_expiry")
    command.upgrade(config, "head")
    engine.dispose()


def test_create_user_joins_the_named_community(two: tuple[FastAPI, Bee], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    app, bee = two
    for name in ("DATABASE_URL", "ROTA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    env = {"ROTA_DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    made = runner.invoke(cli, ["admin", "create-user", "bea", "--password-stdin", "--community", "QZX社区"],
                         input=PASSWORD + "\n", env=env)
    assert made.exit_code == 0, made.output
    unknown = runner.invoke(cli, ["admin", "create-user", "ned", "--password-stdin", "--community", "Nowhere"],
                            input=PASSWORD + "\n", env=env)
    assert unknown.exit_code == 2 and "no community named Nowhere" in unknown.output
    with session(app) as db:
        bea = db.scalars(select(Coordinator).where(Coordinator.username == "bea")).one()
        assert service.is_member(db, bea.id, bee.community_b)
        assert not service.is_member(db, bea.id, bee.community_a)


def test_the_audit_log_keeps_each_community_to_itself(two: tuple[FastAPI, Bee], cora: TestClient) -> None:
    """A request's entries name its community; a person's export and erasure never take another community's."""
    app, bee = two
    with session(app) as db, transaction(db):
        audit(db, "coord", "person.update", "alice", community_id=bee.community_b, name="QZX甲")  # B's own 'alice'
    csrf = csrf_of(cora, "/people")
    assert cora.post("/people/bob/deactivate", data={"csrf_token": csrf}).status_code == 303
    with session(app) as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "person.deactivate")).one()
        assert entry.community_id == bee.community_a
    export = cora.get("/people/alice/export.json")
    assert export.status_code == 200 and "QZX" not in export.text and "alice" in export.text
    erase = csrf_of(cora, "/people/alice/erase")
    assert cora.post("/people/alice/erase", data={"csrf_token": erase}).status_code == 303
    with session(app) as db:
        kept = db.scalars(select(AuditEntry).where(AuditEntry.community_id == bee.community_b,
                                                   AuditEntry.action == "person.update")).one()
        assert kept.target == "alice" and kept.details["name"] == "QZX甲"  # B's entry is not scrubbed

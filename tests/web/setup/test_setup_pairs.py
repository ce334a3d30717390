"""The pairs set-up page: list, add (apart or together), refuse what cannot be, delete; the rule reaches the solver's
scenario, escaped names, English."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from scheduler import PairKind
from tests.web.conftest import MONDAY, app_context, stored_community
from web.store import build_scenario, first_community, setup_of
from web.tables import AuditEntry, PersonRow

EVIL = "<script>alert(1)</script>"


def _add(client: TestClient, token: str, **fields: str) -> Any:
    data = {"csrf_token": token, "kind": "apart", "first": "", "then": "", "weight": "10", **fields}
    return client.post("/setup/pairs/new", data=data)


def test_add_list_and_delete_pairs(client: TestClient, app: FastAPI, logged_in: str) -> None:
    page = client.get("/setup/pairs").text
    assert "人员搭配" in page and "绝不同时在岗" in page and "宜同班" in page
    assert '<option value="alice">Alice</option>' in page and 'value="dave"' not in page  # active people only
    assert "人员搭配 <span" in client.get("/setup").text

    response = _add(client, logged_in, first="alice", then="bob")
    assert response.status_code == 303 and response.headers["location"] == "/setup/pairs"
    response = _add(client, logged_in, kind="together", first="carol", then="alice", weight="25")
    assert response.status_code == 303
    pairs = setup_of(stored_community(app)).pairs
    assert [(p.kind, p.people, p.weight) for p in pairs] == [
        (PairKind.APART, ("alice", "bob"), 10), (PairKind.TOGETHER, ("carol", "alice"), 25),
    ]
    page = client.get("/setup/pairs").text
    assert "Alice 与 Bob：绝不同时在岗" in page and "Carol 与 Alice：宜同班" in page and "每次未同班代价 25" in page
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        scenario = build_scenario(db, community, dt.date.fromisoformat(MONDAY), 7)
        assert [p.people for p in scenario.pairs] == [("alice", "bob"), ("carol", "alice")]
        actions = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions[-2:] == ["setup.pairs.create", "setup.pairs.create"]

    response = client.post("/setup/pairs/0/delete", data={"csrf_token": logged_in})
    assert response.status_code == 303
    assert [p.people for p in setup_of(stored_community(app)).pairs] == [("carol", "alice")]
    assert client.post("/setup/pairs/7/delete", data={"csrf_token": logged_in}).status_code == 404


def test_what_cannot_be_a_pair_is_refused_on_its_field(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = setup_of(stored_community(app))
    response = _add(client, logged_in, first="alice", then="alice")
    assert response.status_code == 400 and 'id="e-then"' in response.text
    response = _add(client, logged_in, first="", then="bob")
    assert response.status_code == 400 and 'id="e-first"' in response.text and "必填" in response.text
    response = _add(client, logged_in, kind="together", first="alice", then="bob", weight="x")
    assert response.status_code == 400 and 'id="e-weight"' in response.text and 'value="x"' in response.text
    response = _add(client, logged_in, kind="sometimes", first="alice", then="bob")
    assert response.status_code == 400 and 'id="e-kind"' in response.text
    response = _add(client, logged_in, first="alice", then="zed")  # not a person of the community
    assert response.status_code == 400 and "zed" in response.text
    assert setup_of(stored_community(app)) == before
    assert _add(client, logged_in, first="alice", then="bob").status_code == 303
    response = _add(client, logged_in, kind="together", first="bob", then="alice")
    assert response.status_code == 400 and "这两人已有规则" in response.text


def test_names_are_escaped_and_english(client: TestClient, app: FastAPI, logged_in: str) -> None:
    with app_context(app).sessions() as db:
        row = db.scalars(select(PersonRow).where(PersonRow.key == "bob")).one()
        row.name = EVIL
        db.commit()
    assert _add(client, logged_in, first="alice", then="bob").status_code == 303
    page = client.get("/setup/pairs").text
    assert EVIL not in page and "&lt;script&gt;" in page
    client.cookies.set("lang", "en")
    page = client.get("/setup/pairs").text
    assert "Pairs of people" in page and "never on duty at the same time" in page

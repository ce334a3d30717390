"""People pages and API: add, edit, deactivate; field errors that keep what was typed; escaping; one transaction."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.web.conftest import app_context
from tests.web.people.forms import person_form
from web.store import first_community, person_row
from web.tables import AuditEntry, PersonRow

XSS = "<script>alert(1)</script>"


def _count(app: FastAPI) -> int:
    with app_context(app).sessions() as db:
        return int(db.scalar(select(func.count()).select_from(PersonRow)) or 0)


def _row(app: FastAPI, key: str) -> PersonRow | None:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        return person_row(db, community, key)


def test_list_shows_active_and_inactive(client: TestClient, logged_in: str) -> None:
    page = client.get("/people").text
    for name in ("Alice", "Bob", "Carol", "Dave"):
        assert name in page
    assert "在岗 3 人，停用 1 人" in page
    assert "志愿者" in page and "保安" in page


def test_add_a_person(client: TestClient, app: FastAPI, logged_in: str) -> None:
    assert "添加人员" in client.get("/people/new").text
    response = client.post(
        "/people/new",
        data=person_form(
            logged_in, roles=["vol", "guard"], phone="138-0000-9999", posts=["gate"], max_hours_per_week="24",
            nights_allowed="no", meal_minutes="60",
        ),
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/people"
    assert "已保存 Erin" in client.get("/people").text
    row = _row(app, "erin")
    assert row is not None
    assert row.roles == ["vol", "guard"]
    assert row.posts == ["gate"]
    assert row.limits["max_hours_per_week"] == 24
    assert row.limits["nights_allowed"] is False
    assert row.meal_minutes == 60
    with app_context(app).sessions() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "person.create")).one()
    assert (entry.actor, entry.target) == ("coord", "erin")


def test_field_errors_keep_what_was_typed_and_write_nothing(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _count(app)
    response = client.post(
        "/people/new",
        data=person_form(logged_in, key="bad key", name="", roles=[], phone="12345", max_hours_per_week="lots",
                   max_nights_per_week="-1", meal_minutes="1000"),
    )
    assert response.status_code == 400
    page = response.text
    assert "请修改标出的字段" in page
    assert 'value="bad key"' in page and 'value="12345"' in page and 'value="lots"' in page
    assert page.count('class="error"') >= 6
    assert "不能包含空格" in page  # key
    assert "必填" in page  # name
    assert "请至少选择一个角色" in page  # roles
    assert "请输入数字" in page  # max hours
    assert "不能小于 0" in page  # nights
    assert "不能大于 240" in page  # meal minutes
    assert _count(app) == before


def test_english_field_errors(client: TestClient, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    response = client.post("/people/new", data=person_form(logged_in, name="", roles=[]))
    assert response.status_code == 400
    assert "Required." in response.text and "Choose at least one role." in response.text


def test_duplicate_id_is_a_field_error(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _count(app)
    response = client.post("/people/new", data=person_form(logged_in, key="alice", name="Another Alice"))
    assert response.status_code == 400
    assert "该编号已被使用" in response.text
    assert 'value="Another Alice"' in response.text
    assert _count(app) == before


def test_unknown_role_or_post_is_refused(client: TestClient, app: FastAPI, logged_in: str) -> None:
    response = client.post("/people/new", data=person_form(logged_in, roles=["wizard"], posts=["moon"]))
    assert response.status_code == 400
    assert _row(app, "erin") is None


def test_names_are_escaped_everywhere(client: TestClient, app: FastAPI, logged_in: str) -> None:
    response = client.post("/people/new", data=person_form(logged_in, key="xss", name=XSS, phone='"><img src=x>'))
    assert response.status_code == 303
    for path in ("/people", "/people/xss/edit"):
        page = client.get(path).text
        assert XSS not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
        assert '"><img' not in page, path
    # and on a form re-rendered with errors
    response = client.post("/people/new", data=person_form(logged_in, key="xss2", name=XSS, roles=[]))
    assert XSS not in response.text
    assert "&lt;script&gt;" in response.text


def test_edit_keeps_what_the_form_does_not_show(client: TestClient, app: FastAPI, logged_in: str) -> None:
    page = client.get("/people/carol/edit").text
    assert 'value="Carol"' in page
    assert 'value="guard" checked' in page
    response = client.post(
        "/people/carol/edit",
        data=person_form(logged_in, key="ignored", name="Carol Chen", roles=["guard"], min_rest_hours="11.5"),
    )
    assert response.status_code == 303, response.text
    row = _row(app, "carol")
    assert row is not None
    assert row.name == "Carol Chen"
    assert row.roles == ["guard"]
    assert row.limits["min_rest_hours"] == 11.5
    assert row.availability == [{"days": ["mon", "tue"], "start": "07:00", "end": "18:00"}]
    assert _row(app, "ignored") is None


def test_edit_with_errors_changes_nothing(client: TestClient, app: FastAPI, logged_in: str) -> None:
    response = client.post("/people/carol/edit", data=person_form(logged_in, name="", max_shifts_per_week="x"))
    assert response.status_code == 400
    assert 'value="x"' in response.text
    row = _row(app, "carol")
    assert row is not None and row.name == "Carol"


def test_deactivate_and_reactivate(client: TestClient, app: FastAPI, logged_in: str) -> None:
    response = client.post("/people/alice/deactivate", data={"csrf_token": logged_in})
    assert response.status_code == 303
    assert "Alice 已停用" in client.get("/people").text
    row = _row(app, "alice")
    assert row is not None and not row.active
    client.post("/people/alice/reactivate", data={"csrf_token": logged_in})
    row = _row(app, "alice")
    assert row is not None and row.active


def test_unknown_person_is_404(client: TestClient, logged_in: str) -> None:
    assert client.get("/people/nobody/edit").status_code == 404
    assert client.post("/people/nobody/deactivate", data={"csrf_token": logged_in}).status_code == 404


def test_pages_fit_a_phone(client: TestClient, logged_in: str) -> None:
    for path in ("/people", "/people/new", "/generate"):
        page = client.get(path).text
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    css = client.get("/static/style.css").text
    assert ".grid .scroll { overflow-x: auto" in css


# ---------------------------------------------------------------------------------------------------- API


def _person(**fields: Any) -> dict[str, Any]:
    return {"id": "frank", "name": "Frank", "roles": ["guard"], **fields}


def test_api_list_and_get(client: TestClient, logged_in: str) -> None:
    people = client.get("/api/people").json()["people"]
    assert [p["id"] for p in people][:3] == ["alice", "bob", "carol"]
    assert people[-1]["id"] == "dave" and people[-1]["active"] is False
    carol = client.get("/api/people/carol").json()
    assert carol["availability"][0]["start"] == "07:00"
    assert client.get("/api/people/nobody").status_code == 404


def test_api_create_update_deactivate(client: TestClient, app: FastAPI, logged_in: str) -> None:
    response = client.post("/api/people", json=_person(limits={"max_hours_per_week": 20}))
    assert response.status_code == 201, response.text
    assert response.json()["limits"]["max_hours_per_week"] == 20
    assert client.post("/api/people", json=_person()).status_code == 409
    response = client.put("/api/people/frank", json=_person(name="Frank Fu", active=False))
    assert response.status_code == 200
    row = _row(app, "frank")
    assert row is not None and row.name == "Frank Fu" and not row.active
    assert client.put("/api/people/frank", json=_person(id="other")).status_code == 422
    assert client.put("/api/people/ghost", json=_person(id="ghost")).status_code == 404


def test_api_rejects_bad_input_with_422(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _count(app)
    bad = [
        {"id": "x", "roles": ["vol"]},  # no name
        _person(roles=[]),
        _person(roles=["wizard"]),
        _person(posts=["moon"]),
        _person(limits={"max_hours_per_week": -1}),
        _person(colour="blue"),  # unknown field
        _person(id="has space"),
    ]
    for body in bad:
        response = client.post("/api/people", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"]
    assert _count(app) == before


def test_api_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/people", "/api/people/{key}", "/api/jobs/{job_id}"} <= set(schema["paths"])
    assert "/people" not in schema["paths"]
    create = schema["paths"]["/api/people"]["post"]
    assert "201" in create["responses"] and "422" in create["responses"]
    assert "Person" in schema["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_form_inputs_carry_their_limits_as_real_attributes(client: TestClient, logged_in: str) -> None:
    page = client.get("/people/new").text
    assert 'name="name" type="text" value="" maxlength="100" required>' in page
    assert 'inputmode="decimal"' in page
    assert "&#34;" not in page

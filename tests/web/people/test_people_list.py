"""The people list at 200: a compact table in pinyin order, searched and filtered by query parameters; ids made
from names on the form and in the import; a confirmation before deactivating."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import app_context
from tests.web.people.forms import person_form
from web.people import names
from web.store import first_community, person_row
from web.tables import PersonRow

NAME_RE = re.compile(r'class="name">([^<]+)</a>')


def _names(page: str) -> list[str]:
    return NAME_RE.findall(page)


def _add(client: TestClient, token: str, name: str, key: str = "", **fields: Any) -> Any:
    return client.post("/people/new", data=person_form(token, key=key, name=name, **fields))


def _keys(app: FastAPI) -> dict[str, str]:
    with app_context(app).sessions() as db:
        return {row.key: row.name for row in db.scalars(select(PersonRow))}


def test_pinyin_order_tones_ignored() -> None:
    assert sorted(["于", "何", "傅", "王", "张"], key=names.sort_key) == ["傅", "何", "王", "于", "张"]
    # a tie in pinyin goes by the name
    assert sorted(["王芳", "王", "汪芳", "Anna"], key=names.sort_key) == ["Anna", "王", "汪芳", "王芳"]


def test_slugs() -> None:
    assert names.slug("王芳") == "wang-fang"
    assert names.slug("Zoë Müller") == "zoe-muller"
    assert names.slug("🙂") == "person"
    assert len(names.slug("王" * 64)) <= 60
    assert names.new_key("王芳", {"wang-fang", "wang-fang-2"}) == "wang-fang-3"
    assert names.new_key("王芳", set()) == "wang-fang"


def test_the_list_is_in_pinyin_order(client: TestClient, logged_in: str) -> None:
    for name in ("张", "于", "王", "何", "傅"):
        assert _add(client, logged_in, name).status_code == 303
    shown = [n for n in _names(client.get("/people").text) if n in "于何傅王张"]
    assert shown == ["傅", "何", "王", "于", "张"]


def test_ids_made_from_names_on_the_form(client: TestClient, app: FastAPI, logged_in: str) -> None:
    assert _add(client, logged_in, "王芳").status_code == 303
    assert _add(client, logged_in, "汪芳").status_code == 303  # same pinyin: the next free id
    assert _add(client, logged_in, "王芳", key="wf").status_code == 303  # a typed id is kept
    keys = _keys(app)
    assert (keys["wang-fang"], keys["wang-fang-2"], keys["wf"]) == ("王芳", "汪芳", "王芳")
    page = _add(client, logged_in, "", roles=[])
    assert page.status_code == 400 and "必填" in page.text  # no name, no id: the name is asked for
    assert "按姓名拼音生成" in client.get("/people/new").text


def test_search_and_filters(client: TestClient, app: FastAPI, logged_in: str) -> None:
    assert _add(client, logged_in, "王芳", phone="13900001111", roles=["guard"]).status_code == 303
    with app_context(app).sessions() as db, db.begin():
        community = first_community(db)
        assert community is not None
        row = person_row(db, community, "wang-fang")
        assert row is not None
        row.posts = ["elsewhere"]
    everyone = _names(client.get("/people").text)
    assert {"Alice", "Bob", "Carol", "Dave", "王芳"} <= set(everyone)
    assert _names(client.get("/people", params={"q": "王"}).text) == ["王芳"]
    assert _names(client.get("/people", params={"q": "wangfang"}).text) == ["王芳"]  # pinyin
    assert _names(client.get("/people", params={"q": "1111"}).text) == ["王芳"]  # phone
    assert _names(client.get("/people", params={"q": "WANG-F"}).text) == ["王芳"]  # id, any case
    page = client.get("/people", params={"q": "nobody-at-all"}).text
    assert _names(page) == [] and "没有符合条件的人员" in page
    guards = _names(client.get("/people", params={"role": "guard"}).text)
    assert "王芳" in guards and len(guards) < len(everyone)
    at_gate = _names(client.get("/people", params={"post": "gate"}).text)
    assert "王芳" not in at_gate and "Alice" in at_gate
    inactive = _names(client.get("/people", params={"status": "inactive"}).text)
    assert inactive == ["Dave"]
    assert "Dave" not in _names(client.get("/people", params={"status": "active"}).text)
    page = client.get("/people", params={"q": "a", "role": "vol", "status": "active"}).text
    assert 'value="a"' in page and 'value="vol" selected' in page and 'value="active" selected' in page
    # nonsense is no error: it matches nobody, or filters nothing
    for params in ({"role": "x" * 5000}, {"post": "<b>"}, {"status": "maybe"}, {"q": "\x00%"}):
        assert client.get("/people", params=params).status_code == 200


def test_200_people_make_a_compact_table(client: TestClient, app: FastAPI, logged_in: str) -> None:
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "芳伟娜敏静丽强磊军洋"
    with app_context(app).sessions() as db, db.begin():
        community = first_community(db)
        assert community is not None
        for i in range(200):
            name = surnames[i % 20] + given[i // 20]
            db.add(PersonRow(community_id=community.id, key=f"p{i:03d}", name=name, roles=["vol"],
                             phone=f"1390000{i:04d}", language="zh", posts=None, limits={}, availability=[],
                             absences=[], preferences=[], shift_limits=[], active=i % 7 != 0))
    response = client.get("/people")
    assert response.status_code == 200
    page = response.text
    assert page.count("<tr") == 200 + 4 + 1  # the fixture's four, and the header
    assert '<table class="people compact">' in page
    assert len(response.content) < 400_000
    shown = [n for n in _names(page) if n not in ("Alice", "Bob", "Carol", "Dave")]
    active = shown[: sum(1 for i in range(200) if i % 7 != 0)]
    assert active == sorted(active, key=names.sort_key)


def test_deactivating_asks_first(client: TestClient, app: FastAPI, logged_in: str) -> None:
    page = client.get("/people").text
    assert 'href="/people/alice/deactivate"' in page
    assert 'action="/people/alice/deactivate"' not in page  # the list links to the question, it does not do it
    question = client.get("/people/alice/deactivate")
    assert question.status_code == 200
    assert "停用 Alice？" in question.text and "不再安排此人" in question.text
    assert 'action="/people/alice/deactivate"' in question.text and "确认停用" in question.text
    english = client.get("/people/alice/deactivate", headers={"accept-language": "en"}).text
    assert "no longer planned in new rotas" in english and "Yes, deactivate" in english
    row = _keys(app)
    assert "alice" in row
    response = client.post("/people/alice/deactivate", data={"csrf_token": logged_in})
    assert response.status_code == 303
    assert "已经停用" in client.get("/people/alice/deactivate").text
    assert client.get("/people/nobody/deactivate").status_code == 404


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_import_with_only_name_roles_and_phone(client: TestClient, app: FastAPI, logged_in: str) -> None:
    with app_context(app).sessions() as db, db.begin():
        community = first_community(db)
        assert community is not None
        db.add(PersonRow(community_id=community.id, key="wang-fang", name="汪芳", roles=["vol"], phone=None,
                         language="zh", posts=None, limits={}, availability=[], absences=[], preferences=[],
                         shift_limits=[], active=True))
    data = _csv([["姓名", "角色", "电话"], ["王芳", "志愿者", "13900000001"], ["王芳", "vol", ""],
                 ["李娜", "vol", "13900000002"], ["Bob", "vol", ""]])
    response = client.post(
        "/api/people/import", files={"file": ("p.csv", data, "text/csv")}, data={},
        headers={"X-Requested-With": "test"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert [p["id"] for p in report["created"]] == ["wang-fang-2", "wang-fang-3", "li-na"]
    assert [p["id"] for p in report["updated"]] == ["bob"]  # the one person on file with that name
    keys = _keys(app)
    assert (keys["wang-fang"], keys["wang-fang-2"], keys["li-na"]) == ("汪芳", "王芳", "李娜")

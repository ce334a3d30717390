"""People import pages and API: template downloads, preview then confirm, every problem by row and column with
nothing imported, GBK, updates, a tampered preview, escaping, and a valid scenario afterwards."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.web.conftest import MONDAY, app_context
from web.people import spreadsheet
from web.store import build_scenario, first_community, person_row
from web.tables import AuditEntry, PersonRow

XSS = "<script>alert(1)</script>"
TOKEN_RE = re.compile(r'name="plan" value="([^"]+)"')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _count(app: FastAPI) -> int:
    with app_context(app).sessions() as db:
        return int(db.scalar(select(func.count()).select_from(PersonRow)) or 0)


def _row(app: FastAPI, key: str) -> PersonRow | None:
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        return person_row(db, community, key)


def _audits(app: FastAPI, action: str) -> list[AuditEntry]:
    with app_context(app).sessions() as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: TestClient, token: str, name: str, data: bytes, content_type: str = "text/csv") -> Any:
    return client.post("/people/import", data={"csrf_token": token}, files={"file": (name, data, content_type)})


def _preview_token(response: Any) -> str:
    assert response.status_code == 200, response.text
    match = TOKEN_RE.search(response.text)
    assert match, response.text
    return match.group(1)


CLEAN = [
    ["id", "name", "roles", "posts", "phone", "nights_allowed", "max_hours_per_week"],
    ["erin", "Erin", "vol", "gate", "13800001111", "no", "24"],
    ["frank", "Frank", "志愿者、保安", "", "", "", ""],
    ["bob", "Bob Bai", "guard", "", "139", "yes", ""],
]


def test_page_and_templates(client: TestClient, logged_in: str) -> None:
    page = client.get("/people/import").text
    assert "从表格导入人员" in page and 'enctype="multipart/form-data"' in page
    assert "/people/import/template.xlsx" in page and "/people/import/template.csv" in page
    for column in spreadsheet.COLUMNS:
        assert f"<code>{column.id}</code>" in page
    assert "<code>vol</code> 志愿者" in page and "<code>gate</code> 大门" in page
    assert "/people/import" in client.get("/people").text
    response = client.get("/people/import/template.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    table = spreadsheet.read_file("t.csv", response.content).table
    assert table is not None and table.rows[0][1][:3] == ["wang-fang", "王芳", "vol、guard"]
    response = client.get("/people/import/template.xlsx")
    assert response.headers["content-type"] == XLSX
    table = spreadsheet.read_file("t.xlsx", response.content).table
    assert table is not None and table.rows[0][1][:3] == ["wang-fang", "王芳", "vol、guard"]


def test_english_page(client: TestClient, logged_in: str) -> None:
    client.cookies.set("lang", "en")
    page = client.get("/people/import").text
    assert "Import people from a spreadsheet" in page and "separated by commas" in page


def test_clean_csv_preview_then_import(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _count(app)
    response = _upload(client, logged_in, "people.csv", _csv(CLEAN))
    token = _preview_token(response)
    assert "新增 2 人，更新 1 人" in response.text
    assert "Erin" in response.text and "Frank" in response.text and "Bob Bai" in response.text
    assert _count(app) == before  # the preview writes nothing
    response = client.post("/people/import/confirm", data={"csrf_token": logged_in, "plan": token})
    assert response.status_code == 303 and response.headers["location"] == "/people"
    assert "已导入：新增 2 人，更新 1 人" in client.get("/people").text
    assert _count(app) == before + 2
    erin = _row(app, "erin")
    assert erin is not None and erin.posts == ["gate"] and erin.limits["max_hours_per_week"] == 24
    assert erin.limits["nights_allowed"] is False and erin.phone == "13800001111"
    frank = _row(app, "frank")
    assert frank is not None and frank.roles == ["vol", "guard"]
    bob = _row(app, "bob")
    assert bob is not None and bob.name == "Bob Bai" and bob.limits["nights_allowed"] is True
    [entry] = _audits(app, "people.import")
    assert entry.actor == "coord" and entry.target == "people.csv"
    assert entry.details["created"] == ["erin", "frank"] and entry.details["updated"] == ["bob"]


def test_clean_xlsx_import(client: TestClient, app: FastAPI, logged_in: str) -> None:
    data = _xlsx([["编号", "姓名", "角色", "电话", "每周最多小时数"], ["gina", "Gina", "vol", 13900000000, 30.0]])
    token = _preview_token(_upload(client, logged_in, "people.xlsx", data, XLSX))
    client.post("/people/import/confirm", data={"csrf_token": logged_in, "plan": token})
    gina = _row(app, "gina")
    assert gina is not None and gina.phone == "13900000000" and gina.limits["max_hours_per_week"] == 30


def test_bad_rows_are_all_reported_and_nothing_is_imported(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _count(app)
    rows = [
        ["id", "name", "roles", "posts", "max_hours_per_week"],
        ["ok-1", "Fine", "vol", "", ""],
        ["ok-2", "", "guard2", "", ""],
        ["ok-3", "Three", "vol", "moon", "lots"],
        ["ok-1", "Again", "vol", "", ""],
    ]
    response = _upload(client, logged_in, "bad.csv", _csv(rows))
    assert response.status_code == 400
    page = response.text
    assert "bad.csv 中有 5 个问题，未导入任何内容" in page
    assert "第 3 行，name (B) 列" in page and "必填" in page
    assert "第 3 行，roles (C) 列" in page and "未知的角色“guard2”" in page
    assert "第 4 行，posts (D) 列" in page and "未知的岗位或任务“moon”" in page
    assert "第 4 行，max_hours_per_week (E) 列" in page and "“lots”不是数字" in page
    assert "第 5 行，id (A) 列" in page and "编号“ok-1”在第 2 行也用过" in page
    assert 'name="plan"' not in page
    assert _count(app) == before and _row(app, "ok-1") is None
    assert not _audits(app, "people.import")
    client.cookies.set("lang", "en")
    page = _upload(client, logged_in, "bad.csv", _csv(rows)).text
    assert "Row 3, column roles (C)" in page and "unknown role &#39;guard2&#39;." in page


def test_gbk_csv(client: TestClient, app: FastAPI, logged_in: str) -> None:
    data = _csv([["编号", "姓名", "角色"], ["li-lei", "李雷", "志愿者"]], encoding="gbk")
    response = _upload(client, logged_in, "中文.csv", data)
    assert "李雷" in response.text
    client.post("/people/import/confirm", data={"csrf_token": logged_in, "plan": _preview_token(response)})
    row = _row(app, "li-lei")
    assert row is not None and row.name == "李雷"


def test_update_keeps_availability(client: TestClient, app: FastAPI, logged_in: str) -> None:
    data = _csv([["id", "name", "roles"], ["carol", "Carol C", "vol"]])
    token = _preview_token(_upload(client, logged_in, "u.csv", data))
    client.post("/people/import/confirm", data={"csrf_token": logged_in, "plan": token})
    carol = _row(app, "carol")
    assert carol is not None and carol.name == "Carol C" and carol.roles == ["vol"]
    assert carol.availability == [{"days": ["mon", "tue"], "start": "07:00", "end": "18:00"}]


def test_unreadable_uploads(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _count(app)
    for name, data, text in [
        ("empty.csv", b"", "文件是空的"),
        ("photo.png", b"\x89PNG\r\n\x1a\n....", "请上传 .csv 或 .xlsx 文件"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "另存为 .xlsx"),
        ("big.csv", b"id,name,roles\n" + b"x" * spreadsheet.MAX_BYTES, "文件超过 2 MB"),
    ]:
        response = _upload(client, logged_in, name, data)
        assert response.status_code in (400, 413), name
        assert text in response.text, (name, response.text[:500])
    response = client.post("/people/import", data={"csrf_token": logged_in})
    assert response.status_code == 400 and "请选择文件" in response.text
    assert _count(app) == before


def test_a_tampered_or_foreign_preview_is_refused(client: TestClient, app: FastAPI, logged_in: str) -> None:
    token = _preview_token(_upload(client, logged_in, "people.csv", _csv(CLEAN)))
    before = _count(app)
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "garbage", ""):
        response = client.post("/people/import/confirm", data={"csrf_token": logged_in, "plan": forged})
        assert response.status_code == 400 and "预览已过期或被改动" in response.text
    assert _count(app) == before


def test_confirm_validates_again(client: TestClient, app: FastAPI, logged_in: str) -> None:
    """Between preview and confirmation a role is renamed away: the confirmation reports it and writes nothing."""
    token = _preview_token(_upload(client, logged_in, "people.csv", _csv(CLEAN)))
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        setup = dict(community.setup)
        setup["roles"] = [r for r in setup["roles"] if r["id"] != "guard"]
        community.setup = setup
        for row in db.scalars(select(PersonRow)):
            row.roles = [r for r in row.roles if r != "guard"] or ["vol"]
        db.commit()
    before = _count(app)
    response = client.post("/people/import/confirm", data={"csrf_token": logged_in, "plan": token})
    assert response.status_code == 400 and "未知的角色“guard”" in response.text
    assert _count(app) == before


def test_names_are_escaped(client: TestClient, logged_in: str) -> None:
    rows = [["id", "name", "roles"], ["xss", XSS, "vol"]]
    response = _upload(client, logged_in, f"{XSS}.csv", _csv(rows))
    assert XSS not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    client.post("/people/import/confirm", data={"csrf_token": logged_in, "plan": _preview_token(response)})
    assert XSS not in client.get("/people").text
    response = _upload(client, logged_in, "bad.csv", _csv([["id", "name", "roles"], ["x2", "X", XSS]]))
    assert response.status_code == 400
    assert XSS not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_imported_people_make_a_valid_scenario(client: TestClient, app: FastAPI, logged_in: str) -> None:
    token = _preview_token(_upload(client, logged_in, "people.csv", _csv(CLEAN)))
    client.post("/people/import/confirm", data={"csrf_token": logged_in, "plan": token})
    with app_context(app).sessions() as db:
        community = first_community(db)
        assert community is not None
        scenario = build_scenario(db, community, dt.date.fromisoformat(MONDAY))
    assert {"erin", "frank", "bob"} <= {p.id for p in scenario.people}


# ---------------------------------------------------------------------------------------------------- API


def _api(client: TestClient, name: str, data: bytes, **form: str) -> Any:
    return client.post(
        "/api/people/import", files={"file": (name, data, "text/csv")}, data=form,
        headers={"X-Requested-With": "test"},
    )


def test_api_dry_run_then_import(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _count(app)
    response = _api(client, "people.csv", _csv(CLEAN), dry_run="true")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["dry_run"] is True
    assert [p["id"] for p in report["created"]] == ["erin", "frank"]
    assert report["updated"] == [{"id": "bob", "name": "Bob Bai", "row": 4}]
    assert _count(app) == before and not _audits(app, "people.import")
    response = _api(client, "people.csv", _csv(CLEAN))
    assert response.status_code == 200 and response.json()["dry_run"] is False
    assert _count(app) == before + 2
    [entry] = _audits(app, "people.import")
    assert entry.details["via"] == "api"


def test_api_problems_are_422_by_row_and_column(client: TestClient, app: FastAPI, logged_in: str) -> None:
    before = _count(app)
    rows = [["id", "name", "roles"], ["a-1", "A", "guard2"], ["a-2", "", "vol"]]
    client.cookies.set("lang", "en")
    response = _api(client, "bad.csv", _csv(rows))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(d["row"], d["column"], d["cell"], d["type"]) for d in detail] == [
        (2, "roles", "C2", "import.unknown_role"), (3, "name", "B3", "import.required"),
    ]
    assert detail[0]["loc"] == ["body", "file", 2, "roles"]
    assert detail[0]["msg"] == "Row 2, column roles (C): unknown role 'guard2'."
    assert _count(app) == before
    response = _api(client, "empty.csv", b"")
    assert response.status_code == 422 and response.json()["detail"][0]["type"] == "import.empty"


def test_api_needs_the_requested_with_header(client: TestClient, logged_in: str) -> None:
    response = client.post("/api/people/import", files={"file": ("p.csv", _csv(CLEAN), "text/csv")})
    assert response.status_code == 403


def test_api_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/people/import"]["post"]
    assert {"200", "401", "403", "413", "422"} <= set(operation["responses"])
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert "/people/import" not in schema["paths"]

"""The week as a spreadsheet: one sheet per post, days across and shifts down, names with role marks and meal
times; the draft, a version or the latest; formula-like names stay text; a Chinese file name."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import login
from tests.web.feeds_support import WEEK, make_app, publish, week_one, week_two

BASE = f"/rota/{WEEK.isoformat()}"
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path, alice={"name": FORMULA})


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _sheet_values(content: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_the_week_as_a_spreadsheet(app: FastAPI, client: TestClient) -> None:
    assert client.get(f"{BASE}/rota.xlsx").status_code == 303  # a login first
    login(client)
    assert client.get(f"{BASE}/rota.xlsx").status_code == 404  # nothing published
    publish(app, week_one())
    response = client.get(f"{BASE}/rota.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="rota-{WEEK.isoformat()}-v1.xlsx"; filename*=UTF-8\'\'rota-{WEEK.isoformat()}-v1.xlsx'
    )
    sheets = _sheet_values(response.content)
    assert list(sheets) == ["大门"]
    rows = sheets["大门"]
    assert rows[1][0] == "班次" and len(rows[1]) == 8  # the shift column and seven days
    monday = str(rows[2][1])
    assert "志 " + FORMULA in monday and "安 王强" in monday and "11:00–11:45" in monday and "12:00–12:45" in monday
    assert "安 李娜" in str(rows[2][2])
    book = load_workbook(io.BytesIO(response.content))
    cell = book["大门"].cell(3, 2)
    assert cell.data_type == "s" and not str(cell.value).startswith("=")  # text, never a formula


def test_draft_version_and_english(app: FastAPI, client: TestClient) -> None:
    login(client)
    publish(app, week_one())
    publish(app, week_two())
    wednesday = 3
    first = _sheet_values(client.get(f"{BASE}/rota.xlsx", params={"version": "1"}).content)["大门"]
    latest = _sheet_values(client.get(f"{BASE}/rota.xlsx").content)["大门"]
    assert FORMULA in str(first[2][wednesday]) and "王强" in str(latest[2][wednesday])
    draft = client.get(f"{BASE}/rota.xlsx", params={"draft": "1"})
    assert draft.status_code == 200 and "%E8%8D%89%E7%A8%BF.xlsx" in draft.headers["content-disposition"]  # 草稿
    english = _sheet_values(client.get(f"{BASE}/rota.xlsx", headers={"accept-language": "en"}).content)
    assert list(english) == ["Gate"] and english["Gate"][1][0] == "Shift"
    for params in ({"version": "9"}, {"version": "x" * 50}):
        assert client.get(f"{BASE}/rota.xlsx", params=params).status_code == 404
    assert f'href="{BASE}/rota.xlsx?draft=1"' in client.get(BASE).text

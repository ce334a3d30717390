"""The service-record page, its heat map, `GET /api/service-record`, the spreadsheet and the certificate, against
published rotas with check-ins, at a frozen clock, in both languages."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.web.conftest import login
from tests.web.record.support import LAST, WEEK, WEEK2, published_weeks, record_app, record_data
from tests.web.test_chinese_pages import _english_words

RANGE = {"from": WEEK.isoformat(), "to": (LAST + dt.timedelta(days=6)).isoformat()}
EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    data = record_data()
    data["people"][2]["name"] = EVIL  # carol: a name that would be a formula in a spreadsheet
    app = record_app(tmp_path, data)
    published_weeks(app)
    return app


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    login(client)
    return client


def test_the_page_lists_each_person_with_totals_sources_charts_and_certificates(client: TestClient) -> None:
    client.cookies.set("lang", "zh")
    page = client.get("/service-record", params={**RANGE, "by": "week"})
    assert page.status_code == 200
    text = page.text
    assert "志愿服务记录" in text and "共 7 次、51.5 小时：3 次依据到岗签到，4 次依据已发布排班（无人记录）。" in text
    names = re.findall(r'<tr id="person-(\w+)">', text)
    assert names == ["carol", "bob", "alice"]  # "=" sorts first, then 李娜 li, 张伟 zhang
    assert 'href="/service-record/alice/certificate.pdf?from=2026-11-02&amp;to=2026-12-06"' in text
    assert text.count('<svg class="bars"') == 3 and "<script" not in text
    assert "11/2 周一 起一周：22.5 小时" in text  # alice's first week in the chart's tooltip
    assert 'class="from-rota"' in text and "无人记录（按排班）" in text and "李娜（带班）" in text
    assert 'href="/service-record"' in text and 'aria-current="page">服务记录' in text
    assert _english_words(text) - {"HYPERLINK", "evil", "example", "x"} == set()
    client.cookies.set("lang", "en")
    english = client.get("/service-record", params={**RANGE, "by": "month"}).text
    assert "Volunteer service record" in english and "November 2026" in english and "December 2026" in english
    assert "nobody (from the rota)" in english


def test_the_default_range_is_the_last_four_full_weeks_to_today(client: TestClient) -> None:
    page = client.get("/service-record").text
    assert 'name="from" value="2026-11-02"' in page and 'name="to" value="2026-12-02"' in page


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-13-01"}, "from"), ({"to": "nope"}, "to"), ({"from": "2026-12-01", "to": "2026-11-01"}, "to"),
    ({"from": "2026-01-01", "to": "2027-01-02"}, "to"),
])
def test_a_bad_range_names_its_field(client: TestClient, params: dict[str, str], field: str) -> None:
    client.cookies.set("lang", "en")
    page = client.get("/service-record", params=params)
    assert page.status_code == 400
    assert re.search(rf'class="field has-error">\s*<label for="record-{field}"', page.text)
    answer = client.get("/api/service-record", params=params)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", field]
    assert client.get("/service-record.xlsx", params=params).status_code == 400
    assert client.get("/service-record/alice/certificate.pdf", params=params).status_code == 400


def test_the_json_lists_shifts_and_totals(client: TestClient) -> None:
    client.cookies.set("lang", "en")
    body = client.get("/api/service-record", params=RANGE).json()
    assert body["from"] == RANGE["from"] and body["to"] == RANGE["to"] and body["organisation"] == "Tiny"
    assert body["total"]["turns"] == 7 and body["total"]["checkin_turns"] == 3
    assert [p["person"] for p in body["people"]] == ["carol", "bob", "alice"]
    night = next(s for s in body["shifts"] if s["night"])
    assert night["person"] == "alice" and night["weekend"] and night["source"] == "checkin"
    assert night["start"] == "2026-11-08T23:00:00+08:00" and night["end"] == "2026-11-09T07:00:00+08:00"
    assert night["recorded_by"] == "coord (coordinator)" and night["content"] == "Volunteer · Night"
    rota = [s for s in body["shifts"] if s["source"] == "rota"]
    assert len(rota) == 4 and all(s["status"] is None and s["recorded_by"] is None for s in rota)
    assert "phone" not in str(body)
    assert client.get("/api/service-record", params={"from": WEEK2.isoformat(), "to": WEEK2.isoformat()}).json()[
        "total"]["turns"] == 1


def test_the_schema_documents_the_response(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/service-record"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to"}
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    model = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert {"from", "to", "people", "shifts", "total"} <= set(model["properties"])
    assert "422" in operation["responses"]


def test_anonymous_and_logged_out(app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False) as anonymous:
        assert anonymous.get("/api/service-record").status_code == 401
        assert anonymous.get("/service-record").status_code == 303
        assert anonymous.get("/service-record.xlsx").status_code == 303
        assert anonymous.get("/service-record/alice/certificate.pdf").status_code == 303


def test_the_spreadsheet_has_the_orders_fields_and_formula_safe_cells(client: TestClient) -> None:
    client.cookies.set("lang", "zh")
    answer = client.get("/service-record.xlsx", params=RANGE)
    assert answer.status_code == 200
    assert "service-record-2026-11-02-2026-12-06.xlsx" in answer.headers["content-disposition"]
    book = load_workbook(io.BytesIO(answer.content))
    shifts, people = book.worksheets
    rows = [[cell.value for cell in row] for row in shifts.iter_rows()]
    assert rows[0] == ["姓名", "服务内容", "服务地点", "开始", "结束", "时长", "组织", "记录人", "来源", "状态"]
    assert len(rows) == 8
    night = next(r for r in rows if r[1] == "志愿者 · 夜班")
    assert night == ["张伟", "志愿者 · 夜班", "大门", "2026-11-08 23:00", "2026-11-09 07:00", 8, "Tiny",
                     "coord（协调员）", "签到", "到岗"]
    evil = [row for row in shifts.iter_rows() if row[0].value == EVIL]
    assert len(evil) == 2 and all(row[0].data_type == "s" and row[0].quotePrefix for row in evil)
    assert all(r[8] == "按排班" and r[7] == "无人记录（按排班）" for r in rows[1:] if r[0] == EVIL)
    assert [c.value for c in people[1]] == ["姓名", "次数", "时长（小时）", "夜班", "周末", "签到次数", "按排班次数"]
    assert [c.value for c in people[4]] == ["张伟", 4, 29.5, 1, 1, 3, 1]
    assert "13" not in " ".join(str(c.value) for row in shifts.iter_rows() for c in row if c.column == 1)


def test_the_certificate_is_one_a4_page_in_chinese(client: TestClient) -> None:
    answer = client.get("/service-record/alice/certificate.pdf", params=RANGE)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    text = re.sub(r"\s+", "", page.extract_text())
    expected_texts = (
        "志愿服务证明", "志愿者：张伟", "志愿者编号：alice", "2026年11月2日至2026年12月2日",
        "在Tiny参加志愿服务", "累计服务4次，共计29.5小时", "其中夜间服务1次",
        "3次依据岗位到岗签到记录，1次依据已发布排班（无人记录）", "志愿者·夜班大门18", "出具组织：Tiny",
        "负责人及联系方式：协调员王芳13911112222", "经办人：coord", "出具日期：2026年12月2日", "（盖章）",
        "民政部令第67号", "编号：001-",
    )
    for expected in expected_texts:
        assert expected in text, expected
    assert client.get("/service-record/nobody/certificate.pdf").status_code == 404


def _cell(page: str, title: str) -> str:
    """The fill of the heat map's cell with this tooltip."""
    match = re.search(rf"<g><title>{re.escape(title)}</title><rect [^>]*fill=\"(#[0-9a-f]+)\"", page)
    assert match, title
    return match.group(1)


def test_the_heat_map_colours_each_hour_against_the_coverage_minimum(client: TestClient) -> None:
    client.cookies.set("lang", "zh")
    page = client.get("/service-record/coverage", params={"post": "gate", "week": WEEK.isoformat()})
    assert page.status_code == 200
    text = page.text
    assert "覆盖情况：大门，11/2 周一 起一周" in text and '<svg class="heat"' in text and "<script" not in text
    assert _cell(text, "11/5 周四 10:00：在岗 0 人，至少 1 人") == "#d9534f"  # nobody on Thursday's day shift
    assert _cell(text, "11/2 周一 11:00：在岗 1 人，至少 1 人") == "#5cb85c"  # carol at lunch, alice at the post
    assert _cell(text, "11/2 周一 07:00：在岗 0 人，至少 0 人") == "#eceff3"
    assert _cell(text, "11/8 周日 23:00：在岗 1 人，至少 0 人") == "#9fd49f"  # alice's night: no minimum asks
    assert _english_words(text) == set()
    # any day of the week shows its week; a week with nothing published says so
    assert "11/2 周一 起一周" in client.get("/service-record/coverage", params={"week": "2026-11-04"}).text
    assert "该周没有已发布排班。" in client.get("/service-record/coverage", params={"week": "2026-11-16"}).text
    bad = client.get("/service-record/coverage", params={"week": "2026-02-30", "post": "nowhere"})
    assert bad.status_code == 400 and bad.text.count('class="error"') == 2

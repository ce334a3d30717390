"""web.people.spreadsheet on its own: reading CSV (UTF-8, BOM, GBK, UTF-16) and XLSX (numbers, dates, formulas), every
problem by row and column, the template parsing back to its example row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from scheduler import Person
from tests.web.conftest import tiny_community
from web.people import import_plan, spreadsheet
from web.people.import_plan import ImportPlan
from web.people.spreadsheet import Problem, SheetTable
from web.store import CommunitySetup

HEADER = ["id", "name", "roles", "posts", "phone", "nights_allowed", "max_hours_per_week", "meal_minutes"]


@pytest.fixture
def setup() -> CommunitySetup:
    data = tiny_community()
    return CommunitySetup.model_validate({key: data[key] for key in CommunitySetup.model_fields if key in data})


@pytest.fixture
def existing() -> dict[str, Person]:
    return {p["id"]: Person.model_validate(p) for p in tiny_community()["people"]}


def _csv(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
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


def _table(name: str, data: bytes) -> SheetTable:
    result = spreadsheet.read_file(name, data)
    assert not result.problems, result.problems
    assert result.table is not None
    return result.table


def _plan(name: str, data: bytes, setup: CommunitySetup, existing: dict[str, Person]) -> ImportPlan:
    return import_plan.validate_table(_table(name, data), setup, existing)


def _where(problems: list[Problem]) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.code) for p in problems]


# ---------------------------------------------------------------------------------------------- template


def _assert_example(plan: ImportPlan, setup: CommunitySetup) -> None:
    assert plan.ok, plan.problems
    [planned] = plan.people
    example = spreadsheet.example_row(setup)
    person = planned.person
    assert planned.is_new and planned.row == 2
    assert (person.id, person.name, person.phone) == (example["id"], example["name"], example["phone"])
    assert person.roles == ["vol", "guard"] and person.posts == ["gate"]
    assert person.limits.max_hours_per_week == 40 and person.limits.max_shifts_per_week == 5
    assert person.limits.nights_allowed is False and person.limits.min_rest_hours == 11
    assert person.active and person.language == "zh"


def test_csv_template_parses_back_to_its_example(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    data = spreadsheet.template_csv(setup)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese example right
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(c.id for c in spreadsheet.COLUMNS)
    _assert_example(_plan("people-template.csv", data, setup, existing), setup)


def test_xlsx_template_parses_back_and_explains_itself(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    data = spreadsheet.template_xlsx(setup)
    _assert_example(_plan("people-template.xlsx", data, setup, existing), setup)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [spreadsheet.PEOPLE_SHEET, spreadsheet.NOTES_SHEET, spreadsheet.PLACES_SHEET]
    notes = [[c.value for c in row] for row in book[spreadsheet.NOTES_SHEET].iter_rows(min_row=2)]
    assert [n[0] for n in notes] == [c.id for c in spreadsheet.COLUMNS]
    roles_row = next(n for n in notes if n[0] == "roles")
    assert roles_row[1] == "角色" and roles_row[2] == "Roles" and "顿号" in str(roles_row[4]) and "separated" in str(
        roles_row[5]
    )
    places = [[c.value for c in row] for row in book[spreadsheet.PLACES_SHEET].iter_rows(min_row=2)]
    assert ["角色 role", "vol", "志愿者", "Volunteer"] in places
    assert ["岗位 post", "gate", "大门", "Gate"] in places
    assert book[spreadsheet.PEOPLE_SHEET]["E2"].number_format == "@"  # phone typed as text stays text


# ---------------------------------------------------------------------------------------------- reading


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(encoding: str, setup: CommunitySetup, existing: dict[str, Person]) -> None:
    rows = [["编号", "姓名", "角色"], ["li-lei", "李雷", "志愿者、保安"]]
    plan = _plan("people.csv", _csv(rows, encoding), setup, existing)
    assert plan.ok, plan.problems
    assert plan.people[0].person.name == "李雷"
    assert plan.people[0].person.roles == ["vol", "guard"]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_delimiters(delimiter: str, setup: CommunitySetup, existing: dict[str, Person]) -> None:
    rows = [["id", "name", "roles"], ["li-lei", "Li Lei", "vol,guard"]]
    plan = _plan("people.csv", _csv(rows, delimiter=delimiter), setup, existing)
    assert plan.ok and plan.people[0].person.roles == ["vol", "guard"]


def test_unreadable_files() -> None:
    cases = {
        ("a.csv", b""): "empty", ("a.csv", b"  \r\n "): "empty",
        ("a.pdf", b"%PDF-1.4 ..."): "file_type", ("a.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64): "old_xls",
        ("a.xlsx", b"not a zip"): "bad_xlsx", ("a.xlsx", b"PK\x03\x04broken"): "bad_xlsx",
        ("a.csv", b"\x81\x30\x81\x30\xff\xff\xfe"): "encoding", ("a.csv", b"id,name\x00"): "encoding",
        ("a.csv", b"x" * (spreadsheet.MAX_BYTES + 1)): "too_big", ("a.csv", b"id,name,roles\r\n"): "no_people",
    }
    for (name, data), code in cases.items():
        result = spreadsheet.read_file(name, data)
        assert [p.code for p in result.problems] == [code], (name, data[:20], result.problems)


def test_too_many_rows() -> None:
    rows = [["id", "name", "roles"]] + [[f"p{i}", "P", "vol"] for i in range(spreadsheet.MAX_ROWS + 1)]
    result = spreadsheet.read_file("big.csv", _csv(rows))
    assert [p.code for p in result.problems] == ["too_many_rows"] and result.table is None


def test_xlsx_numbers_dates_and_formulas(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    data = _xlsx([
        HEADER,
        [1001, "Numbers", "vol", None, 13800000000, True, 37.5, 45.0],
        ["d-1", "Date phone", "vol", None, dt.date(2026, 1, 2), None, None, None],
        ["f-1", "Formula", "vol", None, "=1+1", None, None, None],
        ["e-1", "Error", "vol", None, "#N/A", None, None, None],
    ])
    result = spreadsheet.read_file("people.xlsx", data)
    assert result.table is not None
    assert result.table.rows[0] == (2, ["1001", "Numbers", "vol", "", "13800000000", "yes", "37.5", "45"])
    assert _where(result.problems) == [(3, None, "date_cell"), (4, None, "formula"), (5, None, "formula_error")]
    assert [p.letter for p in result.problems] == ["E", "E", "E"]


def test_xlsx_reads_the_cached_value_of_a_formula(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    """A workbook saved by Excel keeps each formula's last value beside it; that value is what is imported."""
    data = _xlsx([["id", "name", "roles"], ["x-1", '=UPPER("li")', "vol"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # openpyxl leaves <v> empty; Excel fills it in
                assert b'<c r="B2"><f>UPPER("li")</f><v /></c>' in content
                content = content.replace(b'<c r="B2"><f>UPPER("li")</f><v /></c>',
                                          b'<c r="B2" t="str"><f>UPPER("li")</f><v>LI</v></c>')
            target.writestr(item, content)
    result = spreadsheet.read_file("cached.xlsx", out.getvalue())
    assert not result.problems
    assert result.table is not None and result.table.rows == [(2, ["x-1", "LI", "vol"])]


# ---------------------------------------------------------------------------------------------- validating


def test_every_problem_by_row_and_column(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    rows = [
        HEADER,
        ["ok-1", "Fine", "vol", "", "", "", "", ""],
        ["bad id", "", "guard2", "moon", "", "maybe", "-3", "15.5"],
        ["ok-2", "Fine too", "vol，guard", "大门", "", "否", "20", "45"],
        ["", "No id", "", "", "x" * 41, "", "lots", "1000"],
        ["ok-1", "Twice", "vol", "", "", "", "", ""],
    ]
    plan = _plan("bad.csv", _csv(rows), setup, existing)
    assert _where(plan.problems) == [
        (3, "id", "bad_id"), (3, "name", "required"), (3, "roles", "unknown_role"), (3, "posts", "unknown_post"),
        (3, "nights_allowed", "not_yes_no"), (3, "max_hours_per_week", "min"), (3, "meal_minutes", "not_whole"),
        (5, "roles", "required"), (5, "phone", "too_long"),  # row 5's empty id is made from its name
        (5, "max_hours_per_week", "not_number"), (5, "meal_minutes", "max"),
        (6, "id", "duplicate_id"),
    ]
    unknown = next(p for p in plan.problems if p.code == "unknown_role")
    assert unknown.values == {"value": "guard2"} and unknown.letter == "C"
    duplicate = next(p for p in plan.problems if p.code == "duplicate_id")
    assert duplicate.values == {"value": "ok-1", "other": 2}
    assert [p.person.id for p in plan.people] == ["ok-1", "ok-2"]  # the clean rows, for nothing: plan is not ok


def test_header_problems(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    rows = [["姓名", "colour", "name", "", "roles"], ["A", "red", "A", "stray", "vol"]]
    plan = _plan("h.csv", _csv(rows), setup, existing)
    assert _where(plan.problems) == [
        (1, None, "unknown_column"), (1, None, "duplicate_column"),  # no id column: ids are made from names
        (2, None, "outside_columns"),  # so the rows are read, and the value under the empty header is one
    ]
    plan = _plan("h.csv", _csv([["id", "name"], ["a-1", "A"]]), setup, existing)
    assert _where(plan.problems) == [(1, "roles", "missing_column")]


def test_value_under_no_header(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    rows = [["id", "name", "roles"], ["a-1", "A", "vol", "stray"]]
    plan = _plan("h.csv", _csv(rows), setup, existing)
    assert [(p.row, p.letter, p.code) for p in plan.problems] == [(2, "D", "outside_columns")]


def test_chinese_headers_names_and_values(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    rows = [
        ["编号", "姓名（必填）", "角色", "岗位", "手机", "语言", "夜班", "每周最多班次", "在岗"],
        ["han-mei", "韩梅", "Volunteer、Guard", "Gate", "139", "英文", "可以", "3", "否"],
    ]
    plan = _plan("zh.csv", _csv(rows, "gbk"), setup, existing)
    assert plan.ok, plan.problems
    person = plan.people[0].person
    assert (person.roles, person.posts, person.language) == (["vol", "guard"], ["gate"], "en")
    assert person.limits.nights_allowed is True and person.limits.max_shifts_per_week == 3 and not person.active


def test_update_keeps_what_the_file_does_not_say(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    plan = _plan("u.csv", _csv([["id", "name", "roles"], ["carol", "Carol Chen", "guard"]]), setup, existing)
    assert plan.ok
    [planned] = plan.people
    assert not planned.is_new and planned.person.name == "Carol Chen" and planned.person.roles == ["guard"]
    assert planned.person.availability == existing["carol"].availability  # not a column: kept


def test_an_empty_cell_clears_a_limit(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    bob = existing["bob"].model_dump(mode="json")
    bob["limits"] = {"max_hours_per_week": 10}
    existing["bob"] = Person.model_validate(bob)
    plan = _plan("u.csv", _csv([["id", "name", "roles", "max_hours_per_week"], ["bob", "Bob", "guard", ""]]),
                 setup, existing)
    assert plan.ok and plan.people[0].person.limits.max_hours_per_week is None


def test_meal_break_must_fit_the_meal_windows(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    rows = [["id", "name", "roles", "meal_minutes"], ["m-1", "M", "vol", "200"], ["m-2", "N", "vol", "60"]]
    plan = _plan("m.csv", _csv(rows), setup, existing)
    assert _where(plan.problems) == [(2, "meal_minutes", "meal_too_long")]
    assert plan.problems[0].values["window"] == "11:00–13:30"


def test_a_clean_plan_makes_a_valid_scenario(setup: CommunitySetup, existing: dict[str, Person]) -> None:
    rows = [["id", "name", "roles", "posts"], ["n-1", "N", "vol", "gate"], ["alice", "Alice", "vol,guard", ""]]
    plan = _plan("s.csv", _csv(rows), setup, existing)
    assert plan.ok and import_plan.scenario_problems(plan, setup, existing) == []
    assert [(p.person.id, p.is_new) for p in plan.people] == [("n-1", True), ("alice", False)]


def test_names_with_bidi_characters_or_too_long_are_refused_at_their_cell(
    setup: CommunitySetup, existing: dict[str, Person]
) -> None:
    rows = [
        HEADER,
        ["ok-1", "王\u202e五", "vol", "", "", "", "", ""],
        ["ok-2", "x" * 65, "vol", "", "", "", "", ""],
        ["ok-3", "Fine", "vol", "", "138\u2066", "", "", ""],
    ]
    plan = _plan("bad.csv", _csv(rows), setup, existing)
    assert _where(plan.problems) == [
        (2, "name", "bad_characters"), (3, "name", "too_long"), (4, "phone", "bad_characters"),
    ]
    assert plan.problems[0].values == {"code": "U+202E"} and plan.problems[0].letter == "B"

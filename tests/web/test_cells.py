"""Spreadsheet cells the app writes are never live formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from tests.web.conftest import tiny_community
from web.cells import csv_cell, formula_like, unquoted, xlsx_cell, xlsx_row
from web.people import spreadsheet
from web.store import CommunitySetup

EVIL = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("text", [EVIL, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\n=1"])
def test_formula_like_cells_are_neutralised(text: str) -> None:
    assert formula_like(text)
    assert csv_cell(text) == "'" + text
    assert unquoted(csv_cell(text)) == text


@pytest.mark.parametrize("text", ["王五", "wang-fang", "13800000000", "'quoted", "a=b", ""])
def test_plain_cells_are_kept(text: str) -> None:
    assert csv_cell(text) == text
    assert unquoted(text) == text


def test_xlsx_cells_are_text_not_formulas() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    xlsx_cell(sheet, 1, 1, EVIL)
    xlsx_row(sheet, ["-1", 5, "ok"])
    out = io.BytesIO()
    book.save(out)
    xml = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml
    again = load_workbook(io.BytesIO(out.getvalue())).active
    assert again is not None
    assert again["A1"].value == EVIL and again["A1"].data_type == "s"
    assert [again["A2"].value, again["B2"].value, again["C2"].value] == ["-1", 5, "ok"]


def _setup_with_evil_names() -> CommunitySetup:
    data = tiny_community()
    data["roles"][0]["name"] = {"zh": EVIL, "en": "@evil"}
    data["posts"][0]["name"] = "+cmd"
    return CommunitySetup.model_validate({key: data[key] for key in CommunitySetup.model_fields if key in data})


def test_the_people_template_never_holds_a_formula() -> None:
    setup = _setup_with_evil_names()
    data = spreadsheet.template_xlsx(setup)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    book = load_workbook(io.BytesIO(data))
    values = [cell.value for row in book[spreadsheet.PLACES_SHEET].iter_rows() for cell in row]
    assert EVIL in values and "@evil" in values and "+cmd" in values


def test_the_csv_template_quotes_formula_like_cells() -> None:
    data = tiny_community()
    data["roles"][0]["id"] = "-vol"
    setup = CommunitySetup.model_validate({key: data[key] for key in CommunitySetup.model_fields if key in data})
    rows = list(csv.reader(io.StringIO(spreadsheet.template_csv(setup).decode("utf-8-sig"))))
    assert all(not formula_like(cell) for row in rows for cell in row)
    read = spreadsheet.read_csv(spreadsheet.template_csv(setup))
    assert read.table is not None
    assert "-vol、guard" in read.table.rows[0][1]

"""Spreadsheet cells the app writes, made inert: a value that looks like a formula stays text.

A role named `=HYPERLINK("http://evil.example","click")` written as is into a CSV or XLSX becomes a live formula
when the file is opened (CSV injection). Every cell the app writes goes through here:

- XLSX: the cell is written as a string (never a formula) with Excel's "quote prefix" style, so it shows exactly as
  typed and is never evaluated, even once edited and saved again;
- CSV: a value starting with = + - @ a tab, a carriage return or a line feed gets a leading apostrophe, which
  spreadsheets show as text; `unquoted` takes it off again when the app reads such a file back.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def formula_like(value: object) -> bool:
    """Whether a spreadsheet could read `value` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: str) -> str:
    """`value` for a CSV cell: with a leading apostrophe when it looks like a formula."""
    return "'" + value if formula_like(value) else value


def csv_row(values: Iterable[str]) -> list[str]:
    return [csv_cell(value) for value in values]


def unquoted(text: str) -> str:
    """A CSV cell as the app wrote it: the apostrophe `csv_cell` added taken off again."""
    return text[1:] if text.startswith("'") and formula_like(text[1:]) else text


CellValue = str | int | float | None


def xlsx_cell(sheet: Worksheet, row: int, column: int, value: CellValue) -> Cell:
    """Write `value` at (row, column); text that looks like a formula is stored as text, shown as typed."""
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell)
    if isinstance(value, str) and formula_like(value):
        # openpyxl makes a formula of any text assigned that starts with '=': set the stored text directly
        cell._value = value  # type: ignore[attr-defined]
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def xlsx_row(sheet: Worksheet, values: Iterable[CellValue]) -> None:
    """Append a row of values below the sheet's last one, each through `xlsx_cell`."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        xlsx_cell(sheet, row, column, value)

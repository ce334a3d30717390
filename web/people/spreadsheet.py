"""People from a spreadsheet: its columns, reading CSV and XLSX, building the template.

Independent of HTTP. A file is read into a `SheetTable` (every cell as text, with its spreadsheet row number),
then `web.people.import_plan.validate_table` turns it into an `ImportPlan`: the validated people (new or updated)
and every problem, each tied to a row and a column, so a coordinator fixes the whole file in one pass. Nothing here
writes anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import BaseModel, Field

from web.catalog import Message
from web.cells import csv_row, unquoted, xlsx_cell, xlsx_row
from web.people.messages import COLUMNS as COLUMN_MESSAGES
from web.store import CommunitySetup

MAX_BYTES = 2 * 1024 * 1024
"""Largest file accepted (a few thousand people fit in far less)."""
MAX_ROWS = 5000
"""Most people in one file."""
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
"""An XLSX is a zip archive: refuse one that would inflate beyond this (a zip bomb)."""
PEOPLE_SHEET = "人员 People"
NOTES_SHEET = "说明 Notes"
PLACES_SHEET = "角色岗位 Roles & posts"

FileKind = Literal["csv", "xlsx"]


@dataclass(frozen=True)
class Column:
    """One column of the people spreadsheet: its stable id, whether it is required, header aliases."""

    id: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> Message:
        return COLUMN_MESSAGES[f"import.col.{self.id}"]

    @property
    def help(self) -> Message:
        return COLUMN_MESSAGES[f"import.col.{self.id}.help"]


LIMIT_COLUMNS = ("max_hours_per_week", "max_shifts_per_week", "max_nights_per_week", "min_rest_hours", "nights_allowed")
COLUMNS: tuple[Column, ...] = (
    Column("id", False, ("编号", "工号", "代号", "key")),  # empty or absent: made from the name
    Column("name", True, ("姓名", "名字", "名称")),
    Column("roles", True, ("角色", "身份", "role")),
    Column("posts", False, ("岗位", "可安排的岗位", "post", "places")),
    Column("phone", False, ("电话", "手机", "手机号", "联系电话", "tel")),
    Column("language", False, ("语言", "日历语言", "lang")),
    Column("meal_minutes", False, ("用餐时长", "用餐分钟", "个人用餐时长", "meal")),
    Column("nights_allowed", False, ("夜班", "可排夜班", "nights")),
    Column("max_hours_per_week", False, ("每周最多小时", "每周最多小时数", "每周小时")),
    Column("max_shifts_per_week", False, ("每周最多班次", "每周班次")),
    Column("max_nights_per_week", False, ("每周最多夜班", "每周夜班")),
    Column("min_rest_hours", False, ("最少休息小时", "两班之间最少休息", "最少休息")),
    Column("active", False, ("在岗", "启用", "状态")),
)
COLUMN_BY_ID = {column.id: column for column in COLUMNS}

_EXCEL_ERRORS = frozenset(("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"))


# ------------------------------------------------------------------------------------------------ problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (spreadsheet row and column id, when known) and what (a message key
    of web.people.messages with its values)."""

    key: str
    row: int | None = None
    column: str | None = None
    letter: str | None = None
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.key.rsplit(".", 1)[-1]


class SheetTable(BaseModel):
    """A spreadsheet read as text: the header cells and each non-blank row with its row number as shown in Excel.

    It is what travels (signed) from the preview to the confirmation, and is validated again there.
    """

    header: list[str] = Field(description="Header cells, as written.")
    header_row: int = Field(default=1, description="Row number of the header.")
    rows: list[tuple[int, list[str]]] = Field(default_factory=list, description="(row number, cells) per person.")


@dataclass
class ReadResult:
    """A table, or the problems that stopped reading (or cells that could not be read as text)."""

    table: SheetTable | None
    problems: list[Problem] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------ reading


def detect_kind(filename: str, data: bytes) -> FileKind | Problem:
    """CSV or XLSX, from the content first (a renamed file is still read right), then the name."""
    name = filename.lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return Problem("import.problem.old_xls")
    if name.endswith((".xlsx", ".xlsm")):
        return Problem("import.problem.bad_xlsx")
    if name.endswith((".csv", ".txt", ".tsv")) or not name.rpartition(".")[1]:
        return "csv"
    return Problem("import.problem.file_type")


def read_file(filename: str, data: bytes) -> ReadResult:
    """Read an uploaded file (already limited to MAX_BYTES by the caller; checked again here)."""
    if not data.strip():
        return ReadResult(None, [Problem("import.problem.empty")])
    if len(data) > MAX_BYTES:
        return ReadResult(None, [Problem("import.problem.too_big", values={"mb": MAX_BYTES // (1024 * 1024)})])
    kind = detect_kind(filename, data)
    if isinstance(kind, Problem):
        return ReadResult(None, [kind])
    return read_xlsx(data) if kind == "xlsx" else read_csv(data)


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), or GBK/GB18030 (Chinese Excel's
    CSV); None when it is none of these."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv(data: bytes) -> ReadResult:
    text = decode_text(data)
    if text is None:
        return ReadResult(None, [Problem("import.problem.encoding")])
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line)))
    except csv.Error:
        return ReadResult(None, [Problem("import.problem.bad_csv")])
    return _table_from_rows(enumerate(([unquoted(c.strip()) for c in r] for r in records), start=1), [])


def _unzipped_size(data: bytes) -> int | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return None


def read_xlsx(data: bytes) -> ReadResult:
    """The people sheet (named like the template's, else the first sheet). Cached formula results are used; a
    formula without one, a date, or an Excel error value is reported at its cell."""
    size = _unzipped_size(data)
    if size is None:
        return ReadResult(None, [Problem("import.problem.bad_xlsx")])
    if size > MAX_UNZIPPED_BYTES:
        return ReadResult(None, [Problem("import.problem.too_big", values={"mb": MAX_BYTES // (1024 * 1024)})])
    try:
        values = _sheet_rows(data, data_only=True)
        # a second pass only tells formulas from empty cells; skip it (half the time) when there are none
        formulas = _sheet_rows(data, data_only=False) if _has_formulas(data) else []
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        return ReadResult(None, [Problem("import.problem.bad_xlsx")])
    problems: list[Problem] = []
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(values, start=1):
        raw = formulas[number - 1] if number <= len(formulas) else ()
        rows.append((number, [_cell_text(v, f, number, i, problems) for i, (v, f) in enumerate(_pairs(cells, raw))]))
    return _table_from_rows(rows, problems)


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(name)) for name in archive.namelist() if name.startswith("xl/worksheets/")
        )


def _pairs(cells: Sequence[object], raw: Sequence[object]) -> Iterator[tuple[object, object]]:
    for i, value in enumerate(cells):
        yield value, raw[i] if i < len(raw) else None


def _sheet_rows(data: bytes, *, data_only: bool) -> list[tuple[object, ...]]:
    # Files from WPS or older tools make openpyxl warn about styles it ignores; that is no concern of ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        try:
            sheet = book[PEOPLE_SHEET] if PEOPLE_SHEET in book.sheetnames else book.worksheets[0]
            rows: list[tuple[object, ...]] = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(tuple(row))
                if len(rows) > MAX_ROWS + 1000:  # blank rows are skipped later; stop a runaway sheet here
                    break
            return rows
        finally:
            book.close()


def _cell_text(value: object, raw: object, row: int, index: int, problems: list[Problem]) -> str:
    """A cell as text. Numbers lose a pointless '.0' (a phone number typed as a number stays whole)."""

    def report(key: str, **values: object) -> str:
        problems.append(Problem(key, row=row, letter=get_column_letter(index + 1), values=values))
        return ""

    if value is None:
        return report("import.problem.formula") if isinstance(raw, str) and raw.startswith("=") else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return report("import.problem.date_cell")
    text = str(value).strip()
    if text in _EXCEL_ERRORS:
        return report("import.problem.formula_error", value=text)
    return text


def _table_from_rows(rows: Iterable[tuple[int, list[str]]], problems: list[Problem]) -> ReadResult:
    """The first non-blank row is the header; blank rows are skipped."""
    header: list[str] | None = None
    header_row = 1
    people: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if not any(cells):
            continue
        if header is None:
            header, header_row = cells, number
            continue
        people.append((number, cells))
        if len(people) > MAX_ROWS:
            return ReadResult(None, [Problem("import.problem.too_many_rows", values={"n": MAX_ROWS})])
    if header is None:
        return ReadResult(None, [Problem("import.problem.empty")])
    if not people:
        problems.append(Problem("import.problem.no_people"))
    # a cell problem in the header row is about a column name, which is checked again by the header rules
    return ReadResult(SheetTable(header=header, header_row=header_row, rows=people), problems)


# ------------------------------------------------------------------------------------------------ template


def example_row(setup: CommunitySetup) -> dict[str, str]:
    """One filled-in row showing each column's format, using this community's roles and posts."""
    roles = "、".join(role.id for role in setup.roles[:2])
    places = setup.places()
    return {
        "id": "wang-fang", "name": "王芳", "roles": roles, "posts": places[0][0] if places else "",
        "phone": "13800000000", "language": "zh", "meal_minutes": "", "nights_allowed": "no",
        "max_hours_per_week": "40", "max_shifts_per_week": "5", "max_nights_per_week": "", "min_rest_hours": "11",
        "active": "yes",
    }


def template_csv(setup: CommunitySetup) -> bytes:
    """UTF-8 with a BOM, which makes Excel open Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_row(column.id for column in COLUMNS))
    example = example_row(setup)
    writer.writerow(csv_row(example[column.id] for column in COLUMNS))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(setup: CommunitySetup) -> bytes:
    """The people sheet (header of column ids, one example row, text-formatted cells), a notes sheet explaining
    each column in Chinese and English, and a sheet of this community's roles and posts."""
    book = Workbook()
    people = book.active
    assert people is not None
    people.title = PEOPLE_SHEET
    example = example_row(setup)
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor="EEF3FA")
    for index, column in enumerate(COLUMNS, start=1):
        head = xlsx_cell(people, 1, index, column.id)
        head.font, head.fill = bold, header_fill
        xlsx_cell(people, 2, index, example[column.id])
        letter = get_column_letter(index)
        people.column_dimensions[letter].width = max(12, len(column.id) + 4)
        # text format keeps ids and phone numbers from turning into numbers or dates when typed
        for row in range(2, 1001):
            people.cell(row=row, column=index).number_format = "@"
    people.freeze_panes = "A2"
    _notes_sheet(book)
    _places_sheet(book, setup)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _notes_sheet(book: Workbook) -> None:
    notes = book.create_sheet(NOTES_SHEET)
    xlsx_row(notes, ["列 column", "中文名", "English", "必填 required", "说明", "Notes"])
    for column in COLUMNS:
        required = "是 yes" if column.required else ""
        xlsx_row(notes, [column.id, column.label.zh, column.label.en, required, column.help.zh, column.help.en])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (22, 22, 28, 14, 60, 70), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _places_sheet(book: Workbook, setup: CommunitySetup) -> None:
    sheet = book.create_sheet(PLACES_SHEET)
    xlsx_row(sheet, ["类别 kind", "编号 id", "中文", "English"])
    for role in setup.roles:
        xlsx_row(sheet, ["角色 role", role.id, role.name.zh, role.name.en])
    for place_id, zh, en in setup.places():
        xlsx_row(sheet, ["岗位 post", place_id, zh, en])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (14, 20, 24, 30), strict=True):
        sheet.column_dimensions[letter].width = width

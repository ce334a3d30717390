"""The week's rota as a spreadsheet: one sheet per post (and team duty), days across, shifts down, each cell the
people on that shift with their role's mark and their meal breaks. Every cell goes through `web.cells`, so a name
or role typed as `=...` stays text."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scheduler import GridEntry, Rota, Scenario, week_grid
from web.cells import xlsx_cell
from web.i18n import Translator

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_SHEET_LENGTH = 31
"""Excel's longest sheet name; it refuses the characters in `_SHEET_UNSAFE`."""


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_UNSAFE.sub("_", name).strip("'")[:_SHEET_LENGTH] or "_"
    title, number = base, 1
    while title.casefold() in used:
        number += 1
        suffix = f" ({number})"
        title = base[: _SHEET_LENGTH - len(suffix)] + suffix
    used.add(title.casefold())
    return title


def _entry_text(entry: GridEntry) -> str:
    """'安 王芳 · 午饭 11:45–12:30': the role's mark (its name when it has no mark), the name, the meal breaks."""
    parts = [f"{entry.mark or entry.role_name} {entry.name}"]
    parts += [meal.label for meal in entry.breaks]
    return " · ".join(parts)


def rota_workbook(scenario: Scenario, rota: Rota, t: Translator, title: str) -> bytes:
    """The XLSX file's bytes; `title` heads every sheet (community, week and version)."""
    grid = week_grid(scenario, rota, t.lang)
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    used: set[str] = set()
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="EEF3FA")
    wrap = Alignment(wrap_text=True, vertical="top")
    for place in grid.places:
        sheet = book.create_sheet(_sheet_title(place.name, used))
        xlsx_cell(sheet, 1, 1, f"{title} · {place.name}").font = bold
        header = [t("grid.shift"), *(t.day(day) for day in grid.dates)]
        for column, text in enumerate(header, start=1):
            cell = xlsx_cell(sheet, 2, column, text)
            cell.font, cell.fill = bold, head_fill
        for number, row in enumerate(place.rows, start=3):
            label = row.label if row.hours in row.label else f"{row.label} {row.hours}"
            xlsx_cell(sheet, number, 1, label).alignment = wrap
            for index, entries in enumerate(row.cells):
                lines = [_entry_text(entry) for entry in entries]
                if row.times and row.times[index]:
                    lines.insert(0, row.times[index])  # the day's real times, when a clock change moves them
                xlsx_cell(sheet, number, index + 2, "\n".join(lines) or None).alignment = wrap
        sheet.column_dimensions["A"].width = 20
        for index in range(len(grid.dates)):
            sheet.column_dimensions[get_column_letter(index + 2)].width = 28
        sheet.freeze_panes = "B3"
    if not book.worksheets:
        book.create_sheet(_sheet_title(title, used))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_name(week: dt.date, label: str) -> str:
    return f"rota-{week.isoformat()}-{label}.xlsx"

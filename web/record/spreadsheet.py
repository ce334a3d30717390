"""The service record as a spreadsheet: one row per served shift with the fields China's Order No. 67 asks a record
to hold (name, service content, place, start, end, hours, organisation, who recorded it) and where it comes from,
then a sheet of each person's totals. Nothing sensitive: no phone, no absence reason, no identity number. Every
cell goes through `web.cells`, so a name or a place typed as `=...` stays text."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Font

from web.cells import xlsx_cell, xlsx_row
from web.i18n import Translator
from web.record.service import ServedShift, summarise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMAT = "%Y-%m-%d %H:%M"


def half(hours: float) -> float:
    """Hours to the half hour, as the pages show them."""
    return round(hours * 2) / 2


def service_content(t: Translator, shift: ServedShift) -> str:
    """'志愿者 · 白班': the role filled on the shift (a team duty's name stands for the shift)."""
    return f"{shift.role_name.text(t.lang)} · {shift.shift_name.text(t.lang)}"


def record_workbook(
    shifts: list[ServedShift], organisation: str, t: Translator, recorder: Callable[[ServedShift], str],
    status: Callable[[ServedShift], str],
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = t("record.sheet.shifts")
    bold = Font(bold=True)
    headers = ("name", "content", "place", "start", "end", "hours", "organisation", "recorder", "source", "status")
    for column, key in enumerate(headers, start=1):
        xlsx_cell(sheet, 1, column, t(f"record.col.{key}")).font = bold
    for shift in shifts:
        xlsx_row(sheet, [
            shift.name, service_content(t, shift), shift.place_name.text(t.lang), shift.start.strftime(_FORMAT),
            shift.end.strftime(_FORMAT), half(shift.hours), organisation, recorder(shift),
            t(f"record.source.{shift.source}"), status(shift),
        ])
    for letter, width in zip("ABCDEFGHIJ", (12, 22, 14, 17, 17, 7, 16, 20, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    people = book.create_sheet(t("record.sheet.people"))
    columns = ("record.col.name", "record.turns", "record.hours", "record.nights", "record.weekends",
               "record.col.checkin_turns", "record.col.rota_turns")
    for column, key in enumerate(columns, start=1):
        xlsx_cell(people, 1, column, t(key)).font = bold
    for record in summarise(shifts):
        total = record.total
        xlsx_row(people, [record.name, total.turns, half(total.hours), total.nights, total.weekends,
                          total.checkin_turns, total.rota_turns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

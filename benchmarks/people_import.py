"""People import benchmark: reading and validating a large spreadsheet (CSV in GBK, XLSX) with web.people.spreadsheet.

    python -m benchmarks.people_import --people 5000 --repeats 5 --out benchmarks/results/people_import.md

The file has MAX_ROWS people (the most one import accepts), every column filled, against the grid example's
set-up (examples/grid.yaml). Timed: read the bytes into a table, validate every row and the resulting scenario
(what an upload's preview does; the confirmation repeats it). The machine is small and shared: read medians.
"""

from __future__ import annotations

import csv
import io
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Annotated

import typer
from openpyxl import Workbook

from scheduler import load_scenario
from web.people import import_plan, spreadsheet
from web.store import CommunitySetup

app = typer.Typer(add_completion=False)


def _rows(setup: CommunitySetup, people: int) -> list[list[str]]:
    roles = "、".join(role.id for role in setup.roles[:2])
    place = setup.places()[0][0]
    header = [column.id for column in spreadsheet.COLUMNS]
    body = [
        [f"p{i}", f"人员{i}", roles, place, "13800000000", "zh", "", "no", "40", "5", "2", "11", "yes"]
        for i in range(people)
    ]
    return [header, *body]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("gbk")


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _time(name: str, data: bytes, setup: CommunitySetup, people: int) -> float:
    start = time.perf_counter()
    table = spreadsheet.read_file(name, data).table
    assert table is not None
    plan = import_plan.validate_table(table, setup, {})
    assert plan.ok and len(plan.people) == people, plan.problems[:3]
    return time.perf_counter() - start


@app.command()
def main(
    people: Annotated[int, typer.Option(help="People in the file.")] = spreadsheet.MAX_ROWS,
    repeats: Annotated[int, typer.Option(help="Runs per format.")] = 5,
    out: Annotated[Path | None, typer.Option(help="Write the results as Markdown here.")] = None,
) -> None:
    scenario = load_scenario(Path("examples/grid.yaml"))
    data = scenario.model_dump(mode="json", by_alias=True)
    setup = CommunitySetup.model_validate({key: data[key] for key in CommunitySetup.model_fields})
    rows = _rows(setup, people)
    files = {"people.csv": _csv(rows), "people.xlsx": _xlsx(rows)}
    lines = [
        "# People import: read and validate a spreadsheet",
        "",
        f"Command: `python -m benchmarks.people_import --people {people} --repeats {repeats}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} "
        "(shared with other work while measured: compare medians).",
        "",
        "| file | size | people | median s | min s | max s |",
        "|---|---|---|---|---|---|",
    ]
    for name, content in files.items():
        times = [_time(name, content, setup, people) for _ in range(repeats)]
        lines.append(
            f"| {name} | {len(content) // 1024} KiB | {people} | {statistics.median(times):.2f} | "
            f"{min(times):.2f} | {max(times):.2f} |"
        )
    text = "\n".join(lines) + "\n"
    typer.echo(text)
    if out is not None:
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    app()

"""Validating a people spreadsheet: every row of a `SheetTable` into a `Person`, or into problems tied to its row
and column (web.people.spreadsheet reads the file). Nothing here writes anything.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from scheduler import Person, Scenario
from web.people import names
from web.people.spreadsheet import COLUMN_BY_ID, COLUMNS, LIMIT_COLUMNS, Problem, SheetTable
from web.store import CommunitySetup
from web.validation import error_messages

_SEPARATORS = re.compile(r"[,，、;；\s]+")
_YES = frozenset(("yes", "y", "true", "1", "是", "可以", "允许", "对", "√", "✓", "active", "在岗"))
_NO = frozenset(("no", "n", "false", "0", "否", "不", "不可以", "不允许", "不行", "×", "inactive", "停用"))
_LANGUAGES = {"zh": "zh", "zh-cn": "zh", "中文": "zh", "汉语": "zh", "chinese": "zh",
              "en": "en", "english": "en", "英文": "en", "英语": "en"}


@dataclass(frozen=True)
class PlannedPerson:
    """A validated person from the file, and whether they are new."""

    row: int
    person: Person
    is_new: bool


@dataclass
class ImportPlan:
    """What an import would do, or why it cannot."""

    people: list[PlannedPerson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> list[PlannedPerson]:
        return [p for p in self.people if p.is_new]

    @property
    def updated(self) -> list[PlannedPerson]:
        return [p for p in self.people if not p.is_new]


def _normal(header: str) -> str:
    text = header.strip().lower().replace("*", "")
    text = re.split(r"[(（\[【]", text, maxsplit=1)[0]  # "姓名 (name)" or "name（必填）"
    return re.sub(r"[\s_\-]+", "", text)


_HEADER_ALIASES: dict[str, str] = {
    _normal(alias): column.id
    for column in COLUMNS
    for alias in (column.id, column.label.en, column.label.zh, *column.aliases)
}


def map_header(table: SheetTable, problems: list[Problem]) -> dict[str, int]:
    """Column id -> index; unknown, repeated and missing required columns are problems of the header row."""
    found: dict[str, int] = {}
    for index, cell in enumerate(table.header):
        if not cell:
            continue
        letter = get_column_letter(index + 1)
        column_id = _HEADER_ALIASES.get(_normal(cell))
        if column_id is None:
            problems.append(Problem("import.problem.unknown_column", table.header_row, None, letter, {"value": cell}))
        elif column_id in found:
            problems.append(Problem("import.problem.duplicate_column", table.header_row, None, letter,
                                    {"value": cell}))
        else:
            found[column_id] = index
    for column in COLUMNS:
        if column.required and column.id not in found:
            problems.append(Problem("import.problem.missing_column", table.header_row, column.id))
    return found


class _RowReader:
    """The cells of one row by column id, collecting problems at their cells."""

    def __init__(self, row: int, cells: list[str], columns: Mapping[str, int], problems: list[Problem]) -> None:
        self.row, self.cells, self.columns, self.problems = row, cells, columns, problems
        self.reported: set[str] = set()
        self.failed = False

    def has(self, column: str) -> bool:
        return column in self.columns

    def text(self, column: str) -> str:
        index = self.columns.get(column)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def problem(self, column: str, key: str, **values: object) -> None:
        index = self.columns.get(column)
        letter = get_column_letter(index + 1) if index is not None else None
        self.problems.append(Problem(key, self.row, column, letter, values))
        self.reported.add(column)
        self.failed = True

    def outside_columns(self, headed: Sequence[bool]) -> None:
        """Values under no header at all (a value under an unknown header is that header's problem)."""
        for index, cell in enumerate(self.cells):
            if cell.strip() and not (index < len(headed) and headed[index]):
                self.problems.append(
                    Problem("import.problem.outside_columns", self.row, None, get_column_letter(index + 1))
                )
                self.failed = True


def _number(reader: _RowReader, column: str, whole: bool) -> float | int | None:
    text = reader.text(column).replace("，", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        reader.problem(column, "import.problem.not_number", value=text)
        return None
    if whole:
        if not value.is_integer():
            reader.problem(column, "import.problem.not_whole", value=text)
            return None
        return int(value)
    return value


def _yes_no(reader: _RowReader, column: str) -> bool | None:
    text = reader.text(column)
    if not text:
        return None
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    reader.problem(column, "import.problem.not_yes_no", value=text)
    return None


def _lookup(names: Mapping[str, str], kind: str, reader: _RowReader, column: str) -> list[str]:
    """Ids from a cell listing ids or names (zh or en, any case), each unknown one reported."""
    ids: list[str] = []
    for token in (t for t in _SEPARATORS.split(reader.text(column)) if t):
        found = names.get(token) or names.get(token.casefold())
        if found is None:
            reader.problem(column, f"import.problem.unknown_{kind}", value=token)
        elif found in ids:
            reader.problem(column, "import.problem.repeated", value=token)
        else:
            ids.append(found)
    return ids


def _role_names(setup: CommunitySetup) -> dict[str, str]:
    names: dict[str, str] = {}
    for role in setup.roles:
        names.update({role.name.zh: role.id, role.name.en.casefold(): role.id, role.id: role.id})
    return names


def _place_names(setup: CommunitySetup) -> dict[str, str]:
    names: dict[str, str] = {}
    for place_id, zh, en in setup.places():
        names.update({zh: place_id, en.casefold(): place_id, place_id: place_id})
    return names


@dataclass(frozen=True)
class _Context:
    setup: CommunitySetup
    columns: Mapping[str, int]
    existing: Mapping[str, Person]
    roles: Mapping[str, str]
    places: Mapping[str, str]
    headed: Sequence[bool]


def _person_data(reader: _RowReader, context: _Context, key: str) -> dict[str, Any]:
    """The person as stored (if on file) with the file's columns laid over it."""
    existing = context.existing.get(key)
    data: dict[str, Any] = existing.model_dump(mode="json", by_alias=True) if existing else {}
    limits: dict[str, Any] = dict(data.get("limits", {}))
    data.update(id=key, name=reader.text("name"))
    roles = _lookup(context.roles, "role", reader, "roles")
    if not reader.text("roles"):
        reader.problem("roles", "import.problem.required")
    data["roles"] = roles
    if reader.has("posts"):
        data["posts"] = _lookup(context.places, "post", reader, "posts") or None
    if reader.has("phone"):
        data["phone"] = reader.text("phone") or None
    if reader.has("language"):
        data["language"] = _language(reader)
    if reader.has("meal_minutes"):
        data["meal_minutes"] = _number(reader, "meal_minutes", whole=True)
    if reader.has("active"):
        active = _yes_no(reader, "active")
        data["active"] = True if active is None else active
    for column in LIMIT_COLUMNS:
        if reader.has(column):
            limits[column] = (
                _yes_no(reader, column) if column == "nights_allowed"
                else _number(reader, column, whole=column in ("max_shifts_per_week", "max_nights_per_week"))
            )
    data["limits"] = limits
    return data


def _language(reader: _RowReader) -> str:
    text = reader.text("language")
    if not text:
        return "zh"
    language = _LANGUAGES.get(text.lower())
    if language is None:
        reader.problem("language", "import.problem.language", value=text)
        return "zh"
    return language


_PYDANTIC_KEYS = {
    "missing": "import.problem.required", "string_too_short": "import.problem.required",
    "too_short": "import.problem.required", "string_too_long": "import.problem.too_long",
    "greater_than_equal": "import.problem.min", "greater_than": "import.problem.min",
    "less_than_equal": "import.problem.max", "less_than": "import.problem.max",
}


def _report_validation(reader: _RowReader, error: ValidationError, key: str) -> None:
    for item in error.errors(include_url=False):
        location = item["loc"]
        nested = location[:1] == ("limits",) and len(location) > 1
        column = str(location[1]) if nested else (str(location[0]) if location else "")
        column = column if column in COLUMN_BY_ID else "id"
        if column in reader.reported:
            continue
        context = item.get("ctx") or {}
        if column == "id" and item["type"] in ("string_pattern_mismatch", "string_too_long", "text_characters"):
            reader.problem("id", "import.problem.bad_id", value=key)
        elif item["type"] == "text_characters":
            reader.problem(column, "import.problem.bad_characters", code=context.get("code", ""))
        elif item["type"] in _PYDANTIC_KEYS:
            bound = next((context[k] for k in ("max_length", "ge", "gt", "le", "lt") if k in context), "")
            reader.problem(column, _PYDANTIC_KEYS[item["type"]], n=bound)
        else:
            reader.problem(column, "import.problem.invalid", value=item["msg"])


def _validate_row(
    row: int, cells: list[str], context: _Context, problems: list[Problem], made_key: str | None = None
) -> Person | None:
    reader = _RowReader(row, cells, context.columns, problems)
    reader.outside_columns(context.headed)
    key = reader.text("id") or made_key or ""
    if not key and reader.text("name"):
        reader.problem("id", "import.problem.required")
    if not reader.text("name"):
        reader.problem("name", "import.problem.required")
    data = _person_data(reader, context, key)
    try:
        person = Person.model_validate(data)
    except ValidationError as error:
        _report_validation(reader, error, key)  # on the cells not already reported
        return None
    if reader.failed:
        return None
    _check_meal_fits(reader, person, context.setup)
    return None if reader.failed else person


def _check_meal_fits(reader: _RowReader, person: Person, setup: CommunitySetup) -> None:
    """The scenario refuses a personal meal break longer than a meal window where the person may work."""
    if person.meal_minutes is None:
        return
    for rule in setup.meal_rules:
        if person.posts is not None and rule.post not in person.posts:
            continue
        for window in rule.windows:
            if person.meal_minutes > window.minutes:
                reader.problem("meal_minutes", "import.problem.meal_too_long", value=person.meal_minutes,
                               window=window.label(), post=rule.post)
                return


def validate_table(table: SheetTable, setup: CommunitySetup, existing: Mapping[str, Person]) -> ImportPlan:
    """Every row checked on its own, then ids across rows, then the community's rules with these people."""
    plan = ImportPlan()
    columns = map_header(table, plan.problems)
    if any(p.key == "import.problem.missing_column" for p in plan.problems):
        return plan
    headed = [bool(cell.strip()) for cell in table.header]
    context = _Context(setup, columns, existing, _role_names(setup), _place_names(setup), headed)
    first_row: dict[str, int] = {}
    made = made_keys(table, columns, existing)
    for row, cells in table.rows:
        person = _validate_row(row, cells, context, plan.problems, made.get(row))
        key = cells[columns["id"]].strip() if "id" in columns and columns["id"] < len(cells) else ""
        if key and key in first_row:
            plan.problems.append(Problem("import.problem.duplicate_id", row, "id", get_column_letter(columns["id"] + 1),
                                         {"value": key, "other": first_row[key]}))
            continue
        first_row.setdefault(key, row)
        if person is not None:
            plan.people.append(PlannedPerson(row, person, person.id not in existing))
    if plan.ok:
        plan.problems.extend(scenario_problems(plan, setup, existing))
    plan.problems.sort(key=lambda p: (p.row or 0, len(p.letter or ""), p.letter or "", p.column or ""))
    return plan


def made_keys(table: SheetTable, columns: Mapping[str, int], existing: Mapping[str, Person]) -> dict[int, str]:
    """Ids for the rows that give a name but no id (or a file with no id column): the id of the one person on file
    with that name when the file names them once (so importing the same file again updates, not doubles), else
    one made from the name (王芳 -> wang-fang, wang-fang-2 when taken on file or in the file)."""

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    given = {cell(cells, "id") for _, cells in table.rows} - {""}
    wanting = [(row, cell(cells, "name")) for row, cells in table.rows if not cell(cells, "id") and cell(cells, "name")]
    on_file = Counter(person.name for person in existing.values())
    key_of = {person.name: person.id for person in existing.values() if on_file[person.name] == 1}
    in_file = Counter(name for _, name in wanting)
    taken = set(existing) | given
    made: dict[int, str] = {}
    for row, name in wanting:
        key = key_of.get(name)
        if key is None or key in given or in_file[name] > 1:
            key = names.new_key(name, taken)
        taken.add(key)
        made[row] = key
    return made


_PERSON_IN_MESSAGE = re.compile(r"people(?:\[\d+\])? \(([^)]+)\)(?:\.(\w+))?")


def scenario_problems(plan: ImportPlan, setup: CommunitySetup, existing: Mapping[str, Person]) -> list[Problem]:
    """A safety net: the community's rules with everyone after the import must make a valid scenario (what
    Generate needs). The rows' own checks catch what a file can break; anything left is tied to its row if the
    engine's message names the person."""
    people = {**existing, **{p.person.id: p.person for p in plan.people}}
    active = [p for p in people.values() if p.active]
    if not active:
        return []
    rows = {p.person.id: p.row for p in plan.people}
    active_ids = {p.id for p in active}
    data = setup.model_dump(mode="json", by_alias=True)
    data.update(
        community="import check", start="2026-01-05", days=7, pins=[], bans=[], history=[],
        people=[p.model_dump(mode="json", by_alias=True) for p in active],
        pairs=[r.model_dump(mode="json") for r in setup.pairs if set(r.people) <= active_ids],
    )
    try:
        Scenario.model_validate(data)
    except ValidationError as error:
        return [_scenario_problem(line, rows) for message in error_messages(error) for line in message.splitlines()]
    return []


def _scenario_problem(line: str, rows: Mapping[str, int]) -> Problem:
    match = _PERSON_IN_MESSAGE.search(line)
    if match and match.group(1) in rows:
        column = match.group(2) if match.group(2) in COLUMN_BY_ID else None
        return Problem("import.problem.scenario", rows[match.group(1)], column, None, {"value": line})
    return Problem("import.problem.scenario", values={"value": line})

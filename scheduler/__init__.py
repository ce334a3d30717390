"""rota's engine: a scenario in, a rota out, checked independently.

This module is the engine's public API; the CLI, the web app and the benchmarks use nothing else of it.

    scenario = load_scenario(path)
    result = solve(scenario, SolveSettings(time_limit=30))
    verdict = check(scenario, result.rota)

Layers, each importing only those before it: `domain` (the vocabulary), `check` (the independent checker: no
OR-Tools, nothing of the model), `model` (CP-SAT), `solve` (the strategies), `reports` (what people read).

Importing this package loads the domain and the checker only: the names of the model, the reports and the solver
(OR-Tools, pandas) are imported on first use (PEP 562), so loading and refusing a scenario file stays quick.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

from scheduler.check import CheckResult, check
from scheduler.check.candidates import REASONS, Candidate, slot_candidates
from scheduler.check.fairness import FairShare, fair_shares, fairness_groups
from scheduler.check.fingerprint import checker_fingerprint
from scheduler.domain import (
    ALL_WEEKDAYS,
    EARLIEST_DAY,
    LABEL_LENGTH,
    LATEST_DAY,
    MAX_FILE_MB,
    MAX_PERIOD_DAYS,
    MAX_PERSON_ITEMS,
    MINUTES_PER_DAY,
    NOTE_LENGTH,
    STORED,
    Absence,
    Assignment,
    AssignmentChange,
    Ban,
    Blocker,
    Break,
    ChangeKind,
    CommunityRules,
    CoverageRule,
    Explanation,
    InputError,
    Label,
    LocalizedText,
    MealRule,
    MealWindow,
    Note,
    ObjectiveWeights,
    PairKind,
    PairRule,
    PastAssignment,
    Penalty,
    Person,
    PersonLimits,
    Pin,
    Post,
    Preference,
    PreferenceKind,
    Role,
    Rota,
    RotaChanges,
    Scenario,
    ScenarioPeriod,
    ShiftCountLimit,
    ShiftTemplate,
    Shortage,
    SolveStatus,
    StaffingSummary,
    Succession,
    Suggestion,
    TeamDuty,
    TimeWindow,
    Violation,
    Weekday,
    WeeklyWindow,
    diff_rotas,
    format_clock,
    load_rota,
    load_scenario,
    parse_clock,
    plain_remark,
)
from scheduler.domain.problems import PREFIX as PROBLEM_PREFIX
from scheduler.reports.catalogue import Words

if TYPE_CHECKING:
    from scheduler.model.constraints.meal_breaks import meal_break_starts, quiet_breaks
    from scheduler.model.timeline import ShiftSlot, shift_slots
    from scheduler.reports.daytext import day_message
    from scheduler.reports.grid import GridEntry, GridRow, MealBreak, PlaceGrid, WeekGrid, week_grid
    from scheduler.reports.ical import PRODID, CalendarOptions, PublishedRota, person_calendar, post_calendar
    from scheduler.reports.labels import (
        Language,
        Place,
        break_label,
        clock,
        date_label,
        half_hours,
        language_of,
        places,
        role_name,
        shift_times,
        slot_labels,
    )
    from scheduler.reports.loads import PersonLoad, ShiftLine, person_loads, staffing_summary
    from scheduler.reports.printing import (
        PHONE_WIDTH_PX,
        phone_image_names,
        phone_pdf,
        print_css,
        print_html,
        print_pdf,
        rasterise,
    )
    from scheduler.solve import (
        Progress,
        RepairInputError,
        RepairProgress,
        RepairResult,
        RepairSettings,
        SolveResult,
        SolveSettings,
        Unavailability,
        parse_moment,
        parse_unavailability,
        relative_gap,
        repair,
        solve,
    )

_LAZY: dict[str, str] = {
    "meal_break_starts": "scheduler.model.constraints.meal_breaks",
    "quiet_breaks": "scheduler.model.constraints.meal_breaks",
    "ShiftSlot": "scheduler.model.timeline",
    "shift_slots": "scheduler.model.timeline",
    "GridEntry": "scheduler.reports.grid",
    "GridRow": "scheduler.reports.grid",
    "MealBreak": "scheduler.reports.grid",
    "PlaceGrid": "scheduler.reports.grid",
    "WeekGrid": "scheduler.reports.grid",
    "week_grid": "scheduler.reports.grid",
    "PRODID": "scheduler.reports.ical",
    "CalendarOptions": "scheduler.reports.ical",
    "PublishedRota": "scheduler.reports.ical",
    "person_calendar": "scheduler.reports.ical",
    "post_calendar": "scheduler.reports.ical",
    "Language": "scheduler.reports.labels",
    "Place": "scheduler.reports.labels",
    "break_label": "scheduler.reports.labels",
    "clock": "scheduler.reports.labels",
    "date_label": "scheduler.reports.labels",
    "language_of": "scheduler.reports.labels",
    "places": "scheduler.reports.labels",
    "role_name": "scheduler.reports.labels",
    "shift_times": "scheduler.reports.labels",
    "half_hours": "scheduler.reports.labels",
    "slot_labels": "scheduler.reports.labels",
    "day_message": "scheduler.reports.daytext",
    "PersonLoad": "scheduler.reports.loads",
    "ShiftLine": "scheduler.reports.loads",
    "person_loads": "scheduler.reports.loads",
    "staffing_summary": "scheduler.reports.loads",
    "PHONE_WIDTH_PX": "scheduler.reports.printing",
    "phone_image_names": "scheduler.reports.printing",
    "phone_pdf": "scheduler.reports.printing",
    "print_css": "scheduler.reports.printing",
    "print_html": "scheduler.reports.printing",
    "print_pdf": "scheduler.reports.printing",
    "rasterise": "scheduler.reports.printing",
    "Progress": "scheduler.solve",
    "RepairInputError": "scheduler.solve",
    "RepairProgress": "scheduler.solve",
    "RepairResult": "scheduler.solve",
    "RepairSettings": "scheduler.solve",
    "SolveResult": "scheduler.solve",
    "SolveSettings": "scheduler.solve",
    "Unavailability": "scheduler.solve",
    "parse_moment": "scheduler.solve",
    "parse_unavailability": "scheduler.solve",
    "relative_gap": "scheduler.solve",
    "repair": "scheduler.solve",
    "solve": "scheduler.solve",
}
"""Public names imported when first used, and the module that defines each."""


if not TYPE_CHECKING:  # hidden from mypy, which then checks every imported name against the imports above

    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


    def __dir__() -> list[str]:
        return sorted({*globals(), *_LAZY})


    class _Engine(types.ModuleType):
        """This package's module type: `scheduler.solve` and `scheduler.check` stay the public functions.

        Importing a subpackage sets it as an attribute of its parent; the function of the same name, imported lazily,
        would then be hidden by the subpackage `scheduler.solve` once anything imports from it.
        """

        def __setattr__(self, name: str, value: object) -> None:
            if name in ("solve", "check") and isinstance(value, types.ModuleType):
                value = getattr(value, name)
            super().__setattr__(name, value)


    sys.modules[__name__].__class__ = _Engine

__all__ = [
    "ALL_WEEKDAYS",
    "EARLIEST_DAY",
    "LABEL_LENGTH",
    "LATEST_DAY",
    "MAX_FILE_MB",
    "MAX_PERIOD_DAYS",
    "MAX_PERSON_ITEMS",
    "MINUTES_PER_DAY",
    "NOTE_LENGTH",
    "PHONE_WIDTH_PX",
    "PROBLEM_PREFIX",
    "PRODID",
    "REASONS",
    "STORED",
    "Absence",
    "Assignment",
    "AssignmentChange",
    "Ban",
    "Blocker",
    "Break",
    "CalendarOptions",
    "Candidate",
    "ChangeKind",
    "CheckResult",
    "CommunityRules",
    "CoverageRule",
    "Explanation",
    "FairShare",
    "GridEntry",
    "GridRow",
    "InputError",
    "Label",
    "Language",
    "LocalizedText",
    "MealBreak",
    "MealRule",
    "MealWindow",
    "Note",
    "ObjectiveWeights",
    "PairKind",
    "PairRule",
    "PastAssignment",
    "Penalty",
    "Person",
    "PersonLimits",
    "PersonLoad",
    "Pin",
    "Place",
    "PlaceGrid",
    "Post",
    "Preference",
    "PreferenceKind",
    "Progress",
    "PublishedRota",
    "RepairInputError",
    "RepairProgress",
    "RepairResult",
    "RepairSettings",
    "Role",
    "Rota",
    "RotaChanges",
    "Scenario",
    "ScenarioPeriod",
    "ShiftCountLimit",
    "ShiftLine",
    "ShiftSlot",
    "ShiftTemplate",
    "Shortage",
    "SolveResult",
    "SolveSettings",
    "SolveStatus",
    "StaffingSummary",
    "Succession",
    "Suggestion",
    "TeamDuty",
    "TimeWindow",
    "Unavailability",
    "Violation",
    "WeekGrid",
    "Weekday",
    "WeeklyWindow",
    "Words",
    "break_label",
    "check",
    "checker_fingerprint",
    "clock",
    "date_label",
    "day_message",
    "diff_rotas",
    "fair_shares",
    "fairness_groups",
    "format_clock",
    "half_hours",
    "language_of",
    "load_rota",
    "load_scenario",
    "meal_break_starts",
    "parse_clock",
    "parse_moment",
    "parse_unavailability",
    "person_calendar",
    "person_loads",
    "phone_image_names",
    "phone_pdf",
    "places",
    "plain_remark",
    "post_calendar",
    "print_css",
    "print_html",
    "print_pdf",
    "quiet_breaks",
    "rasterise",
    "relative_gap",
    "repair",
    "role_name",
    "shift_slots",
    "shift_times",
    "slot_candidates",
    "slot_labels",
    "solve",
    "staffing_summary",
    "week_grid",
]

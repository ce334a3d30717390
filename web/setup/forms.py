"""The set-up forms: what was typed, turned into validated set-up models, or into field-level error messages.

Each kind (role, post, shift, coverage rule, meal rule, team duty, general settings) has its field names, a
`*_values` function giving the form's values for an existing item, and a `build_*` function giving the model or
None with `form.errors` filled in. Bilingual names are two fields, `<prefix>_zh` and `<prefix>_en`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from scheduler import (
    PROBLEM_PREFIX,
    CoverageRule,
    Label,
    LocalizedText,
    MealRule,
    Note,
    ObjectiveWeights,
    PersonLimits,
    Post,
    Role,
    ShiftTemplate,
    Succession,
    TeamDuty,
    TimeWindow,
    format_clock,
)
from web.i18n import Translator
from web.rendering import flash
from web.setup.service import Loc, Problem, SetupRefused, save_setup
from web.store import CommunitySetup, setup_of
from web.tables import Community, Coordinator
from web.validation import field_message

M = TypeVar("M", bound=BaseModel)
Locate = Callable[[Loc, str], str]
"""Maps a pydantic error location (and its message) to the form field it belongs to."""

MAX_WINDOW_ROWS = 8
LIMIT_FIELDS = tuple(name for name in PersonLimits.model_fields if name != "nights_allowed")
ROLE_FIELDS = ("id", "name_zh", "name_en", "mark", "lead", "nights_allowed", *LIMIT_FIELDS)
SHIFT_FIELDS = ("id", "name_zh", "name_en", "start", "hours", "end", "night")
POST_FIELDS = ("id", "name_zh", "name_en", "location", *(f"shift_{name}" for name in SHIFT_FIELDS))
COVERAGE_FIELDS = (
    "name", "post", "dates", "window_start", "window_end", "shift", "role", "min", "max", "min_cost", "max_cost"
)
MEAL_FIELDS = ("post", "minutes", "grid_minutes", "max_away", "middle_cost", "late_cost", "window_rows")
DUTY_FIELDS = ("id", "name_zh", "name_en", "location", "window_start", "window_end", "teams")
SUCCESSION_FIELDS = ("post", "first", "then")
WEIGHT_FIELDS = tuple(ObjectiveWeights.model_fields)
"""The objective weights, each a field `weight_<name>` of the general settings form."""
GENERAL_FIELDS = (
    "name", "timezone", "night_start", "night_end", "coordinator", "language", "nights_allowed", *LIMIT_FIELDS,
    *(f"weight_{name}" for name in WEIGHT_FIELDS),
)

_MODEL_MESSAGES = (
    ("give either 'window' or 'shift'", "setup.window_or_shift"),
    ("give the shift's 'hours'", "setup.hours_or_end"),
    ("give either 'hours' or 'end'", "setup.hours_or_end"),
    ("'end' equals 'start'", "setup.end_equals_start"),
    ("is below min", "setup.max_below_min"),
    ("max_cost needs a max", "setup.max_cost_needs_max"),
    ("does not fit in the window", "setup.break_too_long"),
    ("overlap", "setup.windows_overlap"),
    ("ends after it starts", "setup.window_order"),
    ("window is empty", "setup.window_empty"),
    ("used twice in this post", "setup.duplicate_shift"),
    ("whole number of minutes", "setup.whole_minutes"),
    ("clock time", "setup.clock_invalid"),
    ("minutes must be below 60", "setup.clock_invalid"),
    ("unknown time zone", "setup.timezone_invalid"),
    ("listed twice", "setup.listed_twice"),
)


@dataclass
class SetupForm:
    """Values as typed (strings and ticked lists), one error per field, and problems not tied to a field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, data: FormData, texts: Iterable[str], lists: Iterable[str] = ()) -> SetupForm:
        values: dict[str, Any] = {}
        for name in texts:
            raw = data.get(name)
            values[name] = raw.strip() if isinstance(raw, str) else ""
        for name in lists:
            values[name] = [v.strip() for v in data.getlist(name) if isinstance(v, str) and v.strip()]
        return cls(values=values)

    def text(self, name: str) -> str:
        value = self.values.get(name, "")
        return value if isinstance(value, str) else ""

    def ticked(self, name: str) -> list[str]:
        value = self.values.get(name, [])
        return list(value) if isinstance(value, list) else []

    def fail(self, name: str, message: str) -> None:
        if name == "form":
            self.problems.append(message)
        else:
            self.errors.setdefault(name, message)

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.problems)


# ------------------------------------------------------------------------------------------------- helpers


def _blank_to_none(value: str) -> str | None:
    return value or None


def _number_text(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _put(data: dict[str, Any], key: str, value: str) -> None:
    """Set `key` only when something was typed, so the model's default applies to a blank field."""
    if value:
        data[key] = value


def _name_data(form: SetupForm, prefix: str = "name", optional: bool = False) -> dict[str, str] | None:
    zh, en = form.text(f"{prefix}_zh"), form.text(f"{prefix}_en")
    if optional and not zh and not en:
        return None
    return {"zh": zh, "en": en}


def _name_values(name: LocalizedText | None, prefix: str = "name") -> dict[str, str]:
    return {f"{prefix}_zh": name.zh if name else "", f"{prefix}_en": name.en if name else ""}


def _window_data(form: SetupForm, prefix: str) -> dict[str, str] | None:
    start, end = form.text(f"{prefix}_start"), form.text(f"{prefix}_end")
    return {"start": start, "end": end} if start or end else None


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _tristate_text(value: bool | None) -> str:
    return {None: "", True: "yes", False: "no"}[value]


def limits_values(limits: PersonLimits) -> dict[str, str]:
    """A limits fieldset's values: each limit's number (blank when unset) and `nights_allowed` as yes/no/blank."""
    values = {name: _number_text(getattr(limits, name)) for name in LIMIT_FIELDS}
    values["nights_allowed"] = _tristate_text(limits.nights_allowed)
    return values


def _limits_data(form: SetupForm) -> dict[str, Any]:
    limits: dict[str, Any] = {name: _blank_to_none(form.text(name)) for name in LIMIT_FIELDS}
    limits["nights_allowed"] = _tristate(form.text("nights_allowed"))
    return limits


def _limit_field(loc: Loc) -> str:
    """('limits', 'max_weekends') -> 'max_weekends': a limits fieldset's fields keep the limits' own names."""
    return str(loc[1]) if len(loc) > 1 else "form"


def _model_message_key(message: str) -> str | None:
    return next((key for needle, key in _MODEL_MESSAGES if needle in message), None)


def error_message(item: ErrorDetails, t: Translator) -> str:
    """One pydantic error in the coordinator's language."""
    kind = item["type"]
    shared = field_message(item, t)
    if shared is not None:
        return shared
    if kind == "too_short":
        return t("setup.choose_one")
    if kind == "string_pattern_mismatch":
        return t("setup.id_invalid")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return t("setup.date_invalid")
    own = kind == "value_error" or kind.startswith(PROBLEM_PREFIX)  # a rule's own check, in the engine's words
    key = _model_message_key(str(item["msg"])) if own else None
    return t(key) if key else t("form.invalid")


def validate_into(model: type[M], data: dict[str, Any], form: SetupForm, locate: Locate, t: Translator) -> M | None:
    """The validated model, or None with each error put on its field (what the form caught first wins)."""
    try:
        result = model.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            form.fail(locate(tuple(item["loc"]), str(item["msg"])), error_message(item, t))
        return None
    return None if form.failed else result


def place_problems(
    form: SetupForm, problems: list[Problem], where: Loc, t: Translator, fields: Mapping[str, str] | None = None
) -> None:
    """Reference problems of the item at `where` (e.g. ('coverage', 2)) go on its fields; the rest on the form."""
    for problem in problems:
        inside = bool(where) and len(problem.loc) > len(where) and problem.loc[: len(where)] == where
        name = str(problem.loc[len(where)]) if inside else "form"
        form.fail((fields or {}).get(name, name), problem.render(t))


def _first(loc: Loc) -> str:
    return str(loc[0]) if loc else "form"


def _name_field(loc: Loc, prefix: str = "name") -> str:
    """('name', 'zh') -> 'name_zh'; a missing or wrongly typed name as a whole -> its Chinese field."""
    return f"{prefix}_{loc[1]}" if len(loc) > 1 and loc[1] in ("zh", "en") else f"{prefix}_zh"


def _window_field(loc: Loc, prefix: str = "window") -> str:
    return f"{prefix}_start" if len(loc) > 1 and loc[1] == "start" else f"{prefix}_end"


# --------------------------------------------------------------------------------------------------- roles


def role_values(role: Role) -> dict[str, Any]:
    return {
        "id": role.id, **_name_values(role.name), "mark": role.mark or "", "lead": "yes" if role.lead else "",
        **limits_values(role.limits),
    }


def _locate_role(loc: Loc, message: str) -> str:
    return {"name": _name_field(loc), "limits": _limit_field(loc)}.get(_first(loc), _first(loc))


def build_role(form: SetupForm, t: Translator) -> Role | None:
    data = {
        "id": form.text("id"), "name": _name_data(form), "mark": _blank_to_none(form.text("mark")),
        "lead": form.text("lead") == "yes", "limits": _limits_data(form),
    }
    return validate_into(Role, data, form, _locate_role, t)


# -------------------------------------------------------------------------------------------- posts, shifts


def shift_values(shift: ShiftTemplate | None, prefix: str = "") -> dict[str, Any]:
    if shift is None:
        values: dict[str, Any] = {name: "" for name in SHIFT_FIELDS}
        values["days"] = []
    else:
        values = {
            "id": shift.id, **_name_values(shift.name), "start": format_clock(shift.start),
            "hours": _number_text(shift.hours), "end": format_clock(shift.end) if shift.end is not None else "",
            "night": _tristate_text(shift.night), "days": list(shift.days),
        }
    return {prefix + name: value for name, value in values.items()}


def _shift_data(form: SetupForm, prefix: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": form.text(prefix + "id"), "name": _name_data(form, prefix + "name", optional=True),
        "start": form.text(prefix + "start"), "days": form.ticked(prefix + "days"),
        "night": _tristate(form.text(prefix + "night")),
    }
    _put(data, "hours", form.text(prefix + "hours"))
    _put(data, "end", form.text(prefix + "end"))
    return data


def _locate_shift(loc: Loc, message: str) -> str:
    if _first(loc) == "name":
        return _name_field(loc)
    if not loc and "'end' equals" in message:
        return "end"
    return _first(loc) if loc else "hours"  # the shift's length: 'hours' or 'end' missing (or both given)


def build_shift(form: SetupForm, t: Translator) -> ShiftTemplate | None:
    return validate_into(ShiftTemplate, _shift_data(form), form, _locate_shift, t)


def post_values(post: Post) -> dict[str, Any]:
    return {"id": post.id, **_name_values(post.name), "location": post.location or ""}


def _locate_post(loc: Loc, message: str) -> str:
    if _first(loc) == "shifts":
        return "shift_" + _locate_shift(loc[2:], message) if len(loc) > 2 else "shift_id"
    return _name_field(loc) if _first(loc) == "name" else _first(loc)


def build_post(form: SetupForm, t: Translator, existing: Post | None = None) -> Post | None:
    """A new post with the first shift typed on its form, or `existing` with a new id, name and location."""
    shifts = [s.model_dump(mode="json") for s in existing.shifts] if existing else [_shift_data(form, "shift_")]
    data = {
        "id": form.text("id"), "name": _name_data(form), "location": _blank_to_none(form.text("location")),
        "shifts": shifts,
    }
    return validate_into(Post, data, form, _locate_post, t)


# ------------------------------------------------------------------------------------------------ coverage


def coverage_values(rule: CoverageRule) -> dict[str, Any]:
    window = rule.window
    return {
        "name": rule.id or "", "post": rule.post, "days": list(rule.days),
        "dates": ", ".join(d.isoformat() for d in rule.dates or []),
        "window_start": format_clock(window.start) if window else "",
        "window_end": format_clock(window.end) if window else "",
        "shift": rule.shift or "", "role": rule.role or "", "min": str(rule.min), "max": _number_text(rule.max),
        "min_cost": _number_text(rule.min_cost), "max_cost": _number_text(rule.max_cost),
    }


def _locate_coverage(loc: Loc, message: str) -> str:
    if not loc:
        key = _model_message_key(message)
        return {"setup.max_below_min": "max", "setup.max_cost_needs_max": "max_cost"}.get(key or "", "shift")
    return {"id": "name", "window": _window_field(loc)}.get(_first(loc), _first(loc))


def build_coverage(form: SetupForm, t: Translator) -> CoverageRule | None:
    dates = [part for part in re.split(r"[\s,，、]+", form.text("dates")) if part]
    data: dict[str, Any] = {
        "id": _blank_to_none(form.text("name")), "post": form.text("post"), "days": form.ticked("days"),
        "dates": dates or None, "window": _window_data(form, "window"),
        "shift": _blank_to_none(form.text("shift")), "role": _blank_to_none(form.text("role")),
        "max": _blank_to_none(form.text("max")), "min_cost": _blank_to_none(form.text("min_cost")),
        "max_cost": _blank_to_none(form.text("max_cost")),
    }
    _put(data, "min", form.text("min"))
    return validate_into(CoverageRule, data, form, _locate_coverage, t)


# ---------------------------------------------------------------------------------------------- meal rules


def meal_values(rule: MealRule | None) -> dict[str, Any]:
    windows = rule.windows if rule else []
    values: dict[str, Any] = {
        "post": rule.post if rule else "", "minutes": str(rule.minutes if rule else 45),
        "grid_minutes": str(rule.grid_minutes if rule else 15),
        "max_away": _number_text(rule.max_away if rule else None),
        "middle_cost": str(rule.middle_cost if rule else 0), "late_cost": str(rule.late_cost if rule else 0),
        "shifts": list(rule.shifts or []) if rule else [], "scarce_roles": list(rule.scarce_roles) if rule else [],
        "window_rows": str(min(MAX_WINDOW_ROWS, max(2, len(windows) + 1))),
    }
    for row in range(max(2, len(windows) + 1)):
        window = windows[row] if row < len(windows) else None
        values.update(_name_values(window.name if window else None, f"w{row}"))
        values[f"w{row}_start"] = format_clock(window.start) if window else ""
        values[f"w{row}_end"] = format_clock(window.end) if window else ""
    return values


def window_rows(form: SetupForm) -> int:
    """How many window rows the form shows (a hidden field carries it; kept within 1..MAX_WINDOW_ROWS)."""
    try:
        rows = int(form.text("window_rows"))
    except ValueError:
        rows = 2
    return max(1, min(MAX_WINDOW_ROWS, rows))


def read_meal_form(data: FormData) -> SetupForm:
    form = SetupForm.read(data, MEAL_FIELDS, ("shifts", "scarce_roles"))
    rows = window_rows(form)
    window_fields = [f"w{row}_{part}" for row in range(rows) for part in ("zh", "en", "start", "end")]
    form.values.update(SetupForm.read(data, window_fields).values)
    return form


def _meal_windows(form: SetupForm) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled-in window rows as data, and the row number of each (blank rows are skipped)."""
    windows: list[dict[str, Any]] = []
    rows: list[int] = []
    for row in range(window_rows(form)):
        parts = [form.text(f"w{row}_{part}") for part in ("zh", "en", "start", "end")]
        if any(parts):
            windows.append({"name": {"zh": parts[0], "en": parts[1]}, "start": parts[2], "end": parts[3]})
            rows.append(row)
    return windows, rows


def _meal_locator(rows: list[int]) -> Locate:
    def locate(loc: Loc, message: str) -> str:
        if not loc:
            return "minutes" if _model_message_key(message) == "setup.break_too_long" else "windows"
        if _first(loc) != "windows" or len(loc) < 2 or not isinstance(loc[1], int):
            return _first(loc)
        prefix = f"w{rows[loc[1]]}"
        if len(loc) > 2 and loc[2] == "name":
            return _name_field(loc[2:], prefix)
        return f"{prefix}_start" if len(loc) > 2 and loc[2] == "start" else f"{prefix}_end"

    return locate


def build_meal(form: SetupForm, t: Translator) -> MealRule | None:
    windows, rows = _meal_windows(form)
    data: dict[str, Any] = {
        "post": form.text("post"), "windows": windows, "shifts": form.ticked("shifts") or None,
        "scarce_roles": form.ticked("scarce_roles"), "max_away": _blank_to_none(form.text("max_away")),
    }
    for name in ("minutes", "middle_cost", "late_cost"):
        _put(data, name, form.text(name))
    grid = form.text("grid_minutes")
    _put(data, "grid_minutes", grid)
    if grid.isdigit():  # a literal choice: pydantic does not read "10" as the number 10
        data["grid_minutes"] = int(grid)
    return validate_into(MealRule, data, form, _meal_locator(rows), t)


# --------------------------------------------------------------------------------------------- team duties


def duty_values(duty: TeamDuty) -> dict[str, Any]:
    return {
        "id": duty.id, **_name_values(duty.name), "location": duty.location or "", "days": list(duty.days),
        "window_start": format_clock(duty.window.start), "window_end": format_clock(duty.window.end),
        "roles": list(duty.roles), "teams": str(duty.teams),
    }


def _locate_duty(loc: Loc, message: str) -> str:
    return {"name": _name_field(loc), "window": _window_field(loc)}.get(_first(loc), _first(loc))


def build_duty(form: SetupForm, t: Translator) -> TeamDuty | None:
    data: dict[str, Any] = {
        "id": form.text("id"), "name": _name_data(form), "location": _blank_to_none(form.text("location")),
        "days": form.ticked("days"), "window": _window_data(form, "window") or {}, "roles": form.ticked("roles"),
    }
    _put(data, "teams", form.text("teams"))
    return validate_into(TeamDuty, data, form, _locate_duty, t)


# ------------------------------------------------------------------------------------------ general settings


class GeneralSettings(BaseModel):
    """The community's name and zone (stored on the community) and the set-up's general fields."""

    name: Label = Field(min_length=1, description="Community name.")
    timezone: str = Field(description="IANA time zone of all local times.")
    night_window: TimeWindow = Field(description="A shift overlapping this window is a night shift.")
    coordinator: Note | None = Field(default=None, description="Coordinator's name and phone.")
    language: Literal["zh", "en"] = Field(default="zh", description="The community's language (print-outs).")
    default_limits: PersonLimits = Field(description="Limits for everyone.")
    weights: ObjectiveWeights = Field(description="How much each soft goal counts.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r}") from None
        return name


def general_values(name: str, timezone: str, night_window: TimeWindow, coordinator: str | None,
                   limits: PersonLimits, weights: ObjectiveWeights, language: str = "zh") -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": name, "timezone": timezone, "night_start": format_clock(night_window.start),
        "night_end": format_clock(night_window.end), "coordinator": coordinator or "", "language": language,
        **limits_values(limits),
    }
    values.update({f"weight_{name}": str(getattr(weights, name)) for name in WEIGHT_FIELDS})
    return values


def _locate_general(loc: Loc, message: str) -> str:
    if _first(loc) == "night_window":
        return _window_field(loc, "night")
    if _first(loc) == "default_limits":
        return _limit_field(loc)
    if _first(loc) == "weights":
        return f"weight_{loc[1]}" if len(loc) > 1 else "form"
    return _first(loc)


def build_general(form: SetupForm, t: Translator) -> GeneralSettings | None:
    data = {
        "name": form.text("name"), "timezone": form.text("timezone"),
        "night_window": _window_data(form, "night") or {}, "coordinator": _blank_to_none(form.text("coordinator")),
        "language": form.text("language") or "zh",
        "default_limits": _limits_data(form),
        # A weight left empty is the default one.
        "weights": {name: form.text(f"weight_{name}") for name in WEIGHT_FIELDS if form.text(f"weight_{name}")},
    }
    return validate_into(GeneralSettings, data, form, _locate_general, t)


# ----------------------------------------------------------------------------------------------- successions


def succession_values(rule: Succession) -> dict[str, Any]:
    return {"post": rule.post or "", "first": rule.first, "then": rule.then}


def _locate_succession(loc: Loc, message: str) -> str:
    return {"from": "first", "to": "then"}.get(_first(loc), _first(loc))


def build_succession(form: SetupForm, t: Translator) -> Succession | None:
    for name in ("first", "then"):
        if not form.text(name):
            form.fail(name, t("form.required"))
    data = {"from": form.text("first"), "to": form.text("then"), "post": _blank_to_none(form.text("post"))}
    return validate_into(Succession, data, form, _locate_succession, t)


def _setup_error(item: ErrorDetails, t: Translator) -> str:
    """A whole-set-up model error (the last role or shift removed, a shift id twice) in words."""
    loc = tuple(item["loc"])
    if item["type"] == "too_short" and loc == ("roles",):
        return t("setup.last_role")
    if item["type"] == "too_short" and loc[-1:] == ("shifts",):
        return t("setup.last_shift")
    return error_message(item, t)


def store_setup(
    db: Session, community: Community, user: Coordinator, data: dict[str, Any], form: SetupForm, t: Translator,
    action: str, target: str | None, where: Loc = (), fields: Mapping[str, str] | None = None, **changes: str,
) -> bool:
    """Validate and store the whole set-up `data`; False with the reasons on `form` when it was refused (problems
    of the item at `where` on its fields, named as in `fields` where the form's names differ). `changes` are the
    community's name and time zone, when they change too."""
    try:
        checked = CommunitySetup.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            form.fail("form", _setup_error(item, t))
        return False
    try:
        save_setup(db, community, checked, user.username, action, target, **changes)
    except SetupRefused as refused:
        place_problems(form, refused.problems, where, t, fields)
        return False
    return True


def taken_out(
    community: Community, collection: str, index: int, missing: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The set-up's data with the item at `index` of a list page's `collection` taken out, and that item (404 when
    there is none, saying `missing`)."""
    data = setup_of(community).model_dump(mode="json", by_alias=True)
    if not 0 <= index < len(data[collection]):
        raise HTTPException(404, missing)
    removed: dict[str, Any] = data[collection].pop(index)
    return data, removed


def store_deletion(
    request: Request, t: Translator, db: Session, user: Coordinator, community: Community, data: dict[str, Any],
    action: str, target: str, back: str,
) -> Response:
    """Store the set-up `data` with an item deleted, say whether it was (or why not), and go `back`."""
    form = SetupForm()
    if store_setup(db, community, user, data, form, t, action, target):
        flash(request, t("setup.deleted"))
    else:
        flash(request, t("setup.not_deleted", reasons="; ".join(form.problems)), "error")
    return RedirectResponse(back, status_code=303)

"""The person form: what was typed, turned into a validated `Person`, or into field-level error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from starlette.datastructures import FormData

from scheduler import Person
from web.i18n import Translator
from web.store import CommunitySetup
from web.validation import field_message

LIMIT_FIELDS = ("max_hours_per_week", "max_shifts_per_week", "max_nights_per_week", "min_rest_hours")
TEXT_FIELDS = ("key", "name", "phone", "language", "meal_minutes", "nights_allowed", *LIMIT_FIELDS)
SHOWN_FIELDS = frozenset((*TEXT_FIELDS, "roles", "posts"))


@dataclass
class PersonForm:
    """The values as typed (strings and ticked lists) and one error message per field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_person(cls, person: Person) -> PersonForm:
        limits = person.limits
        values: dict[str, Any] = {
            "key": person.id, "name": person.name, "phone": person.phone or "", "language": person.language,
            "meal_minutes": "" if person.meal_minutes is None else str(person.meal_minutes),
            "roles": list(person.roles), "posts": list(person.posts or []),
            "nights_allowed": {None: "", True: "yes", False: "no"}[limits.nights_allowed],
        }
        for name in LIMIT_FIELDS:
            value = getattr(limits, name)
            values[name] = "" if value is None else _plain_number(value)
        return cls(values=values)

    @classmethod
    def from_form(cls, form: FormData) -> PersonForm:
        values: dict[str, Any] = {}
        for name in TEXT_FIELDS:
            raw = form.get(name)
            values[name] = raw.strip() if isinstance(raw, str) else ""
        values["roles"] = [v for v in form.getlist("roles") if isinstance(v, str)]
        values["posts"] = [v for v in form.getlist("posts") if isinstance(v, str)]
        return cls(values=values)


def limit_sources(setup: CommunitySetup, roles: list[str], t: Translator) -> dict[str, str]:
    """What each limit on the form means when left empty, and where that comes from: the person's roles (the
    strictest of them, as the engine takes it) or the community's default limits."""
    by_roles = setup.role_limits(set(roles))
    sources: dict[str, str] = {}
    for name in (*LIMIT_FIELDS, "nights_allowed"):
        value = getattr(by_roles, name)
        if value is not None:
            givers = [r.name.text(t.lang) for r in setup.roles if r.id in roles and getattr(r.limits, name) == value]
            names = ("、" if t.lang == "zh" else ", ").join(givers)
            sources[name] = t("people.limit_from_roles", value=_limit_text(value, t), roles=names)
        elif (default := getattr(setup.default_limits, name)) is not None:
            sources[name] = t("people.limit_from_community", value=_limit_text(default, t))
        else:
            sources[name] = t("people.no_limit")
    return sources


def _limit_text(value: float | bool, t: Translator) -> str:
    if isinstance(value, bool):
        return t("people.nights_yes") if value else t("people.nights_no")
    return _plain_number(value)


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _none_if_blank(value: str) -> str | None:
    return value or None


def build_person(
    form: PersonForm, setup: CommunitySetup, t: Translator, existing: Person | None = None
) -> Person | None:
    """A validated Person from the form (keeping what the form does not show from `existing`), or None with
    `form.errors` filled in."""
    v = form.values
    limits: dict[str, Any] = existing.limits.model_dump() if existing else {}
    for name in LIMIT_FIELDS:
        limits[name] = _none_if_blank(v[name])
    limits["nights_allowed"] = {"yes": True, "no": False}.get(v["nights_allowed"])
    data: dict[str, Any] = existing.model_dump(mode="json", by_alias=True) if existing else {}
    data.update(
        id=existing.id if existing else v["key"], name=v["name"], roles=v["roles"], phone=_none_if_blank(v["phone"]),
        language=v["language"] or "zh", posts=v["posts"] or None, limits=limits,
        meal_minutes=_none_if_blank(v["meal_minutes"]),
    )
    known_roles = {r.id for r in setup.roles}
    known_places = {place[0] for place in setup.places()}
    if any(role not in known_roles for role in v["roles"]):
        form.errors["roles"] = t("form.invalid")
    if any(post not in known_places for post in v["posts"]):
        form.errors["posts"] = t("form.invalid")
    try:
        person = Person.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            name = _field_of(item["loc"])
            form.errors.setdefault(name, _message(item, name, t))
        return None
    return None if form.errors else person


def _field_of(location: tuple[int | str, ...]) -> str:
    if not location:
        return "form"
    if location[0] == "id":
        return "key"
    name = str(location[1]) if location[0] == "limits" and len(location) > 1 else str(location[0])
    return name if name in SHOWN_FIELDS else "form"


def _message(item: ErrorDetails, name: str, t: Translator) -> str:
    kind = item["type"]
    if name == "roles" and kind == "too_short":
        return t("people.roles_required")
    if name == "key" and kind == "string_pattern_mismatch":
        return t("people.key_invalid")
    return field_message(item, t) or t("form.invalid")

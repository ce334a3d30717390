"""The kinds of set-up item edited by list, add, edit and delete pages, each a small spec: where its pages are,
which list of the set-up holds it, its form, how a typed form becomes the item, and how a list shows it.

`web.setup.pages.item_routes` makes the six routes of a kind from its spec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import HTTPException
from pydantic import BaseModel
from starlette.datastructures import FormData

from scheduler import CoverageRule, MealRule, Post, Role, Succession, TeamDuty
from web.i18n import Translator
from web.setup.forms import (
    COVERAGE_FIELDS,
    DUTY_FIELDS,
    POST_FIELDS,
    ROLE_FIELDS,
    SUCCESSION_FIELDS,
    SetupForm,
    build_coverage,
    build_duty,
    build_meal,
    build_post,
    build_role,
    build_succession,
    coverage_values,
    duty_values,
    meal_values,
    post_values,
    read_meal_form,
    role_values,
    succession_values,
)
from web.setup.views import Row, coverage_row, duty_row, meal_row, post_row, role_row, succession_row
from web.store import CommunitySetup
from web.validation import whole_number

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Kind(Generic[M]):
    """One kind of set-up item edited by list, add, edit and delete pages."""

    path: str
    collection: str
    template: str
    read: Callable[[FormData], SetupForm]
    build: Callable[[SetupForm, Translator, M | None], M | None]
    values: Callable[[M], dict[str, Any]]
    blank: Callable[[], dict[str, Any]]
    key_of: Callable[[M], str]
    row: Callable[[int, M, CommunitySetup, Translator], Row]
    fields: Mapping[str, str] = field(default_factory=dict)
    """Set-up field names that differ from the form's (e.g. a coverage rule's 'id' is the form's 'name')."""
    by_position: bool = False
    """Items without a required id (coverage rules) are found by their position in the list."""

    def items(self, setup: CommunitySetup) -> list[M]:
        items: list[M] = getattr(setup, self.collection)
        return items

    def find(self, setup: CommunitySetup, key: str) -> int:
        """The index of the item with this key; 404 when there is none."""
        if self.by_position:
            index = whole_number(key)
            if index is None or index >= len(self.items(setup)):
                raise HTTPException(404, "no such item")
            return index
        for index, item in enumerate(self.items(setup)):
            if self.key_of(item) == key:
                return index
        raise HTTPException(404, "no such item")

    def rows(self, setup: CommunitySetup, t: Translator) -> list[Row]:
        return [self.row(i, item, setup, t) for i, item in enumerate(self.items(setup))]

    @property
    def title(self) -> str:
        return f"setup.{self.path}.title"


def _read(texts: tuple[str, ...], lists: tuple[str, ...] = ()) -> Callable[[FormData], SetupForm]:
    return lambda data: SetupForm.read(data, texts, lists)


ROLES: Kind[Role] = Kind(
    "roles", "roles", "setup_role.html", _read(ROLE_FIELDS), lambda form, t, old: build_role(form, t),
    role_values, lambda: {name: "" for name in ROLE_FIELDS}, lambda role: role.id,
    lambda i, role, setup, t: role_row(role, t),
)
POSTS: Kind[Post] = Kind(
    "posts", "posts", "setup_post.html", _read(POST_FIELDS, ("shift_days",)), build_post, post_values,
    lambda: {**{name: "" for name in POST_FIELDS}, "shift_days": []}, lambda post: post.id,
    lambda i, post, setup, t: post_row(post, t),
)
COVERAGE: Kind[CoverageRule] = Kind(
    "coverage", "coverage", "setup_coverage.html", _read(COVERAGE_FIELDS, ("days",)),
    lambda form, t, old: build_coverage(form, t), coverage_values,
    lambda: {**{name: "" for name in COVERAGE_FIELDS}, "min": "1", "days": []}, lambda rule: "",
    lambda i, rule, setup, t: coverage_row(i, rule, setup, t), {"id": "name"}, by_position=True,
)
MEALS: Kind[MealRule] = Kind(
    "meals", "meal_rules", "setup_meal.html", read_meal_form, lambda form, t, old: build_meal(form, t),
    meal_values, lambda: meal_values(None), lambda rule: rule.post, lambda i, rule, setup, t: meal_row(rule, setup, t),
)
SUCCESSIONS: Kind[Succession] = Kind(
    "successions", "successions", "setup_succession.html", _read(SUCCESSION_FIELDS),
    lambda form, t, old: build_succession(form, t), succession_values,
    lambda: {name: "" for name in SUCCESSION_FIELDS}, lambda rule: "",
    lambda i, rule, setup, t: succession_row(i, rule, setup, t), {"from": "first", "to": "then"}, by_position=True,
)
DUTIES: Kind[TeamDuty] = Kind(
    "duties", "team_duties", "setup_duty.html", _read(DUTY_FIELDS, ("days", "roles")),
    lambda form, t, old: build_duty(form, t), duty_values,
    lambda: {**{name: "" for name in DUTY_FIELDS}, "teams": "1", "days": [], "roles": []}, lambda duty: duty.id,
    lambda i, duty, setup, t: duty_row(duty, setup, t),
)
KINDS: tuple[Kind[Any], ...] = (ROLES, POSTS, COVERAGE, MEALS, DUTIES, SUCCESSIONS)
"""Every kind, in the order of the set-up overview."""

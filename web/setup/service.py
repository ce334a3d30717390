"""Referential integrity of a community's set-up, and saving it whole.

`setup_problems` lists every id a set-up (or one of the community's people) names without defining it. Each
problem says where (`loc`, a path in the set-up), what is wrong, and who uses the missing thing, so a refused
delete or rename can list who still needs it. `save_setup` writes a set-up only when it has no such problem and
the community's people still make a valid scenario with it, in one transaction with an audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, KeysView, Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.orm import Session

from scheduler import Ban, LocalizedText, Person, Pin
from web.dates import next_monday
from web.i18n import Translator
from web.store import CommunitySetup, audit, build_scenario, people_rows, person_from_row, transaction
from web.tables import Community
from web.validation import error_messages

Loc = tuple[str | int, ...]
ENGLISH = Translator("en")


@dataclass(frozen=True)
class Text:
    """A message key and its values, translated when shown (a bilingual name in the reader's language)."""

    key: str
    values: Mapping[str, str | int | LocalizedText] = field(default_factory=dict)

    def render(self, t: Translator) -> str:
        values = {k: v.text(t.lang) if isinstance(v, LocalizedText) else v for k, v in self.values.items()}
        return t(self.key, **values)


@dataclass(frozen=True)
class Problem:
    """An id used but not defined: where (a path in the set-up), what, and who uses it."""

    loc: Loc
    what: Text
    who: Text

    def render(self, t: Translator) -> str:
        return t("setup.problem", who=self.who.render(t), what=self.what.render(t))


class SetupRefused(Exception):
    """The set-up was not saved; `problems` say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.render(ENGLISH) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class _Known:
    roles: frozenset[str]
    shifts: dict[str, frozenset[str]]
    duties: frozenset[str]
    post_names: dict[str, LocalizedText]
    person_names: dict[str, str]

    @classmethod
    def of(cls, setup: CommunitySetup, people: list[Person]) -> _Known:
        return cls(
            roles=frozenset(r.id for r in setup.roles),
            shifts={p.id: frozenset(s.id for s in p.shifts) for p in setup.posts},
            duties=frozenset(d.id for d in setup.team_duties),
            post_names={p.id: p.name for p in setup.posts},
            person_names={p.id: p.name for p in people},
        )

    def person(self, person_id: str) -> str:
        """How a message names a person: by name when they exist (the coordinator knows names, not ids)."""
        return self.person_names.get(person_id, person_id)

    @property
    def people(self) -> KeysView[str]:
        return self.person_names.keys()

    @property
    def places(self) -> frozenset[str]:
        return frozenset(self.shifts) | self.duties


def _unknown(kind: str, value: str) -> Text:
    return Text(f"setup.unknown.{kind}", {"id": value})


def _unknown_shift(post: str | None, shift: str, known: _Known) -> Text | None:
    """Why `shift` (at `post`, or at any post when None) is unknown; None when it exists."""
    if post is None:
        return None if any(shift in ids for ids in known.shifts.values()) else _unknown("shift", shift)
    if post not in known.shifts:
        return None  # the post itself is reported
    if shift in known.shifts[post]:
        return None
    return Text("setup.unknown.shift_at", {"id": shift, "post": known.post_names[post]})


def _duplicates(setup: CommunitySetup) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, role in enumerate(setup.roles):
        if role.id in seen:
            yield Problem(("roles", i, "id"), Text("setup.duplicate", {"id": role.id}), Text("setup.who.roles"))
        seen.add(role.id)
    seen = set()
    places = [("posts", p.id) for p in setup.posts] + [("team_duties", d.id) for d in setup.team_duties]
    for i, (kind, place) in enumerate(places):
        if place in seen:
            index = i if kind == "posts" else i - len(setup.posts)
            yield Problem((kind, index, "id"), Text("setup.duplicate", {"id": place}), Text("setup.who.places"))
        seen.add(place)
    if not setup.posts and not setup.team_duties:
        yield Problem(("posts",), Text("setup.nothing_to_staff"), Text("setup.who.places"))


def _coverage(setup: CommunitySetup, known: _Known) -> Iterator[Problem]:
    for i, rule in enumerate(setup.coverage):
        who = Text("setup.who.coverage", {"n": i + 1, "label": rule.label()})
        if rule.post not in known.shifts:
            yield Problem(("coverage", i, "post"), _unknown("post", rule.post), who)
        if rule.role is not None and rule.role not in known.roles:
            yield Problem(("coverage", i, "role"), _unknown("role", rule.role), who)
        if rule.shift is not None and (what := _unknown_shift(rule.post, rule.shift, known)):
            yield Problem(("coverage", i, "shift"), what, who)


def _duties(setup: CommunitySetup, known: _Known) -> Iterator[Problem]:
    for i, duty in enumerate(setup.team_duties):
        who = Text("setup.who.duty", {"id": duty.id})
        for role in duty.roles:
            if role not in known.roles:
                yield Problem(("team_duties", i, "roles"), _unknown("role", role), who)


def _meal_rules(setup: CommunitySetup, known: _Known) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, rule in enumerate(setup.meal_rules):
        who = Text("setup.who.meal", {"post": rule.post})
        if rule.post not in known.places:
            yield Problem(("meal_rules", i, "post"), _unknown("place", rule.post), who)
        elif rule.post in seen:
            yield Problem(("meal_rules", i, "post"), Text("setup.meal_twice", {"id": rule.post}), who)
        seen.add(rule.post)
        if rule.shifts is not None and rule.post in known.duties:
            yield Problem(("meal_rules", i, "shifts"), Text("setup.duty_no_shifts", {"id": rule.post}), who)
        shifts = rule.shifts if rule.shifts is not None and rule.post in known.shifts else []
        for shift in shifts:
            if what := _unknown_shift(rule.post, shift, known):
                yield Problem(("meal_rules", i, "shifts"), what, who)
        for role in rule.scarce_roles:
            if role not in known.roles:
                yield Problem(("meal_rules", i, "scarce_roles"), _unknown("role", role), who)


def _successions(setup: CommunitySetup, known: _Known) -> Iterator[Problem]:
    for i, rule in enumerate(setup.successions):
        who = Text("setup.who.succession", {"first": rule.first, "then": rule.then})
        if rule.post is not None and rule.post not in known.shifts:
            yield Problem(("successions", i, "post"), _unknown("post", rule.post), who)
        for name, shift in (("from", rule.first), ("to", rule.then)):
            if what := _unknown_shift(rule.post, shift, known):
                yield Problem(("successions", i, name), what, who)


def _fixed(kind: str, i: int, item: Pin | Ban, known: _Known) -> Iterator[Problem]:
    who = Text(f"setup.who.{kind}", {"person": known.person(item.person), "date": item.date.isoformat()})
    collection = "pins" if kind == "pin" else "bans"
    if item.person not in known.people:
        yield Problem((collection, i, "person"), _unknown("person", item.person), who)
    if item.post not in known.places:
        yield Problem((collection, i, "post"), _unknown("place", item.post), who)
    elif item.shift is not None and item.post in known.duties:
        yield Problem((collection, i, "shift"), Text("setup.duty_no_shifts", {"id": item.post}), who)
    elif item.shift is not None and (what := _unknown_shift(item.post, item.shift, known)):
        yield Problem((collection, i, "shift"), what, who)
    if isinstance(item, Pin) and item.role is not None and item.role not in known.roles:
        yield Problem((collection, i, "role"), _unknown("role", item.role), who)


def _dated(setup: CommunitySetup, known: _Known) -> Iterator[Problem]:
    for i, pin in enumerate(setup.pins):
        yield from _fixed("pin", i, pin, known)
    for i, ban in enumerate(setup.bans):
        yield from _fixed("ban", i, ban, known)
    for i, pair in enumerate(setup.pairs):
        for person in pair.people:
            if person not in known.people:
                first, then = (known.person(p) for p in pair.people)
                who = Text("setup.who.pair", {"first": first, "then": then})
                yield Problem(("pairs", i, "people"), _unknown("person", person), who)
    for i, past in enumerate(setup.history):
        if past.person not in known.people:
            who = Text("setup.who.history", {"person": known.person(past.person)})
            yield Problem(("history", i, "person"), _unknown("person", past.person), who)


def _person(person: Person, setup: CommunitySetup, known: _Known) -> Iterator[Problem]:
    """A person's references; `loc` is the set-up list the missing id should be in."""
    who = Text("setup.who.person", {"name": person.name, "id": person.id})
    for role in person.roles:
        if role not in known.roles:
            yield Problem(("roles",), _unknown("role", role), who)
    for post in person.posts or []:
        if post not in known.places:
            yield Problem(("posts",), _unknown("place", post), who)
    targets: list[tuple[str | None, str | None]] = [(item.post, item.shift) for item in person.shift_limits]
    targets += [(item.post, item.shift) for item in person.preferences]
    for post_id, shift in targets:
        if post_id is not None and post_id not in known.shifts:
            yield Problem(("posts",), _unknown("post", post_id), who)
        elif shift is not None and (what := _unknown_shift(post_id, shift, known)):
            yield Problem(("posts",), what, who)
    if person.meal_minutes is None:
        return
    for i, rule in enumerate(setup.meal_rules):
        if person.posts is not None and rule.post not in person.posts:
            continue
        for window in rule.windows:
            if person.meal_minutes > window.minutes:
                values: dict[str, str | int] = {"minutes": person.meal_minutes, "window": window.label()}
                yield Problem(("meal_rules", i, "windows"), Text("setup.meal_too_short", values), who)


def setup_problems(setup: CommunitySetup, people: list[Person]) -> list[Problem]:
    """Every id the set-up or a person (active or not) names without the set-up defining it."""
    known = _Known.of(setup, people)
    problems = [*_duplicates(setup), *_coverage(setup, known), *_duties(setup, known), *_meal_rules(setup, known)]
    problems += [*_successions(setup, known), *_dated(setup, known)]
    for person in people:
        problems.extend(_person(person, setup, known))
    return problems


def community_people(db: Session, community: Community) -> list[Person]:
    return [person_from_row(row) for row in people_rows(db, community)]


def _scenario_problems(db: Session, community: Community) -> list[Problem]:
    """What keeps the stored set-up and the active people from making a week's scenario (none without people)."""
    if not people_rows(db, community, active_only=True):
        return []
    try:
        build_scenario(db, community, next_monday(dt.date.today()))
    except ValidationError as error:
        return [
            Problem((), Text("setup.scenario_invalid", {"error": message}), Text("setup.who.scenario"))
            for message in error_messages(error)
        ]
    return []


def save_setup(
    db: Session, community: Community, setup: CommunitySetup, actor: str, action: str, target: str | None,
    *, name: str | None = None, timezone: str | None = None, via: str = "page",
) -> None:
    """Store the whole set-up (and the community's name and zone) in one transaction, or raise SetupRefused."""
    problems = setup_problems(setup, community_people(db, community))
    if problems:
        raise SetupRefused(problems)
    with transaction(db):
        community.setup = setup.model_dump(mode="json", by_alias=True)
        if name is not None:
            community.name = name
        if timezone is not None:
            community.timezone = timezone
        db.flush()
        problems = _scenario_problems(db, community)
        if problems:
            raise SetupRefused(problems)  # rolls the transaction back
        audit(db, actor, action, target, via=via)

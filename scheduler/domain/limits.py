"""How much one scenario may hold: generous for any community, finite for the engine and for every reader.

A scenario file, an API body or a stored set-up past these limits is refused before any model is built (see
`size_problems`, used by `load_scenario`); the models carry the same limits as `max_length` on their lists, so
`rota schema` documents them (maxItems) and the web app's JSON bodies are held to them too. docs/rules.md,
"Limits of a scenario", lists them.

Coverage rules stop at 1,000: a file repeating one rule 2,000 times by YAML aliases used to keep the engine busy
for minutes, and no community needs more than a few per post.
"""

from __future__ import annotations

from collections.abc import Mapping

MAX_FILE_MB = 5
"""Largest scenario file read by default (`rota ... --max-file-mb` raises it)."""
ROTA_FILE_FACTOR = 10
"""A rota file may be this many times larger: the rota of a scenario at the limits lists tens of thousands of
shifts."""
MAX_YAML_NODES = 1_000_000
"""Most YAML nodes once every alias is expanded (a 'billion laughs' file expands to far more)."""
MAX_ALIAS_NODES = 100_000
"""Most nodes aliases may add beyond the document as written, however large it is: a small file cannot stand for
a large one."""

MAX_PEOPLE = 5_000
MAX_ROLES = 100
MAX_POSTS = 200
MAX_TEAM_DUTIES = 200
MAX_SHIFTS_PER_POST = 50
MAX_COVERAGE_RULES = 1_000
MAX_MEAL_RULES = MAX_POSTS + MAX_TEAM_DUTIES
MAX_MEAL_WINDOWS = 10
MAX_SUCCESSIONS = 1_000
MAX_PAIRS = 5_000
MAX_PINS = 50_000
MAX_BANS = 50_000
MAX_HISTORY = 100_000
MAX_DATES = 366
MAX_PERSON_ITEMS = 400
"""Most availability windows, absences, preferences, shift limits, roles or posts on one person."""

TOP_LEVEL: Mapping[str, int] = {
    "people": MAX_PEOPLE,
    "roles": MAX_ROLES,
    "posts": MAX_POSTS,
    "team_duties": MAX_TEAM_DUTIES,
    "coverage": MAX_COVERAGE_RULES,
    "meal_rules": MAX_MEAL_RULES,
    "successions": MAX_SUCCESSIONS,
    "pairs": MAX_PAIRS,
    "pins": MAX_PINS,
    "bans": MAX_BANS,
    "history": MAX_HISTORY,
}
PER_PERSON = ("roles", "posts", "availability", "absences", "preferences", "shift_limits")


def _too_many(where: str, items: object, limit: int) -> str | None:
    if isinstance(items, list) and len(items) > limit:
        return f"{where}: {len(items):,} items, more than the limit of {limit:,}"
    return None


def size_problems(data: object) -> list[str]:
    """Lists in raw scenario data (as read from a file, before any model) longer than their limit, one message
    each naming the field."""
    if not isinstance(data, Mapping):
        return []
    problems: list[str | None] = [_too_many(key, data.get(key), limit) for key, limit in TOP_LEVEL.items()]
    days = data.get("days")
    if isinstance(days, int) and not isinstance(days, bool) and days > MAX_DATES:
        problems.append(f"days: {days:,}, more than the limit of {MAX_DATES}")
    people = data.get("people")
    if isinstance(people, list) and len(people) <= MAX_PEOPLE:
        for i, person in enumerate(people):
            if isinstance(person, Mapping):
                problems += [_too_many(f"people[{i}].{key}", person.get(key), MAX_PERSON_ITEMS) for key in PER_PERSON]
    posts = data.get("posts")
    if isinstance(posts, list) and len(posts) <= MAX_POSTS:
        for i, post in enumerate(posts):
            if isinstance(post, Mapping):
                problems.append(_too_many(f"posts[{i}].shifts", post.get("shifts"), MAX_SHIFTS_PER_POST))
    return [problem for problem in problems if problem is not None]

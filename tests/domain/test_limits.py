"""Bounded scenario files: size, YAML alias expansion and counts are refused quickly, before any model is built."""

from __future__ import annotations

import copy
import json
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scheduler import Scenario
from scheduler.cli import app
from scheduler.domain import limits
from scheduler.domain.files import InputError, load_scenario
from tests.domain.test_files import BASE, ENV

HEAD = """community: T
start: 2026-12-07
roles: [{id: sec, name: Sec}]
posts: [{id: gate, name: Gate, shifts: [{id: day, start: "08:00", hours: 8}]}]
people: [{id: a, name: A, roles: [sec]}]
"""


def _laughs() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return HEAD + "\n".join(lines) + "\n"


def _repeated_rule(times: int) -> str:
    rule = 'rule: &r {post: gate, window: {start: "08:00", end: "16:00"}, min: 1}\n'
    return HEAD + rule + "coverage: [" + ", ".join(["*r"] * times) + "]\n"


def _refused(path: Path) -> list[str]:
    """The problems of a refused file, checked to come within 2 s and 50 MB of new memory."""
    tracemalloc.start()
    began = time.perf_counter()
    try:
        with pytest.raises(InputError) as caught:
            load_scenario(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - began < 2
    assert peak < 50 * 1024 * 1024
    return caught.value.problems


def _cli(path: Path, tmp_path: Path, *extra: str) -> Any:
    return CliRunner().invoke(app, ["solve", str(path), "--out", str(tmp_path / "out"), *extra], env=ENV)


def test_billion_laughs(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(), encoding="utf-8")
    assert any("expands to more than" in p for p in _refused(path))
    result = _cli(path, tmp_path)
    assert result.exit_code == 2
    assert "expands to more than 1,000,000 nodes" in result.output
    assert not (tmp_path / "out").exists()


def test_a_rule_repeated_by_aliases(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(_repeated_rule(2000), encoding="utf-8")
    assert _refused(path) == ["coverage: 2,000 items, more than the limit of 1,000"]
    assert _cli(path, tmp_path).exit_code == 2


def test_aliases_may_not_multiply_a_file(tmp_path: Path) -> None:
    # each alias stands for 1,001 nodes: 200 of them add far more than the document as written
    path = tmp_path / "amplified.yaml"
    block = "big: &b [" + ", ".join(["x"] * 1000) + "]\n"
    path.write_text(HEAD + block + "more: [" + ", ".join(["*b"] * 200) + "]\n", encoding="utf-8")
    assert any("aliases add" in p for p in _refused(path))


def test_aliases_that_share_a_block_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "shared.yaml"
    people = "\n".join(f"  - {{id: p{i}, name: P{i}, roles: [sec], availability: *week}}" for i in range(300))
    head = HEAD.replace("people: [{id: a, name: A, roles: [sec]}]\n", "")
    window = 'week: &week [{days: [mon, tue, wed, thu, fri], start: "07:00", end: "18:00"}]\n'
    path.write_text(head + window + "people:\n" + people + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:  # 'week' is no scenario field: the aliases themselves were read
        load_scenario(path)
    assert caught.value.problems == ["week: Extra inputs are not permitted"]


def test_a_yaml_that_contains_itself(tmp_path: Path) -> None:
    path = tmp_path / "self.yaml"
    path.write_text(HEAD + "loop: &x [1, *x]\n", encoding="utf-8")
    assert _refused(path) == ["the YAML contains itself through an alias"]


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(HEAD + "# " + "x" * (6 * 1024 * 1024) + "\n", encoding="utf-8")
    assert _refused(path) == ["the file is larger than 5 MB, the limit (rota's --max-file-mb raises it)"]
    result = _cli(path, tmp_path)
    assert result.exit_code == 2
    assert "larger than 5 MB" in result.output
    # raised: the file is read, and refused for what it says instead (a plain comment is no scenario problem)
    raised = _cli(path, tmp_path, "--max-file-mb", "7", "--time-limit", "1")
    assert "larger than" not in raised.output
    assert load_scenario(path, max_mb=7).community == "T"


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"community": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(InputError):
        load_scenario(path)


@pytest.mark.parametrize(
    ("field", "limit"),
    [("people", limits.MAX_PEOPLE), ("posts", limits.MAX_POSTS), ("coverage", limits.MAX_COVERAGE_RULES),
     ("meal_rules", limits.MAX_MEAL_RULES), ("team_duties", limits.MAX_TEAM_DUTIES), ("pins", limits.MAX_PINS),
     ("bans", limits.MAX_BANS), ("history", limits.MAX_HISTORY)],
)
def test_counts_are_checked_before_any_model(tmp_path: Path, field: str, limit: int) -> None:
    data = copy.deepcopy(BASE)
    data[field] = [{}] * (limit + 1)  # not even valid items: the count is refused first
    path = tmp_path / "many.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert _refused(path) == [f"{field}: {limit + 1:,} items, more than the limit of {limit:,}"]


def test_per_person_and_per_post_counts(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["people"][0]["absences"] = [{"date": "2026-12-08"}] * (limits.MAX_PERSON_ITEMS + 1)
    data["posts"][0]["shifts"] = [{}] * (limits.MAX_SHIFTS_PER_POST + 1)
    data["days"] = 400
    path = tmp_path / "many.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = _refused(path)
    assert "people[0].absences: 401 items, more than the limit of 400" in problems
    assert "posts[0].shifts: 51 items, more than the limit of 50" in problems
    assert "days: 400, more than the limit of 366" in problems


def test_the_models_carry_the_limits() -> None:
    schema = Scenario.model_json_schema()
    assert schema["properties"]["people"]["maxItems"] == limits.MAX_PEOPLE
    assert schema["properties"]["coverage"]["maxItems"] == limits.MAX_COVERAGE_RULES
    data = copy.deepcopy(BASE)
    data["coverage"] = [{"post": "gate", "min": 0}] * (limits.MAX_COVERAGE_RULES + 1)
    with pytest.raises(ValueError, match="at most 1000 items"):
        Scenario.model_validate(data)


def test_a_rota_file_may_be_ten_times_larger(tmp_path: Path) -> None:
    from scheduler.domain.files import load_rota

    path = tmp_path / "rota.json"
    path.write_text(json.dumps({"x": "y" * (6 * 1024 * 1024)}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rota(path)
    assert not any("larger than" in p for p in caught.value.problems)  # read, then refused for what it says
    with pytest.raises(InputError) as caught:
        load_rota(path, max_mb=0.5)
    assert caught.value.problems == ["the file is larger than 5 MB, the limit (rota's --max-file-mb raises it)"]

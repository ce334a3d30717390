"""Reading scenario files: every malformed input is refused with a message naming the file, the field and the
problem, both by `load_scenario` and by `rota solve` (exit 2, nothing written, the --out folder not created).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain.files import InputError, load_rota, load_scenario
from scheduler.domain.scenario import Scenario

# Rich wraps long lines at the console width; a wide console keeps each message on one line.
ENV = {"COLUMNS": "500", "NO_COLOR": "1", "LC_ALL": "C.UTF-8", "LC_MESSAGES": "C.UTF-8", "LANG": "C.UTF-8"}
"""A wide terminal without colour, in an English locale (the CLI's default language is the locale's)."""

BASE: dict[str, Any] = {
    "community": "Test",
    "timezone": "Asia/Shanghai",
    "start": "2026-12-07",
    "days": 2,
    "roles": [{"id": "sec", "name": "Security"}, {"id": "vol", "name": "Volunteer"}],
    "posts": [
        {
            "id": "gate",
            "name": "Gate",
            "shifts": [{"id": "day", "start": "08:00", "hours": 12}, {"id": "night", "start": "20:00", "hours": 12}],
        }
    ],
    "people": [
        {"id": "alice", "name": "Alice", "roles": ["sec"]},
        {"id": "bob", "name": "Bob", "roles": ["sec", "vol"], "absences": [{"date": "2026-12-08"}]},
        {
            "id": "carol",
            "name": "Carol",
            "roles": ["vol"],
            "availability": [{"days": ["mon", "tue"], "start": "06:00", "end": "22:00"}],
        },
        {"id": "dave", "name": "Dave", "roles": ["vol"]},
    ],
    "coverage": [
        {"post": "gate", "min": 1},
        {"post": "gate", "role": "sec", "min": 1, "window": {"start": "08:00", "end": "20:00"}},
    ],
    "pins": [{"person": "alice", "date": "2026-12-07", "post": "gate", "shift": "day"}],
    "history": [{"person": "dave", "start": "2026-12-06T20:00:00", "end": "2026-12-07T08:00:00", "post": "gate"}],
}
"""A small valid scenario; each malformed case changes one thing in it."""


def mutate(change: Callable[[dict[str, Any]], object]) -> str:
    data = copy.deepcopy(BASE)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _set(target: Callable[[dict[str, Any]], dict[str, Any]], **values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: target(data).update(values)


# (case id, file name, file text, field path expected in the message or None, words of the problem)
CASES: list[tuple[str, str, str, str | None, list[str]]] = [
    ("days-as-word", "s.yaml", mutate(_set(lambda d: d, days="seven")), "days", ["valid integer"]),
    (
        "hours-as-word",
        "s.yaml",
        mutate(_set(lambda d: d["posts"][0]["shifts"][0], hours="abc")),
        "posts[0] (gate).shifts[0] (day).hours",
        ["valid number"],
    ),
    (
        "unknown-person-in-pin",
        "s.yaml",
        mutate(_set(lambda d: d["pins"][0], person="zoe")),
        "pins[0].person",
        ["unknown person", "'zoe'"],
    ),
    (
        "unknown-role-of-person",
        "s.yaml",
        mutate(lambda d: d["people"][2]["roles"].append("medic")),
        "people[2] (carol).roles",
        ["unknown role", "'medic'"],
    ),
    (
        "unknown-post-in-coverage",
        "s.yaml",
        mutate(_set(lambda d: d["coverage"][1], post="gaet")),
        "coverage[1].post",
        ["unknown post", "'gaet'"],
    ),
    (
        "availability-start-equals-end",
        "s.yaml",
        mutate(_set(lambda d: d["people"][2]["availability"][0], end="06:00")),
        "people[2] (carol).availability[0]",
        ["empty", "start equals end"],
    ),
    (
        "coverage-window-start-equals-end",
        "s.yaml",
        mutate(_set(lambda d: d["coverage"][1], window={"start": "08:00", "end": "08:00"})),
        "coverage[1].window",
        ["empty", "start equals end"],
    ),
    (
        "absence-end-before-start",
        "s.yaml",
        mutate(_set(lambda d: d["people"][1]["absences"][0], start="14:00", end="10:00")),
        "people[1] (bob).absences[0]",
        ["'end' must be after 'start'"],
    ),
    (
        "absence-until-before-date",
        "s.yaml",
        mutate(_set(lambda d: d["people"][1]["absences"][0], until="2026-12-06")),
        "people[1] (bob).absences[0]",
        ["'until'", "2026-12-06", "before", "2026-12-08"],
    ),
    (
        "history-end-before-start",
        "s.yaml",
        mutate(_set(lambda d: d["history"][0], end="2026-12-06T07:00:00")),
        "history[0]",
        ["'end' must be after 'start'"],
    ),
    (
        "unknown-time-zone",
        "s.yaml",
        mutate(_set(lambda d: d, timezone="Asia/Beijing")),
        "timezone",
        ["unknown time zone", "'Asia/Beijing'"],
    ),
    ("empty-file", "s.yaml", "", None, ["empty"]),
    ("blank-file", "s.yaml", "  \n\n", None, ["empty"]),
    ("yaml-syntax", "s.yaml", "community: Test\nroles: [sec, vol\npeople: none\n", None, ["line 3", "invalid YAML"]),
    ("top-level-list", "s.yaml", "- community: Test\n- days: 2\n", None, ["mapping", "top level"]),
    ("top-level-scalar", "s.yaml", "just some words\n", None, ["mapping", "top level"]),
    (
        "unknown-field",
        "s.yaml",
        mutate(lambda d: d["people"][0].update(rolse=d["people"][0].pop("roles"))),
        "people[0] (alice).rolse",
        ["not permitted"],
    ),
    (
        "unknown-top-level-field",
        "s.yaml",
        mutate(lambda d: d.update(coverge=d.pop("coverage"))),
        "coverge",
        ["not permitted"],
    ),
    (
        "bare-number-clock-time",
        "s.yaml",
        mutate(_set(lambda d: d["posts"][0]["shifts"][0], start=8)),
        "posts[0] (gate).shifts[0] (day).start",
        ["in quotes", "number 8"],
    ),
    (
        "bare-number-window-end",
        "s.yaml",
        mutate(_set(lambda d: d["coverage"][1]["window"], end=20)),
        "coverage[1].window.end",
        ["in quotes", "number 20"],
    ),
    ("json-syntax", "s.json", '{"community": "Test",\n "days": }\n', None, ["line 2", "invalid JSON"]),
    (
        "json-wrong-type",
        "s.json",
        json.dumps({**BASE, "days": "seven"}, indent=1),
        "days",
        ["valid integer"],
    ),
]
CASE_IDS = [case[0] for case in CASES]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_base_scenario_is_valid(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, "s.yaml", mutate(lambda d: None)))
    assert [p.id for p in scenario.people] == ["alice", "bob", "carol", "dave"]
    assert scenario.posts[0].shifts[0].start == 8 * 60


@pytest.mark.parametrize(("name", "text", "field", "words"), [case[1:] for case in CASES], ids=CASE_IDS)
def test_load_scenario_names_field_and_problem(
    tmp_path: Path, name: str, text: str, field: str | None, words: list[str]
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    error = caught.value
    assert error.path == path
    assert str(path) in str(error)
    matching = [p for p in error.problems if field is None or field in p]
    assert matching, f"no problem names {field!r}: {error.problems}"
    assert any(all(word in p for word in words) for p in matching), error.problems


@pytest.mark.parametrize(("name", "text", "field", "words"), [case[1:] for case in CASES], ids=CASE_IDS)
def test_solve_refuses_malformed_scenario(
    runner: CliRunner, tmp_path: Path, name: str, text: str, field: str | None, words: list[str]
) -> None:
    path = write(tmp_path, name, text)
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), "--workers", "1"], env=ENV)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    output = one_line(result.output)
    assert "Invalid input" in output
    assert str(path) in output
    if field is not None:
        assert field in output
    for word in words:
        assert word in output
    assert "Traceback" not in output
    assert not out.exists(), "nothing may be written for invalid input, not even the --out folder"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("pins[0].person", "unknown person 'zoe'"),
        ("people[2] (carol).roles", "unknown role 'medic'"),
        ("coverage[1].post", "unknown post 'gaet'"),
    ],
)
def test_unknown_reference_message_is_located(tmp_path: Path, field: str, message: str) -> None:
    """The exact text of cross-reference errors: '<field path>: unknown <kind> <id>' (prefix checked below)."""
    changes: dict[str, Callable[[dict[str, Any]], object]] = {
        "pins[0].person": _set(lambda d: d["pins"][0], person="zoe"),
        "people[2] (carol).roles": lambda d: d["people"][2]["roles"].append("medic"),
        "coverage[1].post": _set(lambda d: d["coverage"][1], post="gaet"),
    }
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, "s.yaml", mutate(changes[field])))
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].endswith(f"{field}: {message}")


def test_unknown_reference_message_has_no_top_level_prefix(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, "s.yaml", mutate(_set(lambda d: d["pins"][0], person="zoe"))))
    assert caught.value.problems == ["pins[0].person: unknown person 'zoe'"]


def test_field_value_errors_name_the_whole_path(tmp_path: Path) -> None:
    """Several problems at once are all reported, each with its own path."""
    text = mutate(
        lambda d: (
            d.update(days="seven"),
            d["posts"][0]["shifts"][1].update(hours=30),
            d["people"][3].update(language="fr"),
        )
    )
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, "s.yaml", text))
    problems = caught.value.problems
    assert len(problems) == 3, problems
    assert problems[0].startswith("days: ")
    assert any(p.startswith("posts[0] (gate).shifts[1] (night).hours: ") and "24" in p for p in problems)
    assert any(p.startswith("people[3] (dave).language: ") for p in problems)


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, "s.yaml", "community: Test\nroles: [sec, vol\npeople: none\n"))
    assert caught.value.problems[0].startswith("line 3, column ")


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(tmp_path / "nope.yaml"), "--out", str(out)], env=ENV)
    assert result.exit_code == 2
    assert "file not found" in result.output
    assert not out.exists()


def test_clock_times_stay_text_in_yaml(tmp_path: Path) -> None:
    """YAML 1.1 would read an unquoted 16:00 as the number 960; the loader keeps it a clock time."""
    text = mutate(lambda d: None).replace("'20:00'", "20:00")
    assert "start: 20:00" in text
    scenario = load_scenario(write(tmp_path, "s.yaml", text))
    assert scenario.posts[0].shifts[1].start == 20 * 60


def test_json_scenario_loads_like_yaml(tmp_path: Path) -> None:
    from_json = load_scenario(write(tmp_path, "s.json", json.dumps(BASE)))
    from_yaml = load_scenario(write(tmp_path, "s.yaml", mutate(lambda d: None)))
    assert from_json == from_yaml
    assert isinstance(from_json, Scenario)


def test_json_scenario_solves(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", json.dumps(BASE, indent=2))
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), "--workers", "1", "--quiet"], env=ENV)
    assert result.exit_code == 0, result.output
    assert load_rota(out / "rota.json").assignments


def test_malformed_rota_json(tmp_path: Path) -> None:
    path = write(tmp_path, "rota.json", json.dumps({"community": "Test", "days": "two"}))
    with pytest.raises(InputError) as caught:
        load_rota(path)
    problems = caught.value.problems
    assert any(p.startswith("days: ") for p in problems)
    assert any(p.startswith("assignments: ") and "required" in p for p in problems)


@pytest.mark.parametrize("parts", [("rota [draft].yaml",), ("x[", "y].yaml")], ids=["tag", "closing-tag"])
def test_input_error_shows_path_with_brackets_verbatim(
    runner: CliRunner, tmp_path: Path, parts: tuple[str, ...]
) -> None:
    path = tmp_path.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(mutate(_set(lambda d: d, days="seven")), encoding="utf-8")
    result = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out")], env=ENV)
    assert result.exit_code == 2
    assert str(path) in one_line(result.output)


def test_every_broken_reference_is_reported_at_once(tmp_path: Path) -> None:
    """A coordinator fixes a file in one pass: each bad reference gets its own line with its own path."""

    def break_three(data: dict[str, Any]) -> None:
        data["pins"][0]["person"] = "zoe"
        data["people"][0]["roles"] = ["nobody"]
        data["coverage"][0]["post"] = "nowhere"

    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, "s.yaml", mutate(break_three)))
    problems = caught.value.problems
    assert len(problems) == 3
    assert any(p.startswith("pins[0].person: unknown person 'zoe'") for p in problems)
    assert any(".roles: unknown role 'nobody'" in p and p.startswith("people[0]") for p in problems)
    assert any(p.startswith("coverage[0].post: unknown post 'nowhere'") for p in problems)

"""The `rota` command line: solve (exit 0/3/4), check (exit 0/1/2) and schema."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import scheduler.cli
from scheduler.check import check
from scheduler.cli import app
from scheduler.domain.explanation import Explanation
from scheduler.domain.files import load_rota, load_scenario
from scheduler.domain.rota import Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.solve.run import SolveResult, SolveStats, solve
from scheduler.solve.settings import SolveSettings
from tests.domain.test_files import BASE, ENV

ROOT = Path(__file__).resolve().parent.parent
CHECKPOINT = ROOT / "examples" / "checkpoint.yaml"
GRID = ROOT / "examples" / "grid.yaml"
OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_scenario(folder: Path, data: dict[str, Any], name: str = "scenario.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def infeasible_data() -> dict[str, Any]:
    """Three security officers needed 08:00–20:00 at the gate, but only alice and bob are security officers."""
    data = copy.deepcopy(BASE)
    data["coverage"] = [{"post": "gate", "role": "sec", "min": 3, "window": {"start": "08:00", "end": "20:00"}}]
    return data


def assert_rota_contract(raw: dict[str, Any]) -> None:
    """Every assignment in rota.json names a person, a post or a duty, a role, and times with a UTC offset."""
    assert raw["assignments"]
    for a in raw["assignments"]:
        assert a["person"]
        assert (a.get("post") is None) != (a.get("duty") is None), a
        if a.get("post") is not None:
            assert a["shift"], a
        assert a["role"]
        assert OFFSET.search(a["start"]), a
        assert OFFSET.search(a["end"]), a
        assert a["start"] < a["end"] or a["start"][:10] < a["end"][:10], a


# ----------------------------------------------------------------------------------------------- solve


@pytest.mark.slow
def test_solve_checkpoint_example(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["solve", str(CHECKPOINT), "--out", str(out), "--time-limit", "60", "--workers", "2"], env=ENV
    )
    assert result.exit_code == 0, result.output
    rota_file = out / "rota.json"
    assert rota_file.exists()
    assert f"Wrote {rota_file}" in " ".join(result.output.split())
    # The fewest people the rules allow (3 a night, 5 a day or evening shift), and the solve says so.
    assert "91 shifts, 728 person-hours at the posts: the fewest possible." in " ".join(result.output.split())
    raw = json.loads(rota_file.read_text(encoding="utf-8"))
    assert_rota_contract(raw)
    rota = Rota.model_validate(raw)
    assert rota.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert all(a.start.utcoffset() is not None and a.end.utcoffset() is not None for a in rota.assignments)
    assert {a.duty for a in rota.assignments if a.duty} == {"screening"}
    scenario = load_scenario(CHECKPOINT)
    checked = check(scenario, rota)
    assert checked.violations == []
    assert rota.objective is not None
    assert checked.objective == pytest.approx(rota.objective, abs=1e-6)
    # The command line checker agrees.
    again = runner.invoke(app, ["check", str(CHECKPOINT), str(rota_file)], env=ENV)
    assert again.exit_code == 0, again.output
    assert "Every hard rule holds" in again.output
    assert "91 shifts, 728 person-hours at the posts: the fewest possible." in " ".join(again.output.split())


def test_solve_small_scenario(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(tmp_path, BASE)
    out = tmp_path / "deep" / "out"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), "--workers", "1"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "Best rota, proven: no rota costs less." in result.output
    assert "Alice" in result.output  # the printed rota uses names
    raw = json.loads((out / "rota.json").read_text(encoding="utf-8"))
    assert_rota_contract(raw)
    rota = load_rota(out / "rota.json")
    assert check(load_scenario(path), rota).violations == []
    assert not (out / "explanation.json").exists()


def test_solve_with_default_workers(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(tmp_path, BASE)
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), "--time-limit", "5"], env=ENV)
    assert result.exit_code == 0, repr(result.exception)
    assert (out / "rota.json").exists()


def test_solve_infeasible_explains(runner: CliRunner, tmp_path: Path) -> None:
    path = write_scenario(tmp_path, infeasible_data())
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), "--workers", "1"], env=ENV)
    assert result.exit_code == 3, result.output
    output = " ".join(result.output.split())
    assert "No rota" in output
    assert "Gate" in output  # the post, by name
    assert "Security" in output  # the role, by name
    assert "Smallest change" in output
    assert not (out / "rota.json").exists()
    explanation = Explanation.model_validate_json((out / "explanation.json").read_text(encoding="utf-8"))
    assert explanation.summary
    assert explanation.suggestions
    assert {s.place for s in explanation.suggestions} == {"gate"}
    assert {s.role for s in explanation.suggestions} == {"sec"}
    # Monday: two officers for three places; Tuesday: bob is away, so alice is the only one.
    assert [(s.start.day if s.start else None, s.extra_people) for s in explanation.suggestions] == [(7, 1), (8, 2)]
    assert [(s.place, s.role, s.start.day, s.needed, s.short_by) for s in explanation.shortages] == [
        ("gate", "sec", 7, 3, 1),
        ("gate", "sec", 8, 3, 2),
    ]
    assert "Bob: away" in output
    for suggestion in explanation.suggestions:
        assert suggestion.message in output


def test_solve_time_out_on_hard_scenario(runner: CliRunner, tmp_path: Path) -> None:
    """The 125-person grid takes seconds to a first rota (about 7 s on one worker): 0.1 s is not enough."""
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["solve", str(GRID), "--out", str(out), "--time-limit", "0.1", "--workers", "1", "--quiet"], env=ENV
    )
    assert result.exit_code == 4, result.output
    assert "No rota found within 0.1 s" in result.output
    assert not (out / "rota.json").exists()
    assert not (out / "explanation.json").exists()


def test_solve_time_out_code_path(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[SolveSettings] = []

    def timed_out(scenario: Scenario, settings: SolveSettings, *args: object) -> SolveResult:
        seen.append(settings)
        stats = SolveStats(
            wall_time=0.5, build_time=0.1, first_solution_time=None, variables=1, constraints=1, solutions=0,
            workers=settings.workers,
        )
        return SolveResult(status=SolveStatus.UNKNOWN, rota=None, objective=None, bound=None, gap=None, stats=stats)

    monkeypatch.setattr(scheduler.cli, "solve", timed_out)
    path = write_scenario(tmp_path, BASE)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["solve", str(path), "--out", str(out), "--time-limit", "0.5", "--workers", "1", "--seed", "7"], env=ENV
    )
    assert result.exit_code == 4, result.output
    assert "No rota found within 0.5 s" in result.output
    assert "--time-limit" in result.output
    assert seen == [SolveSettings(time_limit=0.5, workers=1, seed=7)]
    assert not (out / "rota.json").exists()
    assert not (out / "explanation.json").exists()


@pytest.mark.parametrize("option", [["--time-limit", "0"], ["--workers", "-1"], ["--seed", "-3"]])
def test_solve_refuses_bad_options(runner: CliRunner, tmp_path: Path, option: list[str]) -> None:
    path = write_scenario(tmp_path, BASE)
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), *option], env=ENV)
    assert result.exit_code == 2
    assert not out.exists()


# ----------------------------------------------------------------------------------------------- check


@pytest.fixture
def solved(tmp_path: Path) -> tuple[Path, Rota]:
    """The small scenario's file and a valid rota for it."""
    path = write_scenario(tmp_path, BASE)
    result = solve(load_scenario(path), SolveSettings(time_limit=10, workers=1))
    assert result.rota is not None
    return path, result.rota


def write_rota(folder: Path, rota: Rota | dict[str, Any], name: str = "rota.json") -> Path:
    path = folder / name
    text = rota.model_dump_json(indent=2) if isinstance(rota, Rota) else json.dumps(rota, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def test_check_valid_rota(runner: CliRunner, tmp_path: Path, solved: tuple[Path, Rota]) -> None:
    scenario_file, rota = solved
    result = runner.invoke(app, ["check", str(scenario_file), str(write_rota(tmp_path, rota))], env=ENV)
    assert result.exit_code == 0, result.output
    assert "Every hard rule holds" in result.output
    assert f"Cost {rota.objective:g}" in result.output


def test_check_rota_missing_people(runner: CliRunner, tmp_path: Path, solved: tuple[Path, Rota]) -> None:
    """Take everyone off the first day shift: the gate is unstaffed, which breaks coverage."""
    scenario_file, rota = solved
    first = min(a.start for a in rota.assignments)
    kept = [a for a in rota.assignments if a.start != first]
    assert len(kept) < len(rota.assignments)
    broken = rota.model_copy(update={"assignments": kept})
    result = runner.invoke(app, ["check", str(scenario_file), str(write_rota(tmp_path, broken))], env=ENV)
    assert result.exit_code == 1, result.output
    assert "hard rule(s) broken" in result.output
    assert "[staffing levels]" in result.output


def test_check_speaks_the_chosen_language_or_the_locales(
    runner: CliRunner, tmp_path: Path, solved: tuple[Path, Rota]
) -> None:
    scenario_file, rota = solved
    first = min(a.start for a in rota.assignments)
    broken = write_rota(tmp_path, rota.model_copy(update={"assignments": [a for a in rota.assignments
                                                                          if a.start != first]}))
    chosen = runner.invoke(app, ["check", str(scenario_file), str(broken), "--lang", "zh"], env=ENV)
    assert chosen.exit_code == 1
    assert "违反" in chosen.output and "[人数要求]" in chosen.output and "至少需要 1 人" in chosen.output
    assert "hard rule" not in chosen.output
    local = runner.invoke(app, ["check", str(scenario_file), str(broken)], env={**ENV, "LC_ALL": "zh_CN.UTF-8"})
    assert local.output == chosen.output
    refused = runner.invoke(app, ["check", str(scenario_file), str(broken), "--lang", "fr"], env=ENV)
    assert refused.exit_code == 2 and "--lang" in refused.output


def test_a_refused_file_is_explained_in_the_chosen_language(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("community: x\nstart: 2026-12-07\ndays: seven\n", encoding="utf-8")
    chinese = runner.invoke(app, ["solve", str(bad), "--out", str(tmp_path / "out"), "--lang", "zh"], env=ENV)
    assert chinese.exit_code == 2
    assert "输入有误" in chinese.output and "days：应为整数" in chinese.output and "people：必填" in chinese.output
    assert "Input should" not in chinese.output
    english = runner.invoke(app, ["solve", str(bad), "--out", str(tmp_path / "out")], env=ENV)
    assert english.exit_code == 2 and "days: Input should be a valid integer" in english.output
    missing = runner.invoke(app, ["check", str(tmp_path / "none.yaml"), str(bad), "--lang", "zh"], env=ENV)
    assert missing.exit_code == 2 and "找不到文件" in missing.output


def test_a_scenarios_own_rules_are_explained_in_chinese(runner: CliRunner, tmp_path: Path) -> None:
    """A rule a validator checks (a clock time) and a reference to nothing (a role), in the reader's language."""
    data = json.loads(json.dumps(BASE))
    data["people"][0]["roles"] = ["astronaut"]
    data["posts"][0]["shifts"][0]["start"] = "25:00"
    path = write_scenario(tmp_path, data)
    chinese = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out"), "--lang", "zh"], env=ENV)
    assert chinese.exit_code == 2
    assert "时间应在 00:00 到 24:00 之间，而不是 25:00" in chinese.output, chinese.output
    english = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out")], env=ENV)
    assert "clock time must be between 00:00 and 24:00, got 25:00" in english.output
    data["posts"][0]["shifts"][0]["start"] = "08:00"  # the fields now hold: the references are checked
    path = write_scenario(tmp_path, data)
    chinese = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out"), "--lang", "zh"], env=ENV)
    assert chinese.exit_code == 2
    assert "people[0] (alice).roles：没有角色 'astronaut'" in chinese.output, chinese.output
    english = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "out")], env=ENV)
    assert "people[0] (alice).roles: unknown role 'astronaut'" in english.output


def test_check_rota_with_unknown_person(runner: CliRunner, tmp_path: Path, solved: tuple[Path, Rota]) -> None:
    scenario_file, rota = solved
    raw = json.loads(rota.model_dump_json())
    raw["assignments"][0]["person"] = "zoe"
    result = runner.invoke(app, ["check", str(scenario_file), str(write_rota(tmp_path, raw))], env=ENV)
    assert result.exit_code == 1, result.output
    assert "zoe" in result.output


def test_check_rota_pin_dropped(runner: CliRunner, tmp_path: Path, solved: tuple[Path, Rota]) -> None:
    scenario_file, rota = solved
    kept = [a for a in rota.assignments if not (a.person == "alice" and a.shift == "day" and a.date.day == 7)]
    assert len(kept) == len(rota.assignments) - 1
    broken = rota.model_copy(update={"assignments": kept})
    result = runner.invoke(app, ["check", str(scenario_file), str(write_rota(tmp_path, broken))], env=ENV)
    assert result.exit_code == 1, result.output
    assert "[pins]" in result.output


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"community": "Test",', ["invalid JSON", "line 1"]),
        ("", ["empty"]),
        ("[]", ["mapping"]),
        ('{"community": "Test", "start": "2026-12-07", "days": "two"}', ["days", "assignments"]),
    ],
    ids=["syntax", "empty", "list", "fields"],
)
def test_check_malformed_rota(
    runner: CliRunner, tmp_path: Path, solved: tuple[Path, Rota], text: str, words: list[str]
) -> None:
    scenario_file, _ = solved
    rota_file = tmp_path / "rota.json"
    rota_file.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(scenario_file), str(rota_file)], env=ENV)
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert f"Invalid input in {rota_file}" in output
    for word in words:
        assert word in output


def test_check_assignment_without_offset(runner: CliRunner, tmp_path: Path, solved: tuple[Path, Rota]) -> None:
    scenario_file, rota = solved
    raw = json.loads(rota.model_dump_json())
    raw["assignments"][0]["start"] = raw["assignments"][0]["start"][:19]
    result = runner.invoke(app, ["check", str(scenario_file), str(write_rota(tmp_path, raw))], env=ENV)
    assert result.exit_code == 2, result.output
    assert "assignments[0]" in result.output
    assert "UTC offset" in result.output


def test_check_malformed_scenario(runner: CliRunner, tmp_path: Path, solved: tuple[Path, Rota]) -> None:
    _, rota = solved
    bad = copy.deepcopy(BASE)
    bad["days"] = "seven"
    result = runner.invoke(
        app, ["check", str(write_scenario(tmp_path, bad, "bad.yaml")), str(write_rota(tmp_path, rota))], env=ENV
    )
    assert result.exit_code == 2, result.output
    assert "days" in result.output


# ---------------------------------------------------------------------------------------------- schema


@pytest.mark.parametrize(("args", "title"), [([], "Scenario"), (["scenario"], "Scenario"), (["rota"], "Rota")])
def test_schema(runner: CliRunner, args: list[str], title: str) -> None:
    result = runner.invoke(app, ["schema", *args])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["title"] == title
    assert schema["type"] == "object"
    assert "properties" in schema
    if title == "Scenario":
        assert {"community", "people", "posts", "coverage"} <= set(schema["properties"])
        # Field aliases are used: a succession is written with 'from' and 'to'.
        assert {"from", "to"} <= set(schema["$defs"]["Succession"]["properties"])
        # A role's default limits, overridden per person.
        role_limits = schema["$defs"]["Role"]["properties"]["limits"]
        assert role_limits["$ref"] == "#/$defs/PersonLimits" and "override" in role_limits["description"]
    else:
        assert {"assignments", "objective", "penalties"} <= set(schema["properties"])


def test_schema_unknown_name(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "roster"])
    assert result.exit_code == 2
    assert "unknown schema 'roster'" in result.output


def test_no_arguments_prints_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert "solve" in result.output
    assert "check" in result.output
    assert "schema" in result.output


REFUSAL_PROBE = """
import sys
from scheduler.cli import app
sys.argv = ["rota", *sys.argv[1:]]
try:
    app()
except SystemExit as done:
    code = done.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"ortools", "pandas", "numpy"})
print("EXIT", code, "HEAVY", ",".join(heavy) or "-")
"""


@pytest.mark.parametrize(
    ("text", "extra"),
    [
        ("community: [unclosed\n", []),
        (yaml.safe_dump({**BASE, "days": "seven"}), []),
        (yaml.safe_dump(BASE) + "#" * 4000 + "\n", ["--max-file-mb", "0.001"]),
    ],
    ids=["yaml-syntax", "bad-field", "too-large"],
)
def test_a_refused_file_never_loads_the_solver(tmp_path: Path, text: str, extra: list[str]) -> None:
    """Refusing a scenario is quick and small: OR-Tools (and pandas, numpy) load only when a solve begins."""
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", REFUSAL_PROBE, "solve", str(path), "--out", str(tmp_path / "out"), *extra],
        capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, **ENV, "PYTHONPATH": str(ROOT)},
    )
    assert "Invalid input" in done.stdout, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "EXIT 2 HEAVY -", done.stdout + done.stderr
    assert not (tmp_path / "out").exists()

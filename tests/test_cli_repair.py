"""`rota repair`: files written, the changes table, and exit codes 0, 2 (the option or field named) and 3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from scheduler.check import check
from scheduler.cli import app
from scheduler.domain.files import load_rota, load_scenario
from scheduler.domain.rota import Rota
from tests.builders import cover, person, pin, scenario_data, solved, tiny_scenario

# Monday–Wednesday, one 08:00 shift a day, exactly one person on it; published: alice, bob, alice.
PINS = [pin("alice", "day", 0), pin("bob", "day", 1), pin("alice", "day", 2)]


def data(**extra: Any) -> dict[str, Any]:
    return scenario_data(["alice", "bob", "carol"], days=3, coverage=[cover("day", 1, 1)], **extra)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """The scenario (without the pins that made the published rota) and the published rota.json."""
    published = solved(tiny_scenario(["alice", "bob", "carol"], days=3, coverage=[cover("day", 1, 1)], pins=PINS))
    assert published.rota is not None
    scenario_file = tmp_path / "scenario.yaml"
    scenario_file.write_text(yaml.safe_dump(data(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    rota_file = tmp_path / "published.json"
    rota_file.write_text(published.rota.model_dump_json(indent=2), encoding="utf-8")
    return scenario_file, rota_file


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, ["repair", *map(str, args)])


def test_repair_writes_the_rota_and_who_gains_and_loses(files: tuple[Path, Path], tmp_path: Path) -> None:
    scenario_file, rota_file = files
    out = tmp_path / "out"
    result = run(scenario_file, rota_file, "--unavailable", "bob:2026-12-08/2026-12-08", "--now", "2026-12-06",
                 "--out", out)
    assert result.exit_code == 0, result.output
    rota = load_rota(out / "rota.json")
    assert check(load_scenario(out / "scenario.json"), rota).ok
    assert not any(a.person == "bob" for a in rota.assignments)
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert changes["change_count"] == 2 and changes["proven_minimal"] is True
    assert [c["date"] for c in changes["losses"]["bob"]] == ["2026-12-08"]
    gainer = next(iter(changes["gains"]))
    assert gainer in ("alice", "carol") and changes["gains"][gainer][0]["date"] == "2026-12-08"
    assert "loses" in result.output and "gains" in result.output and "proven minimal" in result.output


def test_remove_takes_someone_off_from_now_on(files: tuple[Path, Path], tmp_path: Path) -> None:
    scenario_file, rota_file = files
    out = tmp_path / "out"
    result = run(scenario_file, rota_file, "--remove", "alice", "--now", "2026-12-07T12:00", "--out", out)
    assert result.exit_code == 0, result.output
    rota = load_rota(out / "rota.json")
    assert [a.date.isoformat() for a in rota.assignments if a.person == "alice"] == ["2026-12-07"]
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert [c["date"] for c in changes["losses"]["alice"]] == ["2026-12-09"]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--unavailable", "zoe:2026-12-08/2026-12-08"], "unavailable[0].person: unknown person 'zoe'"),
        (["--unavailable", "bob:monday/2026-12-08"], "--unavailable 'bob:monday/2026-12-08'"),
        (["--unavailable", "bob:2026-12-09/2026-12-08"], "TO must be after FROM"),
        (["--remove", "not a name"], "--remove 'not a name'"),
        (["--unavailable", "bob:2026-12-08/2026-12-08", "--now", "soon"], "--now 'soon'"),
    ],
)
def test_bad_input_exits_2_naming_the_option_and_writes_nothing(
    files: tuple[Path, Path], tmp_path: Path, args: list[str], named: str
) -> None:
    scenario_file, rota_file = files
    out = tmp_path / "out"
    result = run(scenario_file, rota_file, *args, "--out", out)
    assert result.exit_code == 2, result.output
    assert named in " ".join(result.output.split())
    assert not out.exists()


def test_a_broken_rota_file_exits_2(files: tuple[Path, Path], tmp_path: Path) -> None:
    scenario_file, _ = files
    broken = tmp_path / "broken.json"
    broken.write_text('{"community": "Test"}', encoding="utf-8")
    result = run(scenario_file, broken, "--remove", "bob", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "broken.json" in result.output


def test_no_repair_exits_3_with_the_explanation(tmp_path: Path) -> None:
    only = scenario_data(["alice", person("bob", roles=["other"])], days=1, roles=["vol", "other"],
                         coverage=[cover("day", 1, 1, role="vol")])
    scenario_file = tmp_path / "scenario.yaml"
    scenario_file.write_text(yaml.safe_dump(only, sort_keys=False), encoding="utf-8")
    published = solved(tiny_scenario(["alice", person("bob", roles=["other"])], days=1, roles=["vol", "other"],
                                     coverage=[cover("day", 1, 1, role="vol")])).rota
    assert isinstance(published, Rota)
    rota_file = tmp_path / "published.json"
    rota_file.write_text(published.model_dump_json(), encoding="utf-8")
    out = tmp_path / "out"
    result = run(scenario_file, rota_file, "--unavailable", "alice:2026-12-07/2026-12-07", "--now", "2026-12-01",
                 "--out", out)
    assert result.exit_code == 3, result.output
    explanation = json.loads((out / "explanation.json").read_text(encoding="utf-8"))
    assert explanation["shortages"]
    assert not (out / "rota.json").exists()

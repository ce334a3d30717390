"""The command line's calendars and print-outs: `rota solve --out DIR [--pdf] [--png]`, `rota print`, `calendars`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import icalendar
import pypdf
import pytest
import vobject
import yaml
from PIL import Image
from typer.testing import CliRunner

from scheduler.check import check
from scheduler.cli import app
from scheduler.domain.files import load_rota
from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from tests.domain.test_files import ENV
from tests.reports.community import community, solved_rota


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return community()


@pytest.fixture
def scenario_file(tmp_path: Path, scenario: Scenario) -> Path:
    path = tmp_path / "scenario.yaml"
    data = json.loads(scenario.model_dump_json(by_alias=True))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def rota_file(tmp_path: Path, scenario: Scenario) -> Path:
    path = tmp_path / "rota.json"
    path.write_text(solved_rota(scenario).model_dump_json(indent=2), encoding="utf-8")
    return path


def assert_calendars(folder: Path, scenario: Scenario, rota: Rota) -> None:
    """One calendar per person with shifts, named by id, each with that person's events, read by both parsers."""
    people = {a.person for a in rota.assignments}
    assert {p.stem for p in folder.glob("*.ics")} == people
    for person in people:
        data = (folder / f"{person}.ics").read_bytes()
        events = icalendar.Calendar.from_ical(data).walk("VEVENT")
        assert sorted(e.decoded("dtstart") for e in events) == sorted(
            a.start for a in rota.assignments if a.person == person
        )
        assert len(vobject.readOne(data.decode("utf-8")).vevent_list) == len(events)


def test_solve_writes_calendars_html_pdf_and_pngs(tmp_path: Path, scenario_file: Path, scenario: Scenario) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["solve", str(scenario_file), "--out", str(out), "--time-limit", "10", "--workers", "1", "--quiet",
         "--pdf", "--png"],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    rota = load_rota(out / "rota.json")
    assert check(scenario, rota).ok
    assert_calendars(out / "calendars", scenario, rota)
    html = (out / "rota.html").read_text(encoding="utf-8")
    assert "小区入口卡口" in html and "入户排查小组" in html
    pages = pypdf.PdfReader(io.BytesIO((out / "rota.pdf").read_bytes())).pages
    assert len(pages) == 2
    assert "小区入口卡口" in pages[0].extract_text()
    for name in ("gate", "screening"):
        with Image.open(out / f"rota-{name}.png") as image:
            assert image.width == 1080
    assert "Wrote" in result.output and "calendars" in result.output


def test_solve_without_pdf_writes_no_pdf(tmp_path: Path, scenario_file: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["solve", str(scenario_file), "--out", str(out), "--time-limit", "10", "--workers", "1", "--quiet"],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert (out / "rota.html").exists() and (out / "calendars").is_dir()
    assert not (out / "rota.pdf").exists()
    assert not list(out.glob("*.png"))


def test_print_from_an_existing_rota(tmp_path: Path, scenario_file: Path, rota_file: Path) -> None:
    out = tmp_path / "printed"
    result = CliRunner().invoke(
        app, ["print", str(rota_file), "--scenario", str(scenario_file), "--out", str(out), "--pdf", "--lang", "en"],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert "Entrance checkpoint" in (out / "rota.html").read_text(encoding="utf-8")
    assert (out / "rota.pdf").read_bytes().startswith(b"%PDF")
    assert not (out / "calendars").exists()


def test_calendars_from_an_existing_rota(
    tmp_path: Path, scenario_file: Path, rota_file: Path, scenario: Scenario
) -> None:
    out = tmp_path / "feeds"
    result = CliRunner().invoke(
        app, ["calendars", str(rota_file), "--scenario", str(scenario_file), "--out", str(out)], env=ENV
    )
    assert result.exit_code == 0, result.output
    assert_calendars(out / "calendars", scenario, load_rota(rota_file))
    assert not (out / "rota.html").exists()


def test_print_refuses_an_unknown_language_and_a_broken_rota(
    tmp_path: Path, scenario_file: Path, rota_file: Path
) -> None:
    runner = CliRunner()
    wrong = runner.invoke(app, ["print", str(rota_file), "--scenario", str(scenario_file), "--out", str(tmp_path),
                                "--lang", "fr"], env=ENV)
    assert wrong.exit_code == 2
    assert "zh or en" in wrong.output
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["print", str(broken), "--scenario", str(scenario_file)], env=ENV)
    assert result.exit_code == 2
    assert "Invalid input" in result.output

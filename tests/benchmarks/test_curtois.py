"""The Curtois & Qu importer and runner: the mapping onto a Scenario, the CSV files, and Instance1's optimum.

The benchmark's own rules (SOURCE.md) are re-implemented here on the raw file text, without the importer or the
scenario model: a mapping mistake (a rule dropped, a limit off by one) would make the project's checker and this
reference disagree about some rota.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.curtois import BEST_KNOWN, Result, cost_breakdown, main, summarise
from benchmarks.curtois_format import POST, ROLE, FormatError, load, parse_scenario, read_csv, read_sections, write_csv
from benchmarks.curtois_probe import apply_parameters
from benchmarks.curtois_probe import main as probe
from benchmarks.curtois_resume import main as resume
from scheduler.check import check
from scheduler.domain.clock import Weekday
from scheduler.domain.people import Absence, PreferenceKind
from scheduler.domain.rota import Penalty, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings, solver_for
from tests.benchmarks.data import DATA, TINY, needs_data

Row = tuple[str, int, str]
"""(employee, day, shift) of a solution file."""


def day(number: int) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=number)


# --------------------------------------------------------------------------- the benchmark's rules, directly


def _runs(worked: list[bool]) -> list[tuple[bool, int, int]]:
    """(worked?, first, last) of each maximal run."""
    runs: list[tuple[bool, int, int]] = []
    for index, value in enumerate(worked):
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1], index)
        else:
            runs.append((value, index, index))
    return runs


def _sections(text: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = defaultdict(list)
    current = ""
    for raw in text.replace("\r", "").split("\n"):
        line = raw.strip()
        if line.startswith("SECTION_"):
            current = line
        elif line and not line.startswith("#"):
            sections[current].append(line.split(","))
    return sections


def _employee_problems(
    fields: list[str], work: dict[tuple[str, int], str], horizon: int, length: dict[str, int]
) -> list[str]:
    employee = fields[0]
    limits = [int(v) for v in fields[2:8]]
    max_minutes, min_minutes, max_run, min_run, min_off, max_weekends = limits
    shifts = [work.get((employee, d)) for d in range(horizon)]
    problems = []
    for item in fields[1].split("|"):
        shift, _, most = item.partition("=")
        if shifts.count(shift) > int(most):
            problems.append(f"{employee}: too many {shift}")
    minutes = sum(length[s] for s in shifts if s is not None)
    if not min_minutes <= minutes <= max_minutes:
        problems.append(f"{employee}: {minutes} minutes")
    for worked, first, last in _runs([s is not None for s in shifts]):
        size, inner = last - first + 1, first > 0 and last < horizon - 1
        if worked and size > max_run:
            problems.append(f"{employee}: {size} days in a row")
        if inner and size < (min_run if worked else min_off):
            problems.append(f"{employee}: a run of {size} {'worked days' if worked else 'days off'}")
    weekends = sum(1 for k in range(horizon // 7) if shifts[7 * k + 5] or shifts[7 * k + 6])
    if weekends > max_weekends:
        problems.append(f"{employee}: {weekends} weekends")
    return problems


def reference(text: str, rows: list[Row]) -> tuple[int, list[str]]:
    """The objective of a solution and its broken hard rules, by SOURCE.md, from the raw instance text."""
    sections = _sections(text)
    horizon = int(sections["SECTION_HORIZON"][0][0])
    length = {f[0]: int(f[1]) for f in sections["SECTION_SHIFTS"]}
    cannot = {f[0]: set(f[2].split("|")) - {""} for f in sections["SECTION_SHIFTS"]}
    problems: list[str] = []
    work: dict[tuple[str, int], str] = {}
    for employee, number, shift in rows:
        if (employee, number) in work:
            problems.append(f"{employee} works twice on day {number}")
        work[(employee, number)] = shift
    for (employee, number), shift in work.items():
        after = work.get((employee, number + 1))
        if after is not None and after in cannot[shift]:
            problems.append(f"{employee}: {after} after {shift} on day {number}")
    for fields in sections["SECTION_DAYS_OFF"]:
        problems += [f"{fields[0]} works on day off {d}" for d in fields[1:] if d and (fields[0], int(d)) in work]
    for fields in sections["SECTION_STAFF"]:
        problems += _employee_problems(fields, work, horizon, length)
    cost = 0
    for who, when, wanted, weight in sections["SECTION_SHIFT_ON_REQUESTS"]:
        cost += int(weight) * (work.get((who, int(when))) != wanted)
    for who, when, avoided, weight in sections["SECTION_SHIFT_OFF_REQUESTS"]:
        cost += int(weight) * (work.get((who, int(when))) == avoided)
    on: dict[tuple[int, str], int] = defaultdict(int)
    for (_, number), shift in work.items():
        on[(number, shift)] += 1
    for when, which, need, under, over in sections["SECTION_COVER"]:
        have, required = on[(int(when), which)], int(need)
        cost += int(under) * max(0, required - have) + int(over) * max(0, have - required)
    return cost, problems


# --------------------------------------------------------------------------------------------- helpers


def rows_of(rota: Rota) -> list[Row]:
    return sorted((a.person, (a.date - rota.start).days, a.shift or "") for a in rota.assignments)


def rota_of(scenario: Scenario, rows: list[Row], tmp_path: Path) -> Rota:
    """A rota of the given rows, through a CSV file as the runner writes it."""
    path = tmp_path / "rows.csv"
    path.write_text("employee,day,shift\n" + "".join(f"{e},{d},{s}\n" for e, d, s in rows), encoding="utf-8")
    return read_csv(path, scenario)


def assert_agree(text: str, scenario: Scenario, rows: list[Row], tmp_path: Path) -> None:
    """The project's checker and the reference agree on validity and on the objective."""
    cost, problems = reference(text, rows)
    result = check(scenario, rota_of(scenario, rows, tmp_path))
    assert result.ok == (not problems), (rows, problems, [v.message for v in result.violations])
    assert result.objective == cost


# ------------------------------------------------------------------------------------------------- mapping


def test_tiny_instance_maps_every_section() -> None:
    scenario = parse_scenario(TINY, "tiny")
    assert (scenario.community, scenario.start, scenario.days, scenario.timezone) == ("tiny", day(0), 14, "UTC")
    assert scenario.start.weekday() == 0
    assert [r.id for r in scenario.roles] == [ROLE]
    (post,) = scenario.posts
    assert post.id == POST
    assert [(t.id, t.start, t.hours, t.night, len(t.days)) for t in post.shifts] == [
        ("E", 0, 8.0, False, 7), ("L", 0, 10.0, False, 7),
    ]
    assert [(s.first, s.then, s.post) for s in scenario.successions] == [("L", "E", None)]
    weights = scenario.weights
    assert (weights.fairness_hours, weights.fairness_nights, weights.fairness_weekends, weights.preferences) == (
        0, 0, 0, 1,
    )

    a, b, c, d = scenario.people
    assert [p.id for p in scenario.people] == ["A", "B", "C", "D"]
    assert all(p.roles == [ROLE] and p.posts is None and p.active for p in scenario.people)
    limits = a.limits
    assert (limits.max_hours_total, limits.min_hours_total) == (80, 20)
    assert (limits.max_consecutive_days, limits.min_consecutive_days, limits.min_consecutive_days_off) == (4, 2, 2)
    assert (limits.max_weekends, limits.min_rest_hours) == (1, 0)
    assert (b.limits.max_hours_total, b.limits.min_hours_total, c.limits.min_hours_total) == (60, 16, 0)
    assert [(x.shift, x.max, x.post) for x in b.shift_limits] == [("E", 10, None), ("L", 0, None)]

    assert a.absences == [Absence(date=day(0))]
    assert b.absences == [Absence(date=day(3), until=day(5)), Absence(date=day(9))]
    assert c.absences == [] and d.absences == []

    def wishes(person_index: int) -> list[tuple[PreferenceKind, dt.date | None, str | None, int]]:
        return [(p.kind, p.date, p.shift, p.weight) for p in scenario.people[person_index].preferences]

    assert wishes(0) == [(PreferenceKind.WANTS, day(2), "E", 2)]
    assert wishes(1) == [(PreferenceKind.AVOIDS, day(1), "E", 1)]
    assert wishes(2) == [(PreferenceKind.WANTS, day(6), "L", 3)]
    assert wishes(3) == [(PreferenceKind.AVOIDS, day(8), "L", 2)]


def test_tiny_cover_uses_weekdays_when_uniform_else_dates() -> None:
    rules = {
        (r.shift, r.min, r.min_cost, r.max_cost): r for r in parse_scenario(TINY).coverage
    }
    assert all(r.post == POST and r.role is None and r.window is None and r.max == r.min for r in rules.values())
    weekdays = rules[("E", 1, 100, 1)]
    assert (weekdays.days, weekdays.dates) == (list(Weekday)[:5], None)
    weekend = rules[("E", 2, 100, 1)]
    assert (weekend.days, weekend.dates) == ([Weekday.SAT, Weekday.SUN], None)
    assert rules[("L", 0, 100, 1)].dates == [day(3)]
    assert rules[("L", 1, 50, 3)].dates == [day(10)]
    every_day_but_thursday = rules[("L", 1, 100, 1)]
    assert every_day_but_thursday.days == [d for d in Weekday if d is not Weekday.THU]
    assert every_day_but_thursday.dates is None
    assert len(rules) == 5


def cover_of(scenario: Scenario) -> dict[tuple[int, str], tuple[int, int | None, int | None]]:
    """(day, shift) → (requirement, under, over), expanded from the rules; each pair must come once."""
    covers: dict[tuple[int, str], tuple[int, int | None, int | None]] = {}
    for rule in scenario.coverage:
        for number in range(scenario.days):
            date = day(number)
            if list(Weekday)[date.weekday()] in rule.days and (rule.dates is None or date in rule.dates):
                assert rule.shift is not None and (number, rule.shift) not in covers
                assert rule.min == rule.max
                covers[(number, rule.shift)] = (rule.min, rule.min_cost, rule.max_cost)
    return covers


def test_tiny_cover_expands_to_the_file_lines() -> None:
    expected = {
        (int(f[0]), f[1]): (int(f[2]), int(f[3]), int(f[4])) for f in _sections(TINY)["SECTION_COVER"]
    }
    assert cover_of(parse_scenario(TINY)) == expected


def test_carriage_returns_are_ignored() -> None:
    assert parse_scenario(TINY.replace("\n", "\r\n")) == parse_scenario(TINY)


def test_format_errors_name_the_line() -> None:
    with pytest.raises(FormatError, match="line 2: unknown section SECTION_NOPE"):
        read_sections("SECTION_HORIZON\nSECTION_NOPE\n")
    with pytest.raises(FormatError, match="line 1: data before"):
        read_sections("14\n")
    with pytest.raises(FormatError, match="missing section"):
        read_sections("SECTION_HORIZON\n14\n")
    with pytest.raises(FormatError, match="line 14: field 5 is not an integer"):
        parse_scenario(TINY.replace("A,E=10|L=5,4800,1200,4,", "A,E=10|L=5,4800,1200,x,"))
    with pytest.raises(FormatError, match="unknown employee"):
        parse_scenario(TINY.replace("A,2,E,2", "Z,2,E,2"))


# --------------------------------------------------------------------------------------- the two checkers


def test_checker_agrees_with_the_benchmark_rules_around_a_solution(tmp_path: Path) -> None:
    """Solve the tiny instance, then change one employee-day in every possible way, or take all of one employee's
    shifts away: the checker and the reference agree on every such rota."""
    scenario = parse_scenario(TINY)
    result = solve(scenario, SolveSettings(time_limit=20, workers=1, explain=False))
    assert result.status is SolveStatus.OPTIMAL and result.rota is not None
    rows = rows_of(result.rota)
    cost, problems = reference(TINY, rows)
    assert problems == [] and cost == result.objective
    work = {(e, d): s for e, d, s in rows}
    changed = 0
    for person in scenario.people:
        for number in range(scenario.days):
            for shift in ("E", "L", None):
                if work.get((person.id, number)) == shift:
                    continue
                other = {k: v for k, v in work.items() if k != (person.id, number)}
                if shift is not None:
                    other[(person.id, number)] = shift
                assert_agree(TINY, scenario, sorted((e, d, s) for (e, d), s in other.items()), tmp_path)
                changed += 1
        idle = [row for row in rows if row[0] != person.id]  # below the minimum total time
        assert_agree(TINY, scenario, idle, tmp_path)
    assert changed == 4 * 14 * 2


# ------------------------------------------------------------------------------------------------- files


def test_csv_round_trip(tmp_path: Path) -> None:
    scenario = parse_scenario(TINY)
    rows: list[Row] = [("A", 1, "E"), ("A", 2, "L"), ("C", 13, "L"), ("D", 0, "E")]
    rota = rota_of(scenario, rows, tmp_path)
    first = rota.assignments[1]
    assert (first.person, first.post, first.shift, first.role, first.date) == ("A", POST, "L", ROLE, day(2))
    assert first.start == dt.datetime(2024, 1, 3, tzinfo=dt.UTC)
    assert first.end == dt.datetime(2024, 1, 3, 10, tzinfo=dt.UTC)
    out = tmp_path / "again.csv"
    write_csv(rota, out)
    assert out.read_text(encoding="utf-8") == (tmp_path / "rows.csv").read_text(encoding="utf-8")
    assert read_csv(out, scenario).assignments == rota.assignments
    assert check(scenario, rota).violations != []  # A works one day only: a run between days off (min 2)


def test_read_csv_rejects_a_wrong_header_or_shift(tmp_path: Path) -> None:
    scenario = parse_scenario(TINY)
    path = tmp_path / "bad.csv"
    path.write_text("who,day,shift\n", encoding="utf-8")
    with pytest.raises(FormatError, match="header"):
        read_csv(path, scenario)
    path.write_text("employee,day,shift\nA,1,X\n", encoding="utf-8")
    with pytest.raises(FormatError, match="unknown shift 'X'"):
        read_csv(path, scenario)


# --------------------------------------------------------------------------------------- real instances


@needs_data
@pytest.mark.parametrize(
    ("name", "days", "employees", "shift_types", "days_off", "requests"),
    [("Instance1", 14, 8, 1, 8, 26), ("Instance2", 14, 14, 2, 14, 62)],
)
def test_real_instances_parse(
    name: str, days: int, employees: int, shift_types: int, days_off: int, requests: int
) -> None:
    """The sizes in SOURCE.md's table, and one cover rule for every (day, shift) line."""
    path = DATA / f"{name}.txt"
    scenario = load(path)
    assert (scenario.community, scenario.days, len(scenario.people)) == (name, days, employees)
    assert len(scenario.posts[0].shifts) == shift_types
    absent_days = sum(((a.until or a.date) - a.date).days + 1 for p in scenario.people for a in p.absences)
    assert absent_days == days_off
    assert sum(len(p.preferences) for p in scenario.people) == requests
    expected = {
        (int(f[0]), f[1]): (int(f[2]), int(f[3]), int(f[4]))
        for f in _sections(path.read_text(encoding="utf-8"))["SECTION_COVER"]
    }
    assert cover_of(scenario) == expected


@needs_data
@pytest.mark.slow
def test_instance1_solves_to_the_proven_optimum(tmp_path: Path) -> None:
    path = DATA / "Instance1.txt"
    scenario = load(path)
    result = solve(scenario, SolveSettings(time_limit=60, workers=8, explain=False))
    assert result.status is SolveStatus.OPTIMAL and result.rota is not None
    assert result.objective == BEST_KNOWN["Instance1"] == 607
    csv_path = tmp_path / "Instance1.csv"
    write_csv(result.rota, csv_path)
    checked = check(scenario, read_csv(csv_path, scenario))
    assert checked.ok and checked.objective == 607
    assert reference(path.read_text(encoding="utf-8"), rows_of(result.rota)) == (607, [])


@needs_data
@pytest.mark.slow
def test_runner_writes_the_csv_and_results(tmp_path: Path) -> None:
    code = main([str(DATA / "Instance1.txt"), "--time-limit", "30", "--workers", "8", "--out", str(tmp_path)])
    assert code == 0
    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    (row,) = document["results"]
    assert (row["instance"], row["objective"], row["bound"], row["status"], row["mismatch"]) == (
        "Instance1", 607, 607, "optimal", False,
    )
    assert {"nproc", "python", "ortools"} <= set(document["machine"])
    assert (document["time_limit"], document["workers"]) == (30, 8)
    times = [seconds for seconds, _ in row["trajectory"]]
    objectives = [objective for _, objective in row["trajectory"]]
    assert times == sorted(times) and objectives == sorted(objectives, reverse=True) and objectives[-1] == 607
    lines = (tmp_path / "Instance1.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "employee,day,shift" and len(lines) > 1


@needs_data
def test_repeated_runs_write_one_csv_per_seed_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [str(DATA / "Instance1.txt"), "--time-limit", "30", "--workers", "1", "--seed", "3", "--seeds", "2"]
    assert main([*arguments, "--out", str(tmp_path)]) == 0
    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [(r["seed"], r["objective"]) for r in document["results"]] == [(3, 607), (4, 607)]
    (summary,) = document["summary"]
    assert (summary["runs"], summary["median"], summary["lowest"], summary["highest"]) == (2, 607, 607, 607)
    assert (summary["median_gap"], summary["within_one_percent"], summary["optimal"]) == (0, 2, 2)
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == ["Instance1-seed3.csv", "Instance1-seed4.csv"]
    assert "2 seeds per instance" in capsys.readouterr().out


def test_summary_takes_the_median_and_counts_runs_within_one_percent() -> None:
    def run(seed: int, objective: float | None, status: str = "feasible") -> Result:
        gap = None if objective is None else (objective - 1000) / 1000
        return Result(
            instance="InstanceX", seed=seed, status=status, objective=objective, solver_objective=objective,
            bound=990.0 + seed, best_known=1000, gap_to_best=gap, seconds_to_final=1.0, first_solution_seconds=0.5,
            wall_seconds=2.0, build_seconds=0.1, variables=1, constraints=1, solutions=1, violations=0,
            mismatch=False, costs={},
        )

    (summary,) = summarise([run(0, 1030), run(1, 1005), run(2, 1000, "optimal"), run(3, None, "unknown")])
    assert (summary.runs, summary.median, summary.lowest, summary.highest) == (4, 1005, 1000, 1030)
    assert (summary.best_bound, summary.within_one_percent, summary.optimal) == (993, 2, 1)
    assert summary.median_gap == pytest.approx(0.005)


def test_the_probe_sets_cp_sat_parameters_by_type() -> None:
    solver = solver_for(SolveSettings(time_limit=5, workers=2), 100)
    assert list(solver.parameters.subsolvers) == ["max_lp"]
    apply_parameters(solver, ["root_lp_iterations=9000", "log_search_progress=true", "max_time_in_seconds=2.5",
                              "subsolvers=default_lp", "subsolvers=core"])
    parameters = solver.parameters
    assert (parameters.root_lp_iterations, parameters.log_search_progress, parameters.max_time_in_seconds) == (
        9000, True, 2.5,
    )
    assert list(parameters.subsolvers) == ["default_lp", "core"]
    for bad in ("nonsense=1", "root_lp_iterations", "log_search_progress=maybe"):
        with pytest.raises(ValueError, match=bad.partition('=')[0]):
            apply_parameters(solver, [bad])


@needs_data
def test_the_probe_solves_an_instance_and_refuses_a_bad_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    assert probe([str(DATA / "Instance1.txt"), "--time-limit", "20", "--workers", "1"]) == 0
    assert "Instance1: OPTIMAL, objective 607, bound 607" in capsys.readouterr().out
    assert probe([str(DATA / "Instance1.txt"), "--param", "nonsense=1"]) == 2


def test_cost_breakdown_sorts_the_checker_penalties_by_kind() -> None:
    def penalty(rule: str, name: str, cost: float) -> Penalty:
        return Penalty(rule=rule, name=name, cause="-", amount=1, cost=cost)

    penalties = [
        penalty("coverage", "coverage:cover-E-1:2024-01-01 00:00:under", 100),
        penalty("coverage", "coverage:cover-E-1:2024-01-02 00:00:under", 200),
        penalty("coverage", "coverage:cover-L-1:2024-01-02 00:00:over", 1),
        penalty("preferences", "preferences:A:0", 3),
    ]
    assert cost_breakdown(penalties) == {"cover_under": 300, "cover_over": 1, "requests": 3}


@needs_data
def test_build_only_reports_the_model_size(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DATA / "Instance1.txt"), "--build-only"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["instance"] == "Instance1" and row["variables"] > 0 and row["constraints"] > 0
    assert row["build_cpu_seconds"] >= 0 and row["peak_rss_mb"] > 0


@needs_data
@pytest.mark.slow
@pytest.mark.parametrize("mode", [[], ["--balls"]])
def test_a_search_resumes_from_a_rota_and_never_ends_worse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: list[str]
) -> None:
    path = DATA / "Instance1.txt"
    scenario = load(path)
    first = solve(scenario, SolveSettings(time_limit=1, workers=1, explain=False, lp_bound=False))
    assert first.rota is not None and first.objective is not None
    write_csv(first.rota, tmp_path / "start.csv")
    assert resume([str(path), str(tmp_path / "start.csv"), *mode, "--seconds", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"start {first.objective:.0f}"
    start, end = (int(n) for n in lines[-1].split(": ")[1].split(" -> "))
    assert start == first.objective and end <= start


@needs_data
def test_the_runner_reports_the_lp_bound_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DATA / "Instance1.txt"), "--lp-bound-only", "--time-limit", "60"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert (row["instance"], row["lp_bound"], row["best_known"]) == ("Instance1", 407.25, 607)
    assert row["below_best_known"] == pytest.approx((607 - 407.25) / 607, abs=1e-4)
    assert row["method"] == "barrier"


@needs_data
def test_the_runner_reports_the_lp_bound_alone_by_pdlp(capsys: pytest.CaptureFixture[str]) -> None:
    """PDLP stops at its own tolerance: its certified bound may be a little below barrier's, never above."""
    arguments = ["--lp-bound-only", "--lp-method", "pdlp", "--workers", "2", "--time-limit", "60"]
    assert main([str(DATA / "Instance1.txt"), *arguments]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["method"] == "pdlp" and 400 <= row["lp_bound"] <= 407.25

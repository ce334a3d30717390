"""Search on from a given rota of a Curtois & Qu instance, for a few minutes: the whole search, or cycles of balls
around the rota (local branching, scheduler.solve.search). Which of the two gains more from a rota where a long search
left it, on the same rota and the same clock.

    python -m benchmarks.curtois_resume ../shared/benchmarks/curtois-qu-shift-scheduling/Instance19.txt \\
        benchmarks/results/curtois-600s-2w-close-gap/gain-rate-19-17/Instance19.csv --balls --seconds 180

prints each better rota (seconds, objective) and the last one. For experiments, not results: the runner
`python -m benchmarks.curtois` is the benchmark.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.curtois import load, read_csv
from scheduler.domain.rota import Rota
from scheduler.model.build import BuiltModel, build_model
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve.costing import complete_choices
from scheduler.solve.search import Progress, resume
from scheduler.solve.settings import SolveSettings


def solution_of(built: BuiltModel, rota: Rota) -> tuple[list[int], float]:
    """Every variable's value for the rota (its soft terms at their least) and its objective."""
    scenario = built.variables.instances.scenario
    worked = {(a.person, (a.date - scenario.start).days, a.shift) for a in rota.assignments}
    instances, people = built.variables.instances.shifts, built.variables.instances.people
    choices = [
        int((people[person].id, instances[shift].day, instances[shift].template) in worked)
        for (person, shift), options in built.variables.choices.items() for _ in options
    ]
    solver = complete_choices(built, choices, SolveSettings())
    if solver is None:
        raise ValueError("the rota breaks a hard rule of the instance")
    return list(solver.response_proto.solution), solver.objective_value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.curtois_resume", description=__doc__.split("\n")[0])
    parser.add_argument("instance", type=Path, help="InstanceN.txt")
    parser.add_argument("rota", type=Path, help="a rota of it, as the runner writes it (employee,day,shift)")
    parser.add_argument("--balls", action="store_true", help="cycles of balls (default: the whole search)")
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("scheduler.solve.search").setLevel(logging.INFO)
    scenario = load(args.instance)
    built = build_model(scenario)
    values, objective = solution_of(built, read_csv(args.rota, scenario))
    print(f"start {objective / OBJECTIVE_SCALE:.0f}", flush=True)

    def report(progress: Progress) -> None:
        print(f"{progress.elapsed:7.1f} s {progress.objective:.0f}", flush=True)

    # A long solve's settings: the balls' rounds are those of a 600 s solve.
    settings = SolveSettings(time_limit=600, workers=args.workers, seed=args.seed, explain=False)
    best = resume(built, settings, values, objective, args.seconds, balls=args.balls, on_progress=report)
    print(f"{'balls' if args.balls else 'whole'}: {objective / OBJECTIVE_SCALE:.0f} -> {best / OBJECTIVE_SCALE:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

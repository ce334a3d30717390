"""The explanation of the example week with one security officer short, in Chinese and English, as the CLI prints
it: compared with reviewed snapshots (tests/solve/snapshots/), so that a change of wording is a reviewed change.

To review a deliberate change: ROTA_UPDATE_SNAPSHOTS=1 pytest tests/solve/test_explain_snapshots.py, then read
the diff of the snapshot files before committing them.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from rich.console import Console

from scheduler.cli import print_explanation
from scheduler.domain.files import load_scenario
from scheduler.domain.rota import SolveStatus
from scheduler.reports.catalogue import Words
from scheduler.reports.labels import Language
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "checkpoint-short.yaml"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def printed(lang: Language) -> str:
    scenario = load_scenario(EXAMPLE)
    result = solve(scenario, SolveSettings(time_limit=30, seed=0))
    assert result.status is SolveStatus.INFEASIBLE and result.explanation is not None
    out = io.StringIO()
    console = Console(file=out, width=10_000, color_system=None, highlight=False)
    print_explanation(result.explanation, console, Words(scenario, lang))
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_short_checkpoint_week_is_explained_as_reviewed(lang: Language) -> None:
    snapshot = SNAPSHOTS / f"checkpoint-short.{lang}.txt"
    text = printed(lang)
    if os.environ.get("ROTA_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")


def test_the_same_week_gives_the_same_words_every_time() -> None:
    assert printed("zh") == printed("zh")


@pytest.mark.slow
def test_one_more_security_officer_is_enough() -> None:
    # The count proves one more officer necessary; a rota with one more shows it is enough: the fix is the smallest.
    scenario = load_scenario(EXAMPLE)
    data = scenario.model_dump(mode="json")
    data["people"].append({"id": "new-guard", "name": "新保安", "roles": ["security"], "posts": ["gate"]})
    result = solve(type(scenario).model_validate(data), SolveSettings(time_limit=20, seed=0, explain=False))
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

"""The solver process runs at a lower CPU priority than the web server, so the rota pages stay quick during a solve
(issue 5: the pages' 95th percentile within 2x of idle while a solve runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from web.solving.service import SOLVER_NICENESS, lower_priority

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import os; from web.solving.service import lower_priority; before = os.nice(0); "
    "lower_priority(os.getpid(), os.getppid()); lower_priority(os.getpid(), os.getppid()); print(os.nice(0) - before)"
)
"""A solver process lowering itself below its parent's priority (twice: the second changes nothing)."""


def _lowered_by(niceness: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "ROTA_SOLVER_NICENESS"}
    if niceness is not None:
        env["ROTA_SOLVER_NICENESS"] = niceness
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


@pytest.mark.skipif(os.nice(0) + SOLVER_NICENESS > 19, reason="this process already runs at the lowest priority")
def test_the_solver_process_lowers_its_priority_unless_told_not_to() -> None:
    assert SOLVER_NICENESS > 0
    assert _lowered_by(None) == SOLVER_NICENESS
    assert _lowered_by("3") == 3
    assert _lowered_by("0") == 0
    assert _lowered_by("high") == 0  # not a number: the normal priority, no crash


@pytest.mark.skipif(os.nice(0) + SOLVER_NICENESS > 19, reason="this process already runs at the lowest priority")
def test_the_server_lowers_a_solver_process_as_soon_as_it_started() -> None:
    """The server lowers the process it just started, so that its start-up (importing OR-Tools) yields to the pages
    too; the process's own call afterwards changes nothing."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lower_priority(child.pid)
        assert os.getpriority(os.PRIO_PROCESS, child.pid) == os.nice(0) + SOLVER_NICENESS
        lower_priority(child.pid, os.getpid())
        assert os.getpriority(os.PRIO_PROCESS, child.pid) == os.nice(0) + SOLVER_NICENESS
    finally:
        child.kill()
        child.wait(10)
    lower_priority(child.pid)  # gone: nothing to do, no error

"""The Curtois & Qu instances that some tests read, and what such a test does when they are missing.

They live outside the repository, in `shared/benchmarks/curtois-qu-shift-scheduling/` beside the checkout (the
benchmark runner's own default, `benchmarks.curtois_format.BENCHMARK_DIR`). On a developer's machine without them the
tests that need them are skipped, saying where they were looked for; in CI (`CI=true`) the data is part of the
set-up, so a missing folder fails those tests instead of letting them pass unseen.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from benchmarks.curtois_format import BENCHMARK_DIR

DATA = BENCHMARK_DIR

Test = TypeVar("Test", bound=Callable[..., Any])


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def needs_data(test: Test) -> Test:
    """Run `test` when the instances are there; otherwise skip it, or fail it in CI."""
    if DATA.is_dir():
        return test
    message = f"the Curtois & Qu benchmark instances are not at {DATA}"
    if not in_ci():
        skipped: Test = pytest.mark.skip(reason=f"{message} (outside CI this test is skipped)")(test)
        return skipped

    @functools.wraps(test)
    def missing(*args: Any, **kwargs: Any) -> None:
        pytest.fail(f"{message}; in CI they must be copied beside the checkout", pytrace=False)

    return missing  # type: ignore[return-value]


# Every section; CannotFollow empty and not; MaxShifts 0; days off on one line with a run, an empty list;
# cover the same on every Monday–Friday (E 1), on every weekend day (E 2), on every day but Thursday (L 1),
# and on single dates (L on Thursdays: 0 one week, 1 at other weights the next).
TINY = """\
# A tiny instance in the benchmark's format.
SECTION_HORIZON
# days
14

SECTION_SHIFTS
# ShiftID, Length in mins, Shifts which cannot follow this shift | separated
E,480,
L,600,E

SECTION_STAFF
# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts,
# MinConsecutiveDaysOff, MaxWeekends
A,E=10|L=5,4800,1200,4,2,2,1
B,E=10|L=0,3600,960,5,1,1,2
C,E=3|L=8,5400,0,3,2,1,2
D,E=6|L=6,4800,2400,5,2,1,1

SECTION_DAYS_OFF
# EmployeeID, DayIndexes (start at zero)
A,0
B,3,4,5,9
C,

SECTION_SHIFT_ON_REQUESTS
# EmployeeID, Day, ShiftID, Weight
A,2,E,2
C,6,L,3

SECTION_SHIFT_OFF_REQUESTS
# EmployeeID, Day, ShiftID, Weight
B,1,E,1
D,8,L,2

SECTION_COVER
# Day, ShiftID, Requirement, Weight for under, Weight for over
0,E,1,100,1
0,L,1,100,1
1,E,1,100,1
1,L,1,100,1
2,E,1,100,1
2,L,1,100,1
3,E,1,100,1
3,L,0,100,1
4,E,1,100,1
4,L,1,100,1
5,E,2,100,1
5,L,1,100,1
6,E,2,100,1
6,L,1,100,1
7,E,1,100,1
7,L,1,100,1
8,E,1,100,1
8,L,1,100,1
9,E,1,100,1
9,L,1,100,1
10,E,1,100,1
10,L,1,50,3
11,E,1,100,1
11,L,1,100,1
12,E,2,100,1
12,L,1,100,1
13,E,2,100,1
13,L,1,100,1
"""

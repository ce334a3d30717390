"""Fixtures of the report tests: the shared community and one solved rota of it, once per module."""

from __future__ import annotations

import pytest

from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from tests.reports.community import community, solved_rota


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return community()


@pytest.fixture(scope="module")
def rota(scenario: Scenario) -> Rota:
    return solved_rota(scenario)

"""Schemathesis over every operation of the JSON API, as a logged-in coordinator: valid and invalid requests drawn
from the OpenAPI schema; no server error, every answer as the schema documents it (status, content type, headers,
body), invalid requests refused and valid ones accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from tests.web.conftest import login
from tests.web.feeds_support import make_app, publish, week_one

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

EXAMPLES = 30
"""Per operation and mode (valid, invalid): over 1,000 cases for the API's 26 operations."""
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
    response_schema_conformance, negative_data_rejection, missing_required_header, unsupported_method,
]
ACCEPTS_WHAT_THE_SCHEMA_ALLOWS = [*CHECKS, positive_data_acceptance]

BEYOND_JSON_SCHEMA = {
    "PUT /api/community/setup": "the people's roles must exist; a community needs a post or a team duty",
    "POST /api/people": "roles and posts named must exist in the community",
    "PUT /api/people/{key}": "roles and posts must exist; a window's start and end differ; an absence's 'until' is "
    "not before its 'date', 'start' and 'end' come together",
    "PUT /api/people/{key}/availability": "a window's start and end differ; an absence's 'until' is not before its "
    "'date', 'start' and 'end' come together",
    "PUT /api/checkins": "a status comes with the times it implies (an arrival for arrived, late and left early; a "
    "departure for left early; none for a no-show), the departure after the arrival",
    "GET /api/service-record": "'to' is not before 'from', and at most 366 days from it",
}
"""Operations whose schema-valid bodies may still be refused (422, naming the field), by rules JSON Schema cannot
state: references to the stored community and conditions across fields. Every other check runs on them too."""


def _explore(operation: Any, mode: GenerationMode, cookies: dict[str, str]) -> int:
    """Run EXAMPLES cases of one operation in one mode; how many were sent (a failure raises)."""
    sent = 0
    checks = CHECKS if operation.label in BEYOND_JSON_SCHEMA else ACCEPTS_WHAT_THE_SCHEMA_ALLOWS

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        nonlocal sent
        case = data.draw(operation.as_strategy(generation_mode=mode))
        sent += 1
        case.call_and_validate(cookies=cookies, checks=checks)

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # an operation without parameters has no invalid request
    return sent


def test_the_api_keeps_its_schema(tmp_path: Path) -> None:
    app: FastAPI = make_app(tmp_path)
    publish(app, week_one())
    with TestClient(app, follow_redirects=False) as client:
        login(client)
        cookies = dict(client.cookies)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    cases = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                cases += _explore(operation, mode, cookies)
            except (Exception, FailureGroup) as error:  # failed checks, or the server's own exception (a 500)
                failures.append(f"{operation.label} ({mode.value}): {error!r}")
    assert failures == [], "\n".join(failures)
    assert cases >= 1000
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert set(BEYOND_JSON_SCHEMA) <= labels, "an operation listed as beyond JSON Schema no longer exists"

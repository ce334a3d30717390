"""Schemathesis over every operation of the JSON API, as a logged-in coordinator: valid and invalid requests drawn
from the OpenAPI schema; no server error, and every answer as the schema documents it (status, content type,
headers, body)."""

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
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 30
"""Per operation and mode (valid, invalid): over 1,000 cases for the API's 26 operations."""
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
    response_schema_conformance,
]


def _explore(operation: Any, mode: GenerationMode, cookies: dict[str, str]) -> int:
    """Run EXAMPLES cases of one operation in one mode; how many were sent (a failure raises)."""
    sent = 0

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        nonlocal sent
        case = data.draw(operation.as_strategy(generation_mode=mode))
        sent += 1
        case.call_and_validate(cookies=cookies, checks=CHECKS)

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

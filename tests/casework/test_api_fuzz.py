"""Schemathesis against the API's own OpenAPI document: hostile and random input on
every endpoint, as every role, never answered with a server error (5xx).

Bad dates, huge numbers, wrong types, missing fields, unknown ids: each must be a
clear 4xx (problem+json), never a 500 (security issue 13 item 6, reliability 11).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from kvisa.accounts.models import ApiToken, Role
from tests.support.cases import under_review
from tests.support.people import make_user

pytestmark = pytest.mark.slow


@pytest.fixture
def api_schema() -> Iterator[Any]:
    """The real WSGI application, as gunicorn runs it; like Django's test client, it must
    not close the test's database connection at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens() -> dict[str, str]:
    """A write token for an applicant with a case under review, and for its officer."""
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    under_review(applicant, officer)
    return {role: ApiToken.issue(user, "fuzz", scope="write")[1]
            for role, user in (("applicant", applicant), ("officer", officer),
                               ("analyst", make_user(Role.ANALYST)))}


def _fuzz(operation: Any, token: str, examples: int) -> None:
    """Hypothesis drives Schemathesis' strategy for one operation (no pytest plugin)."""
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                               checks=[not_a_server_error])
    run()


@pytest.mark.parametrize("role", ["applicant", "officer", "analyst"])
def test_no_input_makes_the_api_fail(api_schema: Any, tokens: dict[str, str],
                                     role: str) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 15
    for operation in operations:
        _fuzz(operation, tokens[role], examples=25 if role != "analyst" else 8)

"""Schemathesis against the API's own OpenAPI document: hostile and random input on
every endpoint, as every role, never answered with a server error (5xx).

Bad dates, huge numbers, wrong types, missing fields, unknown ids: each must be a
clear 4xx (problem+json), never a 500 (security issue 13 item 6, reliability 11).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kvisa.accounts.models import ApiToken, Role

from .conftest import make_user, under_review

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def api_schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def tokens() -> dict[str, str]:
    """A write token for an applicant with a case under review, and for its officer."""
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    under_review(applicant, officer)
    return {role: ApiToken.issue(user, "fuzz", scope="write")[1]
            for role, user in (("applicant", applicant), ("officer", officer),
                               ("analyst", make_user(Role.ANALYST)))}


@schema.parametrize()
@settings(max_examples=40, deadline=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("role", ["applicant", "officer", "analyst"])
def test_no_input_makes_the_api_fail(case: Any, tokens: dict[str, str], role: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"},
                           checks=[not_a_server_error])

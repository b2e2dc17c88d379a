"""Idempotency per the IETF Idempotency-Key draft, on the API's case actions.

Same key and same request: the first answer, applied once.  Same key, another
request: 422.  Same key while the first is still running: 409.  The
``Idempotency-Key`` header is the standard; ``client_txn_id`` stays as an alias.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from kvisa.accounts.models import ApiToken
from kvisa.casework.models import Action
from tests.support.cases import held_elsewhere, submitted, under_review


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 't', scope='write')[1]}")


def _evidence(due: str = "2099-01-01", message: str = "Your degree certificate") -> dict:  # type: ignore[type-arg]
    return {"message": message, "due_date": due}


def test_the_same_key_and_request_returns_the_first_answer_once(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    api = _api(officer)
    url = f"/api/v1/applications/{application.pk}/request-evidence"
    first = api.post(url, _evidence(), content_type="application/json",
                     HTTP_IDEMPOTENCY_KEY="key-1")
    again = api.post(url, _evidence(), content_type="application/json",
                     HTTP_IDEMPOTENCY_KEY="key-1")
    assert first.status_code == again.status_code == 200
    assert first.json()["state"] == again.json()["state"] == "evidence_requested"
    assert first.json()["version"] == again.json()["version"]
    assert Action.objects.filter(application=application, kind="request_evidence").count() == 1


def test_a_retry_answers_as_the_first_time_even_after_later_changes(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    api = _api(officer)
    url = f"/api/v1/applications/{application.pk}/assign"
    first = api.post(url, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a-1")
    api.post(f"/api/v1/applications/{application.pk}/request-evidence", _evidence(),
             content_type="application/json", HTTP_IDEMPOTENCY_KEY="e-1")
    retry = api.post(url, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert retry.status_code == 200
    assert retry.json()["state"] == first.json()["state"] == "under_review"
    assert retry.json()["version"] == first.json()["version"]


def test_the_same_key_with_a_different_request_is_refused(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    api = _api(officer)
    url = f"/api/v1/applications/{application.pk}/request-evidence"
    assert api.post(url, _evidence(), content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY="key-2").status_code == 200
    other = api.post(url, _evidence(message="Something else"),
                     content_type="application/json", HTTP_IDEMPOTENCY_KEY="key-2")
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    assert other["Content-Type"] == "application/problem+json"


def test_client_txn_id_is_an_alias_and_must_agree_with_the_header(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    api = _api(officer)
    url = f"/api/v1/applications/{application.pk}/request-evidence"
    clash = api.post(url, {**_evidence(), "client_txn_id": "a"},
                     content_type="application/json", HTTP_IDEMPOTENCY_KEY="b")
    assert clash.status_code == 422
    assert api.post(url, {**_evidence(), "client_txn_id": "c"},
                    content_type="application/json").status_code == 200
    assert api.post(url, {**_evidence(), "client_txn_id": "c"},
                    content_type="application/json").status_code == 200  # a retry
    missing = api.post(f"/api/v1/applications/{application.pk}/approve", {},
                       content_type="application/json")
    assert missing.status_code == 422 and "Idempotency-Key" in missing.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_the_same_key_while_the_first_is_running_is_409(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("the in-flight claim is a PostgreSQL advisory lock")
    application = under_review(applicant, officer)
    with held_elsewhere("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                        [f"kvisa-txn:{application.pk}:slow-key"]):
        response = _api(officer).post(
            f"/api/v1/applications/{application.pk}/request-evidence", _evidence(),
            content_type="application/json", HTTP_IDEMPOTENCY_KEY="slow-key")
        assert response.status_code == 409
        assert "still being processed" in response.json()["detail"]
        assert not Action.objects.filter(kind="request_evidence").exists()
    # once it has finished, the key works (here: applied, as nothing was recorded)
    done = _api(officer).post(
        f"/api/v1/applications/{application.pk}/request-evidence", _evidence(),
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="slow-key")
    assert done.status_code == 200

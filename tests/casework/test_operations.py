"""What a balancer and an operator ask of a node: health, readiness, metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kvisa.site.bootstrap import ensure_signer
from tests.support.cases import submitted
from tests.support.people import client_for
from tests.support.s3 import free_port, s3_storages

pytestmark = pytest.mark.django_db


def test_health_answers_without_touching_anything() -> None:
    answer = Client().get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    assert "no-cache" in answer["Cache-Control"]


def test_ready_when_the_database_the_store_and_the_keys_answer() -> None:
    ensure_signer()  # as `kvisa serve` does before it answers
    answer = Client().get("/readyz")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"status": "ready", "database": "ok", "store": "ok", "keys": "ok"}


def test_not_ready_names_what_is_missing(settings: Any, tmp_path: Path) -> None:
    ensure_signer()
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    local = {"BACKEND": "django.core.files.storage.FileSystemStorage",
             "OPTIONS": {"location": str(blocker / "documents")}}
    settings.STORAGES = {**settings.STORAGES, "documents": local}
    settings.SIGNER_KEY = str(tmp_path / "no-such-key.pem")
    answer = Client().get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "not ready" and body["database"] == "ok"
    assert body["store"].startswith("failed") and body["keys"].startswith("failed")


def test_not_ready_when_the_s3_store_is_away(settings: Any) -> None:
    settings.STORAGES = s3_storages(f"http://127.0.0.1:{free_port()}", "kvisa-gone")
    answer = Client().get("/readyz")
    assert answer.status_code == 503 and answer.json()["store"].startswith("failed")


def test_metrics_count_requests_and_case_actions_without_private_labels(  # type: ignore[no-untyped-def]
        applicant, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(applicant)
    client_for(applicant).get(f"/applications/{application.pk}/")
    body = Client().get("/metrics").content.decode()
    assert 'kvisa_case_actions_total{action="submit"}' in body
    assert 'kvisa_request_seconds_count{method="GET",status="2xx",view="portal:detail"}' in body
    assert "kvisa_audit_chain_lag_events" in body and "kvisa_audit_checkpoint_age_seconds" in body
    assert 'kvisa_jobs{status="queued"} 0.0' in body
    assert applicant.email not in body and f"/applications/{application.pk}" not in body


def test_metrics_are_for_the_operators_network_or_token_only(monkeypatch: Any) -> None:
    outsider = Client(REMOTE_ADDR="203.0.113.9")
    assert outsider.get("/metrics").status_code == 404
    monkeypatch.setenv("KVISA_METRICS_TOKEN", "scrape-secret")
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert outsider.get("/metrics",
                        HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200
    monkeypatch.setenv("KVISA_METRICS_FROM", "203.0.113.0/24")
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 200


def test_a_request_id_is_echoed_only_when_it_is_a_plain_token() -> None:
    kept = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.2")
    assert kept["X-Request-Id"] == "lb-7f3a.2"
    replaced = Client().get("/healthz", HTTP_X_REQUEST_ID='x"\n{"forged":1}')
    assert replaced["X-Request-Id"] != 'x"\n{"forged":1}' and len(replaced["X-Request-Id"]) == 32

"""The audit chain detects an edited, inserted or deleted row; ``kvisa audit verify``."""

from __future__ import annotations

import pytest
from django.db import connection
from typer.testing import CliRunner

from kvisa.casework.audit import verify_chain
from kvisa.casework.models import AuditEvent
from kvisa.cli import app

from .conftest import under_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(applicant, officer):  # type: ignore[no-untyped-def]
    under_review(applicant, officer)
    assert AuditEvent.objects.count() >= 4
    return list(AuditEvent.objects.order_by("sequence"))


def test_an_intact_chain_verifies(chain) -> None:  # type: ignore[no-untyped-def]
    report = verify_chain()
    assert report.ok and report.events == len(chain)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.stdout


def test_an_edited_row_is_detected(chain) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE casework_auditevent SET actor = %s WHERE sequence = %s",
                       ["mallory@example.org", chain[1].sequence])
    report = verify_chain()
    assert not report.ok and "edited" in report.problem
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and "edited" in result.stderr


def test_a_deleted_row_is_detected(chain) -> None:  # type: ignore[no-untyped-def]
    AuditEvent.objects.filter(sequence=chain[1].sequence).delete()
    assert "missing" in verify_chain().problem


def test_deleting_the_last_rows_is_detected(chain) -> None:  # type: ignore[no-untyped-def]
    AuditEvent.objects.filter(sequence=chain[-1].sequence).delete()
    assert not verify_chain().ok


def test_an_inserted_row_is_detected(chain) -> None:  # type: ignore[no-untyped-def]
    last = chain[-1]
    AuditEvent.objects.create(sequence=last.sequence + 1, previous_hash=last.hash,
                              hash="f" * 64, actor="mallory", action="application.approve",
                              object_type="application", object_id="1",
                              created_at=last.created_at)
    report = verify_chain()
    assert not report.ok and "edited" in report.problem  # its hash is not the chain's


def test_a_renumbered_row_is_detected(chain) -> None:  # type: ignore[no-untyped-def]
    AuditEvent.objects.filter(sequence=chain[-1].sequence).update(
        sequence=chain[-1].sequence + 5)
    assert "missing" in verify_chain().problem


@pytest.mark.django_db(transaction=True)
def test_writing_outside_a_transaction_is_refused() -> None:
    from kvisa.casework.audit import record

    with pytest.raises(RuntimeError):
        record(actor="x", action="y", object_type="z", object_id=1)

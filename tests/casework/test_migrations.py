"""A database made before the audit log and issuance moved to their own apps keeps
every event, visa and card (the tables stay; only Django's view of them moves)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_THE_MOVES = [("casework", "0015_enquiry_count")]


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_moves_migrates_with_its_rows() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVES)  # the schema as main had it before the moves
    old = executor.loader.project_state(BEFORE_THE_MOVES).apps
    old.get_model("casework", "AuditEvent").objects.create(
        actor="officer@test.kvisa", action="application.approve", object_type="application",
        object_id="7", created_at=timezone.now())
    old.get_model("casework", "AuditHead").objects.create(last_sequence=0)
    person = old.get_model("accounts", "User").objects.create(
        email="anna@test.kvisa", display_name="Anna", password="!")
    case = old.get_model("casework", "Application").objects.create(
        applicant=person, programme="cn.permanent_residence", state="issued")
    old.get_model("casework", "Visa").objects.create(
        application=case, number="K00000007", visa_type="K", valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2030, 12, 31), entries=0, stay_days=180, mrz=[], seal_hex="00",
        pdf_sha256="0" * 64)
    old.get_model("casework", "ResidentCard").objects.create(
        application=case, number="9" * 18, prefix="9" * 14, sex="F", sequence=1,
        valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2036, 1, 1))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from kvisa.audit.models import AuditEvent, AuditHead
    from kvisa.casework.models import Application
    from kvisa.issuance.models import ResidentCard, Visa

    event = AuditEvent.objects.get(action="application.approve")
    assert (event.actor, event.object_id, event.sequence) == ("officer@test.kvisa", "7", None)
    assert AuditHead.objects.count() == 1
    application = Application.objects.get(pk=case.pk)
    assert Visa.objects.get(application=application).number == "K00000007"
    assert application.resident_cards.get().number == "9" * 18  # the reverse name still works
    assert ResidentCard.objects.filter(replaces__isnull=True).count() == 1
    fresh = MigrationExecutor(connection)  # nothing left to apply
    assert not fresh.migration_plan(fresh.loader.graph.leaf_nodes())

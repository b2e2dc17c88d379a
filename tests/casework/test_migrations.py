"""A database made before the audit log moved to its own app keeps every event."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_THE_MOVE = [("casework", "0015_enquiry_count")]


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_audit_app_migrates_with_its_events() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)  # the schema as main had it before the move
    old = executor.loader.project_state(BEFORE_THE_MOVE).apps
    old.get_model("casework", "AuditEvent").objects.create(
        actor="officer@test.kvisa", action="application.approve", object_type="application",
        object_id="7", created_at=timezone.now())
    old.get_model("casework", "AuditHead").objects.create(last_sequence=0)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from kvisa.audit.models import AuditEvent, AuditHead

    event = AuditEvent.objects.get(action="application.approve")
    assert (event.actor, event.object_id, event.sequence) == ("officer@test.kvisa", "7", None)
    assert AuditHead.objects.count() == 1
    fresh = MigrationExecutor(connection)  # nothing left to apply
    assert not fresh.migration_plan(fresh.loader.graph.leaf_nodes())

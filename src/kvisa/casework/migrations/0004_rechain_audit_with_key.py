"""Re-chain the audit log under the keyed scheme and link events to journal actions.

The earlier chain was an unkeyed SHA-256 chain.  Its events are kept as they were
written and released from that chain (sequence and hashes cleared), so the keyed
chainer links them, in their original order, on its first run.  Each journal action
is paired with the audit event written for it (same case and action, in order).
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEvent = apps.get_model("casework", "AuditEvent")
    AuditHead = apps.get_model("casework", "AuditHead")
    Action = apps.get_model("casework", "Action")
    AuditEvent.objects.update(sequence=None, previous_hash="", hash="", key_id="")
    AuditHead.objects.all().delete()
    events: dict[tuple[str, str], list[int]] = {}
    for pk, action, object_id in (AuditEvent.objects.filter(object_type="application")
                                  .order_by("id").values_list("id", "action", "object_id")):
        events.setdefault((action, object_id), []).append(pk)
    for action in Action.objects.order_by("id").only("id", "kind", "application_id"):
        queue = events.get((f"application.{action.kind}", str(action.application_id)))
        if queue:
            AuditEvent.objects.filter(pk=queue.pop(0)).update(journal_action_id=action.pk)


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_audit_chained_after_commit")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

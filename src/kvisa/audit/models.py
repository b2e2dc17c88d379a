"""The audit log's tables: the events and the chain's head."""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """Append-only and keyed-hash-chained.

    Written unchained (no ``sequence``) in the state change's own transaction;
    the chainer (:mod:`kvisa.audit.log`) then gives committed events their
    place in the chain in a short transaction of its own:
    ``hash = HMAC(key, previous hash ‖ canonical event)``.
    """

    sequence = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    key_id = models.CharField(max_length=32, blank=True)
    actor = models.CharField(max_length=254)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    # the journal entry this event records (casework Action id), so verify can
    # tell a journal action that has no audit event
    journal_action_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "casework_auditevent"  # made when the log lived in casework; kept
        ordering = ["id"]
        indexes = [models.Index(fields=["id"], name="audit_unchained",
                                condition=models.Q(sequence__isnull=True))]


class AuditHead(models.Model):
    """One row: the chain's last link, locked only by the chainer's short transaction."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        db_table = "casework_audithead"

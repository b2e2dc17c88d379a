"""The audit log: append one event at a time to a hash chain, and verify the chain.

Appending locks the single :class:`AuditHead` row (``SELECT … FOR UPDATE``), so
concurrent writers are serialised and the chain cannot fork; the event is
written in the caller's transaction, so a state change and its audit event
commit or roll back together.  ``verify_chain`` recomputes every hash: an
edited row breaks its own hash, a deleted or inserted row breaks the sequence
or the link to its neighbour.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kvisa.casework.models import AuditEvent, AuditHead


def _canonical(event: dict[str, Any]) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode()


def _digest(previous: str, event: dict[str, Any]) -> str:
    return hashlib.sha256(previous.encode() + _canonical(event)).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {"sequence": event.sequence, "actor": event.actor, "action": event.action,
            "object_type": event.object_type, "object_id": event.object_id,
            "before": event.before, "after": event.after, "request_id": event.request_id,
            "created_at": event.created_at.isoformat()}


def record(*, actor: str, action: str, object_type: str, object_id: str | int,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           request_id: str = "") -> AuditEvent:
    """Append an event; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the state change's transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(sequence=head.last_sequence + 1, previous_hash=head.last_hash,
                       actor=actor, action=action, object_type=object_type,
                       object_id=str(object_id), before=before or {}, after=after or {},
                       request_id=request_id[:64], created_at=timezone.now())
    event.hash = _digest(event.previous_hash, _fields(event))
    event.save()
    head.last_sequence, head.last_hash = event.sequence, event.hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return event


@dataclass
class ChainReport:
    ok: bool
    events: int
    problem: str = ""


def verify_chain() -> ChainReport:
    previous, expected_sequence, count = "0" * 64, 1, 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        count += 1
        if event.sequence != expected_sequence:
            return ChainReport(False, count, f"sequence {expected_sequence} is missing "
                               f"(found {event.sequence}): a row was deleted or inserted")
        if event.previous_hash != previous:
            return ChainReport(False, count, f"event {event.sequence} does not link to the "
                               "previous event")
        if _digest(previous, _fields(event)) != event.hash:
            return ChainReport(False, count, f"event {event.sequence} was edited")
        previous, expected_sequence = event.hash, expected_sequence + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_sequence != count or (count and head.last_hash
                                                              != previous)):
        return ChainReport(False, count, f"the chain ends at {count} but the head says "
                           f"{head.last_sequence}: the last rows were deleted")
    return ChainReport(True, count)

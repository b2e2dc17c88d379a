"""The audit log: events written with their state change, chained after commit, verified.

Why chained after commit: a chain needs one writer at a time.  Taking the
chain's head lock inside every case transaction serialised all submissions
behind it (~300/s on two cores).  Now :func:`record` writes the event without
a place in the chain, in the caller's transaction (so the change and its event
commit or roll back together), and registers :func:`chain_pending` to run once
that transaction has committed.  The chainer takes the head lock in a short
transaction of its own and links every committed, unchained event in order:
``hash = HMAC-SHA256(audit key, previous hash ‖ canonical event)``.  An event
whose chainer never ran (a crash between commit and chaining) is linked by the
next one; ``verify`` reports one still unchained after a grace period.

Why keyed and checkpointed: an unkeyed hash chain can be recomputed by anyone
who can write to the database, and a head kept in the same database can be
rewritten with it.  The HMAC key lives in the key folder, and the head is
signed at intervals into a checkpoint file outside the database
(:mod:`kvisa.casework.audit_checkpoints`).  ``verify`` also checks that every
journal action has its audit event, so a wiped or cut log is never "intact".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kvisa.casework import audit_checkpoints, audit_keys
from kvisa.casework.models import Action, AuditEvent, AuditHead

log = logging.getLogger(__name__)
GENESIS = "0" * 64
CHAIN_BATCH = 5000


def _canonical(event: dict[str, Any]) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {"sequence": event.sequence, "key_id": event.key_id, "actor": event.actor,
            "action": event.action, "object_type": event.object_type,
            "object_id": event.object_id, "journal_action_id": event.journal_action_id,
            "before": event.before, "after": event.after, "request_id": event.request_id,
            "created_at": event.created_at.isoformat()}


def _link(key: audit_keys.AuditKey, previous: str, event: AuditEvent) -> str:
    return hmac.new(key.mac_key, previous.encode() + _canonical(_fields(event)),
                    hashlib.sha256).hexdigest()


def record(*, actor: str, action: str, object_type: str, object_id: str | int,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           request_id: str = "", journal_action: Action | None = None) -> AuditEvent:
    """Write an event in the caller's transaction; it is chained once that commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the state change's transaction")
    event = AuditEvent.objects.create(
        actor=actor, action=action, object_type=object_type, object_id=str(object_id),
        journal_action_id=journal_action.pk if journal_action else None,
        before=before or {}, after=after or {}, request_id=request_id[:64],
        created_at=timezone.now())
    # once per transaction (Django drops the callback if the transaction rolls back)
    pending_callbacks = [entry[1] for entry in connection.run_on_commit]
    if _chain_after_commit not in pending_callbacks:
        # robust: a chainer that fails (key folder unwritable, database gone) must not
        # turn a committed change into an error; the next chainer links the event
        transaction.on_commit(_chain_after_commit, robust=True)
    return event


def _chain_after_commit() -> None:
    chain_pending()


@dataclass
class ChainResult:
    chained: int
    last_sequence: int
    checkpoint: audit_checkpoints.Checkpoint | None = None


def chain_pending(*, checkpoint: bool | None = None) -> ChainResult:
    """Link every committed, unchained event; then sign a checkpoint if one is due.

    ``checkpoint``: True forces one, False never writes one, None writes one when
    the last is older than ``AUDIT_CHECKPOINT_SECONDS`` or ``AUDIT_CHECKPOINT_EVENTS``
    events behind.
    """
    key = audit_keys.current(create=True)
    chained = 0
    while True:
        with transaction.atomic():
            head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
            batch = list(AuditEvent.objects.filter(sequence__isnull=True)
                         .order_by("id")[:CHAIN_BATCH])
            for event in batch:
                event.sequence, event.previous_hash = head.last_sequence + 1, head.last_hash
                event.key_id = key.key_id
                event.hash = _link(key, event.previous_hash, event)
                head.last_sequence, head.last_hash = event.sequence, event.hash
            if batch:
                AuditEvent.objects.bulk_update(batch, ["sequence", "previous_hash", "hash",
                                                       "key_id"])
                head.save(update_fields=["last_sequence", "last_hash"])
            last_sequence, last_hash = head.last_sequence, head.last_hash
        chained += len(batch)
        if len(batch) < CHAIN_BATCH:
            break
    result = ChainResult(chained, last_sequence)
    if last_sequence and (checkpoint or (checkpoint is None and _checkpoint_due(
            last_sequence))):
        result.checkpoint = audit_checkpoints.write(last_sequence, last_hash)
    return result


def _checkpoint_due(sequence: int) -> bool:
    newest = audit_checkpoints.last()
    if newest is None:
        return True
    if sequence - newest.sequence >= settings.AUDIT_CHECKPOINT_EVENTS:
        return True
    age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(newest.at)
    return sequence > newest.sequence and age.total_seconds() >= \
        settings.AUDIT_CHECKPOINT_SECONDS


# ------------------------------------------------------------------ verification

@dataclass
class ChainReport:
    """What ``verify`` found.  ``first_untrusted`` is the first event (sequence) that can no
    longer be trusted; ``trusted_through`` the last event a valid checkpoint vouches for
    before the problem (0: none)."""

    ok: bool
    events: int
    problem: str = ""
    first_untrusted: int | None = None
    trusted_through: int = 0
    checkpoints: int = 0
    pending: int = 0
    notes: list[str] = field(default_factory=list)


def verify_chain(*, grace_seconds: float | None = None) -> ChainReport:
    """Check links, keyed hashes, signed checkpoints, unchained events and the journal."""
    grace = settings.AUDIT_CHAIN_GRACE_SECONDS if grace_seconds is None else grace_seconds
    try:
        checkpoints = audit_checkpoints.read_verified()
    except audit_checkpoints.CheckpointError as exc:
        return ChainReport(False, 0, f"checkpoint file: {exc}", first_untrusted=1)
    by_sequence = {c.sequence: c for c in checkpoints}
    report = ChainReport(True, 0, checkpoints=len(checkpoints))
    previous, expected = GENESIS, 1
    for event in AuditEvent.objects.filter(sequence__isnull=False).order_by(
            "sequence").iterator(chunk_size=2000):
        problem = _event_problem(event, expected, previous)
        if problem:
            return _broken(report, problem, expected, checkpoints)
        anchor = by_sequence.get(event.sequence or 0)
        if anchor is not None:
            if anchor.hash != event.hash:
                return _broken(report, f"event {event.sequence} is not the event the "
                               f"checkpoint signed at {anchor.at} vouches for: the log was "
                               "rewritten", _first_after(event.sequence or 0, checkpoints),
                               checkpoints)
            report.trusted_through = event.sequence or 0
        report.events += 1
        previous, expected = event.hash, expected + 1
    last = report.events
    if checkpoints and max(by_sequence) > last:
        newest = max(checkpoints, key=lambda c: c.sequence)
        return _broken(report, f"the log ends at event {last} but the checkpoint signed at "
                       f"{newest.at} covers event {newest.sequence}: events after {last} "
                       "were deleted", last + 1, checkpoints)
    head = AuditHead.objects.filter(pk=1).first()
    if last and (head is None or head.last_sequence != last or head.last_hash != previous):
        return _broken(report, f"the chain ends at event {last} but its head says "
                       f"{head.last_sequence if head else 'nothing'}: the head or the last "
                       "events were changed", last + 1 if head and head.last_sequence > last
                       else last, checkpoints)
    unchained = AuditEvent.objects.filter(sequence__isnull=True)
    report.pending = unchained.count()
    cutoff = timezone.now() - dt.timedelta(seconds=grace)
    stale = unchained.filter(created_at__lt=cutoff).order_by("id").first()
    if stale is not None:
        return _broken(report, f"event #{stale.pk} ({stale.action} at "
                       f"{stale.created_at:%Y-%m-%d %H:%M:%S}) was committed but never "
                       "chained: it was inserted outside the service, or the chainer has "
                       "not run (`kvisa audit chain` links it)", last + 1, checkpoints)
    orphan = (Action.objects.exclude(pk__in=AuditEvent.objects.filter(
        journal_action_id__isnull=False).values("journal_action_id")).order_by("pk").first())
    if orphan is not None:
        return _broken(report, f"journal action #{orphan.pk} ({orphan.kind} on application "
                       f"{orphan.application_id} at {orphan.created_at:%Y-%m-%d %H:%M:%S}) "
                       "has no audit event: audit events were deleted",
                       _sequence_before(orphan), checkpoints)
    if not checkpoints and last:
        report.notes.append("no signed checkpoint yet: a rewrite by someone holding the "
                            "chain key would not be detected (`kvisa audit checkpoint`)")
    elif checkpoints and report.trusted_through < last:
        report.notes.append(f"events after {report.trusted_through} are not yet covered by "
                            "a checkpoint")
    return report


def _event_problem(event: AuditEvent, expected: int, previous: str) -> str:
    if event.sequence != expected:
        return (f"event {expected} is missing (found {event.sequence}): a row was deleted, "
                "inserted or renumbered")
    if event.previous_hash != previous:
        return f"event {event.sequence} does not link to the previous event"
    try:
        key = audit_keys.load(event.key_id)
    except audit_keys.AuditKeyMissing as exc:
        return f"event {event.sequence} cannot be checked: {exc}"
    if not hmac.compare_digest(_link(key, previous, event), event.hash):
        return f"event {event.sequence} was edited (its keyed hash does not match)"
    return ""


def _first_after(sequence: int, checkpoints: list[audit_checkpoints.Checkpoint]) -> int:
    """After a checkpoint mismatch at ``sequence``: everything after the last good one."""
    earlier = [c.sequence for c in checkpoints if c.sequence < sequence]
    return (max(earlier) + 1) if earlier else 1


def _sequence_before(action: Action) -> int:
    later = (AuditEvent.objects.filter(sequence__isnull=False, created_at__gte=action.created_at)
             .order_by("sequence").values_list("sequence", flat=True).first())
    return int(later) if later else 1


def _broken(report: ChainReport, problem: str, first_untrusted: int,
            checkpoints: list[audit_checkpoints.Checkpoint]) -> ChainReport:
    report.ok = False
    report.problem = problem
    report.first_untrusted = max(1, first_untrusted)
    vouched = [c.sequence for c in checkpoints if c.sequence < report.first_untrusted]
    report.trusted_through = min(report.trusted_through, max(vouched, default=0))
    return report

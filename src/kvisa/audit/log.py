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
(:mod:`kvisa.audit.checkpoints`).  ``verify`` also checks that every
journal action has its audit event, so a wiped or cut log is never "intact".
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from kvisa.audit import checkpoints as audit_checkpoints
from kvisa.audit import keys as audit_keys
from kvisa.audit import trust as audit_trust
from kvisa.audit.models import AuditEvent, AuditHead

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
           request_id: str = "", journal_action: models.Model | None = None) -> AuditEvent:
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
    if _background.alive():
        _background.wake()  # the server's chainer links it within milliseconds
    else:
        chain_pending(wait=False)
        _witness_before_exit()


_exit_hook = [False]


def _witness_before_exit() -> None:
    """A process without the server's chainer (a CLI command, a script) has the head it
    chained witnessed before it exits, so its events never sit unwitnessed until
    some later process comes along."""
    if _exit_hook[0]:
        return
    _exit_hook[0] = True

    def witness_head() -> None:
        try:
            chain_pending(checkpoint=True)
        except Exception:
            log.debug("no checkpoint at exit", exc_info=True)

    atexit.register(witness_head)


class _BackgroundChainer:
    """One thread per server process that links events in batches.

    Why: chaining in every request costs a second transaction (and commit) per
    submission; a thread that wakes on commit, waits a moment for others, and
    links them all in one transaction costs one per batch.  It also wakes every
    few seconds, so events another process left unchained (killed between its
    commit and its chaining) are linked without any request.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopping = False

    def alive(self) -> bool:
        return self._thread is not None and self._pid == os.getpid() and \
            self._thread.is_alive()

    def wake(self) -> None:
        self._event.set()

    def stop(self) -> None:
        """End the thread (tests; a server process simply exits)."""
        if self.alive() and self._thread is not None:
            self._stopping = True
            self._event.set()
            self._thread.join(timeout=10)
        self._thread, self._stopping = None, False

    def start(self) -> None:
        if not self.alive():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="kvisa-audit-chainer",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        from django.db import close_old_connections, connections

        while True:
            self._event.wait(timeout=BACKGROUND_PERIOD_SECONDS)
            if self._stopping:
                connections.close_all()
                return
            time.sleep(BACKGROUND_GATHER_SECONDS)  # let concurrent commits join the batch
            self._event.clear()
            try:
                chain_pending(wait=False)
            except Exception:  # the next wake retries; events stay safe, only unchained
                log.exception("audit chaining failed; retrying on the next wake")
                close_old_connections()


BACKGROUND_PERIOD_SECONDS = 5.0
BACKGROUND_GATHER_SECONDS = 0.02
_background = _BackgroundChainer()


def chain_in_background() -> None:
    """Called by the server process (wsgi.py): chain in a thread instead of per request."""
    _background.start()


@dataclass
class ChainResult:
    chained: int
    last_sequence: int
    checkpoint: audit_checkpoints.Checkpoint | None = None


def chain_pending(*, checkpoint: bool | None = None, wait: bool = True) -> ChainResult:
    """Link every committed, unchained event; then sign a checkpoint if one is due.

    ``checkpoint``: True forces one, False never writes one, None writes one when
    the last is older than ``AUDIT_CHECKPOINT_SECONDS`` or ``AUDIT_CHECKPOINT_EVENTS``
    events behind.  ``wait=False`` (after each commit) gives way when another
    chainer holds the head: that chainer looks for pending events again after it
    commits, and this event had committed before, so it is linked either way.
    """
    key = audit_keys.pinned_or_refuse(audit_keys.current(create=True))
    chained, last_sequence, last_hash = 0, 0, GENESIS
    while True:
        with transaction.atomic():
            _relax_durability()
            head = _lock_head(wait)
            if head is None:
                return ChainResult(chained, last_sequence)  # the holder links ours too
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
        # after our commit: anything committed while we held the head is linked now
        if not batch or not AuditEvent.objects.filter(sequence__isnull=True).exists():
            break
    result = ChainResult(chained, last_sequence)
    # also when nothing new was chained: an idle head is still witnessed within the window
    if last_sequence and (checkpoint or (checkpoint is None and _checkpoint_due(
            last_sequence))):
        _make_durable()  # a checkpoint must never name a link a crash could still undo
        result.checkpoint = audit_checkpoints.write(last_sequence, last_hash)
        _last_checkpoint[audit_checkpoints.where()] = (last_sequence,
                                                       dt.datetime.now(dt.UTC))
    return result


def _relax_durability() -> None:
    """Let the chaining commit return before its WAL record reaches the disk.

    Why this is safe: the events themselves were committed durably by the case
    transactions; a chaining lost in a crash only leaves them unchained, and the
    next chainer links them again.  It halves the fsyncs per submission.  A
    checkpoint is written only after :func:`_make_durable`.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _make_durable() -> None:
    """Flush the WAL up to now (and with it every earlier asynchronous chaining commit)."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            # a write is needed for the commit to wait for the flush; the head row is ours
            cursor.execute("UPDATE casework_audithead SET last_sequence = last_sequence "
                           "WHERE id = 1")


def _lock_head(wait: bool) -> AuditHead | None:
    """The head row, locked; None if another chainer holds it and ``wait`` is False."""
    head = AuditHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    if head is not None:
        return head
    if AuditHead.objects.filter(pk=1).exists():
        return None  # it exists, so it was skipped: locked by another chainer
    AuditHead.objects.get_or_create(pk=1)
    return AuditHead.objects.select_for_update().get(pk=1)


# per process and place of checkpoints: the last checkpoint this process wrote (sequence,
# time), so that most commits need not read the file to know none is due
_last_checkpoint: dict[str, tuple[int, dt.datetime]] = {}


def _checkpoint_due(sequence: int) -> bool:
    known = _last_checkpoint.get(audit_checkpoints.where())
    if known and sequence - known[0] < settings.AUDIT_CHECKPOINT_EVENTS and (
            dt.datetime.now(dt.UTC) - known[1]).total_seconds() < \
            settings.AUDIT_CHECKPOINT_SECONDS:
        return False  # this process wrote one recently; no need to read the file
    newest = audit_checkpoints.last()
    if newest is None:
        return True
    if newest.witnessed:  # another node's: no need to look again until one is due
        _last_checkpoint[audit_checkpoints.where()] = (
            newest.sequence, dt.datetime.fromisoformat(newest.at))
    if sequence - newest.sequence >= settings.AUDIT_CHECKPOINT_EVENTS:
        return True
    age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(newest.at)
    behind = sequence > newest.sequence or not newest.witnessed
    return behind and age.total_seconds() >= settings.AUDIT_CHECKPOINT_SECONDS


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
    witnessed_through: int = 0
    notes: list[str] = field(default_factory=list)


def verify_chain(*, grace_seconds: float | None = None) -> ChainReport:
    """Check links, keyed hashes against pinned keys, signed checkpoints, the witness,
    unchained events and the journal."""
    grace = settings.AUDIT_CHAIN_GRACE_SECONDS if grace_seconds is None else grace_seconds
    try:
        checkpoints = audit_checkpoints.read_verified()
        seen = audit_checkpoints.witnessed()
    except audit_checkpoints.CheckpointError as exc:
        return ChainReport(False, 0, f"checkpoints: {exc}", first_untrusted=1)
    pinned = audit_trust.pinned("chain")
    by_sequence = {c.sequence: c for c in checkpoints}
    witnessed = {c.sequence: c for c in seen}
    report = ChainReport(True, 0, checkpoints=len(checkpoints))
    lost = [c for c in seen if (c.sequence, c.hash) not in {
        (k.sequence, k.hash) for k in checkpoints}]
    if lost:
        return _broken(report, f"the checkpoint record lacks {len(lost)} checkpoint(s) the "
                       f"witness co-signed (the first at event {lost[0].sequence}): the file "
                       "was deleted, cut or restored from an older copy", 1, checkpoints)
    previous, expected = GENESIS, 1
    for event in AuditEvent.objects.filter(sequence__isnull=False).order_by(
            "sequence").iterator(chunk_size=2000):
        problem = _event_problem(event, expected, previous, pinned)
        if problem:
            return _broken(report, problem, expected, checkpoints)
        sequence = event.sequence or 0
        for anchor, who in ((witnessed.get(sequence), "the witness co-signed"),
                            (by_sequence.get(sequence), "the checkpoint signed")):
            if anchor is not None and anchor.hash != event.hash:
                return _broken(report, f"event {sequence} is not the event {who} at "
                               f"{anchor.at} vouches for: the log was rewritten",
                               _first_after(sequence, checkpoints), checkpoints)
        if sequence in by_sequence or sequence in witnessed:
            report.trusted_through = sequence
        report.events += 1
        previous, expected = event.hash, expected + 1
    last = report.events
    newest_seen = max(witnessed, default=0)
    if newest_seen > last:
        return _broken(report, f"the database's chain ends at event {last} but the witness "
                       f"co-signed event {newest_seen}: the log was cut, or the database "
                       "was restored from an older copy", last + 1, checkpoints)
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
    orphan = (_journal().objects.exclude(pk__in=AuditEvent.objects.filter(
        journal_action_id__isnull=False).values("journal_action_id")).order_by("pk").first())
    if orphan is not None:
        return _broken(report, f"journal action #{orphan.pk} ({orphan.kind} on application "
                       f"{orphan.application_id} at {orphan.created_at:%Y-%m-%d %H:%M:%S}) "
                       "has no audit event: audit events were deleted",
                       _sequence_before(orphan), checkpoints)
    window = audit_checkpoints.window_seconds()
    overdue = (AuditEvent.objects.filter(
        sequence__gt=newest_seen, created_at__lt=timezone.now() - dt.timedelta(
            seconds=window)).order_by("sequence").first())
    if overdue is not None:
        when = f"{overdue.created_at:%Y-%m-%d %H:%M:%S}"
        return _broken(report, f"event {overdue.sequence} ({when}) is older than the "
                       f"{window} s witnessing window but no "
                       "witnessed checkpoint covers it: the checkpoints are missing, or the "
                       "witness has been unreachable (`kvisa audit checkpoint`)",
                       overdue.sequence or 1, checkpoints)
    report.witnessed_through = newest_seen
    if last > newest_seen:
        report.notes.append(f"events after {newest_seen} are not yet witnessed (they are "
                            f"within the {window} s window)")
    return report


def _event_problem(event: AuditEvent, expected: int, previous: str,
                   pinned: dict[str, Any]) -> str:
    if event.sequence != expected:
        return (f"event {expected} is missing (found {event.sequence}): a row was deleted, "
                "inserted or renumbered")
    if event.previous_hash != previous:
        return f"event {event.sequence} does not link to the previous event"
    try:
        key = audit_keys.load(event.key_id)
    except audit_keys.AuditKeyMissing as exc:
        return f"event {event.sequence} cannot be checked: {exc}"
    trusted = pinned.get(event.key_id)
    if trusted is None or not audit_trust.same_key(trusted, key.public):
        return (f"event {event.sequence} is chained with key '{event.key_id}', which is not "
                "a pinned audit key: the chain was re-keyed")
    if not hmac.compare_digest(_link(key, previous, event), event.hash):
        return f"event {event.sequence} was edited (its keyed hash does not match)"
    return ""


def _first_after(sequence: int, checkpoints: list[audit_checkpoints.Checkpoint]) -> int:
    """After a checkpoint mismatch at ``sequence``: everything after the last good one."""
    earlier = [c.sequence for c in checkpoints if c.sequence < sequence]
    return (max(earlier) + 1) if earlier else 1


def _journal() -> Any:
    """The journal every entry of which has its event (``AUDIT_JOURNAL_MODEL``)."""
    return apps.get_model(settings.AUDIT_JOURNAL_MODEL)


def _sequence_before(action: Any) -> int:
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

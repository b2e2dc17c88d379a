"""Signed, witnessed checkpoints of the audit chain's head, kept outside the database.

A checkpoint says "event N had hash H".  It is signed by the checkpoint
signer (not the chain key: holding the chain key must not be enough to vouch
for a rewritten log) and co-signed by a witness (:mod:`kvisa.witness`), which
keeps its own append-only copy outside the data folder.  Where they are kept is
``settings.AUDIT_CHECKPOINTS``: a local file (0600) of append-only JSON lines on
one machine, or ``"store"``: one object per checkpoint in the "records" file
store (:mod:`kvisa.filestore`), never overwritten, which every node of a
cluster and an auditor can read.  ``verify`` checks every checkpoint against
the pinned keys and compares them and the database with what the witness saw,
so a deleted, truncated or restored record, or a database rolled back with it,
is caught.

A witness that cannot be reached does not stop the service: the checkpoint is
kept unwitnessed and the next one is witnessed when it can be.  ``verify``
fails once events are older than the witnessing window and still unwitnessed.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import connection, transaction

from kvisa import filestore
from kvisa.audit import keys as audit_keys
from kvisa.audit import trust as audit_trust
from kvisa.witness import (
    Cosigned,
    Witness,
    WitnessError,
    WitnessFolder,
    checkpoint_bytes,
    public_pem,
    witness_at,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    key_id: str
    at: str
    signature: str
    line: int = 0
    witness_id: str = ""
    cosignature: str = ""
    witnessed_at: str = ""

    def signed_bytes(self) -> bytes:
        return checkpoint_bytes(self.sequence, self.hash, self.key_id, self.at)

    @property
    def witnessed(self) -> bool:
        return bool(self.cosignature)


class CheckpointError(Exception):
    """A checkpoint line that cannot be read, or whose signature is not a pinned key's."""


STORE_PREFIX = "audit/checkpoints"


def in_store() -> bool:
    """Whether checkpoints are objects in the records store rather than a local file."""
    return str(settings.AUDIT_CHECKPOINTS) == "store"


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINTS)


def where() -> str:
    """Where the checkpoints are, in words for messages."""
    return f"the records store ({STORE_PREFIX}/)" if in_store() else str(path())


def witness(*, create: bool = True) -> Witness:
    """The configured witness; a folder witness is set up (and pinned) on first use by
    the chainer (``create``), never by a reader such as ``verify``."""
    where = str(settings.AUDIT_WITNESS)
    found = witness_at(where)
    if isinstance(found, WitnessFolder) and not found.exists():
        if not create:
            if audit_trust.pinned("witness"):
                raise WitnessError(f"the witness folder {where} is gone, though a witness "
                                   "key is pinned")
            return found  # no witness yet: nothing was ever witnessed
        _, signer = audit_keys.signer(create=True)
        new_folder = found  # narrowed to a folder for the lambda
        audit_trust.make_pinned("witness", lambda key: new_folder.init(
            [public_pem(signer.public_key())], key=key))
    return found


def _last_line(handle: Any) -> bytes:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 4096))
    lines = handle.read().splitlines()
    return lines[-1] if lines else b""


def last() -> Checkpoint | None:
    """The newest checkpoint written (unverified), or None."""
    if in_store():
        return _store_last()
    target = path()
    if not target.is_file():
        return None
    with target.open("rb") as handle:
        line = _last_line(handle)
    try:
        return _parse(line, 0)
    except CheckpointError:
        return None


def write(sequence: int, chain_hash: str) -> Checkpoint | None:
    """Sign a checkpoint, have it witnessed, and append it, unless one at or beyond
    ``sequence`` is already there (and witnessed).

    Written after the chain's transaction committed, under an exclusive lock (the
    file's, or the database's for the store), so concurrent chainers never
    interleave lines nor sign one head twice; a file is fsynced.
    """
    if in_store():
        return _store_write(sequence, chain_hash)
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            previous = _last_line(handle)
            if previous:
                try:
                    if _superseded(_parse(previous, 0), sequence):
                        return None
                except CheckpointError:
                    pass  # verify reports the bad line; keep anchoring new heads
            record = _signed_and_witnessed(sequence, chain_hash)
            handle.seek(0, os.SEEK_END)
            handle.write(json.dumps(record, sort_keys=True).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return _parse(json.dumps(record).encode(), 0)


def _signed_and_witnessed(sequence: int, chain_hash: str) -> dict[str, Any]:
    key_id, signer = audit_keys.signer(create=True)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    signature = signer.sign(checkpoint_bytes(sequence, chain_hash, key_id, at)).hex()
    record: dict[str, Any] = {"sequence": sequence, "hash": chain_hash,
                              "key_id": key_id, "at": at, "signature": signature}
    try:
        cosigned = witness().cosign(sequence, chain_hash, key_id, at, signature)
        record.update(witness_id=cosigned.witness_id, cosignature=cosigned.cosignature,
                      witnessed_at=cosigned.witnessed_at)
    except WitnessError as exc:  # kept unwitnessed; verify tells once it matters
        log.warning("audit checkpoint %s not witnessed: %s", sequence, exc)
    return record


def _superseded(earlier: Checkpoint | None, sequence: int) -> bool:
    """Whether a checkpoint at ``sequence`` would add nothing to ``earlier``."""
    return earlier is not None and (earlier.sequence > sequence or (
        earlier.sequence == sequence and earlier.witnessed))


# --- checkpoints as objects in the records store (several nodes) -----------------------

def _object_name(record: dict[str, Any]) -> str:
    """Sorted names sort by sequence, then time: the last name is the newest checkpoint."""
    at = str(record["at"]).replace(":", "").replace("-", "").replace("+0000", "Z")
    return f"{STORE_PREFIX}/{int(record['sequence']):012d}-{at}-{record['signature'][:16]}.json"


def _store_names() -> list[str]:
    return filestore.names(filestore.records(), STORE_PREFIX)


def _store_last() -> Checkpoint | None:
    names = _store_names()
    if not names:
        return None
    try:
        return _parse(filestore.read(filestore.records(), names[-1]), 0)
    except CheckpointError:
        return None


def _store_write(sequence: int, chain_hash: str) -> Checkpoint | None:
    """Write one new object, under a database lock so that two nodes' chainers never
    both sign the same head (the head row is not held: the witness may be slow)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK])
        if _superseded(_store_last(), sequence):
            return None
        record = _signed_and_witnessed(sequence, chain_hash)
        data = json.dumps(record, sort_keys=True).encode()
        if not filestore.put_once(filestore.records(), _object_name(record), data):
            return None
    return _parse(data, 0)


# pg_advisory_xact_lock's key for "writing a checkpoint" (any constant the service owns)
CHECKPOINT_LOCK = 0x6B76_6973_6163  # "kvisac"


def _records() -> list[tuple[str, bytes]]:
    """(where, bytes) of every checkpoint kept, oldest first."""
    if in_store():
        return [(f"{STORE_PREFIX}/{name.rsplit('/', 1)[-1]}",
                 filestore.read(filestore.records(), name)) for name in _store_names()]
    target = path()
    if not target.is_file():
        return []
    return [(f"{target} line {number}", line)
            for number, line in enumerate(target.read_bytes().splitlines(), start=1)
            if line.strip()]


def _parse(line: bytes, number: int, place: str = "") -> Checkpoint:
    try:
        data = json.loads(line)
        return Checkpoint(int(data["sequence"]), str(data["hash"]), str(data["key_id"]),
                          str(data["at"]), str(data["signature"]), number,
                          str(data.get("witness_id") or ""), str(data.get("cosignature") or ""),
                          str(data.get("witnessed_at") or ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"{place or where()}: not a checkpoint ({exc})") from exc


def read_verified() -> list[Checkpoint]:
    """Every checkpoint in the file, checked against the pinned keys: the signer's
    signature, and the witness's co-signature where there is one."""
    signers = audit_trust.pinned("signer")
    witnesses = audit_trust.pinned("witness")
    checkpoints = []
    for number, (place, line) in enumerate(_records(), start=1):
        checkpoint = _parse(line, number, place)
        signer = signers.get(checkpoint.key_id)
        if signer is None:
            raise CheckpointError(f"{place}: signed by key {checkpoint.key_id}, "
                                  "which is not a pinned checkpoint signer")
        try:
            signer.verify(bytes.fromhex(checkpoint.signature), checkpoint.signed_bytes())
        except (InvalidSignature, ValueError) as exc:
            raise CheckpointError(f"{place}: the signature is not the "
                                  "checkpoint signer's (the checkpoint was altered)") from exc
        if checkpoint.witnessed:
            cosigned = _as_cosigned(checkpoint)
            public = witnesses.get(checkpoint.witness_id)
            if public is None or not cosigned.verify_cosignature(public):
                raise CheckpointError(f"{place}: the witness co-signature "
                                      "is not a pinned witness's")
        checkpoints.append(checkpoint)
    return checkpoints


def _as_cosigned(checkpoint: Checkpoint) -> Cosigned:
    return Cosigned(checkpoint.sequence, checkpoint.hash, checkpoint.key_id, checkpoint.at,
                    checkpoint.signature, checkpoint.witness_id, checkpoint.cosignature,
                    checkpoint.witnessed_at)


def witnessed() -> list[Cosigned]:
    """What the witness saw, each co-signature checked against the pinned witness keys."""
    trusted = audit_trust.pinned("witness")
    try:
        entries = witness(create=False).entries()
    except WitnessError as exc:
        raise CheckpointError(f"the witness cannot be read: {exc}") from None
    for entry in entries:
        public = trusted.get(entry.witness_id)
        if public is None or not entry.verify_cosignature(public):
            raise CheckpointError(f"the witness's entry at {entry.sequence} is not co-signed "
                                  "by a pinned witness key")
    return entries


def window_seconds() -> int:
    """How long an event may wait to be witnessed: the checkpoint interval plus grace."""
    return int(settings.AUDIT_CHECKPOINT_SECONDS + settings.AUDIT_CHAIN_GRACE_SECONDS)

"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint says "event N had hash H", signed with the audit key.  The file
(``settings.AUDIT_CHECKPOINTS``, ``KVISA_AUDIT_CHECKPOINTS``) is append-only
JSON lines; point it at storage the database's users cannot rewrite (another
host, a WORM bucket mounted as a file, a log shipper).  Whoever wipes,
truncates or rewrites the log in the database — even with the chain key —
cannot make it match a checkpoint already written there without the signing
key, so ``kvisa audit verify`` catches it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.conf import settings

from kvisa.casework import audit_keys

_DOMAIN = b"kvisa audit checkpoint v1\n"


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    key_id: str
    at: str
    signature: str
    line: int = 0

    def signed_bytes(self) -> bytes:
        body = {"sequence": self.sequence, "hash": self.hash, "key_id": self.key_id,
                "at": self.at}
        return _DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


class CheckpointError(Exception):
    """A checkpoint line that cannot be read or whose signature is wrong."""


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINTS)


def _last_line(handle: Any) -> bytes:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 4096))
    lines = handle.read().splitlines()
    return lines[-1] if lines else b""


def last() -> Checkpoint | None:
    """The newest checkpoint written (unverified), or None."""
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
    """Append a signed checkpoint unless one at or beyond ``sequence`` is already there.

    Written after the chain's transaction committed, under an exclusive file
    lock, and fsynced, so concurrent chainers never interleave lines.
    """
    key = audit_keys.current(create=True)
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            previous = _last_line(handle)
            if previous:
                try:
                    if _parse(previous, 0).sequence >= sequence:
                        return None
                except CheckpointError:
                    pass  # verify reports the bad line; keep anchoring new heads
            unsigned = Checkpoint(sequence, chain_hash, key.key_id,
                                  dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "")
            signature = key.private.sign(unsigned.signed_bytes()).hex()
            checkpoint = Checkpoint(unsigned.sequence, unsigned.hash, unsigned.key_id,
                                    unsigned.at, signature)
            record = {"sequence": sequence, "hash": chain_hash, "key_id": key.key_id,
                      "at": checkpoint.at, "signature": signature}
            handle.seek(0, os.SEEK_END)
            handle.write(json.dumps(record, sort_keys=True).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return checkpoint


def _parse(line: bytes, number: int) -> Checkpoint:
    try:
        data = json.loads(line)
        return Checkpoint(int(data["sequence"]), str(data["hash"]), str(data["key_id"]),
                          str(data["at"]), str(data["signature"]), number)
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"{path()} line {number}: not a checkpoint ({exc})") from exc


def read_verified() -> list[Checkpoint]:
    """Every checkpoint in the file, each signature checked; raise on the first bad one."""
    target = path()
    if not target.is_file():
        return []
    checkpoints = []
    for number, line in enumerate(target.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        checkpoint = _parse(line, number)
        try:
            key = audit_keys.load(checkpoint.key_id)
            key.public.verify(bytes.fromhex(checkpoint.signature), checkpoint.signed_bytes())
        except audit_keys.AuditKeyMissing as exc:
            raise CheckpointError(f"{target} line {number}: {exc}") from exc
        except (InvalidSignature, ValueError) as exc:
            raise CheckpointError(f"{target} line {number}: the signature is not the "
                                  "audit key's (the checkpoint was altered)") from exc
        checkpoints.append(checkpoint)
    return checkpoints

"""The audit log's keys on first use, when several processes start at once.

A cluster's nodes (and each node's workers) all reach for the checkpoint signer
and the witness the first time they chain.  CI once caught a checkpoint
co-signed by a witness key that was never pinned: a process made the key and
another used it before (or without) the pin.  Whoever makes a key now pins it
before the key can be seen, and the key appears whole or not at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from kvisa.audit import checkpoints
from kvisa.audit import keys as audit_keys
from kvisa.audit import trust as audit_trust
from kvisa.witness import WitnessFolder, key_id_of
from kvisa.write_once import publish_new
from tests.support.racing import race


def _first_use() -> tuple[str, str]:
    """One process's first checkpoint: its signer and its witness, as the chainer gets
    them; the key ids it would sign and co-sign with."""
    signer_id, _ = audit_keys.signer(create=True)
    witness = checkpoints.witness()
    assert isinstance(witness, WitnessFolder)
    return signer_id, key_id_of(witness.public())


def test_processes_racing_on_first_use_share_one_pinned_signer_and_witness() -> None:
    seen = set(race(_first_use))
    assert len(seen) == 1, f"the processes used different keys: {seen}"
    ((signer_id, witness_id),) = seen
    assert list(audit_trust.pinned("signer")) == [signer_id]
    assert list(audit_trust.pinned("witness")) == [witness_id]
    leftovers = [path for folder in (settings.AUDIT_TRUST, settings.AUDIT_WITNESS)
                 for path in Path(folder).rglob("*.tmp")]
    assert leftovers == []


def test_a_witness_key_that_cannot_be_pinned_is_never_made(tmp_path: Path,
                                                           settings: Any) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("the trust folder cannot be made here\n")
    settings.AUDIT_TRUST = str(blocked)
    with pytest.raises(OSError):
        checkpoints.witness()
    assert not WitnessFolder(settings.AUDIT_WITNESS).exists()
    assert not Path(settings.AUDIT_SIGNER_KEY).exists()


def test_a_file_is_published_whole_and_once(tmp_path: Path) -> None:
    target = tmp_path / "key.pem"
    assert publish_new(target, b"first\n") is True
    assert publish_new(target, b"second\n") is False
    assert target.read_bytes() == b"first\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["key.pem"]

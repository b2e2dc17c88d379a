"""An audit log that survives the threat it names (issue 21, finding 3).

SECURITY.md names the threat as someone who can write the database or the
data folder.  These are the probe's 14 tampers against a copy of the data;
each must make ``verify`` fail.  The first nine were missed before the
checkpoint signer, the pinned keys and the witness; the last five were caught
already and must stay caught.

The log is built as the service builds it: events chained after commit,
checkpoints signed and co-signed by the witness at intervals (here forced, as
the background chainer does within ``AUDIT_CHECKPOINT_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kvisa.audit import keys as audit_keys
from kvisa.audit import log as audit
from kvisa.audit.models import AuditEvent, AuditHead
from kvisa.casework.models import Action
from kvisa.witness import checkpoint_bytes, key_id_of
from tests.support.cases import under_review
from tests.support.people import make_user

pytestmark = pytest.mark.django_db


@dataclass
class Log:
    first_checkpoint: int       # witnessed
    last_checkpoint: int        # witnessed, the newest
    older_checkpoint_file: bytes  # the file as it was at the first checkpoint


def _note(n: int) -> None:
    """Events that are not journal actions (a page view, a sign-in): the journal
    cross-check cannot see them go."""
    for index in range(n):
        with transaction.atomic():
            audit.record(actor="officer@example.org", action="personal_data.view",
                         object_type="application", object_id=index)


@pytest.fixture
def log() -> Log:
    applicant, officer = make_user("applicant"), make_user("officer")
    under_review(applicant, officer)
    first = audit.chain_pending(checkpoint=True).checkpoint
    assert first is not None and first.witnessed
    older = Path(settings.AUDIT_CHECKPOINTS).read_bytes()
    under_review(applicant, officer)
    _note(4)
    last = audit.chain_pending(checkpoint=True).checkpoint
    assert last is not None and last.witnessed
    report = audit.verify_chain()
    assert report.ok and report.witnessed_through == last.sequence, report.problem
    return Log(first.sequence, last.sequence, older)


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _rechain(key: audit_keys.AuditKey, start: int, *, edit: int | None = None) -> str:
    """Recompute every link from ``start`` with ``key`` (the attacker holds it)."""
    previous = (AuditEvent.objects.get(sequence=start - 1).hash if start > 1
                else audit.GENESIS)
    for event in AuditEvent.objects.filter(sequence__gte=start).order_by("sequence"):
        if event.sequence == edit:
            event.actor = "mallory@example.org"
        event.key_id = key.key_id
        event.previous_hash = previous
        event.hash = audit._link(key, previous, event)
        event.save()
        previous = event.hash
    last = AuditEvent.objects.order_by("-sequence").first()
    assert last is not None
    AuditHead.objects.filter(pk=1).update(last_sequence=last.sequence, last_hash=last.hash)
    return previous


def _cut_after(sequence: int) -> None:
    AuditEvent.objects.filter(sequence__gt=sequence).delete()
    kept = AuditEvent.objects.get(sequence=sequence)
    AuditHead.objects.filter(pk=1).update(last_sequence=sequence, last_hash=kept.hash)


def _broken(words: str) -> None:
    report = audit.verify_chain()
    assert not report.ok, "the tamper went unnoticed"
    assert words in report.problem, report.problem


def _checkpoints() -> Path:
    return Path(settings.AUDIT_CHECKPOINTS)


# --- the nine the probe found unnoticed --------------------------------------------

def test_1_checkpoint_file_deleted(log: Log) -> None:
    _checkpoints().unlink()
    _broken("lacks 2 checkpoint(s) the witness co-signed")


def test_2_checkpoint_file_truncated(log: Log) -> None:
    _checkpoints().write_bytes(b"")
    _broken("the witness co-signed")


def test_3_checkpoint_file_cut_back_to_its_first_line(log: Log) -> None:
    _checkpoints().write_bytes(_checkpoints().read_bytes().splitlines(keepends=True)[0])
    _broken("lacks 1 checkpoint(s) the witness co-signed")


def test_4_newest_events_deleted_and_head_rewritten(log: Log) -> None:
    _cut_after(log.last_checkpoint - 3)  # page views: no journal action to miss them
    _broken("the witness co-signed event")


def test_5_the_same_cut_with_journal_rows_and_checkpoint_file_removed(log: Log) -> None:
    _cut_after(log.first_checkpoint)
    Action.objects.exclude(pk__in=AuditEvent.objects.filter(
        journal_action_id__isnull=False).values("journal_action_id")).delete()
    _checkpoints().unlink()
    _broken("the witness co-signed")


def test_6_whole_data_folder_restored_from_an_older_copy(log: Log) -> None:
    _cut_after(log.first_checkpoint)
    Action.objects.exclude(pk__in=AuditEvent.objects.filter(
        journal_action_id__isnull=False).values("journal_action_id")).delete()
    _checkpoints().write_bytes(log.older_checkpoint_file)
    _broken("the witness co-signed")


def test_7_event_edited_and_recomputed_with_the_chain_key(log: Log) -> None:
    key = audit_keys.load(AuditEvent.objects.get(sequence=log.first_checkpoint + 1).key_id)
    _rechain(key, log.first_checkpoint + 1, edit=log.first_checkpoint + 2)
    _broken("the log was rewritten")


def test_8_the_same_with_the_checkpoint_file_rewritten_and_re_signed(log: Log) -> None:
    key = audit_keys.load(AuditEvent.objects.get(sequence=1).key_id)
    head = _rechain(key, log.first_checkpoint + 1, edit=log.first_checkpoint + 2)
    signer_id, signer = audit_keys.signer(create=False)  # it is in the data folder
    lines = _checkpoints().read_bytes().splitlines()
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    forged = {"sequence": log.last_checkpoint, "hash": head, "key_id": signer_id, "at": at,
              "signature": signer.sign(checkpoint_bytes(log.last_checkpoint, head,
                                                        signer_id, at)).hex()}
    _checkpoints().write_bytes(lines[0] + b"\n" + json.dumps(forged).encode() + b"\n")
    _broken("the witness co-signed")


def test_9_no_key_at_all_the_chain_re_keyed_to_an_attackers_key(log: Log) -> None:
    folder = Path(settings.AUDIT_KEY_DIR)
    own = Ed25519PrivateKey.generate()
    (folder / "20991231-evil.pem").write_bytes(own.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (folder / "current").write_text("20991231-evil\n")
    audit_keys._cache.clear()
    head = _rechain(audit_keys.load("20991231-evil"), 1, edit=2)
    signer = Ed25519PrivateKey.generate()
    signer_id = key_id_of(signer.public_key())
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    last = AuditHead.objects.get(pk=1).last_sequence
    _checkpoints().write_text(json.dumps({
        "sequence": last, "hash": head, "key_id": signer_id, "at": at,
        "signature": signer.sign(checkpoint_bytes(last, head, signer_id, at)).hex()}) + "\n")
    _broken("not a pinned checkpoint signer")
    _checkpoints().unlink()
    _broken("lacks")
    # and the chainer refuses to chain anything new with the dropped-in key
    with pytest.raises(audit_keys.AuditKeyMissing, match="not pinned"):
        audit.chain_pending()


# --- the five that were caught already ----------------------------------------------

def test_10_an_edit_without_the_key(log: Log) -> None:
    _sql("UPDATE casework_auditevent SET actor = %s WHERE sequence = 2", ["mallory"])
    _broken("edited")


def test_11_a_middle_event_deleted(log: Log) -> None:
    AuditEvent.objects.filter(sequence=3).delete()
    _broken("missing")


def test_12_an_event_inserted_outside_the_service(log: Log) -> None:
    AuditEvent.objects.create(actor="mallory", action="application.approve",
                              object_type="application", object_id="1",
                              created_at=timezone.now() - dt.timedelta(hours=1))
    _broken("never chained")


def test_13_a_checkpoint_line_altered(log: Log) -> None:
    lines = _checkpoints().read_text().splitlines()
    altered = json.loads(lines[-1])
    altered["hash"] = "0" * 64
    _checkpoints().write_text("\n".join([*lines[:-1], json.dumps(altered)]) + "\n")
    _broken("signature")


def test_14_the_whole_log_wiped(log: Log) -> None:
    _sql("DELETE FROM casework_auditevent")
    _sql("DELETE FROM casework_audithead")
    _broken("the witness co-signed")


# --- the window, stated and bounded ---------------------------------------------------

def test_events_left_unwitnessed_past_the_window_break_the_chain(log: Log) -> None:
    """Events after the last witnessed checkpoint are the only ones a rollback could
    cut unnoticed; once older than the window they must have been witnessed."""
    _note(1)
    audit.chain_pending(checkpoint=False)
    report = audit.verify_chain()
    assert report.ok and any("not yet witnessed" in n for n in report.notes)
    _note(1)  # written long ago (as far as the log can tell), chained, never witnessed
    AuditEvent.objects.filter(sequence__isnull=True).update(
        created_at=timezone.now() - dt.timedelta(
            seconds=settings.AUDIT_CHECKPOINT_SECONDS + settings.AUDIT_CHAIN_GRACE_SECONDS + 1))
    audit.chain_pending(checkpoint=False)
    _broken("witnessing window")


def test_an_idle_head_is_witnessed_without_new_events(log: Log, settings: Any) -> None:
    _note(1)
    audit.chain_pending(checkpoint=False)
    settings.AUDIT_CHECKPOINT_SECONDS = 0
    audit._last_checkpoint.clear()
    result = audit.chain_pending()  # nothing new to chain, but the head is not witnessed
    assert result.chained == 0 and result.checkpoint is not None
    assert result.checkpoint.witnessed
    assert audit.verify_chain().witnessed_through == result.last_sequence


def test_the_witness_refuses_to_go_back_or_fork(log: Log) -> None:
    from kvisa.witness import WitnessError, WitnessFolder

    witness = WitnessFolder(settings.AUDIT_WITNESS)
    newest = witness.entries()[-1]
    signer_id, signer = audit_keys.signer(create=False)
    for sequence, chain_hash in ((newest.sequence - 1, newest.hash),
                                 (newest.sequence, "1" * 64)):
        at = "2026-12-04T00:00:00+00:00"
        signature = signer.sign(checkpoint_bytes(sequence, chain_hash, signer_id, at)).hex()
        with pytest.raises(WitnessError, match=r"goes back|forks"):
            witness.cosign(sequence, chain_hash, signer_id, at, signature)
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(WitnessError, match="not given"):
        witness.cosign(newest.sequence + 1, "2" * 64, key_id_of(stranger.public_key()), "x",
                       stranger.sign(b"x").hex())


def _mode(path: str | Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_files_and_folders_are_private(log: Log) -> None:
    assert _mode(settings.AUDIT_CHECKPOINTS) == 0o600
    assert _mode(settings.AUDIT_KEY_DIR) == 0o700
    assert _mode(settings.AUDIT_SIGNER_KEY) == 0o600
    assert _mode(settings.AUDIT_WITNESS) == 0o700
    assert _mode(Path(settings.AUDIT_WITNESS) / "log.jsonl") == 0o600
    assert _mode(settings.AUDIT_TRUST) == 0o700
    for key in Path(settings.AUDIT_KEY_DIR).glob("*.pem"):
        if not key.name.endswith(".pub.pem"):
            assert _mode(key) == 0o600


def test_serve_warns_about_a_data_folder_others_can_read(tmp_path: Path,
                                                         monkeypatch: Any) -> None:
    from kvisa import paths

    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    (folder / "kvisa.sqlite3").write_bytes(b"")
    (folder / "kvisa.sqlite3").chmod(0o644)
    monkeypatch.setenv("KVISA_DATA_DIR", str(folder))
    assert paths.others_can_read() == folder
    paths.tighten()
    assert _mode(folder / "kvisa.sqlite3") == 0o600
    folder.chmod(0o700)
    assert paths.others_can_read() is None


def test_rotate_pins_and_verify_still_holds(log: Log) -> None:
    shutil_keys = sorted(p.name for p in (Path(settings.AUDIT_TRUST) / "chain").iterdir())
    audit_keys.rotate()
    _note(1)
    audit.chain_pending(checkpoint=True)
    assert len(list((Path(settings.AUDIT_TRUST) / "chain").iterdir())) == len(shutil_keys) + 1
    assert audit.verify_chain().ok


@pytest.mark.process
def test_a_witness_on_another_process_over_http(log: Log, settings: Any,
                                                tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    pem = tmp_path / "signer.pub.pem"
    _, signer = audit_keys.signer(create=False)
    pem.write_bytes(signer.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    folder = tmp_path / "remote-witness"
    made = subprocess.run([sys.executable, "-m", "kvisa.cli", "witness", "init", "--dir",
                           str(folder), "--signer-pub", str(pem)], capture_output=True,
                          text=True, check=True)
    witness_pem = tmp_path / "witness.pub.pem"
    witness_pem.write_text(made.stdout[made.stdout.index("-----BEGIN"):])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "kvisa.cli", "witness", "serve", "--dir",
                               str(folder), "--port", str(port)])
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/key", timeout=1).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the witness did not start"
                time.sleep(0.2)
        # the service moves to the remote witness: pin it, witness the head there
        from typer.testing import CliRunner

        from kvisa.cli import app

        pinned = CliRunner().invoke(app, ["audit", "pin", "witness", str(witness_pem)])
        assert pinned.exit_code == 0, pinned.output
        settings.AUDIT_WITNESS = url
        Path(settings.AUDIT_CHECKPOINTS).unlink()  # a new witness: a new record
        _note(1)
        result = audit.chain_pending(checkpoint=True)
        assert result.checkpoint is not None and result.checkpoint.witnessed
        assert audit.verify_chain().ok
        _cut_after(result.last_sequence - 1)
        _broken("the witness co-signed")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert not os.path.exists(folder / "nothing")

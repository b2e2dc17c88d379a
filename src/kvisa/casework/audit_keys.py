"""The audit log's keys: one Ed25519 key per period, rotated, old keys kept.

Each key does two jobs.  Its private half, through HKDF, gives the HMAC key
that links events in the chain, so someone who can write to the database but
not read the key folder cannot recompute the chain after an edit.  It also
signs checkpoints of the chain's head; its public half is published
(``/verify/audit-keys.pem``) so anyone can check a checkpoint file.

Keys live in ``settings.AUDIT_KEY_DIR`` (``KVISA_AUDIT_KEYS``), one PEM file
per key id and a ``current`` file naming the key new events use.  Only the
chainer creates a key (on first use); readers such as ``kvisa audit verify``
never do.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_MAC_INFO = b"kvisa audit chain v1"


class AuditKeyMissing(Exception):
    """A key the log names is not in the key folder (or there is no key yet)."""


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    private: Ed25519PrivateKey

    @cached_property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @cached_property
    def mac_key(self) -> bytes:
        raw = self.private.private_bytes(serialization.Encoding.Raw,
                                         serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption())
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=_MAC_INFO).derive(raw)

    def public_pem(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)


def key_dir() -> Path:
    return Path(settings.AUDIT_KEY_DIR)


_cache: dict[tuple[str, str], AuditKey] = {}


def load(key_id: str) -> AuditKey:
    """The key named ``key_id``; :class:`AuditKeyMissing` if the folder lacks it."""
    folder = key_dir()
    cached = _cache.get((str(folder), key_id))
    if cached is not None:
        return cached
    path = folder / f"{key_id}.pem"
    if not key_id or "/" in key_id or not path.is_file():
        raise AuditKeyMissing(f"audit key '{key_id}' is not in {folder}")
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise AuditKeyMissing(f"{path} is not an Ed25519 key")
    key = AuditKey(key_id, private)
    _cache[(str(folder), key_id)] = key
    return key


def current_id() -> str | None:
    pointer = key_dir() / "current"
    return pointer.read_text().strip() if pointer.is_file() else None


def current(*, create: bool) -> AuditKey:
    """The key new events are chained with; made on first use when ``create``."""
    key_id = current_id()
    if key_id is None:
        if not create:
            raise AuditKeyMissing(f"no audit key in {key_dir()}")
        return rotate()
    return load(key_id)


def rotate() -> AuditKey:
    """Make a new key and chain new events with it; earlier keys stay for verification."""
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    key_id = f"{dt.date.today():%Y%m%d}-{secrets.token_hex(4)}"
    path = folder / f"{key_id}.pem"
    private = Ed25519PrivateKey.generate()
    path.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    path.chmod(0o600)
    (folder / f"{key_id}.pub.pem").write_bytes(AuditKey(key_id, private).public_pem())
    pointer = folder / "current.tmp"
    pointer.write_text(key_id + "\n")
    pointer.replace(folder / "current")  # atomic: readers see the old or the new id
    return load(key_id)


def public_keys_pem() -> bytes:
    """Every audit key's public half, each preceded by a comment naming its id."""
    folder = key_dir()
    if not folder.is_dir():
        return b""
    parts = []
    for path in sorted(folder.glob("*.pub.pem")):
        key_id = path.name.removesuffix(".pub.pem")
        parts.append(f"# kvisa audit key {key_id}\n".encode() + path.read_bytes())
    return b"".join(parts)

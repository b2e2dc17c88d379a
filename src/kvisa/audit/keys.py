"""The audit log's keys: chain keys (rotated, old ones kept) and the checkpoint signer.

A chain key's private half, through HKDF, gives the HMAC key that links
events, so someone who can write to the database but not read the key folder
cannot recompute the chain after an edit.  Checkpoints of the chain's head are
signed by a *different* key, the checkpoint signer (``AUDIT_SIGNER_KEY``), so
holding the chain key is not enough to vouch for a rewritten log; and each
checkpoint is co-signed by a witness (:mod:`kvisa.witness`).  Every public
half is pinned outside the data folder (:mod:`kvisa.audit.trust`)
when the key is made; ``verify`` trusts nothing else.

Chain keys live in ``settings.AUDIT_KEY_DIR`` (``KVISA_AUDIT_KEYS``, 0700),
one PEM file per key id (0600) and a ``current`` file naming the key new
events use.  Only the chainer creates keys (on first use); readers such as
``kvisa audit verify`` never do.
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

from kvisa.witness import key_id_of, private_pem
from kvisa.write_once import publish_new

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
    publish_new(path, private_pem(private))  # 0600: never readable by others
    (folder / f"{key_id}.pub.pem").write_bytes(AuditKey(key_id, private).public_pem())
    from kvisa.audit import trust as audit_trust

    audit_trust.pin("chain", key_id, private.public_key())
    pointer = folder / "current.tmp"
    pointer.write_text(key_id + "\n")
    pointer.replace(folder / "current")  # atomic: readers see the old or the new id
    return load(key_id)


def public_keys_pem() -> bytes:
    """Every pinned public key (chain, signer, witness), each named by a comment."""
    from kvisa.audit import trust as audit_trust

    return audit_trust.published_pem()


def signer(*, create: bool) -> tuple[str, Ed25519PrivateKey]:
    """The checkpoint signer (key id, private key); made, pinned and given to a
    folder witness on first use when ``create``."""
    from kvisa.audit import trust as audit_trust

    path = Path(settings.AUDIT_SIGNER_KEY)
    if not path.is_file():
        if not create:
            raise AuditKeyMissing(f"no checkpoint signer key at {path}")
        audit_trust.make_pinned("signer", lambda key: publish_new(path, private_pem(key)))
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise AuditKeyMissing(f"{path} is not an Ed25519 key")
    return key_id_of(loaded.public_key()), loaded


def pinned_or_refuse(key: AuditKey) -> AuditKey:
    """The chain key, if its public half is pinned; new events are never chained with
    a key someone merely dropped into the key folder."""
    from kvisa.audit import trust as audit_trust

    trusted = audit_trust.pinned("chain").get(key.key_id)
    if trusted is None or not audit_trust.same_key(trusted, key.public):
        raise AuditKeyMissing(f"audit key '{key.key_id}' is not pinned in "
                              f"{audit_trust.folder()}: an operator pins keys with "
                              "`kvisa audit rotate-key`")
    return key

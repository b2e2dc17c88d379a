"""The audit log's pinned public keys, kept outside the data folder.

``kvisa audit verify`` believes a signature only if its public key is pinned
here: the chain keys (whose private halves derive the chain's HMAC keys), the
checkpoint signer, and the witness.  The folder (``settings.AUDIT_TRUST``,
``KVISA_AUDIT_TRUST``) lies outside the data folder — by default a sibling of
it — so that someone who can write the data folder cannot add a key of their
own and re-key the chain: the probe that did exactly that with no key at all
is now refused.  In production mount it read-only; keys are pinned when an
operator creates them (``kvisa audit rotate-key``) or pins them
(``kvisa audit pin``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from kvisa.witness import key_id_of, load_public, public_pem
from kvisa.write_once import publish_new

Kind = Literal["chain", "signer", "witness"]
KINDS: tuple[Kind, ...] = ("chain", "signer", "witness")


def folder() -> Path:
    return Path(settings.AUDIT_TRUST)


def pin(kind: Kind, key_id: str, public: Ed25519PublicKey) -> Path:
    """Pin ``public`` as a trusted key of ``kind`` (kept if already pinned)."""
    place = folder() / kind
    place.mkdir(parents=True, exist_ok=True)
    for part in (folder(), place):
        part.chmod(0o700)
    path = place / f"{key_id}.pub.pem"
    publish_new(path, public_pem(public), 0o644)  # whole or not at all; kept if there
    return path


def make_pinned(kind: Kind, publish: Callable[[Ed25519PrivateKey], bool]) -> None:
    """Make a key of ``kind`` on first use: pinned *before* ``publish`` lets anyone use it.

    So nothing is ever signed with a key ``verify`` does not trust, even by a process
    killed half-way.  ``publish`` makes the key usable and says whether it won (False:
    another process's key was there first); the loser takes its pin back.
    """
    key = Ed25519PrivateKey.generate()
    made = pin(kind, key_id_of(key.public_key()), key.public_key())
    if not publish(key):
        made.unlink(missing_ok=True)


def pinned(kind: Kind) -> dict[str, Ed25519PublicKey]:
    """Key id → public key, for every pinned key of ``kind``."""
    place = folder() / kind
    if not place.is_dir():
        return {}
    return {path.name.removesuffix(".pub.pem"): load_public(path.read_bytes())
            for path in sorted(place.glob("*.pub.pem"))}


def same_key(a: Ed25519PublicKey, b: Ed25519PublicKey) -> bool:
    return public_pem(a) == public_pem(b)


def published_pem() -> bytes:
    """Every pinned key, each preceded by a comment naming its role and id."""
    parts = []
    for kind in KINDS:
        for key_id, key in pinned(kind).items():
            label = "audit key" if kind == "chain" else f"audit {kind} key"
            parts.append(f"# kvisa {label} {key_id}\n".encode() + public_pem(key))
    return b"".join(parts)

"""A witness for the audit log's checkpoints: a second party that remembers the head.

Why: a signed checkpoint proves who wrote it, not that it is the newest.
Someone who can restore the data folder from an older copy brings back an
older database *and* the older checkpoint file that matches it, and every
signature still holds.  Certificate Transparency meets the same threat with
witnesses (RFC 9162 §8.3; C2SP's tlog-witness): an independent party co-signs
each checkpoint and keeps its own append-only copy, so a log that is later
shorter than, or different from, what the witness saw is caught.

A witness here is a folder with its own Ed25519 key and an append-only
``log.jsonl``; it co-signs a checkpoint only if it is signed by a signer key
it was given at ``init``, and only if it does not go back (a lower sequence)
or fork (the same sequence, another hash).  ``kvisa witness serve`` puts a
folder behind HTTP for another host; on one machine a folder outside the data
folder will do (another process and directory).

The witness cannot check that a new checkpoint *extends* the old one (a hash
chain has no compact consistency proof, unlike CT's Merkle tree); that is
checked by ``kvisa audit verify``, which compares every witnessed head with
the database.  No Django here: the witness runs on its own.

The HTTP server is the standard library's (a few lines of JSON over POST and
GET): no web framework is needed for two routes, and the witness host should
run as little code as possible.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from kvisa.write_once import publish_new

CHECKPOINT_DOMAIN = b"kvisa audit checkpoint v1\n"
COSIGN_DOMAIN = b"kvisa witness cosignature v1\n"
MAX_BODY = 4096


class WitnessError(Exception):
    """The witness refused a checkpoint, or could not be reached."""


def private_pem(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise WitnessError("not an Ed25519 public key")
    return key


def checkpoint_bytes(sequence: int, chain_hash: str, key_id: str, at: str) -> bytes:
    """What a checkpoint's signer signs (and the witness co-signs after it)."""
    body = {"sequence": sequence, "hash": chain_hash, "key_id": key_id, "at": at}
    return CHECKPOINT_DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Cosigned:
    """One checkpoint as the witness saw it, with its co-signature."""

    sequence: int
    hash: str
    key_id: str
    at: str
    signature: str
    witness_id: str
    cosignature: str
    witnessed_at: str

    def checkpoint_bytes(self) -> bytes:
        return checkpoint_bytes(self.sequence, self.hash, self.key_id, self.at)

    def verify_cosignature(self, public: Ed25519PublicKey) -> bool:
        try:
            public.verify(bytes.fromhex(self.cosignature),
                          COSIGN_DOMAIN + self.checkpoint_bytes())
        except (InvalidSignature, ValueError):
            return False
        return True

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cosigned:
        try:
            return cls(int(data["sequence"]), str(data["hash"]), str(data["key_id"]),
                       str(data["at"]), str(data["signature"]), str(data["witness_id"]),
                       str(data["cosignature"]), str(data["witnessed_at"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise WitnessError(f"not a witnessed checkpoint ({exc})") from None


class WitnessFolder:
    """The witness itself: its key, the signer keys it accepts, its append-only log."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @property
    def log_path(self) -> Path:
        return self.folder / "log.jsonl"

    def exists(self) -> bool:
        return (self.folder / "witness.key.pem").is_file()

    def init(self, signer_pems: list[bytes] = (),  # type: ignore[assignment]
             key: Ed25519PrivateKey | None = None) -> bool:
        """Make the folder (0700) and the witness key (0600) once; add signer keys.

        The signers are added before the key appears, so a witness that exists
        already accepts them.  ``key`` is the key to use (one the caller has pinned
        already); True if it (or a new one) became the witness's key, False if
        another process's key was there first.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        (self.folder / "signers").mkdir(exist_ok=True)
        for pem in signer_pems:
            self.add_signer(pem)
        return publish_new(self.folder / "witness.key.pem",
                           private_pem(key or Ed25519PrivateKey.generate()))

    def add_signer(self, pem: bytes) -> str:
        key = load_public(pem)
        key_id = key_id_of(key)
        publish_new(self.folder / "signers" / f"{key_id}.pub.pem", public_pem(key), 0o644)
        return key_id

    def _private(self) -> Ed25519PrivateKey:
        path = self.folder / "witness.key.pem"
        if not path.is_file():
            raise WitnessError(f"no witness key in {self.folder} (`kvisa witness init`)")
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise WitnessError(f"{path} is not an Ed25519 key")
        return key

    def public(self) -> Ed25519PublicKey:
        return self._private().public_key()

    def signers(self) -> dict[str, Ed25519PublicKey]:
        folder = self.folder / "signers"
        found = {}
        for path in sorted(folder.glob("*.pub.pem")) if folder.is_dir() else []:
            found[path.name.removesuffix(".pub.pem")] = load_public(path.read_bytes())
        return found

    def entries(self) -> list[Cosigned]:
        if not self.log_path.is_file():
            return []
        return [Cosigned.from_dict(json.loads(line))
                for line in self.log_path.read_bytes().splitlines() if line.strip()]

    def cosign(self, sequence: int, chain_hash: str, key_id: str, at: str,
               signature: str) -> Cosigned:
        """Co-sign a checkpoint that is signed by a known signer and neither goes back
        nor forks; the same checkpoint again gets the same answer."""
        signer = self.signers().get(key_id)
        if signer is None:
            raise WitnessError(f"checkpoint signed by key {key_id}, which this witness was "
                               "not given")
        try:
            signer.verify(bytes.fromhex(signature),
                          checkpoint_bytes(sequence, chain_hash, key_id, at))
        except (InvalidSignature, ValueError):
            raise WitnessError("the checkpoint's signature does not hold") from None
        private = self._private()
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.log_path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.seek(0)
                lines = [line for line in handle.read().splitlines() if line.strip()]
                last = Cosigned.from_dict(json.loads(lines[-1])) if lines else None
                if last is not None:
                    if sequence < last.sequence:
                        raise WitnessError(f"checkpoint at {sequence} goes back: this witness "
                                           f"has seen {last.sequence} (a rollback)")
                    if sequence == last.sequence:
                        if chain_hash != last.hash:
                            raise WitnessError(f"checkpoint at {sequence} forks: this witness "
                                               "saw another hash there")
                        return last
                cosignature = private.sign(
                    COSIGN_DOMAIN + checkpoint_bytes(sequence, chain_hash, key_id, at)).hex()
                entry = Cosigned(sequence, chain_hash, key_id, at, signature,
                                 key_id_of(private.public_key()), cosignature,
                                 dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
                handle.write(json.dumps(entry.as_dict(), sort_keys=True).encode() + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
                return entry
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class Witness(Protocol):
    """What the audit log needs of a witness, wherever it runs."""

    def cosign(self, sequence: int, chain_hash: str, key_id: str, at: str,
               signature: str) -> Cosigned: ...

    def entries(self) -> list[Cosigned]: ...


class HttpWitness:
    """A witness on another host (``kvisa witness serve``)."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url, self.timeout = url.rstrip("/"), timeout

    def _call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=(
            "POST" if body is not None else "GET"), headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise WitnessError(json.loads(exc.read() or b"{}").get("error", str(exc))) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise WitnessError(f"the witness at {self.url} cannot be reached ({exc})") from None

    def cosign(self, sequence: int, chain_hash: str, key_id: str, at: str,
               signature: str) -> Cosigned:
        return Cosigned.from_dict(self._call("/cosign", {
            "sequence": sequence, "hash": chain_hash, "key_id": key_id, "at": at,
            "signature": signature}))

    def entries(self) -> list[Cosigned]:
        return [Cosigned.from_dict(item) for item in self._call("/log")]


def witness_at(where: str) -> Witness:
    """An HTTP witness for a URL, a folder witness for a path."""
    if where.startswith(("http://", "https://")):
        return HttpWitness(where)
    return WitnessFolder(where)


def serve(folder: str | Path, host: str, port: int) -> None:
    """Serve a witness folder: POST /cosign, GET /log, GET /key (blocks)."""
    witness = WitnessFolder(folder)
    witness.public()  # refuse to start without a key

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, body: Any) -> None:
            data = (body if isinstance(body, bytes) else json.dumps(body).encode())
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if not isinstance(
                body, bytes) else "application/x-pem-file")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/log":
                self._reply(200, [e.as_dict() for e in witness.entries()])
            elif self.path == "/key":
                self._reply(200, public_pem(witness.public()))
            else:
                self._reply(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.path != "/cosign" or not 0 < length <= MAX_BODY:
                self._reply(400, {"error": "POST /cosign with a checkpoint of at most 4 KB"})
                return
            try:
                data = json.loads(self.rfile.read(length))
                entry = witness.cosign(int(data["sequence"]), str(data["hash"]),
                                       str(data["key_id"]), str(data["at"]),
                                       str(data["signature"]))
            except WitnessError as exc:
                self._reply(409, {"error": str(exc)})
                return
            except (ValueError, KeyError, TypeError) as exc:
                self._reply(400, {"error": f"not a checkpoint ({exc})"})
                return
            self._reply(200, entry.as_dict())

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the log is the witness's file

    ThreadingHTTPServer((host, port), Handler).serve_forever()

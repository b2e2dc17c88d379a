"""Signing and verifying Visible Digital Seals (ICAO Doc 9303 Part 12/13).

ECDSA with the hash chosen by the curve's field size (Part 13 §2.4: ≤ 224
bits SHA-224, ≤ 256 SHA-256, ≤ 384 SHA-384, otherwise SHA-512), signature
as raw ``r‖s``.  ``cryptography`` does the work for the NIST curves and
brainpoolP256r1/384r1/512r1; it lacks brainpoolP224r1 and P320r1, which
German and other seals use, so those are verified with ``ecdsa`` (python-ecdsa,
MIT), and certificates whose key ``cryptography`` cannot load are read with
``asn1crypto`` to reach the public key.

The signer identifier is the certificate issuer's country and common name
(``C`` + ``CN``, four characters) and the certificate reference is its serial
number in hex, so a verifier with the published certificate can tell which
key a seal names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ecdsa
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import NameOID

from kvisa.documents.errors import DocumentError

_CRYPTOGRAPHY_CURVES: dict[str, ec.EllipticCurve] = {
    "secp256r1": ec.SECP256R1(), "secp384r1": ec.SECP384R1(), "secp521r1": ec.SECP521R1(),
    "brainpoolP256r1": ec.BrainpoolP256R1(), "brainpoolP384r1": ec.BrainpoolP384R1(),
    "brainpoolP512r1": ec.BrainpoolP512R1(),
}
_ECDSA_CURVES = {
    "brainpoolP224r1": ecdsa.BRAINPOOLP224r1, "brainpoolP320r1": ecdsa.BRAINPOOLP320r1,
    "brainpoolP256r1": ecdsa.BRAINPOOLP256r1, "brainpoolP384r1": ecdsa.BRAINPOOLP384r1,
    "brainpoolP512r1": ecdsa.BRAINPOOLP512r1, "secp256r1": ecdsa.NIST256p,
    "secp384r1": ecdsa.NIST384p, "secp521r1": ecdsa.NIST521p,
}
# asn1crypto names some curves by OID only
_OID_NAMES = {"1.3.36.3.3.2.8.1.1.5": "brainpoolP224r1", "1.3.36.3.3.2.8.1.1.7":
              "brainpoolP256r1", "1.3.36.3.3.2.8.1.1.9": "brainpoolP320r1",
              "1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
              "1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1"}


def hash_for_bits(bits: int) -> str:
    if bits <= 224:
        return "sha224"
    if bits <= 256:
        return "sha256"
    if bits <= 384:
        return "sha384"
    return "sha512"


_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha224": hashes.SHA224(), "sha256": hashes.SHA256(), "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512()}


@dataclass(frozen=True)
class SignerCertificate:
    """A signer certificate and what a seal's header must say to name it."""

    certificate: x509.Certificate
    curve: str
    bits: int
    signer: str
    reference: str
    not_before: dt.datetime
    not_after: dt.datetime
    _public_der: bytes

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True when ``signature`` (raw r‖s) is valid for ``message`` under this key."""
        size = (self.bits + 7) // 8
        if len(signature) != 2 * size:
            return False
        digest = hash_for_bits(self.bits)
        if self.curve in _CRYPTOGRAPHY_CURVES:
            key = serialization.load_der_public_key(self._public_der)
            assert isinstance(key, ec.EllipticCurvePublicKey)
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            try:
                key.verify(encode_dss_signature(r, s), message, ec.ECDSA(_HASHES[digest]))
            except InvalidSignature:
                return False
            return True
        verifying = ecdsa.VerifyingKey.from_der(self._public_der)
        try:
            return bool(verifying.verify(signature, message,
                                         hashfunc=getattr(hashlib, digest)))
        except ecdsa.BadSignatureError:
            return False


def _name_part(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def load_certificate(data: bytes) -> SignerCertificate:
    """Read a PEM or DER signer certificate (any curve kvisa verifies)."""
    try:
        cert = (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data
                else x509.load_der_x509_certificate(data))
    except ValueError as exc:
        raise DocumentError(f"not an X.509 certificate ({exc})") from None
    signer = (_name_part(cert.issuer, NameOID.COUNTRY_NAME)
              + _name_part(cert.issuer, NameOID.COMMON_NAME)).upper()
    reference = format(cert.serial_number, "X")
    try:
        key = cert.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise DocumentError("the certificate's key is not an elliptic-curve key")
        curve, bits = key.curve.name, key.curve.key_size
        public_der = key.public_bytes(serialization.Encoding.DER,
                                      serialization.PublicFormat.SubjectPublicKeyInfo)
    except UnsupportedAlgorithm:
        parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        info: asn1_keys.PublicKeyInfo = parsed["tbs_certificate"]["subject_public_key_info"]
        named = info["algorithm"]["parameters"].chosen
        curve = _OID_NAMES.get(named.dotted, named.native)
        if curve not in _ECDSA_CURVES:
            raise DocumentError(f"curve {curve} is not supported") from None
        bits = _ECDSA_CURVES[curve].baselen * 8
        public_der = info.dump()
    return SignerCertificate(cert, curve, bits, signer, reference,
                             cert.not_valid_before_utc, cert.not_valid_after_utc, public_der)


def read_certificate(path: str | Path) -> SignerCertificate:
    try:
        return load_certificate(Path(path).read_bytes())
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None


@dataclass(frozen=True)
class SigningKey:
    key: ec.EllipticCurvePrivateKey
    certificate: SignerCertificate

    def sign(self, message: bytes) -> bytes:
        size = (self.key.curve.key_size + 7) // 8
        digest = _HASHES[hash_for_bits(self.key.curve.key_size)]
        r, s = decode_dss_signature(self.key.sign(message, ec.ECDSA(digest)))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def load_signing_key(key_path: str | Path, cert_path: str | Path) -> SigningKey:
    try:
        key = serialization.load_pem_private_key(Path(key_path).read_bytes(), password=None)
    except OSError as exc:
        raise DocumentError(f"{key_path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise DocumentError(f"{key_path}: not a PEM private key ({exc})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise DocumentError(f"{key_path}: not an elliptic-curve key")
    certificate = read_certificate(cert_path)
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    if public != certificate._public_der:
        raise DocumentError(f"{cert_path}: certificate does not match the key {key_path}")
    return SigningKey(key, certificate)


CURVES_FOR_NEW_KEYS: dict[str, ec.EllipticCurve] = {
    "P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1(),
    "brainpoolP256r1": ec.BrainpoolP256R1(), "brainpoolP384r1": ec.BrainpoolP384R1(),
    "brainpoolP512r1": ec.BrainpoolP512R1()}


def create_signer(folder: str | Path, *, country: str = "CN", common_name: str = "KV",
                  organisation: str = "kvisa demo visa signer", years: int = 3,
                  curve: str = "P-256", now: dt.datetime | None = None) -> tuple[Path, Path]:
    """Make a key and a self-signed certificate for a demo signer; return their paths.

    A real deployment loads its own key and a certificate issued by its
    country signing CA instead.  The key file is written with mode 0600.
    """
    if len(country) != 2 or len(common_name) != 2 or not (country + common_name).isalnum():
        raise DocumentError("country and common name must be two letters or digits each, so "
                            "that they make the 4-character signer identifier")
    if curve not in CURVES_FOR_NEW_KEYS:
        raise DocumentError(f"curve: {curve!r} is not one of {', '.join(CURVES_FOR_NEW_KEYS)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(CURVES_FOR_NEW_KEYS[curve])
    now = now or dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, country.upper()),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name.upper())])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(os.urandom(8), "big") >> 1 or 1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "visa-signer.key.pem", folder / "visa-signer.cert.pem"
    key_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def describe_certificate(cert: SignerCertificate) -> dict[str, Any]:
    return {"signer": cert.signer, "certificate_reference": cert.reference, "curve": cert.curve,
            "not_before": cert.not_before.isoformat(), "not_after": cert.not_after.isoformat()}

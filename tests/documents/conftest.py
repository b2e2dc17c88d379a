"""Signers on every curve kvisa must verify, for the seal tests."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import ecdsa
import pytest
from asn1crypto import algos, core, keys, x509

from kvisa.documents.signer import create_signer, load_signing_key


def ecdsa_certificate(curve: ecdsa.curves.Curve, folder: Path, serial: int = 0x32
                      ) -> tuple[ecdsa.SigningKey, Path]:
    """A self-signed certificate for a curve `cryptography` cannot handle (built with
    asn1crypto, signed with python-ecdsa), as German seal signers use."""
    key = ecdsa.SigningKey.generate(curve=curve, hashfunc=hashlib.sha256)
    name = x509.Name.build({"country_name": "DE", "common_name": "TS"})
    info = keys.PublicKeyInfo.load(key.get_verifying_key().to_der())
    tbs = x509.TbsCertificate({
        "version": "v3", "serial_number": serial,
        "signature": {"algorithm": "sha256_ecdsa"}, "issuer": name,
        "validity": {"not_before": x509.Time({"utc_time": dt.datetime(2020, 1, 1,
                                                                      tzinfo=dt.UTC)}),
                     "not_after": x509.Time({"utc_time": dt.datetime(2040, 1, 1,
                                                                     tzinfo=dt.UTC)})},
        "subject": name, "subject_public_key_info": info,
    })
    signature = key.sign_deterministic(tbs.dump(), hashfunc=hashlib.sha256,
                                       sigencode=ecdsa.util.sigencode_der)
    cert = x509.Certificate({"tbs_certificate": tbs,
                             "signature_algorithm": algos.SignedDigestAlgorithm(
                                 {"algorithm": "sha256_ecdsa"}),
                             "signature_value": core.OctetBitString(signature)})
    path = folder / f"{curve.name}.der"
    path.write_bytes(cert.dump())
    return key, path


@pytest.fixture(scope="session")
def p256_signer(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("signer")
    key, cert = create_signer(folder)
    return load_signing_key(key, cert), cert

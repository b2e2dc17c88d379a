"""Visible Digital Seals: a real seal from another implementation, round trips,
an independent decoder, every curve, every verification status, tampering."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import ecdsa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvisa.documents import c40, evisa, issued_visa, mrz, vds
from kvisa.documents.errors import DocumentError
from kvisa.documents.signer import create_signer, load_signing_key, read_certificate
from kvisa.documents.verify import verify

from . import independent_vds
from .conftest import ecdsa_certificate

# A visa seal published in tsenger/vdstools' test data (brainpoolP224r1, signer DETS/32)
VDSTOOLS_VISA = bytes.fromhex(
    "DC03D9C56D32C8A72CB10F71347D00175D01022CDD52134A74DA1347C6FED95CB89F9FCE133C133C133C"
    "133C203833734AAF47F0C32F1A1E20EB2625393AFE310403A00000050633BE1FED20C6FF389FD029C66F"
    "B2E4BF361CDBFFD8F5931B6259F645B077702C617F453D0B898A55E6E7870974FFE7B3AC416ACDE6B03B"
    "3C3A8CB5A22B456816")

VISA = {"surname": "Sharma", "given_names": "Priya Devi", "nationality": "IND",
        "date_of_birth": "1996-05-14", "sex": "F", "passport_number": "Z1234567",
        "visa_type": "K", "visa_number": "K00012345", "issuing_state": "CHN",
        "valid_from": "2026-01-10", "valid_until": "2031-01-09", "entries": 0,
        "duration_of_stay_days": 180}
ON = dt.date(2026, 2, 1)


def issued(**changes: object) -> issued_visa.IssuedVisa:
    import json
    return issued_visa.visa_from_json(json.dumps({**VISA, **changes}))


def test_decodes_a_seal_made_by_another_implementation() -> None:
    seal = vds.decode(VDSTOOLS_VISA)
    assert seal.header.as_dict() == {
        "version": 3, "issuing_state": "UTO", "signer": "DETS", "certificate_reference": "32",
        "issue_date": "2020-01-01", "signature_date": "2023-08-19",
        "feature_definition": 0x5D, "document_type": 0x01}
    features = vds.describe_features(seal)
    assert features["mrz"][0] == "VCD<<DENT<<ARTHUR<PHILIP<<<<<<<<<<<<"
    assert features["duration_of_stay"] == {"days": 160, "months": 0, "years": 0}
    assert features["passport_number"] == "47110815P"
    assert mrz.parse(features["mrz"], today=dt.date(2020, 1, 1)).valid
    assert len(seal.signature or b"") == 56  # 224-bit curve: 28 + 28


def test_c40_padding_rules() -> None:
    assert c40.encode("UTO") == bytes.fromhex("D9C5")
    assert c40.decode(c40.encode("AB")) == "AB"          # two left: Shift 1 pad
    assert c40.encode("ABCD")[-2:] == bytes((0xFE, ord("D") + 1))  # one left: 0xFE + ASCII+1
    with pytest.raises(DocumentError):
        c40.encode("a")


def test_our_seal_reads_the_same_in_the_independent_decoder(p256_signer) -> None:  # type: ignore[no-untyped-def]
    key, _ = p256_signer
    visa = issued()
    seal = evisa.make_seal(visa, key, signed_on=dt.date(2026, 1, 9))
    other = independent_vds.read(seal)
    assert (other["country"], other["signer"], other["reference"]) == (
        "CHN", key.certificate.signer, key.certificate.reference)
    assert (other["issued"], other["signed"]) == ("2026-01-10", "2026-01-09")
    assert (other["feature_ref"], other["category"]) == (0x5D, 0x01)
    lines = evisa.visa_mrz(visa)
    assert independent_vds.c40_text(other["features"][1]) == lines[0] + lines[1][:28]
    assert other["features"][3] == b"\x00"
    assert other["features"][4] == bytes((180, 0, 0))
    assert independent_vds.c40_text(other["features"][5]) == "Z1234567<"
    assert key.certificate.verify(other["signed_bytes"], other["signature"])


def test_mrv_b_visa() -> None:
    lines = evisa.visa_mrz(issued(format="MRVB"))
    features = vds.visa_features(mrz_lines=lines, entries=2, stay_days=30,
                                 passport_number="X1")
    assert features[0][0] == vds.TAG_MRZ_MRVB and len(features[0][1]) == 44


@pytest.mark.parametrize("curve", ["P-256", "P-384", "P-521", "brainpoolP256r1",
                                   "brainpoolP384r1", "brainpoolP512r1"])
def test_sign_and_verify_on_every_cryptography_curve(curve: str, tmp_path: Path) -> None:
    key_path, cert_path = create_signer(tmp_path, curve=curve)
    key = load_signing_key(key_path, cert_path)
    seal = evisa.make_seal(issued(), key)
    result = verify(seal, [read_certificate(cert_path)], on=ON)
    assert result.status == "valid", result.reason


@pytest.mark.parametrize(("curve", "digest"), [(ecdsa.BRAINPOOLP224r1, hashlib.sha224),
                                               (ecdsa.BRAINPOOLP320r1, hashlib.sha384)])
def test_verify_brainpool_224_and_320_seals(curve, digest, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key, cert_path = ecdsa_certificate(curve, tmp_path)
    certificate = read_certificate(cert_path)
    assert (certificate.signer, certificate.reference) == ("DETS", "32")
    lines = evisa.visa_mrz(issued())
    header = vds.Header("D", "DETS", "32", dt.date(2026, 1, 10), dt.date(2026, 1, 10))
    body = vds.unsigned_bytes(header, vds.visa_features(
        mrz_lines=lines, entries=0, stay_days=90, passport_number="Z1234567"))
    signature = key.sign_deterministic(body, hashfunc=digest)
    seal = vds.with_signature(body, signature)
    assert verify(seal, [certificate], on=ON).status == "valid"
    wrong = key.sign_deterministic(body + b"x", hashfunc=digest)
    assert verify(vds.with_signature(body, wrong), [certificate], on=ON).status == \
        "invalid_signature"


def test_every_status(p256_signer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key, cert_path = p256_signer
    certificate = read_certificate(cert_path)
    visa = issued()
    seal = evisa.make_seal(visa, key)
    lines = evisa.visa_mrz(visa)
    passport = mrz.compose("TD3", surname="Sharma", given_names="Priya Devi",
                           document_number="Z1234567", nationality="IND",
                           birth_date="1996-05-14", sex="F", expiry_date="2033-01-01",
                           issuing_state="IND")
    other_passport = mrz.compose("TD3", surname="Sharma", given_names="Priya Devi",
                                 document_number="Z7654321", nationality="IND",
                                 birth_date="1996-05-14", sex="F", expiry_date="2033-01-01",
                                 issuing_state="IND")
    other_key, other_cert = create_signer(tmp_path / "other")
    impostor = evisa.make_seal(visa, load_signing_key(other_key, other_cert))
    forged_header = vds.decode(impostor)
    # same signer name and reference as ours, different key: a forgery
    forged = vds.with_signature(
        vds.unsigned_bytes(vds.Header("CHN", certificate.signer, certificate.reference,
                                      forged_header.header.issue_date,
                                      forged_header.header.signature_date),
                           forged_header.features), forged_header.signature or b"")
    bad_mrz_body = vds.unsigned_bytes(
        vds.decode(seal).header,
        [(1, c40.encode(lines[0] + lines[1][:9] + "0" + lines[1][10:28])), *vds.decode(seal).features[1:]])
    bad_mrz = vds.with_signature(bad_mrz_body, key.sign(bad_mrz_body))
    cases = [
        (seal, {}, "valid"),
        (b"\xdc\x03\x00", {}, "malformed"),
        (impostor, {}, "unknown_signer"),
        (forged, {}, "invalid_signature"),
        (bad_mrz, {}, "invalid_visa_mrz"),
        (seal, {"printed_mrz": [lines[0], lines[1][:20] + "M" + lines[1][21:]]},
         "seal_visa_mismatch"),
        (seal, {"printed_mrz": lines}, "valid"),
        (seal, {"passport_mrz": passport}, "valid"),
        (seal, {"passport_mrz": other_passport}, "seal_passport_mismatch"),
        (seal, {"passport_mrz": [passport[0], passport[1][:9] + "0" + passport[1][10:]]},
         "invalid_passport_mrz"),
        (seal, {"on": dt.date(2026, 1, 9)}, "not_yet_valid"),
        (seal, {"on": dt.date(2031, 1, 10)}, "expired"),
        (seal, {"on": dt.date(2031, 1, 9)}, "valid"),
    ]
    for data, options, expected in cases:
        on = options.pop("on", ON)
        result = verify(data, [certificate], on=on, **options)
        assert result.status == expected, (expected, result.reason)
        assert result.reason


@pytest.mark.parametrize(("data", "message"), [
    (b"", "too short"),
    (bytes.fromhex("DD03D9C5"), "magic"),
    (bytes.fromhex("DC07D9C5"), "version byte"),
    (VDSTOOLS_VISA[:12], "truncated"),
    (VDSTOOLS_VISA[:18] + bytes.fromhex("0230") + b"\x00" * 4, "runs past the end"),
    (VDSTOOLS_VISA[:18] + bytes.fromhex("0285"), "not allowed"),
    (VDSTOOLS_VISA + b"\x00", "after the signature"),
    (b"\xdc" * 5000, "larger than any seal"),
])
def test_malformed_seals_raise_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        vds.decode(data)


def test_unknown_document_types_decode_to_raw_features() -> None:
    header = vds.Header("UTO", "UTTS", "5E", dt.date(2025, 1, 1), dt.date(2025, 1, 2),
                        feature_definition=0xFB, document_type=0x06)
    data = vds.with_signature(vds.unsigned_bytes(header, [(2, b"\x01\x02"), (9, b"")]),
                              b"\x00" * 64)
    seal = vds.decode(data)
    assert vds.describe_features(seal) == {"0x02": "0102", "0x09": ""}


# ------------------------------------------------------------ properties

FEATURES = st.lists(st.tuples(st.integers(0, 254), st.binary(max_size=300)), max_size=6)


@settings(max_examples=300, deadline=None)
@given(features=FEATURES, signature=st.binary(min_size=0, max_size=140),
       reference=st.text(alphabet="0123456789ABCDEF", min_size=1, max_size=20),
       issued_on=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
def test_encode_then_decode_round_trips(features, signature, reference, issued_on) -> None:  # type: ignore[no-untyped-def]
    header = vds.Header("CHN", "CNKV", reference, issued_on, issued_on,
                        feature_definition=0xF0, document_type=0x02)
    data = vds.with_signature(vds.unsigned_bytes(header, features), signature)
    seal = vds.decode(data)
    assert seal.header == header
    assert seal.features == features
    assert seal.signature == signature


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_single_byte_change_in_header_or_message_is_detected(p256_signer, data) -> None:  # type: ignore[no-untyped-def]
    key, cert_path = p256_signer
    seal = evisa.make_seal(issued(), key)
    certificate = read_certificate(cert_path)
    signed_length = len(vds.decode(seal).signed_part)
    position = data.draw(st.integers(0, signed_length - 1))
    value = data.draw(st.integers(0, 255).filter(lambda v: v != seal[position]))
    changed = seal[:position] + bytes((value,)) + seal[position + 1:]
    assert verify(changed, [certificate], on=ON).status != "valid"


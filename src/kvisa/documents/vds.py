"""ICAO Visible Digital Seal codec (Doc 9303 Part 13; visa profile Part 7 §9).

Layout::

    header   0xDC · version (0x03 = VDS version 4; 0x02 = version 3)
             issuing state (C40, 2 bytes)
             signer identifier + certificate reference (C40)
               v4: 4-char signer id, 2 hex digits giving the reference's length,
                   the reference;  v3: 4-char signer id + 5-char reference
             document issue date, signature creation date (3 bytes each:
               MMDDYYYY as an unsigned integer)
             document feature definition reference (1 byte), document type
               category (1 byte)
    message  features as TLV: tag (1 byte), DER length, value
    signature  tag 0xFF, DER length, r‖s (each half the length)

Decoding accepts any document type: unknown feature tags come back as raw
bytes.  Every malformed input raises :class:`DocumentError` with the offset
and the problem, never an IndexError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kvisa.documents import c40
from kvisa.documents.errors import DocumentError

MAGIC = 0xDC
SIGNATURE_TAG = 0xFF
VISA_FEATURE_REFERENCE = 0x5D
VISA_DOCUMENT_TYPE = 0x01
MAX_SEAL_BYTES = 4096

TAG_MRZ_MRVA, TAG_MRZ_MRVB = 0x01, 0x02
TAG_ENTRIES, TAG_STAY, TAG_PASSPORT, TAG_VISA_TYPE, TAG_ADDITIONAL = 0x03, 0x04, 0x05, 0x06, 0x07


@dataclass(frozen=True)
class Header:
    issuing_state: str
    signer: str
    certificate_reference: str
    issue_date: dt.date
    signature_date: dt.date
    feature_definition: int = VISA_FEATURE_REFERENCE
    document_type: int = VISA_DOCUMENT_TYPE
    version: int = 0x03

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "issuing_state": self.issuing_state,
                "signer": self.signer, "certificate_reference": self.certificate_reference,
                "issue_date": self.issue_date.isoformat(),
                "signature_date": self.signature_date.isoformat(),
                "feature_definition": self.feature_definition,
                "document_type": self.document_type}


@dataclass
class Seal:
    header: Header
    features: list[tuple[int, bytes]]
    signature: bytes | None = None
    signed_part: bytes = field(default=b"", repr=False)

    @property
    def is_visa(self) -> bool:
        return (self.header.feature_definition, self.header.document_type) == (
            VISA_FEATURE_REFERENCE, VISA_DOCUMENT_TYPE)

    def feature(self, tag: int) -> bytes | None:
        return next((value for t, value in self.features if t == tag), None)


# ------------------------------------------------------------------ primitives

def der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    if length <= 0xFF:
        return bytes((0x81, length))
    if length <= 0xFFFF:
        return bytes((0x82,)) + length.to_bytes(2, "big")
    raise DocumentError(f"length {length} is too large for a seal")


def read_der_length(data: bytes, offset: int) -> tuple[int, int]:
    """(length, offset after the length bytes)."""
    if offset >= len(data):
        raise DocumentError(f"offset {offset}: length missing (seal truncated)")
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    if count not in (1, 2):
        raise DocumentError(f"offset {offset}: DER length form 0x{first:02x} not allowed here")
    if offset + 1 + count > len(data):
        raise DocumentError(f"offset {offset}: DER length runs past the end")
    return int.from_bytes(data[offset + 1:offset + 1 + count], "big"), offset + 1 + count


def encode_date(value: dt.date) -> bytes:
    return int(value.strftime("%m%d%Y")).to_bytes(3, "big")


def decode_date(data: bytes, what: str) -> dt.date:
    digits = f"{int.from_bytes(data, 'big'):08d}"
    try:
        return dt.date(int(digits[4:]), int(digits[:2]), int(digits[2:4]))
    except ValueError:
        raise DocumentError(f"{what}: {digits} is not a date MMDDYYYY") from None


# ------------------------------------------------------------------ encode

def encode_header(header: Header) -> bytes:
    if header.version != 0x03:
        raise DocumentError("only VDS version 4 (byte 0x03) is written")
    state = header.issuing_state.upper().ljust(3, "<")
    signer = header.signer.upper()
    reference = header.certificate_reference.upper()
    if len(signer) != 4:
        raise DocumentError(f"signer identifier {signer!r} must have 4 characters")
    if not 0 < len(reference) <= 0xFF:
        raise DocumentError("certificate reference must have 1-255 characters")
    identity = signer + f"{len(reference):02X}" + reference
    return (bytes((MAGIC, header.version)) + c40.encode(state) + c40.encode(identity)
            + encode_date(header.issue_date) + encode_date(header.signature_date)
            + bytes((header.feature_definition, header.document_type)))


def encode_features(features: list[tuple[int, bytes]]) -> bytes:
    out = bytearray()
    for tag, value in features:
        if not 0 <= tag < SIGNATURE_TAG:
            raise DocumentError(f"feature tag {tag} must be 0-254")
        out += bytes((tag,)) + der_length(len(value)) + value
    return bytes(out)


def unsigned_bytes(header: Header, features: list[tuple[int, bytes]]) -> bytes:
    """Header and message: the bytes the signature covers."""
    return encode_header(header) + encode_features(features)


def with_signature(signed_part: bytes, signature: bytes) -> bytes:
    return signed_part + bytes((SIGNATURE_TAG,)) + der_length(len(signature)) + signature


# ------------------------------------------------------------------ decode

def decode(data: bytes) -> Seal:
    """Decode seal bytes of any document type; raise :class:`DocumentError` if malformed."""
    if len(data) > MAX_SEAL_BYTES:
        raise DocumentError(f"{len(data)} bytes is larger than any seal ({MAX_SEAL_BYTES})")
    if len(data) < 4:
        raise DocumentError("too short to be a seal")
    if data[0] != MAGIC:
        raise DocumentError(f"first byte 0x{data[0]:02x} is not the seal magic 0xDC")
    version = data[1]
    if version not in (0x02, 0x03):
        raise DocumentError(f"version byte 0x{version:02x} is not 0x02 (v3) or 0x03 (v4)")
    state = c40.decode(data[2:4])
    offset = 4
    if version == 0x03:
        _need(data, offset + 4, "signer identifier")
        start = c40.decode(data[offset:offset + 4])
        signer, length_hex = start[:4], start[4:6]
        try:
            ref_length = int(length_hex, 16)
        except ValueError:
            raise DocumentError(f"certificate reference length {length_hex!r} is not hex") from None
        size = c40.encoded_length(6 + ref_length)
        _need(data, offset + size, "certificate reference")
        identity = c40.decode(data[offset:offset + size])
        reference = identity[6:6 + ref_length]
    else:
        size = 6
        _need(data, offset + size, "signer identifier")
        identity = c40.decode(data[offset:offset + size])
        signer, reference = identity[:4], identity[4:9]
    offset += size
    _need(data, offset + 8, "dates and document type")
    issue = decode_date(data[offset:offset + 3], "issue_date")
    signed = decode_date(data[offset + 3:offset + 6], "signature_date")
    header = Header(issuing_state=state, signer=signer, certificate_reference=reference,
                    issue_date=issue, signature_date=signed, feature_definition=data[offset + 6],
                    document_type=data[offset + 7], version=version)
    offset += 8
    features: list[tuple[int, bytes]] = []
    signature = None
    signed_end = len(data)
    while offset < len(data):
        tag = data[offset]
        length, value_start = read_der_length(data, offset + 1)
        if value_start + length > len(data):
            raise DocumentError(f"offset {offset}: feature 0x{tag:02x} of {length} bytes runs "
                                "past the end")
        value = bytes(data[value_start:value_start + length])
        if tag == SIGNATURE_TAG:
            signature, signed_end = value, offset
            if value_start + length != len(data):
                raise DocumentError("bytes after the signature")
            break
        features.append((tag, value))
        offset = value_start + length
    return Seal(header, features, signature, bytes(data[:signed_end]))


def _need(data: bytes, end: int, what: str) -> None:
    if end > len(data):
        raise DocumentError(f"seal truncated in the {what}")


# ------------------------------------------------------------------ visa features

def seal_mrz_text(lines: list[str]) -> str:
    """The MRZ as a visa seal carries it: line 1 and the first 28 characters of line 2."""
    return lines[0] + lines[1][:28]


def visa_features(*, mrz_lines: list[str], entries: int, stay_days: int, stay_months: int = 0,
                  stay_years: int = 0, passport_number: str,
                  visa_type: bytes | None = None) -> list[tuple[int, bytes]]:
    """The visa message zone (Part 7 §9): MRZ, entries, duration of stay, passport, type."""
    width = len(mrz_lines[0])
    if width not in (36, 44):
        raise DocumentError("a visa MRZ is MRV-A (2×44) or MRV-B (2×36)")
    for name, value in (("entries", entries), ("stay days", stay_days),
                        ("stay months", stay_months), ("stay years", stay_years)):
        if not 0 <= value <= 255:
            raise DocumentError(f"{name}: {value} does not fit in one byte (0-255)")
    number = passport_number.upper()
    if not 0 < len(number) <= 9:
        raise DocumentError("passport number must have 1-9 characters")
    features = [
        (TAG_MRZ_MRVA if width == 44 else TAG_MRZ_MRVB, c40.encode(seal_mrz_text(mrz_lines))),
        (TAG_ENTRIES, bytes((entries,))),
        (TAG_STAY, bytes((stay_days, stay_months, stay_years))),
        (TAG_PASSPORT, c40.encode(number.ljust(9, "<"))),
    ]
    if visa_type:
        if len(visa_type) > 4:
            raise DocumentError("visa type is at most 4 bytes")
        features.append((TAG_VISA_TYPE, visa_type))
    return features


def describe_features(seal: Seal) -> dict[str, Any]:
    """Decoded features: named for a visa, raw hex for anything else."""
    if not seal.is_visa:
        return {f"0x{tag:02x}": value.hex() for tag, value in seal.features}
    result: dict[str, Any] = {}
    for tag, value in seal.features:
        if tag in (TAG_MRZ_MRVA, TAG_MRZ_MRVB):
            text = c40.decode(value)
            width = 44 if tag == TAG_MRZ_MRVA else 36
            if len(text) != width + 28:
                raise DocumentError(f"visa MRZ feature holds {len(text)} characters, "
                                    f"expected {width + 28}")
            result["mrz_format"] = "MRVA" if tag == TAG_MRZ_MRVA else "MRVB"
            result["mrz"] = [text[:width], text[width:].ljust(width, "<")]
        elif tag == TAG_ENTRIES:
            _exact(value, 1, "number of entries")
            result["number_of_entries"] = value[0]
        elif tag == TAG_STAY:
            _exact(value, 3, "duration of stay")
            result["duration_of_stay"] = {"days": value[0], "months": value[1],
                                          "years": value[2]}
        elif tag == TAG_PASSPORT:
            result["passport_number"] = c40.decode(value).rstrip("<")
        elif tag == TAG_VISA_TYPE:
            result["visa_type"] = value.hex()
        else:
            result.setdefault("other", {})[f"0x{tag:02x}"] = value.hex()
    return result


def _exact(value: bytes, size: int, what: str) -> None:
    if len(value) != size:
        raise DocumentError(f"{what}: {len(value)} bytes, expected {size}")

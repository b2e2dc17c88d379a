"""Offline verification of a visa seal, with the statuses ICAO Doc 9303 Part 7 names.

Checks, in order, and the first failure decides: the bytes decode
(``malformed``); a given certificate names the seal's signer
(``unknown_signer``); the signature holds (``invalid_signature``); the
visa MRZ inside the seal is valid (``invalid_visa_mrz``); a printed visa MRZ,
when given, matches the seal (``seal_visa_mismatch``); a passport MRZ, when
given, is valid (``invalid_passport_mrz``) and is the passport the visa was
issued for (``seal_passport_mismatch``); the date lies between the seal's
issue date and the visa's valid-until date (``not_yet_valid``, ``expired``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from kvisa.documents import mrz, resident_card, vds
from kvisa.documents.errors import DocumentError
from kvisa.documents.signer import SignerCertificate

Status = Literal["valid", "malformed", "unknown_signer", "invalid_signature",
                 "invalid_visa_mrz", "seal_visa_mismatch", "invalid_passport_mrz",
                 "seal_passport_mismatch", "not_yet_valid", "expired"]


@dataclass
class Verification:
    status: Status
    reason: str
    header: dict[str, Any] = field(default_factory=dict)
    features: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason, "header": self.header,
                "features": self.features}


def verify(data: bytes, certificates: list[SignerCertificate], *, on: dt.date | None = None,
           printed_mrz: list[str] | None = None, passport_mrz: list[str] | None = None
           ) -> Verification:
    """Verify seal bytes against the signer certificates a verifier trusts."""
    on = on or dt.date.today()
    try:
        seal = vds.decode(data)
        card = resident_card.is_card(seal)
        features = resident_card.describe(seal) if card else vds.describe_features(seal)
    except DocumentError as exc:
        return Verification("malformed", str(exc))
    header = seal.header.as_dict()

    def result(status: Status, reason: str) -> Verification:
        return Verification(status, reason, header, features)

    if seal.signature is None:
        return result("malformed", "the seal has no signature zone")
    match = next((c for c in certificates if c.signer == seal.header.signer
                  and c.reference.lstrip("0") == seal.header.certificate_reference.lstrip("0")),
                 None)
    if match is None:
        known = ", ".join(f"{c.signer}/{c.reference}" for c in certificates) or "none"
        return result("unknown_signer", f"seal names signer {seal.header.signer} certificate "
                      f"{seal.header.certificate_reference}; trusted: {known}")
    if not match.verify(seal.signed_part, seal.signature):
        return result("invalid_signature", "the signature does not match the header and "
                      f"message under {match.signer}/{match.reference} ({match.curve})")
    if card:
        return _card_dates(seal, features, on, result)
    if not seal.is_visa:
        return result("valid", "signature valid (not a visa seal: no visa checks apply)")
    if "mrz" not in features:
        return result("invalid_visa_mrz", "the visa seal carries no MRZ")
    try:
        visa = mrz.parse(features["mrz"], today=on)
    except DocumentError as exc:
        return result("invalid_visa_mrz", str(exc))
    if not visa.valid:
        failed = [c.field for c in visa.checks if not c.ok] + visa.problems
        return result("invalid_visa_mrz", "visa MRZ in the seal fails: " + ", ".join(failed))
    if printed_mrz is not None:
        printed = mrz.normalise_lines(printed_mrz)
        if vds.seal_mrz_text(printed) != vds.seal_mrz_text(features["mrz"]):
            return result("seal_visa_mismatch", "the printed visa MRZ differs from the seal's")
    if passport_mrz is not None:
        outcome = _passport(features, visa, passport_mrz, on)
        if outcome:
            return result(*outcome)
    if on < seal.header.issue_date:
        return result("not_yet_valid", f"issued {seal.header.issue_date.isoformat()}, after "
                      f"{on.isoformat()}")
    until = visa.fields.get("valid_until")
    if until and on > dt.date.fromisoformat(until):
        return result("expired", f"valid until {until}, checked on {on.isoformat()}")
    return result("valid", f"signed by {match.signer}/{match.reference}; visa valid on "
                  f"{on.isoformat()}")


def _card_dates(seal: vds.Seal, features: dict[str, Any], on: dt.date,
                result: Any) -> Verification:
    """A permanent resident card: valid from its issue date to its valid-until date."""
    if on < seal.header.issue_date:
        return result("not_yet_valid", f"issued {seal.header.issue_date.isoformat()}, after "
                      f"{on.isoformat()}")
    if on > dt.date.fromisoformat(features["valid_until"]):
        return result("expired", f"valid until {features['valid_until']}, checked on "
                      f"{on.isoformat()}")
    return result("valid", f"permanent resident card {features['card_number']} valid on "
                  f"{on.isoformat()}")


def _passport(features: dict[str, Any], visa: mrz.ParsedMRZ, lines: list[str],
              on: dt.date) -> tuple[Status, str] | None:
    try:
        passport = mrz.parse(lines, today=on)
    except DocumentError as exc:
        return "invalid_passport_mrz", str(exc)
    if not passport.valid:
        failed = [c.field for c in passport.checks if not c.ok] + passport.problems
        return "invalid_passport_mrz", "passport MRZ fails: " + ", ".join(failed)
    seal_number = features.get("passport_number", "")
    differences = []
    if passport.fields["document_number"][:9] != seal_number:
        differences.append("passport number")
    for name in ("nationality", "birth_date", "surname"):
        if passport.fields.get(name) != visa.fields.get(name):
            differences.append(name.replace("_", " "))
    if differences:
        return "seal_passport_mismatch", "passport differs from the visa in: " + ", ".join(
            differences)
    return None
